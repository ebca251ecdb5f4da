"""Time over each threshold up to a moment: live view's counters ("p99 over 200 ms for
4m 10s so far"). Pure numpy over the model.

The rules are :mod:`.thresholds`' (sample and hold, gaps pause the clock, blips count),
read up to ``t``: the latest sample seen holds until ``t`` (a dashboard shows it until the
next one arrives), the last sample of the data for no time. At the incident's end the
counter equals the threshold's ``time_outside``. Each threshold's running total is built
once per incident (one cumulative sum), so a frame's counters cost a ``searchsorted``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from .thresholds import compared_values

if TYPE_CHECKING:
    from ..model import Incident, Threshold

__all__ = ["time_outside_until"]


@functools.lru_cache(maxsize=32)  # per incident (by identity) and threshold; asked per frame
def _running(incident: Incident, threshold: Threshold) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample times, whether each is on the bad side, and the seconds spent on the bad
    side before each sample."""
    times, values = compared_values(incident, threshold)
    with np.errstate(invalid="ignore"):
        if threshold.bad == "above":
            bad = np.isfinite(values) & (values > threshold.value)
        else:
            bad = np.isfinite(values) & (values < threshold.value)
    holds = np.diff(times, append=times[-1]) if len(times) else times
    before = np.concatenate([[0.0], np.cumsum(np.where(bad, holds, 0.0))[:-1]])
    return times, bad, before[: len(times)]


def time_outside_until(incident: Incident, threshold: Threshold, t: float) -> float:
    """Seconds ``threshold``'s series (or group) spent on its bad side up to ``t``."""
    times, bad, before = _running(incident, threshold)
    index = int(np.searchsorted(times, t, side="right")) - 1
    if index < 0:
        return 0.0
    if index == len(times) - 1:  # the last sample holds for no time
        return float(before[index])
    return float(before[index] + (t - times[index] if bad[index] else 0.0))
