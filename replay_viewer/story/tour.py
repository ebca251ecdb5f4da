"""The presenter's walk from one moment to the next: pure, on an injected clock. A step
animates the playhead from where it is to the next (or previous) moment in about
``pace`` seconds whatever the gap, easing in and out, so a 20-second gap and a 2-hour gap
both read as one calm move."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_PACE_S", "Tour"]

DEFAULT_PACE_S = 3.0
# A playhead this close to a moment is at it: "next" goes to the one after.
AT_MOMENT_S = 0.5


def ease_in_out(x: float) -> float:
    """Smoothstep's quintic twin: starts and stops with zero speed and acceleration."""
    x = max(0.0, min(1.0, x))
    return x * x * x * (x * (x * 6 - 15) + 10)


@dataclass
class Tour:
    """Steps between ``times`` (sorted). ``begin``/``target`` are the move in progress
    (incident seconds); ``started`` the clock time it began (None: not moving)."""

    times: tuple[float, ...]
    pace: float = DEFAULT_PACE_S
    begin: float = 0.0
    target: float = 0.0
    started: float | None = None
    index: int = field(default=-1)  # the moment moved to last (-1: none yet)

    def next_index(self, t: float) -> int | None:
        """The first moment after ``t`` (one at ``t`` does not count)."""
        for index, at in enumerate(self.times):
            if at > t + AT_MOMENT_S:
                return index
        return None

    def previous_index(self, t: float) -> int | None:
        """The last moment before ``t``."""
        for index in range(len(self.times) - 1, -1, -1):
            if self.times[index] < t - AT_MOMENT_S:
                return index
        return None

    def step(self, t: float, now: float, direction: int) -> bool:
        """Start a move from ``t`` to the next (``direction`` 1) or previous (-1) moment;
        False when there is none that way. A step during a move starts from where the
        playhead is, so a second press goes on to the one after."""
        if self.started is not None and direction > 0:
            t = max(t, self.target)  # a press mid-move continues past the current target
        elif self.started is not None:
            t = min(t, self.target)
        index = self.next_index(t) if direction > 0 else self.previous_index(t)
        if index is None:
            return False
        self.begin, self.target, self.index = self.position(now, t), self.times[index], index
        self.started = now
        return True

    def position(self, now: float, t: float) -> float:
        """Where the playhead is at clock time ``now`` (``t`` when not moving)."""
        if self.started is None:
            return t
        x = (now - self.started) / self.pace if self.pace > 0 else 1.0
        if x >= 1.0:
            return self.target
        return self.begin + (self.target - self.begin) * ease_in_out(x)

    def settle(self, now: float) -> bool:
        """End a move whose time is up; True while one is still in progress."""
        if self.started is not None and (self.pace <= 0 or now - self.started >= self.pace):
            self.started = None
        return self.started is not None
