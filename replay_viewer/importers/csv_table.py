"""A wide CSV → series: one time column, one column per series (what Grafana's "Inspect ▸
Data ▸ Download CSV" writes).

Times may be ISO-8601 date-times (no offset = UTC), epoch seconds or milliseconds, or
seconds (or timecodes) from T+0, in any order (sorted, with a warning). An empty cell
inside a series is a gap, as is ``NaN`` or ``null`` (``inf`` or ``1e400`` is an error); empty
cells before a series' first value and after its last are no samples (a column that starts
later than the others).
Values are converted with numpy in one go; the row-by-row pass only runs to say where a
bad value is.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from ..loader.time_order import check_order
from ..timecode import TimecodeError, parse_timecode
from .common import ImportedSeries, ImportInputError, csv_rows, first_bad_time, scaled

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["series_from_csv"]

MAX_CSV_BYTES = 256 * 1024 * 1024
_GAP_WORDS = ("", "nan", "null", "none", "-")


class _Table:
    """The CSV's header and columns, with the line of every row for messages."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                text = handle.read(MAX_CSV_BYTES + 1)
        except OSError as exc:
            raise ImportInputError(f"cannot read: {exc.strerror or exc}", self.name) from None
        except UnicodeDecodeError as exc:
            raise ImportInputError(f"not UTF-8 text (byte {exc.start})", self.name) from None
        if len(text) > MAX_CSV_BYTES:
            raise ImportInputError(f"larger than {MAX_CSV_BYTES >> 20} MiB", self.name)
        self.lines = text.splitlines()
        first = 0
        if self.lines and self.lines[0].lower().startswith("sep="):  # Excel's hint line
            first = 1
        rows, self.row_lines = [], []
        for row, line in csv_rows("\n".join(self.lines[first:]), self.name, first):
            if row and any(cell.strip() for cell in row):
                rows.append(row)
                self.row_lines.append(line)
        if len(rows) < 2:
            raise ImportInputError("expected a header row and at least one row of data", self.name)
        self.header = [cell.strip() for cell in rows[0]]
        width = len(self.header)
        for row, line in zip(rows[1:], self.row_lines[1:], strict=True):
            if len(row) != width:
                raise ImportInputError(
                    f"{len(row)} fields, and the header has {width}", f"{self.name}:{line}:1"
                )
        self.cells = np.array([[cell.strip() for cell in row] for row in rows[1:]], dtype=str)
        self.row_lines = self.row_lines[1:]

    def where(self, row: int, column: int) -> str:
        """``FILE:LINE:COL`` of a cell (the column found in the raw line)."""
        line = self.row_lines[row]
        raw, offset = self.lines[line - 1], 0
        for cell in self.cells[row][:column]:
            offset = raw.find(cell, offset) + len(cell)
            offset = raw.find(",", offset) + 1
        return f"{self.name}:{line}:{offset + 1}"

    def column(self, name: str, option: str) -> int:
        if name in self.header:
            return self.header.index(name)
        folded = [h.lower() for h in self.header]
        if name.lower() in folded:
            return folded.index(name.lower())
        raise ImportInputError(
            f"{option}: no column {name!r}; the header has {', '.join(map(repr, self.header))}",
            f"{self.name}:{self.row_lines[0] - 1 if self.row_lines else 1}:1",
        )


def _numbers(table: _Table, column: int) -> np.ndarray | None:
    """The column as floats (NaN for gap words); None if any other cell is not a number."""
    cells = np.char.lower(table.cells[:, column])
    cells = np.where(np.isin(cells, _GAP_WORDS), "nan", cells)
    try:
        with np.errstate(invalid="ignore"):
            return cells.astype(np.float64)
    except ValueError:
        return None


def _first_bad(table: _Table, column: int, what: str) -> ImportInputError:
    for row, cell in enumerate(table.cells[:, column].tolist()):
        if cell.lower() in _GAP_WORDS:
            continue
        try:
            float(cell)
        except ValueError:
            return ImportInputError(
                f"{what} {cell!r} in column {table.header[column]!r} is not a number",
                table.where(row, column),
            )
    return ImportInputError(f"column {table.header[column]!r} is unreadable", table.name)


def _times(table: _Table, column: int) -> tuple[np.ndarray, bool]:
    """Sample times and whether they are already relative to T+0, after checking wall-clock
    times are on a wall clock (years 1 to 9999)."""
    times, relative = _read_times(table, column)
    problem = None if relative else first_bad_time(times)
    if problem is not None:
        raise ImportInputError(problem[1], table.where(problem[0], column))
    return times, relative


