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
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "DEFAULT_BURN_WINDOW",
    "DEFAULT_SERIES_COLORS",
    "DEFAULT_SLO_WINDOW",
    "EVENT_KINDS",
    "MAX_ABS_VALUE",
    "MAX_SERIES",
    "Event",
    "Incident",
    "Learning",
    "LegendEntry",
    "Outcome",
    "Series",
    "Slo",
    "Threshold",
    "default_series_color",
    "hex_to_rgb",
    "time_extent",
    "timeline_span",
]

# The format's limit on series per incident (per-pod, per-host and per-shard queries make
# hundreds); the GPU keeps per-series data in storage buffers sized to the incident.
MAX_SERIES = 1000

# Values are drawn in 32-bit floats; beyond this the chart cannot place them.
MAX_ABS_VALUE = 1e30

# Okabe-Ito-inspired palette that stays apart on a near-black background; the first two
# match the case study (rose p99, cyan hit rate). A series without a colour gets the one
# at its position in the file.
DEFAULT_SERIES_COLORS = (
    "#f43f5e",
    "#22d3ee",
    "#fbbf24",
    "#a78bfa",
    "#34d399",
    "#fb923c",
    "#60a5fa",
    "#e879f9",
)

# An SLO's defaults: the budget's window and the window its burn rate is measured over
# (the short window of the SRE workbook's fast-burn page, 14.4× over 1 h and 5 min).
DEFAULT_SLO_WINDOW = 30 * 86400.0
DEFAULT_BURN_WINDOW = 300.0

EVENT_KINDS = ("deploy", "detect", "alert", "diagnose", "mitigate", "recover", "resolve", "note")

EventKind = Literal[
    "deploy", "detect", "alert", "diagnose", "mitigate", "recover", "resolve", "note"
]
Axis = Literal["left", "right"]


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """``'#rrggbb'`` to RGB in 0..1."""
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (red, green, blue)


