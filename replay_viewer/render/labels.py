"""Every label of one chart frame, placed with an ImGui draw list in logical points:
header and readout, legend with readings at t, tick and threshold labels, the latest event,
and the crosshair's time. Pure placement (no GPU); :class:`.text.ChartText` renders it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..describe import format_reading, incident_facts
from ..groups import group_reading
from ..timecode import format_timecode
from .draw_list import draw_marker_shape, u32
from .instances import event_clusters
from .series_geometry import line_point, series_colors
from .style import EVENT_STYLE, MARKERS, PALETTE, family_color, series_style

if TYPE_CHECKING:
    from ..model import Incident
    from .fonts import FontSet
    from .geometry import RenderOptions
    from .layout import ChartLayout

__all__ = ["ChartLabels", "ellipsize", "family_swatch", "head_point", "legend_swatch"]


class ChartLabels:
    """Places every label of one frame; coordinates in logical points."""

    def __init__(self, draw_list: imgui.ImDrawList, fonts: FontSet, layout: ChartLayout) -> None:
        self.dl = draw_list
        self.fonts = fonts
        self.layout = layout
        self.pr = layout.pixel_ratio
        chart = layout.chart
        self.x0, self.y0 = chart.x0 / self.pr, chart.y0 / self.pr
        self.x1, self.y1 = chart.x1 / self.pr, chart.y1 / self.pr
        self.width = layout.width / self.pr
        self.height = layout.height / self.pr
        # Fonts scale down with small frames, like the margins do.
        self.scale = layout.text_scale

    def text(self, font, size, pos, color, text, *, align: float = 0.0, valign: float = 0.0):
        """Draw ``text``; ``align``/``valign`` 0 = left/top, 0.5 = centre, 1 = right/bottom.
        Returns the text's (width, height)."""
        size *= self.scale
        imgui.push_font(font, size)
        extent = imgui.calc_text_size(text)
        imgui.pop_font()
        x = round((pos[0] - extent.x * align) * self.pr) / self.pr
        y = round((pos[1] - extent.y * valign) * self.pr) / self.pr
        self.dl.add_text(font, size, (x, y), u32(color), text)
        return extent.x, extent.y

    def measure(self, font, size, text) -> float:
        imgui.push_font(font, size * self.scale)
        width = imgui.calc_text_size(text).x
        imgui.pop_font()
        return width

    def draw(
        self,
        incident: Incident,
        t: float,
        options: RenderOptions,
        emphasised: tuple[int, ...] = (),
    ) -> None:
        self._t = t
        if self.layout.chrome:
            self.header(incident, t)
            self.footer(incident, t)
        self.legend(incident, t)
        self.axes()
        self.thresholds(incident)
        self.clusters(incident)
        self.member_labels(incident, emphasised)
        if options.hover is not None:
            self.hover_label(options.hover)

    def header(self, incident: Incident, t: float) -> None:
        fonts, pad = self.fonts, 18 * self.scale
        left = pad
        top = 12 * self.scale
        # Severity badge, then the title.
        if incident.severity:
            badge_w = self.measure(fonts.bold, 13, incident.severity) + 12 * self.scale
            self.dl.add_rect_filled(
                (left, top + 3 * self.scale),
                (left + badge_w, top + 22 * self.scale),
                u32(PALETTE.severity, 0.18),
                4.0,
            )
            self.dl.add_rect(
                (left, top + 3 * self.scale),
                (left + badge_w, top + 22 * self.scale),
                u32(PALETTE.severity, 0.75),
                4.0,
            )
            self.text(
                fonts.bold,
                13,
                (left + badge_w / 2, top + 12.5 * self.scale),
                PALETTE.severity_text,
                incident.severity,
                align=0.5,
                valign=0.5,
            )
            left += badge_w + 10 * self.scale
        readout_w = 260 * self.scale
        title_max = self.width - left - readout_w - pad
        title = ellipsize(self, fonts.bold, 22, incident.title, title_max)
        self.text(fonts.bold, 22, (left, top), PALETTE.text, title)
        facts = [incident.subtitle, *incident_facts(incident)]
        line = "   ".join(f for f in facts if f)
        line = ellipsize(self, fonts.regular, 14, line, self.width - 2 * pad - readout_w)
        self.text(fonts.regular, 14, (pad, top + 32 * self.scale), PALETTE.text_dim, line)

        # Readout: T+MM:SS big and monospaced, so digits do not jitter while scrubbing.
        right = self.width - pad
        readout = format_timecode(t)
        self.text(fonts.mono, 30, (right, top - 4 * self.scale), PALETTE.text, readout, align=1)
        sub = f"of T+{format_timecode(incident.end)[2:]}"
        wall = incident.wall_clock(t)
        if wall is not None:
            sub = (
                wall.strftime("%Y-%m-%d %H:%M:%S")
                + (f" {wall.tzname()}" if wall.tzinfo else "")
                + "   "
                + sub
            )
        self.text(fonts.regular, 13, (right, top + 32 * self.scale), PALETTE.text_dim, sub, align=1)

    def legend(self, incident: Incident, t: float) -> None:
        """Each entry in its legend cell (rows laid out by the layout): a sample of its line
        and marker, its label, and its reading at ``t`` (a group: member count and min /
        median / max); hidden entries dimmed."""
        fonts, scale = self.fonts, self.scale
        sample_w = 26 * scale
        hidden_ids = self.layout.hidden
        for cell in self.layout.legend:
            entry = incident.entries[cell.entry]
            series = incident.series[entry.first]
            shown = [i for i in entry.members if incident.series[i].id not in hidden_ids]
            hidden = not shown
            color = (*series.color, 0.35 if hidden else 1.0)
            x, y = cell.x, cell.y
            style = series_style(cell.entry)
            if entry.grouped:
                family_swatch(self.dl, (x, y), sample_w, series.color, hidden, scale)
                count = len(entry.members)
                name = (
                    f"{entry.name} ({count if len(shown) == count else f'{len(shown)} of {count}'})"
                )
                reading = group_reading(incident, entry, t, hidden=hidden_ids)
            else:
                legend_swatch(self.dl, (x, y), sample_w, style, color, scale)
                name = series.label
                reading = "hidden" if hidden else format_reading(series, series.value_at(t))
            x += sample_w + 7 * scale
            reading_w = self.measure(fonts.mono, 16, reading)
            room = cell.width - (x - cell.x) - reading_w - 8 * scale
            unit = f" ({series.unit})" if series.unit and not entry.grouped else ""
            label = ellipsize(self, fonts.regular, 14, name + unit, room)
            text_color = PALETTE.text_faint if hidden else PALETTE.text_dim
            w, _ = self.text(fonts.regular, 14, (x, y), text_color, label, valign=0.5)
            x += w + 8 * scale
            self.text(fonts.mono, 16, (x, y), color, reading, valign=0.5)
        self.legend_scroll_hint()

    def legend_scroll_hint(self) -> None:
        """``rows 1–4 of 12`` right of a legend that does not show all its rows."""
        layout = self.layout
        if not layout.legend or len({c.y for c in layout.legend}) >= layout.legend_rows:
            return
        first = layout.legend_first_row + 1
        last = layout.legend_first_row + len({c.y for c in layout.legend})
        text = f"rows {first}–{last} of {layout.legend_rows} ⇅"
        y = max(c.y for c in layout.legend)
        self.text(self.fonts.regular, 12, (self.x1, y), PALETTE.text_faint, text, align=1,
                  valign=0.5)  # fmt: skip

    def member_labels(self, incident: Incident, emphasised: tuple[int, ...]) -> None:
        """The highlighted members' labels at the end of their lines (the playhead), on dark
        plates, nudged apart so two never overlap."""
        placed: list[float] = []
        row_h = 15 * self.scale
        colors = series_colors(incident) if emphasised else []
        for index in emphasised:
            series = incident.series[index]
            point = head_point(self.layout, incident, index, self._t)
            if point is None:
                continue
            x, y = point
            for other in sorted(placed):
                if abs(y - other) < row_h:
                    y = other + row_h
            placed.append(y)
            width = self.measure(self.fonts.regular, 12, series.label)
            left = min(x + 8 * self.scale, self.x1 - width - 4 * self.scale)
            plate = (*PALETTE.background[:3], 0.75)
            self.dl.add_rect_filled((left - 3 * self.scale, y - row_h / 2),
                                    (left + width + 3 * self.scale, y + row_h / 2),
                                    u32(plate), 3.0)  # fmt: skip
            self.text(self.fonts.regular, 12, (left, y), (*colors[index], 1.0), series.label,
                      valign=0.5)  # fmt: skip

    def axes(self) -> None:
        fonts, scale = self.fonts, self.scale
        for axis in self.layout.axes.values():
            side = axis.side
            for tick in axis.ticks:
                y = tick.pos / self.pr
                if side == "left":
                    self.text(
                        fonts.regular,
                        13,
                        (self.x0 - 9 * scale, y),
                        PALETTE.text_dim,
                        tick.label,
                        align=1,
                        valign=0.5,
                    )
                else:
                    self.text(
                        fonts.regular,
                        13,
                        (self.x1 + 9 * scale, y),
                        PALETTE.text_dim,
                        tick.label,
                        valign=0.5,
                    )
            if axis.unit and self.layout.panes:  # inside its pane's top-left corner
                position = (self.x0 + 6 * scale, axis.y0 / self.pr + 3 * scale)
                self.text(fonts.bold, 12, position, PALETTE.text_faint, axis.unit)
            elif axis.unit:  # above its axis
                x = self.x0 - 9 * scale if side == "left" else self.x1 + 9 * scale
                self.text(
                    fonts.bold,
                    12,
                    (x, self.y0 - 3 * scale),
                    PALETTE.text_faint,
                    axis.unit,
                    align=1 if side == "left" else 0,
                    valign=1,
                )
        for tick in self.layout.time_ticks:
            self.text(
                fonts.regular,
                13,
                (tick.pos / self.pr, self.y1 + 8 * scale),
                PALETTE.text_dim,
                tick.label,
                align=0.5,
            )

    def thresholds(self, incident: Incident) -> None:
        for threshold in incident.thresholds:
            series = incident.series_by_id(threshold.series_id)
            if series.id in self.layout.hidden:
                continue
            axis = self.layout.axis_for(series.id)
            y = axis.to_y(threshold.value) / self.pr
            if not axis.y0 / self.pr <= y <= axis.y1 / self.pr:
                continue
            # The label sits on the bad side of its line.
            above = threshold.bad == "above"
            self.text(
                self.fonts.bold,
                12,
                (self.x1 - 6 * self.scale, y + (-3 if above else 3) * self.scale),
                (*series.color, 0.95),
                threshold.label,
                align=1,
                valign=1 if above else 0,
            )

    def clusters(self, incident: Incident) -> None:
        """A count beside each glyph that stands for several events."""
        y = self.layout.event_lane_y / self.pr
        for x, events in event_clusters(incident, self.layout):
            if len(events) > 1:
                position = (x / self.pr + (MARKERS.event_radius + 3) * self.scale, y)
                self.text(self.fonts.bold, 12, position, PALETTE.text_dim, f"×{len(events)}",
                          valign=0.5)  # fmt: skip

    def footer(self, incident: Incident, t: float) -> None:
        fonts, scale = self.fonts, self.scale
        y = self.height - 15 * scale
        index = incident.event_index_at(t)
        if index < 0:
            upcoming = incident.events[0] if incident.events else None
            if upcoming is not None:
                text = f"Next: {format_timecode(upcoming.at)}  {upcoming.title}"
                self.text(fonts.regular, 14, (18 * scale, y), PALETTE.text_faint, text, valign=0.5)
            return
        event = incident.events[index]
        style = EVENT_STYLE[event.kind]
        x = 18 * scale
        w, _ = self.text(fonts.mono, 15, (x, y), style.color, format_timecode(event.at), valign=0.5)
        x += w + 10 * scale
        w, _ = self.text(fonts.bold, 15, (x, y), PALETTE.text, event.title, valign=0.5)
        x += w + 12 * scale
        if event.detail:
            detail = ellipsize(self, fonts.regular, 14, event.detail, self.width - x - 18 * scale)
            self.text(fonts.regular, 14, (x, y), PALETTE.text_dim, detail, valign=0.5)

    def hover_label(self, hover: tuple[float, float]) -> None:
        x, _ = hover
        if not self.x0 <= x < self.x1:
            return
        # Inside the chart's top edge, on a dark plate: above it is the legend.
        label = format_timecode(self.layout.to_t(x * self.pr))
        width = self.measure(self.fonts.mono, 13, label)
        pad = 3 * self.scale
        top = self.y0 + 2 * self.scale
        left = min(max(x - width / 2, self.x0 + pad), self.x1 - width - pad)
        plate = (*PALETTE.background[:3], 0.85)
        self.dl.add_rect_filled((left - pad, top), (left + width + pad, top + 17 * self.scale),
                                u32(plate), 3.0)  # fmt: skip
        self.text(self.fonts.mono, 13, (left, top + 1 * self.scale), PALETTE.crosshair, label)


