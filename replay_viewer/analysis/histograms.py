"""Histogram arithmetic, pure numpy: quantiles from bucket counts the way Prometheus's
``histogram_quantile`` computes them, cumulative (``le``) buckets to each bucket's own
count, and the checks the loader makes of a data file's buckets.

Shared by the loader (a histogram's p50/p90/p99 lines), the importers (Prometheus ``le``
buckets, OTLP explicit-bucket histograms) and the tests; nothing here knows about files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..model import Histogram

__all__ = [
    "DEFAULT_QUANTILES",
    "bucket_quantiles",
    "decumulate",
    "first_decrease",
    "first_not_increasing",
    "histogram_quantile",
    "quantile_name",
]

DEFAULT_QUANTILES = (50.0, 90.0, 99.0)  # percent: the lines drawn over a heatmap


def quantile_name(percent: float) -> str:
    """``p50``, ``p99``, ``p99_9`` (a series id's part: no dot)."""
    return "p" + f"{percent:g}".replace(".", "_")


def bucket_quantiles(counts: np.ndarray, bounds: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile (0 < q < 1) of each row of bucket counts, as Prometheus's
    ``histogram_quantile``: find the bucket where the rank ``q × total`` falls and
    interpolate linearly inside it; the first bucket starts at 0 (or is its upper bound if
    that is not positive); a rank in the last bucket (up to +Inf) gives the highest finite
    bound. No observations (or no finite bound) is NaN.

    ``counts`` has ``len(bounds) + 1`` columns: bucket ``i`` holds the observations in
    ``(bounds[i-1], bounds[i]]``, the last one those above the highest bound."""
    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    bounds = np.asarray(bounds, dtype=np.float64)
    rows, width = counts.shape
    result = np.full(rows, np.nan)
    if width < 2 or width != len(bounds) + 1 or not rows:
        return result
    with np.errstate(invalid="ignore"):  # NaN rows (points without a value) stay NaN
        _fill_quantiles(result, np.cumsum(counts, axis=1), bounds, q)
    return result


def _fill_quantiles(result: np.ndarray, cumulative: np.ndarray, bounds: np.ndarray, q: float):
    rows, width = cumulative.shape
    total = cumulative[:, -1]
    rank = q * total
    reached = cumulative[:, :-1] >= rank[:, None]
    observed = total > 0
    last = width - 1  # the +Inf bucket
    bucket = np.where(reached.any(axis=1), reached.argmax(axis=1), last)
    finite = np.minimum(bucket, last - 1)
    previous = np.maximum(bucket - 1, 0)
    every = np.arange(rows)
    below = np.where(bucket > 0, cumulative[every, previous], 0.0)
    lower = np.where(bucket > 0, bounds[previous], 0.0)
    upper = bounds[finite]
    inside = cumulative[every, finite] - below
    interpolate = observed & (bucket < last) & (inside > 0)
    share = np.zeros(rows)
    np.divide(rank - below, inside, out=share, where=interpolate)
    result[interpolate] = (lower + (upper - lower) * share)[interpolate]
    result[observed & (bucket == last)] = bounds[-1]
    result[observed & (bucket == 0) & (bounds[0] <= 0)] = bounds[0]


def histogram_quantile(histogram: Histogram, percent: float) -> np.ndarray:
    """The ``percent`` quantile of ``histogram`` at each of its times (NaN where a time has
    no observations or a gap). Its bounds may end at +Inf (Prometheus, OTLP) or at a finite
    bound (nothing was counted above it)."""
    bounds, counts = histogram.bounds, histogram.counts
    if len(bounds) and np.isinf(bounds[-1]):
        return bucket_quantiles(counts, bounds[:-1], percent / 100)
    above = np.zeros((len(counts), 1))
    return bucket_quantiles(np.hstack([counts, above]), bounds, percent / 100)


def decumulate(cumulative: np.ndarray) -> np.ndarray:
    """Each bucket's own count from cumulative (``le``) counts, rows of buckets. A count
    below the one before it (rates of separately scraped buckets can be) counts as the one
    before, as ``histogram_quantile`` repairs it; NaN stays NaN."""
    cumulative = np.asarray(cumulative, dtype=np.float64)
    gaps = np.isnan(cumulative)
    repaired = np.fmax.accumulate(np.where(gaps, -np.inf, cumulative), axis=1)
    repaired = np.where(np.isinf(repaired), 0.0, repaired)
    with np.errstate(over="ignore", invalid="ignore"):  # ±1e308 apart: ±inf, refused later
        own = np.diff(repaired, axis=1, prepend=0.0)
    return np.where(gaps, np.nan, own)


def first_not_increasing(bounds: np.ndarray) -> int:
    """The index of the first bound not above the one before it; -1 if they increase."""
    bounds = np.asarray(bounds, dtype=np.float64)
    bad = ~(bounds[1:] > bounds[:-1])
    return int(np.argmax(bad)) + 1 if bad.any() else -1


def first_decrease(cumulative: np.ndarray) -> tuple[int, int] | None:
    """(row, bucket) of the first count below the bucket before it in its row (cumulative
    counts never go down from one bucket to the next); None when there is none. NaN is
    not compared (a gap)."""
    cumulative = np.atleast_2d(np.asarray(cumulative, dtype=np.float64))
    with np.errstate(invalid="ignore"):
        bad = cumulative[:, 1:] < cumulative[:, :-1]
    if not bad.any():
        return None
    row = int(np.argmax(bad.any(axis=1)))
    return row, int(np.argmax(bad[row])) + 1