def default_series_color(index: int) -> tuple[float, float, float]:
    """The colour of the ``index``-th series (0-based) when the file gives none."""
    return hex_to_rgb(DEFAULT_SERIES_COLORS[index % len(DEFAULT_SERIES_COLORS)])


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
    # Members of one query's result (per pod, host, shard…) share a group: one legend entry,
    # one colour family. "" = not grouped.
    group: str = ""

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

    # Per-series facts that cost a pass over the samples, computed once (a series may hold
    # millions of samples; layouts and uploads ask for these on every resize).

    @functools.cached_property
    def value_extent(self) -> tuple[float, float] | None:
        """(min, max) of the finite values; None when there are none."""
        if not len(self.values):
            return None
        low, high = float(self.values.min()), float(self.values.max())  # NaN if a gap
        if low != low or high != high:
            if not np.isfinite(self.values).any():
                return None
            low, high = float(np.nanmin(self.values)), float(np.nanmax(self.values))
        return low, high

    @functools.cached_property
    def has_gaps(self) -> bool:
        return bool(np.isnan(self.values).any())

    @functools.cached_property
    def median_spacing(self) -> float:
        """Median time between samples (0 with fewer than two)."""
        return float(np.median(np.diff(self.times))) if len(self.times) > 1 else 0.0


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry: an ungrouped series, or a whole group (its members, in file
    order). ``members`` are indices into ``Incident.series``."""

    name: str
    members: tuple[int, ...]
    grouped: bool

    @property
    def first(self) -> int:
        return self.members[0]


@dataclass(frozen=True)
class Threshold:
    series_id: str
    value: float
    label: str
    bad: Literal["above", "below"] = "above"
    # How long the series must stay on one side for a breach or a recovery to count
    # (seconds); None: the analysis' default (60 s, ``validate --sustain``).
    sustain: float | None = None


@dataclass(frozen=True)
class Slo:
    """A service level objective on one series (or its group): the share of the ``window``
    the series must spend on its good side. A moment is good when the value is
    ``good`` ("below" or "above") ``bound``, the bound itself included when ``inclusive``.
    Rules and numbers: :mod:`replay_viewer.analysis.slo`."""

    series_id: str
    objective: float  # percent, strictly between 0 and 100
    good: Literal["below", "above"]
    bound: float
    inclusive: bool = True  # ``below 250`` and ``<= 250``: 250 is good; ``< 250``: bad
    window: float = DEFAULT_SLO_WINDOW  # seconds the budget is for (30 days)
    label: str = ""  # "" = the series' label
    budget_spent_before: float = 0.0  # percent of the budget spent before the incident
    burn_window: float = DEFAULT_BURN_WINDOW  # seconds the burn rate is measured over

    @property
    def rule(self) -> str:
        """The good side in symbols: ``≤ 250``, ``> 99``."""
        symbol = {("below", True): "≤", ("below", False): "<", ("above", True): "≥",
                  ("above", False): ">"}[self.good, self.inclusive]  # fmt: skip
        return f"{symbol} {self.bound:g}"


@dataclass(frozen=True)
class Event:
    """One event of the timeline. ``line``/``column`` (1-based; 0 when not read from a
    file) are where its mapping starts in the incident file, so that an edit can address
    "this event in the file"; they are not part of its value (equality ignores them)."""

    at: float
    title: str
    detail: str = ""
    kind: EventKind = "note"
    until: float | None = None  # a span (an alert firing, a deploy rolling) ends here
    star: bool = False  # the author marked it as one the story is told by
    # Where the event is written in its file (1-based; 0: not from a file), so that an
    # edit can address it and a warning point there. Not part of what the event is.
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    @property
    def is_span(self) -> bool:
        return self.until is not None

    def open_at(self, t: float) -> bool:
        """A span that has begun and not yet ended at ``t``."""
        return self.until is not None and self.at <= t < self.until


@dataclass(frozen=True)
class Learning:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    value: str
    label: str
    note: str = ""
    line: int = field(default=0, compare=False)  # where it is written (0: not from a file)
    column: int = field(default=0, compare=False)


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
    slos: tuple[Slo, ...] = ()  # the ``slo`` list, in file order
    events: tuple[Event, ...] = ()  # sorted by time, stable
    actions: tuple[str, ...] = ()
    learnings: tuple[Learning, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    source: Path | None = None
    # Positioned warnings the loader found (``file:line:col: warning: …``): the incident
    # loaded, but something in it was repaired (e.g. repeated or unordered sample times).
    warnings: tuple[str, ...] = ()
    # The data files its series were read from (resolved paths), so that a window can
    # reload when one of them changes, not only the incident file.
    data_files: tuple[Path, ...] = ()

    @property
    def duration(self) -> float:
        """Time from T+0 to the end (what the header shows as the incident's duration)."""
        return self.end

    @functools.cached_property
    def entries(self) -> tuple[LegendEntry, ...]:
        """The legend's entries in file order: each ungrouped series, and each group once
        (at its first member)."""
        entries: list[LegendEntry] = []
        groups: dict[str, list[int]] = {}
        for index, series in enumerate(self.series):
            if not series.group:
                entries.append(LegendEntry(series.label, (index,), grouped=False))
            elif series.group in groups:
                groups[series.group].append(index)
            else:
                groups[series.group] = [index]
                entries.append(LegendEntry(series.group, (), grouped=True))
        return tuple(
            LegendEntry(e.name, tuple(groups[e.name]), True) if e.grouped else e for e in entries
        )

    @functools.cached_property
    def entry_of_series(self) -> tuple[int, ...]:
        """For each series, the index of its legend entry."""
        owner = [0] * len(self.series)
        for number, entry in enumerate(self.entries):
            for index in entry.members:
                owner[index] = number
        return tuple(owner)

    @functools.cached_property
    def index_by_id(self) -> dict[str, int]:
        return {series.id: index for index, series in enumerate(self.series)}

    def series_by_id(self, series_id: str) -> Series:
        return self.series[self.index_by_id[series_id]]

    @functools.cached_property
    def event_times(self) -> tuple[float, ...]:
        return tuple(event.at for event in self.events)

    def spans_open_at(self, t: float) -> list[Event]:
        """The spans (events with ``until``) open at ``t``, in order of their start."""
        return [event for event in self.events if event.open_at(t)]

    def event_index_at(self, t: float) -> int:
        """Index of the latest event at or before ``t``; -1 if none has happened yet."""
        return bisect.bisect_right(self.event_times, t) - 1

    def wall_clock(self, t: float) -> dt.datetime | None:
        """Wall-clock time of ``t`` when ``started_at`` is known (and representable), in
        ``started_at``'s own zone (naive stays naive: it means UTC).

        The seconds are added in UTC: adding a timedelta to an aware datetime is wall-time
        arithmetic in Python, which is wrong by the shift across a daylight-saving change.
        """
        start = self.started_at
        if start is None:
            return None
        try:
            if start.tzinfo is None:
                return start + dt.timedelta(seconds=t)
            return (start.astimezone(dt.UTC) + dt.timedelta(seconds=t)).astimezone(start.tzinfo)
        except (OverflowError, ValueError):  # e.g. started_at near year 9999
            return None

    def time_of(self, when: dt.datetime) -> float | None:
        """Seconds from T+0 of the wall-clock time ``when`` (naive means UTC), the inverse of
        :meth:`wall_clock`; None without ``started_at``."""
        if self.started_at is None:
            return None
        # In UTC: two datetimes of one zone subtract as wall times (wrong across DST).
        start, when = (
            (w if w.tzinfo else w.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
            for w in (self.started_at, when)
        )
        return (when - start).total_seconds()

    def sample_times(self) -> np.ndarray:
        """Every distinct sample time of every series, sorted (for stepping)."""
        return np.unique(np.concatenate([s.times for s in self.series]))


def time_extent(series: Sequence[Series], events: Sequence[Event]) -> tuple[float, float]:
    """Earliest and latest sample or event time, widened to contain T+0."""
    times = [float(s.times[0]) for s in series if len(s.times)]
    times += [float(s.times[-1]) for s in series if len(s.times)]
    times += [e.at for e in events]
    times += [e.until for e in events if e.until is not None]
    return min([0.0, *times]), max([0.0, *times])


def timeline_span(
    series: Sequence[Series], events: Sequence[Event], duration: float | None
) -> tuple[float, float]:
    """The replayable timeline ``(start, end)`` of an incident.

    It always contains T+0: from ``min(0, earliest)`` to ``duration`` (default:
    ``max(0, latest)``), so an incident with only a baseline still has its trigger. A
    single instant still gets a one-second timeline.
    """
    start, latest = time_extent(series, events)
    end = latest if duration is None else duration
    if end <= start:
        end = start + 1.0
    return start, end


def empty_incident(title: str) -> Incident:
    """An incident with nothing in it: what the window shows while the file it was asked to
    open has errors (the errors show above it, and the file is watched until it loads)."""
    series = Series("none", "no data", "", (0.5, 0.5, 0.5), "left", None, [0.0], [np.nan])
    return Incident(id="none", title=title, series=(series,), start=0.0, end=60.0)
