"""CSV data files: header and columns, a vectorised parse, the time column's forms.

The parse is numpy's C reader (``numpy.loadtxt``), or pyarrow's multi-threaded reader when
the optional ``data`` extra is installed (measured about 4× faster on 10 million rows; see
docs/performance.md). Both give the same columns; whenever pyarrow refuses a file, numpy's
reader reads it again, so what is accepted and every error message are numpy's.

Positions: a :class:`~.datafiles.DataFileError` carries the 0-based data row (or data
line) and file column; :func:`position` turns that into the file's LINE:COL (blank lines
do not count as rows, as in both readers).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from typing import TYPE_CHECKING

import numpy as np

from ..timecode import MAX_SECONDS
from .datafiles import MAX_DATA_SAMPLES, DataFileError, epoch_of, numeric_times
from .time_text import iso_times, timecode_times

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from .datafiles import Columns

__all__ = ["detect_mode", "position", "position_in_file", "read_csv", "select_columns"]

_DATE_RE = re.compile(r"\s*\d{4}-\d\d-\d\d")
_NUMBER_RE = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def read_csv(
    path: Path,
    *,
    columns: tuple[str, str] | None,
    mode: str,
    started_at: dt.datetime | None,
    zone: ZoneInfo | None = None,
    notes: list[tuple[int, str]] | None = None,
) -> tuple[Columns, tuple[int, int]]:
    """Times (seconds from T+0) and values of a CSV data file, not yet validated, and the
    file columns they came from (to position validation errors). ISO times without an
    offset are in ``zone`` (default UTC); rows in its skipped or repeated hours add
    ``(row, warning)`` to ``notes``."""
    data = path.read_bytes()
    header, body_start = _header(data)
    time_col, value_col = select_columns(header, columns)
    first = _first_row(data, body_start)
    if first is None:
        raise DataFileError("has a header but no rows; expected at least one row of data")
    if mode == "auto":
        mode = detect_mode(first[time_col] if time_col < len(first) else "")
    text_time = mode in ("timecode", "iso")
    raw_times, values = _parse(data, body_start, len(header), time_col, value_col, text_time)
    if len(values) > MAX_DATA_SAMPLES:
        raise DataFileError(
            f"has {len(values):,} rows; a series is limited to "
            f"{MAX_DATA_SAMPLES:,} samples (what one GPU buffer can hold)"
        )
    try:
        if mode == "timecode":
            times = timecode_times(raw_times)
        elif mode == "iso":
            times = iso_times(raw_times, epoch_of(started_at, "iso"), zone=zone, notes=notes)
        else:
            times = numeric_times(raw_times, mode, started_at)
    except DataFileError as exc:
        exc.column = time_col if exc.row is not None else None
        raise
    return (times, values), (time_col, value_col)


def _header(data: bytes) -> tuple[list[str], int]:
    end = data.find(b"\n")
    end = len(data) if end < 0 else end
    try:
        line = data[:end].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise DataFileError("the header row is not valid UTF-8; save the file as UTF-8") from None
    if not line.strip():
        raise DataFileError(
            "is empty or starts with a blank line; expected a header row naming the columns"
            if data.strip()
            else "is empty; expected a header row and rows of data"
        )
    names = next(csv.reader([line]))
    return [name.strip() for name in names], min(end + 1, len(data))


def select_columns(header: list[str], columns: tuple[str, str] | None) -> tuple[int, int]:
    """The file columns of the time and the value: the two of a two-column file, else the
    two the series names (``columns: [time, p99]``)."""
    if columns is None:
        if len(header) == 2:
            return 0, 1
        raise DataFileError(
            f"has {len(header)} columns ({_listed(header)}); name the time and value "
            "columns in the series, e.g. columns: [time, p99]"
        )
    found = []
    for name in columns:
        if name not in header:
            raise DataFileError(f"has no column {name!r}; its columns are {_listed(header)}")
        found.append(header.index(name))
    if found[0] == found[1]:
        raise DataFileError("'columns' names the same column twice; give [time, value]")
    return found[0], found[1]


def _listed(header: list[str]) -> str:
    shown = ", ".join(repr(name[:20]) for name in header[:8])
    return shown + (", …" if len(header) > 8 else "")


def _first_row(data: bytes, start: int) -> list[str] | None:
    for line in data[start : start + 4096].splitlines():  # the first few lines only
        if line.strip():
            text = line.decode("utf-8", errors="replace")
            return [field.strip() for field in next(csv.reader([text]))]
    return None if not data[start:].strip() else [""]


def detect_mode(first_time: str) -> str:
    """The time column's form from its first value (``time: auto``)."""
    if _DATE_RE.match(first_time):
        return "iso"
    if _NUMBER_RE.fullmatch(first_time):
        value = abs(float(first_time))
        if value > MAX_SECONDS:
            return "epoch_ms" if value >= 1e11 else "epoch_s"
        return "seconds"
    return "timecode"


# -- the parse -----------------------------------------------------------------------------


def _parse(data: bytes, start: int, width: int, time_col: int, value_col: int, text: bool):
    try:
        from . import arrow_csv
    except ImportError:  # pyarrow is the optional 'data' extra
        arrow_csv = None
    if arrow_csv is not None and arrow_csv.available():
        parsed = arrow_csv.parse(data, start, width, time_col, value_col, text_time=text)
        if parsed is not None:
            return parsed
    return _numpy_parse(data, start, time_col, value_col, text)


