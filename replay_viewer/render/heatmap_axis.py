"""A heatmap pane's value axis: the histogram's buckets as rows on a log scale.

Bucket ``b`` holds the observations above the bound before it and up to its own bound, so
its row spans from ``log10(bounds[b-1])`` to ``log10(bounds[b])``. Two rows have no such
edge and get one as wide as their neighbour's step: the first bucket (its lower edge, 0,
has no logarithm; a bound of 0 or below is a row of the median step) and the +Inf bucket
(drawn one step above the highest finite bound, labelled ``+Inf``). Latency buckets are
mostly log-spaced (Prometheus' defaults, OTLP's), so rows are near even, as in Grafana's
heatmap. The quantile lines (p50, p99…) are drawn on the same axis: value → log10 → pixel.
Pure numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..describe import bound_label

if TYPE_CHECKING:
    from ..model import Histogram

__all__ = ["MIN_TICK_GAP_PT", "LogAxis", "bound_label", "bucket_edges", "log_axis"]

MIN_TICK_GAP_PT = 15.0  # bucket labels closer than this are thinned (13 pt text)


def bucket_edges(bounds: np.ndarray) -> np.ndarray:
    """The B + 1 row edges of B buckets, in log10 of the bounds' unit, increasing."""
    bounds = np.asarray(bounds, dtype=np.float64)
    positive = np.flatnonzero(np.isfinite(bounds) & (bounds > 0))
    logs = np.full(len(bounds), np.nan)
    logs[positive] = np.log10(bounds[positive])
    steps = np.diff(logs[positive])
    step = float(np.median(steps)) if len(steps) else 1.0
    if not positive.size:  # no positive finite bound: rows of one decade from 1
        logs = np.arange(len(bounds), dtype=np.float64)
    else:
        first, last = int(positive[0]), int(positive[-1])
        logs[:first] = logs[first] - step * np.arange(first, 0, -1)  # bounds of 0 or below
        after = np.arange(1, len(bounds) - last)
        logs[last + 1 :] = logs[last] + (float(steps[-1]) if len(steps) else step) * after
    lowest_step = logs[1] - logs[0] if len(logs) > 1 else step
    return np.concatenate(([logs[0] - lowest_step], logs))


@dataclass(frozen=True)
class LogAxis:
    """What :mod:`.value_axes` makes an ``AxisLayout`` of: ``y = offset + log10(v) * scale``,
    the values' range, ticks as (value, pixel row, label), the pane's caption."""

    low: float
    high: float
    scale: float
    offset: float
    ticks: tuple[tuple[float, int, str], ...]
    unit: str


def log_axis(histogram: Histogram, rows: tuple[int, int], pr: float) -> LogAxis:
    """The pane's log axis: every bucket a row, ticks at the bounds (thinned to fit)."""
    edges = bucket_edges(histogram.bounds)
    y0, y1 = rows
    scale = -(y1 - y0) / (edges[-1] - edges[0])
    offset = y1 - edges[0] * scale
    # Every k-th bound down from the highest (+Inf's row labelled), k as small as keeps
    # labels apart; three significant digits (0.0256289 reads as 0.0256).
    row_px = float(np.min(np.diff(edges))) * -scale
    stride = max(1, math.ceil(MIN_TICK_GAP_PT * pr / max(row_px, 1e-9)))
    ticks = []
    for index in range(len(histogram.bounds) - 1, -1, -stride):
        y = min(math.floor(offset + edges[index + 1] * scale), y1 - 1)
        ticks.append((float(10.0 ** edges[index + 1]), y,
                      bound_label(float(histogram.bounds[index]), digits=3)))  # fmt: skip
    ticks.reverse()
    unit = f"{histogram.label} ({histogram.unit})" if histogram.unit else histogram.label
    low, high = float(10.0 ** edges[0]), float(10.0 ** edges[-1])
    return LogAxis(low, high, scale, offset, tuple(ticks), unit)
