"""Time columns written as text: timecodes and ISO-8601 date-times, parsed over whole arrays.

Every step is a numpy operation on the column (``numpy.char`` splits, ``astype`` to
numbers and to ``datetime64``), never a Python loop over rows; a bad value is found with
``argmax`` on a mask, or, where numpy's conversion refuses a chunk, by bisecting that chunk.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from ..timecode import MAX_SECONDS
from .datafiles import DataFileError
from .time_zones import local_to_utc

if TYPE_CHECKING:
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

__all__ = ["iso_times", "timecode_times"]

_TIMECODE_FORMS = "T+MM:SS, T-MM:SS, T+H:MM:SS or seconds (a fraction is allowed)"
_CHUNK = 1 << 20


def timecode_times(raw: np.ndarray) -> np.ndarray:
    """Timecodes (``T+01:30``, ``-1:00:00``, ``90.5``) to seconds, with the meaning
    :func:`~replay_viewer.timecode.parse_timecode` gives them. The unit forms (``90s``,
    ``1h2m``) are for hand-written files and are not read from data files."""
    text = np.char.strip(raw.astype(str))
    t_prefix = np.char.startswith(text, "T") | np.char.startswith(text, "t")
    body = np.where(t_prefix, _drop_first(text), text)
    negative = np.char.startswith(body, "-")
    signed = negative | np.char.startswith(body, "+")
    body = np.where(signed, _drop_first(body), body)
    colons = np.char.count(body, ":")
    head, _, seconds_text = _split(np.char.rpartition(body, ":"))
    hours_text, _, minutes_text = _split(np.char.rpartition(head, ":"))
    whole, dot, fraction = _split(np.char.partition(seconds_text, "."))
    ok = (signed | ~t_prefix) & (colons <= 2) & _ascii(body) & _digits(whole)
    ok &= (dot == "") | _digits(fraction)
    ok &= (colons == 0) | (np.char.str_len(whole) <= 2)
    ok &= (colons == 0) | _digits(minutes_text)
    ok &= (colons < 2) | ((np.char.str_len(minutes_text) <= 2) & _digits(hours_text))
    seconds = _numbers(np.where(ok, seconds_text, "0"))
    minutes = _numbers(np.where(ok & (colons >= 1), minutes_text, "0"))
    hours = _numbers(np.where(ok & (colons == 2), hours_text, "0"))
    ok &= (colons == 0) | (seconds < 60)
    ok &= (colons < 2) | (minutes < 60)
    total = hours * 3600 + minutes * 60 + seconds
    ok &= total <= MAX_SECONDS
    if not ok.all():
        row = int(np.argmax(~ok))
        raise DataFileError(
            f"time {str(raw[row])[:30]!r} is not a timecode; data files take {_TIMECODE_FORMS}",
            row=row,
        )
    return np.where(negative, -total, total)


def iso_times(
    raw: np.ndarray,
    start_epoch: float,
    *,
    zone: ZoneInfo | None = None,
    notes: list[tuple[int, str]] | None = None,
) -> np.ndarray:
    """ISO-8601 date-times (``2025-06-03T09:41:00Z``, ``…+02:00``, no offset = UTC, or
    local time in ``zone``) to seconds from ``start_epoch`` (the incident's ``started_at``).
    Rows in a skipped or ambiguous hour of the zone add ``(row, warning)`` to ``notes``."""
    text = np.char.strip(raw.astype(str))
    zulu = np.char.endswith(text, "Z") | np.char.endswith(text, "z")
    naive = ~zulu
    text = np.where(zulu, np.char.rstrip(text, "Zz"), text)
    offsets = np.zeros(len(text), dtype=np.int64)
    for sign, char in ((1, "+"), (-1, "-")):
        head, sep, tail = _split(np.char.rpartition(text, char))
        hh, colon, mm = _split(np.char.partition(tail, ":"))
        given = (sep == char) & (colon == ":") & (np.char.str_len(tail) == 5) & _digits(hh)
        given &= _digits(mm) & (np.char.str_len(head) >= 10)
        offsets += sign * np.where(
            given,
            _numbers(np.where(given, hh, "0")) * 3600 + _numbers(np.where(given, mm, "0")) * 60,
            0,
        ).astype(np.int64)
        text = np.where(given, head, text)
        naive &= ~given
    year, dash, _ = _split(np.char.partition(text, "-"))
    ok = _digits(year) & (np.char.str_len(year) == 4) & (dash == "-") & _ascii(text)
    if not ok.all():
        row = int(np.argmax(~ok))
        raise DataFileError(_not_iso(raw[row]), row=row)
    stamps = _convert(text, lambda part: part.astype("datetime64[ns]"), raw)
    nanoseconds = stamps.view(np.int64) - offsets * 1_000_000_000
    missing = np.isnat(stamps)  # numpy reads "NaT" as a date-time
    if missing.any():
        row = int(np.argmax(missing))
        raise DataFileError(_not_iso(raw[row]), row=row)
    if zone is not None and naive.any():
        nanoseconds = _in_zone(nanoseconds, naive, zone, notes)
    start_ns = round(start_epoch * 1e9)
    return (nanoseconds - start_ns).astype(np.float64) / 1e9


def _in_zone(
    nanoseconds: np.ndarray, naive: np.ndarray, zone: ZoneInfo, notes: list | None
) -> np.ndarray:
    """The rows written without an offset, read as local time in ``zone``."""
    if naive.all():
        utc, found = local_to_utc(nanoseconds, zone)
        rows = None
    else:
        rows = np.flatnonzero(naive)
        utc_rows, found = local_to_utc(nanoseconds[rows], zone)
        utc = nanoseconds.copy()
        utc[rows] = utc_rows
    if notes is not None:
        notes += [(int(row if rows is None else rows[row]), text) for row, text in found]
    return utc


def _not_iso(value: object) -> str:
    return (
        f"time {str(value)[:40]!r} is not an ISO-8601 date-time such as "
        "2025-06-03T09:41:00Z or 2025-06-03 09:41:00.250+02:00"
    )


def _convert(text: np.ndarray, convert: Callable[[np.ndarray], np.ndarray], raw: np.ndarray):
    """``convert`` per chunk; where numpy refuses a chunk, bisect it for the first bad row."""
    parts = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warns (not fails) on zones it cannot keep
        for begin in range(0, len(text), _CHUNK):
            chunk = text[begin : begin + _CHUNK]
            try:
                parts.append(convert(chunk))
            except (ValueError, Warning):
                low, high = 0, len(chunk)  # the first bad row is in [low, high)
                while high - low > 1:
                    middle = (low + high) // 2
                    try:
                        convert(chunk[low:middle])
                        low = middle
                    except (ValueError, Warning):
                        high = middle
                raise DataFileError(_not_iso(raw[begin + low]), row=begin + low) from None
    return np.concatenate(parts) if parts else np.empty(0, dtype="datetime64[ns]")


def _split(parts: np.ndarray | tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three parts of ``numpy.char.(r)partition``: a tuple in numpy 2, an array with a
    last axis of 3 before."""
    if isinstance(parts, tuple):
        return parts[0], parts[1], parts[2]
    return parts[..., 0], parts[..., 1], parts[..., 2]


def _drop_first(text: np.ndarray) -> np.ndarray:
    """Each string without its first character (one vectorised copy of the code points)."""
    width = text.dtype.itemsize // 4
    if width <= 1:
        return np.zeros(len(text), dtype="<U1")
    codes = np.ascontiguousarray(text, dtype=f"<U{width}").view(np.uint32).reshape(-1, width)
    return np.ascontiguousarray(codes[:, 1:]).view(f"<U{width - 1}").reshape(-1)


def _digits(text: np.ndarray) -> np.ndarray:
    """Non-empty and ASCII digits only (``isdigit`` alone also takes '²' and '٣')."""
    return np.char.isdigit(text) & _ascii(text)


def _ascii(text: np.ndarray) -> np.ndarray:
    encoded = np.char.encode(text, "ascii", "ignore")
    return np.char.str_len(encoded) == np.char.str_len(text)


def _numbers(text: np.ndarray) -> np.ndarray:
    return text.astype(np.float64) if len(text) else np.zeros(0)
