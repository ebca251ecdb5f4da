"""Pure numpy: what a heatmap draws in a layout, and what lies under the pointer.

Per layout, each histogram becomes a grid of cells as wide as the chart in pixels: each
pixel column holds the buckets of the time it shows (a time's counts hold until the next
time, like a series' reading; the last for the median spacing), or, where several times
share a pixel column (a long histogram in a narrow chart), their mean. Each cell's colour
is computed here (:mod:`.heatmap_colors`), packed in a u32, so the fragment shader only
looks its cell up. Each pixel row of the pane knows its bucket (-1 outside any), and the
top row of each bucket tall enough for it is flagged (``GAP_FLAG``) and drawn darker, a
line between buckets as Grafana's cell gap draws it. Cost: one ``reduceat`` per
layout over the histogram's rows; a 1,000 × 30 histogram at 1,280 px is ~40,000 cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..describe import bound_label
from .heatmap_axis import bucket_edges
from .heatmap_colors import heat_scale, pack_colors
from .uniforms import HEAT_GAP_FLAG, HEATMAP_DTYPE
from .value_axes import pane_histograms

if TYPE_CHECKING:
    from ..model import Histogram, Incident
    from .layout import ChartLayout
    from .value_axes import AxisLayout

__all__ = [
    "GAP_FLAG",
    "HeatCell",
    "PackedHeatmaps",
    "cell_at",
    "column_counts",
    "heat_axes",
    "heat_rows",
    "pack_heatmaps",
]

GAP_ROW_ABOVE_PX = 7.0  # buckets at least this tall get a one-pixel line between them
GAP_FLAG = HEAT_GAP_FLAG  # in a pixel row's bucket: the row is that line (heatmap.wgsl)


def heat_axes(incident: Incident, layout: ChartLayout) -> list[tuple[Histogram, AxisLayout]]:
    """Each histogram with its pane's (log) axis."""
    panes = pane_histograms(incident)
    return [(histogram, layout.axes[name]) for name, histogram in panes.items()]


