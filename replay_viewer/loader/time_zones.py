"""Naive date-times in an IANA time zone (``timezone: Europe/Berlin``) → UTC.

A date-time without an offset is UTC unless the series or the incident names a zone. Most
local times map to one instant; two hours a year do not, and are handled as what they are:

- **the repeated hour** (clocks go back): 02:30 happens twice. A data file written in
  time order steps back in time when the second pass begins (02:45 → 02:00, or 02:00 →
  02:00 for hourly data); rows from that step on, while they stay in the repeated hour,
  are the second pass (``fold=1``), the rows before it the first. A newest-first file is
  read the same way from its end. With no step back to go by, rows are read as the first
  pass and a warning says so.
- **the skipped hour** (clocks go forward): 02:30 never happens. As :mod:`zoneinfo` does
  for ``fold=0``, it is read with the offset before the change (02:30 → 03:30 local) and
  a warning says how many rows were.

Arrays are converted at C speed: the zone's transitions in the data's range are found
once with :mod:`zoneinfo` (a probe every 6 hours, then bisection to the second) and
applied to every row with ``searchsorted``; only the rows inside a repeated or skipped
hour (a few per transition) are looked at one transition at a time.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

import numpy as np

from .diagnostics import plural, shorten

__all__ = ["Transition", "local_to_utc", "resolve_local", "transitions", "zone_named"]

_PROBE_S = 6 * 3600
_MARGIN_S = 2 * 86400  # local times are within a day of UTC
_FIRST_S = int(dt.datetime(1, 1, 3, tzinfo=dt.UTC).timestamp())
_LAST_S = int(dt.datetime(9999, 12, 29, tzinfo=dt.UTC).timestamp())
_NS = 1_000_000_000


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name``; ValueError with what to write instead if there is none."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    hint = _suggest_zone(name)
    raise ValueError(
        f"time zone {shorten(name)!r} does not exist{hint}; give an IANA name such as "
        "Europe/Berlin, America/New_York or UTC"
    )


def _suggest_zone(name: str) -> str:
    import difflib

    if len(name) > 60:
        return ""
    zones = _zones()
    folded = {zone.lower(): zone for zone in zones}
    if name.lower() in folded:  # zone names are case-sensitive on most systems
        return f" (did you mean '{folded[name.lower()]}'?)"
    by_city = {zone.rsplit("/", 1)[-1].lower(): zone for zone in zones}
    city = name.rsplit("/", 1)[-1].lower().replace(" ", "_")
    if city in by_city:
        return f" (did you mean '{by_city[city]}'?)"
    close = difflib.get_close_matches(name, zones, n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


@functools.cache
def _zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


@dataclass(frozen=True)
class Transition:
    """A change of the zone's UTC offset: at ``at`` (UTC epoch seconds) from ``before`` to
    ``after`` (offsets in seconds east of UTC)."""

    at: int
    before: int
    after: int

    def local_window(self) -> tuple[int, int]:
        """The local wall times (epoch seconds, as if UTC) that the change repeats or
        skips: ``[at + min, at + max)`` of the two offsets."""
        return self.at + min(self.before, self.after), self.at + max(self.before, self.after)

    def describe(self, zone: zoneinfo.ZoneInfo) -> str:
        low, high = self.local_window()
        start = dt.datetime.fromtimestamp(low, dt.UTC).strftime("%Y-%m-%d %H:%M")
        end = dt.datetime.fromtimestamp(high, dt.UTC).strftime("%H:%M")
        return f"{start}–{end} {zone.key}"


def _offset_at(zone: zoneinfo.ZoneInfo, utc_s: int) -> int:
    moment = dt.datetime.fromtimestamp(utc_s, dt.UTC).astimezone(zone)
    return int(moment.utcoffset().total_seconds())


def transitions(zone: zoneinfo.ZoneInfo, first_s: float, last_s: float) -> list[Transition]:
    """The zone's offset changes between the UTC instants ``first_s`` and ``last_s``
    (widened by two days), found by probing every 6 hours and bisecting to the second."""
    begin = max(int(first_s) - _MARGIN_S, _FIRST_S)
    end = min(int(last_s) + _MARGIN_S, _LAST_S)
    found: list[Transition] = []
    previous_at, previous = begin, _offset_at(zone, begin)
    for probe in range(begin + _PROBE_S, end + _PROBE_S, _PROBE_S):
        offset = _offset_at(zone, probe)
        if offset != previous:
            low, high = previous_at, probe  # the change is in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_at(zone, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append(Transition(high, previous, offset))
        previous_at, previous = probe, offset
    return found


def local_to_utc(
    local_ns: np.ndarray, zone: zoneinfo.ZoneInfo
) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Local wall times (int64 ns since the epoch, as if UTC) in ``zone`` → UTC ns, and
    ``(row, warning)`` for rows in a skipped hour or an unresolved repeated hour."""
    if not len(local_ns):
        return local_ns, []
    low, high = int(local_ns.min()) // _NS, int(local_ns.max()) // _NS
    changes = transitions(zone, low - _MARGIN_S, high + _MARGIN_S)
    first = _offset_at(zone, max(low - _MARGIN_S - _MARGIN_S, _FIRST_S))
    if not changes:
        return local_ns - np.int64(first) * _NS, []
    # fold=0 everywhere: the offset before a change until the local clock has passed both
    # readings of the change (the end of a repeated hour, or of a skipped one).
    ends = np.array([change.local_window()[1] for change in changes], dtype=np.int64) * _NS
    ends = np.maximum.accumulate(ends)  # changes are months apart; this only guards
    offsets = np.array([first] + [change.after for change in changes], dtype=np.int64)
    utc = local_ns - offsets[np.searchsorted(ends, local_ns, side="right")] * _NS
    notes = _odd_hours(local_ns, utc, changes, zone)
    return utc, notes


