"""Option values shared by the command line and the window's dialogs, checked the same way
in both: frame sizes, backends, a time inside the incident, and the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import UsageError
from .timecode import format_timecode

if TYPE_CHECKING:
    from .model import Incident
    from .timecode import ClockMode

__all__ = ["BACKENDS", "check_clock", "check_time", "parse_range", "parse_series", "parse_size"]

BACKENDS = ("vulkan", "metal", "d3d12", "opengl")


def parse_size(text: str) -> tuple[int, int]:
    """``1280x720`` → (1280, 720); raises UsageError otherwise."""
    try:
        width_text, height_text = text.lower().split("x")
        width, height = int(width_text), int(height_text)
    except ValueError:
        raise UsageError(f"--size must be WIDTHxHEIGHT such as 1280x720, got {text!r}") from None
    if not (160 <= width <= 8192 and 120 <= height <= 8192):
        raise UsageError(f"--size {text} is out of range: 160x120 to 8192x8192")
    return width, height


def parse_range(incident: Incident, text: str) -> tuple[float, float]:
    """``T+02:00..T+05:00`` → (120.0, 300.0), both inside the incident, start before end."""
    from .timecode import TimecodeError, parse_timecode

    first, sep, second = text.partition("..")
    try:
        if not sep:
            raise TimecodeError("expected two times joined by '..'")
        start, end = parse_timecode(first.strip()), parse_timecode(second.strip())
    except TimecodeError as exc:
        raise UsageError(f"--range {text!r}: {exc} (e.g. T+02:00..T+05:00)") from None
    if not start < end:
        raise UsageError(f"--range {text!r}: the start must be before the end")
    check_time(incident, start, "--range start")
    check_time(incident, end, "--range end")
    return start, end


def check_time(
    incident: Incident, t: float, option: str = "--at", view: tuple[float, float] | None = None
) -> float:
    """``t`` if it lies inside the incident's timeline (and inside ``view``, the --range
    shown, when there is one); a UsageError that says the range otherwise."""
    if not incident.start <= t <= incident.end:
        raise UsageError(
            f"{option} {format_timecode(t)} is outside the incident "
            f"({format_timecode(incident.start)} to {format_timecode(incident.end)})"
        )
    if view is not None and not view[0] <= t <= view[1]:
        raise UsageError(
            f"{option} {format_timecode(t)} is outside --range "
            f"{format_timecode(view[0])}..{format_timecode(view[1])}: the playhead would not "
            "be in the frame; move --at or widen --range"
        )
    return t


def check_clock(incident: Incident, clock: ClockMode, option: str = "--clock") -> ClockMode:
    """``clock`` if the incident can show it: the wall clock needs ``started_at``."""
    if clock == "wall" and incident.started_at is None:
        where = f"{incident.source} has" if incident.source else "the incident has"
        raise UsageError(
            f"{option} wall: {where} no started_at, so its times have no wall clock; add "
            "'started_at: 2025-06-03T09:41:00Z' (the wall-clock time of T+0) or leave out "
            f"{option}"
        )
    return clock


def parse_series(incident: Incident, text: str | None, option: str) -> frozenset[str]:
    """``ID,ID,…`` (series ids of the incident; a group's name stands for its members; in a
    comparison ``g`` is A's group ``A: g``, as ``p99`` is A's series and ``b-p99`` B's) as
    a set of ids; an unknown one is a usage error that names the ids it could be."""
    import difflib

    if not text:
        return frozenset()
    groups = {e.name: e for e in incident.entries if e.grouped}
    ids: set[str] = set()
    for name in (part.strip() for part in text.split(",") if part.strip()):
        if name not in groups and f"A: {name}" in groups:
            name = f"A: {name}"  # a comparison's groups: A's by its own name, as its series
        if name in groups:
            ids |= {incident.series[i].id for i in groups[name].members}
        elif name in incident.index_by_id:
            ids.add(name)
        else:
            close = difflib.get_close_matches(name, [*incident.index_by_id, *groups], 3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UsageError(f"{option}: no series or group {name!r} in the incident{hint}")
    return frozenset(ids)
