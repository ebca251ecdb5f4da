"""The window's GUI functions without a window: state in, actions out (ImGui runs for
real, headless, with synthetic mouse input)."""

from __future__ import annotations

import pytest

from replay_viewer.app.dialogs import gui_boot_screen, gui_main_menu, gui_overlays
from replay_viewer.app.state import AppState
from replay_viewer.app.viewer import gui_viewer
from replay_viewer.loader import load_incident
from replay_viewer.render.boot import STAGE_NAMES, StageReport
from replay_viewer.render.layout import compute_layout

from .conftest import BUNDLED
from .gui_driver import GuiDriver, RecordingActions


@pytest.fixture
def state():
    state = AppState(clock=lambda: 50.0)
    state.set_incident(load_incident(BUNDLED), BUNDLED, keep_time=False)
    return state


@pytest.fixture
def gui():
    driver = GuiDriver()
    yield driver
    driver.destroy()


def whole_window(state, gui, actions):
    def draw():
        gui_main_menu(state, gui.ui, actions)
        gui_viewer(state, gui.ui, actions)
        gui_overlays(state, gui.ui, actions)

    return draw


def lay_out_chart(state, gui) -> None:
    """What the window does after each GUI pass: lay the chart out at the size asked."""
    width, height = gui.ui.chart_size
    gui.ui.chart_layout = compute_layout(state.incident, int(width), int(height), chrome=False)


def test_the_viewer_draws_without_a_window(state, gui):
    actions = RecordingActions()
    draw_data = gui.frame(whole_window(state, gui, actions))
    assert draw_data.total_vtx_count > 1000
    assert gui.ui.chart_size[0] > 600 and gui.ui.chart_size[1] > 400
    assert actions.calls == []


def test_clicking_the_chart_scrubs_to_the_pointer(state, gui):
    actions = RecordingActions()
    draw = whole_window(state, gui, actions)
    gui.frame(draw)
    lay_out_chart(state, gui)
    layout = gui.ui.chart_layout
    x = (layout.chart.x0 + layout.chart.x1) / 2
    point = (gui.ui.chart_origin[0] + x, gui.ui.chart_origin[1] + layout.chart.y0 + 40)
    gui.click(draw, point, after=lambda: lay_out_chart(state, gui))
    assert state.t == pytest.approx(layout.to_t(x), abs=layout.to_t(1) - layout.to_t(0))
    assert state.hover is not None
    assert actions.calls == []


def test_clicking_a_timeline_event_jumps_to_it(state, gui):
    draw = whole_window(state, gui, RecordingActions())
    gui.frame(draw)
    event = state.incident.events[3]
    gui.click(draw, gui.center("event3"))
    assert state.t == event.at


def test_play_button_and_step_buttons(state, gui):
    draw = whole_window(state, gui, RecordingActions())
    gui.frame(draw)
    gui.click(draw, gui.center("transport3"))  # Play
    assert state.playback.playing
    gui.click(draw, gui.center("transport3"))  # Pause
    assert not state.playback.playing
    start = state.t
    gui.click(draw, gui.center("transport4"))  # one sample forward
    assert state.t == start + 5


def test_export_dialog_asks_for_exports(state, gui, tmp_path):
    actions = RecordingActions()
    state.export.open = True
    state.export.folder = str(tmp_path)  # empty: no confirm step (tests/test_export_folder.py)
    draw = whole_window(state, gui, actions)
    gui.frame(draw)
    gui.frame(draw)  # the dialog appears and settles
    gui.click(draw, gui.center("export-sequence"))
    gui.click(draw, gui.center("export-frame"))
    gui.click(draw, gui.center("export-animation"))
    gui.click(draw, gui.center("export-storyboard"))
    gui.click(draw, gui.center("export-report"))
    assert actions.names() == ["start_sequence_export", "export_frame", "start_animation_export",
                               "export_story", "export_story"]  # fmt: skip
    assert [call[1:] for call in actions.calls[-2:]] == [("storyboard",), ("report",)]


def test_error_banner_keeps_the_incident(state, gui):
    from replay_viewer.loader import IncidentLoadError, parse_incident

    with pytest.raises(IncidentLoadError) as caught:
        parse_incident("title: x\nseries: 3\n", path="broken.yaml")
    state.load_failed(caught.value.diagnostics, "broken.yaml")
    gui.frame(whole_window(state, gui, RecordingActions()))
    # The banner shows each positioned error as the loader wrote it…
    shown = [gui.ui.texts[f"error{n}"] for n in range(len(caught.value.diagnostics))]
    assert shown == [str(d) for d in caught.value.diagnostics]
    assert shown[0].startswith("broken.yaml:2:9: error: ")
    # …over the last good incident, which stays.
    assert state.incident.title == "Cache Stampede During Deploy"
    assert gui.ui.chart_size[1] > 300


