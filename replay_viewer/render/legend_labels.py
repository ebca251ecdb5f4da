"""The legend and the highlighted members' labels of a chart frame: each entry's swatch,
label and reading at t (a group: its colour family, member count and min / median / max),
a hint when a long legend scrolls, and the labels at the end of the highlighted members'
lines. Placed through :class:`.labels.ChartLabels` (any :class:`TextPlacer`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..describe import format_reading
from ..groups import group_reading
from .baseline_labels import draw_vs_baseline
from .draw_list import draw_marker_shape, u32
from .series_geometry import line_point, series_colors
from .style import MARKERS, PALETTE, series_style

if TYPE_CHECKING:
    from ..model import Incident
    from .layout import ChartLayout
    from .style import Palette

__all__ = [
    "TextPlacer",
    "draw_legend",
    "ellipsize",
    "family_swatch",
    "head_point",
    "legend_swatch",
    "member_labels",
]


class TextPlacer(Protocol):
    """What these functions draw through: a draw list, fonts, the layout, a text scale,
    and text placement and measurement (:class:`.labels.ChartLabels`)."""

    dl: Any
    fonts: Any
    layout: ChartLayout
    scale: float
    x1: float

    def text(self, font, size, pos, color, text, *, align=0.0, valign=0.0): ...

    def measure(self, font, size, text) -> float: ...


def draw_legend(labels: TextPlacer, incident: Incident, t: float) -> None:
    """Each entry in its legend cell (rows laid out by the layout): a sample of its line
    and marker, its label, and its reading at ``t`` (a group: member count and min /
    median / max); hidden entries dimmed."""
    fonts, scale, palette = labels.fonts, labels.scale, labels.layout.palette
    sample_w = 26 * scale
    hidden_ids = labels.layout.hidden
    for cell in labels.layout.legend:
        entry = incident.entries[cell.entry]
        series = incident.series[entry.first]
        shown = [i for i in entry.members if incident.series[i].id not in hidden_ids]
        hidden = not shown
        color = (*palette.series_color(series.color), 0.35 if hidden else 1.0)
        x, y = cell.x, cell.y
        style = series_style(cell.entry)
        if entry.grouped:
            family_swatch(labels.dl, (x, y), sample_w, series.color, hidden, scale, palette)
            count = len(entry.members)
            name = f"{entry.name} ({count if len(shown) == count else f'{len(shown)} of {count}'})"
            reading = group_reading(incident, entry, t, hidden=hidden_ids)
        else:
            legend_swatch(labels.dl, (x, y), sample_w, style, color, scale)
            name = series.label
            reading = "hidden" if hidden else format_reading(series, series.value_at(t))
        x += sample_w + 7 * scale
        reading_w = labels.measure(fonts.mono, 16, reading)
        index = None if entry.grouped or hidden else entry.first  # its baseline's reading
        vs_args = (labels, incident, index, t) if index is not None else None
        vs_w = draw_vs_baseline(*vs_args, 0, y, color[:3], True) if vs_args else 0.0
        room = cell.width - (x - cell.x) - reading_w - 8 * scale - (vs_w and vs_w + 10 * scale)
        unit = f" ({series.unit})" if series.unit and not entry.grouped else ""
        label = ellipsize(labels, fonts.regular, 14, name + unit, room)
        text_color = palette.text_faint if hidden else palette.text_dim
        w, _ = labels.text(fonts.regular, 14, (x, y), text_color, label, valign=0.5)
        x += w + 8 * scale
        labels.text(fonts.mono, 16, (x, y), color, reading, valign=0.5)
        if vs_w:
            draw_vs_baseline(*vs_args, x + reading_w + 10 * scale, y, color[:3])
    legend_scroll_hint(labels, len(incident.entries) - len(labels.layout.legend))


def legend_scroll_hint(labels: TextPlacer, not_shown: int) -> None:
    """``rows 1–4 of 12 ⇅`` right of a legend that does not show all its rows (the window
    scrolls it); in an exported frame, which cannot scroll, ``+16 entries not shown``."""
    layout = labels.layout
    if not layout.legend or len({c.y for c in layout.legend}) >= layout.legend_rows:
        return
    first = layout.legend_first_row + 1
    last = layout.legend_first_row + len({c.y for c in layout.legend})
    text = f"rows {first}–{last} of {layout.legend_rows} ⇅"
    if not layout.legend_scrolls:  # an exported frame or a storyboard's panel
        text = f"+{not_shown} {'entry' if not_shown == 1 else 'entries'} not shown"
    y = max(c.y for c in layout.legend)
    labels.text(labels.fonts.regular, 12, (labels.x1, y), layout.palette.text_faint, text, align=1,
              valign=0.5)  # fmt: skip


def member_labels(
    labels: TextPlacer, incident: Incident, t: float, emphasised: tuple[int, ...]
) -> None:
    """The highlighted members' labels at the end of their lines (the playhead), on dark
    plates, nudged apart so two never overlap."""
    placed: list[float] = []
    row_h = 15 * labels.scale
    palette = labels.layout.palette
    colors = series_colors(incident, palette) if emphasised else []
    for index in emphasised:
        series = incident.series[index]
        point = head_point(labels.layout, incident, index, t)
        if point is None:
            continue
        x, y = point
        for other in sorted(placed):
            if abs(y - other) < row_h:
                y = other + row_h
        placed.append(y)
        width = labels.measure(labels.fonts.regular, 12, series.label)
        left = min(x + 8 * labels.scale, labels.x1 - width - 4 * labels.scale)
        plate = (*palette.background[:3], 0.75)
        labels.dl.add_rect_filled((left - 3 * labels.scale, y - row_h / 2),
                                (left + width + 3 * labels.scale, y + row_h / 2),
                                u32(plate), 3.0)  # fmt: skip
        labels.text(labels.fonts.regular, 12, (left, y), (*colors[index], 1.0), series.label,
                  valign=0.5)  # fmt: skip


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


def family_swatch(dl, origin, width, base, hidden, scale, palette: Palette = PALETTE) -> None:
    """A group's legend sample: three thin lines in its colour family (in ``palette``)."""
    x, y = origin
    for rank, dy in enumerate((-4.0, 0.0, 4.0)):
        shade = palette.family(base, rank, 3)
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


def ellipsize(labels: TextPlacer, font, size: float, text: str, max_width: float) -> str:
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
