"""Imported data → incident YAML text (and the data files beside it) → files, checked by
the loader before anything is written.

One function, :func:`render_incident`, writes the YAML: a series of up to about
:data:`INLINE_SAMPLES` samples inline, a longer one (and, when the inline samples of all
series together would pass the loader's inline limit, the longest of the rest) to a data
file ``OUT.data/ID.npy`` named by ``file:``. The text names data files through
:data:`DATA_DIR` (the folder is only known when writing: see :mod:`.staging`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import OutputError, UsageError
from ..files import atomic_write
from ..loader import FORMAT_ID, IncidentLoadError, parse_incident
from ..loader.compose import MAX_YAML_VALUES
from ..loader.datafiles import MAX_DATA_SAMPLES
from ..loader.diagnostics import plural
from ..model import MAX_ABS_VALUE, MAX_SERIES
from ..timecode import MAX_SECONDS, format_shift, format_timecode
from .baselines import baseline_lines, baseline_rows
from .common import (
    OUTSIDE_THE_YEARS,
    ImportedEvent,
    ImportedHistogram,
    ImportedSeries,
    ImportInputError,
    first_bad_time,
    iso_utc,
    quote,
    series_ids,
)
from .histogram_writer import histogram_report, render_histograms

__all__ = [
    "DATA_DIR",
    "DATA_FORMATS",
    "INLINE_BUDGET",
    "INLINE_SAMPLES",
    "IncidentDraft",
    "Rendered",
    "event_line",
    "quote",
    "render_incident",
    "render_series",
    "write_incident",
]

# Room left under the loader's value limit for everything that is not a sample.
_OVERHEAD_VALUES = 2_000
# Samples of all series written inline at most: each is three YAML values ([t, v]).
INLINE_BUDGET = (MAX_YAML_VALUES - _OVERHEAD_VALUES) // 3
# A series with more samples than this goes to a data file (a few hundred KB of YAML).
INLINE_SAMPLES = 5_000
# Stands for the data folder (relative to the incident) in rendered text until it is
# written; only characters that YAML's double quotes keep as they are.
DATA_DIR = "@@replay-viewer-data-dir@@"
DATA_FORMATS = ("npy", "csv")


@dataclass
class IncidentDraft:
    """An incident about to be written. Times are epoch seconds and ``start`` (epoch s) is
    T+0, default the earliest sample or event; with ``relative=True`` they are already
    seconds from T+0 and ``start`` only becomes ``started_at``."""

    title: str
    series: list[ImportedSeries]
    events: list[ImportedEvent] = field(default_factory=list)
    start: float | None = None
    relative: bool = False
    summary: str = ""
    made_by: str = "replay-viewer import"  # the first comment line says how it was made
    histograms: list[ImportedHistogram] = field(default_factory=list)  # drawn as heatmaps

    def origin(self) -> float:
        """Epoch seconds of T+0 (0 for relative times)."""
        if self.relative:
            return 0.0
        if self.start is not None:
            return self.start
        earliest = [float(s.times[0]) for s in [*self.series, *self.histograms] if len(s.times)]
        earliest += [e.at for e in self.events]
        if not earliest:
            raise ImportInputError("nothing to import: no samples and no events")
        return min(earliest)


def _number(value: float) -> str:
    """Shortest text that reads back as the same float (integers without a point)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _relative(times: np.ndarray, origin: float) -> np.ndarray:
    # Rounded to microseconds so epoch-ms inputs give 0.123, not 0.12299990654.
    return np.round(times - origin, 6)


def check_limits(draft: IncidentDraft) -> None:
    count = len(draft.series)
    if count == 0 and not draft.histograms:
        raise ImportInputError("nothing to import: the source holds no series")
    if count > MAX_SERIES:
        raise ImportInputError(
            f"{count:,} series, and an incident holds at most {MAX_SERIES:,}: narrow the "
            "selection (--top K per query, a query with sum by (…), fewer files or --columns)"
        )
    for series in draft.series:
        if len(series.times) > MAX_DATA_SAMPLES:
            raise ImportInputError(
                f"{series.label!r} has {len(series.times):,} samples, and a series holds at "
                f"most {MAX_DATA_SAMPLES:,} (what one GPU buffer can hold); narrow the range "
                "(--start/--end) or raise --step"
            )


@dataclass
class Rendered:
    """An incident's text and its data files: ``files`` maps a file name (in the data
    folder, which the text calls :data:`DATA_DIR`) to its ``(N, 2)`` float64 array of
    [seconds from T+0, value] rows (NaN: a gap)."""

    text: str
    files: dict[str, np.ndarray] = field(default_factory=dict)
    placed: dict[str, str] = field(default_factory=dict)  # series id → file name


