"""One keymap: key dispatch (state in, actions out), held-key repeat, and the README's
table, all from the same table."""

from __future__ import annotations

import re

import pytest

from replay_viewer.app.keymap import (
    KEYMAP,
    PRESENTER_KEYMAP,
    REPEAT_DELAY_S,
    REPEAT_INTERVAL_S,
    KeyRepeat,
    dispatch_key,
)
from replay_viewer.app.state import AppState
from replay_viewer.loader import load_incident

from .conftest import BUNDLED, REPO
from .gui_driver import RecordingActions


@pytest.fixture
def state():
    state = AppState(clock=lambda: 100.0)
    state.set_incident(load_incident(BUNDLED), BUNDLED, keep_time=False)
    return state


def test_readme_table_is_the_keymap():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.partition("| Keys | Action |")[2].partition("\n\n")[0]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", table, re.M)
    assert rows == [(binding.keys, binding.action) for binding in KEYMAP]
    table = readme.partition("| Presenter keys | Action |")[2].partition("\n\n")[0]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", table, re.M)
    assert rows == [(binding.keys, binding.action) for binding in PRESENTER_KEYMAP]


def test_every_binding_is_reachable():
    for table in (KEYMAP, PRESENTER_KEYMAP):
        chords = [chord for binding in table for chord in binding.chords]
        assert len(chords) == len(set(chords)), "a chord bound twice"


def test_space_plays_and_arrows_step(state):
    actions = RecordingActions()
    start = state.t
    assert dispatch_key(" ", (), state, actions).keys == "Space"
    assert state.playback.playing
    dispatch_key(" ", (), state, actions)
    dispatch_key("ArrowRight", (), state, actions)
    assert state.t == start + 5  # the bundled incident samples every 5 s
    dispatch_key("ArrowRight", ("Shift",), state, actions)
    assert state.t == start + 5 + 50  # ten 5-s samples: longer than 1 % of 15 minutes
    dispatch_key("End", (), state, actions)
    assert state.t == state.incident.end
    assert actions.calls == []


def test_control_keys_ask_for_actions(state):
    actions = RecordingActions()
    for key in ("e", "r", "q"):
        dispatch_key(key, ("Control",), state, actions)
    assert [call[0] for call in actions.calls] == ["export_frame", "reload", "quit"]
    dispatch_key("O", ("Control",), state, actions)
    assert state.browser.open


def test_text_focus_and_dialogs_take_the_keyboard(state):
    actions = RecordingActions()
    assert dispatch_key(" ", (), state, actions, keyboard_taken=True) is None
    assert not state.playback.playing
    state.export.open = True
    assert dispatch_key("g", (), state, actions) is None and state.ghost
    assert dispatch_key("q", ("Control",), state, actions).keys == "Ctrl + Q"
    assert actions.calls == [("quit",)]


def test_only_stepping_keys_repeat(state):
    actions = RecordingActions()
    assert dispatch_key("ArrowLeft", (), state, actions, repeat=True) is not None
    assert dispatch_key(" ", (), state, actions, repeat=True) is None


def test_held_keys_repeat_after_a_delay():
    held = KeyRepeat()
    event = {"key": "ArrowRight"}
    held.press("ArrowRight", event, now=10.0)
    first = 10.0 + REPEAT_DELAY_S + 1e-6
    assert held.due(10.0 + REPEAT_DELAY_S / 2) == []
    assert held.due(first) == [event]
    assert held.due(first + REPEAT_INTERVAL_S / 2) == []
    assert held.due(first + REPEAT_INTERVAL_S + 1e-6) == [event]
    held.release("ArrowRight")
    assert not held and held.due(20.0) == []


def test_speed_and_loop_keys(state):
    actions = RecordingActions()
    for _ in range(20):
        dispatch_key("=", (), state, actions)
    assert state.playback.speed == 600
    dispatch_key("-", (), state, actions)
    assert state.playback.speed == 300
    dispatch_key("l", (), state, actions)
    assert state.playback.loop
    state.fit(30)
    assert state.playback.speed == (state.incident.end - state.incident.start) / 30


def test_big_steps_follow_the_data(state):
    # 1-s samples over a 10,000-s incident: 1 % (100 s) is longer than ten samples (10 s).
    from replay_viewer.loader import parse_incident

    samples = ", ".join(f"[{i}, {i % 7}]" for i in range(0, 10_001))
    long = parse_incident(f"title: t\nseries: [{{id: a, samples: [{samples}]}}]\n")
    state.set_incident(long, None, keep_time=False)
    state.big_step(1)
    assert state.t == 100.0
    state.step(1)
    assert state.t == 101.0
    state.big_step(-1)
    assert state.t == 1.0