def head_point(layout: ChartLayout, incident: Incident, index: int, t: float):
    """Where series ``index``'s line is at ``t``, in points; None where it has none."""
    series = incident.series[index]
    point = line_point(series.times, series.values, t)
    if point is None:
        return None
    axis = layout.axis_for(series.id)
    y = axis.to_y(point[1])
    if not axis.y0 <= y <= axis.y1:
        return None
    return layout.to_x(point[0]) / layout.pixel_ratio, y / layout.pixel_ratio


def family_swatch(dl, origin, width, base, hidden, scale) -> None:
    """A group's legend sample: three thin lines in its colour family."""
    x, y = origin
    for rank, dy in enumerate((-4.0, 0.0, 4.0)):
        shade = family_color(base, rank, 3)
        dl.add_line((x, y + dy * scale), (x + width, y + dy * scale),
                    u32((*shade, 0.35 if hidden else 0.9)), 1.2 * scale)  # fmt: skip


def legend_swatch(dl, origin, width, style, color, scale) -> None:
    x, y = origin
    on, off = style.dash
    thickness = style.width * scale
    if on <= 0:
        dl.add_line((x, y), (x + width, y), u32(color), thickness)
    else:
        position = x
        while position < x + width:
            end = min(position + on * scale, x + width)
            dl.add_line((position, y), (end, y), u32(color), thickness)
            position = end + off * scale
    draw_marker_shape(dl, (x + width / 2, y), MARKERS.legend_radius * scale, style.marker, color)


def ellipsize(labels: ChartLabels, font, size: float, text: str, max_width: float) -> str:
    """``text`` cut to fit ``max_width`` with an ellipsis (binary search on the length)."""
    if max_width <= 0:
        return ""
    if labels.measure(font, size, text) <= max_width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if labels.measure(font, size, text[:middle] + "…") <= max_width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"
