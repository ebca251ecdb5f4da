"""The declared milestones against the data's: the gaps between them, and the declarations
the data contradicts.

Gaps (signed seconds, declared minus data):

- *detection*: from the first breach to the declared detection (first ``detect`` or
  ``alert`` event after the trigger); negative when it was declared before the breach;
- *mitigation*: from the first breach to the first ``mitigate`` event;
- *recovery*: from the data's recovery to the declared recovery (the last ``recover``
  event before the all-clear, else the all-clear); positive when it was declared later
  than the data recovered.

Contradictions (warnings: ``validate`` prints them at the event or outcome in the file,
the Metrics panel lists them, the milestone lane marks them):

- *resolved while still breaching*: a ``resolve`` event after which a threshold's data
  still shows (or shows again) a breach's bad sample;
- *detected before anything breached*: the declared detection comes before the last
  sample at which every threshold's series was still inside (a detection between that
  sample and the first bad one is within the data's resolution, and fine);
- an *outcome* whose stated duration disagrees with the computed one (see
  :func:`.metrics.outcome_checks`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..describe import short_duration
from ..timecode import format_clock, format_timecode
from .metrics import compute_metrics, outcome_checks

if TYPE_CHECKING:
    from ..model import Event, Incident
    from .metrics import IncidentMetrics, OutcomeCheck
    from .thresholds import ThresholdMilestones

__all__ = [
    "GAP_NAMES",
    "Contradiction",
    "Gap",
    "contradictions",
    "incident_checks",
    "milestone_gaps",
    "threshold_gaps",
]

GAP_NAMES = ("detection", "mitigation", "recovery")


@dataclass(frozen=True)
class Gap:
    """A declared milestone against the data's: from ``data_at`` to ``declared.at``."""

    name: str  # one of GAP_NAMES
    data_at: float  # the breach (detection, mitigation) or the data's recovery
    declared: Event

    @property
    def seconds(self) -> float:
        return self.declared.at - self.data_at

    @property
    def label(self) -> str:
        """``detected after 2m 10s``, ``mitigated 20s before the breach``, ``declared 1m 30s
        after the data``: how the lane and the panel say it."""
        seconds = self.seconds
        span = short_duration(abs(seconds))
        if self.name == "recovery":
            if round(seconds) == 0:
                return "declared as the data recovers"
            return f"declared {span} {'after' if seconds > 0 else 'before'} the data"
        verb = "detected" if self.name == "detection" else "mitigated"
        if seconds >= 0:
            return f"{verb} after {span}"
        return f"{verb} {span} before the breach"


def _gaps(
    metrics: IncidentMetrics, breach_at: float | None, recovered_at: float | None
) -> tuple[Gap, ...]:
    pairs = (
        ("detection", breach_at, metrics.detection),
        ("mitigation", breach_at, metrics.mitigation),
        ("recovery", recovered_at, metrics.declared_recovery),
    )
    return tuple(Gap(name, at, event) for name, at, event in pairs
                 if at is not None and event is not None)  # fmt: skip


def milestone_gaps(metrics: IncidentMetrics) -> tuple[Gap, ...]:
    """The incident's gaps: from its first breach (any threshold) and to its recovery (the
    last threshold's)."""
    return _gaps(metrics, metrics.breach_at, metrics.recovered_at)


def threshold_gaps(metrics: IncidentMetrics, m: ThresholdMilestones) -> tuple[Gap, ...]:
    """The gaps measured against one threshold's breach and recovery."""
    return _gaps(metrics, m.breach_at, m.recovered_at)


@dataclass(frozen=True)
class Contradiction:
    """A declared milestone the data contradicts: a warning, placed in the file (``line``
    and ``column``, 0 when unknown) and on the timeline (``at``, None: nowhere)."""

    kind: str  # "resolved", "detected" or "outcome"
    message: str
    at: float | None
    line: int = 0
    column: int = 0

    def positioned(self, path: object) -> str:
        """``PATH:LINE:COL: warning: MESSAGE`` (``PATH: warning: …`` without a position)."""
        where = f"{path}:{self.line}:{self.column}" if self.line else f"{path}"
        return f"{where}: warning: {self.message}"


def contradictions(incident: Incident, metrics: IncidentMetrics) -> tuple[Contradiction, ...]:
    """Every declaration the data contradicts, in timeline order (outcomes last)."""
    found = [_resolved(event, metrics) for event in incident.events
             if event.kind == "resolve" and not event.dim]  # fmt: skip
    found.append(_detected(metrics))
    found += [_outcome(check, incident, metrics) for check in outcome_checks(incident, metrics)]
    return tuple(c for c in found if c is not None)


@functools.lru_cache(maxsize=8)  # the window's panel and lane ask every frame
def incident_checks(
    incident: Incident, sustain: float | None = None
) -> tuple[tuple[Gap, ...], tuple[Contradiction, ...]]:
    """The incident's gaps and contradictions (``sustain`` as for ``compute_metrics``)."""
    metrics = compute_metrics(incident, sustain)
    return milestone_gaps(metrics), contradictions(incident, metrics)


def _tc(t: float) -> str:
    return format_timecode(t, decimals=3 if t % 1 else 0)


def _resolved(event: Event, metrics: IncidentMetrics) -> Contradiction | None:
    reasons = []
    for m in metrics.thresholds:
        episode = m.breaching_after(event.at)
        if episode is None:
            continue
        label = m.threshold.label
        if episode.start > event.at:
            reasons.append(f"{label!r} breaches again from {_tc(episode.start)}")
        elif episode.end is None:
            last = _tc(episode.last_bad)
            reasons.append(f"{label!r} is still breaching at its last sample {last}")
        else:
            reasons.append(f"{label!r} still breaches until {_tc(episode.end)}")
    if not reasons:
        return None
    message = f"resolved at {_tc(event.at)} while the data disagrees: " + "; ".join(reasons)
    return Contradiction("resolved", message, event.at, event.line, event.column)


def _detected(metrics: IncidentMetrics) -> Contradiction | None:
    event = metrics.detection
    if event is None or not metrics.thresholds:
        return None
    went_bad = [m for m in metrics.thresholds if m.first_outside is not None]
    where = f"{event.kind} {event.title!r} at {_tc(event.at)}"
    if not went_bad:
        message = f"{where} declares a detection, but no threshold is ever crossed in the data"
        return Contradiction("detected", message, event.at, event.line, event.column)
    # Contradicted only if every threshold was still inside at a sample after it.
    if any(m.clear_until is None or m.clear_until <= event.at for m in went_bad):
        return None
    first = min(went_bad, key=lambda m: m.first_outside)
    message = (
        f"{where} is before anything breached: {first.threshold.label!r} is still inside "
        f"at {_tc(first.clear_until)} (first crossed at {_tc(first.first_outside)})"
    )
    return Contradiction("detected", message, event.at, event.line, event.column)


def _outcome(
    check: OutcomeCheck, incident: Incident, metrics: IncidentMetrics
) -> Contradiction | None:
    if check.agrees:
        return None
    outcome = check.outcome
    if check.computed is None:
        computed = f"the data has no {check.milestone}"
    else:
        computed = f"the computed time to {check.milestone} is {format_clock(check.computed)}"
    message = f"outcome {outcome.label!r} says {outcome.value}, but {computed}"
    at = None
    if metrics.trigger is not None:  # where the card says it happened, within the replay
        at = min(max(metrics.trigger.at + check.stated, incident.start), incident.end)
    return Contradiction("outcome", message, at, outcome.line, outcome.column)
