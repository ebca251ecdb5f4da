"""The chart in the window: its image, the crosshair's tooltip, the legend and event glyphs
under the pointer, and the gestures (zoom, pan, select, scrub).

The chart texture itself is rendered by the window after the GUI pass, for the state as
this frame left it (so a scrub shows in the same frame); here the GUI only asks for its size
(``ui.chart_size``) and places it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..describe import format_reading, heat_cell_reading, spans_days, time_reading
from ..groups import group_reading
from ..render.baseline_labels import vs_baseline_text
from ..render.draw_list import draw_marker_shape
from ..render.heatmap_geometry import cell_at
from ..render.series_geometry import series_colors
from ..render.style import EVENT_STYLE, MARKERS, PALETTE, series_style
from ..timecode import format_timecode, format_wall_clock
from .chart_input import cluster_at, handle_plot, legend_cell_at, milestones_at, series_under
from .lane_input import handle_lane
from .theme import DANGER, DIM, TEXT, text, u32

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_chart"]


def gui_chart(state: AppState, ui: UiContext, actions: Actions, width: float, height: float):
    """Place the chart (``width`` × ``height`` points) at the cursor and handle its input
    (see :mod:`.chart_input` for the gestures)."""
    origin = imgui.get_cursor_screen_pos()
    ui.chart_origin = (origin.x, origin.y)
    ui.chart_size = (width, height)
    if ui.chart_texture is not None:
        imgui.image(ui.chart_texture, (width, height))
    else:
        imgui.dummy((width, height))
    # An invisible button over the image takes clicks and drags (an image takes none).
    imgui.set_cursor_screen_pos(origin)
    buttons = (
        imgui.ButtonFlags_.mouse_button_left
        | imgui.ButtonFlags_.mouse_button_right
        | imgui.ButtonFlags_.mouse_button_middle
    )
    imgui.invisible_button("chart-input", (width, height), buttons)
    ui.mark("chart")
    layout = ui.chart_layout
    if layout is None:
        return
    mouse = imgui.get_mouse_pos()
    point = (mouse.x - origin.x, mouse.y - origin.y)
    hovered, active = imgui.is_item_hovered(), imgui.is_item_active()
    chart, pr = layout.chart, layout.pixel_ratio
    in_plot = (chart.x0 <= point[0] * pr < chart.x1) and (chart.y0 <= point[1] * pr < chart.y1)
    dragging = state.chart_drag is not None
    state.hover = point if hovered and (in_plot or dragging) else None
    under = series_under(state.incident, layout, point) if state.hover and not dragging else None
    if state.live and layout.to_t(point[0] * pr) > state.t:
        under = None  # live view: the line there does not exist yet
    state.hover_series = "" if under is None else state.incident.series[under].id
    lane_drag = state.edits.drag is not None
    if (lane_drag or (hovered and not dragging)) and handle_lane(
        state, actions, layout, point, (origin.x, origin.y)
    ):
        return
    if hovered and not dragging and _legend(state, ui, layout, point):
        return
    if hovered and not dragging and _events(state, ui, layout, point):
        return
    if hovered and not dragging and _milestones(state, ui, layout, point):
        return
    _chart_menu(state, layout, point, hovered and in_plot)
    if (hovered and in_plot) or dragging:
        selecting = handle_plot(state, layout, point, active)
        if selecting is not None:
            _draw_selection(layout, origin, selecting)
        elif hovered and in_plot:
            cell = cell_at(state.incident, layout, point[0] * pr, point[1] * pr)
            _tooltip(state, ui, layout.to_t(point[0] * pr), under, cell)


def _chart_menu(state: AppState, layout, point, in_plot: bool) -> None:
    """Right-click (without a drag) on the plot: a menu with "Add event here"."""
    if in_plot and imgui.is_mouse_released(imgui.MouseButton_.right):
        drag = imgui.get_mouse_drag_delta(imgui.MouseButton_.right, 0.0)
        if abs(drag.x) + abs(drag.y) < 4:
            state.edits.menu_at = layout.to_t(point[0] * layout.pixel_ratio)
            imgui.open_popup("chart-menu")
    with imgui_ctx.begin_popup("chart-menu") as menu:
        if menu and imgui.menu_item(f"Add event here ({format_timecode(state.edits.menu_at)})",
                                    "", False)[0]:  # fmt: skip
            state.edits.editor.start_add(state.edits.menu_at)


def _legend(state: AppState, ui: UiContext, layout, point) -> bool:
    in_rows = layout.legend and point[1] <= max(c.y for c in layout.legend) + 10
    wheel = imgui.get_io().mouse_wheel
    if in_rows and wheel and layout.legend_rows > len({c.y for c in layout.legend}):
        state.legend_first_row = max(0, layout.legend_first_row - round(wheel))
        return True
    cell = legend_cell_at(layout, point)
    if cell is None:
        return False
    entry = state.incident.entries[cell.entry]
    ids = [state.incident.series[i].id for i in entry.members]
    if entry.grouped:
        imgui.set_tooltip(f"{entry.name} ({len(ids)} members): click for the member list, "
                          "Ctrl+click to show only this group")  # fmt: skip
    else:
        imgui.set_tooltip(f"{entry.name}: click to hide or show, Ctrl+click to show it alone")
    if imgui.is_mouse_clicked(imgui.MouseButton_.left):
        isolate = imgui.get_io().key_ctrl or imgui.is_mouse_double_clicked(0)
        if entry.grouped and not isolate:
            state.members.group = "" if state.members.group == entry.name else entry.name
        else:
            state.toggle_series(*ids, isolate=isolate)
    return True


def _events(state: AppState, ui: UiContext, layout, point) -> bool:
    events = cluster_at(state.incident, layout, point)
    if not events:
        return False
    times = [time_reading(state.incident, e.at, state.clock_shown) for e in events]
    lines = [f"{when}  {e.title}" + (f"\n    {e.detail}" if e.detail else "")
             for when, e in zip(times, events, strict=True)]  # fmt: skip
    ui.tooltip = "\n".join(lines)
    with imgui_ctx.begin_tooltip():
        for when, event in zip(times, events, strict=True):
            style = EVENT_STYLE[event.kind]
            text(ui.fonts.mono, 14, (*style.color[:3], 1.0), when)
            imgui.same_line()
            text(ui.fonts.bold, 15, TEXT, event.title)
            if event.detail:
                with imgui_ctx.push_text_wrap_pos(imgui.get_font_size() * 30):
                    imgui.text_disabled(event.detail)
        imgui.text_disabled("Click: jump there · drag: move it · double-click: edit · "
                            "Delete, * after a click")  # fmt: skip
    return True  # a click or a drag on the glyph is lane_input's


def _milestones(state: AppState, ui: UiContext, layout, point) -> bool:
    """The milestone lane's glyphs under the pointer: what each marks (warnings in their
    colour, with the reason); a click jumps to the first."""
    items = milestones_at(state.incident, layout, point)
    if not items:
        return False
    lines = [f"{time_reading(state.incident, item.t, state.clock_shown)}  {item.text}"
             for item in items]  # fmt: skip
    ui.tooltip = "\n".join(lines)
    imgui.begin_tooltip()
    imgui.push_text_wrap_pos(imgui.get_font_size() * 36)
    for item, line in zip(items, lines, strict=True):
        text(ui.fonts.regular, 14, (*item.color[:3], 1.0) if item.warning else TEXT, line)
    imgui.pop_text_wrap_pos()
    imgui.text_disabled("Hollow: from the data · filled: declared · click to jump")
    imgui.end_tooltip()
    if imgui.is_mouse_clicked(imgui.MouseButton_.left):
        state.seek(items[0].t)
    return True


def _draw_selection(layout, origin, selecting: tuple[float, float]) -> None:
    """The range being dragged out, as a translucent band over the plot."""
    pr, chart = layout.pixel_ratio, layout.chart
    x0, x1 = sorted(layout.to_x(t) / pr for t in selecting)
    draw_list = imgui.get_window_draw_list()
    top, bottom = origin.y + chart.y0 / pr, origin.y + chart.y1 / pr
    draw_list.add_rect_filled((origin.x + x0, top), (origin.x + x1, bottom),
                              u32(PALETTE.accent, 0.15))  # fmt: skip
    draw_list.add_rect((origin.x + x0, top), (origin.x + x1, bottom), u32(PALETTE.accent, 0.6))


def crosshair_time(state: AppState, t: float) -> tuple[str, str]:
    """The crosshair tooltip's time and the other clock beside it, each with the date
    (``T+2d …``, ``Mon 14 Jul …``) once the incident spans more than a day."""
    incident = state.incident
    wall = incident.wall_clock(t)
    if wall is None:
        return format_timecode(t), ""
    other = format_wall_clock(wall, date=spans_days(incident))
    if state.clock_shown == "wall":
        return other, format_timecode(t)
    return format_timecode(t), other


def _tooltip(state: AppState, ui: UiContext, t: float, under: int | None, cell=None) -> None:
    """The time, the heatmap cell under the pointer (its bucket and count) or the line
    under it (named first), then each legend entry's reading (a group's min / median /
    max)."""
    with imgui_ctx.begin_tooltip():
        _tooltip_lines(state, ui, t, under, cell)


def _tooltip_lines(state: AppState, ui: UiContext, t: float, under: int | None, cell) -> None:
    incident = state.incident
    main, other = crosshair_time(state, t)
    ui.tooltip = f"{main}  {other}".strip()
    text(ui.fonts.mono, 14, TEXT, main)
    if other:
        imgui.same_line()
        imgui.text_disabled(other)
    if state.live and t > state.t:
        ui.tooltip += "\nLive view: not known yet"
        imgui.text_disabled("Live view: not known yet")
        return
    if cell is not None:
        line = heat_cell_reading(incident, cell.histogram, cell.bucket, cell.row,
                                 state.clock_shown)  # fmt: skip
        ui.tooltip += "\n" + line
        text(ui.fonts.bold, 15, TEXT, line)
        imgui.separator()
    if under is not None:
        series = incident.series[under]
        reading = format_reading(series, series.value_at(t))
        _reading_row(incident.entry_of_series[under], series_colors(incident)[under],
                     f"{series.label}: {reading}", _vs_baseline(incident, under, t))  # fmt: skip
        imgui.separator()
    for number, entry in enumerate(incident.entries):
        series = incident.series[entry.first]
        if entry.grouped:
            reading = group_reading(incident, entry, t, hidden=state.hidden)
            line = f"{entry.name} ({len(entry.members)}): {reading}"
        else:
            line = f"{series.label}: {format_reading(series, series.value_at(t))}"
        vs = None if entry.grouped else _vs_baseline(incident, entry.first, t)
        _reading_row(number, series.color, line, vs)
        ui.tooltip += f"\n{line}" + (f"  {vs[0]}" if vs and vs[0] else "")  # (the test seam)


def _vs_baseline(incident, index: int, t: float) -> tuple[str, bool] | None:
    """The row's "vs baseline: +312 ms (×4.1)" and whether it is worse; None without."""
    if incident.series[index].baseline is None:
        return None
    return vs_baseline_text(incident, index, t)


def _reading_row(entry_number: int, color, line: str, vs: tuple[str, bool] | None = None):
    corner = imgui.get_cursor_screen_pos()
    line_h = imgui.get_text_line_height()
    center = (corner.x + 6, corner.y + line_h / 2)
    shape = series_style(entry_number).marker
    draw_marker_shape(imgui.get_window_draw_list(), center, MARKERS.tooltip_radius, shape,
                      (*color[:3], 1.0))  # fmt: skip
    imgui.dummy((14, line_h))
    imgui.same_line()
    imgui.text(line)
    if vs is not None and vs[0]:
        imgui.same_line()
        imgui.text_colored((*(DANGER if vs[1] else DIM)[:3], 1.0), f"  {vs[0]}")
