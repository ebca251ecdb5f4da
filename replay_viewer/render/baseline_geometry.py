"""Pure numpy: the baselines' GPU records for a layout, in the series' own buffers.

Each visible series with a baseline gets one more style record after the incident's
series (its *slot*, ``len(incident.series) + k``): the same 0..1 → pixel mapping and pane
as its series, a thin dashed line in a desaturated, faded shade of the series' colour, and
as its band colour the series' colour, translucent. The baseline's drawn points (its
samples in view, cut to the series' span; a dense baseline's column means) go into the
points buffer after the series' points, under the slot, so the one instanced line draw
draws them dashed; the band where the series is worse than its baseline goes into the
band buffer after the envelope columns, as a polyline of [low, high] at every vertex of
either line and where they cross, drawn as trapezoids under the lines (``series_band.wgsl``
``vs_worse``: a few wide triangles, where a rectangle per pixel column cost a software
rasteriser a third of a frame). Nothing per frame.
"""

from __future__ import annotations

import colorsys
from typing import TYPE_CHECKING

import numpy as np

from ..analysis.baselines import baseline_overlap, worse_side
from .columns import drawn_samples
from .series_geometry import FAR_PX, band_records, normalised, series_arc_lengths
from .style import BASELINE
from .uniforms import BAND_DTYPE, POINT_DTYPE

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model import Incident
    from .columns import Drawn
    from .layout import AxisLayout, ChartLayout
    from .series_geometry import Normalisation

__all__ = [
    "baseline_color",
    "baseline_slots",
    "baseline_styles",
    "drawn_baselines",
    "pack_baselines",
    "worse_band",
]


def baseline_slots(incident: Incident) -> dict[int, int]:
    """Series index → its baseline's style record, for every series with a baseline that
    overlaps it (what the style buffer holds beyond the series' records)."""
    slots: dict[int, int] = {}
    for index, series in enumerate(incident.series):
        if len(baseline_overlap(series)[0]):
            slots[index] = len(incident.series) + len(slots)
    return slots


def drawn_baselines(
    incident: Incident, layout: ChartLayout, drawn: Mapping[int, Drawn], slots: dict[int, int]
) -> dict[int, Drawn]:
    """What each visible series' baseline draws in this layout (by series index)."""
    result = {}
    for index in slots:
        if index in drawn:
            times, values = baseline_overlap(incident.series[index])
            result[index] = drawn_samples(times, values, layout.t_start, layout.t_end,
                                          layout.chart.width,
                                          has_gaps=bool(np.isnan(values).any()))  # fmt: skip
    return result


