"""The story on an animation's timeline: where each told moment falls in the video, the
caption card each frame shows (``--captions``) and the MP4's chapters.

Caption windows are in seconds of *video*, whatever the replay's speed: a card fades in
:data:`LEAD_S` before its moment, stays while the playhead rests on the moment
(:data:`HOLD_S`, ``--hold``) and :data:`AFTER_S` after it moves on, then fades out. The
rests come out of the animation's length (``--duration`` stays what was asked), at most
:data:`MAX_HOLD_SHARE` of it; without ``--duration`` a captioned animation lasts
:data:`SECONDS_PER_CAPTION` per moment (at least the usual 10 s). Frames asked for with
``--frames`` or ``--every`` are kept as asked: no rests. In live view (``--live``) a card
says only what was known at its moment (:func:`~replay_viewer.story.caption_for`) and
shows from its moment on: no lead-in before an event that has not happened yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..story import caption_for, story_moments
from .plan import DEFAULT_DURATION_S, ExportPlan, plan_animation

if TYPE_CHECKING:
    from ..model import Incident
    from ..story import Caption, Moment
    from ..story.moments import EventChoice

__all__ = [
    "HOLD_S",
    "Chapter",
    "StoryTrack",
    "caption_near",
    "plan_told",
]

LEAD_S = 0.3  # a card fades in this long before its moment…
FADE_S = 0.3  # …over this long (so it is opaque when the playhead reaches the moment)
HOLD_S = 1.2  # the playhead rests this long on each captioned moment (--hold)
AFTER_S = 1.8  # the card stays this long after the playhead moves on (fading at its end)
NO_HOLD_AFTER_S = 2.6  # …or after the moment, when the playhead never rests
MAX_HOLD_SHARE = 0.4  # the rests take at most this share of the animation
SECONDS_PER_CAPTION = 2.5  # a captioned animation's default length per moment
NEAR_SHARE = 0.02  # --at: a moment this close (share of the span shown) is captioned


@dataclass(frozen=True)
class Chapter:
    """One told moment in the video: from its moment (the first: from the start) to the
    next one's, in seconds of video."""

    start: float
    end: float
    title: str


