"""Presenter mode without a window: F5 enters, the keys step through the story on an
injected clock (about ``pace`` seconds a step, whatever the gap), the caption at each
moment, the blank screen, leaving, the strip's texts, and `replay-viewer present`'s
arguments."""

from __future__ import annotations

import pytest

from replay_viewer.app import presenter
from replay_viewer.app.keymap import dispatch_key
from replay_viewer.app.presenter_view import gui_presenter
from replay_viewer.app.state import AppState
from replay_viewer.cli.parser import build_parser
from replay_viewer.loader import load_incident, parse_incident

from .conftest import BUNDLED, REPO
from .gui_driver import GuiDriver, RecordingActions


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def state_for(incident, clock, path=None) -> AppState:
    state = AppState(clock=clock)
    state.set_incident(incident, path, keep_time=False)
    return state


@pytest.fixture
def state(clock):
    return state_for(load_incident(BUNDLED), clock, BUNDLED)


def press(state, key, modifiers=()):
    return dispatch_key(key, modifiers, state, RecordingActions())


def run_for(state, clock, seconds, step=1 / 60):
    """Frames of the window for ``seconds`` of the clock: returns the playhead's times."""
    times = []
    end = clock.now + seconds
    while clock.now < end:
        clock.now += step
        presenter.advance(state)
        times.append(state.t)
    return times


def test_f5_enters_and_the_keys_step_through_every_event(state, clock):
    state.seek(state.incident.start)
    state.zoom(0.5)
    zoomed = state.view
    press(state, "F5")
    assert state.presenter.on and state.view is None and not state.playback.playing
    events = state.incident.events
    assert presenter.story_plan(state).times == tuple(e.at for e in events)  # none starred
    for event in events:
        press(state, "PageDown")  # a clicker's "next"
        times = run_for(state, clock, 3.5)
        assert state.t == event.at
        assert times == sorted(times)  # one calm move forward
        caption, opacity = presenter.caption_shown(state)
        assert caption.title == event.title and opacity == 1.0
    press(state, "ArrowRight")  # after the last: stays, says so
    assert state.status == "The last moment of the story"
    press(state, "PageUp")
    run_for(state, clock, 3.2)
    assert state.t == events[-2].at
    press(state, "Escape")
    assert not state.presenter.on and state.view == zoomed


def test_a_step_takes_the_pace_whatever_the_gap(clock):
    incident = parse_incident(
        "title: Gaps\nseries:\n  - id: a\n    samples: [[0, 1], [7200, 2]]\nevents:\n"
        "  - {at: 10, title: Near, star: true}\n  - {at: 7000, title: Far, star: true}\n"
    )
    state = state_for(incident, clock)
    state.presenter.pace = 2.0
    presenter.enter(state)
    for target in (10.0, 7000.0):
        press(state, " ")
        started = clock.now
        while presenter.animating(state) and clock.now - started < 10:
            clock.now += 1 / 60
            presenter.advance(state)
        assert state.t == target
        # The move lasts the pace, then the caption's short fade: never the gap's length.
        assert clock.now - started == pytest.approx(2.0 + presenter.CAPTION_FADE_S, abs=0.05)
    assert not presenter.animating(state)  # idle: no frame asked for


def test_starred_events_are_the_story_and_captions_carry_the_data_milestone(clock):
    incident = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    state = state_for(incident, clock)
    state.presenter.choice = "all"
    presenter.enter(state)
    flag = next(e for e in incident.events if e.title == "Flag reverted")
    while state.t < flag.at:
        press(state, "ArrowRight")
        run_for(state, clock, 3.5)
    caption, _ = presenter.caption_shown(state)
    assert caption.heading == "T+03:10 · 09:44:10"
    assert caption.note == "mitigated 2m 40s after the breach"


def test_blank_and_a_step_key_bring_it_back_without_moving(state, clock):
    presenter.enter(state)
    t = state.t
    press(state, "b")
    assert state.presenter.blank and presenter.caption_shown(state) is None
    press(state, "ArrowRight")
    assert not state.presenter.blank and state.t == t and not presenter.animating(state)
    press(state, ".")
    press(state, ".")
    assert not state.presenter.blank


def test_other_keys_do_nothing_while_presenting_but_quit_still_works(state):
    presenter.enter(state)
    actions = RecordingActions()
    for key, modifiers in (("e", ()), ("g", ()), ("s", ("Control",)), ("Delete", ())):
        assert dispatch_key(key, modifiers, state, actions) is None
    assert state.ghost and not state.edits.editor.open
    dispatch_key("q", ("Control",), state, actions)
    assert actions.names() == ["quit"]


def test_home_and_end_jump_to_the_first_and_last_moment(state, clock):
    presenter.enter(state)
    press(state, "End")
    assert state.t == state.incident.events[-1].at
    assert presenter.moment_index(state) == len(state.incident.events) - 1
    press(state, "Home")
    assert presenter.moment_index(state) == 0


def test_the_presenter_screen_shows_the_chart_and_the_strip(state, clock):
    driver = GuiDriver((1920, 1080))
    try:
        presenter.enter(state)
        press(state, "ArrowRight")
        run_for(state, clock, 3.5)

        def draw():
            gui_presenter(state, driver.ui, RecordingActions())

        driver.frame(draw)
        ui = driver.ui
        assert ui.chart_size == (1920, 1080 - 44)  # the chart fills the screen above the strip
        count = len(state.incident.events)
        assert ui.texts["presenter-position"] == f"1 / {count}"
        assert ui.texts["presenter-next"] == f"Next: {state.incident.events[1].title}"
        driver.click(draw, driver.center("chart"))  # a click steps on
        assert state.presenter.tour.started is not None
        press(state, "b")
        driver.frame(draw)
        assert ui.texts["presenter"] == "blank" and ui.chart_size == (0.0, 0.0)
    finally:
        driver.destroy()


def test_present_command_arguments():
    args = build_parser().parse_args(["present", "x.yaml", "--pace", "5", "--events", "starred"])
    assert (args.command, args.pace, args.events) == ("present", 5.0, "starred")
    args = build_parser().parse_args(["present", "--events", "T+01:00,T+02:00"])
    assert args.events == (60.0, 120.0) and args.pace == 3.0
    with pytest.raises(SystemExit):
        build_parser().parse_args(["present", "--events", "T+1x"])
