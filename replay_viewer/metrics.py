"""Incident metrics computed from the data, not typed: time to detection, mitigation,
recovery and all-clear, time outside each threshold, the worst value and when.

Pure (numpy over the model), so the CLI (``validate --metrics``), the window's Metrics
panel and the tests read the same numbers. The rules, also in docs/importing.md:

- The *trigger* is the first ``deploy`` event, else the first event; every "time to" is
  measured from it. Without events there is no trigger and no "time to".
- *Detection* is the first ``detect`` or ``alert`` event at or after the trigger,
  *mitigation* the first ``mitigate`` event, *all-clear* the first ``resolve`` event.
- A series is *outside* a threshold while its sample-and-hold value is on the bad side
  (strictly above for ``bad: above``, strictly below for ``bad: below``); a gap (null) is
  not outside. *Recovery* of a threshold is the time of the first sample back inside after
  its last sample outside (the sample's time, not an interpolated crossing: the data says
  no more); the incident's recovery is the latest of those. A series still outside at its
  last sample has not recovered.
- Outcomes typed in the file are compared with these numbers where their label names one
  (see :func:`outcome_checks`).

The format has no SLO, so no error budget is computed.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .timecode import format_clock, format_timecode

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .model import Event, Incident, Outcome, Series, Threshold

__all__ = [
    "IncidentMetrics",
    "MetricRow",
    "OutcomeCheck",
    "ThresholdMetrics",
    "compute_metrics",
    "metrics_json",
    "metrics_lines",
    "metrics_table",
    "outcome_checks",
    "parse_stated_duration",
    "validation_entry",
]


@dataclass(frozen=True)
class ThresholdMetrics:
    """How one series behaved against one threshold."""

    threshold: Threshold
    unit: str
    first_outside: float | None  # time of the first sample on the bad side
    recovered_at: float | None  # first sample back inside after the last one outside
    still_outside: bool  # the last sample is on the bad side
    time_outside: float  # seconds, sample-and-hold between samples
    worst_value: float | None  # furthest on the bad side (or nearest to it), over all samples
    worst_at: float | None

    @property
    def breached(self) -> bool:
        return self.first_outside is not None


@dataclass(frozen=True)
class IncidentMetrics:
    trigger: Event | None
    detection: Event | None
    mitigation: Event | None
    all_clear: Event | None
    thresholds: tuple[ThresholdMetrics, ...]

    @property
    def recovered_at(self) -> float | None:
        """When the last breached threshold came back inside (None if one never did)."""
        breached = [m for m in self.thresholds if m.breached]
        if not breached or any(m.still_outside for m in breached):
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


@functools.lru_cache(maxsize=8)  # incidents hash by identity: the window asks every frame
def compute_metrics(incident: Incident) -> IncidentMetrics:
    events = incident.events  # sorted by time
    trigger = _first(events, ("deploy",), -math.inf) or (events[0] if events else None)
    after = -math.inf if trigger is None else trigger.at
    by_id = {series.id: series for series in incident.series}
    return IncidentMetrics(
        trigger=trigger,
        detection=_first(events, ("detect", "alert"), after),
        mitigation=_first(events, ("mitigate",), after),
        all_clear=_first(events, ("resolve",), after),
        thresholds=tuple(
            threshold_metrics(by_id[threshold.series_id], threshold)
            for threshold in incident.thresholds
        ),
    )


def threshold_metrics(series: Series, threshold: Threshold) -> ThresholdMetrics:
    times, values = series.times, series.values
    known = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        if threshold.bad == "above":
            outside = known & (values > threshold.value)
        else:
            outside = known & (values < threshold.value)
    # Sample-and-hold: sample i holds from its time to the next sample's.
    spans = np.diff(times)
    time_outside = float(spans[outside[:-1]].sum()) if len(times) > 1 else 0.0
    worst_value = worst_at = None
    if known.any():
        finite = np.where(known, values, np.nan)
        index = int(np.nanargmax(finite) if threshold.bad == "above" else np.nanargmin(finite))
        worst_value, worst_at = float(values[index]), float(times[index])
    first_outside = recovered_at = None
    still_outside = False
    outside_at = np.flatnonzero(outside)
    if len(outside_at):
        first_outside = float(times[outside_at[0]])
        last = int(outside_at[-1])
        inside_after = np.flatnonzero(known[last + 1 :])
        still_outside = not len(inside_after)
        if not still_outside:
            recovered_at = float(times[last + 1 + inside_after[0]])
    return ThresholdMetrics(
        threshold=threshold,
        unit=series.unit,
        first_outside=first_outside,
        recovered_at=recovered_at,
        still_outside=still_outside,
        time_outside=time_outside,
        worst_value=worst_value,
        worst_at=worst_at,
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


# -- presentation ---------------------------------------------------------------------------


class MetricRow(NamedTuple):
    """One line of the metrics, the same in the CLI's table and the window's panel."""

    name: str
    value: str
    note: str
    at: float | None  # where the row points on the timeline (None: nowhere)
    warn: bool = False  # a stated outcome disagrees, or a series never came back


def _number(value: float) -> str:
    return f"{value:.6g}"


def _since(metrics: IncidentMetrics, t: float | None) -> str:
    since = metrics.since_trigger(t)
    return "—" if since is None else format_clock(since)


def metrics_lines(incident: Incident) -> list[MetricRow]:
    """The metrics as rows for a table (CLI) or a panel (window)."""
    metrics = compute_metrics(incident)
    rows: list[MetricRow] = []
    trigger = metrics.trigger
    rows.append(
        MetricRow(
            "trigger", format_timecode(trigger.at), f"{trigger.kind}: {trigger.title}", trigger.at
        )
        if trigger
        else MetricRow("trigger", "—", "no events", None)
    )
    milestones = (
        ("detection", _at(metrics.detection), metrics.detection),
        ("mitigation", _at(metrics.mitigation), metrics.mitigation),
        ("recovery", metrics.recovered_at, None),
        ("all-clear", _at(metrics.all_clear), metrics.all_clear),
    )
    for name, t, event in milestones:
        note = f"{event.kind}: {event.title}" if event else ""
        if name == "recovery":
            note = "last threshold back inside" if t is not None else "not recovered in the data"
        where = "" if t is None else f"at {format_timecode(t)}"
        rows.append(MetricRow(f"time to {name}", _since(metrics, t), f"{where}  {note}".strip(), t))
    for m in metrics.thresholds:
        rows.append(_threshold_row(m))
    for check in outcome_checks(incident, metrics):
        computed = "—" if check.computed is None else format_clock(check.computed)
        verdict = "agrees" if check.agrees else "DISAGREES"
        rows.append(
            MetricRow(
                f"outcome '{check.outcome.label}'",
                check.outcome.value,
                f"{verdict} with the computed time to {check.milestone} ({computed})",
                None,
                warn=not check.agrees,
            )
        )
    return rows


def _threshold_row(m: ThresholdMetrics) -> MetricRow:
    unit = f" {m.unit}" if m.unit else ""
    worst = (
        ""
        if m.worst_value is None
        else f"; worst {_number(m.worst_value)}{unit} at {format_timecode(m.worst_at)}"
    )
    if not m.breached:
        return MetricRow(m.threshold.label, "never outside", worst.lstrip("; "), m.worst_at)
    if m.still_outside:
        back = "still outside at its last sample"
    else:
        back = f"back inside at {format_timecode(m.recovered_at)}"
    note = f"outside from {format_timecode(m.first_outside)}, {back}{worst}"
    value = f"{format_clock(m.time_outside)} outside"
    at = m.recovered_at if m.recovered_at is not None else m.first_outside
    return MetricRow(m.threshold.label, value, note, at, warn=m.still_outside)


def metrics_table(incident: Incident) -> str:
    """The rows as an indented plain-text table (``validate --metrics``)."""
    rows = metrics_lines(incident)
    name_w = max(len(row.name) for row in rows)
    value_w = max(len(row.value) for row in rows)
    return "\n".join(f"  {r.name:<{name_w}}  {r.value:>{value_w}}  {r.note}".rstrip() for r in rows)


def validation_entry(
    path: object, incident: Incident | None, errors: Sequence[object], *, metrics: bool
) -> dict:
    """``validate --json``'s entry for one file: its problems, or its facts (and metrics)."""
    if incident is None:
        return {"file": str(path), "ok": False, "errors": [str(error) for error in errors]}
    entry = {
        "file": str(path),
        "ok": True,
        "series": len(incident.series),
        "events": len(incident.events),
        "duration_s": incident.duration,
    }
    if metrics:
        entry["metrics"] = metrics_json(incident)
    return entry


