"""Pure numpy: the series' GPU records for a layout (points, envelope columns, styles) and
for a frame (heads, with the highlighted members).

Per layout, each visible series' drawn samples (:mod:`.columns`) are normalised to 0..1 —
time over the incident, value over the series' own data range, in f64 — so values such as
1e9 ± 100 keep their detail in 32-bit floats, and packed one series after another into one
points array and one envelope array; the style record maps 0..1 to pixels. Per frame, each
series' head (where its line is at the playhead) and whether it is highlighted.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..groups import worst_members
from .columns import group_envelope
from .style import DENSE, PALETTE, series_style
from .uniforms import BAND_DTYPE, GAP_VALUE, HEAD_DTYPE, POINT_DTYPE, SERIES_STYLE_DTYPE

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model import Incident, Series
    from .columns import Drawn
    from .layout import AxisLayout, ChartLayout
    from .style import Palette

__all__ = [
    "FAR_PX",
    "Normalisation",
    "PackedSeries",
    "band_records",
    "emphasised_members",
    "head_records",
    "line_point",
    "normalisation",
    "normalised",
    "pack_series",
    "series_arc_lengths",
    "series_colors",
    "series_styles",
]

# Pixel positions further out than this are off-chart anyway (and clipped); clamping keeps
# them finite in f32 when an explicit axis range is tiny compared with the data.
FAR_PX = 1.0e9


@dataclass(frozen=True)
class Normalisation:
    """value = low + u_v * span (and u_t over the incident's timeline)."""

    low: float
    span: float


def normalisation(series: Series) -> Normalisation:
    extent = series.value_extent
    low = extent[0] if extent else 0.0
    span = extent[1] - low if extent else 0.0
    return Normalisation(low, span if span > 0 else 1.0)


def normalised(values: np.ndarray, norm: Normalisation) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        scaled = (values - norm.low) / norm.span
    return np.where(np.isnan(values), GAP_VALUE, scaled)


def on_axis(norm: Normalisation, axis: AxisLayout) -> Normalisation:
    """How a series on ``axis`` normalises what it draws: its own range, or on a log axis
    (a heatmap's quantiles) the axis' range of log10 values."""
    if not axis.log:
        return norm
    low, high = math.log10(axis.low), math.log10(axis.high)
    return Normalisation(low, high - low)


def series_arc_lengths(
    times: np.ndarray, values: np.ndarray, layout: ChartLayout, axis: AxisLayout
) -> np.ndarray:
    """Pixel distance along the drawn line to each drawn point (for dash patterns)."""
    x = layout.time_offset + times * layout.time_scale
    mapped = np.nan_to_num(axis.axis_values(values))
    y = np.clip(axis.offset + mapped * axis.scale, -FAR_PX, FAR_PX)
    arc = np.zeros(len(x), dtype=np.float32)
    arc[1:] = np.cumsum(np.hypot(np.diff(x), np.diff(y)))
    return arc


@dataclass(frozen=True)
class PackedSeries:
    """Every visible series' points and envelope columns, one series after another, and
    each series' (first point, point count) for the highlighted members' draws."""

    points: np.ndarray  # POINT_DTYPE
    band: np.ndarray  # BAND_DTYPE
    ranges: dict[int, tuple[int, int]]


def band_records(
    t: np.ndarray, low: np.ndarray, high: np.ndarray, norm: Normalisation, index: int
) -> np.ndarray:
    columns = np.empty(len(t), dtype=BAND_DTYPE)
    columns["t"], columns["series"] = t, index
    columns["low"] = normalised(low, norm)
    columns["high"] = normalised(high, norm)
    return columns


def pack_series(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    drawn: Mapping[int, Drawn],
    norms: list[Normalisation],
) -> PackedSeries:
    """The points and envelope records of the series in ``drawn`` (by series index). An
    ungrouped dense series gets its own band; a group one band for all its members (under
    its first visible member's style)."""
    t0, t_span = incident.start, incident.end - incident.start
    point_parts, band_parts, ranges, first = [], [], {}, 0
    for index, series_drawn in drawn.items():
        count = len(series_drawn.times)
        part = np.empty(count, dtype=POINT_DTYPE)
        part["t"] = (series_drawn.times - t0) / t_span
        axis, norm = axes[index], on_axis(norms[index], axes[index])
        part["v"] = normalised(axis.axis_values(series_drawn.values), norm)
        part["arc"] = series_arc_lengths(series_drawn.times, series_drawn.values, layout,
                                         axes[index])  # fmt: skip
        part["series"] = index
        point_parts.append(part)
        ranges[index] = (first, count)
        first += count
        if series_drawn.envelope is not None and not incident.series[index].group:
            centres, low, high = series_drawn.envelope
            low, high = axis.axis_values(low), axis.axis_values(high)
            band_parts.append(band_records((centres - t0) / t_span, low, high, norm, index))
    width = layout.chart.width
    for entry in incident.entries:
        members = [i for i in entry.members if i in drawn]
        combined = group_envelope([drawn[i] for i in members], width) if entry.grouped else None
        if combined is not None:
            filled, low, high = combined
            t = layout.t_start + (layout.t_end - layout.t_start) * (filled + 0.5) / width
            band_parts.append(band_records((t - t0) / t_span, low, high, norms[members[0]],
                                            members[0]))  # fmt: skip
    points = np.concatenate(point_parts) if point_parts else np.zeros(0, POINT_DTYPE)
    band = np.concatenate(band_parts) if band_parts else np.zeros(0, BAND_DTYPE)
    return PackedSeries(points, band, ranges)


def _mix(a, b, amount: float) -> tuple[float, ...]:
    return tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True))


