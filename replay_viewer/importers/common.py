"""What every importer shares: the imported data before it becomes YAML, the input error,
wall-clock parsing, series ids from labels and gaps from missing steps."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import yaml

from ..loader.time_order import check_order, sort_by_time
from ..model import EVENT_KINDS

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "OUTSIDE_THE_YEARS",
    "WALL_CLOCK_SECONDS",
    "ImportInputError",
    "ImportedEvent",
    "ImportedHistogram",
    "ImportedSeries",
    "csv_rows",
    "first_bad_time",
    "highest_peaks",
    "implied_step",
    "iso_time",
    "iso_utc",
    "kind_pairs",
    "mark_missing_steps",
    "parse_wall_clock",
    "quote",
    "scaled",
    "series_ids",
    "slug",
    "sorted_samples",
    "split_title",
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
    # The same query run ``baseline_shift`` seconds earlier, its times moved forward by
    # that much (epoch seconds, like ``times``): written as the series' ``baseline:``.
    baseline: tuple[np.ndarray, np.ndarray] | None = None
    baseline_shift: float | None = None

    def __post_init__(self) -> None:
        self.times = np.asarray(self.times, dtype=np.float64)
        self.values = np.asarray(self.values, dtype=np.float64)


@dataclass
class ImportedHistogram:
    """One histogram as read: times (epoch seconds, or T-relative as for series), its
    buckets' upper bounds (increasing, the last usually +inf) and each bucket's own count
    or rate at each time (times × buckets, not cumulative; NaN for a gap)."""

    label: str
    times: np.ndarray
    bounds: np.ndarray
    counts: np.ndarray
    unit: str = ""  # the bounds' (s)
    count_unit: str = ""  # the counts' (/s for rates)
    source: str = ""
    id: str = ""
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.times = np.asarray(self.times, dtype=np.float64)
        self.bounds = np.asarray(self.bounds, dtype=np.float64)
        self.counts = np.asarray(self.counts, dtype=np.float64).reshape(len(self.times), -1)


@dataclass
class ImportedEvent:
    at: float  # epoch seconds
    kind: str
    title: str
    detail: str = ""
    extra: dict = field(default_factory=dict)
    until: float | None = None  # epoch seconds: a span (an alert firing from at to until)


# The epoch seconds a wall clock can show: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z,
# the years the loader's started_at (and Python's datetime) can hold.
WALL_CLOCK_SECONDS = (-62135596800.0, 253402300799.0)
OUTSIDE_THE_YEARS = "outside the years 1 to 9999 that a wall clock can show"


def first_bad_time(times: np.ndarray) -> tuple[int, str] | None:
    """The first of ``times`` (epoch seconds) that is not a finite number or not on a wall
    clock (years 1 to 9999), and what to say of it; ``None`` when all are fine."""
    low, high = WALL_CLOCK_SECONDS
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(~((times >= low) & (times <= high)))
    if not len(bad):
        return None
    index = int(bad[0])
    if not math.isfinite(times[index]):
        return index, "time is not a finite number"
    return index, f"time is {OUTSIDE_THE_YEARS}"


def parse_wall_clock(text: str, what: str = "--start") -> float:
    """ISO-8601 date-time (``Z``, an offset, or none = UTC) or epoch seconds → epoch s."""
    text = text.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return _on_wall_clock(seconds, text, what)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ImportInputError(
            f"{what} {text!r} is not a date-time; use ISO-8601 such as 2025-06-03T09:41:00Z "
            "(no offset means UTC) or epoch seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return _on_wall_clock(moment.timestamp(), text, what)  # year 1 or 9999 and an offset


def _on_wall_clock(seconds: float, text: str, what: str) -> float:
    problem = first_bad_time(np.array([seconds]))
    if problem is not None:
        raise ImportInputError(f"{what} {text!r}: {problem[1]}")
    return seconds


def iso_time(text: object) -> float | None:
    """An ISO-8601 / RFC 3339 date-time as APIs write it (``Z`` or an offset; none means
    UTC; nanoseconds are cut to microseconds) → epoch seconds; ``None`` if it is not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def iso_utc(epoch_s: float) -> str:
    """Epoch seconds → ``2025-06-03T09:41:00Z`` (milliseconds only when there are some)."""
    moment = dt.datetime.fromtimestamp(round(epoch_s, 3), dt.UTC)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def quote(text: str) -> str:
    """A YAML double-quoted scalar for any text (escapes included)."""
    dumped = yaml.safe_dump(
        [text], default_flow_style=True, allow_unicode=True, width=math.inf, default_style='"'
    )
    # PyYAML escapes characters beyond U+FFFF (emoji: "\U0001F4C8") though YAML prints them.
    return _ASTRAL_ESCAPE.sub(_unescape_astral, dumped.strip()[1:-1])


# A \UXXXXXXXX escape whose backslash is not itself escaped (an even run before it).
_ASTRAL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\U([0-9A-Fa-f]{8})")


def _unescape_astral(match: re.Match[str]) -> str:
    return match.group(1) + chr(int(match.group(2), 16))


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


def scaled(values: np.ndarray, scale: float) -> np.ndarray:
    """``values × --scale``. A product beyond a float (1e308 × 1000) is ±inf, without
    numpy's warning on stderr: the writer refuses it as beyond what a chart can place."""
    with np.errstate(over="ignore", invalid="ignore"):
        return values * scale


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


def kind_pairs(text: str | None, base: dict[str, str], *, what: str) -> dict[str, str]:
    """``--kind-map 'deploy-bot=deploy,oncall=alert'`` → ``base`` extended by those pairs
    (names lowercased); ``what`` names the left side in errors (``TAG``, ``REACTION``)."""
    kinds = dict(base)
    for pair in filter(None, (p.strip() for p in (text or "").split(","))):
        name, sep, kind = pair.partition("=")
        if not sep or not name.strip() or kind.strip() not in EVENT_KINDS:
            raise ImportInputError(
                f"--kind-map: {pair!r} must be {what}=KIND with KIND one of "
                f"{', '.join(EVENT_KINDS)}"
            )
        kinds[name.strip().lower()] = kind.strip()
    return kinds


def split_title(text: str, limit: int = 100) -> tuple[str, str]:
    """Plain text → (its first line as an event title, the rest on one line). A first line
    over ``limit`` characters is cut with ``…`` and the whole text becomes the rest."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "", ""
    title, rest = lines[0], " ".join(lines[1:])
    if len(title) > limit:
        title, rest = title[: limit - 1].rstrip() + "…", " ".join(lines)
    return title, rest


def csv_rows(text: str, name: str, lines_before: int = 0) -> Iterator[tuple[list[str], int]]:
    """The rows of CSV ``text`` and the line each ends on (after ``lines_before`` lines not
    in ``text``); what the csv module cannot read (a field over its 131,072 characters) is
    an error at its line."""
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = csv.field_size_limit()
            message = (
                f"a field of more than {limit:,} characters: expected times and numbers"
                if "field limit" in str(exc)
                else f"unreadable CSV: {exc}"
            )
            raise ImportInputError(message, f"{name}:{reader.line_num + lines_before}:1") from None
        yield row, reader.line_num + lines_before