def _numpy_parse(data: bytes, start: int, time_col: int, value_col: int, text: bool):
    try:
        return _loadtxt(data[start:], time_col, value_col, text)
    except (ValueError, UnicodeDecodeError):
        raise _locate_parse_error(data, start, time_col, value_col, text) from None


def _loadtxt(body: bytes, time_col: int, value_col: int, text: bool):
    # loadtxt has no "empty means missing": write NaN into empty fields first (bytes.replace
    # runs in C, a few tens of ms per 100 MB). A missing time becomes NaN too, which
    # validation reports at its row.
    body = _fill_empty(body)
    options = {"delimiter": ",", "comments": None, "quotechar": '"', "encoding": "utf-8"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "input contained no data": an empty result
        if not text:
            both = np.loadtxt(io.BytesIO(body), usecols=(time_col, value_col), ndmin=2, **options)
            return both[:, 0], both[:, 1]
        values = np.loadtxt(io.BytesIO(body), usecols=value_col, ndmin=1, **options)
        times = np.loadtxt(io.BytesIO(body), usecols=time_col, dtype=str, ndmin=1, **options)
        return times, values


def _fill_empty(body: bytes) -> bytes:
    body = body.replace(b",,", b",nan,").replace(b",,", b",nan,")  # twice: ",,," overlaps
    body = body.replace(b",\r\n", b",nan\r\n").replace(b",\n", b",nan\n")
    body = body.replace(b"\n,", b"\nnan,")
    if body.startswith(b","):
        body = b"nan" + body
    if body.endswith(b","):
        body += b"nan"
    return body


def _locate_parse_error(
    data: bytes, start: int, time_col: int, value_col: int, text: bool
) -> DataFileError:
    """The first line numpy cannot read, by bisecting the data lines (an error path only:
    it reads the file about twice more, with numpy, never line by line in Python)."""
    starts = _line_starts(data, start)
    low, high = 0, len(starts) - 1  # the bad line is in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        try:
            _loadtxt(data[starts[low] : starts[middle]], time_col, value_col, text)
            low = middle
        except (ValueError, UnicodeDecodeError):
            high = middle
    line_bytes = data[starts[low] : starts[low + 1]].rstrip(b"\r\n")
    line = line_bytes.decode("utf-8", errors="replace")
    fields = next(csv.reader([line])) if line else []
    needed = max(time_col, value_col) + 1
    if len(fields) < needed:
        message = f"row has {len(fields)} field(s); expected at least {needed}"
        return DataFileError(message, line=low, column=None)
    for column in (time_col, value_col) if not text else (value_col,):
        try:
            float(fields[column])
        except ValueError:
            if fields[column].strip():
                shown = fields[column].strip()[:30]
                what = "time" if column == time_col else "value"
                return DataFileError(f"{what} {shown!r} is not a number", line=low, column=column)
    return DataFileError("cannot read this row (not UTF-8, or a stray quote?)", line=low)


def _line_starts(data: bytes, start: int) -> np.ndarray:
    """Byte offsets where the data lines begin (and the end of the data), from ``start``."""
    breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, offset=start) == 0x0A)
    return np.concatenate(([start], breaks + start + 1, [len(data)]))


def position(data: bytes, error: DataFileError) -> tuple[int, int]:
    """LINE:COL in the CSV file of ``error``: its data ``line`` (0-based after the header),
    or its ``row`` (0-based among the non-blank data lines, as both readers count), and
    its file ``column``."""
    if error.line is None and error.row is None:
        return 1, 1
    found = _locate(data, error, complete=True)
    assert found is not None  # a complete file always places it
    return found


def position_in_file(path: Path, error: DataFileError) -> tuple[int, int]:
    """:func:`position`, reading only as much of the file as it takes (a warning about
    the first rows of a 10-million-row file reads a megabyte, not the file)."""
    if error.line is None and error.row is None:
        return 1, 1
    size = 1 << 20
    with open(path, "rb") as file:
        while True:
            file.seek(0)
            data = file.read(size)
            complete = len(data) < size
            found = _locate(data, error, complete=complete)
            if found is not None:
                return found
            size *= 4


def _locate(data: bytes, error: DataFileError, *, complete: bool) -> tuple[int, int] | None:
    """LINE:COL of ``error`` in ``data``; None when ``data`` is a prefix of the file that
    does not hold that line whole yet."""
    _, start = _header(data)
    starts = _line_starts(data, start)
    if error.line is not None:
        index = error.line
        if not complete and index + 1 >= len(starts) - 1:
            return None
    else:
        lengths = np.diff(starts)
        padded = np.frombuffer(data + b"\n", dtype=np.uint8)
        ends_cr = padded[np.maximum(starts[1:] - 2, 0)] == 0x0D
        blank = (lengths <= 1) | ((lengths == 2) & ends_cr)
        nonblank = np.flatnonzero(~blank)
        if not complete and (error.row >= len(nonblank) - 1):
            return None
        index = int(nonblank[min(error.row, len(nonblank) - 1)]) if len(nonblank) else 0
    line = data[starts[index] : starts[min(index + 1, len(starts) - 1)]]
    text = line.decode("utf-8", errors="replace").rstrip("\r\n")
    return index + 2, _column_offset(text, error.column)


def _column_offset(line: str, column: int | None) -> int:
    """1-based character column where field ``column`` starts (quotes counted simply)."""
    if not column:
        return 1
    offset = 0
    for _ in range(column):
        comma = line.find(",", offset)
        if comma < 0:
            return len(line) + 1
        offset = comma + 1
    return offset + 1
