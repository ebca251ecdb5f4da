"""A histogram's data file: times × bucket bounds × counts, validated, sorted by time.

Two forms:

- ``.csv``: a header row naming a time column and then one column per bucket, headed by
  the bucket's upper bound (``le``: ``0.005``, ``0.01``, …, ``+Inf``), then a row per time;
  an empty field is a gap;
- ``.npy``: an ``(N, 1 + B)`` array, each row the time and the B buckets' counts, the bounds
  listed in the histogram's ``buckets:``.

Problems are :class:`~.datafiles.DataFileError` with the 0-based data row and file column
(the caller positions them in the data file, as for series): times as for series (repeated
or unordered times are kept and sorted, with a warning), bounds that do not increase (at
the header field), counts that are negative or not finite and, for cumulative buckets, a
count below the bucket before it (at the first such cell).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..analysis.histograms import decumulate, first_decrease, first_not_increasing
from ..model import MAX_ABS_VALUE
from .csv_data import _header, detect_mode
from .datafiles import (
    MAX_DATA_SAMPLES,
    DataFileError,
    epoch_of,
    first_problems,
    numeric_times,
)
from .time_order import check_order
from .time_text import iso_times, timecode_times

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path
    from zoneinfo import ZoneInfo

__all__ = ["BoundsError", "HistogramData", "parse_bound", "read_histogram_file"]

# Cells (times × buckets) a histogram file may hold: a series' limit of samples.
MAX_CELLS = MAX_DATA_SAMPLES
MIN_POSITIVE_BOUND = 1e-30  # as a value's limit is ±1e30: log axes stay within ±90 decades


class BoundsError(DataFileError):
    """A bucket bound that is not one, or does not increase: at the CSV header's field
    (``column``), or at the ``buckets:`` list's item ``index`` for a ``.npy`` file."""

    def __init__(self, message: str, *, column: int) -> None:
        super().__init__(message, column=column)


@dataclass
class HistogramData:
    """What a histogram file holds, validated and sorted by time: its times, bounds and
    each bucket's own counts (de-cumulated when the file's were cumulative), and the
    warnings (``(row, message)``: rows sorted, daylight-saving hours)."""

    times: np.ndarray
    bounds: np.ndarray
    counts: np.ndarray
    notes: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class HistogramRead:
    """How the histogram reads its file (the bounds are the YAML's, for ``.npy``)."""

    suffix: str
    bounds: tuple[float, ...] | None
    cumulative: bool
    time_mode: str
    started_at: dt.datetime | None
    zone: ZoneInfo | None


def parse_bound(text: str) -> float | None:
    """A bucket's upper bound as written (``0.25``, ``1e-3``, ``+Inf``, ``le=0.5``); None
    when it is not a number."""
    text = text.strip()
    text = text[3:].strip() if text.lower().startswith("le=") else text
    text = text.strip("\"'")
    if text.lower() in ("+inf", "inf", ".inf", "+.inf"):
        return math.inf
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def read_histogram_file(path: Path, read: HistogramRead) -> HistogramData:
    """The validated contents of a histogram's data file (raises DataFileError)."""
    if read.suffix == ".csv":
        raw_times, bounds, cells, mode = _read_csv(path, read.time_mode)
    else:
        raw_times, cells = _read_npy(path, read.bounds)
        bounds, mode = np.asarray(read.bounds, dtype=np.float64), read.time_mode
    notes: list[tuple[int, str]] = []
    times = _times(raw_times, mode, read, notes)
    problems = first_problems(times, np.zeros(0))
    if problems:
        raise problems[0]
    _check_bounds(bounds)
    _check_counts(cells, cumulative=read.cumulative)
    order = check_order(times)
    if order.earlier:
        permutation = np.argsort(times, kind="stable")
        times, cells = times[permutation], cells[permutation]
    counts = decumulate(cells) if read.cumulative else cells
    return HistogramData(times, bounds, counts, notes + order.messages())


def _times(raw: np.ndarray, mode: str, read: HistogramRead, notes: list) -> np.ndarray:
    try:
        if mode == "timecode":
            return timecode_times(raw)
        if mode == "iso":
            start = epoch_of(read.started_at, "iso")
            return iso_times(raw, start, zone=read.zone, notes=notes)
        return numeric_times(raw, mode, read.started_at)
    except DataFileError as exc:
        exc.column = 0 if exc.row is not None else None
        raise


def _check_bounds(bounds: np.ndarray) -> None:
    """Bounds increase; only the last may be +Inf (the bucket of everything)."""
    bad = first_not_increasing(bounds)
    if bad >= 0:
        raise BoundsError(
            f"bucket bound {bounds[bad]:g} is not above the one before it "
            f"({bounds[bad - 1]:g}); bounds must increase from left to right",
            column=bad,
        )
    infinite = np.flatnonzero(np.isinf(bounds[:-1]))
    if len(infinite):
        raise BoundsError("only the last bucket may be +Inf", column=int(infinite[0]))
    finite = np.isfinite(bounds)
    huge = np.flatnonzero(finite & (np.abs(bounds) > MAX_ABS_VALUE))
    if len(huge):
        raise BoundsError(f"bucket bound {bounds[huge[0]]:g} is beyond ±{MAX_ABS_VALUE:g}",
                          column=int(huge[0]))  # fmt: skip
    tiny = np.flatnonzero(finite & (bounds > 0) & (bounds < MIN_POSITIVE_BOUND))
    if len(tiny):  # the heatmap's axis is logarithmic: rows from 1e-30 up
        raise BoundsError(f"bucket bound {bounds[tiny[0]]:g} is too close to 0 for the log "
                          f"axis (at least {MIN_POSITIVE_BOUND:g}, or 0)",
                          column=int(tiny[0]))  # fmt: skip


