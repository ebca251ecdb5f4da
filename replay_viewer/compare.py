"""Two incidents as one: a recurrence overlaid on the first time (``replay-viewer compare
A.yaml B.yaml``, ``export A.yaml --compare B.yaml``).

:func:`overlay` is a pure function of the two models: B's series and events are moved in
time so both incidents line up at T+0 (``align="t0"``), at their first ``detect`` events
or at their first ``deploy`` events, then added after A's. Every series is renamed by its
incident (``A: p99``, ``B: p99``; B's ids get ``b-``), and each incident's series take
shades of one colour family (A warm, B cool), so the two read apart at a glance and a
metric's two lines differ by family. B's histograms come along the same way (``b-`` ids,
``B:`` labels, moved in time; a heatmap pane each). B's events are titled ``B: …`` and drawn
faint. The
result is A with B added: A's thresholds, texts, ``started_at`` and events (still
editable); the timeline spans both.

Where the same metric (by id) has different units in A and B, each unit keeps its own axis
(two units: left and right; more: a pane each) and a note says so.
"""

from __future__ import annotations

import colorsys
import dataclasses
from typing import TYPE_CHECKING, Literal

from .describe import short_duration
from .errors import UsageError
from .model import Baseline, Incident, hex_to_rgb, timeline_span

if TYPE_CHECKING:
    from .model import Event, Series

__all__ = ["ALIGNMENTS", "FAMILIES", "Alignment", "alignment_offset", "overlay"]

Alignment = Literal["t0", "detect", "deploy"]
ALIGNMENTS: tuple[Alignment, ...] = ("t0", "detect", "deploy")
# Each incident's colour family: a base hue, stepped a little per legend entry.
FAMILIES = {"A": "#f43f5e", "B": "#22d3ee"}
_HUE_STEP = 0.06  # of the colour wheel per legend entry
_LIGHTNESS = (0.6, 0.72, 0.5, 0.66)  # cycled, so neighbours differ in lightness too


def family_shade(name: str, entry: int) -> tuple[float, float, float]:
    """The colour of legend entry ``entry`` of incident ``name`` ("A" or "B")."""
    hue, _, saturation = colorsys.rgb_to_hls(*hex_to_rgb(FAMILIES[name]))
    lightness = _LIGHTNESS[entry % len(_LIGHTNESS)]
    return colorsys.hls_to_rgb((hue + _HUE_STEP * entry) % 1.0, lightness, saturation)


def alignment_offset(a: Incident, b: Incident, align: Alignment) -> float:
    """Seconds added to B's times so it lines up with A (0 at T+0)."""
    if align == "t0":
        return 0.0
    moments = []
    for incident, name in ((a, "A"), (b, "B")):
        found = next((event.at for event in incident.events if event.kind == align), None)
        if found is None:
            raise UsageError(
                f"--align {align}: {name} ({_name(incident)}) has no '{align}' event to line "
                f"up on; use --align t0, or add a '{align}' event to it"
            )
        moments.append(found)
    return moments[0] - moments[1]


def overlay(a: Incident, b: Incident, align: Alignment = "t0") -> Incident:
    """A with B's series and events added, aligned by ``align`` (see the module doc)."""
    offset = alignment_offset(a, b, align)
    a_heat, _ = _renamed_histograms(a, "A", 0.0, set())
    a_series = _renamed(a, "A", 0.0, set(), {})  # A keeps its ids
    taken = {s.id for s in a_series} | {h.id for h in a_heat}
    b_heat, b_refs = _renamed_histograms(b, "B", offset, taken)
    b_series = _renamed(b, "B", offset, taken, b_refs)
    series = (*a_series, *_sided(a_series, b_series))
    events = tuple(sorted((*a.events, *(_moved_event(e, offset) for e in b.events)),
                          key=lambda e: e.at))  # fmt: skip
    start, end = timeline_span(series, events, None)
    start, end = min(start, a.start), max(end, a.end)
    where = _alignment_words(align, offset)
    notes = _unit_notes(a, b)
    return dataclasses.replace(
        a,
        id=f"{a.id}-vs-{b.id}",
        subtitle=f"vs {b.title}{_date(b)} · {where}",
        series=series,
        histograms=(*a_heat, *b_heat),  # each its own heatmap pane, B's moved in time too
        events=events,
        start=start,
        end=end,
        warnings=(*a.warnings, *b.warnings, *notes),
        # B's file too: a window watching what A reads reloads when B changes.
        data_files=tuple(dict.fromkeys((*a.data_files, *b.data_files, *_source(b)))),
    )


