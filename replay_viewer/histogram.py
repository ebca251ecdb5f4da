"""The histogram model: bucketed observations over time (latency histograms), which the
loader reads from an incident's ``histograms:`` and the renderer draws as heatmaps.

Beside :mod:`.model` (layer 1, which re-exports it): immutable like the rest of the model
(a frozen dataclass, read-only numpy arrays).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Histogram"]


@dataclass(frozen=True, eq=False)
class Histogram:
    """Bucketed observations over time, drawn as a heatmap: at each of ``times`` (T,),
    each bucket's own count or rate (``counts``, T × B, NaN = a gap; not cumulative) of
    the observations up to its upper bound (``bounds``, B increasing; the last may be
    +inf) and above the bound before it. Its quantile lines are ordinary series whose
    ``histogram`` is its ``id``."""

    id: str
    label: str
    unit: str  # the bounds' (``s``)
    count_unit: str  # what a bucket's value counts (``req/s``); "" = observations
    times: np.ndarray = field(repr=False)
    bounds: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("times", "bounds", "counts"):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            value.flags.writeable = False
            object.__setattr__(self, name, value)
