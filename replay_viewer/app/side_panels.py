"""The side panels: Timeline (click an event to jump to it), What I did, What I learned,
Outcomes and Metrics (computed from the data, with each SLO's error budget; click a row to
jump to its time), each switchable from the View menu and collapsible. In live view only
the events that have happened; the panels that know how it ended (the Metrics panel's
error budgets too) wait."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..analysis import metrics_lines
from ..describe import event_heading, time_reading
from ..render.style import EVENT_STYLE
from ..timecode import format_timecode
from .slo_panel import gui_slos
from .theme import ACCENT, DANGER, DIM, FAINT, TEXT, text

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_panels"]


def gui_panels(state: AppState, ui: UiContext, actions: Actions) -> None:
    incident = state.incident
    count = state.current_event_index() + 1 if state.live else len(incident.events)
    if _section(state, "Timeline", incident.events, f"Timeline ({count})"):
        gui_timeline(state, ui)
    if state.live:  # the postmortem's panels know how it ended: not in live view
        imgui.text_disabled("Live view: what I did, learned, the outcomes and the metrics "
                            "come after")  # fmt: skip
        return
    if _section(state, "What I did", incident.actions):
        with imgui_ctx.push_text_wrap_pos(0):
            for action in incident.actions:
                imgui.bullet()
                text(ui.fonts.regular, 14, TEXT, action)
    if _section(state, "What I learned", incident.learnings):
        with imgui_ctx.push_text_wrap_pos(0):
            for learning in incident.learnings:
                text(ui.fonts.bold, 15, TEXT, learning.title)
                if learning.detail:
                    text(ui.fonts.regular, 14, DIM, learning.detail)
                imgui.spacing()
    if _section(state, "Outcomes", incident.outcomes):
        gui_outcome_cards(state, ui)
    if _section(state, "Metrics", incident.series):
        gui_metrics(state, ui)


def _section(state: AppState, name: str, items, label: str | None = None) -> bool:
    """A panel section that is switched on (View menu), has content, and is expanded."""
    if not state.panels[name] or not items:
        return False
    return imgui.collapsing_header(f"{label or name}###{name}", imgui.TreeNodeFlags_.default_open)


def _wrapped_height(font, size: float, text: str, width: float) -> float:
    with imgui_ctx.push_font(font, size):
        return imgui.calc_text_size(text, False, width).y


def gui_timeline(state: AppState, ui: UiContext) -> None:
    """One row per event: its time, then its title and detail wrapped in a column that
    starts after the widest time, so long titles wrap instead of running out of view."""
    fonts = ui.fonts
    width = imgui.get_content_region_avail().x
    events = state.incident.events
    times = [time_reading(state.incident, e.at, state.clock_shown) for e in events]
    with imgui_ctx.push_font(fonts.mono, 14):
        time_w = max(imgui.calc_text_size(when).x for when in times)
    current = state.current_event_index()
    for index, event in enumerate(events):
        if state.live and index > current:
            break  # live view: only what has happened
        with imgui_ctx.push_id(str(index)):
            _timeline_row(state, ui, index, event, times[index], time_w, width, current)
    imgui.dummy((0, 0))  # an item where the cursor ended, so the panel grows to hold it


def _timeline_row(
    state: AppState, ui: UiContext, index: int, event, when: str, time_w: float, width: float,
    current: int,
) -> None:  # fmt: skip
    """One event: its time, then its title (a span's length after it) and detail wrapped in
    the column after the widest time."""
    fonts = ui.fonts
    start = imgui.get_cursor_pos()
    text_x = start.x + 4 + time_w + 10
    wrap_w = max(width - (text_x - start.x) - 8, 60)
    title = event_heading(event)  # a span says how long it lasted
    title_h = _wrapped_height(fonts.bold, 15, title, wrap_w)
    detail_h = _wrapped_height(fonts.regular, 13.5, event.detail, wrap_w) if event.detail else 0
    row_h = 6 + title_h + (2 + detail_h if event.detail else 0)
    if imgui.selectable("##event", index == current, 0, (0, row_h))[0]:
        state.seek(event.at)
    ui.mark(f"event{index}")
    if imgui.is_item_hovered():
        imgui.set_tooltip(f"{event.kind} · click to jump to {when}")
    past = index <= current
    imgui.set_cursor_pos((start.x + 4, start.y + 3))
    text(fonts.mono, 14, (*EVENT_STYLE[event.kind].color[:3], 1.0), when)
    imgui.set_cursor_pos((text_x, start.y + 2))
    with imgui_ctx.push_text_wrap_pos(text_x + wrap_w):
        text(fonts.bold, 15, TEXT if past else DIM, title)
        if event.detail:
            imgui.set_cursor_pos_x(text_x)
            text(fonts.regular, 13.5, DIM if past else FAINT, event.detail)
    # Back to the row's end, with an item there so ImGui knows the row's extent.
    imgui.set_cursor_pos((start.x, start.y + row_h))
    imgui.dummy((1, 2))


def gui_outcome_cards(state: AppState, ui: UiContext) -> None:
    fonts = ui.fonts
    outcomes = state.incident.outcomes
    columns = 2 if imgui.get_content_region_avail().x > 260 else 1
    card_w = (imgui.get_content_region_avail().x - 8 * (columns - 1)) / columns
    for index, outcome in enumerate(outcomes):
        if index % columns:
            imgui.same_line(0, 8)
        with imgui_ctx.begin_child(f"kpi{index}", (card_w, 92), imgui.ChildFlags_.borders):
            text(fonts.bold, 26, ACCENT, outcome.value)
            text(fonts.regular, 14, TEXT, outcome.label)
            if outcome.note:
                text(fonts.regular, 12.5, DIM, outcome.note)


def gui_metrics(state: AppState, ui: UiContext) -> None:
    """Computed, not typed (see metrics.py): a row with a time jumps there on click; a
    stated outcome the data disagrees with is shown in the danger colour; then each SLO's
    error budget (slo_panel.py)."""
    width = imgui.get_content_region_avail().x
    for index, row in enumerate(metrics_lines(state.incident)):
        with imgui_ctx.push_id(f"metric{index}"):
            _metric_row(state, ui, index, row, width)
    gui_slos(state, ui)
    imgui.dummy((0, 0))  # an item where the cursor ended, so the panel grows to hold it


def _metric_row(state: AppState, ui: UiContext, index: int, row, width: float) -> None:
    fonts = ui.fonts
    start = imgui.get_cursor_pos()
    with imgui_ctx.push_font(fonts.regular, 13):
        note_h = imgui.calc_text_size(row.note, False, max(width - 8, 80)).y if row.note else 0
    row_h = 22 + note_h
    if imgui.selectable("##metric", False, 0, (0, row_h))[0] and row.at is not None:
        state.seek(row.at)
    ui.mark(f"metric{index}")
    if row.at is not None and imgui.is_item_hovered():
        imgui.set_tooltip(f"click to jump to {format_timecode(row.at)}")
    imgui.set_cursor_pos((start.x + 4, start.y + 2))
    text(fonts.bold, 15, DANGER if row.warn else TEXT, row.value)
    imgui.same_line(0, 10)
    text(fonts.regular, 14, DIM, row.name)
    if row.note:
        imgui.set_cursor_pos_x(start.x + 4)
        with imgui_ctx.push_text_wrap_pos(start.x + 4 + max(width - 8, 80)):
            text(fonts.regular, 13, DANGER if row.warn else FAINT, row.note)
    imgui.set_cursor_pos((start.x, start.y + row_h + 4))
