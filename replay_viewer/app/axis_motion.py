"""The value axes moving from one fit to the next (a zoom with autoscale, live view's
axes growing), over AXIS_MOTION_S with an ease-out, as Grafana's do.

Pure: the times come from the state's injected clock, so tests step a fake one. The chart
surface aims the motion at each new fit and lays the axes out at :meth:`AxisMotion.ranges`
while it moves (the series keep what they draw: only the axes, styles and instances are
written again); once it has arrived, at the fit itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AXIS_MOTION_S", "AxisMotion", "Ranges"]

AXIS_MOTION_S = 0.15
Ranges = dict[str, tuple[float, float]]


def _ease_out(progress: float) -> float:
    return 1.0 - (1.0 - progress) ** 3


@dataclass
class AxisMotion:
    """Where the value axes are going (``target``: each axis' low and high by name) and
    where they set out from, when."""

    target: Ranges = field(default_factory=dict)
    source: Ranges = field(default_factory=dict)
    began: float = float("-inf")
    duration: float = AXIS_MOTION_S

    def aim(self, target: Ranges, shown: Ranges | None, now: float, *, animate: bool) -> None:
        """Head for ``target`` from the ranges ``shown`` now: over :attr:`duration` when
        ``animate`` (and the same axes are shown), else at once."""
        target = dict(target)
        if target == self.target:
            return
        moving = animate and shown is not None and shown.keys() == target.keys()
        self.source = dict(shown) if moving else target
        self.began = now if moving else float("-inf")
        self.target = target

    def moving(self, now: float) -> bool:
        return now - self.began < self.duration

    def ranges(self, now: float) -> Ranges | None:
        """The axes' ranges at ``now`` while moving; None once arrived (lay out the fit
        itself, ticks and all)."""
        if not self.moving(now):
            return None
        eased = _ease_out(max(0.0, (now - self.began) / self.duration))
        return {name: _mix(self.source[name], to, eased) for name, to in self.target.items()}


def _mix(a: tuple[float, float], b: tuple[float, float], amount: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * amount, a[1] + (b[1] - a[1]) * amount
