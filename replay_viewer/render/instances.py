"""Marker and rule instances for a layout: pure numpy, written once per layout.

Markers: sample markers on each visible series whose samples are far enough apart (shape
by series), the series' heads (placed per frame from the heads buffer), and the event
glyphs on the lane under the time axis (shape and colour by kind), and the milestone lane's
glyphs (the data's hollow) and gap brackets (see :mod:`.milestone_lane`). Rules: pane grids
(stacked panes only; a single pane's grid is grid.wgsl's), event guides, axes and ticks,
thresholds, the playhead and the crosshair, and the budget-burn lane's bars, marks and veil
(:mod:`.burn_lane`). Only what lies in the layout's time view is made; in live view only
the events that had happened by its playhead, and spans and burn bars cut at the playhead
(``RULE_CUT``): the rest did not exist yet.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .burn_lane import burn_rule_instances
from .milestone_lane import milestone_lane
from .series_geometry import FAR_PX
from .style import DENSE, MARKERS, MILESTONES, RULES, series_style
from .uniforms import MARKER_DTYPE, NO_HEAD, RULE_CUT, RULE_DTYPE, RULE_HOVER, RULE_PLAYHEAD

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model import Incident
    from .columns import Drawn
    from .layout import ChartLayout
    from .value_axes import AxisLayout

__all__ = [
    "event_clusters",
    "grid_rule_instances",
    "layout_instances",
    "marker_instances",
    "milestone_instances",
    "rule_instances",
    "span_rule_instances",
    "visible_events",
    "visible_spans",
]

# Event glyphs closer than this (in glyph radii) would overlap: they merge into one glyph
# with a count, which the window expands on hover.
CLUSTER_RADII = 2.2
ALWAYS = -1.0e30  # a marker time before any playhead: never ghosted


def _records(dtype: np.dtype, rows: list[tuple]) -> np.ndarray:
    data = np.zeros(len(rows), dtype=dtype)
    for record, values in zip(data, rows, strict=True):
        for name, value in zip(dtype.names, values, strict=False):
            record[name] = value
    return data


def visible_events(incident: Incident, layout: ChartLayout) -> list:
    """The events inside the layout's time view (all of them when not zoomed; in live view
    those that had happened by its playhead)."""
    end = layout.t_end if layout.live is None else min(layout.t_end, layout.live)
    return [e for e in incident.events if layout.t_start <= e.at <= end]


def event_clusters(incident: Incident, layout: ChartLayout) -> list[tuple[float, list]]:
    """The visible events grouped where their glyphs would overlap: (x in px, events), each
    group at its first event's x."""
    reach = CLUSTER_RADII * MARKERS.event_radius * layout.pixel_ratio
    clusters: list[tuple[float, list]] = []
    for event in visible_events(incident, layout):
        x = layout.to_x(event.at)
        if clusters and x - clusters[-1][0] < reach:
            clusters[-1][1].append(event)
        else:
            clusters.append((x, [event]))
    return clusters


def _sample_markers(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    drawn: Mapping[int, Drawn],
    colors: list[tuple[float, float, float]],
) -> list:
    """Sparse sample markers (about one per ``MARKERS.sample_spacing`` points, each series'
    offset so two never stack), so series differ by shape as well as colour; only on series
    whose samples lie at least ``DENSE.marker_min_spacing`` points apart in the view (where
    they are closer the line itself is the data, and markers would only sprinkle noise
    over it). A group's members have none."""
    pr = layout.pixel_ratio
    rows = []
    for index, series_drawn in drawn.items():
        series = incident.series[index]
        times, values = series_drawn.times, series_drawn.values
        if series.group or series_drawn.dense or len(times) < 2:
            continue
        spacing_px = (times[-1] - times[0]) / (len(times) - 1) * layout.time_scale
        if spacing_px < DENSE.marker_min_spacing * pr:
            continue
        stride = max(1, math.ceil(MARKERS.sample_spacing * pr / spacing_px))
        begin = index * stride // 2 % stride  # so two series never stack their markers
        line = series_style(incident.entry_of_series[index])
        color = (*colors[index], 1.0)
        inside = (times >= layout.t_start) & (times <= layout.t_end) & np.isfinite(values)
        picked = np.flatnonzero(inside)
        picked = picked[(picked - begin) % stride == 0]
        for t, value in zip(times[picked], values[picked], strict=True):
            y = min(max(axes[index].to_y(float(value)), -FAR_PX), FAR_PX)
            rows.append(((layout.to_x(float(t)), y), MARKERS.sample_radius * pr, line.marker,
                         color, float(t), NO_HEAD))  # fmt: skip
    return rows