def test_boot_screen_shows_stages_and_close_quits(state, gui):
    from replay_viewer.render.boot import BootError

    actions = RecordingActions()
    gui.ui.boot_reports = {
        1: StageReport(1, STAGE_NAMES[0], "done", 10, 0.2, "llvmpipe"),
        2: StageReport(2, STAGE_NAMES[1], "failed", 10, 0.1, "no memory"),
    }
    gui.ui.boot_error = BootError(2, "no memory")

    def draw():
        gui_boot_screen(state, gui.ui, actions)

    gui.frame(draw)
    gui.frame(draw)
    # Every stage by name, in order, each in its state; the error said in full.
    assert [gui.ui.texts[f"stage{n}"] for n in range(1, 7)] == [
        f"{n}. {name}" for n, name in enumerate(STAGE_NAMES, 1)
    ]
    states = [gui.ui.texts[f"stage{n}-state"] for n in range(1, 7)]
    assert states == ["done", "failed", "waiting", "waiting", "waiting", "waiting"]
    assert gui.ui.texts["boot-error"] == "no memory"
    assert actions.calls == []
    gui.click(draw, gui.center("boot-close"))
    assert actions.names() == ["quit"]


def test_narrow_window_puts_panels_under_the_chart(state):
    gui = GuiDriver(size=(800, 700))
    try:
        gui.frame(whole_window(state, gui, RecordingActions()))
        assert gui.ui.chart_size[0] > 700  # the whole width: panels went below
    finally:
        gui.destroy()


def test_escape_closes_the_help_which_lists_mouse_gestures(state, gui):
    from imgui_bundle import imgui

    state.show_help = True
    draw = whole_window(state, gui, RecordingActions())
    assert gui.frame(draw).total_vtx_count > 0 and state.show_help
    imgui.get_io().add_key_event(imgui.Key.escape, True)
    gui.frame(draw)
    assert not state.show_help


def test_status_messages_expire_and_exports_offer_their_path(gui, tmp_path):
    from replay_viewer.app.state import STATUS_SECONDS

    now = [100.0]
    state = AppState(clock=lambda: now[0])
    state.set_incident(load_incident(BUNDLED), BUNDLED, keep_time=False)
    state.last_export = tmp_path / "frame.png"
    state.say(f"Saved {state.last_export}")
    actions = RecordingActions()
    draw = whole_window(state, gui, actions)
    gui.frame(draw)
    assert "copy-path" in gui.ui.rects
    now[0] += STATUS_SECONDS + 1
    gui.frame(draw)
    assert state.status_now() == "" and "copy-path" not in gui.ui.rects


def test_metrics_panel_shows_computed_times_and_jumps(state, gui):
    from replay_viewer.analysis import metrics_lines

    for name in ("Timeline", "What I did", "What I learned", "Outcomes"):
        state.panels[name] = False  # Metrics at the top of the panel, inside its view
    draw = whole_window(state, gui, RecordingActions())
    gui.frame(draw)
    gui.frame(draw)  # the layout settles in the second frame (the menu bar's height)
    rows = metrics_lines(state.incident)
    recovery = next(i for i, row in enumerate(rows) if row.name == "time to recovery")
    assert f"metric{recovery}" in gui.ui.rects, "the Metrics section is drawn"
    state.seek(0)
    gui.click(draw, gui.center(f"metric{recovery}"))
    assert state.t == 660.0  # p99 back under 200 ms, as the case study says
    state.panels["Metrics"] = False
    gui.frame(draw)
    assert not any(name.startswith("metric") for name in gui.ui.rects)


def test_load_warnings_show_above_the_chart_until_dismissed(gui):
    from .conftest import DATA

    state = AppState(clock=lambda: 50.0)
    state.set_incident(load_incident(DATA / "times" / "unsorted.yaml"), None, keep_time=False)
    draw = whole_window(state, gui, RecordingActions())
    gui.frame(draw)
    gui.frame(draw)  # the menu bar takes its room a frame after the first
    assert "dismiss-warnings" in gui.ui.rects and not state.errors
    gui.click(draw, gui.center("dismiss-warnings"))
    assert state.warnings_dismissed
    gui.frame(draw)
    assert "dismiss-warnings" not in gui.ui.rects
