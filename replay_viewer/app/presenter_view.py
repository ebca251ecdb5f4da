"""Presenter mode on screen: the chart alone, as large as the window, with a thin strip of
the story's moments at the bottom (passed ones bright, the one shown ringed, the playhead
along it, "3 / 7" and the next moment's title), or a black screen (B). A click steps on
(right-click: back), as in a slide deck. The caption card is drawn into the chart itself
(render/caption_card.py), so an export of the frame shows it too. In live view the moments
still to come are plain dots and the next one is not named (as the chart's "Next:" is not)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..render.draw_list import draw_marker_shape
from ..render.style import EVENT_STYLE, PALETTE
from . import presenter
from .theme import DIM, FAINT, TEXT, backdrop, text, u32

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["STRIP_PT", "gui_presenter"]

STRIP_PT = 44.0  # the strip of moments under the chart
STRIP_MARGIN_PT = 28.0


def gui_presenter(state: AppState, ui: UiContext, actions: Actions) -> None:
    viewport = imgui.get_main_viewport()
    with backdrop("presenter", viewport.pos, viewport.size, padding=(0, 0)):
        if state.presenter.blank:
            low = viewport.pos
            high = (low.x + viewport.size.x, low.y + viewport.size.y)
            imgui.get_window_draw_list().add_rect_filled(low, high, u32((0, 0, 0, 1)))
            ui.show("presenter", "blank")
            ui.chart_size = (0.0, 0.0)  # nothing to render behind a black screen
            return
        width, height = viewport.size.x, viewport.size.y
        _chart(state, ui, width, max(height - STRIP_PT, 120))
        _strip(state, ui, width)


def _chart(state: AppState, ui: UiContext, width: float, height: float) -> None:
    origin = imgui.get_cursor_screen_pos()
    ui.chart_origin, ui.chart_size = (origin.x, origin.y), (width, height)
    state.hover = None
    if ui.chart_texture is not None:
        imgui.image(ui.chart_texture, (width, height))
    else:
        imgui.dummy((width, height))
    ui.mark("chart")
    if imgui.is_item_clicked(imgui.MouseButton_.left):
        presenter.step(state, 1)
    elif imgui.is_item_clicked(imgui.MouseButton_.right):
        presenter.step(state, -1)


def _strip(state: AppState, ui: UiContext, width: float) -> None:
    """The moments along the incident's time: a line, each moment's glyph (the passed ones
    in their colour, the rest faint), the one shown ringed, and the playhead."""
    plan = presenter.story_plan(state)
    incident = state.incident
    dl = imgui.get_window_draw_list()
    top = imgui.get_cursor_screen_pos()
    x0, x1 = top.x + STRIP_MARGIN_PT + 90, top.x + width - STRIP_MARGIN_PT - 260
    y = top.y + STRIP_PT / 2
    span = max(incident.end - incident.start, 1e-9)

    def x_of(t: float) -> float:
        return x0 + (x1 - x0) * (t - incident.start) / span

    dl.add_line((x0, y), (x1, y), u32(PALETTE.axis, 0.6), 1.5)
    dl.add_line((x0, y), (x_of(state.t), y), u32(PALETTE.accent, 0.9), 2.5)
    current = presenter.moment_index(state)
    for index, moment in enumerate(plan.moments):
        passed = moment.t <= state.t + 0.5
        told = moment.event is not None and (passed or not state.live)
        style = EVENT_STYLE[moment.event.kind if told else "note"]
        color = style.color if passed else (*style.color[:3], 0.35)
        draw_marker_shape(dl, (x_of(moment.t), y), 6.0, style.shape, color)
        if index == current:
            dl.add_circle((x_of(moment.t), y), 11.0, u32(PALETTE.playhead, 0.9), 0, 2.0)
    dl.add_line((x_of(state.t), y - 9), (x_of(state.t), y + 9), u32(PALETTE.playhead), 2.0)
    _strip_texts(state, ui, plan, current, top, width)


def _strip_texts(state, ui, plan, current, top, width) -> None:
    count = len(plan.moments)
    passed = sum(1 for m in plan.moments if m.t <= state.t + 0.5)
    where = f"{current + 1} / {count}" if current is not None else f"{passed} / {count}"
    imgui.set_cursor_screen_pos((top.x + STRIP_MARGIN_PT, top.y + 12))
    text(ui.fonts.mono, 16, TEXT, ui.show("presenter-position", where))
    upcoming = [m for m in plan.moments if m.t > state.t + 0.5]
    if upcoming:
        nxt = upcoming[0].event.title if upcoming[0].event is not None else upcoming[0].t
        line = f"Next: {nxt}" if isinstance(nxt, str) and not state.live else "Next moment"
    else:
        line = "End of the story · Esc leaves"
    line = ui.show("presenter-next", line if len(line) <= 34 else line[:33] + "…")
    imgui.set_cursor_screen_pos((top.x + width - STRIP_MARGIN_PT - 240, top.y + 13))
    text(ui.fonts.regular, 15, DIM if upcoming else FAINT, line)