def render_incident(
    draft: IncidentDraft, *, data_format: str = "npy", taken: frozenset[str] = frozenset()
) -> Rendered:
    """The whole incident file for ``draft``; long series go to data files (``taken``:
    names already in the data folder, not to be reused)."""
    check_limits(draft)
    series_ids(draft.series)
    origin = draft.origin()
    lines = [f"# {draft.made_by}", f"format: {FORMAT_ID}", f"title: {quote(draft.title)}"]
    if draft.summary:
        lines.append(f"summary: {quote(draft.summary)}")
    if draft.start is not None or not draft.relative:
        wall_clock = draft.start if draft.relative else origin
        if first_bad_time(np.array([wall_clock])) is not None:  # the importers check theirs
            raise ImportInputError(f"T+0 ({wall_clock:.6g} epoch seconds) is {OUTSIDE_THE_YEARS}")
        lines.append(f"started_at: {iso_utc(wall_clock)}")
    # An event line is about a dozen YAML values: four samples' worth.
    budget = INLINE_BUDGET - 4 * len(draft.events)
    body, files, placed = render_series(draft.series, origin, data_format, taken, budget)
    lines += ["series:", *body] if draft.series else []
    if draft.histograms:
        ids = {item.id for item in draft.series}
        names = set(taken) | set(files)
        body, heat_files, heat_placed = render_histograms(draft.histograms, origin, ids,
                                                          DATA_DIR, names)  # fmt: skip
        lines += body
        files.update(heat_files)
        placed.update(heat_placed)
    if draft.events:
        lines.append("events:")
        lines += [event_line(event, origin) for event in sorted(draft.events, key=_event_at)]
    return Rendered("\n".join(lines) + "\n", files, placed)


def render_series(
    series: list[ImportedSeries],
    origin: float,
    data_format: str = "npy",
    taken: frozenset[str] = frozenset(),
    budget: int = INLINE_BUDGET,
) -> tuple[list[str], dict[str, np.ndarray], dict[str, str]]:
    """Block-sequence items (``  - id: …``) for ``series`` (ids already unique), the data
    files they name, and which series went to which file; at most ``budget`` samples in
    all are written inline."""
    to_files = _file_backed(series, budget)
    lines: list[str] = []
    files: dict[str, np.ndarray] = {}
    placed: dict[str, str] = {}
    for index, item in enumerate(series):
        if index in to_files:
            name = _free_name(item.id, data_format, taken | files.keys())
            files[name] = _rows(item, origin)
            placed[item.id] = name
            lines += _series_head(item)
            lines += [f"    file: {quote(f'{DATA_DIR}/{name}')}", "    time: seconds"]
            if item.baseline is not None:  # beside it, in a data file of its own
                other = _free_name(f"{item.id}-baseline", data_format, taken | files.keys())
                files[other] = baseline_rows(item, origin)
                lines += baseline_lines(item, origin, quote(f"{DATA_DIR}/{other}"))
        else:
            lines += _series_lines(item, origin)
            lines += baseline_lines(item, origin, None)
    return lines, files, placed


def _file_backed(series: list[ImportedSeries], budget: int) -> set[int]:
    """Which series go to data files: those over :data:`INLINE_SAMPLES` (with their
    baselines' samples), then the longest of the rest until the inline samples of all fit
    in ``budget``."""
    sizes = [len(s.times) + (len(s.baseline[0]) if s.baseline is not None else 0)
             for s in series]  # fmt: skip
    chosen = {i for i, size in enumerate(sizes) if size > INLINE_SAMPLES}
    inline = sum(size for i, size in enumerate(sizes) if i not in chosen)
    for index in sorted(range(len(series)), key=lambda i: -sizes[i]):
        if inline <= budget:
            break
        if index not in chosen:
            chosen.add(index)
            inline -= sizes[index]
    return chosen


def _free_name(series_id: str, data_format: str, taken) -> str:
    name, number = f"{series_id}.{data_format}", 2
    while name in taken:
        name, number = f"{series_id}-{number}.{data_format}", number + 1
    return name


def _rows(series: ImportedSeries, origin: float) -> np.ndarray:
    times = _checked(series, origin)
    rows = np.empty((len(times), 2), dtype=np.float64)
    rows[:, 0] = times
    rows[:, 1] = series.values
    return rows


def _event_at(event: ImportedEvent) -> float:
    return event.at


def _check_time(seconds: float, what: str) -> None:
    if abs(seconds) > MAX_SECONDS:
        shown = f"{seconds:.0f}" if abs(seconds) < 1e15 else f"{seconds:.3g}"
        raise ImportInputError(
            f"{what} is {shown} s from T+0, beyond the format's ±{MAX_SECONDS:.0e} s: "
            "is --start right (and are times in seconds, not milliseconds)?"
        )


