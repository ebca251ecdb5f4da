"""The incident's headline numbers, in words a summary strip shows: time to detect, to
mitigate and to recover (from the trigger), the all-clear, the worst reading and the error
budget burned (of the SLO that burned the most of its budget), each
with a short note on what the data says about it ("3s before the breach", "declared 1m
30s after the data recovered"). Pure; a storyboard's metrics strip and a report read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..describe import duration_words, format_reading, short_duration
from ..timecode import format_timecode
from .checks import incident_checks
from .metrics import compute_metrics
from .slo import format_percent, slo_summaries

if TYPE_CHECKING:
    from ..model import Incident
    from .checks import Gap
    from .metrics import IncidentMetrics

__all__ = ["Headline", "headline_metrics"]

NONE = "—"


@dataclass(frozen=True)
class Headline:
    """One number of the strip: ``time to detect``, ``12s``, ``3s before the breach``;
    ``at`` is where it points on the timeline, ``warn`` when the data disagrees."""

    name: str
    value: str
    note: str
    at: float | None = None
    warn: bool = False


def headline_metrics(incident: Incident, sustain: float | None = None) -> tuple[Headline, ...]:
    """Time to detect, mitigate, recover and all-clear, and the worst reading (when the
    incident has thresholds)."""
    metrics = compute_metrics(incident, sustain)
    gaps = {gap.name: gap for gap in incident_checks(incident, sustain)[0]}
    rows = [
        _declared(metrics, "time to detect", metrics.detection, gaps.get("detection"),
                  "no detect or alert event"),
        _declared(metrics, "time to mitigate", metrics.mitigation, gaps.get("mitigation"),
                  "no mitigate event"),
        _recovery(metrics, gaps.get("recovery")),
        _declared(metrics, "all-clear", metrics.all_clear, None, "no resolve event"),
    ]  # fmt: skip
    worst = _worst(incident, metrics)
    if worst is not None:
        rows.append(worst)
    summaries = slo_summaries(incident)
    if summaries:
        rows.append(_budget(summaries))
    return tuple(rows)


def _budget(summaries) -> Headline:
    """The error budget of the SLO that burned the most of its own (the first such in file
    order): the strip has room for one, so it names it when there are several; the report
    and the Metrics panel list them all."""
    summary = max(summaries, key=lambda summary: summary.burned)
    slo = summary.slo
    objective = f"{slo.objective:g} % / {duration_words(slo.window)}"
    note = f"of {short_duration(summary.budget)} ({objective})"
    name = "error budget burned"
    if len(summaries) > 1:
        note = f"{summary.name}, {note}"
        name += f" (most of {len(summaries)} SLOs)"
    value = format_percent(summary.burned)
    return Headline(name, value, note, summary.peak_at, summary.over_budget)


def _since(metrics: IncidentMetrics, t: float | None) -> str:
    since = metrics.since_trigger(t)
    return NONE if since is None else short_duration(since)


def _declared(metrics: IncidentMetrics, name: str, event, gap: Gap | None, missing: str):
    if event is None or metrics.trigger is None:
        return Headline(name, NONE, missing)
    if gap is not None:
        note = _breach_words(gap.seconds)
    elif metrics.thresholds and metrics.breach_at is None and name != "all-clear":
        note = "no threshold breached"
    else:
        note = f"at {format_timecode(event.at)}"
    return Headline(name, _since(metrics, event.at), note, event.at)


def _breach_words(seconds: float) -> str:
    if round(seconds) == 0:
        return "as the data breached"
    side = "after" if seconds > 0 else "before"
    return f"{short_duration(abs(seconds))} {side} the breach"


def _recovery(metrics: IncidentMetrics, gap: Gap | None) -> Headline:
    """From the data when a threshold breached (the declared recovery as its note), else
    the declared recovery."""
    name = "time to recover"
    declared = metrics.declared_recovery
    if metrics.breach_at is None:
        if declared is None or metrics.trigger is None:
            return Headline(name, NONE, "no recover or resolve event")
        return Headline(name, _since(metrics, declared.at), "declared", declared.at)
    recovered = metrics.recovered_at
    if metrics.trigger is None:
        return Headline(name, NONE, "no event to measure from", recovered)
    if recovered is None:
        return Headline(name, NONE, "not recovered in the data", warn=True)
    if gap is None:
        note = "from the data"
    elif round(gap.seconds) == 0:
        note = "declared as the data recovered"
    else:
        side = "after" if gap.seconds > 0 else "before"
        note = f"declared {short_duration(abs(gap.seconds))} {side} the data"
    return Headline(name, _since(metrics, recovered), note, recovered)


def _worst(incident: Incident, metrics: IncidentMetrics) -> Headline | None:
    """The worst reading of the first threshold that breached (else the first one)."""
    found = [m for m in metrics.thresholds if m.breached] or list(metrics.thresholds)
    if not found or found[0].worst_value is None:
        return None
    m = found[0]
    series = incident.series_by_id(m.worst_series or m.threshold.series_id)
    name = m.group or incident.series_by_id(m.threshold.series_id).label
    note = f"at {format_timecode(m.worst_at)}" if m.worst_at is not None else ""
    return Headline(f"worst {name}", format_reading(series, m.worst_value), note, m.worst_at)
