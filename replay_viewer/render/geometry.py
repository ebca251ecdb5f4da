"""Pure geometry and uniform maths: incident + layout + time → the numpy records the GPU
reads. numpy only (no GPU), so every number the shaders get is unit-tested here.

Per incident: each series' samples, normalised to 0..1 in f64 (:func:`normalise_series`).
Per layout: the layout uniform, each series' style and arc lengths (the marker and rule
instances are in :mod:`.instances`). Per frame: the frame uniform
(:func:`frame_uniform`), the only thing a scrub writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from .style import PALETTE, RULES, SPOTLIGHT, series_style
from .uniforms import (
    FRAME_DTYPE,
    LAYOUT_DTYPE,
    SERIES_STYLE_DTYPE,
)

if TYPE_CHECKING:
    from ..model import Incident, Series
    from .layout import AxisLayout, ChartLayout

__all__ = [
    "GAP_VALUE",
    "QUALITY_SAMPLES",
    "NormalisedSeries",
    "RenderOptions",
    "Spotlight",
    "calibrate_spotlight",
    "frame_uniform",
    "layout_uniform",
    "line_point",
    "normalise_series",
    "series_arc_lengths",
    "series_style_uniform",
]

Quality = Literal["high", "standard"]
QUALITY_SAMPLES: dict[str, int] = {"high": 4, "standard": 1}
GAP_VALUE = 1.0e38  # matches GAP_VALUE in series_line.wgsl
# Pixel positions further out than this are off-chart anyway (and scissored); clamping keeps
# them finite in f32 when an explicit axis range is tiny compared with the data.
FAR_PX = 1.0e9


@dataclass(frozen=True)
class RenderOptions:
    """What to draw besides the data; everything here changes only uniforms or text."""

    ghost: bool = True  # show data after the playhead faintly (False: hide it)
    quality: Quality = "high"
    hover: tuple[float, float] | None = None  # pointer in logical points, inside the frame


@dataclass(frozen=True)
class Spotlight:
    radius_px: float
    falloff: float
    intensity: float
    ambient: float


def calibrate_spotlight(layout: ChartLayout) -> Spotlight:
    """The spotlight for this chart size and pixel ratio: wide enough to light a few grid
    cells around the playhead at any size, never the whole chart."""
    pr = layout.pixel_ratio
    radius = SPOTLIGHT.width_share * layout.chart.width
    radius = min(max(radius, SPOTLIGHT.min_radius * pr), SPOTLIGHT.max_radius * pr)
    return Spotlight(radius, SPOTLIGHT.falloff, SPOTLIGHT.intensity, SPOTLIGHT.ambient)


# -- per incident ------------------------------------------------------------------------


@dataclass(frozen=True)
class NormalisedSeries:
    """(u_t, u_v) pairs in f32 and the f64 mapping back: value = low + u_v * span."""

    packed: np.ndarray  # (N, 2) float32
    low: float
    span: float


def normalise_series(series: Series, incident: Incident) -> NormalisedSeries:
    """Time over the incident and value over the series' own data range, in f64, so values
    such as 1e9 ± 100 keep their detail in 32-bit floats; gaps become GAP_VALUE."""
    extent = series.value_extent
    low = extent[0] if extent else 0.0
    span = extent[1] - low if extent else 0.0
    span = span if span > 0 else 1.0
    packed = np.empty((len(series.times), 2), dtype=np.float32)
    packed[:, 0] = (series.times - incident.start) / (incident.end - incident.start)
    with np.errstate(invalid="ignore"):
        normalised = (series.values - low) / span
    packed[:, 1] = np.where(np.isnan(series.values), GAP_VALUE, normalised)
    return NormalisedSeries(packed, low, span)


# -- per layout ----------------------------------------------------------------------------


def layout_uniform(layout: ChartLayout, spotlight: Spotlight, *, srgb: bool) -> np.ndarray:
    data = np.zeros((), dtype=LAYOUT_DTYPE)
    data["frame_size"] = (layout.width, layout.height)
    data["pixel_ratio"] = layout.pixel_ratio
    data["flags"] = 1 if srgb else 0
    chart = layout.chart
    data["chart_rect"] = (chart.x0, chart.y0, chart.x1, chart.y1)
    data["time_map"] = (layout.time_scale, layout.time_offset, layout.t_start, layout.t_end)
    data["grid_x"] = (layout.grid_x.origin, layout.grid_x.spacing, layout.grid_x.major_every, 0)
    data["grid_y"] = (layout.grid_y.origin, layout.grid_y.spacing, layout.grid_y.major_every, 0)
    data["background"] = PALETTE.background
    data["grid_minor"] = PALETTE.grid_minor
    data["grid_major"] = PALETTE.grid_major
    data["spotlight"] = (spotlight.radius_px, spotlight.falloff, spotlight.intensity,
                         spotlight.ambient)  # fmt: skip
    return data


def _mix(a, b, amount: float) -> tuple[float, ...]:
    return tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True))


def series_style_uniform(
    incident: Incident,
    index: int,
    layout: ChartLayout,
    axis: AxisLayout,
    normalised: NormalisedSeries,
) -> np.ndarray:
    """The ``index``-th series' style uniform: colour, width, dashes, and the 0..1 → pixel
    mapping of its normalised samples."""
    series = incident.series[index]
    pr = layout.pixel_ratio
    line = series_style(index)
    style = np.zeros((), dtype=SERIES_STYLE_DTYPE)
    style["color"] = (*series.color, 1.0)
    style["ghost_color"] = (*_mix(PALETTE.background[:3], series.color, RULES.ghost_mix), 1.0)
    style["width"] = line.width * pr
    t_span = incident.end - incident.start
    to_pixel = (
        layout.to_x(incident.start),
        t_span * layout.time_scale,
        axis.to_y(normalised.low),
        normalised.span * axis.scale,
    )
    style["to_pixel"] = np.clip(to_pixel, -FAR_PX, FAR_PX)
    style["dash_on"] = line.dash[0] * pr
    style["dash_off"] = line.dash[1] * pr
    return style


def series_arc_lengths(
    times: np.ndarray, values: np.ndarray, layout: ChartLayout, axis: AxisLayout
) -> np.ndarray:
    """Pixel distance along the drawn line to each drawn point (for dash patterns)."""
    x = layout.time_offset + times * layout.time_scale
    y = np.clip(axis.offset + np.nan_to_num(values) * axis.scale, -FAR_PX, FAR_PX)
    arc = np.zeros(len(x), dtype=np.float32)
    arc[1:] = np.cumsum(np.hypot(np.diff(x), np.diff(y)))
    return arc


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
    fraction = (t - t0) / (t1 - t0)
    return t, float(v0 + (v1 - v0) * fraction)


def frame_uniform(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    t: float,
    options: RenderOptions,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """The frame uniform for time ``t``: playhead, ghosting, crosshair, spotlight centre and
    each series' head. Written into ``out`` when given (no allocation per frame)."""
    data = np.zeros((), dtype=FRAME_DTYPE) if out is None else out
    chart = layout.chart
    data["time"] = t
    playhead_x = math.floor(layout.to_x(t)) + 0.5
    playhead_x = min(max(playhead_x, chart.x0 + 0.5), chart.x1 - 0.5)
    data["playhead_x"] = playhead_x
    data["ghost_alpha"] = RULES.ghost_strength if options.ghost else 0.0
    hover_x = -1.0
    spot = (playhead_x, (chart.y0 + chart.y1) / 2)
    if options.hover is not None:
        hx, hy = (v * layout.pixel_ratio for v in options.hover)
        if chart.x0 <= hx < chart.x1 and chart.y0 <= hy < chart.y1:
            hover_x = math.floor(hx) + 0.5
            spot = (hx, hy)
    data["hover_x"] = hover_x
    data["spot_center"] = spot
    heads = data["heads"]
    heads[:] = 0.0
    for index, series in enumerate(incident.series):
        if series.id in layout.hidden:
            continue
        point = line_point(series.times, series.values, t)
        if point is not None:
            y = min(max(axes[index].to_y(point[1]), -FAR_PX), FAR_PX)
            heads[index] = (layout.to_x(point[0]), y, 1.0, 0.0)
    return data
