"""The report's tables: the metrics (declared and data milestones, each threshold's breach,
worst point, recovery and time over, the gaps between declared and data, the warnings),
the timeline (each event with its span and the data milestone near it) and the outcomes
checked against the computed durations. The numbers are the analysis' own
(:mod:`replay_viewer.analysis`): the report, ``validate --metrics`` and the window agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.burn_alert import PAGE_RULE, burn_page
from ..analysis.checks import incident_checks
from ..analysis.metrics import compute_metrics, outcome_checks
from ..analysis.slo import format_percent, format_rate, slo_summaries
from ..describe import duration_words, format_reading, short_duration
from ..story import Moment, caption_for
from ..timecode import format_clock, format_timecode
from .blocks import Callout, Cell, Figure, Paragraph, Row, Section, Table

if TYPE_CHECKING:
    from ..analysis.checks import Gap
    from ..analysis.metrics import IncidentMetrics
    from ..analysis.thresholds import ThresholdMilestones
    from ..model import Event, Incident

__all__ = ["metrics_section", "outcomes_section", "signed_clock", "timeline_section"]


def _tc(t: float) -> str:
    return format_timecode(t, decimals=3 if t % 1 else 0)


def signed_clock(seconds: float) -> str:
    """A gap: ``+02:40``, ``-00:03``, ``00:00`` (declared minus data)."""
    if round(seconds) == 0:
        return "00:00"
    return ("+" if seconds > 0 else "-") + format_clock(abs(seconds))


def _wall(incident: Incident, t: float) -> str:
    wall = incident.wall_clock(t)
    return "" if wall is None else f"{wall:%H:%M:%S}"


def _event_words(event: Event) -> str:
    return f"{event.kind} “{event.title}”"


def metrics_section(incident: Incident, chart: Figure | None) -> Section:
    metrics = compute_metrics(incident)
    gaps, found = incident_checks(incident)
    blocks: list = [] if chart is None else [chart]
    if metrics.trigger is not None or metrics.thresholds:
        blocks.append(_milestones_table(incident, metrics))
    if metrics.thresholds:
        blocks.append(_thresholds_table(incident, metrics))
    if gaps:
        blocks.append(_gaps_table(incident, gaps))
    if incident.slos:
        blocks.append(_budgets_table(incident))
    if metrics.thresholds or gaps:
        blocks.append(Paragraph(
            f"A breach is a run on a threshold's bad side lasting its sustain (default "
            f"{short_duration(metrics.sustain)}); a recovery is a run back inside as long. "
            "Time over counts every bad sample, blips included. A gap is the declared time "
            "minus the data's: positive when the timeline came later.", "muted",
        ))  # fmt: skip
    if found:
        blocks.append(Callout("The data disagrees with the timeline",
                              tuple(c.message for c in found)))  # fmt: skip
    if metrics.trigger is None and not metrics.thresholds:
        blocks.append(Paragraph("The incident has no events and no thresholds: there are no "
                                "milestones to measure.", "muted"))  # fmt: skip
    return Section("Metrics", "metrics", tuple(blocks))


def _milestone_row(incident: Incident, metrics: IncidentMetrics, name: str, t: float | None,
                   source: str) -> Row:  # fmt: skip
    since = metrics.since_trigger(t)
    at = Cell("—") if t is None else Cell(_tc(t), note=_wall(incident, t))
    return Row((Cell(name, strong=True), at,
                Cell("—" if since is None else format_clock(since)), Cell(source)))  # fmt: skip


def _milestones_table(incident: Incident, metrics: IncidentMetrics) -> Table:
    def declared(event: Event | None) -> tuple[float | None, str]:
        return (None, "no such event") if event is None else (event.at, _event_words(event))

    rows = [_milestone_row(incident, metrics, "Trigger", *declared(metrics.trigger))]
    breached = [m for m in metrics.thresholds if m.breached]
    if metrics.thresholds:
        first = min(breached, key=lambda m: m.breach_at) if breached else None
        why = f"data: {first.threshold.label}" if first else "no threshold breached"
        rows.append(_milestone_row(incident, metrics, "First breach", metrics.breach_at, why))
    rows.append(_milestone_row(incident, metrics, "Detection", *declared(metrics.detection)))
    rows.append(_milestone_row(incident, metrics, "Mitigation", *declared(metrics.mitigation)))
    if metrics.thresholds:
        why = "not recovered in the data" if breached else "nothing to recover from"
        if metrics.recovered_at is not None:
            why = "data: the last threshold recovered"
        rows.append(_milestone_row(incident, metrics, "Recovery (data)",
                                   metrics.recovered_at, why))  # fmt: skip
    recovery = metrics.declared_recovery
    if recovery is not None and recovery != metrics.all_clear:
        rows.append(_milestone_row(incident, metrics, "Declared recovery", *declared(recovery)))
    rows.append(_milestone_row(incident, metrics, "All-clear", *declared(metrics.all_clear)))
    return Table("Milestones: declared in the timeline, and from the data",
                 ("Milestone", "At", "From the trigger", "Source"), tuple(rows),
                 ("l", "r", "r", "l"), name="milestones")  # fmt: skip


def _threshold_row(incident: Incident, m: ThresholdMilestones) -> Row:
    series = incident.series_by_id(m.threshold.series_id)
    limit = f"{m.threshold.value:.6g} {m.unit}".strip()
    name = Cell(m.threshold.label, note=f"{m.group or series.label} {m.threshold.bad} {limit}",
                strong=True)  # fmt: skip
    worst = Cell("—")
    if m.worst_value is not None and m.worst_at is not None:
        worst_series = incident.series_by_id(m.worst_series or series.id)
        member = f" ({worst_series.label})" if m.group else ""
        worst = Cell(format_reading(worst_series, m.worst_value), note=f"at {_tc(m.worst_at)}"
                     + member)  # fmt: skip
    over = Cell(format_clock(m.time_outside))
    if not m.breached:
        blips = f"bad side {format_clock(m.time_outside)}, never for " if m.time_outside else ""
        note = f"{blips}{short_duration(m.sustain)}" if blips else ""
        return Row((name, Cell("no breach", note=note), worst, Cell("—"), over))
    again = f"{len(m.episodes)} breaches" if len(m.episodes) > 1 else ""
    if m.recovered_at is not None:
        recovery = Cell(_tc(m.recovered_at), note=_wall(incident, m.recovered_at))
    elif m.still_outside:
        recovery = Cell("still breaching", note="at its last sample")
    else:
        recovery = Cell("not recovered", note=f"not inside for {short_duration(m.sustain)}")
    breach = Cell(_tc(m.breach_at), note=again or _wall(incident, m.breach_at))
    return Row((name, breach, worst, recovery, over), warn=not m.recovered)


def _thresholds_table(incident: Incident, metrics: IncidentMetrics) -> Table:
    rows = tuple(_threshold_row(incident, m) for m in metrics.thresholds)
    return Table("Thresholds: what the data did", ("Threshold", "Breach", "Worst", "Recovery",
                 "Time over"), rows, ("l", "r", "r", "r", "r"), name="thresholds")  # fmt: skip


def _gaps_table(incident: Incident, gaps: tuple[Gap, ...]) -> Table:
    rows = []
    for gap in gaps:
        data = "the data recovered" if gap.name == "recovery" else "first breach"
        rows.append(Row((
            Cell(gap.name.capitalize(), strong=True),
            Cell(_tc(gap.data_at), note=data),
            Cell(_tc(gap.declared.at), note=_event_words(gap.declared)),
            Cell(signed_clock(gap.seconds), note=gap.label),
        )))  # fmt: skip
    return Table("Gaps: the declared milestones against the data's",
                 ("Gap", "Data", "Declared", "Gap (declared − data)"), tuple(rows),
                 ("l", "r", "r", "r"), name="gaps")  # fmt: skip


def _budgets_table(incident: Incident) -> Table:
    """Each SLO: its objective and window, the budget, what the incident burned of it, the
    peak burn rate (and how long a whole budget lasts at it)."""
    rows = []
    detection = compute_metrics(incident).detection
    for summary in slo_summaries(incident):
        slo = summary.slo
        objective = f"{slo.objective:g} % over {duration_words(slo.window)}"
        rule = "≤" if slo.good == "below" else "≥"
        if not slo.inclusive:
            rule = "<" if slo.good == "below" else ">"
        good = f"{summary.name}: good {rule} {slo.bound:g} {summary.unit}".strip()
        burned = Cell(
            format_percent(summary.burned), note=f"{short_duration(summary.bad_time)} bad"
        )
        peak = Cell("—")
        if summary.peak_rate is not None and summary.peak_at is not None:
            peak = Cell(format_rate(summary.peak_rate), note=f"at {_tc(summary.peak_at)}")
        left = Cell(format_percent(summary.left), note="over budget" if summary.over_budget else "")
        rows.append(Row((Cell(objective, note=good, strong=True),
                         Cell(short_duration(summary.budget)), burned, peak,
                         _page_cell(summary, detection), left),
                        warn=summary.over_budget))  # fmt: skip
    return Table(f"Error budgets: what the incident burned of each SLO's (a burn-rate page: "
                 f"{PAGE_RULE})",
                 ("SLO", "Budget", "Burned", "Peak burn rate", "Burn-rate page", "Left"),
                 tuple(rows), ("l", "r", "r", "r", "r", "r"), name="budgets")  # fmt: skip


def _page_cell(summary, detection: Event | None) -> Cell:
    """When the workbook's first burn-rate page would have fired (which rule, for the slow
    burn), against the declared detection."""
    page = burn_page(summary)
    if page.at is None:
        return Cell("never")
    at = round(page.at)  # to the second, as the alert's own evaluation would be
    notes = [] if page.name == "fast-burn" else [page.name.replace("-", " ")]
    if detection is not None:
        lag = at - detection.at
        side = "after" if lag > 0 else "before"
        notes.append("as the detection" if abs(lag) < 0.5
                     else f"{short_duration(abs(lag))} {side} the detection")  # fmt: skip
    return Cell(_tc(at), note="; ".join(notes))


def _timeline_row(incident: Incident, event: Event) -> dict[str, Cell]:
    caption = caption_for(incident, Moment(event.at, event))
    data = caption.note
    if caption.warning:
        data = f"⚠ {caption.warning}" + (f" ({data})" if data else "")
    lasted = short_duration(event.until - event.at) if event.until is not None else ""
    return {"★": Cell("★" if event.star else ""), "Time": Cell(caption.timecode),
            "Wall clock": Cell(caption.wall), "Kind": Cell(event.kind),
            "Event": Cell(event.title, note=event.detail, strong=True), "Lasted": Cell(lasted),
            "What the data shows": Cell(data)}  # fmt: skip


def timeline_section(incident: Incident) -> Section:
    """Every event: ★ (when any is starred), time, wall clock (with ``started_at``), kind,
    title and detail, how long a span lasted (when any is a span), the data near it."""
    events = incident.events
    if not events:
        return Section("Timeline", "timeline",
                       (Paragraph("The incident file lists no events.", "muted"),))  # fmt: skip
    starred = any(e.star for e in events)
    columns = [("★", "c", starred), ("Time", "r", True),
               ("Wall clock", "r", incident.started_at is not None), ("Kind", "l", True),
               ("Event", "l", True), ("Lasted", "r", any(e.is_span for e in events)),
               ("What the data shows", "l", True)]  # fmt: skip
    shown = [(name, align) for name, align, on in columns if on]
    rows = []
    for event in events:
        cells = _timeline_row(incident, event)
        rows.append(Row(tuple(cells[name] for name, _ in shown),
                        warn=cells["What the data shows"].text.startswith("⚠"),
                        star=event.star))  # fmt: skip
    what = "Every event of the incident file, in time order" + (" (★: starred)" * starred)
    table = Table(what, tuple(n for n, _ in shown), tuple(rows), tuple(a for _, a in shown),
                  name="timeline")  # fmt: skip
    return Section("Timeline", "timeline", (table,))


def outcomes_section(incident: Incident) -> Section:
    if not incident.outcomes:
        return Section("Outcomes", "outcomes", ())
    checks = {id(c.outcome): c for c in outcome_checks(incident, compute_metrics(incident))}
    rows = []
    for outcome in incident.outcomes:
        check = checks.get(id(outcome))
        verdict, warn = Cell("—"), False
        if check is not None:
            computed = "none in the data" if check.computed is None else format_clock(
                check.computed)  # fmt: skip
            note = f"computed time to {check.milestone}: {computed}"
            verdict, warn = Cell("✓ agrees" if check.agrees else "⚠ disagrees", note=note), (
                not check.agrees)  # fmt: skip
        rows.append(Row((Cell(outcome.label, strong=True), Cell(outcome.value),
                         Cell(outcome.note), verdict), warn=warn))  # fmt: skip
    return Section("Outcomes", "outcomes", (Table(
        "Outcomes as stated, checked against the data where they name a milestone",
        ("Outcome", "Value", "Note", "Check"), tuple(rows), ("l", "r", "l", "l"),
        name="outcomes"),))  # fmt: skip