def _odd_hours(
    local_ns: np.ndarray, utc: np.ndarray, changes: list[Transition], zone: zoneinfo.ZoneInfo
) -> list[tuple[int, str]]:
    """Second passes of repeated hours (fixed in ``utc``, in place) and the warnings."""
    bounds = np.array([edge for c in changes for edge in c.local_window()], dtype=np.int64)
    if (np.diff(bounds) < 0).any():  # windows that overlap: no tzdb zone has them
        return []
    where = np.searchsorted(bounds * _NS, local_ns, side="right")
    inside = np.flatnonzero(where % 2 == 1)  # rows in some change's window
    if not len(inside):
        return []
    steps = np.diff(local_ns)
    newest_first = np.count_nonzero(steps < 0) > np.count_nonzero(steps > 0)
    notes = []
    for index, change in enumerate(changes):
        rows = inside[where[inside] == 2 * index + 1]
        if not len(rows):
            continue
        if change.after > change.before:
            first = int(local_ns[rows[0]] // _NS)
            notes.append((int(rows[0]), _skipped_message(len(rows), change, zone, first)))
            continue
        second = _second_pass(local_ns, rows[::-1] if newest_first else rows)
        if second is None:
            notes.append((int(rows[0]), _repeated_message(len(rows), change, zone)))
        else:
            utc[second] = local_ns[second] - np.int64(change.after) * _NS
    return notes


def _second_pass(local_ns: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """The rows of a repeated hour's second pass: from the first step back in time between
    neighbouring rows (in reading order) to the end of that stretch of neighbours."""
    if len(rows) < 2:
        return None
    neighbours = np.abs(np.diff(rows)) == 1
    back = neighbours & (local_ns[rows[1:]] <= local_ns[rows[:-1]])
    if not back.any():
        return None
    start = int(np.argmax(back)) + 1
    broken = ~neighbours[start:]
    end = start + 1 + (int(np.argmax(broken)) if broken.any() else len(broken))
    return rows[start:end]


def _clock(seconds: int) -> str:
    hours, rest = divmod(abs(seconds), 3600)
    return f"{'+' if seconds >= 0 else '-'}{hours:02d}:{rest // 60:02d}"


def _skipped_message(
    count: int, change: Transition, zone: zoneinfo.ZoneInfo, first_local: int
) -> str:
    def clock(local_s: int) -> str:
        return dt.datetime.fromtimestamp(local_s, dt.UTC).strftime("%H:%M")

    later = first_local + change.after - change.before
    return (
        f"{plural(count, 'row is', 'rows are')} in {change.describe(zone)}, which the clocks "
        f"skip (daylight saving time begins); read with the offset before the change "
        f"(UTC{_clock(change.before)}), so {clock(first_local)} reads as {clock(later)}"
    )


def _repeated_message(count: int, change: Transition, zone: zoneinfo.ZoneInfo) -> str:
    return (
        f"{plural(count, 'row is', 'rows are')} in {change.describe(zone)}, which the clocks "
        "pass twice (daylight saving time ends), with no step back in time to tell the "
        f"passes apart; read as the first pass (UTC{_clock(change.before)})"
    )


def resolve_local(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, str | None]:
    """A naive ``moment`` in ``zone`` as a date-time with its fixed UTC offset (so that
    adding seconds to it stays exact across a later change), and a warning when it was in
    a skipped or repeated hour."""
    first, second = moment.replace(tzinfo=zone), moment.replace(tzinfo=zone, fold=1)
    offset = first.utcoffset()
    fixed = first.astimezone(dt.timezone(offset))
    if offset == second.utcoffset():
        return fixed, None
    back = first.astimezone(dt.UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment:
        return back.astimezone(dt.timezone(back.utcoffset())), (
            f"{moment:%Y-%m-%d %H:%M} is in the hour {zone.key} skips (daylight saving time "
            f"begins); read as {back:%H:%M} (UTC{_clock(int(back.utcoffset().total_seconds()))})"
        )
    return fixed, (
        f"{moment:%Y-%m-%d %H:%M} happens twice in {zone.key} (daylight saving time ends); "
        f"read as the first (UTC{_clock(int(offset.total_seconds()))}); write the offset to "
        "choose"
    )
