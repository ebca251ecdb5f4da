"""A series against its baseline (the same metric from a normal period): which side is
worse, where the two overlap, and the reading "vs baseline: +312 ms (×4.1)" at a time.

Pure numpy over the model, shared by the chart (the ghost line, the shaded band where the
incident is worse, the legend) and the window's tooltip.

Which side is worse: the series' own ``bad:`` when it gives one, else the bad side of its
(first) threshold, else above (latencies, error rates, queue depths are worse when higher;
a hit rate or an availability says ``bad: below``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..describe import format_reading

if TYPE_CHECKING:
    from ..model import Incident, Series, Side

__all__ = [
    "BaselineDelta",
    "baseline_delta",
    "baseline_overlap",
    "format_ratio",
    "format_vs_baseline",
    "worse_side",
]


def worse_side(incident: Incident, index: int) -> Side:
    """Which side of its baseline is worse for series ``index``: its ``bad:``, its
    threshold's bad side, else "above"."""
    series = incident.series[index]
    if series.bad is not None:
        return series.bad
    for threshold in incident.thresholds:
        if threshold.series_id == series.id:
            return threshold.bad
    return "above"


def baseline_overlap(series: Series) -> tuple[np.ndarray, np.ndarray]:
    """The baseline's samples inside the series' own span (what is drawn and read: a
    baseline longer than its series is cut to it); empty arrays without a baseline or
    an overlap."""
    baseline = series.baseline
    if baseline is None or not len(series.times) or not len(baseline.times):
        return np.zeros(0), np.zeros(0)
    first = int(np.searchsorted(baseline.times, series.times[0], side="left"))
    last = int(np.searchsorted(baseline.times, series.times[-1], side="right"))
    return baseline.times[first:last], baseline.values[first:last]


@dataclass(frozen=True)
class BaselineDelta:
    """The series and its baseline at one time: both values, the difference (series minus
    baseline), the ratio (None where the baseline is 0 or the signs differ) and whether
    the series is on the worse side."""

    value: float
    baseline: float
    difference: float
    ratio: float | None
    worse: bool


def baseline_delta(incident: Incident, index: int, t: float) -> BaselineDelta | None:
    """Series ``index`` against its baseline at ``t`` (each its latest sample at or before
    ``t``, as the legend reads); None without a baseline, outside their overlap or in a
    gap of either."""
    series = incident.series[index]
    value = series.value_at(t)
    times, values = baseline_overlap(series)
    if value is None or not len(times) or t > times[-1]:
        return None
    at = int(np.searchsorted(times, t, side="right")) - 1
    if at < 0 or np.isnan(values[at]):
        return None
    base = float(values[at])
    difference = value - base
    same_sign = (value > 0 and base > 0) or (value < 0 and base < 0)
    ratio = value / base if same_sign else None
    side = worse_side(incident, index)
    worse = difference > 0 if side == "above" else difference < 0
    return BaselineDelta(value, base, difference, ratio, worse)


def format_ratio(ratio: float) -> str:
    """``×4.1``, ``×12``, ``×0.44``."""
    if ratio >= 10:
        return f"×{ratio:,.0f}"
    if ratio >= 1:
        return f"×{ratio:.1f}"
    return f"×{ratio:.2f}"


def format_vs_baseline(series: Series, delta: BaselineDelta | None, *, prefix: bool = True) -> str:
    """``vs baseline: +312 ms (×4.1)`` (``prefix=False``: ``+312 ms (×4.1)``); "" without a
    reading."""
    if delta is None:
        return ""
    sign = "-" if delta.difference < 0 else "+"
    text = sign + format_reading(series, abs(delta.difference))
    if delta.ratio is not None:
        text += f" ({format_ratio(delta.ratio)})"
    return f"vs baseline: {text}" if prefix else text