def _check_counts(cells: np.ndarray, *, cumulative: bool) -> None:
    """Counts finite (or a gap) and not negative; cumulative ones never going down from one
    bucket to the next. Columns are file columns: the time is column 0."""
    with np.errstate(invalid="ignore"):
        bad = np.isinf(cells) | (cells < 0) | (cells > MAX_ABS_VALUE)
    if bad.any():
        row = int(np.argmax(bad.any(axis=1)))
        column = int(np.argmax(bad[row]))
        value = float(cells[row, column])
        message = (
            f"count {value:g} is negative; a bucket counts observations (or their rate)"
            if value < 0
            else f"count {value:g} is not a finite number within ±{MAX_ABS_VALUE:.0e}; "
            "leave the field empty for a gap"
        )
        raise DataFileError(message, row=row, column=column + 1)
    found = first_decrease(cells) if cumulative else None
    if found is not None:
        row, column = found
        raise DataFileError(
            f"count {cells[row, column]:g} is below the bucket before it "
            f"({cells[row, column - 1]:g}), and the buckets are cumulative (each counts "
            "everything up to its bound, as Prometheus' le buckets do); give cumulative: "
            "false if each bucket counts only its own observations",
            row=row,
            column=column + 1,
        )


# -- .csv ----------------------------------------------------------------------------------


def _read_csv(path: Path, time_mode: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    data = path.read_bytes()
    header, body_start = _header(data)
    if len(header) < 2:
        raise DataFileError(
            "has one column; expected a time column and a column per bucket, each headed "
            "by its upper bound (le), e.g. time,0.1,0.5,+Inf"
        )
    bounds = []
    for column, name in enumerate(header[1:], 1):
        bound = parse_bound(name)
        if bound is None:
            raise BoundsError(
                f"column header {name[:30]!r} is not a bucket's upper bound; head each "
                "bucket column with its bound (le), e.g. 0.25 or +Inf",
                column=column - 1,
            )
        bounds.append(bound)
    rows = _rows(data[body_start:], len(header))
    if time_mode == "auto":
        time_mode = detect_mode(rows[0][0])
    table = np.array(rows, dtype=object)
    raw_times = table[:, 0].astype(str)
    if time_mode not in ("timecode", "iso"):
        raw_times = _numbers(table[:, :1], "time")[:, 0]
    return raw_times, np.array(bounds), _numbers(table[:, 1:], "count", first_column=1), time_mode


def _rows(body: bytes, width: int) -> list[list[str]]:
    """The data rows (blank lines skipped), each of ``width`` fields."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n")
        raise DataFileError("this row is not valid UTF-8", line=line) from None
    rows = []
    for line_number, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        fields = [value.strip() for value in next(csv.reader([line]))]
        if len(fields) != width:
            raise DataFileError(
                f"row has {len(fields)} fields; the header names {width} (the time and "
                f"{width - 1} buckets)",
                line=line_number,
            )
        rows.append(fields)
        if len(rows) * width > MAX_CELLS:
            raise DataFileError(f"holds more than {MAX_CELLS:,} values; narrow its time range")
    if not rows:
        raise DataFileError("has a header but no rows; expected at least one row of data")
    return rows


def _numbers(table: np.ndarray, what: str, *, first_column: int = 0) -> np.ndarray:
    """Text fields → floats, an empty field NaN; the first bad one is reported."""
    text = np.char.strip(table.astype(str))
    text = np.where(text == "", "nan", text)
    try:
        return text.astype(np.float64)
    except ValueError:
        for row, fields in enumerate(text):
            for column, value in enumerate(fields):
                try:
                    float(value)
                except ValueError:
                    raise DataFileError(
                        f"{what} {value[:30]!r} is not a number", row=row,
                        column=column + first_column,
                    ) from None  # fmt: skip
        raise


# -- .npy ----------------------------------------------------------------------------------


def _read_npy(path: Path, bounds: tuple[float, ...] | None) -> tuple[np.ndarray, np.ndarray]:
    try:
        with open(path, "rb") as file:
            array = np.load(file, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataFileError(f"not a valid .npy file ({str(exc).splitlines()[0][:160]})") from None
    buckets = len(bounds or ())
    if not isinstance(array, np.ndarray) or array.ndim != 2 or array.shape[1] != 1 + buckets:
        shape = getattr(array, "shape", "an .npz archive")
        raise DataFileError(
            f"holds {shape}; expected (N, {1 + buckets}): a time and the {buckets} buckets' "
            "counts per row, as 'buckets' lists them"
        )
    if array.dtype.kind not in "fiu" or array.dtype.itemsize > 8:
        raise DataFileError(f"holds {array.dtype} values; expected floats or integers")
    if not len(array):
        raise DataFileError("holds no rows; expected at least one row")
    if array.size > MAX_CELLS:
        raise DataFileError(f"holds {array.size:,} values; at most {MAX_CELLS:,} are read")
    array = array.astype(np.float64)
    return array[:, 0], array[:, 1:]