def metrics_json(incident: Incident) -> dict:
    """The metrics as plain JSON values (seconds as numbers, null when unknown)."""
    metrics = compute_metrics(incident)

    def event(e: Event | None) -> dict | None:
        return None if e is None else {"at": e.at, "kind": e.kind, "title": e.title}

    return {
        "trigger": event(metrics.trigger),
        "detection": event(metrics.detection),
        "mitigation": event(metrics.mitigation),
        "all_clear": event(metrics.all_clear),
        "recovered_at": metrics.recovered_at,
        "time_to_s": metrics.durations(),
        "thresholds": [
            {
                "series": m.threshold.series_id,
                "label": m.threshold.label,
                "value": m.threshold.value,
                "bad": m.threshold.bad,
                "first_outside": m.first_outside,
                "recovered_at": m.recovered_at,
                "still_outside": m.still_outside,
                "time_outside_s": m.time_outside,
                "worst_value": m.worst_value,
                "worst_at": m.worst_at,
            }
            for m in metrics.thresholds
        ],
        "outcomes": [
            {
                "label": c.outcome.label,
                "value": c.outcome.value,
                "milestone": c.milestone,
                "stated_s": c.stated,
                "computed_s": c.computed,
                "agrees": c.agrees,
            }
            for c in outcome_checks(incident, metrics)
        ],
        "error_budget": None,  # the format has no SLO to spend against
    }
