"""The window's state without a window: playback with a fake clock, navigation, reload."""

from __future__ import annotations

import pytest

from replay_viewer.app.browser import FileBrowser
from replay_viewer.app.recent import MAX_RECENT, RecentFiles
from replay_viewer.app.state import AppState, Playback
from replay_viewer.app.watch import FileWatcher
from replay_viewer.loader import IncidentLoadError, load_incident, parse_incident

from .conftest import BUNDLED


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def state(clock):
    state = AppState(clock=clock)
    state.set_incident(load_incident(BUNDLED), BUNDLED, keep_time=False)
    return state


def test_opens_at_the_start(state):
    assert state.t == -60 and not state.playback.playing


def test_play_advances_with_real_time_times_speed(state, clock):
    state.toggle_play()
    clock.now += 2.0
    assert state.tick()
    assert state.t == pytest.approx(-58)
    state.set_speed(30)
    clock.now += 1.0
    state.tick()
    assert state.t == pytest.approx(-28)


def test_frame_rate_independent(clock):
    """60 ticks of 1/60 s and 6 ticks of 1/6 s reach the same time."""
    results = []
    for ticks in (60, 6):
        playback = Playback(0, 100, 0, speed=5)
        clock.now = 0.0
        playback.play(clock.now)
        for _ in range(ticks):
            clock.now += 1.0 / ticks
            playback.tick(clock.now)
        results.append(playback.t)
    assert results[0] == pytest.approx(results[1]) == pytest.approx(5.0)


def test_pause_stops_time(state, clock):
    state.toggle_play()
    clock.now += 1
    state.tick()
    state.toggle_play()
    clock.now += 50
    assert not state.tick()
    assert state.t == pytest.approx(-59)


def test_stops_at_end_without_loop_and_wraps_with_loop(state, clock):
    state.seek(835)
    state.toggle_play()
    clock.now += 10
    state.tick()
    assert state.t == 840 and not state.playback.playing
    state.toggle_play()  # play from the end starts over
    assert state.t == -60 and state.playback.playing
    state.seek(835)
    state.playback.loop = True
    clock.now += 10
    state.tick()
    assert state.t == pytest.approx(-55) and state.playback.playing


def test_step_moves_by_samples(state):
    state.seek(12)
    state.step(1)
    assert state.t == 15
    state.step(-1)
    assert state.t == 10
    state.seek(-60)
    state.step(-1)
    assert state.t == -60


def test_jump_and_clamp(state):
    state.seek(100)
    state.jump(10)
    assert state.t == 110
    state.jump(-1000)
    assert state.t == -60
    state.end()
    assert state.t == 840
    state.home()
    assert state.t == -60


def test_event_navigation(state):
    state.seek(-60)
    state.event(1)
    assert state.t == 0 and state.current_event_index() == 0
    state.event(1)
    assert state.t == 12
    state.seek(200)  # between T+02:00 and T+03:30
    state.event(-1)
    assert state.t == 120
    state.seek(840)
    state.event(1)
    assert state.t == 840, "no event after the last"
    state.seek(-30)
    state.event(-1)
    assert state.t == -60, "before the first event, previous goes to the start"


def test_reload_keeps_time_and_errors_keep_last_good(state, clock, tmp_path):
    state.seek(300)
    state.toggle_play()
    shorter = parse_incident(
        "title: shorter\nseries: [{id: a, samples: [[0, 1], [200, 2]]}]", incident_id="s"
    )
    state.set_incident(shorter, tmp_path / "s.yaml", keep_time=True)
    assert state.t == 200, "kept, clamped to the new end"
    assert not state.playback.playing, "nothing left to play"
    state.set_incident(load_incident(BUNDLED), BUNDLED, keep_time=True)
    state.toggle_play()
    state.set_incident(shorter, tmp_path / "s.yaml", keep_time=True)
    assert state.t == 200
    try:
        parse_incident("title: [broken", path="s.yaml")
    except IncidentLoadError as exc:
        state.load_failed(exc.diagnostics, "s.yaml")
    assert state.incident is shorter, "the last good incident stays"
    assert state.errors and str(state.errors[0]).startswith("s.yaml:1:8: error: invalid YAML")
    state.set_incident(shorter, tmp_path / "s.yaml", keep_time=True)
    assert state.errors == ()


def test_opening_another_file_starts_at_its_start(state, tmp_path):
    state.seek(300)
    other = parse_incident("title: o\nseries: [{id: a, samples: [[-5, 1], [20, 2]]}]")
    state.set_incident(other, tmp_path / "o.yaml", keep_time=False)
    assert state.t == -5


def test_recent_files_persist_unique_and_capped(tmp_path):
    recent = RecentFiles(tmp_path)
    for index in range(MAX_RECENT + 3):
        recent.add(tmp_path / f"{index}.yaml")
    recent.add(tmp_path / "5.yaml")
    again = RecentFiles(tmp_path)
    assert len(again.paths) == MAX_RECENT
    assert again.paths[0] == (tmp_path / "5.yaml").resolve()
    assert len(set(again.paths)) == MAX_RECENT
    (tmp_path / "recent.json").write_text("{broken", encoding="utf-8")
    assert RecentFiles(tmp_path).paths == []


def test_recent_files_use_xdg_config_home(tmp_path, monkeypatch):
    from replay_viewer.app.recent import default_config_dir

    monkeypatch.delenv("REPLAY_VIEWER_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_config_dir() == tmp_path / "cfg" / "replay-viewer"


def test_file_watcher(tmp_path):
    import os

    path = tmp_path / "i.yaml"
    path.write_text("a", encoding="utf-8")
    watcher = FileWatcher(path)
    assert not watcher.changed()
    path.write_text("bb", encoding="utf-8")
    os.utime(path, ns=(1, 10**18))
    assert watcher.changed()
    assert not watcher.changed(), "reported once"
    path.unlink()
    assert not watcher.changed(), "a deleted file is not a change to load"
    replacement = tmp_path / "tmp"
    replacement.write_text("ccc", encoding="utf-8")
    replacement.replace(path)  # editors that save by rename
    assert watcher.changed()


def test_file_browser_lists_folders_then_incidents(tmp_path):
    (tmp_path / "b.yaml").write_text("", encoding="utf-8")
    (tmp_path / "A.yml").write_text("", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    browser = FileBrowser(folder=tmp_path)
    assert [(e.name, e.is_dir) for e in browser.entries()] == [
        ("sub", True), ("A.yml", False), ("b.yaml", False)
    ]  # fmt: skip
    browser.typed = "sub"
    assert browser.resolve_typed() is None and browser.folder == (tmp_path / "sub").resolve()
    browser.up()
    browser.typed = "b.yaml"
    assert browser.resolve_typed() == (tmp_path / "b.yaml").resolve()
    browser.enter(tmp_path / "missing")
    assert browser.entries() == [] and "cannot list" in browser.error