def held_rows(times: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For each time in ``at``: the row whose counts hold then (the last at or before it,
    the last row only for the median spacing after it); -1 before the first or after."""
    rows = np.searchsorted(times, at, side="right") - 1
    hold = float(np.median(np.diff(times))) if len(times) > 1 else 1.0
    rows[(rows == len(times) - 1) & (at >= times[-1] + hold)] = -1
    return rows


def column_counts(histogram: Histogram, t_start: float, t_end: float, columns: int):
    """The counts each of ``columns`` pixel columns over [t_start, t_end] shows
    (columns × buckets; NaN: nothing there)."""
    times, counts = histogram.times, histogram.counts
    edges_t = t_start + (t_end - t_start) * np.arange(columns + 1) / columns
    centres = (edges_t[:-1] + edges_t[1:]) / 2
    rows = held_rows(times, centres)
    shown = np.where(rows[:, None] >= 0, counts[np.maximum(rows, 0)], np.nan)
    starts = np.searchsorted(times, edges_t[:-1], side="left")
    ends = np.searchsorted(times, edges_t[1:], side="left")
    crowded = np.flatnonzero(ends - starts > 1)  # several times in one pixel column
    if crowded.size:
        # Each crowded column's run [start, end): reduceat over interleaved bounds, every
        # other sum (a zero row makes an end at the last row a valid index).
        finite = np.isfinite(counts)
        padded = np.vstack([np.where(finite, counts, 0.0), np.zeros((1, counts.shape[1]))])
        seen_rows = np.vstack([finite, np.zeros((1, counts.shape[1]), bool)]).astype(np.int64)
        bounds = np.column_stack([starts[crowded], ends[crowded]]).ravel()
        sums = np.add.reduceat(padded, bounds, axis=0)[::2]
        seen = np.add.reduceat(seen_rows, bounds, axis=0)[::2]
        with np.errstate(invalid="ignore", divide="ignore"):
            shown[crowded] = np.where(seen > 0, sums / np.maximum(seen, 1), np.nan)
    return shown


def heat_rows(bounds: np.ndarray, axis: AxisLayout) -> np.ndarray:
    """The bucket of each pixel row of the pane, top to bottom (-1: none; ``GAP_FLAG``
    added: the line between it and the bucket above)."""
    edges = bucket_edges(bounds)
    ys = axis.offset + edges * axis.scale  # bucket b spans ys[b + 1] (top) to ys[b]
    centres = np.arange(axis.y0, axis.y1) + 0.5
    buckets = np.searchsorted(-ys, -centres, side="right") - 1
    buckets = np.where((buckets >= 0) & (buckets < len(bounds)), buckets, -1)
    if len(bounds) and float(np.min(ys[:-1] - ys[1:])) >= GAP_ROW_ABOVE_PX:
        tops = np.floor(ys[1:]).astype(int) - axis.y0  # each bucket's top row: the line
        tops = tops[(tops > 0) & (tops < len(buckets))]
        buckets[tops] = np.where(buckets[tops] >= 0, buckets[tops] | GAP_FLAG, -1)
    return buckets.astype(np.int32)


@dataclass(frozen=True)
class PackedHeatmaps:
    """Every heatmap of a layout: one record each, the cells and the rows of all."""

    records: np.ndarray  # HEATMAP_DTYPE
    cells: np.ndarray  # u32, packed RGBA
    rows: np.ndarray  # i32


def pack_heatmaps(incident: Incident, layout: ChartLayout) -> PackedHeatmaps:
    """The records, cells and rows of every histogram's heatmap in this layout."""
    chart, palette = layout.chart, layout.palette
    columns = max(chart.width, 1)
    heat = heat_axes(incident, layout)
    records = np.zeros(len(heat), dtype=HEATMAP_DTYPE)
    cells, rows, first_cell, first_row = [], [], 0, 0
    for record, (histogram, axis) in zip(records, heat, strict=True):
        counts = column_counts(histogram, layout.t_start, layout.t_end, columns)
        scale = heat_scale(histogram.counts)
        with np.errstate(invalid="ignore"):
            drawn = np.isfinite(counts) & (counts > 0)
        cells.append(pack_colors(palette, scale.position(np.nan_to_num(counts)), drawn).ravel())
        rows.append(heat_rows(histogram.bounds, axis))
        record["rect"] = (chart.x0, axis.y0, chart.x1, axis.y1)
        record["ghost"] = (*palette.background[:3], palette.ghost_mix)
        record["first_cell"], record["buckets"] = first_cell, len(histogram.bounds)
        record["first_row"], record["columns"] = first_row, columns
        first_cell += cells[-1].size
        first_row += rows[-1].size
    return PackedHeatmaps(
        records,
        np.concatenate(cells) if cells else np.zeros(0, np.uint32),
        np.concatenate(rows) if rows else np.zeros(0, np.int32),
    )


@dataclass(frozen=True)
class HeatCell:
    """The cell under the pointer: its histogram, bucket, time and count."""

    histogram: Histogram
    bucket: int
    row: int  # the histogram's time index
    count: float

    @property
    def bound(self) -> str:
        return bound_label(float(self.histogram.bounds[self.bucket]))


def cell_at(incident: Incident, layout: ChartLayout, x: float, y: float) -> HeatCell | None:
    """The heatmap cell at pixel (``x``, ``y``), if a heatmap is there (None: no count)."""
    chart = layout.chart
    if not chart.x0 <= x < chart.x1:
        return None
    for histogram, axis in heat_axes(incident, layout):
        if not axis.y0 <= y < axis.y1:
            continue
        bucket = int(heat_rows(histogram.bounds, axis)[int(y) - axis.y0])
        bucket = bucket & (GAP_FLAG - 1) if bucket >= 0 else -1
        row = int(held_rows(histogram.times, np.array([layout.to_t(x)]))[0])
        if bucket < 0 or row < 0:
            return None
        count = float(histogram.counts[row, bucket])
        return None if math.isnan(count) else HeatCell(histogram, bucket, row, count)
    return None
