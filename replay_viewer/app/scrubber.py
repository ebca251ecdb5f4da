"""The transport bar and the timeline slider over the whole incident, events marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..describe import open_spans_line, time_reading
from ..render.style import EVENT_STYLE
from ..timecode import format_timecode
from .state import FIT_SECONDS, SPEEDS
from .theme import ACCENT, DIM, TEXT, text, tip, u32

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_scrubber"]


def _readout(state: AppState, ui: UiContext) -> None:
    """The clock View ▸ Clock chose, big; the other one beside it; the spans open now."""
    incident = state.incident
    wall = incident.wall_clock(state.t)
    text(ui.fonts.mono, 18, TEXT, time_reading(incident, state.t, state.clock_shown, date=True))
    ui.mark("readout")
    if wall is not None:
        imgui.same_line()
        if state.clock_shown == "wall":
            imgui.text_disabled(f"{wall.strftime('%Z') or 'UTC'} · {format_timecode(state.t)}")
        else:
            imgui.text_disabled(wall.strftime("%Y-%m-%d %H:%M:%S %Z"))
    imgui.same_line()  # live view: the end was not known
    imgui.text_disabled("· live view" if state.live else f"/ {format_timecode(incident.end)}")
    spans = open_spans_line(incident, state.t)
    if spans:  # what is open at the playhead: "firing: HighLatency (4m 10s)"
        imgui.same_line(0, 18)
        text(ui.fonts.regular, 14, DIM, spans)
        ui.mark("open-spans")


def _transport(state: AppState, ui: UiContext) -> None:
    playback = state.playback
    buttons = (
        ("|<", state.home, "Home: start"),
        ("<<", lambda: state.event(-1), "[ : previous event"),
        ("<", lambda: state.step(-1), "←: one sample back (Shift: ten samples or 1 %)"),
        ("Pause" if playback.playing else "Play", state.toggle_play, "Space: play / pause"),
        (">", lambda: state.step(1), "→: one sample forward (Shift: ten samples or 1 %)"),
        (">>", lambda: state.event(1), "] : next event"),
        (">|", state.end, "End: end"),
    )
    for index, (label, run, hint) in enumerate(buttons):
        if index:
            imgui.same_line()
        if imgui.button(f"{label}###transport{index}", (70, 0) if index == 3 else (0, 0)):
            run()
        ui.mark(f"transport{index}")
        tip(hint)


def _speeds(state: AppState) -> None:
    for speed in SPEEDS:
        if imgui.selectable(f"{speed:g}×", speed == state.playback.speed)[0]:
            state.set_speed(speed)
    imgui.separator()
    for seconds in FIT_SECONDS:  # long incidents: the whole replay in a set time
        if imgui.selectable(f"Whole incident in {seconds:g} s", False)[0]:
            state.fit(seconds)


def _speed_box(state: AppState) -> None:
    playback = state.playback
    imgui.set_next_item_width(80)
    if imgui.begin_combo("##speed", f"{playback.speed:.3g}×"):
        try:  # (imgui_ctx has no combo)
            _speeds(state)
        finally:
            imgui.end_combo()
    tip("Playback speed (1× = real time); + / − change it")


def gui_scrubber(state: AppState, ui: UiContext, actions: Actions) -> None:
    playback = state.playback
    incident = state.incident
    imgui.spacing()
    _transport(state, ui)
    imgui.same_line(0, 16)
    _speed_box(state)
    imgui.same_line()
    playback.loop = imgui.checkbox("Loop", playback.loop)[1]
    tip("L: loop playback")
    imgui.same_line()
    state.ghost = imgui.checkbox("Ghost", state.ghost)[1]
    tip("G: show the data after the playhead faintly")
    imgui.same_line(0, 20)
    _readout(state, ui)

    # The slider shows no text of its own: the time is written beside the transport, and a
    # centred label would sit under the grab half the time.
    imgui.set_next_item_width(-1)
    with imgui_ctx.push_style_var(imgui.StyleVar_.grab_min_size, 14):
        changed, value = imgui.slider_float("##timeline", state.t, playback.start, playback.end,
                                            "")  # fmt: skip
    ui.mark("timeline")
    if changed:
        state.seek(value)
    low, high = imgui.get_item_rect_min(), imgui.get_item_rect_max()
    draw_list = imgui.get_window_draw_list()
    span = playback.end - playback.start

    def slider_x(t: float) -> float:
        return low.x + 7 + (high.x - low.x - 14) * (t - playback.start) / span

    if state.view is not None:  # the zoomed range, over the whole incident
        x0, x1 = (slider_x(t) for t in state.view)
        draw_list.add_rect_filled((x0, low.y), (x1, high.y), u32(ACCENT, 0.18), 3.0)
    mouse = imgui.get_mouse_pos()
    over = low.y - 2 <= mouse.y <= high.y + 2
    for event in incident.events:
        if state.live and event.at > state.t:
            break  # live view: it has not happened yet
        x = slider_x(event.at)
        color = u32(EVENT_STYLE[event.kind].color)
        draw_list.add_line((x, low.y), (x, low.y + 5), color, 2.0)
        draw_list.add_line((x, high.y - 5), (x, high.y), color, 2.0)
        if over and abs(mouse.x - x) <= 3:  # an event tick tells what it marks
            when = time_reading(incident, event.at, state.clock_shown)
            imgui.set_tooltip(f"{when}  {event.title}")