def marker_instances(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    drawn: Mapping[int, Drawn],
    colors: list[tuple[float, float, float]],
) -> tuple[np.ndarray, int]:
    """Marker instances and how many of them belong to the series (drawn clipped to the
    chart); the rest are event glyphs on the lane under the time axis."""
    pr = layout.pixel_ratio
    rows = _sample_markers(incident, layout, axes, drawn, colors)
    # Heads follow the playhead through the heads buffer, which also hides them (hidden
    # series, a group's members that are not highlighted).
    for index in drawn:
        shape = series_style(incident.entry_of_series[index]).marker
        color = (*colors[index], 1.0)
        rows.append(((0, 0), MARKERS.head_radius * pr, shape, color, 0.0, index))
    series_count = len(rows)
    for x, events in event_clusters(incident, layout):  # one glyph per cluster
        kind = layout.palette.event(events[0].kind)
        position = (x, layout.event_lane_y)
        # A compared incident's events (``dim``) are hollow: the same kinds, the other time.
        ring = MILESTONES.ring_width * pr if all(e.dim for e in events) else 0.0
        rows.append((position, MARKERS.event_radius * pr, kind.shape, kind.color, events[0].at,
                     NO_HEAD, ring))  # fmt: skip
    return _records(MARKER_DTYPE, rows), series_count


def visible_spans(incident: Incident, layout: ChartLayout) -> list[tuple[float, float, Any]]:
    """The spans that reach into the view: (x0, x1 in px, clipped to the chart; the event);
    in live view those begun by its playhead (drawn up to the playhead: ``RULE_CUT``)."""
    chart, spans = layout.chart, []
    end = layout.t_end if layout.live is None else min(layout.t_end, layout.live)
    for event in incident.events:
        if event.until is None or event.until < layout.t_start or event.at > end:
            continue
        x0 = max(layout.to_x(event.at), chart.x0)
        x1 = min(layout.to_x(event.until), chart.x1)
        spans.append((x0, max(x1, x0 + layout.pixel_ratio), event))  # at least a pixel
    return spans


def span_rule_instances(incident: Incident, layout: ChartLayout) -> np.ndarray:
    """Each event span as a translucent band over the chart in its kind's colour, with a
    firmer edge along its top (under its title), drawn under the data."""
    pr, chart, cut = layout.pixel_ratio, layout.chart, _cut(layout)
    rows = []
    for x0, x1, event in visible_spans(incident, layout):
        color = layout.palette.event(event.kind).color[:3]
        middle = (x0 + x1) / 2
        rows.append(((middle, chart.y0), (middle, chart.y1), (*color, RULES.span_alpha),
                     x1 - x0, (0, 0), cut))  # fmt: skip
        edge = chart.y0 + 1.0 * pr
        rows.append(((x0, edge), (x1, edge), (*color, RULES.span_edge_alpha), 2 * pr, (0, 0),
                     cut))  # fmt: skip
    return _records(RULE_DTYPE, rows)


def _cut(layout: ChartLayout) -> int:
    """The flag of rules that stop at the playhead: spans, in live view."""
    return RULE_CUT if layout.live is not None else 0


