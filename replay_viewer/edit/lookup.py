"""Events found in the file: by their place (``line``/``column``) or their content, where
a new one goes in time order, and the event at a place after an edit."""

from __future__ import annotations

import bisect
import itertools
from typing import TYPE_CHECKING, Any

from ..loader.diagnostics import shorten
from ..loader.source import position
from ..timecode import format_timecode
from .problems import EventNotFoundError
from .writer import EventFields

if TYPE_CHECKING:
    from ..model import Event, Incident

__all__ = ["event_starting_at", "find_event", "insertion_index", "named"]


def named(event: Event | EventFields) -> str:
    """An event's title for a message or an undo label (``'Flag reverted'``)."""
    return f"{shorten(event.title, 32)!r}"


def find_event(incident: Incident, event: Event) -> Event:
    """``event`` in ``incident``: at its place when it is still there saying the same,
    else the one event saying the same.

    Raises
    ------
    EventNotFoundError
        It is gone, or there more than once (and not at its place).
    """
    wanted = EventFields.of(event)
    for candidate in incident.events:
        same_place = (candidate.line, candidate.column) == (event.line, event.column)
        if same_place and EventFields.of(candidate) == wanted:
            return candidate
    same = [candidate for candidate in incident.events if EventFields.of(candidate) == wanted]
    if len(same) == 1:
        return same[0]
    when = format_timecode(event.at)
    if same:
        raise EventNotFoundError(
            f"event {named(event)} at {when} is in the file {len(same)} times; "
            "choose one by its place"
        )
    raise EventNotFoundError(f"event {named(event)} at {when} is no longer in the file")


def insertion_index(incident: Incident, items: list[Any], at: float) -> int | None:
    """Where an event at ``at`` goes among the file's event ``items``: in time order when
    the file keeps its events in time order, else (None) at the end."""
    by_place = {(event.line, event.column): event.at for event in incident.events}
    times = []
    for item in items:
        mark = item.start_mark
        time = by_place.get((mark.line + 1, mark.column + 1))
        if time is None:
            return None
        times.append(time)
    if any(later < earlier for earlier, later in itertools.pairwise(times)):
        return None
    return bisect.bisect_right(times, at)


def event_starting_at(incident: Incident, text: str, index: int) -> Event:
    """The event whose mapping starts at ``text[index]``."""
    line, column = position(text, index)
    for event in incident.events:
        if (event.line, event.column) == (line, column):
            return event
    raise EventNotFoundError(f"no event starts at line {line}, column {column}")
