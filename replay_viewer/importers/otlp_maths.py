"""The arithmetic of OTLP sums and histograms, pure numpy: per-second rates from cumulative
and delta sums (counter restarts included), each interval's bucket counts from cumulative
histogram points; quantiles from bucket counts (Prometheus's ``histogram_quantile``) are
:mod:`replay_viewer.analysis.histograms`, shared with the loader's heatmaps.

Times and start times are epoch seconds (a start of 0 is unknown); every function takes the
points of one stream sorted by time, with distinct times.
"""

from __future__ import annotations

import numpy as np

from ..analysis.histograms import bucket_quantiles

__all__ = ["bucket_quantiles", "cumulative_rates", "delta_rates", "interval_counts"]


def _restarted(starts: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """For each point after the first: did the stream start again since the point before?
    A later start time says so; so does a value below the one before (``dropped``)."""
    return dropped | (starts[1:] > starts[:-1])


def cumulative_rates(
    times: np.ndarray, starts: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The per-second rate of a monotonic cumulative sum at each point after the first (the
    first has nothing to compare with): the increase since the point before over the time
    since it. After a restart the new value is all increase, counted from the new start
    when that lies between the two points, else over the time since the point before."""
    times, starts, values = (np.asarray(a, dtype=np.float64) for a in (times, starts, values))
    if len(times) < 2:
        return times[:0], values[:0]
    with np.errstate(invalid="ignore"):
        restarted = _restarted(starts, values[1:] < values[:-1])
    from_start = restarted & (starts[1:] >= times[:-1]) & (starts[1:] < times[1:])
    span = np.where(from_start, times[1:] - starts[1:], np.diff(times))
    with np.errstate(over="ignore", invalid="ignore"):  # ±1e308 apart: ±inf, refused later
        increase = np.where(restarted, values[1:], np.diff(values))
    return times[1:], _per_second(increase, span)


def delta_rates(times: np.ndarray, starts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The per-second rate of a monotonic delta sum at each point: its value (the increase
    over its interval) over its interval, from its start time, or, where that is unknown,
    from the point before (the first point then has no rate: NaN)."""
    times, starts, values = (np.asarray(a, dtype=np.float64) for a in (times, starts, values))
    before = np.concatenate(([np.nan], times[:-1]))
    known = (starts > 0) & (starts < times)
    span = np.where(known, times - starts, times - before)
    return _per_second(values, span)


def _per_second(increase: np.ndarray, span: np.ndarray) -> np.ndarray:
    rates = np.full(len(increase), np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        usable = span > 0
        np.divide(increase, span, out=rates, where=usable)
    return rates


def interval_counts(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each interval's bucket counts from a cumulative histogram's points (rows of ``counts``,
    one column per bucket): the difference from the point before, or, after a restart (a
    later start time, or any bucket's count going down), the point's own counts. Returns
    the rows' indices (every point after the first) and their counts."""
    starts = np.asarray(starts, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    if len(counts) < 2:
        return np.arange(0), counts[:0]
    with np.errstate(invalid="ignore"):
        dropped = (counts[1:] < counts[:-1]).any(axis=1)
    restarted = _restarted(starts, dropped)
    with np.errstate(over="ignore", invalid="ignore"):
        window = np.where(restarted[:, None], counts[1:], counts[1:] - counts[:-1])
    return np.arange(1, len(counts)), window
