"""Incident metrics computed from the data, not typed: the declared milestones (trigger,
detection, mitigation, declared recovery, all-clear), each threshold's data milestones
(:mod:`.thresholds`), and the stated outcomes checked against them.

The rules, also in docs/incident-format.md ("Milestones from the data"):

- The *trigger* is the first ``deploy`` event, else the first event; every "time to" is
  measured from it. Without events there is no trigger and no "time to".
- *Detection* is the first ``detect`` or ``alert`` event at or after the trigger,
  *mitigation* the first ``mitigate`` event, *all-clear* the first ``resolve`` event. The
  *declared recovery* is the last ``recover`` event before the all-clear (a timeline's
  recoveries are steps: "hit rate climbing", then "p99 back under the SLO"), else the
  all-clear itself.
- The incident's *breach* is the earliest first breach of any threshold; its *recovery*
  (from the data) is the latest recovery of the thresholds that breached, None while one
  is still breaching.
- Outcomes typed in the file are compared with these numbers where their label names one
  (see :func:`outcome_checks`).

SLOs and their error budgets are :mod:`.slo`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .thresholds import DEFAULT_SUSTAIN, ThresholdMilestones, threshold_milestones

if TYPE_CHECKING:
    from ..model import Event, Incident, Outcome

__all__ = [
    "IncidentMetrics",
    "OutcomeCheck",
    "compute_metrics",
    "outcome_checks",
    "parse_stated_duration",
]


@dataclass(frozen=True)
class IncidentMetrics:
    trigger: Event | None
    detection: Event | None
    mitigation: Event | None
    declared_recovery: Event | None
    all_clear: Event | None
    thresholds: tuple[ThresholdMilestones, ...]
    sustain: float  # the default for thresholds without their own

    @property
    def breach_at(self) -> float | None:
        """The earliest first breach of any threshold (None if none breached)."""
        return min((m.breach_at for m in self.thresholds if m.breached), default=None)

    @property
    def recovered_at(self) -> float | None:
        """When the last breached threshold recovered (None if one never did)."""
        breached = [m for m in self.thresholds if m.breached]
        if not breached or not all(m.recovered for m in breached):
            return None
        return max(m.recovered_at for m in breached if m.recovered_at is not None)

    def since_trigger(self, t: float | None) -> float | None:
        if t is None or self.trigger is None:
            return None
        return t - self.trigger.at

    def durations(self) -> dict[str, float | None]:
        """Time from the trigger to each milestone (seconds), by milestone name."""
        return {
            "detection": self.since_trigger(_at(self.detection)),
            "mitigation": self.since_trigger(_at(self.mitigation)),
            "recovery": self.since_trigger(self.recovered_at),
            "all-clear": self.since_trigger(_at(self.all_clear)),
        }


def _at(event: Event | None) -> float | None:
    return None if event is None else event.at


def _first(events: tuple[Event, ...], kinds: tuple[str, ...], after: float) -> Event | None:
    return next((e for e in events if e.kind in kinds and e.at >= after), None)


def _declared_recovery(events: tuple[Event, ...], after: float) -> Event | None:
    """The last ``recover`` event before the first ``resolve`` (at or after ``after``), else
    that ``resolve``."""
    all_clear = _first(events, ("resolve",), after)
    until = math.inf if all_clear is None else all_clear.at
    steps = [e for e in events if e.kind == "recover" and after <= e.at <= until]
    return steps[-1] if steps else all_clear


@functools.lru_cache(maxsize=8)  # incidents hash by identity: the window asks every frame
def compute_metrics(incident: Incident, sustain: float | None = None) -> IncidentMetrics:
    """The metrics of ``incident``; ``sustain`` (seconds, default 60) is how long a side
    must hold for a breach or a recovery where a threshold does not say (``sustain:``)."""
    sustain = DEFAULT_SUSTAIN if sustain is None else float(sustain)
    events = incident.events  # sorted by time
    trigger = _first(events, ("deploy",), -math.inf) or (events[0] if events else None)
    after = -math.inf if trigger is None else trigger.at
    return IncidentMetrics(
        trigger=trigger,
        detection=_first(events, ("detect", "alert"), after),
        mitigation=_first(events, ("mitigate",), after),
        declared_recovery=_declared_recovery(events, after),
        all_clear=_first(events, ("resolve",), after),
        thresholds=tuple(
            threshold_milestones(incident, threshold, sustain) for threshold in incident.thresholds
        ),
        sustain=sustain,
    )


# -- outcomes typed by hand ----------------------------------------------------------------

# Which computed duration an outcome's label names: the first row whose word is in the
# label wins, so "Total recovery time" is the all-clear (the case study's "14 minutes to
# all-clear"), and a plain "Time to recovery" is the thresholds' recovery.
LABEL_WORDS = (
    ("total", "all-clear"),
    ("all-clear", "all-clear"),
    ("all clear", "all-clear"),
    ("resolv", "all-clear"),
    ("detect", "detection"),
    ("mitigat", "mitigation"),
    ("recover", "recovery"),
)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}
_DURATION_RE = re.compile(
    r"^\s*(?P<number>\d+(?:\.(?P<fraction>\d+))?)\s*"
    r"(?P<unit>s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\s*$",
    re.IGNORECASE,
)


def parse_stated_duration(text: str) -> tuple[float, float] | None:
    """``'14 min'`` → ``(840.0, 30.0)``: seconds and the tolerance the writing implies
    (half of its last digit: ``14 min`` ±30 s, ``2.5 min`` ±3 s); None if not a duration."""
    match = _DURATION_RE.match(text)
    if match is None:
        return None
    unit = match["unit"].lower()
    unit = "sec" if unit.startswith("s") else "min" if unit.startswith("m") else "hr"
    scale = _UNIT_SECONDS[unit]
    digits = len(match["fraction"] or "")
    return float(match["number"]) * scale, 0.5 * scale * 10.0**-digits


@dataclass(frozen=True)
class OutcomeCheck:
    outcome: Outcome
    milestone: str  # "detection", "mitigation", "recovery" or "all-clear"
    stated: float
    computed: float | None  # None: the data has no such milestone

    @property
    def agrees(self) -> bool:
        parsed = parse_stated_duration(self.outcome.value)
        tolerance = parsed[1] if parsed else 0.0
        return self.computed is not None and abs(self.computed - self.stated) <= tolerance


def outcome_checks(incident: Incident, metrics: IncidentMetrics) -> tuple[OutcomeCheck, ...]:
    """Outcomes whose value is a duration (``14 min``) and whose label names a milestone,
    each with the computed duration; anything else is not checked."""
    durations = metrics.durations()
    checks = []
    for outcome in incident.outcomes:
        parsed = parse_stated_duration(outcome.value)
        label = outcome.label.lower()
        milestone = next((name for word, name in LABEL_WORDS if word in label), None)
        if parsed is None or milestone is None:
            continue
        checks.append(OutcomeCheck(outcome, milestone, parsed[0], durations[milestone]))
    return tuple(checks)