def worse_band(
    series: Drawn, baseline: Drawn, side: str, layout: ChartLayout
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The band between the series' line and its baseline's where the series is on the
    ``side`` ("above"/"below"), as (times, lows, highs) at every vertex of either line
    inside both (and the view), and where the lines cross: a trapezoid between each two
    (``series_band.wgsl``'s ``vs_worse``), zero high where the series is not worse, NaN at a
    gap of either."""
    empty = (np.zeros(0), np.zeros(0), np.zeros(0))
    if len(series.times) < 2 or len(baseline.times) < 2:
        return empty
    first = max(series.times[0], baseline.times[0], layout.t_start)
    last = min(series.times[-1], baseline.times[-1], layout.t_end)
    if not first < last:
        return empty
    t = np.union1d(np.union1d(series.times, baseline.times), (first, last))
    t = t[(t >= first) & (t <= last)]
    value = np.interp(t, series.times, series.values)  # NaN next to a gap
    base = np.interp(t, baseline.times, baseline.values)
    ahead = value - base if side == "above" else base - value  # > 0: worse
    with np.errstate(invalid="ignore"):
        cross = np.flatnonzero(ahead[:-1] * ahead[1:] < 0)
    if len(cross):  # where the lines cross, the band ends (or starts) at a point
        share = ahead[cross] / (ahead[cross] - ahead[cross + 1])
        at = t[cross] + (t[cross + 1] - t[cross]) * share
        level = value[cross] + (value[cross + 1] - value[cross]) * share
        t, value, base = (np.insert(x, cross + 1, y) for x, y in
                          ((t, at), (value, level), (base, level)))  # fmt: skip
        ahead = np.insert(ahead, cross + 1, 0.0)
    with np.errstate(invalid="ignore"):
        worse = ahead > 0
    low = np.where(worse, np.fmin(value, base), value)
    high = np.where(worse, np.fmax(value, base), value)
    gap = np.isnan(value) | np.isnan(base)
    low[gap] = high[gap] = np.nan
    return t, low, high


def pack_baselines(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    drawn: Mapping[int, Drawn],
    baselines: Mapping[int, Drawn],
    norms: list[Normalisation],
    slots: dict[int, int],
) -> tuple[np.ndarray, np.ndarray]:
    """The baselines' points and their worse bands (records under each baseline's slot),
    to follow the series' own in the points and band buffers."""
    t0, t_span = incident.start, incident.end - incident.start
    points, bands = [], []
    for index, line in baselines.items():
        slot, norm = slots[index], norms[index]
        part = np.empty(len(line.times), dtype=POINT_DTYPE)
        part["t"] = (line.times - t0) / t_span
        part["v"] = normalised(line.values, norm)
        part["arc"] = series_arc_lengths(line.times, line.values, layout, axes[index])
        part["series"] = slot
        points.append(part)
        centres, low, high = worse_band(drawn[index], line, worse_side(incident, index), layout)
        bands.append(band_records((centres - t0) / t_span, low, high, norm, slot))
    point_records = np.concatenate(points) if points else np.zeros(0, POINT_DTYPE)
    band = np.concatenate(bands) if bands else np.zeros(0, BAND_DTYPE)
    return point_records, band


def baseline_color(
    color: tuple[float, float, float], background: tuple[float, ...]
) -> tuple[float, float, float]:
    """The baseline's shade of a series colour: desaturated, then faded toward the
    background (lighter on a white page, darker on the dark one)."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*color)
    grey = colorsys.hls_to_rgb(hue, lightness, saturation * BASELINE.saturation)
    return tuple(g + (b - g) * BASELINE.fade for g, b in zip(grey, background[:3], strict=True))


def baseline_styles(
    styles: np.ndarray,
    incident: Incident,
    layout: ChartLayout,
    slots: dict[int, int],
    colors: tuple[tuple[float, float, float], ...],
) -> np.ndarray:
    """``styles`` (a record per series, from :func:`.series_styles`) followed by a record
    per baseline slot: its series' mapping and pane, a thin dashed desaturated line, the
    worse band in the series' colour."""
    pr, palette = layout.pixel_ratio, layout.palette
    background = palette.background[:3]
    records = np.zeros(len(incident.series) + len(slots), dtype=styles.dtype)
    records[: len(styles)] = styles
    for index, slot in slots.items():
        style = records[slot]
        style["to_pixel"], style["clip"] = styles[index]["to_pixel"], styles[index]["clip"]
        line = baseline_color(colors[index], background)
        style["color"] = style["emphasis_color"] = (*line, 1.0)
        ghost = [b + (c - b) * palette.ghost_mix for c, b in zip(line, background, strict=True)]
        style["ghost_color"] = (*ghost, 1.0)
        style["width"] = style["emphasis_width"] = BASELINE.width * pr
        style["dash_on"], style["dash_off"] = (d * pr for d in BASELINE.dash)
        alpha = BASELINE.worse_alpha
        style["band_color"] = (*colors[index], alpha)
        faded = [b + (c - b) * palette.ghost_mix for c, b in zip(colors[index], background,
                                                                   strict=True)]  # fmt: skip
        style["band_ghost"] = (*faded, alpha)
    records["to_pixel"] = np.clip(records["to_pixel"], -FAR_PX, FAR_PX)
    return records
