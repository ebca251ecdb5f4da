"""View ▸ Clock and the window's time readouts, headless (ImGui for real, no window, no GPU;
see tests/gui_driver.py)."""

from __future__ import annotations

import pytest

from replay_viewer.app.chart_view import crosshair_time
from replay_viewer.app.dialogs import gui_main_menu, gui_overlays
from replay_viewer.app.state import AppState
from replay_viewer.app.viewer import gui_viewer
from replay_viewer.loader import load_incident

from .conftest import BUNDLED, DATA
from .gui_driver import GuiDriver, RecordingActions

LONG = DATA / "shapes" / "sixty_two_days.yaml"
DAY = 86400


def state_for(path) -> AppState:
    state = AppState(clock=lambda: 50.0)
    state.set_incident(load_incident(path), path, keep_time=False)
    return state


@pytest.fixture
def gui():
    driver = GuiDriver()
    yield driver
    driver.destroy()


def whole_window(state, gui):
    actions = RecordingActions()

    def draw():
        gui_main_menu(state, gui.ui, actions)
        gui_viewer(state, gui.ui, actions)
        gui_overlays(state, gui.ui, actions)

    return draw


def open_clock_menu(gui, draw) -> None:
    """Click View, then rest the pointer on Clock until its submenu is drawn."""
    gui.frame(draw)
    gui.click(draw, gui.center("menu-view"))
    for _ in range(30):
        gui.frame(draw, mouse=gui.center("menu-clock"))
        if "clock-wall" in gui.ui.rects:
            return
    raise AssertionError("View ▸ Clock did not open")


def test_view_clock_switches_to_the_wall_clock_and_back(gui):
    state = state_for(LONG)
    state.seek(57 * DAY + 3 * 3600)
    draw = whole_window(state, gui)
    gui.frame(draw)
    assert state.clock_shown == "relative"
    open_clock_menu(gui, draw)
    gui.click(draw, gui.center("clock-wall"))
    assert state.clock_mode == "wall" and state.clock_shown == "wall"
    open_clock_menu(gui, draw)
    gui.click(draw, gui.center("clock-relative"))
    assert state.clock_shown == "relative"


def test_wall_clock_is_disabled_without_started_at(gui):
    state = state_for(BUNDLED)
    assert state.incident.started_at is None
    draw = whole_window(state, gui)
    open_clock_menu(gui, draw)
    wall = gui.center("clock-wall")
    for _ in range(3):
        gui.frame(draw, mouse=wall)
    assert "no started_at" in gui.ui.tooltip
    gui.click(draw, wall)
    assert state.clock_mode == "relative"
    # A wall clock chosen for another incident is kept, but this one reads relative.
    state.clock_mode = "wall"
    assert state.clock_shown == "relative"


def test_crosshair_tooltip_shows_the_date_for_long_incidents():
    state = state_for(LONG)
    t = 57 * DAY + 3 * 3600
    assert crosshair_time(state, t) == ("T+57d 03:00:00", "Tue 28 Oct 09:00:00")
    state.clock_mode = "wall"
    assert crosshair_time(state, t) == ("Tue 28 Oct 09:00:00", "T+57d 03:00:00")
    short = state_for(DATA / "shapes" / "three_hours.yaml")
    assert crosshair_time(short, 90) == ("T+01:30", "01:01:30")  # within a day: no date
    assert crosshair_time(state_for(BUNDLED), 90) == ("T+01:30", "")


def test_window_draws_a_long_incident_on_either_clock(gui):
    state = state_for(LONG)
    state.seek(57 * DAY + 3 * 3600)
    draw = whole_window(state, gui)
    for clock in ("relative", "wall"):
        state.clock_mode = clock
        data = gui.frame(draw)
        assert data.total_vtx_count > 1000
        assert "readout" in gui.ui.rects


@pytest.mark.gpu
def test_the_window_chart_lays_out_again_for_the_clock(booted):
    from replay_viewer.app.chart_surface import ChartSurface
    from replay_viewer.render.boot import prepare_renderer

    state = state_for(LONG)
    renderer = prepare_renderer(booted.device, state.incident, 64, 64, 1.0, quality="standard")
    surface = ChartSurface(renderer, lambda texture: None)
    gui = GuiDriver()
    try:
        gui.ui.chart_size = (900, 500)
        assert surface.update(state, gui.ui, 1.0, "standard")
        layout = gui.ui.chart_layout
        assert layout.clock == "relative" and layout.time_ticks[1].label == "T+14d"
        assert not surface.update(state, gui.ui, 1.0, "standard")  # nothing changed
        state.clock_mode = "wall"
        assert surface.update(state, gui.ui, 1.0, "standard")
        layout = gui.ui.chart_layout
        assert layout.clock == "wall" and layout.time_ticks[0].label == "Mon 8 Sep"
    finally:
        gui.destroy()