@dataclass(frozen=True)
class StoryTrack:
    """Per frame, the caption shown and its opacity (empty: no captions); the chapters;
    what the user should know about the moments chosen."""

    shown: tuple[tuple[Caption, float] | None, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    warnings: tuple[str, ...] = ()

    def at(self, frame: int) -> tuple[Caption, float] | None:
        return self.shown[frame] if frame < len(self.shown) else None


def chapter_title(caption: Caption) -> str:
    """``T+05:00 Mitigation rolled`` (a plain moment: its time only)."""
    return f"{caption.timecode} {caption.title}".strip()


def plan_told(
    incident: Incident,
    *,
    fps: float,
    choice: EventChoice = "auto",
    captions: bool = False,
    hold: float | None = None,
    frames: int | None = None,
    every: float | None = None,
    duration: float | None = None,
    span: tuple[float, float] | None = None,
    live: bool = False,
) -> tuple[ExportPlan, StoryTrack]:
    """An animation's frame times and its story: the moments of ``choice`` inside the
    span, each a chapter, and with ``captions`` each frame's caption card. With captions
    and frames from a duration, the playhead rests ``hold`` video seconds on each moment
    (default :data:`HOLD_S`; 0: never)."""
    start, end = span or (incident.start, incident.end)
    story = story_moments(incident, choice)
    moments = [m for m in story.moments if start <= m.t <= end]
    told = [caption_for(incident, m, live=live) for m in moments]
    resting = captions and frames is None and every is None and moments
    if resting and duration is None:
        duration = max(DEFAULT_DURATION_S, SECONDS_PER_CAPTION * len(moments))
    plan = plan_animation(incident, fps=fps, frames=frames, every=every, duration=duration,
                          span=span)  # fmt: skip
    count = len(plan.times)
    rest = HOLD_S if hold is None else hold
    if resting and rest > 0 and count > 1:
        plan, starts, rest_s = _resting_plan(plan, moments, fps, rest, (start, end))
    else:
        starts, rest_s = _moment_frames(plan.times, moments) / fps, 0.0
    # An MP4's chapters cover the whole video (its chapter track starts at 0): the
    # first moment's chapter holds the lead-in before it.
    bounds = [0.0, *(float(s) for s in starts[1:]), count / fps]
    chapters = tuple(
        Chapter(bounds[k], bounds[k + 1], chapter_title(c)) for k, c in enumerate(told)
    )
    if story.chosen == "evenly spaced moments" and not captions:
        chapters = ()  # nothing marks the story: chapters of bare times would say nothing
    lead = 0.0 if live else LEAD_S
    shown = _shown(told, starts, rest_s, count, fps, lead) if captions else ()
    return plan, StoryTrack(shown, chapters, story.warnings)


def _moment_frames(times: tuple[float, ...], moments: list[Moment]) -> np.ndarray:
    """Each moment's (fractional) frame index in an increasing plan: where the
    playhead passes it."""
    if len(times) < 2:
        return np.zeros(len(moments))
    return np.interp([m.t for m in moments], times, np.arange(len(times), dtype=float))


def _resting_plan(plan: ExportPlan, moments: list[Moment], fps: float, rest: float,
                  span: tuple[float, float]) -> tuple[ExportPlan, np.ndarray, float]:  # fmt: skip
    """The same number of frames, with the playhead resting on each moment for ``rest``
    seconds (shortened so the rests take at most MAX_HOLD_SHARE) and moving evenly in
    between. Returns the plan, each rest's start (video seconds) and the rest's length."""
    start, end = span
    last = len(plan.times) - 1
    hold = min(round(rest * fps), int(MAX_HOLD_SHARE * last / len(moments)))
    moving = last - hold * len(moments)
    share = [(m.t - start) / (end - start) if end > start else 0.0 for m in moments]
    begins = np.array([s * moving + k * hold for k, s in enumerate(share)], dtype=float)
    xs = [0.0, *np.repeat(begins, 2) + np.tile([0, hold], len(moments)), float(last)]
    ts = [start, *np.repeat([m.t for m in moments], 2), end]
    times = np.interp(np.arange(last + 1, dtype=float), xs, ts)
    resting = ExportPlan(tuple(float(t) for t in times), frames=plan.frames, every=plan.every)
    return resting, begins / fps, hold / fps


def _shown(told: list[Caption], starts: np.ndarray, rest: float, count: int, fps: float,
           lead: float = LEAD_S) -> tuple[tuple[Caption, float] | None, ...]:  # fmt: skip
    """Each frame's caption and opacity: a caption shows from ``lead`` (LEAD_S) before its
    moment to AFTER_S after its rest (NO_HOLD_AFTER_S after the moment without one), fading
    over FADE_S at both ends (live view: no lead, the card fades in from its moment on);
    where two overlap, the later one takes over at its moment."""
    after = rest + AFTER_S if rest > 0 else NO_HOLD_AFTER_S
    shown: list[tuple[Caption, float] | None] = []
    for frame in range(count):
        v = frame / fps
        found = None
        for caption, begin in zip(told, starts, strict=True):
            if begin - lead <= v <= begin + after and (found is None or begin <= v):
                found = (caption, begin)
        if found is None:
            shown.append(None)
            continue
        caption, begin = found
        edge = min(v - (begin - lead), begin + after - v)
        shown.append((caption, max(0.0, min(1.0, edge / FADE_S))))
    return tuple(shown)


def caption_near(
    incident: Incident,
    t: float,
    *,
    choice: EventChoice = "auto",
    span: tuple[float, float] | None = None,
    live: bool = False,
) -> tuple[Caption, float] | None:
    """``export --at … --captions``: the caption of the told moment nearest ``t``, when
    it is within :data:`NEAR_SHARE` of the span shown; else None. ``live``: only a moment
    that has happened by ``t``, told as it was known then."""
    start, end = span or (incident.start, incident.end)
    reach = NEAR_SHARE * (end - start)
    moments = [m for m in story_moments(incident, choice).moments
               if abs(m.t - t) <= reach and not (live and m.t > t)]  # fmt: skip
    if not moments:
        return None
    nearest = min(moments, key=lambda m: abs(m.t - t))
    return caption_for(incident, nearest, live=live), 1.0
