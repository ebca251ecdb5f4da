"""Series data from files beside the incident: path rules, ``.npy`` reading, validation.

A series may give ``file: PATH`` instead of inline ``samples``. This module decides whether
the path may be read (inside the incident's folder unless the user allows more), reads
``.npy`` files (``.csv`` is :mod:`.csv_data`), and validates the two columns the same way the
loader validates inline samples, with numpy over whole columns: the first bad row is found
with ``argmax`` on a boolean mask, never with a loop over rows.

Problems are raised as :class:`DataFileError` with a 0-based data row and column; the caller
turns them into positioned diagnostics (see :mod:`.series_files`).
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..model import MAX_ABS_VALUE
from ..timecode import MAX_SECONDS

if TYPE_CHECKING:
    import datetime as dt

__all__ = [
    "MAX_DATA_FILE_BYTES",
    "MAX_DATA_SAMPLES",
    "SUFFIXES",
    "TIME_MODES",
    "Columns",
    "DataFileError",
    "PathRefusedError",
    "check_regular_file",
    "first_problems",
    "read_npy",
    "resolve_data_path",
]

# A series is one GPU storage buffer of f32 pairs, and WebGPU's default binding limit is
# 128 MiB: 16.7 million pairs. Refuse more here rather than fail in the renderer.
MAX_DATA_SAMPLES = 16_000_000
# Twice the largest sensible CSV of MAX_DATA_SAMPLES rows; stops a mistaken multi-GB file
# before it is read.
MAX_DATA_FILE_BYTES = 1024 * 2**20
SUFFIXES = (".csv", ".npy")
TIME_MODES = ("auto", "seconds", "timecode", "iso", "epoch_s", "epoch_ms")
# Validation works on slices of this many rows so its temporaries stay a few MB whatever
# the file's size (peak memory is the data itself, not a multiple of it).
_CHUNK = 1 << 20

Columns = tuple[np.ndarray, np.ndarray]


class DataFileError(Exception):
    """A problem in a data file, where known: a 0-based data ``row`` (as read, blank lines
    skipped) or, for a line that could not be read, its 0-based data ``line``; the 0-based
    file ``column``."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: int | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.line = line


class PathRefusedError(Exception):
    """The ``file:`` path may not be read; positioned at the ``file:`` value."""


def resolve_data_path(value: str, base: Path | None, *, allow_outside: bool) -> Path:
    """The file a series' ``file:`` names, resolved against the incident's folder ``base``.

    Without ``allow_outside`` the path must stay inside ``base`` after resolving ``..`` and
    symlinks, so a shared incident cannot pull arbitrary local files into a picture.
    ``base`` is None when the incident was given as text without a path: then only an
    allowed path is read, relative to the current folder.
    """
    if "\x00" in value:
        raise PathRefusedError("the path contains a NUL character")
    given = Path(value)
    if base is None:
        if not allow_outside:
            raise PathRefusedError(
                "a data file is read from the incident's folder, and this incident was given "
                "without a path; load it from a file (or allow paths outside its folder to "
                "read from the current folder)"
            )
        base = Path.cwd()
    full = base / given
    if allow_outside:
        return full
    if given.is_absolute():
        raise PathRefusedError(
            f"{value!r} is an absolute path; a data file must be inside the incident's folder "
            "(use --allow-outside-paths to read it anyway)"
        )
    try:
        inside = full.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError) as exc:  # a symlink loop, a path too long
        raise PathRefusedError(f"cannot resolve the path: {exc}") from None
    if not inside:
        raise PathRefusedError(
            f"{value!r} leaves the incident's folder (through '..' or a symlink); data files "
            "must be inside it (use --allow-outside-paths to read it anyway)"
        )
    return full.resolve()


