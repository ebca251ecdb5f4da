"""Which frames a sequence or an animation has: their times (and a sequence's file
names)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..model import Incident

__all__ = [
    "DEFAULT_DURATION_S",
    "FRAME_NAME",
    "FRAME_PATTERN",
    "MAX_FPS",
    "MAX_FRAMES",
    "ExportPlan",
    "plan_animation",
    "plan_sequence",
]

FRAME_NAME = "frame_{:05d}.png"
FRAME_PATTERN = re.compile(r"frame_(\d{5})\.png")
MAX_FRAMES = 100_000
DEFAULT_DURATION_S = 10.0  # an animation's length without --duration
MAX_FPS = 120


@dataclass(frozen=True)
class ExportPlan:
    """Frame times, and how they were asked for (``frames`` or ``every``), which the index
    records so that ``--resume`` can tell the same plan from another."""

    times: tuple[float, ...]
    frames: int | None = None
    every: float | None = None

    def names(self) -> list[str]:
        return [FRAME_NAME.format(index) for index in range(len(self.times))]

    def describe(self) -> dict:
        """The plan as the index stores it (JSON)."""
        return {"frames": self.frames, "every": self.every, "count": len(self.times)}


def plan_sequence(
    incident: Incident,
    *,
    frames: int | None = None,
    every: float | None = None,
    span: tuple[float, float] | None = None,
) -> ExportPlan:
    """Frame times: ``frames`` evenly from start to end (both included), or one every
    ``every`` seconds from the start (the end included when it falls on the step), over
    the incident or over ``span`` (a zoomed range)."""
    start, end = span or (incident.start, incident.end)
    if frames is not None:
        if frames < 1:
            raise ValueError("--frames must be at least 1")
        if frames > MAX_FRAMES:
            raise ValueError(f"--frames {frames} is more than {MAX_FRAMES:,}")
        times = [start] if frames == 1 else list(np.linspace(start, end, frames))
        return ExportPlan(tuple(float(t) for t in times), frames=frames)
    if every is None or every <= 0:
        raise ValueError("--every must be a positive duration such as 5s")
    count = math.floor((end - start) / every + 1e-9) + 1
    if count > MAX_FRAMES:
        raise ValueError(f"--every {every:g}s makes {count:,} frames; at most {MAX_FRAMES:,}")
    times = [start + i * every for i in range(count)]
    return ExportPlan(tuple(float(t) for t in times), every=float(every))


def plan_animation(
    incident: Incident,
    *,
    fps: float,
    frames: int | None = None,
    every: float | None = None,
    duration: float | None = None,
    span: tuple[float, float] | None = None,
) -> ExportPlan:
    """Frame times: ``frames`` or one ``every`` seconds (as a sequence), else
    ``duration × fps`` frames evenly over the replay (``duration`` default 10 s)."""
    if not 0 < fps <= MAX_FPS:
        raise ValueError(f"--fps must be between 1 and {MAX_FPS}")
    if duration is not None and (frames is not None or every is not None):
        raise ValueError("--duration sets the frame count: leave out --frames and --every")
    if frames is None and every is None:
        seconds = DEFAULT_DURATION_S if duration is None else duration
        if seconds <= 0:
            raise ValueError("--duration must be a positive time such as 10s")
        frames = max(1, round(seconds * fps))
        if frames > MAX_FRAMES:
            raise ValueError(f"--duration {seconds:g}s at {fps:g} fps makes {frames:,} frames; "
                             f"at most {MAX_FRAMES:,}")  # fmt: skip
    return plan_sequence(incident, frames=frames, every=every, span=span)
