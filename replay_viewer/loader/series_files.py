"""A series' ``file:`` key: from the YAML node to validated columns or positioned errors.

Problems of the path (outside the incident's folder, missing, not a file) are positioned
at the ``file:`` value in the incident. Problems inside the data file are positioned in the
data file (``p99.csv:1234:7``, ``p99.npy:ROW:COLUMN``) and name the series and the incident
position of its ``file:`` value, so both files can be found from one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .csv_data import position_in_file, read_csv
from .datafiles import (
    SUFFIXES,
    DataFileError,
    PathRefusedError,
    check_regular_file,
    first_problems,
    numeric_times,
    read_npy,
    resolve_data_path,
)
from .diagnostics import Diagnostic, shorten
from .time_order import check_order, sort_by_time
from .yaml_nodes import Invalid

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path
    from zoneinfo import ZoneInfo

    import numpy as np
    import yaml

    from .data_cache import DataCache
    from .yaml_nodes import NodeReader

__all__ = ["DataContext", "column_names", "read_series_file", "series_data"]


@dataclass
class DataContext:
    """What reading data files needs from the incident: its folder (None when it was given
    as text), whether paths may leave it, and its ``started_at`` (read before the series)."""

    base: Path | None
    allow_outside: bool
    started_at: dt.datetime | None = None
    zone: ZoneInfo | None = None  # the incident's 'timezone' (naive date-times; None: UTC)
    files: list[Path] = field(default_factory=list)  # every data file read, for watching
    cache: DataCache | None = None  # validated columns kept from an earlier parse


def series_data(
    r: NodeReader,
    node: yaml.Node,
    found: dict[str, yaml.Node],
    values: dict[str, Any],
    what: str,
    context: DataContext,
) -> tuple[np.ndarray, np.ndarray] | None:
    """A series' samples, inline or from its data file (exactly one of the two)."""
    if "file" not in found:
        if "samples" not in found:
            r.error(node, f"{what} needs 'samples' (inline) or 'file' (a data file)")
        for key in ("columns", "time", "timezone"):
            if key in found:
                r.error(found[key], f"{what} '{key}' applies to a data file ('file')")
        return values["samples"]
    if "samples" in found:
        r.error(found["file"], f"{what} gives both 'samples' and 'file'; keep one")
        return None
    if ("columns" in found and values["columns"] is None) or values["time"] is None:
        return None
    if "timezone" in found and values["timezone"] is None:
        return None
    try:
        return read_series_file(
            r,
            found["file"],
            what,
            columns=values["columns"],
            time_mode=values["time"],
            context=context,
            zone=values["timezone"] or context.zone,
        )
    except Invalid:
        return None


def column_names(r: NodeReader, node: yaml.Node, what: str) -> tuple[str, str]:
    """``columns: [TIME, VALUE]``: the header names of a wide CSV's two columns."""
    items = r.sequence(node, what)
    if items is None or len(items) != 2:
        if items is not None:
            r.error(node, f"{what} must name two columns, [time, value]; got {len(items)}")
        raise Invalid
    return (r.text(items[0], f"{what} time"), r.text(items[1], f"{what} value"))