def check_regular_file(path: Path) -> int:
    """The size of ``path``, refusing what is not a regular file or is too large.

    Raises :class:`PathRefusedError` (missing, unreadable, not a file): those are problems
    of the path, shown at the ``file:`` value, not inside the data file.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise PathRefusedError(f"cannot read {path.name!r}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PathRefusedError(f"{path.name!r} is a directory, not a data file")
    if not stat.S_ISREG(info.st_mode):
        raise PathRefusedError(f"{path.name!r} is not a regular file (a device, pipe or socket)")
    if not os.access(path, os.R_OK):
        raise PathRefusedError(f"cannot read {path.name!r}: permission denied")
    if info.st_size > MAX_DATA_FILE_BYTES:
        raise DataFileError(
            f"file is {info.st_size / 2**20:.0f} MiB; data files are limited to "
            f"{MAX_DATA_FILE_BYTES // 2**20} MiB"
        )
    return info.st_size


# -- .npy ----------------------------------------------------------------------------------


def read_npy(path: Path) -> Columns:
    """Times and values from an (N, 2) numeric ``.npy`` array (no pickles).

    Read into memory rather than memory-mapped: the model keeps the arrays for as long as
    the window shows them, and a mapped file truncated meanwhile would crash the process
    (SIGBUS). Float64 files give column views of the one array: no copy.
    """
    try:
        with open(path, "rb") as file:
            array = np.load(file, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataFileError(f"not a valid .npy file ({_first_line(exc)})") from None
    if not isinstance(array, np.ndarray):  # an .npz archive
        raise DataFileError("is an .npz archive; save one (N, 2) array with numpy.save")
    if array.ndim != 2 or array.shape[1] != 2:
        raise DataFileError(
            f"holds an array of shape {array.shape}; expected (N, 2): time and value per row"
        )
    if array.dtype.kind not in "fiu" or array.dtype.itemsize > 8:
        raise DataFileError(
            f"holds {array.dtype} values; expected floats (float64 or float32) or integers"
        )
    if len(array) == 0:
        raise DataFileError("holds no rows; expected at least one [time, value] row")
    if len(array) > MAX_DATA_SAMPLES:
        raise DataFileError(_too_many(len(array)))
    if array.dtype != np.float64:
        array = array.astype(np.float64)
    return array[:, 0], array[:, 1]


def _too_many(count: int) -> str:
    return (
        f"holds {count:,} rows; a series is limited to {MAX_DATA_SAMPLES:,} samples "
        "(what one GPU buffer can hold)"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


# -- numeric time columns ------------------------------------------------------------------


def numeric_times(raw: np.ndarray, mode: str, started_at: dt.datetime | None) -> np.ndarray:
    """Numbers in ``mode`` (seconds, epoch_s, epoch_ms; auto decided) to seconds from T+0.

    ``auto`` looks at the first time: beyond the timecode limit (±1e9 s, about 30 years)
    it cannot be seconds from T+0, so it is an epoch timestamp: seconds below 1e11 (the
    year 5138), milliseconds from there on (1e11 ms is 1973).
    """
    if mode == "auto":
        first = float(raw[0])
        mode = "seconds"
        if math.isfinite(first) and abs(first) > MAX_SECONDS:
            mode = "epoch_ms" if abs(first) >= 1e11 else "epoch_s"
    if mode == "seconds":
        return raw
    start = epoch_of(started_at, mode)
    scale = 1000.0 if mode == "epoch_ms" else 1.0
    return (raw - start * scale) / scale


def epoch_of(started_at: dt.datetime | None, mode: str) -> float:
    """``started_at`` as epoch seconds (no offset means UTC); required for wall-clock times."""
    import datetime as dt

    if started_at is None:
        raise DataFileError(
            f"times are {_MODE_WORDS[mode]}, which need the incident's 'started_at' (the wall "
            "clock of T+0); add it, or give times in seconds from T+0",
            row=0,
        )
    if started_at.tzinfo is None:
        started_at = started_at.replace(tzinfo=dt.UTC)
    return started_at.timestamp()


_MODE_WORDS = {
    "epoch_s": "epoch timestamps in seconds",
    "epoch_ms": "epoch timestamps in milliseconds",
    "iso": "ISO-8601 date-times",
}


# -- validation ----------------------------------------------------------------------------


def first_problems(times: np.ndarray, values: np.ndarray) -> list[DataFileError]:
    """The first bad time and the first bad value (at most one each), as inline samples are
    checked: times finite and within ±1e9 s; values finite or NaN (a gap) and within
    ±MAX_ABS_VALUE. Times out of order are no problem here: the caller sorts them and
    warns (see :mod:`.time_order`)."""
    problems: list[DataFileError] = []
    time_problem = _first_bad_time(times)
    if time_problem is not None:
        problems.append(time_problem)
    value_problem = _first_bad_value(values)
    if value_problem is not None:
        problems.append(value_problem)
    return problems


def _first_bad_time(times: np.ndarray) -> DataFileError | None:
    with np.errstate(invalid="ignore"):
        for begin in range(0, len(times), _CHUNK):
            chunk = times[begin : begin + _CHUNK]
            bad = ~np.isfinite(chunk) | (np.abs(chunk) > MAX_SECONDS)
            if bad.any():
                row = begin + int(np.argmax(bad))
                return DataFileError(_time_message(float(times[row])), row=row, column=0)
    return None


def _time_message(t: float) -> str:
    if math.isnan(t):
        return "time is missing or not a number; every row needs a time"
    return (
        f"time {t:g} s is too far from T+0 (limit ±{MAX_SECONDS:.0e} s); for epoch "
        "timestamps set the series' time: epoch_s or epoch_ms"
    )


def _first_bad_value(values: np.ndarray) -> DataFileError | None:
    with np.errstate(invalid="ignore"):
        for begin in range(0, len(values), _CHUNK):
            chunk = values[begin : begin + _CHUNK]
            bad = np.isinf(chunk) | (np.abs(chunk) > MAX_ABS_VALUE)
            if bad.any():
                row = begin + int(np.argmax(bad))
                value = float(values[row])
                message = (
                    f"value {value:g} is not finite; leave the field empty for a gap"
                    if math.isinf(value)
                    else f"value {value:g} is too large to chart (limit: ±{MAX_ABS_VALUE:.0e})"
                )
                return DataFileError(message, row=row, column=1)
    return None
