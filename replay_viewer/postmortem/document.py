"""An incident as a postmortem document: the title block and facts, the summary with the
key numbers, the storyboard, the metrics (milestones, thresholds, gaps, warnings), the
timeline, actions, learnings and outcomes. Pure: the same document becomes report.md and
report.html (:mod:`.markdown`, :mod:`.html_page`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._version import __version__
from ..analysis.checks import incident_checks
from ..analysis.metrics import compute_metrics
from ..describe import duration_words, format_reading
from ..timecode import format_clock, format_timecode, format_wall_clock
from .blocks import (
    Bullets,
    Callout,
    Cell,
    Facts,
    Figure,
    Item,
    Paragraph,
    ReportDocument,
    Row,
    Section,
    Table,
)
from .sections import metrics_section, outcomes_section, timeline_section

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model import Incident
    from ..story import StoryPlan

__all__ = ["CHART_NAME", "STORYBOARD_NAME", "build_report", "worst_moment"]

STORYBOARD_NAME = "storyboard.png"
CHART_NAME = "chart.png"


def worst_moment(incident: Incident) -> tuple[float, str]:
    """When the full-size chart is drawn, and why: the worst point of the first threshold
    (in the file's order) that breached; the end of the incident when none did."""
    for m in compute_metrics(incident).thresholds:
        if m.breached and m.worst_at is not None and m.worst_value is not None:
            series = incident.series_by_id(m.worst_series or m.threshold.series_id)
            reading = format_reading(series, m.worst_value)
            member = f" ({series.label})" if m.group else ""
            return m.worst_at, f"{m.group or series.label}{member} at its worst, {reading}"
    return incident.end, "the end of the incident"


def build_report(
    incident: Incident, plan: StoryPlan, *, images: Mapping[str, tuple[int, int]]
) -> ReportDocument:
    """The report of ``incident`` told by ``plan``'s moments; ``images`` are the figures
    written beside it (``storyboard.png``, ``chart.png``) and their sizes in pixels."""
    figures = _figures(incident, plan, images)
    learnings = incident.learnings
    sections = [
        _summary_section(incident),
        _storyboard_section(plan, figures.get(STORYBOARD_NAME)),
        metrics_section(incident, figures.get(CHART_NAME)),
        timeline_section(incident),
        _list_section("Actions", "actions", [Item(text) for text in incident.actions]),
        _list_section("Learnings", "learnings", [Item(x.title, x.detail) for x in learnings]),
        outcomes_section(incident),
    ]
    return ReportDocument(
        title=incident.title,
        subtitle=incident.subtitle,
        facts=_facts(incident, plan),
        sections=tuple(s for s in sections if s is not None and s.blocks),
        footer=_footer(incident),
        figures=tuple(figures.values()),
    )


def _figures(
    incident: Incident, plan: StoryPlan, images: Mapping[str, tuple[int, int]]
) -> dict[str, Figure]:
    figures = {}
    if STORYBOARD_NAME in images:
        count = len(plan.moments)
        figures[STORYBOARD_NAME] = Figure(
            STORYBOARD_NAME,
            f"Storyboard: the chart at each of the {count} moments of the incident",
            f"The chart at each of the {count} moments the story is told by ({plan.chosen}), "
            "left to right and top to bottom; the timeline lists them.",
            images[STORYBOARD_NAME],
        )
    if CHART_NAME in images:
        t, why = worst_moment(incident)
        figures[CHART_NAME] = Figure(
            CHART_NAME,
            f"The chart at {format_timecode(t)}",
            f"The chart at {format_timecode(t)}: {why}. The data after that moment is drawn "
            "faintly.",
            images[CHART_NAME],
        )
    return figures


def _facts(incident: Incident, plan: StoryPlan) -> Facts:
    items = []
    if incident.severity:
        items.append(("Severity", incident.severity))
    start = incident.wall_clock(0.0)
    if start is not None:
        zone = start.tzname() or "UTC"
        items.append(("Started", f"{format_wall_clock(start, year=True, seconds=False)} {zone}"))
    items.append(("Duration", duration_words(incident.duration)))
    if incident.role:
        items.append(("Role", incident.role))
    if incident.stack:
        items.append(("Stack", ", ".join(incident.stack)))
    items.append(("Events", _events_fact(incident, plan)))
    return Facts(tuple(items))


def _events_fact(incident: Incident, plan: StoryPlan) -> str:
    """``9 (the storyboard shows all of them)``, ``(… 3 starred)``, ``(… 2 listed times)``."""
    events, told = len(incident.events), len(plan.moments)
    if not events:
        return "none"
    if plan.chosen == "every event":
        shown = "all of them" if told == events else f"the first {told}"
    elif plan.chosen == "starred events":
        shown = f"the {told} starred"
    else:
        shown = f"{told} {plan.chosen}"
    return f"{events} (the storyboard shows {shown})"


def _summary_section(incident: Incident) -> Section:
    blocks: list = []
    if incident.summary:
        blocks.append(Paragraph(incident.summary, "lead"))
    metrics = compute_metrics(incident)
    if metrics.trigger is not None:
        durations = metrics.durations()
        names = ("detection", "mitigation", "recovery", "all-clear")
        cells = tuple(Cell("—" if durations[n] is None else format_clock(durations[n]))
                      for n in names)  # fmt: skip
        trigger = metrics.trigger
        blocks.append(Table(
            f"Time from the trigger, {trigger.kind} “{trigger.title}” at "
            f"{format_timecode(trigger.at)}, to each milestone",
            ("Detection", "Mitigation", "Recovery (data)", "All-clear"),
            (Row(cells),), ("r", "r", "r", "r"), name="key-numbers",
        ))  # fmt: skip
    found = incident_checks(incident)[1]
    if found:
        count = f"{len(found)} declaration{'s' if len(found) > 1 else ''}"
        blocks.append(Callout("The data disagrees with the timeline",
                              (f"The data contradicts {count} of the timeline or the "
                               "outcomes: see Metrics.",)))  # fmt: skip
    return Section("Summary", "summary", tuple(blocks))


def _storyboard_section(plan: StoryPlan, figure: Figure | None) -> Section:
    blocks: list = [] if figure is None else [figure]
    if plan.warnings and figure is not None:
        blocks.append(Callout("How the story was told", plan.warnings, "note"))
    return Section("Storyboard", "storyboard", tuple(blocks))


def _list_section(heading: str, anchor: str, items: list[Item]) -> Section:
    return Section(heading, anchor, (Bullets(tuple(items)),) if items else ())


def _footer(incident: Incident) -> str:
    source = f" from {incident.source.name}" if incident.source is not None else ""
    clock = "T+ times are from the incident's T+0"
    start = incident.wall_clock(0.0)
    if start is not None:  # a zone by its name: its offset may change during the incident
        zone = getattr(start.tzinfo, "key", None) or start.tzname() or "UTC"
        clock += f"; wall-clock times are in {zone}"
    return f"Generated by replay-viewer {__version__}{source}. {clock}."