def _date(incident: Incident) -> str:
    """`` (15 Jul 2025)`` when the incident knows its wall clock."""
    if incident.started_at is None:
        return ""
    return f" ({incident.started_at.day} {incident.started_at.strftime('%b %Y')})"


def _source(incident: Incident) -> tuple:
    return () if incident.source is None else (incident.source,)


def _name(incident: Incident) -> str:
    return incident.source.name if incident.source is not None else incident.title


def _alignment_words(align: Alignment, offset: float) -> str:
    if align == "t0":
        return "aligned at T+0"
    if offset == 0:
        return f"aligned at the first {align}"
    later = "later" if offset > 0 else "earlier"
    return f"aligned at the first {align} (B {short_duration(abs(offset))} {later})"


def _new_id(old: str, name: str, taken: set[str]) -> str:
    """A's ids as they are; B's ``b-…`` (numbered where one is taken)."""
    if name != "B":
        return old
    new_id, number = f"b-{old}", 2
    while new_id in taken:
        new_id, number = f"b-{old}-{number}", number + 1
    taken.add(new_id)
    return new_id


def _renamed_histograms(incident: Incident, name: str, offset: float,
                        taken: set[str]) -> tuple[list, dict[str, str]]:  # fmt: skip
    """The incident's histograms under ``name`` (ids as :func:`_new_id`, labels prefixed,
    times moved) and each old id's new one, for their quantile series."""
    renamed, refs = [], {}
    for histogram in incident.histograms:
        refs[histogram.id] = _new_id(histogram.id, name, taken)
        renamed.append(dataclasses.replace(
            histogram, id=refs[histogram.id], label=f"{name}: {histogram.label}",
            times=histogram.times + offset if offset else histogram.times,
        ))  # fmt: skip
    return renamed, refs


def _renamed(incident: Incident, name: str, offset: float, taken: set[str],
             histograms: dict[str, str]) -> list[Series]:  # fmt: skip
    """The incident's series under ``name``: labels and groups prefixed, ids as
    :func:`_new_id`, colours from the incident's family, times moved, quantile lines on
    their histogram's new id (``histograms``)."""
    renamed = []
    for index, series in enumerate(incident.series):
        new_id = _new_id(series.id, name, taken)
        baseline = series.baseline
        if baseline is not None and offset:
            baseline = Baseline(baseline.times + offset, baseline.values, baseline.shift)
        renamed.append(dataclasses.replace(
            series,
            id=new_id,
            label=f"{name}: {series.label}",
            group=f"{name}: {series.group}" if series.group else "",
            color=family_shade(name, incident.entry_of_series[index]),
            times=series.times + offset if offset else series.times,
            baseline=baseline,
            histogram=histograms.get(series.histogram, series.histogram),
        ))  # fmt: skip
    return renamed


def _sided(a_series: list[Series], b_series: list[Series]) -> list[Series]:
    """B's series on the side A draws their unit on; a unit A does not have goes to the
    side A leaves free (with more than two units each unit gets a pane anyway)."""
    sides = {}
    for series in a_series:
        sides.setdefault(series.unit, series.axis)
    result = []
    for series in b_series:
        if series.unit not in sides:
            used = set(sides.values())
            sides[series.unit] = "right" if "left" in used and "right" not in used else "left"
        result.append(dataclasses.replace(series, axis=sides[series.unit]))
    return result


def _moved_event(event: Event, offset: float) -> Event:
    """B's event: moved, titled ``B: …``, faint, and not addressable in A's file."""
    until = None if event.until is None else event.until + offset
    return dataclasses.replace(event, at=event.at + offset, until=until,
                               title=f"B: {event.title}", line=0, column=0,
                               dim=True)  # fmt: skip


def _unit_notes(a: Incident, b: Incident) -> list[str]:
    """One note per metric (same id) whose unit differs between A and B."""
    notes = []
    for series in b.series:
        other = a.index_by_id.get(series.id)
        if other is not None and a.series[other].unit != series.unit:
            notes.append(
                f"compare: '{series.id}' is in {a.series[other].unit or 'no unit'} in A and in "
                f"{series.unit or 'no unit'} in B: each is drawn on its own axis"
            )
    return notes
