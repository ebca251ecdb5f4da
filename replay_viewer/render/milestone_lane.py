"""The milestone lane under the event lane, placed (pure: no GPU, no fonts).

The data's milestones of each threshold (first breach ▲, worst point ◆, recovery ●) are
hollow glyphs in the threshold's series colour; the declared milestones the gaps are
measured to (the detection, the mitigation, the declared recovery) are filled glyphs in
their kind's shape and colour, so a declaration that matches the data sits inside the
data's ring. Each gap (see :mod:`..analysis.checks`) is a bracket from the data milestone
to the declared one in one of two rows under the glyphs, labelled on the bracket where the
label fits and beside it where not. A declaration the data contradicts gets a warning badge
at its time. The marker and rule instances (:mod:`.instances`), the labels
(:mod:`.milestone_labels`) and the window's hover all read one :class:`MilestoneLane`.

In live view (``layout.live``) the lane holds only what was known at the playhead: a
breach or a recovery once it had lasted ``sustain`` (so at its time + sustain), the worst
point once the data has recovered for good, a declared milestone at its event, a gap once
both its ends are known; no warnings (they compare the declarations with all the data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis import compute_metrics, incident_checks
from ..describe import format_reading, short_duration
from .style import MILESTONES

if TYPE_CHECKING:
    from ..analysis import Gap, IncidentMetrics, ThresholdMilestones
    from ..model import Event, Incident
    from .layout import ChartLayout

__all__ = [
    "Bracket",
    "LaneItem",
    "MilestoneLane",
    "known_times",
    "lane_items_at",
    "milestone_lane",
]

Color = tuple[float, float, float, float]
DECLARED = {"detection": "the declared detection", "mitigation": "the declared mitigation",
            "recovery": "the declared recovery"}  # fmt: skip


@dataclass(frozen=True)
class LaneItem:
    """A glyph on the lane, at ``x`` (px) on the glyph row (a badge: up and right of it)."""

    t: float
    x: float
    y: float
    shape: int
    color: Color
    radius: float  # px
    hollow: bool
    text: str  # what hovering it tells
    warning: bool = False


@dataclass(frozen=True)
class Bracket:
    """A gap: a line from ``x0`` to ``x1`` (px, in the chart) on its row at ``y``, an end
    tick at each end in view, and its label anchored at ``label_x`` (``align`` 0: left,
    0.5: centred on the line, on a plate; 1: right)."""

    gap: Gap
    x0: float
    x1: float
    y: float
    ticks: tuple[float, ...]  # x of each end tick
    label_x: float
    align: float


@dataclass(frozen=True)
class MilestoneLane:
    top: float  # px
    glyph_y: float  # px
    items: tuple[LaneItem, ...]
    brackets: tuple[Bracket, ...]


def milestone_lane(incident: Incident, layout: ChartLayout) -> MilestoneLane | None:
    """The lane of ``incident`` in ``layout`` (None when the layout has none)."""
    if layout.milestone_lane is None:
        return None
    top, bottom = layout.milestone_lane
    height = bottom - top
    glyph_y = top + 0.26 * height
    metrics = compute_metrics(incident)
    gaps, found = incident_checks(incident)
    items = _data_items(incident, layout, metrics, glyph_y)
    items += _declared_items(layout, metrics, glyph_y)
    if layout.live is None:
        items += _warning_items(layout, found, items, glyph_y)
    else:  # live: only the gaps known by the playhead
        known = _data_known(metrics)
        gaps = tuple(g for g in gaps if _known(layout, _gap_known(g, known)))
    rows = [top + share * height for share in (0.58, 0.86)][: MILESTONES.rows]
    return MilestoneLane(top, glyph_y, tuple(items), _brackets(layout, gaps, rows))


def known_times(incident: Incident) -> list[float]:
    """Every time at which something on the lane becomes known (live view lays the lane
    out again when the playhead passes one)."""
    metrics = compute_metrics(incident)
    gaps, _ = incident_checks(incident)
    known = _data_known(metrics)
    times = [at for m in metrics.thresholds for _, _, _, at in _data_milestones(m, None)]
    times += [event.at for _, event in _declared(metrics) if event is not None]
    times += [_gap_known(gap, known) for gap in gaps]
    return sorted(at for at in times if at is not None)


def _in_view(layout: ChartLayout, t: float | None) -> bool:
    return t is not None and layout.t_start <= t <= layout.t_end


def _known(layout: ChartLayout, at: float | None) -> bool:
    """Whether what becomes known at ``at`` shows: always, but in live view only once the
    layout's playhead has reached it."""
    return layout.live is None or (at is not None and at <= layout.live)


def _data_known(metrics: IncidentMetrics) -> dict[float, float]:
    """When each threshold's breach and recovery were known: once they had lasted."""
    known = {}
    for m in metrics.thresholds:
        for at in (m.breach_at, m.recovered_at):
            if at is not None:
                known.setdefault(at, at + m.sustain)
    return known


def _gap_known(gap: Gap, data_known: dict[float, float]) -> float:
    return max(data_known.get(gap.data_at, gap.data_at), gap.declared.at)


def _px(layout: ChartLayout, points: float) -> float:
    """Points of text (which scales down with small frames) in pixels."""
    return points * layout.pixel_ratio * layout.text_scale


