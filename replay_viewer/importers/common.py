"""What every importer shares: the imported data before it becomes YAML, the input error,
wall-clock parsing, series ids from labels and gaps from missing steps."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from ..loader.time_order import check_order, sort_by_time

__all__ = [
    "ImportInputError",
    "ImportedEvent",
    "ImportedSeries",
    "highest_peaks",
    "implied_step",
    "iso_utc",
    "mark_missing_steps",
    "parse_wall_clock",
    "series_ids",
    "slug",
    "sorted_samples",
    "varying_keys",
]


class ImportInputError(Exception):
    """The source cannot become an incident (exit 1). ``location`` is ``FILE:LINE:COL``,
    ``FILE`` or a URL without credentials; the message says what to do."""

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location

    def __str__(self) -> str:
        prefix = self.location or "replay-viewer"
        return f"{prefix}: error: {self.args[0]}"


@dataclass
class ImportedSeries:
    """One series as read: times in epoch seconds (or already T-relative seconds when the
    source has no wall clock), values with NaN for gaps."""

    label: str
    times: np.ndarray
    values: np.ndarray
    unit: str = ""
    source: str = ""  # where it came from, shown in the report (a query, a column…)
    id: str = ""  # filled from the label by series_ids() unless given
    group: str = ""  # the query (or file) it is one result of, when it gave several
    # Positioned warnings about the source (``FILE:LINE:COL: warning: …``): what was
    # repaired on the way (times repeated or out of order), printed on stderr.
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.times = np.asarray(self.times, dtype=np.float64)
        self.values = np.asarray(self.values, dtype=np.float64)


@dataclass
class ImportedEvent:
    at: float  # epoch seconds
    kind: str
    title: str
    detail: str = ""
    extra: dict = field(default_factory=dict)
    until: float | None = None  # epoch seconds: a span (an alert firing from at to until)


def parse_wall_clock(text: str, what: str = "--start") -> float:
    """ISO-8601 date-time (``Z``, an offset, or none = UTC) or epoch seconds → epoch s."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ImportInputError(
            f"{what} {text!r} is not a date-time; use ISO-8601 such as 2025-06-03T09:41:00Z "
            "(no offset means UTC) or epoch seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def iso_utc(epoch_s: float) -> str:
    """Epoch seconds → ``2025-06-03T09:41:00Z`` (milliseconds only when there are some)."""
    moment = dt.datetime.fromtimestamp(round(epoch_s, 3), dt.UTC)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def slug(text: str) -> str:
    """A series id (``[a-z0-9_-]+``, at most 40 characters) from any text."""
    base = re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_-")[:40].strip("_-")
    return base or "series"


def series_ids(series: list[ImportedSeries]) -> None:
    """Make every id valid and unique: from the label where none was given, ``_2``, ``_3``…
    after a repeated one."""
    taken: set[str] = set()
    for item in series:
        base = slug(item.id or item.label)
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}_{number}", number + 1
        item.id = candidate
        taken.add(candidate)


def sorted_samples(
    times: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str]]]:
    """Samples sorted by time (stably: repeated times keep their order) and, for what was
    out of order, ``(first index, message)`` per kind, as the loader says it for files."""
    order = check_order(times)
    times, values = sort_by_time(times, values, order)
    return times, values, order.messages("sample", "samples")


def varying_keys(label_sets: list[dict]) -> list[str]:
    """The label names whose values differ between the members of one query's results
    (what tells them apart: ``pod``, not the ``job`` they share), sorted."""
    keys = sorted({k for labels in label_sets for k in labels})
    return [k for k in keys if len({str(labels.get(k, "")) for labels in label_sets}) > 1]


def highest_peaks(series: list[ImportedSeries], count: int) -> list[int]:
    """The indices (in order) of the ``count`` series with the highest peak (finite
    maximum); ties keep the earlier series."""
    peaks = [float(np.nanmax(s.values)) if np.isfinite(s.values).any() else -np.inf for s in series]
    ranked = sorted(range(len(series)), key=lambda index: -peaks[index])
    return sorted(ranked[:count])


def mark_missing_steps(
    times: np.ndarray, values: np.ndarray, step: float
) -> tuple[np.ndarray, np.ndarray]:
    """Insert one gap (NaN) after every sample followed by a missing step, so the chart
    breaks the line there instead of drawing across the hole."""
    if len(times) < 2 or not step > 0:
        return times, values
    holes = np.flatnonzero(np.diff(times) > 1.5 * step)
    if not len(holes):
        return times, values
    new_times = np.insert(times, holes + 1, times[holes] + step)
    new_values = np.insert(values, holes + 1, np.nan)
    return new_times, new_values


def implied_step(all_times: list[np.ndarray]) -> float:
    """The step a set of series was sampled at: the smallest positive time difference
    (range queries return samples on exact multiples of their step). 0 if unknown."""
    diffs = [np.diff(t) for t in all_times if len(t) > 1]
    diffs = [d[d > 0] for d in diffs]
    positive = [float(d.min()) for d in diffs if len(d)]
    return min(positive) if positive else 0.0
