"""Pure: presenter mode's plain data (on or off, the blank screen, the pace, the story it
tells and the move in progress); :mod:`.presenter` changes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..story import DEFAULT_PACE_S

if TYPE_CHECKING:
    from ..story import Caption, EventChoice, StoryPlan, Tour

__all__ = ["PresenterState"]


@dataclass
class PresenterState:
    """Presenter mode: the window full screen, the chart alone, a step from moment to
    moment with a caption card at each."""

    on: bool = False
    blank: bool = False  # B: a black screen (the room looks at the speaker)
    pace: float = DEFAULT_PACE_S  # seconds a step takes, whatever the gap (--pace)
    choice: EventChoice = "auto"  # which moments (--events)
    plan: StoryPlan | None = None  # the moments, for the incident ``plan_of``
    plan_of: int = 0  # id() of the incident the plan was made for (an edit makes a new one)
    tour: Tour | None = None
    arrived_at: float | None = None  # clock time the playhead reached a moment (the fade)
    # By moment time and live view (a live caption names only what was known then).
    captions: dict[tuple[float, bool], Caption] = field(default_factory=dict)
    view_before: tuple[float, float] | None = None  # the zoom to restore on leaving
