"""Pure geometry and uniform maths: layout + time → the uniforms the GPU reads. numpy only
(no GPU), so every number the shaders get is unit-tested here.

Per layout: the layout uniform and the spotlight's size (the series' records are in
:mod:`.series_geometry`, the marker and rule instances in :mod:`.instances`). Per frame: the
frame uniform (:func:`frame_uniform`), which with the heads is all a scrub writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from .style import SPOTLIGHT
from .uniforms import FLAG_SRGB, FRAME_DTYPE, LAYOUT_DTYPE

if TYPE_CHECKING:
    from ..story import Caption
    from .layout import ChartLayout

__all__ = [
    "QUALITY_SAMPLES",
    "RenderOptions",
    "Spotlight",
    "calibrate_spotlight",
    "frame_uniform",
    "layout_uniform",
]

Quality = Literal["high", "standard"]
QUALITY_SAMPLES: dict[str, int] = {"high": 4, "standard": 1}


@dataclass(frozen=True)
class RenderOptions:
    """What to draw besides the data; everything here changes only uniforms or text."""

    ghost: bool = True  # show data after the playhead faintly (False: hide it)
    quality: Quality = "high"
    hover: tuple[float, float] | None = None  # pointer in logical points, inside the frame
    # Group members the user highlighted (ids), drawn bright beside each group's worst.
    highlight: frozenset[str] = frozenset()
    # A story moment's caption card and its opacity (0..1): captioned animations, a
    # captioned PNG, the presenter (render/caption_card.py).
    caption: tuple[Caption, float] | None = None


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
    # A light palette lights the grid more evenly: on paper a dark spot would be a stain.
    intensity, ambient = layout.palette.spotlight or (SPOTLIGHT.intensity, SPOTLIGHT.ambient)
    return Spotlight(radius, SPOTLIGHT.falloff, intensity, ambient)


# -- per layout ----------------------------------------------------------------------------


def layout_uniform(layout: ChartLayout, spotlight: Spotlight, *, srgb: bool) -> np.ndarray:
    data = np.zeros((), dtype=LAYOUT_DTYPE)
    data["frame_size"] = (layout.width, layout.height)
    data["pixel_ratio"] = layout.pixel_ratio
    data["flags"] = FLAG_SRGB if srgb else 0
    chart = layout.chart
    data["chart_rect"] = (chart.x0, chart.y0, chart.x1, chart.y1)
    data["time_map"] = (layout.time_scale, layout.time_offset, layout.t_start, layout.t_end)
    data["grid_x"] = (layout.grid_x.origin, layout.grid_x.spacing, layout.grid_x.major_every, 0)
    data["grid_y"] = (layout.grid_y.origin, layout.grid_y.spacing, layout.grid_y.major_every, 0)
    palette = layout.palette
    data["background"] = palette.background
    data["grid_minor"] = palette.grid_minor
    data["grid_major"] = palette.grid_major
    data["spotlight"] = (spotlight.radius_px, spotlight.falloff, spotlight.intensity,
                         spotlight.ambient)  # fmt: skip
    data["haze"] = palette.haze
    data["past_tint"] = palette.past_tint
    return data


# -- per frame -----------------------------------------------------------------------------


def frame_uniform(
    layout: ChartLayout, t: float, options: RenderOptions, out: np.ndarray | None = None
) -> np.ndarray:
    """The frame uniform for time ``t``: playhead, ghosting, crosshair and spotlight centre
    (the heads are :func:`.series_geometry.head_records`). Written into ``out`` when given
    (no allocation per frame)."""
    data = np.zeros((), dtype=FRAME_DTYPE) if out is None else out
    chart = layout.chart
    data["time"] = t
    playhead_x = math.floor(layout.to_x(t)) + 0.5
    playhead_x = min(max(playhead_x, chart.x0 + 0.5), chart.x1 - 0.5)
    data["playhead_x"] = playhead_x
    # Live view: what comes after the playhead does not exist yet, ghosted or not.
    ghost = options.ghost and layout.live is None
    data["ghost_alpha"] = layout.palette.ghost_strength if ghost else 0.0
    hover_x = -1.0
    spot = (playhead_x, (chart.y0 + chart.y1) / 2)
    if options.hover is not None:
        hx, hy = (v * layout.pixel_ratio for v in options.hover)
        if chart.x0 <= hx < chart.x1 and chart.y0 <= hy < chart.y1:
            hover_x = math.floor(hx) + 0.5
            spot = (hx, hy)
    data["hover_x"] = hover_x
    data["spot_center"] = spot
    return data
