"""A moment's caption: its time (and wall clock), the event's kind, title and detail, and
the data milestone near it ("detected 2m 10s after the breach", "p99 crossed SLO 500 ms
30s earlier"), as plain data; :class:`CaptionTrack` says which caption shows at a playhead
time (captioned animations: while the playhead is near each moment, fading in and out).

A live caption (live view: what the on-call knew at the moment) names only data milestones
known by then: crossings at or before it, a breach or a recovery once it had lasted, never
the worst point (final only once it is over) nor a contradiction (which compares the
declarations with all the data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis.checks import incident_checks
from ..analysis.metrics import compute_metrics
from ..describe import format_reading, short_duration, spans_days
from ..timecode import format_timecode, format_wall_clock

if TYPE_CHECKING:
    from ..analysis.checks import Gap
    from ..model import Event, Incident
    from .moments import Moment

__all__ = ["Caption", "CaptionTrack", "caption_for", "milestone_note"]

# A data milestone this close to an event (seconds, or this share of the incident when
# that is more) is "near" it and named in the event's caption.
NEAR_S = 90.0
NEAR_SHARE = 0.03


@dataclass(frozen=True)
class Caption:
    """What a caption card says about one moment (every field plain text, "" when
    unknown): ``T+05:00``, ``Mon 14 Jul 06:05:00``, ``mitigate``, the title, the detail,
    the data milestone near it, and a contradiction the data shows there."""

    t: float
    timecode: str
    wall: str = ""
    kind: str = ""
    title: str = ""
    detail: str = ""
    note: str = ""
    warning: str = ""
    star: bool = False

    @property
    def heading(self) -> str:
        """``T+05:00 · 06:05:00`` (the wall clock when known)."""
        return f"{self.timecode} · {self.wall}" if self.wall else self.timecode


def caption_for(incident: Incident, moment: Moment, *, live: bool = False) -> Caption:
    """The caption of ``moment`` (a plain moment: its time and what the data does then);
    ``live``: only what was known at the moment."""
    t = moment.t
    wall = incident.wall_clock(t)
    wall_text = format_wall_clock(wall, date=spans_days(incident)) if wall is not None else ""
    timecode = format_timecode(t, decimals=3 if t % 1 else 0)
    event = moment.event
    if event is None:
        return Caption(t, timecode, wall_text, note=_near_data(incident, t, live=live))
    return Caption(
        t, timecode, wall_text, kind=event.kind, title=event.title, detail=event.detail,
        note=milestone_note(incident, event, live=live),
        warning="" if live else _contradiction(incident, event), star=event.star,
    )  # fmt: skip


def milestone_note(incident: Incident, event: Event, *, live: bool = False) -> str:
    """The data milestone that goes with ``event``: its gap when it is the declared
    detection, mitigation or recovery; else the nearest data milestone; "" when none
    (``live``: only those known at the event)."""
    gaps, _ = incident_checks(incident)
    for gap in gaps:
        if gap.declared == event and (not live or _certain_at(incident, gap.data_at) <= event.at):
            return _gap_words(gap)
    return _near_data(incident, event.at, live=live)


def _certain_at(incident: Incident, at: float) -> float:
    """When a data milestone at ``at`` was known: a breach or a recovery once it had
    lasted its threshold's sustain."""
    for m in compute_metrics(incident).thresholds:
        if at in (m.breach_at, m.recovered_at):
            return at + m.sustain
    return at


def _gap_words(gap: Gap) -> str:
    seconds = gap.seconds
    span = short_duration(abs(seconds))
    if gap.name == "recovery":
        if round(seconds) == 0:
            return "declared as the data recovered"
        side = "after" if seconds > 0 else "before"
        return f"declared {span} {side} the data recovered"
    verb = "detected" if gap.name == "detection" else "mitigated"
    if round(seconds) == 0:
        return f"{verb} as the data breached"
    return f"{verb} {span} {'after' if seconds > 0 else 'before'} the breach"


def _relative(dt: float) -> str:
    """How far a data milestone is from the moment: ``30s earlier``, ``2m later``."""
    if abs(dt) < 1:
        return "at this moment"
    return f"{short_duration(abs(dt))} {'earlier' if dt < 0 else 'later'}"


def _near_data(incident: Incident, t: float, *, live: bool = False) -> str:
    """The data milestone nearest ``t`` within reach (breach, worst point, recovery);
    ``live``: only the crossings at or before ``t``."""
    reach = max(NEAR_S, NEAR_SHARE * incident.duration)
    found: list[tuple[float, str]] = []
    for m in compute_metrics(incident).thresholds:
        series = incident.series_by_id(m.threshold.series_id)
        name = m.group or series.label
        label = m.threshold.label
        back = "below" if m.threshold.bad == "above" else "above"
        for episode in m.episodes:
            found.append((episode.start, f"{name} crossed {label}"))
            if episode.end is not None:
                found.append((episode.end, f"{name} back {back} {label}"))
        if m.worst_at is not None and m.breached and not live:
            worst = incident.series_by_id(m.worst_series or series.id)
            found.append((m.worst_at, f"worst {name}: {format_reading(worst, m.worst_value)}"))
    near = [(abs(at - t), at, words) for at, words in found
            if abs(at - t) <= reach and not (live and at > t)]  # fmt: skip
    if not near:
        return ""
    _, at, words = min(near, key=lambda item: item[0])
    return f"{words} {_relative(at - t)}"


def _contradiction(incident: Incident, event: Event) -> str:
    _, contradictions = incident_checks(incident)
    for found in contradictions:
        if found.line and found.line == event.line and found.at == event.at:
            return found.message
    return ""


@dataclass(frozen=True)
class CaptionTrack:
    """Which caption shows at a playhead time: each from ``before`` seconds before its
    moment to ``after`` seconds after it (incident seconds), fading over ``fade``; where
    two overlap, the later moment that has begun wins."""

    captions: tuple[Caption, ...]
    before: float
    after: float
    fade: float = 0.0

    def at(self, t: float) -> tuple[Caption, float] | None:
        """The caption shown at ``t`` and its opacity (0..1), or None."""
        shown = None
        for caption in self.captions:
            if caption.t - self.before <= t <= caption.t + self.after:
                if shown is None or caption.t <= t:
                    shown = caption
        if shown is None:
            return None
        if self.fade <= 0:
            return shown, 1.0
        edge = min(t - (shown.t - self.before), (shown.t + self.after) - t)
        return shown, max(0.0, min(1.0, edge / self.fade))
