"""Editing the timeline on the chart's event lane, with the mouse: a click on a glyph selects
its event and jumps there; dragging a glyph moves the event (Shift snaps to the nearest
sample); dragging a span's end (a handle on the lane) changes its ``until``; Alt+drag
along the lane drags out a new span; a double-click on a glyph edits it. While dragging,
the new place is drawn over the chart (the file changes once, when the mouse is
released: one edit, one undo step)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from imgui_bundle import imgui

from ..render.instances import event_clusters, visible_spans
from ..render.style import EVENT_STYLE, MARKERS, PALETTE
from ..timecode import format_timecode
from .edit_state import EventDrag
from .theme import u32

if TYPE_CHECKING:
    from ..model import Event
    from ..render.layout import ChartLayout
    from .actions import Actions
    from .state import AppState

__all__ = ["DRAG_SLOP_PT", "handle_lane", "on_lane"]

DRAG_SLOP_PT = 3.0  # a press that moves less than this is a click
HANDLE_REACH_PT = 5.0  # how near a span's end the pointer grabs it


def on_lane(layout: ChartLayout, point: tuple[float, float]) -> bool:
    """Whether ``point`` (chart points) is on the event lane under the time axis."""
    pr = layout.pixel_ratio
    reach = (MARKERS.event_radius + 5) * pr
    x, y = point[0] * pr, point[1] * pr
    return abs(y - layout.event_lane_y) <= reach and layout.chart.x0 - reach <= x <= (
        layout.chart.x1 + reach
    )


def _glyph_at(state: AppState, layout: ChartLayout, x_px: float) -> Event | None:
    reach = (MARKERS.event_radius + 4) * layout.pixel_ratio
    for glyph_x, events in event_clusters(state.incident, layout):
        if abs(x_px - glyph_x) <= reach:
            return events[0]
    return None


def _span_end_at(state: AppState, layout: ChartLayout, x_px: float) -> Event | None:
    reach = HANDLE_REACH_PT * layout.pixel_ratio
    for _, _, event in visible_spans(state.incident, layout):
        if abs(layout.to_x(event.until) - x_px) <= reach:
            return event
    return None


def _snapped(state: AppState, t: float, snap: bool) -> float:
    t = min(max(t, state.playback.start), state.playback.end)
    times = state.sample_times
    if not snap or not len(times):
        return t
    index = int(np.clip(np.searchsorted(times, t), 1, len(times) - 1))
    before, after = times[index - 1], times[index]
    return float(before if t - before <= after - t else after)


def handle_lane(
    state: AppState, actions: Actions, layout: ChartLayout, point: tuple[float, float],
    origin: tuple[float, float],
) -> bool:  # fmt: skip
    """The lane's gestures at ``point``; True when it took the mouse this frame."""
    edits, io = state.edits, imgui.get_io()
    pr = layout.pixel_ratio
    t = layout.to_t(point[0] * pr)
    drag = edits.drag
    if drag is not None:
        drag.snap = io.key_shift
        drag.now = _snapped(state, t, drag.snap)
        if imgui.is_mouse_down(imgui.MouseButton_.left):
            _draw_preview(state, layout, origin, drag)
            return True
        edits.drag = None
        _finish(state, actions, layout, drag)
        return True
    if not on_lane(layout, point) or not imgui.is_mouse_clicked(imgui.MouseButton_.left):
        return False
    x_px = point[0] * pr
    glyph = _glyph_at(state, layout, x_px)
    if glyph is not None and imgui.is_mouse_double_clicked(imgui.MouseButton_.left):
        edits.selected = glyph
        edits.editor.start_edit(glyph)
        return True
    if io.key_alt:
        edits.drag = EventDrag("create", None, _snapped(state, t, io.key_shift), t)
    elif (end := _span_end_at(state, layout, x_px)) is not None and glyph is None:
        edits.drag = EventDrag("until", end, end.until, end.until)
    elif glyph is not None:
        edits.drag = EventDrag("move", glyph, glyph.at, glyph.at)
    else:
        return False
    return True


def _finish(state: AppState, actions: Actions, layout: ChartLayout, drag: EventDrag) -> None:
    """The mouse was released: a click selects and jumps, a drag makes its edit."""
    moved = abs(layout.to_x(drag.now) - layout.to_x(drag.start)) >= DRAG_SLOP_PT * (
        layout.pixel_ratio
    )
    if drag.kind == "create":
        if moved:
            begin, end = sorted((drag.start, drag.now))
            state.edits.editor.start_add(begin, until=end)
        return
    event = drag.event
    if not moved:
        state.edits.selected = event
        state.seek(event.at)
        return
    if drag.kind == "move":
        actions.edit_event("move", event, drag.now)
    else:
        actions.edit_event("change", event, until=max(drag.now, event.at))


def _draw_preview(state: AppState, layout: ChartLayout, origin, drag: EventDrag) -> None:
    """Where the event (or the span's end, or the new span) will go, over the chart."""
    pr, chart = layout.pixel_ratio, layout.chart
    draw = imgui.get_foreground_draw_list()
    kind = drag.event.kind if drag.event is not None else "note"
    color = EVENT_STYLE[kind].color
    x = origin[0] + layout.to_x(drag.now) / pr
    top, lane = origin[1] + chart.y0 / pr, origin[1] + layout.event_lane_y / pr
    if drag.kind == "create":
        x0 = origin[0] + layout.to_x(drag.start) / pr
        draw.add_rect_filled((min(x0, x), top), (max(x0, x), lane), u32(color, 0.18))
    draw.add_line((x, top), (x, lane + 8), u32(color, 0.9), 1.5)
    draw.add_circle_filled((x, lane), MARKERS.event_radius, u32(color, 0.9))
    label = format_timecode(drag.now, decimals=0 if drag.now.is_integer() else 1)
    label += "  (snapped to a sample)" if drag.snap else ""
    draw.add_rect_filled((x + 6, lane - 22), (x + 12 + 7.5 * len(label), lane - 6),
                         u32(PALETTE.background, 0.9), 3)  # fmt: skip
    draw.add_text((x + 9, lane - 21), u32(PALETTE.text), label)
