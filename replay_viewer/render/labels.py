"""Every label of one chart frame, placed with an ImGui draw list in logical points:
header and readout, legend with readings at t, tick and threshold labels, the milestone
lane's gaps, the latest event, and the crosshair's time; in live view the counters over
each threshold so far, and nothing that gives the end away. Pure placement (no GPU);
:class:`.text.ChartText` renders it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..describe import incident_facts, open_spans_line, time_reading
from ..timecode import format_timecode, format_wall_clock
from .burn_labels import draw_burn_lane
from .caption_card import draw_caption_card
from .draw_list import u32
from .heatmap_labels import draw_heat_scales
from .instances import event_clusters, visible_spans
from .legend_labels import draw_legend, ellipsize, member_labels
from .live import draw_live_counters
from .milestone_labels import draw_milestone_lane
from .style import MARKERS

if TYPE_CHECKING:
    from ..model import Incident
    from .fonts import FontSet
    from .geometry import RenderOptions
    from .layout import ChartLayout

__all__ = ["ChartLabels"]


class ChartLabels:
    """Places every label of one frame; coordinates in logical points."""

    def __init__(self, draw_list: imgui.ImDrawList, fonts: FontSet, layout: ChartLayout) -> None:
        self.dl = draw_list
        self.fonts = fonts
        self.layout = layout
        self.palette = layout.palette  # every colour of this frame
        self.pr = layout.pixel_ratio
        chart = layout.chart
        self.x0, self.y0 = chart.x0 / self.pr, chart.y0 / self.pr
        self.x1, self.y1 = chart.x1 / self.pr, chart.y1 / self.pr
        self.width = layout.width / self.pr
        self.height = layout.height / self.pr
        # Fonts scale down with small frames, like the margins do.
        self.scale = layout.text_scale
        self.card: tuple[float, float, float, float] | None = None  # the caption's, points

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
        if self.layout.chrome:
            self.header(incident, t)
            self.footer(incident, t)
        draw_legend(self, incident, t)
        self.axes()
        self.thresholds(incident)
        self.clusters(incident)
        draw_milestone_lane(self, incident)
        draw_heat_scales(self, incident)
        draw_burn_lane(self, incident, t)
        self.span_titles(incident, t)
        member_labels(self, incident, t, emphasised)
        if self.layout.live is not None:
            draw_live_counters(self, incident, t)
        if options.hover is not None:
            self.hover_label(incident, options.hover)
        if options.caption is not None and options.caption[1] > 0:
            self.card = draw_caption_card(self, incident, *options.caption)

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
                u32(self.palette.severity, 0.18),
                4.0,
            )
            self.dl.add_rect(
                (left, top + 3 * self.scale),
                (left + badge_w, top + 22 * self.scale),
                u32(self.palette.severity, 0.75),
                4.0,
            )
            self.text(
                fonts.bold,
                13,
                (left + badge_w / 2, top + 12.5 * self.scale),
                self.palette.severity_text,
                incident.severity,
                align=0.5,
                valign=0.5,
            )
            left += badge_w + 10 * self.scale
        readout, sub = self.readout(incident, t)
        readout_w = max(260 * self.scale, self.measure(fonts.mono, 30, readout) + pad)
        title_max = self.width - left - readout_w - pad
        title = ellipsize(self, fonts.bold, 22, incident.title, title_max)
        self.text(fonts.bold, 22, (left, top), self.palette.text, title)
        live = self.layout.live is not None  # the subtitle and duration tell the end
        facts = [incident.subtitle if not live else "", *incident_facts(incident, live=live)]
        line = "   ".join(f for f in facts if f)
        sub_w = max(readout_w, self.measure(fonts.regular, 13, sub) + 2 * pad)  # beside it
        line = ellipsize(self, fonts.regular, 14, line, self.width - 2 * pad - sub_w)
        self.text(fonts.regular, 14, (pad, top + 32 * self.scale), self.palette.text_dim, line)

        # Readout: T+MM:SS big and monospaced, so digits do not jitter while scrubbing.
        right = self.width - pad
        self.text(
            fonts.mono, 30, (right, top - 4 * self.scale), self.palette.text, readout, align=1
        )
        self.text(
            fonts.regular, 13, (right, top + 32 * self.scale), self.palette.text_dim, sub, align=1
        )

    def readout(self, incident: Incident, t: float) -> tuple[str, str]:
        """The header's big time and the line under it: ``T+2d 04:05:00`` over the wall
        clock, or the wall clock (``Mon 14 Jul 06:00:05``) over its zone and ``T+…``."""
        end = f"of T+{format_timecode(incident.end)[2:]}" if self.layout.live is None else "live"
        wall = incident.wall_clock(t)
        zone = f" {wall.tzname()}" if wall is not None and wall.tzinfo else ""
        if wall is not None and self.layout.clock == "wall":
            return format_wall_clock(wall), f"{zone.strip() or 'UTC'}   {format_timecode(t)} {end}"
        if wall is None:
            return format_timecode(t), end
        return format_timecode(t), f"{wall.strftime('%Y-%m-%d %H:%M:%S')}{zone}   {end}"

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
                        self.palette.text_dim,
                        tick.label,
                        align=1,
                        valign=0.5,
                    )
                else:
                    self.text(
                        fonts.regular,
                        13,
                        (self.x1 + 9 * scale, y),
                        self.palette.text_dim,
                        tick.label,
                        valign=0.5,
                    )
            if axis.unit and self.layout.panes:  # inside its pane's top-left corner
                position = (self.x0 + 6 * scale, axis.y0 / self.pr + 3 * scale)
                if axis.log:  # over a heatmap's cells: on a plate of the background
                    width = self.measure(fonts.bold, 12, axis.unit)
                    self.dl.add_rect_filled((self.x0 + 1, axis.y0 / self.pr + 1),
                                            (position[0] + width + 5 * scale,
                                             position[1] + 15 * scale),
                                            u32((*self.palette.background[:3], 0.8)))  # fmt: skip
                self.text(fonts.bold, 12, position, self.palette.text_faint, axis.unit)
            elif axis.unit:  # above its axis
                x = self.x0 - 9 * scale if side == "left" else self.x1 + 9 * scale
                self.text(
                    fonts.bold,
                    12,
                    (x, self.y0 - 3 * scale),
                    self.palette.text_faint,
                    axis.unit,
                    align=1 if side == "left" else 0,
                    valign=1,
                )
        for tick in self.layout.time_ticks:
            self.text(
                fonts.regular,
                13,
                (tick.pos / self.pr, self.y1 + 8 * scale),
                self.palette.text_dim,
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
                (*self.palette.series_color(series.color), 0.95),
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
                self.text(self.fonts.bold, 12, position, self.palette.text_dim, f"×{len(events)}",
                          valign=0.5)  # fmt: skip

    def span_titles(self, incident: Incident, t: float) -> None:
        """Each span's title at the top edge of its band (where there is room for it; in
        live view the band ends at the playhead)."""
        scale = self.scale
        rows: list[float] = []  # where each row of titles ends (x), so titles never overlap
        for x0, x1, event in visible_spans(incident, self.layout):
            if self.layout.live is not None:
                x1 = min(x1, self.layout.to_x(t))
            left, room = x0 / self.pr + 4 * scale, (x1 - x0) / self.pr - 8 * scale
            if room < 24 * scale:
                continue
            title = ellipsize(self, self.fonts.bold, 12, event.title, room)
            row = next((k for k, end in enumerate(rows) if end <= left), len(rows))
            if row == len(rows):
                rows.append(0.0)
            color = (*self.palette.event(event.kind).color[:3], 0.95)
            top = self.y0 + (4 + 15 * row) * scale
            width, _ = self.text(self.fonts.bold, 12, (left, top), color, title)
            rows[row] = left + width + 6 * scale

    def footer(self, incident: Incident, t: float) -> None:
        fonts, scale = self.fonts, self.scale
        y = self.height - 15 * scale
        spans = open_spans_line(incident, t)
        right = self.width - 18 * scale
        if spans:  # what is open at the playhead, right-aligned: "firing: X (4m 10s)"
            spans = ellipsize(self, fonts.regular, 14, spans, self.width * 0.45)
            w, _ = self.text(fonts.regular, 14, (right, y), self.palette.text_dim, spans, align=1,
                             valign=0.5)  # fmt: skip
            right -= w + 18 * scale
        index = incident.event_index_at(t)
        if index < 0:
            upcoming = incident.events[0] if incident.events else None
            if upcoming is not None and self.layout.live is None:  # live: not known yet
                when = time_reading(incident, upcoming.at, self.layout.clock)
                text = f"Next: {when}  {upcoming.title}"
                self.text(
                    fonts.regular, 14, (18 * scale, y), self.palette.text_faint, text, valign=0.5
                )
            return
        event = incident.events[index]
        style = self.palette.event(event.kind)
        x = 18 * scale
        when = time_reading(incident, event.at, self.layout.clock)
        w, _ = self.text(fonts.mono, 15, (x, y), style.color, when, valign=0.5)
        x += w + 10 * scale
        w, _ = self.text(fonts.bold, 15, (x, y), self.palette.text, event.title, valign=0.5)
        x += w + 12 * scale
        if event.detail:
            detail = ellipsize(self, fonts.regular, 14, event.detail, right - x)
            self.text(fonts.regular, 14, (x, y), self.palette.text_dim, detail, valign=0.5)

    def hover_label(self, incident: Incident, hover: tuple[float, float]) -> None:
        x, _ = hover
        if not self.x0 <= x < self.x1:
            return
        # Inside the chart's top edge, on a dark plate: above it is the legend. The time has
        # its day (T+2d …) or, on the wall clock, its date once the incident spans days.
        label = time_reading(incident, self.layout.to_t(x * self.pr), self.layout.clock)
        width = self.measure(self.fonts.mono, 13, label)
        pad = 3 * self.scale
        top = self.y0 + 2 * self.scale
        left = min(max(x - width / 2, self.x0 + pad), self.x1 - width - pad)
        plate = (*self.palette.background[:3], 0.85)
        self.dl.add_rect_filled((left - pad, top), (left + width + pad, top + 17 * self.scale),
                                u32(plate), 3.0)  # fmt: skip
        self.text(self.fonts.mono, 13, (left, top + 1 * self.scale), self.palette.crosshair, label)