@functools.lru_cache(maxsize=4)  # per incident (by identity) and palette; asked per frame
def series_colors(
    incident: Incident, palette: Palette = PALETTE
) -> tuple[tuple[float, float, float], ...]:
    """Each series' colour as drawn in ``palette``: its own (a light palette's darker
    variant where it would not read), or for a group's member a shade of the group's
    colour (its first member's), so a group reads as one family."""
    colors = [palette.series_color(series.color) for series in incident.series]
    for entry in incident.entries:
        if entry.grouped:
            base = incident.series[entry.first].color
            for rank, index in enumerate(entry.members):
                colors[index] = palette.family(base, rank, len(entry.members))
    return tuple(colors)


def series_styles(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    norms: list[Normalisation],
    colors: tuple[tuple[float, float, float], ...],
) -> np.ndarray:
    """One style record per series: colours, widths, dashes, the 0..1 → pixel mapping of
    its normalised samples and its pane's vertical extent."""
    pr, palette = layout.pixel_ratio, layout.palette
    background, (toward, emphasis) = palette.background[:3], palette.emphasis
    styles = np.zeros(len(incident.series), dtype=SERIES_STYLE_DTYPE)
    t_span = incident.end - incident.start
    grouped = [False] * len(incident.series)
    bases = list(colors)  # the band's colour: a group's is its family's base colour
    for entry in incident.entries:
        for index in entry.members:
            grouped[index] = entry.grouped
            if entry.grouped:
                bases[index] = palette.series_color(incident.series[entry.first].color)
    for index, _series in enumerate(incident.series):
        style, color, norm = styles[index], colors[index], on_axis(norms[index], axes[index])
        line = series_style(incident.entry_of_series[index])
        member = grouped[index]
        style["color"] = (*color, DENSE.member_alpha if member else 1.0)
        style["emphasis_color"] = (*_mix(color, toward, emphasis), 1.0)
        ghost = _mix(background, color, palette.ghost_mix)
        style["ghost_color"] = (*ghost, DENSE.member_alpha if member else 1.0)
        style["width"] = (DENSE.member_width if member else line.width) * pr
        style["emphasis_width"] = DENSE.emphasis_width * pr
        dash = (0.0, 0.0) if member else line.dash
        style["dash_on"], style["dash_off"] = dash[0] * pr, dash[1] * pr
        axis = axes[index]
        to_pixel = (layout.to_x(incident.start), t_span * layout.time_scale,
                    axis.offset + norm.low * axis.scale, norm.span * axis.scale)  # fmt: skip
        style["to_pixel"] = np.clip(to_pixel, -FAR_PX, FAR_PX)
        band_alpha = DENSE.group_band_alpha if member else DENSE.band_alpha
        band = bases[index]
        style["band_color"] = (*band, band_alpha)
        style["band_ghost"] = (*_mix(background, band, palette.ghost_mix), band_alpha)
        style["clip"] = (axis.y0, axis.y1, 0.0, 0.0)
    return styles


# -- per frame -----------------------------------------------------------------------------


def line_point(times: np.ndarray, values: np.ndarray, t: float) -> tuple[float, float] | None:
    """Where the drawn line is at time ``t`` (linear between samples); None in a gap or
    before the first sample. After the last sample it stays on the last one."""
    count = len(times)
    if count == 0 or t < times[0]:
        return None
    index = int(np.searchsorted(times, t, side="right")) - 1
    if index >= count - 1:
        value = values[count - 1]
        return None if np.isnan(value) else (float(times[count - 1]), float(value))
    v0, v1 = values[index], values[index + 1]
    if np.isnan(v0) or np.isnan(v1):
        return None
    t0, t1 = times[index], times[index + 1]
    if t1 == t0:  # a repeated time: the line steps vertically; the head is on the later one
        return float(t), float(v1)
    fraction = (t - t0) / (t1 - t0)
    return t, float(v0 + (v1 - v0) * fraction)


def emphasised_members(
    incident: Incident, t: float, hidden: frozenset[str], pinned: frozenset[str]
) -> tuple[int, ...]:
    """The group members drawn highlighted at ``t``: each group's worst few at the playhead
    and the members the user highlighted (``pinned``), worst first."""
    emphasised: list[int] = []
    for entry in incident.entries:
        if entry.grouped:
            count = DENSE.highlighted_members
            emphasised += worst_members(incident, entry, t, hidden=hidden, count=count)
    for series_id in pinned:
        index = incident.index_by_id.get(series_id)
        if index is not None and index not in emphasised and series_id not in hidden:
            emphasised.append(index)
    return tuple(emphasised)


def head_records(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    t: float,
    emphasised: tuple[int, ...],
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Each series' head at ``t``: visible for ungrouped series and highlighted members
    (a group's other members have no head: hundreds of markers would hide the data)."""
    heads = np.zeros(len(incident.series), dtype=HEAD_DTYPE) if out is None else out
    heads["visible"] = 0.0
    heads["emphasis"] = 0.0
    heads["emphasis"][list(emphasised)] = 1.0
    for index, series in enumerate(incident.series):
        if series.id in layout.hidden or (series.group and index not in emphasised):
            continue
        point = line_point(series.times, series.values, t)
        if point is not None:
            y = min(max(axes[index].to_y(point[1]), -FAR_PX), FAR_PX)
            x = layout.to_x(point[0])
            heads[index]["position"] = (x if math.isfinite(x) else -FAR_PX, y)
            heads[index]["visible"] = 1.0
    return heads