def _data_items(
    incident: Incident, layout: ChartLayout, metrics: IncidentMetrics, y: float
) -> list[LaneItem]:
    items = []
    radius = MILESTONES.data_radius * layout.pixel_ratio  # glyphs keep their size, as events do
    for m in metrics.thresholds:
        series = incident.series_by_id(m.threshold.series_id)
        if series.id in layout.hidden:
            continue
        color = (*layout.palette.series_color(series.color), 1.0)
        for t, shape, text, known in _data_milestones(m, series):
            if _in_view(layout, t) and _known(layout, known):
                items.append(LaneItem(t, layout.to_x(t), y, shape, color, radius, True, text))
    return items


def _data_milestones(m: ThresholdMilestones, series) -> list[tuple]:
    """(time, shape, hover text, when it was known) of each data milestone (``series``
    None: the times only)."""
    label, sustain = m.threshold.label, short_duration(m.sustain)
    bad, good = ("over", "under") if m.threshold.bad == "above" else ("under", "over")
    worst = format_reading(series, m.worst_value) if series is not None else ""
    member = f" ({m.worst_series})" if m.group else ""
    lasted = {at: at + m.sustain for at in (m.breach_at, m.recovered_at) if at is not None}
    # The worst point is final once the data has recovered for good (else at its end).
    worst_known = lasted.get(m.recovered_at, m.last_known)
    return [
        (m.breach_at, MILESTONES.breach_shape,
         f"{label}: first breach ({bad} for {sustain} or more)", lasted.get(m.breach_at)),
        (m.worst_at if m.breached else None, MILESTONES.worst_shape,
         f"{label}: worst point, {worst}{member}", worst_known if m.breached else None),
        (m.recovered_at, MILESTONES.recovery_shape,
         f"{label}: recovered (back {good} for {sustain} or more)", lasted.get(m.recovered_at)),
    ]  # fmt: skip


def _declared_items(layout: ChartLayout, metrics: IncidentMetrics, y: float) -> list[LaneItem]:
    items = []
    radius = MILESTONES.declared_radius * layout.pixel_ratio
    for name, event in _declared(metrics):
        if event is None or not _in_view(layout, event.at) or not _known(layout, event.at):
            continue
        style = layout.palette.event(event.kind)
        text = f"{event.kind} {event.title!r}: {DECLARED[name]}"
        items.append(LaneItem(event.at, layout.to_x(event.at), y, style.shape, style.color,
                              radius, False, text))  # fmt: skip
    return items


def _declared(metrics: IncidentMetrics) -> list[tuple[str, Event | None]]:
    return [
        ("detection", metrics.detection),
        ("mitigation", metrics.mitigation),
        ("recovery", metrics.declared_recovery),
    ]


def _warning_items(layout: ChartLayout, found, items: list[LaneItem], y: float) -> list[LaneItem]:
    """A badge at each contradiction's time: on the glyph row where that is free, else up
    and to the right of the glyph there."""
    badges = []
    radius = MILESTONES.warning_radius * layout.pixel_ratio
    near = 2 * MILESTONES.data_radius * layout.pixel_ratio
    for contradiction in found:
        if not _in_view(layout, contradiction.at):
            continue
        x = layout.to_x(contradiction.at)
        dx = dy = 0.0
        if any(abs(item.x - x) < near for item in items):
            dx, dy = 0.9 * near / 2, -0.9 * near / 2
        badges.append(LaneItem(contradiction.at, x + dx, y + dy, MILESTONES.breach_shape,
                               layout.palette.warning, radius, False, contradiction.message,
                               warning=True))  # fmt: skip
    return badges


def _brackets(layout: ChartLayout, gaps: tuple[Gap, ...], rows: list[float]) -> tuple:
    """Each gap in view on the first row where it (and its label) fits; a gap that fits in
    no row is left to the panel and the hover."""
    chart, pad = layout.chart, _px(layout, 6.0)
    placed: list[Bracket] = []
    ends = [-float("inf")] * len(rows)
    for gap in sorted(gaps, key=lambda gap: min(gap.data_at, gap.declared.at)):
        lo, hi = sorted((gap.data_at, gap.declared.at))
        if hi < layout.t_start or lo > layout.t_end:
            continue
        x0, x1 = max(layout.to_x(lo), chart.x0), min(layout.to_x(hi), chart.x1)
        ticks = tuple(layout.to_x(t) for t in (lo, hi) if _in_view(layout, t))
        width = len(gap.label) * _px(layout, MILESTONES.label_char)
        if x1 - x0 >= width + 2 * pad:
            label_x, align, extent = (x0 + x1) / 2, 0.5, (x0, x1)
        elif x1 + pad + width <= layout.width - pad:
            label_x, align, extent = x1 + pad, 0.0, (x0, x1 + pad + width)
        else:
            label_x, align, extent = x0 - pad, 1.0, (x0 - pad - width, x1)
        row = next((k for k, end in enumerate(ends) if end + pad <= extent[0]), None)
        if row is None:
            continue
        ends[row] = extent[1]
        placed.append(Bracket(gap, x0, x1, rows[row], ticks, label_x, align))
    return tuple(placed)


def lane_items_at(lane: MilestoneLane, layout: ChartLayout, x: float, y: float) -> list[LaneItem]:
    """The glyphs under (``x``, ``y``) px on the lane, in time order (a near miss on the
    glyph row counts: glyphs a few pixels apart are one target)."""
    reach = (MILESTONES.data_radius + 3) * layout.pixel_ratio
    if not lane.top <= y <= lane.glyph_y + reach:
        return []
    hits = [item for item in lane.items if abs(item.x - x) <= reach]
    return sorted(hits, key=lambda item: (item.t, item.warning))
