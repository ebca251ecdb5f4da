"""Pointer input on the chart image: what lies under the pointer (a legend entry, an event
glyph, the plot) and the gestures. Coordinates are logical points from the image's corner.

Gestures: click or drag scrubs; the wheel zooms around the pointer; Ctrl+drag or
right-drag selects a time range to zoom to; Shift+drag or middle-drag pans; a double-click
shows the whole incident again. On the legend a click hides or shows a series and
Ctrl+click (or a double-click) shows it alone; a click on a group opens its member list;
the wheel scrolls a legend too long to show. Hovering a line names its series. On the
event lane a glyph tells its events on hover and jumps to them on click; on the milestone
lane a glyph tells what it marks (a warning badge: what the data contradicts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..render.instances import event_clusters
from ..render.milestone_lane import lane_items_at, milestone_lane
from ..render.series_geometry import line_point
from ..render.style import MARKERS

if TYPE_CHECKING:
    from ..model import Event, Incident
    from ..render.layout import ChartLayout, LegendCell
    from ..render.milestone_lane import LaneItem
    from .state import AppState

__all__ = [
    "ZOOM_STEP",
    "cluster_at",
    "handle_plot",
    "legend_cell_at",
    "milestones_at",
    "series_under",
]

ZOOM_STEP = 1.25  # per wheel notch
LEGEND_HALF_HEIGHT_PT = 10.0
LINE_REACH_PT = 6.0  # how near a line the pointer must be to name it


def legend_cell_at(layout: ChartLayout, point: tuple[float, float]) -> LegendCell | None:
    x, y = point
    for cell in layout.legend:
        if cell.x <= x <= cell.x + cell.width and abs(y - cell.y) <= LEGEND_HALF_HEIGHT_PT:
            return cell
    return None


def series_under(incident: Incident, layout: ChartLayout, point: tuple[float, float]) -> int | None:
    """The visible series whose line passes nearest the pointer at its time (within
    ``LINE_REACH_PT``), if any: what hovering a line names."""
    pr = layout.pixel_ratio
    t, y = layout.to_t(point[0] * pr), point[1] * pr
    best, best_distance = None, LINE_REACH_PT * pr
    for index, series in enumerate(incident.series):
        if series.id in layout.hidden:
            continue
        at = line_point(series.times, series.values, t)
        if at is None:
            continue
        axis = layout.axis_for(series.id)
        distance = abs(axis.to_y(at[1]) - y)
        if distance <= best_distance and axis.y0 <= y <= axis.y1:
            best, best_distance = index, distance
    return best


def cluster_at(
    incident: Incident, layout: ChartLayout, point: tuple[float, float]
) -> list[Event] | None:
    """The events of the glyph under ``point`` on the event lane, if any."""
    pr = layout.pixel_ratio
    x, y = point[0] * pr, point[1] * pr
    reach = (MARKERS.event_radius + 4) * pr
    if abs(y - layout.event_lane_y) > reach:
        return None
    for glyph_x, events in event_clusters(incident, layout):
        if abs(x - glyph_x) <= reach:
            return events
    return None


def milestones_at(
    incident: Incident, layout: ChartLayout, point: tuple[float, float]
) -> list[LaneItem]:
    """The milestone lane's glyphs under ``point`` (none off the lane, or without one)."""
    lane = milestone_lane(incident, layout)
    pr = layout.pixel_ratio
    return [] if lane is None else lane_items_at(lane, layout, point[0] * pr, point[1] * pr)


def _drag_mode(io: imgui.IO) -> str:
    if imgui.is_mouse_down(imgui.MouseButton_.right) or (io.key_ctrl and io.mouse_down[0]):
        return "select"
    if imgui.is_mouse_down(imgui.MouseButton_.middle) or (io.key_shift and io.mouse_down[0]):
        return "pan"
    return "scrub"


def handle_plot(state: AppState, layout: ChartLayout, point: tuple[float, float], active: bool):
    """The gestures over the plot; ``active``: the chart's button is held. Returns the time
    range being selected (to draw it), or None."""
    io = imgui.get_io()
    pr = layout.pixel_ratio
    t = layout.to_t(point[0] * pr)
    if io.mouse_wheel:
        state.zoom(ZOOM_STEP ** (-io.mouse_wheel), around=t)
    if io.mouse_wheel_h:  # a sideways wheel or touchpad pans
        state.pan(io.mouse_wheel_h * 0.1 * (layout.t_end - layout.t_start))
    if imgui.is_mouse_double_clicked(imgui.MouseButton_.left):
        state.reset_view()
        state.chart_drag = None
        return None
    if not active:
        if state.chart_drag and state.chart_drag[0] == "select":
            start = state.chart_drag[1]
            if abs(layout.to_x(start) - layout.to_x(t)) >= 4 * pr:  # not a slip of the hand
                state.select_view(start, t)
        state.chart_drag = None
        return None
    if state.chart_drag is None:
        state.chart_drag = (_drag_mode(io), t)
    mode, start = state.chart_drag
    if mode == "scrub":
        state.seek(t)
    elif mode == "pan":
        state.pan(-io.mouse_delta.x * pr / layout.time_scale)
    else:
        return (start, t)
    return None