def grid_rule_instances(layout: ChartLayout) -> np.ndarray:
    """Stacked panes' horizontal grid lines (major at each tick, three minor between), drawn
    under the data like grid.wgsl's single-pane grid."""
    if not layout.panes:
        return _records(RULE_DTYPE, [])
    chart, pr, palette = layout.chart, layout.pixel_ratio, layout.palette
    rows = []
    for axis in layout.axes.values():
        ticks = axis.ticks
        step = (ticks[1].value - ticks[0].value) if len(ticks) > 1 else 0.0
        if axis.log or abs(step * axis.scale) / 4 < 8 * pr:
            step = 0.0  # minor lines closer than 8 px would only be noise (a log axis: none)
        for tick in ticks:
            y = tick.pos + 0.5
            rows.append(((chart.x0, y), (chart.x1, y), palette.grid_major, pr, (0, 0), 0))
            for k in (1, 2, 3):
                value = tick.value + step * k / 4
                y = math.floor(axis.to_y(value)) + 0.5
                if step and axis.y0 <= y < axis.y1:
                    rows.append(((chart.x0, y), (chart.x1, y), palette.grid_minor, pr, (0, 0), 0))
    return _records(RULE_DTYPE, rows)


def _axis_rules(layout: ChartLayout) -> list[tuple]:
    pr, chart = layout.pixel_ratio, layout.chart
    color, solid, tick = layout.palette.axis, (0, 0), RULES.tick_length * pr
    rows = []
    for axis in layout.axes.values():
        x = chart.x0 + 0.5 if axis.side == "left" else chart.x1 - 0.5
        rows.append(((x, axis.y0), (x, axis.y1), color, pr, solid, 0))
        base = axis.y1 - 0.5  # each pane's own baseline (one shared in a single pane)
        rows.append(((chart.x0, base), (chart.x1, base), color, pr, solid, 0))
        left = axis.side == "left"
        x0, x1 = (chart.x0 - tick, chart.x0) if left else (chart.x1, chart.x1 + tick)
        rows += [((x0, t.pos + 0.5), (x1, t.pos + 0.5), color, pr, solid, 0) for t in axis.ticks]
    for t in layout.time_ticks:
        rows.append(((t.pos + 0.5, chart.y1), (t.pos + 0.5, chart.y1 + tick), color, pr, solid, 0))
    return rows


def _threshold_rules(incident: Incident, layout: ChartLayout) -> list[tuple]:
    pr, chart = layout.pixel_ratio, layout.chart
    rows = []
    for threshold in incident.thresholds:  # dashed, in the series colour, on its axis
        series = incident.series_by_id(threshold.series_id)
        if series.id in layout.hidden:
            continue
        axis = layout.axis_for(series.id)
        y = math.floor(axis.to_y(threshold.value)) + 0.5
        if axis.y0 <= y <= axis.y1:
            color = (*layout.palette.series_color(series.color), RULES.threshold_alpha)
            dash = tuple(d * pr for d in RULES.threshold_dash)
            rows.append(((chart.x0, y), (chart.x1, y), color, RULES.threshold_width * pr, dash, 0))
    return rows


def _span_bars(incident: Incident, layout: ChartLayout) -> list[tuple]:
    """Each span as a bar along the event lane from its glyph to its end, with a tick at
    the end: what the window's drag of a span's end takes hold of."""
    pr, rows, cut = layout.pixel_ratio, [], _cut(layout)
    y = layout.event_lane_y
    for x0, x1, event in visible_spans(incident, layout):
        color = (*layout.palette.event(event.kind).color[:3], RULES.span_bar_alpha)
        rows.append(((x0, y), (x1, y), color, RULES.span_bar_width * pr, (0, 0), cut))
        if event.until <= layout.t_end:  # the end is in view: its handle
            end = math.floor(x1) + 0.5
            half = MARKERS.event_radius * 0.8 * pr
            rows.append(((end, y - half), (end, y + half), color, 2 * pr, (0, 0), cut))
    return rows


