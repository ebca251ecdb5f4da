"""Timecodes: incident-relative times such as ``T+01:02.5``, ``90s``, ``-60`` or
``T+2d 04:05:00``, and wall-clock readings such as ``Mon 14 Jul 06:00``.

All times inside replay-viewer are float seconds relative to T+0 (the trigger). This
module converts between that and the text people write in incident files and read on
screen. From 24 hours on a timecode counts days: ``T+2d 04:05:00``.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import datetime as dt

__all__ = [
    "CLOCK_MODES",
    "DAY",
    "ClockMode",
    "TimecodeError",
    "format_clock",
    "format_shift",
    "format_timecode",
    "format_wall_clock",
    "parse_shift",
    "parse_timecode",
]

# How times read on screen: relative to T+0 (``T+2d 04:05:00``), or the wall clock of the
# incident's zone (``Mon 14 Jul 06:00:05``, needs ``started_at``).
ClockMode = Literal["relative", "wall"]
CLOCK_MODES: tuple[ClockMode, ...] = ("relative", "wall")
DAY = 86400


class TimecodeError(ValueError):
    """A timecode could not be parsed; the message says what is accepted."""


# About 30 years: beyond that a "timecode" is a mistake (or an epoch timestamp).
MAX_SECONDS = 1e9
ACCEPTED_FORMS = (
    "seconds (90), T+MM:SS, T-MM:SS, H:MM:SS, days (T+2d 04:05:00, T+2d) "
    "or units (90s, 14m, 1h2m3s, 2d4h)"
)

_CLOCK_RE = re.compile(
    r"""^(?:(?P<h>\d+):(?P<m1>[0-5]?\d):(?P<s1>[0-5]?\d(?:\.\d+)?)   # H:MM:SS
        |(?P<m2>\d+):(?P<s2>[0-5]?\d(?:\.\d+)?)                       # MM:SS
        |(?P<s3>\d+(?:\.\d+)?))$                                      # SS
    """,
    re.VERBOSE,
)
_SCIENTIFIC_RE = re.compile(r"(\d+\.?\d*|\.\d+)[eE][-+]?\d+")
_UNITS_RE = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m(?!s))?"
    r"(?:(?P<s>\d+(?:\.\d+)?)s)?(?:(?P<ms>\d+(?:\.\d+)?)ms)?$"
)
# Days first: ``2d``, ``1.5d``, ``2d 04:05:00`` (H:MM:SS, hours below 24), ``2d4h``, ``2d 4h``.
# ``2d 04:05`` is refused: after a day count it could mean hours or minutes.
_DAYS_RE = re.compile(r"^(?P<d>\d+)d(?:\s*(?P<rest>\S.*))?$|^(?P<frac>\d+\.\d+)d$")
_DAY_CLOCK_RE = re.compile(r"^(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d):(?P<s>[0-5]\d(?:\.\d+)?)$")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_timecode(value: str | int | float) -> float:
    """Parse a timecode into seconds relative to T+0.

    Parameters
    ----------
    value
        A number of seconds, or a string: optional ``T+``/``T-``/``+``/``-`` prefix followed by
        ``SS``, ``MM:SS`` or ``H:MM:SS`` (seconds may carry a fraction), days (``2d``,
        ``2d 04:05:00``, ``2d4h``: what :func:`format_timecode` writes from 24 hours on), or
        a duration with units such as ``90s``, ``14m``, ``1h2m3s``, ``250ms``.

    Raises
    ------
    TimecodeError
        If the value is not one of the accepted forms or not finite.
    """
    if isinstance(value, bool):
        raise TimecodeError(f"expected a timecode, got a boolean; use {ACCEPTED_FORMS}")
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
        if not math.isfinite(seconds):
            raise TimecodeError("timecode must be a finite number of seconds")
        if abs(seconds) > MAX_SECONDS:
            raise TimecodeError(
                f"timecode {value} is too far from T+0 (limit: {MAX_SECONDS:.0e} s)"
            )
        return seconds
    if not isinstance(value, str):
        raise TimecodeError(f"expected a timecode, got {type(value).__name__}")

    text = value.strip()
    sign = 1.0
    for prefix, prefix_sign in (("T+", 1.0), ("T-", -1.0), ("t+", 1.0), ("t-", -1.0)):
        if text.startswith(prefix):
            text, sign = text[2:], prefix_sign
            break
    else:
        if text[:1] in "+-" and text[:1] != "":
            sign = -1.0 if text[0] == "-" else 1.0
            text = text[1:]
    if not text:
        raise TimecodeError(f"empty timecode; use {ACCEPTED_FORMS}")

    try:
        seconds = _parse_unsigned(text)
    except OverflowError:
        seconds = math.inf
    if seconds is None:
        raise TimecodeError(f"invalid timecode {_shown(value)}; use {ACCEPTED_FORMS}")
    if not math.isfinite(seconds) or seconds > MAX_SECONDS:
        raise TimecodeError(
            f"timecode {_shown(value)} is too far from T+0 (limit: {MAX_SECONDS:.0e} s)"
        )
    return sign * seconds


WEEK = 7 * DAY
_WEEKS_RE = re.compile(r"^(?P<w>\d+(?:\.\d+)?)w\s*(?P<rest>.*)$")


def parse_shift(value: str | int | float) -> float:
    """A positive duration back in time, such as a baseline's shift: ``1w``, ``2w 1d``,
    ``1d``, ``6h``, ``90m`` or seconds (weeks, then anything :func:`parse_timecode` reads).

    Raises
    ------
    TimecodeError
        If it is not a duration or not above zero.
    """
    text = value.strip() if isinstance(value, str) else value
    weeks = _WEEKS_RE.fullmatch(text) if isinstance(text, str) else None
    try:
        if weeks is not None:
            rest = weeks["rest"]
            seconds = float(weeks["w"]) * WEEK + (parse_timecode(rest) if rest else 0.0)
        else:
            seconds = parse_timecode(text)
    except TimecodeError:
        raise TimecodeError(
            f"invalid duration {_shown(value)}; use weeks, days, hours, "
            "minutes or seconds, like 1w, 2w 1d, 1d, 6h, 90m or 3600"
        ) from None
    if not seconds > 0:
        raise TimecodeError(f"a shift back in time must be above zero, like 1w, 1d or 6h; got "
                            f"{_shown(value)}")  # fmt: skip
    return seconds


def format_shift(seconds: float) -> str:
    """A shift as people say it: ``1w``, ``2w``, ``1d``, ``6h``, ``90m``, ``45s``."""
    for unit, size in (("w", WEEK), ("d", DAY), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size:.0f}{unit}"
    return f"{seconds:g}s"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:38] + "…" + text[-1]


def _parse_unsigned(text: str) -> float | None:
    match = _DAYS_RE.fullmatch(text)
    if match:
        if match["frac"] is not None:
            return float(match["frac"]) * DAY
        rest = match["rest"]
        if rest is None:
            return float(match["d"]) * DAY
        clock = _DAY_CLOCK_RE.fullmatch(rest)
        if clock:
            within = int(clock["h"]) * 3600 + int(clock["m"]) * 60 + float(clock["s"])
        else:
            within = _parse_units(rest)
        return None if within is None else float(match["d"]) * DAY + within
    match = _CLOCK_RE.fullmatch(text)
    if match:
        groups = match.groupdict()
        if groups["h"] is not None:
            return int(groups["h"]) * 3600 + int(groups["m1"]) * 60 + float(groups["s1"])
        if groups["m2"] is not None:
            return int(groups["m2"]) * 60 + float(groups["s2"])
        return float(groups["s3"])
    if _SCIENTIFIC_RE.fullmatch(text):
        return float(text)  # 1.5e3: seconds, as a JSON exporter may write them
    return _parse_units(text)


def _parse_units(text: str) -> float | None:
    match = _UNITS_RE.fullmatch(text)
    if match and any(match.groupdict().values()):
        parts = match.groupdict()
        return (
            float(parts["h"] or 0) * 3600
            + float(parts["m"] or 0) * 60
            + float(parts["s"] or 0)
            + float(parts["ms"] or 0) / 1000
        )
    return None


def format_timecode(seconds: float, *, decimals: int = 0, always_hours: bool = False) -> str:
    """Format seconds as ``T+MM:SS`` (``T+H:MM:SS`` from one hour on, ``T+2d 04:05:00``
    from 24 hours on).

    ``decimals`` adds a fraction of a second (``T+01:02.500``); the value is rounded, not
    truncated, so formatting then parsing gives back the value to that precision.
    """
    sign = "-" if seconds < 0 else "+"
    scale = 10**decimals
    # Round once, in integer units of the last shown digit, so 59.9996 s becomes 01:00.000.
    units = round(abs(seconds) * scale)
    whole, fraction = divmod(units, scale)
    if units == 0:
        sign = "+"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac_text = f".{fraction:0{decimals}d}" if decimals > 0 else ""
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"T{sign}{days}d {hours:02d}:{minutes:02d}:{secs:02d}{frac_text}"
    if hours or always_hours:
        return f"T{sign}{hours}:{minutes:02d}:{secs:02d}{frac_text}"
    return f"T{sign}{minutes:02d}:{secs:02d}{frac_text}"


def format_clock(seconds: float) -> str:
    """Format a duration without the T prefix: ``14:00``, ``1:02:03``, ``2d 04:05:00``
    (``-01:00`` if < 0)."""
    text = format_timecode(seconds)
    return ("-" if text[1] == "-" else "") + text[2:]


def format_wall_clock(
    when: dt.datetime,
    *,
    date: bool = True,
    time: bool = True,
    seconds: bool = True,
    year: bool = False,
) -> str:
    """A wall-clock reading: ``Mon 14 Jul 06:00:05`` (``date=False``: ``06:00:05``;
    ``seconds=False``: ``Mon 14 Jul 06:00``; ``time=False``: ``Mon 14 Jul``; ``year``:
    ``Mon 14 Jul 2025 …``). English names whatever the locale, so frames read the same on
    every machine; the time is ``when``'s own (its zone's) time."""
    parts = []
    if date:
        parts.append(f"{_WEEKDAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]}")
        if year:
            parts[-1] += f" {when.year}"
    if time:
        parts.append(f"{when.hour:02d}:{when.minute:02d}" + (f":{when.second:02d}" * seconds))
    return " ".join(parts)
