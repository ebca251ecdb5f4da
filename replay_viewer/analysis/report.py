"""The analysis as rows (``validate --metrics``'s table and the window's Metrics panel), as
JSON (``validate --metrics --json``) and as positioned warnings (``validate``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..describe import duration_words, short_duration
from ..timecode import format_clock, format_timecode
from .burn_alert import burn_page, page_words
from .checks import incident_checks, threshold_gaps
from .metrics import compute_metrics, outcome_checks
from .slo import format_percent, format_rate, slo_summaries

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Event, Incident
    from .metrics import IncidentMetrics
    from .slo import SloSummary
    from .thresholds import ThresholdMilestones

__all__ = [
    "MetricRow",
    "analysis_warnings",
    "metrics_json",
    "metrics_lines",
    "metrics_table",
    "slo_json",
    "slo_rows",
    "validation_entry",
]


WARNING_WORDS = {"resolved": "resolved too soon", "detected": "detected too early"}


class MetricRow(NamedTuple):
    """One line of the metrics, the same in the CLI's table and the window's panel."""

    name: str
    value: str
    note: str
    at: float | None  # where the row points on the timeline (None: nowhere)
    warn: bool = False  # the data contradicts a declaration, or a series never came back


def _number(value: float) -> str:
    return f"{value:.6g}"


def _since(metrics: IncidentMetrics, t: float | None) -> str:
    since = metrics.since_trigger(t)
    return "—" if since is None else format_clock(since)


def _at(event: Event | None) -> float | None:
    return None if event is None else event.at


def metrics_lines(incident: Incident, sustain: float | None = None) -> list[MetricRow]:
    """The metrics as rows for a table (CLI) or a panel (window): the declared milestones
    from the trigger, each threshold's data milestones, the gaps between declared and data
    milestones, then every contradiction."""
    metrics = compute_metrics(incident, sustain)
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
            note = "last threshold recovered" if t is not None else "not recovered in the data"
            if not metrics.thresholds:  # recovery is read from thresholds: none, no reading
                note = "no thresholds to recover from"
            elif metrics.breach_at is None:
                note = "no threshold breached in the data"
        where = "" if t is None else f"at {format_timecode(t)}"
        rows.append(MetricRow(f"time to {name}", _since(metrics, t), f"{where}  {note}".strip(), t))
    rows += [_threshold_row(m) for m in metrics.thresholds]
    gaps, found_all = incident_checks(incident, sustain)
    for gap in gaps:
        sign = "-" if gap.seconds < 0 else ""
        note = f"{format_timecode(gap.data_at)} → {format_timecode(gap.declared.at)}: {gap.label}"
        rows.append(MetricRow(f"{gap.name} gap", sign + format_clock(abs(gap.seconds)), note,
                              gap.declared.at))  # fmt: skip
    for check in outcome_checks(incident, metrics):
        computed = "—" if check.computed is None else format_clock(check.computed)
        verdict = "agrees" if check.agrees else "DISAGREES"
        rows.append(MetricRow(f"outcome '{check.outcome.label}'", check.outcome.value,
                              f"{verdict} with the computed time to {check.milestone} "
                              f"({computed})", None, warn=not check.agrees))  # fmt: skip
    for found in found_all:
        if found.kind != "outcome":  # said by the outcome's row above
            rows.append(MetricRow("warning", WARNING_WORDS[found.kind], found.message, found.at,
                                  warn=True))  # fmt: skip
    return rows


def _threshold_row(m: ThresholdMilestones) -> MetricRow:
    unit = f" {m.unit}" if m.unit else ""
    worst = ""
    if m.worst_value is not None:
        member = f" ({m.worst_series})" if m.group else ""
        worst = f"; worst {_number(m.worst_value)}{unit} at {format_timecode(m.worst_at)}{member}"
    name = m.threshold.label + (f" (group {m.group!r})" if m.group else "")
    if not m.breached:
        over, sustain = format_clock(m.time_outside), format_clock(m.sustain)
        blips = f"on its bad side {over}, never for {sustain}"
        note = (blips if m.time_outside else "") + worst
        return MetricRow(name, "no breach", note.lstrip("; "), m.worst_at)
    if m.still_outside:
        back = "still breaching at its last sample"
    elif not m.recovered:
        back = f"not inside for {format_clock(m.sustain)} before the data ends"
    else:
        back = f"recovered at {format_timecode(m.recovered_at)}"
    again = f" ({len(m.episodes)} breaches)" if len(m.episodes) > 1 else ""
    note = f"breached at {format_timecode(m.breach_at)}{again}, {back}{worst}"
    value = f"{format_clock(m.time_outside)} over"
    at = m.recovered_at if m.recovered_at is not None else m.breach_at
    return MetricRow(name, value, note, at, warn=not m.recovered)


def slo_rows(incident: Incident) -> list[MetricRow]:
    """A row per SLO: the budget the incident burned, the peak burn rate (where the row
    points), what is left; ``warn`` when the budget is overspent."""
    rows = []
    detection = compute_metrics(incident).detection
    declared = detection.at if detection is not None else None
    for s in slo_summaries(incident):
        slo = s.slo
        unit = f" {s.unit}" if s.unit else ""
        group = f" (group {s.group!r}, its worst member)" if s.group else ""
        note = (f"{slo.objective:g} % of the time {slo.rule}{unit}{group} over "
                f"{duration_words(slo.window)}: budget {short_duration(s.budget)}, "
                f"burned {short_duration(s.bad_time)}")  # fmt: skip
        if s.peak_rate is not None:
            note += f"; peak burn {format_rate(s.peak_rate)} at {format_timecode(s.peak_at)}"
        if slo.budget_spent_before:
            note += f"; {format_percent(slo.budget_spent_before)} spent before"
        note += f"; {format_percent(s.left)} left; {page_words(burn_page(s), declared)}"
        rows.append(MetricRow(f"SLO {s.name}", f"{format_percent(s.burned)} burned", note,
                              s.peak_at, warn=s.over_budget))  # fmt: skip
    return rows


def metrics_table(incident: Incident, sustain: float | None = None) -> str:
    """The rows (and the SLOs') as an indented plain-text table (``validate --metrics``)."""
    rows = metrics_lines(incident, sustain) + slo_rows(incident)
    name_w = max(len(row.name) for row in rows)
    value_w = max(len(row.value) for row in rows)
    return "\n".join(f"  {r.name:<{name_w}}  {r.value:>{value_w}}  {r.note}".rstrip() for r in rows)


def analysis_warnings(path: object, incident: Incident, sustain: float | None = None) -> list[str]:
    """The contradictions as ``PATH:LINE:COL: warning: …`` lines (``validate``)."""
    return [found.positioned(path) for found in incident_checks(incident, sustain)[1]]


def validation_entry(
    path: object,
    incident: Incident | None,
    errors: Sequence[object],
    *,
    metrics: bool,
    sustain: float | None = None,
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
        entry["metrics"] = metrics_json(incident, sustain)
    return entry


def _event(e: Event | None) -> dict | None:
    return None if e is None else {"at": e.at, "kind": e.kind, "title": e.title, "line": e.line}


def _gaps_json(gaps) -> dict:
    found = {gap.name: gap.seconds for gap in gaps}
    return {name: found.get(name) for name in ("detection", "mitigation", "recovery")}


def _threshold_json(metrics: IncidentMetrics, m: ThresholdMilestones) -> dict:
    return {
        "series": m.threshold.series_id,
        "group": m.group or None,
        "label": m.threshold.label,
        "value": m.threshold.value,
        "bad": m.threshold.bad,
        "sustain_s": m.sustain,
        "first_outside": m.first_outside,
        "breach_at": m.breach_at,
        "recovered_at": m.recovered_at,
        "still_outside": m.still_outside,
        "time_outside_s": m.time_outside,
        "worst_value": m.worst_value,
        "worst_at": m.worst_at,
        "worst_series": m.worst_series,
        "episodes": [{"start": e.start, "end": e.end, "last_bad": e.last_bad} for e in m.episodes],
        "gaps_s": _gaps_json(threshold_gaps(metrics, m)),
    }


def metrics_json(incident: Incident, sustain: float | None = None) -> dict:
    """The metrics as plain JSON values (seconds as numbers, null when unknown)."""
    metrics = compute_metrics(incident, sustain)
    gaps, found = incident_checks(incident, sustain)
    return {
        "trigger": _event(metrics.trigger),
        "detection": _event(metrics.detection),
        "mitigation": _event(metrics.mitigation),
        "declared_recovery": _event(metrics.declared_recovery),
        "all_clear": _event(metrics.all_clear),
        "breach_at": metrics.breach_at,
        "recovered_at": metrics.recovered_at,
        "sustain_s": metrics.sustain,
        "time_to_s": metrics.durations(),
        "gaps_s": _gaps_json(gaps),
        "thresholds": [_threshold_json(metrics, m) for m in metrics.thresholds],
        "outcomes": [
            {
                "label": c.outcome.label,
                "value": c.outcome.value,
                "milestone": c.milestone,
                "stated_s": c.stated,
                "computed_s": c.computed,
                "agrees": c.agrees,
                "line": c.outcome.line,
            }
            for c in outcome_checks(incident, metrics)
        ],
        "warnings": [
            {"kind": c.kind, "at": c.at, "line": c.line, "column": c.column, "message": c.message}
            for c in found
        ],
        "slos": [slo_json(s) for s in slo_summaries(incident)],
    }


def slo_json(s: SloSummary) -> dict:
    """One SLO's budget and burn as plain JSON values (seconds, percent, null if none)."""
    slo = s.slo
    return {
        "series": slo.series_id,
        "group": s.group or None,
        "label": s.name,
        "objective_pct": slo.objective,
        "good": slo.good,
        "bound": slo.bound,
        "bound_is_good": slo.inclusive,
        "window_s": slo.window,
        "burn_window_s": slo.burn_window,
        "budget_s": s.budget,
        "burned_s": s.bad_time,
        "burned_pct": s.burned,
        "spent_before_pct": slo.budget_spent_before,
        "left_pct": s.left,
        "over_budget": s.over_budget,
        "known_s": s.known_time,
        "achieved_pct": s.achieved,
        "peak_burn_rate": s.peak_rate,
        "peak_at": s.peak_at,
        "exhausts_budget_s": s.exhausts_budget,
        "left_at_peak_pct": s.left_at_peak,
        "exhausts_left_s": s.exhausts_left,
        "page_at": burn_page(s).at,
        "page_rule": burn_page(s).rule,
        "line": s.line,
    }