def rule_instances(incident: Incident, layout: ChartLayout) -> np.ndarray:
    """Event guides, axes and ticks, thresholds, and the playhead and crosshair (whose x
    the shader takes from the frame uniform). Guides and the playhead stop at the time
    axis, so they never strike through its labels."""
    pr, chart, palette = layout.pixel_ratio, layout.chart, layout.palette
    rows = []
    for event in visible_events(incident, layout):  # faint dotted verticals
        x = math.floor(layout.to_x(event.at)) + 0.5
        alpha = RULES.event_guide_alpha * (0.5 if event.dim else 1.0)
        color = (*palette.event(event.kind).color[:3], alpha)
        dash = tuple(d * pr for d in RULES.event_guide_dash)
        rows.append(((x, chart.y0), (x, chart.y1), color, pr, dash, 0))
    rows += _axis_rules(layout)
    rows += _threshold_rules(incident, layout)
    rows += _span_bars(incident, layout)
    top = chart.y0 - RULES.playhead_overhang * pr
    bottom = chart.y1 + RULES.tick_length * pr
    playhead = ((0, top), (0, bottom), palette.playhead, RULES.playhead_width * pr, (0, 0))
    rows.append((*playhead, RULE_PLAYHEAD))
    dash = tuple(d * pr for d in RULES.crosshair_dash)
    rows.append(((0, chart.y0), (0, chart.y1), palette.crosshair, pr, dash, RULE_HOVER))
    return _records(RULE_DTYPE, rows)


def milestone_instances(incident: Incident, layout: ChartLayout) -> tuple[np.ndarray, np.ndarray]:
    """The milestone lane's glyphs (markers: the data's hollow, warning badges last, on top)
    and its gap brackets (rules: a line on the bracket's row and a tick up to the glyphs at
    each end in view); both empty without a lane."""
    lane = milestone_lane(incident, layout)
    if lane is None:
        return _records(MARKER_DTYPE, []), _records(RULE_DTYPE, [])
    pr = layout.pixel_ratio
    ring = MILESTONES.ring_width * pr
    # A warning is about the file, not a moment: it never fades after the playhead.
    markers = [((item.x, item.y), item.radius, item.shape, item.color,
                ALWAYS if item.warning else item.t, NO_HEAD, ring if item.hollow else 0.0)
               for item in sorted(lane.items, key=lambda item: item.warning)]  # fmt: skip
    rules = []
    tick_top = lane.glyph_y + MILESTONES.data_radius * pr
    color = layout.palette.bracket
    for bracket in lane.brackets:
        y = round(bracket.y) + 0.5
        rows = [((bracket.x0, y), (bracket.x1, y), color, pr, (0, 0), 0)]
        rows += [((round(x) + 0.5, tick_top), (round(x) + 0.5, y + 0.5 * pr), color, pr,
                  (0, 0), 0) for x in bracket.ticks]  # fmt: skip
        rules += rows
    return _records(MARKER_DTYPE, markers), _records(RULE_DTYPE, rules)


def layout_instances(
    incident: Incident,
    layout: ChartLayout,
    axes: list[AxisLayout],
    drawn: Mapping[int, Drawn],
    colors: list[tuple[float, float, float]],
) -> tuple[np.ndarray, int, np.ndarray, int]:
    """Every instance a layout writes: markers (the series' first, then event glyphs and
    the milestone lane's) and how many are the series'; rules (pane grids and event spans
    first, drawn under the data, then the rest over it, the budget-burn lane's last) and
    how many are under the data."""
    markers, series_markers = marker_instances(incident, layout, axes, drawn, colors)
    lane_markers, lane_rules = milestone_instances(incident, layout)
    under = np.concatenate([grid_rule_instances(layout), span_rule_instances(incident, layout)])
    burn = burn_rule_instances(incident, layout)
    rules = np.concatenate([under, rule_instances(incident, layout), lane_rules, burn])
    return np.concatenate([markers, lane_markers]), series_markers, rules, len(under)
