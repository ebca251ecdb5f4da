"""The story an incident is told by: which moments (starred events, every event, listed
times, or evenly spaced ones when there are none), each moment's caption (time, wall clock,
kind, title, detail and the data milestone near it), and the tour between them that the
presenter, the storyboard, captioned animations and the report share."""

from __future__ import annotations

from .captions import Caption, CaptionTrack, caption_for, milestone_note
from .moments import (
    MAX_MOMENTS,
    EventChoice,
    Moment,
    StoryPlan,
    parse_event_choice,
    story_moments,
    tellable_events,
)
from .tour import DEFAULT_PACE_S, Tour

__all__ = [
    "DEFAULT_PACE_S",
    "MAX_MOMENTS",
    "Caption",
    "CaptionTrack",
    "EventChoice",
    "Moment",
    "StoryPlan",
    "Tour",
    "caption_for",
    "milestone_note",
    "parse_event_choice",
    "story_moments",
    "tellable_events",
]
