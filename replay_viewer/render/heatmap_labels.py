"""Each heatmap's colour scale: a bar right of its pane, shaded along the ramp from few
(bottom) to many (top), with the counts at a few places along it and the counts' unit
above it. Drawn through :class:`.labels.ChartLabels` (a
:class:`.legend_labels.TextPlacer`) in the text pass."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .draw_list import u32
from .heatmap_colors import heat_scale, ramp_colors
from .heatmap_geometry import heat_axes

if TYPE_CHECKING:
    from ..model import Incident
    from .heatmap_colors import HeatScale
    from .legend_labels import TextPlacer

__all__ = ["draw_heat_scales", "scale_ticks"]

BAR_PT = (9.0, 8.0)  # the bar's gap from the chart and its width
SEGMENTS = 24  # gradient steps along the bar


def scale_ticks(scale: HeatScale, count: int = 4) -> list[tuple[float, float]]:
    """(position along the bar 0..1, count) for labels: 0, the top, and counts rounded to
    two significant digits near even steps between (the scale is a square root, so even
    steps along the bar are uneven counts)."""
    ticks = [(0.0, 0.0)]
    for k in range(1, count):
        value = scale.count_at(k / count)
        if value > 0:
            digits = 1 - math.floor(math.log10(value))
            value = round(value, digits)
            ticks.append((float(scale.position(np.array(value))), value))
    ticks.append((1.0, scale.high))
    return ticks


def compact(value: float) -> str:
    """``0``, ``0.35``, ``12``, ``450``, ``1.2k``, ``3.4M``: a colour scale's label."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.2g}" if abs(value) < 1 else f"{value:.3g}"


def draw_heat_scales(labels: TextPlacer, incident: Incident) -> None:
    layout = labels.layout
    pr, scale, fonts, palette = layout.pixel_ratio, labels.scale, labels.fonts, layout.palette
    for histogram, axis in heat_axes(incident, layout):
        counts = heat_scale(histogram.counts)
        x0 = layout.chart.x1 / pr + BAR_PT[0] * scale
        x1 = x0 + BAR_PT[1] * scale
        top, bottom = axis.y0 / pr + 16 * scale, axis.y1 / pr - 1
        if bottom - top < 24 * scale:
            continue
        colors = ramp_colors(palette, np.linspace(0.0, 1.0, SEGMENTS + 1))
        step = (bottom - top) / SEGMENTS
        for k in range(SEGMENTS):  # bottom up: few to many
            low, high = u32((*colors[k], 1.0)), u32((*colors[k + 1], 1.0))
            y_low, y_high = bottom - k * step, bottom - (k + 1) * step
            labels.dl.add_rect_filled_multi_color((x0, y_high), (x1, y_low), high, high, low, low)
        labels.dl.add_rect((x0, top), (x1, bottom), u32(palette.axis))
        last = math.inf
        for position, value in scale_ticks(counts):
            y = bottom - position * (bottom - top)
            if last - y < 13 * scale and position < 1.0:
                continue
            labels.text(fonts.regular, 11, (x1 + 4 * scale, y), palette.text_dim,
                        compact(value), valign=0.5)  # fmt: skip
            last = y
        unit = histogram.count_unit or "count"
        labels.text(fonts.bold, 11, ((x0 + x1) / 2, top - 4 * scale), palette.text_faint, unit,
                    align=0.5, valign=1)  # fmt: skip
