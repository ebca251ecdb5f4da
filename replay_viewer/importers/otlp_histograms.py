"""OTLP explicit-bucket histograms → histograms drawn as heatmaps (``import otlp
--heatmap``).

One histogram per metric: each stream's (attribute set's) bucket counts per interval, as
per-second rates (cumulative points: the difference from the point before, a restart
counting afresh; delta points: their own counts over their interval), summed over the
streams at each time, as ``sum by (le) (rate(…))`` would. Bucket ``i`` of a point holds the
observations in ``(explicitBounds[i-1], explicitBounds[i]]``, the last one those above the
highest bound: the histogram's bounds are the explicit bounds and +Inf. Points whose
bounds differ from the metric's first are left out, with a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .common import ImportedHistogram, slug
from .otlp import CUMULATIVE
from .otlp_maths import interval_counts
from .otlp_series import _need_temporality, _ordered, readable_unit

if TYPE_CHECKING:
    from .otlp import Metric, Stream

__all__ = ["histograms_from_metrics"]


def histograms_from_metrics(metrics: list[Metric], warnings: list[str]) -> list[ImportedHistogram]:
    """The histogram of every histogram metric (the others are :mod:`.otlp_series`')."""
    found = []
    for metric in metrics:
        if metric.kind != "histogram":
            continue
        _need_temporality(metric, "its buckets become rates")
        parts, bounds = [], None
        for stream in metric.streams.values():
            times, starts, order = _ordered(stream, warnings)
            bounds = bounds or next((stream.bounds[i] for i in order), None)
            part = _stream_rates(metric, stream, (times, starts, order), bounds, warnings)
            if part is not None:
                parts.append(part)
        if parts and bounds is not None:
            found.append(_summed(metric, parts, bounds))
    return found


def _stream_rates(metric: Metric, stream: Stream, ordered, bounds, warnings):
    """(times, per-second rates: times × buckets) of one stream, or None."""
    times, starts, order = ordered
    same = [i for i in order if stream.bounds[i] == bounds]
    if len(same) < len(order):
        warnings.append(stream.doc.warning(stream.where, (
            f"{metric.name}: {len(order) - len(same)} points have other bucket bounds than "
            "the metric's first; left out of its heatmap"
        )))  # fmt: skip
    keep = np.isin(order, same)
    times, starts = times[keep], starts[keep]
    width = len(bounds) + 1
    counts = np.array([stream.values[i] if stream.values[i] is not None else [np.nan] * width
                       for i in same], dtype=np.float64).reshape(len(same), width)  # fmt: skip
    if metric.temporality == CUMULATIVE:
        index, counts = interval_counts(starts, counts)
        spans = np.diff(times)
        times = times[index]
    else:  # delta: each point's counts over its own interval (from the point before if unknown)
        before = np.concatenate(([np.nan], times[:-1]))
        spans = np.where((starts > 0) & (starts < times), times - starts, times - before)
    if not len(times):
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where((spans > 0)[:, None], counts / spans[:, None], np.nan)
    return times, rates


def _summed(metric: Metric, parts: list, bounds) -> ImportedHistogram:
    times = np.unique(np.concatenate([times for times, _ in parts]))
    total = np.full((len(times), len(bounds) + 1), np.nan)
    for part_times, rates in parts:
        at = np.searchsorted(times, part_times)
        held = total[at]
        total[at] = np.where(np.isnan(held), rates, held + np.nan_to_num(rates))
    streams = len(metric.streams)
    summed = f": {streams} streams summed" if streams > 1 else ""
    return ImportedHistogram(
        metric.name,
        times,
        np.array([*bounds, np.inf]),
        total,
        unit=readable_unit(metric.unit),
        count_unit="/s",
        source=f"rate({metric.name}) buckets{summed}",
        id=slug(metric.name),
    )
