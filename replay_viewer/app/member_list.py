"""A group's member list, opened by clicking the group's legend entry: every member with its
value at the playhead, sortable (by value, worst first, or by name), with a filter box; a
member can be shown or hidden, highlighted (drawn bright with its label, as the worst three
are), or shown alone; the buttons act on the members the filter matches. Exports from the
window draw what it shows."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..describe import format_reading
from ..groups import bad_side
from .series_view import hidden_with, member_rows, with_highlight
from .theme import DIM, text

if TYPE_CHECKING:
    from ..model import LegendEntry
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_member_list"]

_TABLE_FLAGS = (
    imgui.TableFlags_.sortable
    | imgui.TableFlags_.scroll_y
    | imgui.TableFlags_.row_bg
    | imgui.TableFlags_.borders_inner_h
    | imgui.TableFlags_.sizing_stretch_prop
)


def _open_entry(state: AppState) -> LegendEntry | None:
    name = state.members.group
    incident = state.incident
    if not name or incident is None:
        return None
    return next((e for e in incident.entries if e.grouped and e.name == name), None)


def gui_member_list(state: AppState, ui: UiContext) -> None:
    """The member list window of the open group, if one is open."""
    entry = _open_entry(state)
    if entry is None:
        state.members.group = ""
        return
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_size((420, 460), imgui.Cond_.first_use_ever)
    imgui.set_next_window_pos(
        (viewport.work_pos.x + viewport.work_size.x - 440, viewport.work_pos.y + 90),
        imgui.Cond_.first_use_ever,
    )
    title = f"{entry.name} · {len(entry.members)} members###members"
    with imgui_ctx.begin(title, True) as window:
        ui.mark("members")
        visible, still_open = window.expanded, window.opened
        if visible:
            _contents(state, ui, entry)
    if not still_open or (imgui.is_key_pressed(imgui.Key.escape) and visible):
        state.members.group = ""


def _contents(state: AppState, ui: UiContext, entry: LegendEntry) -> None:
    members, incident = state.members, state.incident
    imgui.set_next_item_width(-1)
    _, members.filter = imgui.input_text_with_hint("##filter", "filter members…", members.filter)
    ui.mark("member-filter")
    rows = member_rows(incident, entry, state.t, members, state.hidden, state.highlight)
    ids = {incident.series[row.index].id for row in rows}
    if _button(ui, "Show only these", "members-only"):
        state.toggle_series(*ids, isolate=True)
    imgui.same_line()
    if _button(ui, "Hide these", "members-hide"):
        state.hidden = hidden_with(state.hidden, ids, {s.id for s in incident.series})
    imgui.same_line()
    if _button(ui, "Show all", "members-all"):
        state.hidden = frozenset(state.hidden - set(_ids(state, entry)))
    imgui.same_line()
    if _button(ui, "Clear highlights", "members-clear"):
        state.highlight = frozenset()
    worst = "highest" if bad_side(incident, entry) == "above" else "lowest"
    note = f"{len(rows)} listed · worst = {worst} · the worst 3 are highlighted on the chart"
    text(ui.fonts.regular, 13, DIM, note)
    with imgui_ctx.begin_table("members-table", 4, _TABLE_FLAGS) as table:
        if table:
            _table(state, ui, rows)


def _table(state: AppState, ui: UiContext, rows) -> None:
    imgui.table_setup_scroll_freeze(0, 1)
    no_sort = imgui.TableColumnFlags_.no_sort
    imgui.table_setup_column("show", no_sort | imgui.TableColumnFlags_.width_fixed, 40)
    imgui.table_setup_column("★", no_sort | imgui.TableColumnFlags_.width_fixed, 28)
    imgui.table_setup_column("member", imgui.TableColumnFlags_.none, 3.0)
    value_flags = (
        imgui.TableColumnFlags_.default_sort | imgui.TableColumnFlags_.prefer_sort_descending
    )
    imgui.table_setup_column("value", value_flags, 1.4)
    imgui.table_headers_row()
    _sort_from_table(state)
    ui.shown_rows = [row.label for row in rows]
    for row in rows:
        with imgui_ctx.push_id(state.incident.series[row.index].id):
            _row(state, ui, row)


def _button(ui: UiContext, label: str, name: str) -> bool:
    pressed = imgui.small_button(label)
    ui.mark(name)
    return pressed


def _ids(state: AppState, entry: LegendEntry) -> list[str]:
    return [state.incident.series[i].id for i in entry.members]


def _sort_from_table(state: AppState) -> None:
    specs = imgui.table_get_sort_specs()
    if specs is None or not specs.specs_dirty or specs.specs_count < 1:
        return
    spec = specs.get_specs(0)
    state.members.sort = "name" if spec.column_index == 2 else "value"
    state.members.descending = spec.sort_direction == imgui.SortDirection.descending
    specs.specs_dirty = False


def _row(state: AppState, ui: UiContext, row) -> None:
    series = state.incident.series[row.index]
    imgui.table_next_row()
    imgui.table_next_column()
    changed, _ = imgui.checkbox("##shown", not row.hidden)
    ui.mark(f"member-shown:{series.id}")
    if changed:
        state.toggle_series(series.id)
    imgui.table_next_column()
    changed, _ = imgui.checkbox("##star", row.highlighted)
    ui.mark(f"member-star:{series.id}")
    if changed:
        state.highlight = with_highlight(state.highlight, series.id)
    imgui.table_next_column()
    if imgui.selectable(row.label, False, imgui.SelectableFlags_.allow_double_click)[0]:
        if imgui.is_mouse_double_clicked(imgui.MouseButton_.left):
            state.toggle_series(series.id, isolate=True)
    if imgui.is_item_hovered():
        state.hover_series = series.id
        imgui.set_tooltip("Double-click: show only this member")
    imgui.table_next_column()
    reading = format_reading(series, None if math.isnan(row.value) else row.value)
    if row.hidden:
        imgui.text_disabled(reading)
    else:
        imgui.text(reading)
