"""A series' baseline (the same metric from a normal period) and the sample-array helpers the
model shares with it: read-only arrays and the extent of their finite values.

Beside :mod:`.model` in the model's layer (the model re-exports :class:`Baseline`); see
:mod:`.loader.baseline_schema` for how a file gives one and :mod:`.analysis.baselines` for
what is read from it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Baseline", "finite_extent", "readonly"]


def readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def finite_extent(values: np.ndarray) -> tuple[float, float] | None:
    """(min, max) of the finite values; None when there are none."""
    if not len(values):
        return None
    low, high = float(values.min()), float(values.max())  # NaN if a gap
    if low != low or high != high:
        if not np.isfinite(values).any():
            return None
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
    return low, high


@dataclass(frozen=True, eq=False)
class Baseline:
    """The same metric in a normal period, on the incident's T axis (times in seconds from
    T+0, NaN = gap): what the series is compared with. ``shift`` says how far back it was
    taken (seconds; None when the file does not say)."""

    times: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    shift: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "times", readonly(np.asarray(self.times, dtype=np.float64)))
        object.__setattr__(self, "values", readonly(np.asarray(self.values, dtype=np.float64)))

    @functools.cached_property
    def value_extent(self) -> tuple[float, float] | None:
        return finite_extent(self.values)