def _checked(series: ImportedSeries, origin: float) -> np.ndarray:
    """The series' times from T+0, after checking times and values fit the format."""
    if not len(series.times):
        raise ImportInputError(f"{series.label!r} has no samples")
    times, values = _relative(series.times, origin), series.values
    _check_time(float(np.abs(times).max()), f"a sample of {series.label!r}")
    big = np.abs(np.nan_to_num(values)) > MAX_ABS_VALUE
    if big.any():
        value = float(values[big][0])  # inf: a product or difference beyond a float's range
        shown = f"the value {value:g}" if math.isfinite(value) else "a value too large for a float"
        raise ImportInputError(
            f"{series.label!r} has {shown}, beyond ±{MAX_ABS_VALUE:g} "
            "(what the chart's 32-bit floats can place); rescale it with --scale"
        )
    return times


def _series_head(series: ImportedSeries) -> list[str]:
    lines = [f"  - id: {series.id}", f"    label: {quote(series.label)}"]
    if series.unit:
        lines.append(f"    unit: {quote(series.unit)}")
    if series.group:
        lines.append(f"    group: {quote(series.group)}")
    return lines


def _series_lines(series: ImportedSeries, origin: float) -> list[str]:
    times = _checked(series, origin)
    lines = [*_series_head(series), "    samples:"]
    lines += [
        f"      - [{_number(t)}, {'null' if math.isnan(v) else _number(v)}]"
        for t, v in zip(times.tolist(), series.values.tolist(), strict=True)
    ]
    return lines


def event_line(event: ImportedEvent, origin: float) -> str:
    """One event as a one-line flow mapping (also what ``--into`` appends)."""
    at = round(event.at - origin, 3)
    _check_time(at, f"event {event.title!r}")
    parts = [f"at: {_number(at)}", f"kind: {event.kind}", f"title: {quote(event.title)}"]
    if event.detail:
        parts.append(f"detail: {quote(event.detail)}")
    if event.until is not None:
        until = round(max(event.until, event.at) - origin, 3)
        _check_time(until, f"event {event.title!r} until")
        parts.append(f"until: {_number(until)}")
    return "  - {" + ", ".join(parts) + "}"


def write_incident(
    text: str,
    out: Path,
    *,
    overwrite: bool,
    problem: str = "the imported data does not make a valid incident",
) -> None:
    """Check ``text`` with the loader, then write it to ``out`` atomically."""
    out = Path(out)
    if out.exists() and not overwrite:
        raise UsageError(f"{out} exists; add --overwrite to replace it")
    if not out.parent.is_dir():
        raise OutputError(f"-o {out}: folder {out.parent} does not exist")
    try:
        parse_incident(text, path=str(out))
    except IncidentLoadError as exc:
        # The importers check what they can; anything left is stated, never written.
        raise ImportInputError(f"{problem}:\n{exc}") from None
    try:
        atomic_write(out, lambda handle: handle.write(text), "w")
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None


def report(draft: IncidentDraft, out: Path, placed: dict[str, str] | None = None) -> str:
    """What was written, for the user: one line for the file and one per series (and the
    data file of each that has one, from ``placed``)."""
    origin = draft.origin()
    times = [float(t) for s in [*draft.series, *draft.histograms] if len(s.times)
             for t in (s.times[0], s.times[-1])]  # fmt: skip
    times += [e.at for e in draft.events]
    span = ""
    if times:
        low, high = min(times) - origin, max(times) - origin
        span = f", {format_timecode(low)} to {format_timecode(high)}"
    clock = "" if draft.relative and draft.start is None else f", T+0 = {iso_utc(origin)}"
    lines = [
        f"{out}: wrote {quote(draft.title)}: {len(draft.series)} series, "
        + (
            f"{plural(len(draft.histograms), 'histogram', 'histograms')}, "
            if draft.histograms
            else ""
        )
        + f"{plural(len(draft.events), 'event', 'events')}{span}{clock}"
    ]
    groups: dict[str, int] = {}
    for s in draft.series:
        if s.group:
            groups[s.group] = groups.get(s.group, 0) + 1
    for group, count in groups.items():
        lines.append(f"  group {quote(group)}: {count} series")
    lines += series_report(draft.series, placed or {}, data_dir(out))
    lines += histogram_report(draft.histograms, placed or {}, data_dir(out))
    return "\n".join(lines)


def data_dir(out: Path) -> str:
    """The data folder of incident ``out`` (``incident.yaml`` → ``incident.data``)."""
    return f"{Path(out).stem}.data"


def series_report(series: list[ImportedSeries], placed: dict[str, str], folder: str) -> list[str]:
    """One line per series: its id, samples, unit, gaps, data file and source."""
    lines = []
    width = max((len(s.id) for s in series), default=0)
    for s in series:
        gaps = int(np.isnan(s.values).sum())
        unit = f" {s.unit}" if s.unit else ""
        where = f" → {folder}/{placed[s.id]}" if s.id in placed else ""
        if s.baseline is not None:
            where += f", baseline {format_shift(s.baseline_shift)} earlier"
        lines.append(
            f"  {s.id:<{width}}  {len(s.times):>6,} samples{unit}, {gaps} gap"
            f"{'' if gaps == 1 else 's'}{where}"
            f"  ← {s.source or s.label}"
        )
    return lines