def read_series_file(
    reader: NodeReader,
    node: yaml.Node,
    what: str,
    *,
    columns: tuple[str, str] | None,
    time_mode: str,
    context: DataContext,
    zone: ZoneInfo | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The validated times and values of the data file ``node`` names, sorted by time;
    reports and raises :class:`~.yaml_nodes.Invalid` on any problem, and warns (once per
    kind, at the first row) about rows it had to sort."""
    value = reader.text(node, f"{what} 'file'")
    suffix = value[value.rfind(".") :].lower() if "." in value else ""
    if suffix not in SUFFIXES:
        reader.error(
            node,
            f"{what} 'file' {shorten(value)!r} must end in {' or '.join(SUFFIXES)} "
            "(a CSV with a header row, or numpy.save of an (N, 2) array)",
        )
        raise Invalid
    if suffix == ".npy" and (columns is not None or time_mode in ("iso", "timecode")):
        reader.error(node, f"{what}: 'columns' and time: iso/timecode apply to .csv files only")
        raise Invalid
    try:
        path = resolve_data_path(value, context.base, allow_outside=context.allow_outside)
        check_regular_file(path)
    except PathRefusedError as exc:
        reader.error(node, f"{what} 'file': {exc}")
        raise Invalid from None
    context.files.append(_resolved(path))
    mark = node.start_mark
    place = _Place(
        path,
        suffix,
        shown=str(context.base / value) if context.base is not None else value,
        where=f"{what} 'file' at {reader.path}:{mark.line + 1}:{mark.column + 1}",
    )
    read = _Read(columns, time_mode, context.started_at, zone)
    cache = context.cache
    signature, cached = cache.get(path, read) if cache is not None else (None, None)
    if cached is None:
        cached = _validated(path, suffix, place, reader, read)
        if cache is not None:
            cache.put(path, read, signature, cached)
    times, values, notes = cached
    for note in notes:
        reader.warnings.append(place.diagnostic(note, "warning"))
    return times, values


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


@dataclass(frozen=True)
class _Read:
    """How the series reads its file: ``columns``, ``time:``, T+0 and the time zone."""

    columns: tuple[str, str] | None
    time_mode: str
    started_at: dt.datetime | None
    zone: ZoneInfo | None


def _validated(
    path: Path, suffix: str, place: _Place, reader: NodeReader, read: _Read
) -> tuple[np.ndarray, np.ndarray, list[DataFileError]]:
    """The file's columns, validated and sorted by time, and the warnings (as positioned
    :class:`DataFileError` objects) about what was repaired or assumed."""
    zone_notes: list[tuple[int, str]] = []
    try:
        if suffix == ".csv":
            (times, values), file_columns = read_csv(
                path,
                columns=read.columns,
                mode=read.time_mode,
                started_at=read.started_at,
                zone=read.zone,
                notes=zone_notes,
            )
        else:
            raw_times, values = read_npy(path)
            times = numeric_times(raw_times, read.time_mode, read.started_at)
            file_columns = (0, 1)
        problems = first_problems(times, values)
        for problem in problems:  # validation counts [time, value]; the file has its own
            problem.column = file_columns[problem.column or 0]
    except DataFileError as exc:
        problems = [exc]
    except (OSError, MemoryError) as exc:
        problems = [DataFileError(f"cannot read the file: {getattr(exc, 'strerror', exc)}")]
    if problems:
        for problem in problems:
            reader.diagnostics.append(place.diagnostic(problem, "error"))
        raise Invalid
    order = check_order(times)
    try:
        times, values = sort_by_time(times, values, order)
    except MemoryError:
        problem = DataFileError("not enough memory to sort its rows by time; sort the file")
        reader.diagnostics.append(place.diagnostic(problem, "error"))
        raise Invalid from None
    found = zone_notes + order.messages()
    notes = [DataFileError(message, row=row, column=file_columns[0]) for row, message in found]
    return times, values, notes


@dataclass(frozen=True)
class _Place:
    """Where a data file's problems are shown: the file (as the incident names it) and the
    incident's ``file:`` value they came from."""

    path: Path
    suffix: str
    shown: str
    where: str

    def diagnostic(self, problem: DataFileError, severity: str) -> Diagnostic:
        if self.suffix == ".npy":
            # A row and a column of the array: LINE is the row (1-based), COL 1 time, 2 value.
            line = 1 if problem.row is None else problem.row + 1
            column = 1 if problem.column is None else problem.column + 1
            row_note = f"row {line} (index {line - 1}): " if problem.row is not None else ""
        else:
            try:
                line, column = position_in_file(self.path, problem)
            except (OSError, DataFileError):
                line, column = 1, 1
            row_note = ""
        message = f"{row_note}{problem.message} ({self.where})"
        return Diagnostic(line, column, message, self.shown, severity)