def _read_times(table: _Table, column: int) -> tuple[np.ndarray, bool]:
    numbers = _numbers(table, column)
    if numbers is not None:
        if np.isnan(numbers).any():
            row = int(np.flatnonzero(np.isnan(numbers))[0])
            raise ImportInputError("a row without a time", table.where(row, column))
        biggest = float(np.abs(numbers).max())
        if biggest > 1e11:  # epoch milliseconds (1e11 ms is 1973; 1e11 s is year 5138)
            return numbers / 1000.0, False
        if biggest > 1e8:  # epoch seconds (1e8 s is 1973; 1e8 s from T+0 is 3 years)
            return numbers, False
        return numbers, True
    times = np.empty(len(table.cells))
    relative = None
    for row, cell in enumerate(table.cells[:, column].tolist()):
        try:
            moment = dt.datetime.fromisoformat(cell)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            value, is_relative = moment.timestamp(), False
        except ValueError:
            try:
                value, is_relative = parse_timecode(cell), True
            except TimecodeError:
                raise ImportInputError(
                    f"time {cell!r} is neither an ISO-8601 date-time, epoch seconds or "
                    "milliseconds, nor seconds from T+0",
                    table.where(row, column),
                ) from None
        if relative is not None and is_relative != relative:
            raise ImportInputError(
                "this time mixes wall-clock times and times from T+0", table.where(row, column)
            )
        times[row], relative = value, is_relative
    return times, bool(relative)


def series_from_csv(
    path: Path,
    *,
    time_column: str | None,
    columns: list[str] | None = None,
    unit: str = "",
    scale: float = 1.0,
    group: str = "",
) -> tuple[list[ImportedSeries], bool]:
    """The CSV's series and whether their times are relative to T+0 (no wall clock). The
    time column is ``time_column``, or the first one.

    Rows out of order or with a repeated time are kept, sorted by time (stably), with a
    warning for the file at the first such row. With ``group``, the columns are one
    query's results (per pod, per host) and become one group of that name."""
    table = _Table(path)
    time_index = 0 if time_column is None else table.column(time_column, "--time-column")
    picked = (
        [table.column(name, "--columns") for name in columns]
        if columns
        else [i for i in range(len(table.header)) if i != time_index]
    )
    if not picked:
        raise ImportInputError("no value columns beside the time column", table.name)
    times, relative = _times(table, time_index)
    warnings = _sort_rows(table, times, time_index)
    times = times[np.argsort(times, kind="stable")]
    series = []
    for index in picked:
        values = _numbers(table, index)
        if values is None:
            raise _first_bad(table, index, "value")
        present = np.flatnonzero(table.cells[:, index] != "")
        if not len(present):
            raise ImportInputError(f"column {table.header[index]!r} is empty", table.name)
        keep = slice(int(present[0]), int(present[-1]) + 1)
        _check_finite(table, index, values)
        series.append(
            ImportedSeries(
                table.header[index] or f"column {index + 1}",
                times[keep],
                scaled(values[keep], scale),
                unit=unit,
                source=f"column {table.header[index]!r}",
                group=group,
            )
        )
    series[0].warnings = warnings  # the time column is the file's: said once
    return series, relative


def _check_finite(table: _Table, column: int, values: np.ndarray) -> None:
    """``inf`` or ``1e400`` is no value a chart can place (the loader refuses it too)."""
    infinite = np.flatnonzero(np.isinf(values))
    if len(infinite):
        row = int(infinite[0])
        cell = str(table.cells[row, column])
        raise ImportInputError(
            f"value {cell!r} in column {table.header[column]!r} is not a finite number (an "
            "empty cell or NaN is a gap)",
            table.where(row, column),
        )


def _sort_rows(table: _Table, times: np.ndarray, time_index: int) -> list[str]:
    """Put the table's rows in time order (stably), and say what was out of order."""
    order = check_order(times)
    if order.increasing:
        return []
    warnings = [
        f"{table.where(row, time_index)}: warning: {message}" for row, message in order.messages()
    ]
    permutation = np.argsort(times, kind="stable")
    table.cells = table.cells[permutation]
    table.row_lines = [table.row_lines[row] for row in permutation.tolist()]
    return warnings
