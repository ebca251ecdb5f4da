"""The incident model: what the loader produces and everything downstream reads.

The model is immutable (frozen dataclasses, tuples, read-only numpy arrays), so the
renderer and the window can hold on to it without copies and a reload simply swaps it.
Times are float seconds relative to T+0.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "EVENT_KINDS",
    "MAX_SERIES",
    "Event",
    "Incident",
    "Learning",
    "Outcome",
    "Series",
    "Threshold",
]

MAX_SERIES = 8  # the format's limit; also the size of the GPU's per-series uniform arrays

EVENT_KINDS = ("deploy", "detect", "alert", "diagnose", "mitigate", "recover", "resolve", "note")

EventKind = Literal[
    "deploy", "detect", "alert", "diagnose", "mitigate", "recover", "resolve", "note"
]
Axis = Literal["left", "right"]


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Series:
    """One metric series: sample times (s) and values, NaN where the data has a gap."""

    id: str
    label: str
    unit: str
    color: tuple[float, float, float]
    axis: Axis
    range: tuple[float, float] | None
    times: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "times", _readonly(np.asarray(self.times, dtype=np.float64)))
        object.__setattr__(self, "values", _readonly(np.asarray(self.values, dtype=np.float64)))

    @property
    def color_hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02x}" for c in self.color)

    def index_at(self, t: float) -> int:
        """Index of the last sample at or before ``t``; -1 if none."""
        return int(np.searchsorted(self.times, t, side="right")) - 1

    def value_at(self, t: float) -> float | None:
        """The latest observed value at or before ``t`` (sample-and-hold), None in a gap."""
        index = self.index_at(t)
        if index < 0:
            return None
        value = float(self.values[index])
        return None if np.isnan(value) else value

    def finite_values(self) -> np.ndarray:
        return self.values[np.isfinite(self.values)]


@dataclass(frozen=True)
class Threshold:
    series_id: str
    value: float
    label: str
    bad: Literal["above", "below"] = "above"


@dataclass(frozen=True)
class Event:
    at: float
    title: str
    detail: str = ""
    kind: EventKind = "note"


@dataclass(frozen=True)
class Learning:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    value: str
    label: str
    note: str = ""


@dataclass(frozen=True, eq=False)
class Incident:
    """A loaded incident. ``start``/``end`` span the whole replayable timeline."""

    id: str
    title: str
    series: tuple[Series, ...]
    start: float
    end: float
    subtitle: str = ""
    summary: str = ""
    severity: str = ""
    role: str = ""
    stack: tuple[str, ...] = ()
    started_at: dt.datetime | None = None
    thresholds: tuple[Threshold, ...] = ()
    events: tuple[Event, ...] = ()  # sorted by time, stable
    actions: tuple[str, ...] = ()
    learnings: tuple[Learning, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    source: Path | None = None

    @property
    def duration(self) -> float:
        """Time from T+0 to the end (what the header shows as the incident's duration)."""
        return self.end

    def series_by_id(self, series_id: str) -> Series:
        for series in self.series:
            if series.id == series_id:
                return series
        raise KeyError(series_id)

    @functools.cached_property
    def event_times(self) -> tuple[float, ...]:
        return tuple(event.at for event in self.events)

    def event_index_at(self, t: float) -> int:
        """Index of the latest event at or before ``t``; -1 if none has happened yet."""
        return bisect.bisect_right(self.event_times, t) - 1

    def wall_clock(self, t: float) -> dt.datetime | None:
        """Wall-clock time of ``t`` when ``started_at`` is known (and representable)."""
        if self.started_at is None:
            return None
        try:
            return self.started_at + dt.timedelta(seconds=t)
        except OverflowError:  # e.g. started_at near year 9999
            return None

    def sample_times(self) -> np.ndarray:
        """Every distinct sample time of every series, sorted (for stepping)."""
        return np.unique(np.concatenate([s.times for s in self.series]))
