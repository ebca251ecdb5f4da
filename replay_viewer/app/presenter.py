"""Presenter mode, as functions of :class:`~.state.AppState` (no window): entering and
leaving, a step to the next or previous moment of the story (an eased move of about
``pace`` seconds, :class:`~replay_viewer.story.Tour`), the blank screen, and the caption
card shown at a moment (fading in as the playhead arrives).

The window makes itself full screen while ``presenter.on`` and draws while
:func:`animating`; otherwise presenter mode draws nothing, as an idle window does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..story import Tour, caption_for, story_moments
from ..story.tour import AT_MOMENT_S

if TYPE_CHECKING:
    from ..story import Caption, Moment, StoryPlan
    from .state import AppState

__all__ = ["advance", "animating", "caption_shown", "enter", "jump", "leave", "moment_index",
           "step", "story_plan", "toggle_blank"]  # fmt: skip

CAPTION_FADE_S = 0.35  # the card fades in over this once the playhead arrives


def story_plan(state: AppState) -> StoryPlan:
    """The moments told, made again when the incident changed (a reload, an edit)."""
    presenter = state.presenter
    if presenter.plan is None or presenter.plan_of != id(state.incident):
        presenter.plan = story_moments(state.incident, presenter.choice)
        presenter.plan_of = id(state.incident)
        presenter.captions = {}
        presenter.tour = Tour(presenter.plan.times, presenter.pace)
    return presenter.plan


def enter(state: AppState) -> None:
    """Presenter mode from where the playhead is: playback paused, the whole incident in
    view (the zoom comes back on leaving)."""
    presenter = state.presenter
    if presenter.on:
        return
    presenter.on, presenter.blank = True, False
    presenter.view_before, state.view = state.view, None
    state.playback.pause()
    story_plan(state)
    presenter.arrived_at = None  # a moment here shows its caption at once
    for warning in presenter.plan.warnings:
        state.say(warning)


def leave(state: AppState) -> None:
    presenter = state.presenter
    if not presenter.on:
        return
    if presenter.tour is not None and presenter.tour.started is not None:
        state.seek(presenter.tour.target)  # land where the move was going
        presenter.tour.started = None
    presenter.on, presenter.blank = False, False
    state.view, presenter.view_before = presenter.view_before, None


def step(state: AppState, direction: int) -> None:
    """To the next (1) or previous (-1) moment; on a blank screen the first press only
    brings the chart back, as in a slide deck."""
    presenter = state.presenter
    if presenter.blank:
        presenter.blank = False
        return
    story_plan(state)
    if not presenter.tour.step(state.t, state.clock(), direction):
        state.say("The last moment of the story" if direction > 0 else "The first moment")


def jump(state: AppState, index: int) -> None:
    """Straight to a moment (Home: the first, End: the last), without the move."""
    plan = story_plan(state)
    if plan.moments:
        state.presenter.tour.started = None
        state.seek(plan.moments[index].t)
        state.presenter.arrived_at = state.clock()


def toggle_blank(state: AppState) -> None:
    state.presenter.blank = not state.presenter.blank


def advance(state: AppState) -> bool:
    """Move the playhead along the step in progress (each frame); True when it moved."""
    presenter = state.presenter
    tour = presenter.tour
    if not presenter.on or tour is None or tour.started is None:
        return False
    now = state.clock()
    before = state.t
    state.seek(tour.position(now, state.t))
    if not tour.settle(now):
        presenter.arrived_at = now
    return state.t != before


def animating(state: AppState) -> bool:
    """Whether presenter mode needs the next frame: a move or a caption's fade is on."""
    presenter = state.presenter
    if not presenter.on:
        return False
    if presenter.tour is not None and presenter.tour.started is not None:
        return True
    arrived = presenter.arrived_at
    return arrived is not None and state.clock() - arrived < CAPTION_FADE_S


def moment_index(state: AppState) -> int | None:
    """The index of the moment at the playhead (None between moments, or while moving)."""
    presenter = state.presenter
    if presenter.tour is not None and presenter.tour.started is not None:
        return None
    for index, moment in enumerate(story_plan(state).moments):
        if abs(moment.t - state.t) <= AT_MOMENT_S:
            return index
    return None


def caption_shown(state: AppState) -> tuple[Caption, float] | None:
    """The caption card at the playhead and its opacity, or None."""
    presenter = state.presenter
    if not presenter.on or presenter.blank:
        return None
    index = moment_index(state)
    if index is None:
        return None
    moment: Moment = presenter.plan.moments[index]
    key = (moment.t, state.live)  # live view: what was known at the moment
    caption = presenter.captions.get(key)
    if caption is None:
        caption = presenter.captions[key] = caption_for(state.incident, moment, live=state.live)
    since = state.clock() - (presenter.arrived_at or 0.0)
    return caption, max(0.0, min(1.0, since / CAPTION_FADE_S))
