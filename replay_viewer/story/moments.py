"""Which moments tell an incident: its starred events (the author's choice), else every
event, or the times a user lists; at most :data:`MAX_MOMENTS`, and evenly spaced moments
when there is no event at all. Pure: the storyboard, the presenter, captioned animations
and the report all start from a :class:`StoryPlan`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..errors import UsageError
from ..timecode import TimecodeError, format_timecode, parse_timecode

if TYPE_CHECKING:
    from ..model import Event, Incident

__all__ = ["MAX_MOMENTS", "EventChoice", "Moment", "StoryPlan", "parse_event_choice",
           "story_moments", "tellable_events"]  # fmt: skip

MAX_MOMENTS = 12  # a storyboard's panels (a 4 × 3 grid); more would not read on a page
EVENLY_SPACED = 6  # moments of an incident without events
# An event listed by time is the one within this many seconds of it (timecodes are
# typed to the second; events may sit on fractions).
LISTED_TOLERANCE_S = 0.5

EventChoice = Literal["auto", "all", "starred"] | tuple[float, ...]


@dataclass(frozen=True)
class Moment:
    """One moment of the story: a time, and the event told there (None: a plain moment)."""

    t: float
    event: Event | None = None


@dataclass(frozen=True)
class StoryPlan:
    """The moments to tell, how they were chosen (for headers and messages) and what the
    user should know (more than fit, no starred events, no events at all)."""

    moments: tuple[Moment, ...]
    chosen: str  # "starred events", "every event", "listed times", "evenly spaced moments"
    warnings: tuple[str, ...] = ()

    @property
    def times(self) -> tuple[float, ...]:
        return tuple(m.t for m in self.moments)


def parse_event_choice(text: str) -> EventChoice:
    """``--events``: ``all``, ``starred``, ``auto`` or times ``T+05:00,T+07:30`` (any
    timecode form). Raises UsageError naming the bad time."""
    word = text.strip().lower()
    if word in ("all", "starred", "auto"):
        return word  # type: ignore[return-value]
    times = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            times.append(parse_timecode(part))
        except TimecodeError as exc:
            raise UsageError(f"--events {text}: {part!r}: {exc}") from None
    if not times:
        raise UsageError(f"--events {text!r}: say all, starred or a list of times")
    return tuple(times)


def tellable_events(incident: Incident) -> tuple[Event, ...]:
    """The events a story can tell: a compared incident's (dimmed) ones are not."""
    return tuple(e for e in incident.events if not e.dim)


def story_moments(
    incident: Incident, choice: EventChoice = "auto", *, limit: int = MAX_MOMENTS
) -> StoryPlan:
    """The moments of ``incident`` to tell. ``auto``: the starred events if any is starred,
    else every event; ``starred`` with none starred falls back to every event (and says
    so); listed times take the event at each time when one is there."""
    if isinstance(choice, tuple):
        return _limited(_listed(incident, choice), "listed times", limit)
    events = tellable_events(incident)
    if not events:
        return _evenly_spaced(incident, min(limit, EVENLY_SPACED))
    starred = tuple(e for e in events if e.star)
    warnings: list[str] = []
    if choice == "starred" and not starred:
        warnings.append("no event is starred: telling every event (star one with * in the "
                        "window or `replay-viewer event star`)")  # fmt: skip
    if starred and choice != "all":
        return _limited([Moment(e.at, e) for e in starred], "starred events", limit, warnings)
    return _limited([Moment(e.at, e) for e in events], "every event", limit, warnings)


def _listed(incident: Incident, times: tuple[float, ...]) -> list[Moment]:
    moments = []
    for t in sorted(times):
        if not incident.start <= t <= incident.end:
            raise UsageError(
                f"--events: {format_timecode(t)} is outside the incident "
                f"({format_timecode(incident.start)} to {format_timecode(incident.end)})"
            )
        near = [e for e in incident.events if abs(e.at - t) <= LISTED_TOLERANCE_S]
        moments.append(Moment(t, near[0] if near else None))
    return moments


def _limited(
    moments: list[Moment], chosen: str, limit: int, warnings: list[str] | None = None
) -> StoryPlan:
    warnings = list(warnings or ())
    if len(moments) > limit:
        counted = chosen.removeprefix("every ")  # "every event" → "17 events"
        counted = f"{counted}s" if counted != chosen else counted
        warnings.append(
            f"{len(moments)} {counted} to tell; showing the first {limit} (star the ones "
            f"that matter, or list them with --events T1,T2,…)"
        )
        moments = moments[:limit]
    return StoryPlan(tuple(moments), chosen, tuple(warnings))


def _evenly_spaced(incident: Incident, count: int) -> StoryPlan:
    """``count`` moments from the start to the end (both included), when nothing marks
    the story: the storyboard then says so."""
    start, end = incident.start, incident.end
    step = (end - start) / max(1, count - 1)
    moments = tuple(Moment(start + step * k) for k in range(count))
    warning = f"the incident has no events: showing {count} evenly spaced moments"
    return StoryPlan(moments, "evenly spaced moments", (warning,))
