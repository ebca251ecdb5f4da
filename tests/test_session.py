"""The session without a window: files load on a worker thread and are swapped in by
poll(); a failed load keeps the last good incident; missing files are said at once."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from replay_viewer.app.recent import RecentFiles
from replay_viewer.app.session import Session
from replay_viewer.app.state import AppState
from replay_viewer.loader import load_incident

from .conftest import BUNDLED


class FakeRenderer:
    def __init__(self) -> None:
        self.incidents = []

    def set_incident(self, incident) -> None:
        self.incidents.append(incident)


class FakeChart:
    def __init__(self) -> None:
        self.invalidated = 0

    def invalidate(self) -> None:
        self.invalidated += 1


@pytest.fixture
def session(tmp_path):
    state = AppState(clock=lambda: 0.0)
    state.set_incident(load_incident(BUNDLED), BUNDLED, keep_time=False)
    draws = []
    session = Session(state, BUNDLED, request_draw=lambda: draws.append(1), quit=lambda: None,
                      recent=RecentFiles(tmp_path / "config"))  # fmt: skip
    session.attach(FakeRenderer(), FakeChart(), exporter=None)
    return session


def wait_loaded(session: Session, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not session.poll():
        assert time.monotonic() < deadline, "the load did not finish"
        time.sleep(0.01)


def test_a_file_loads_in_the_background_and_is_swapped_in_by_poll(session):
    other = BUNDLED.parent / "checkout-flag.yaml"
    assert session.open_file(other)
    assert session.loading and session.state.loading == "Loading checkout-flag.yaml"
    assert session.state.incident.id == "cache-stampede", "nothing changes before poll()"
    wait_loaded(session)
    assert not session.loading and session.state.loading == ""
    assert session.state.incident.id == "checkout-flag"
    assert session.renderer.incidents[-1] is session.state.incident
    assert session.chart.invalidated == 1
    assert session.state.recent[0] == other.resolve()


def test_a_broken_file_keeps_the_last_good_incident(session, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nseries: 3\n", encoding="utf-8")
    session.open_file(broken)
    wait_loaded(session)
    assert session.state.incident.id == "cache-stampede"
    assert session.state.errors and str(session.state.errors[0]).startswith(f"{broken}:2:")
    assert session.renderer.incidents == []


def test_only_the_newest_request_counts(session, tmp_path):
    copy = tmp_path / "copy.yaml"
    shutil.copy(BUNDLED.parent / "checkout-flag.yaml", copy)
    session.open_file(BUNDLED)
    session.open_file(copy)
    wait_loaded(session)
    assert session.state.path == copy
    assert not session.poll()


def test_a_missing_file_is_said_at_once(session, tmp_path):
    assert not session.open_file(tmp_path / "gone.yaml")
    assert "No such file" in session.state.status and not session.loading


def test_reload_retries_the_file_that_failed_and_watches_it(session, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text("title: x\n", encoding="utf-8")
    session.open_file(draft)
    wait_loaded(session)
    assert session.state.errors and session.state.error_path == draft
    assert session.watcher.path == draft, "the failed file is watched"
    shutil.copy(BUNDLED.parent / "checkout-flag.yaml", draft)
    session.reload()
    wait_loaded(session)
    assert session.state.path == draft and not session.state.errors


def data_incident(folder, data: str, *, outside: bool = False):
    """An incident in ``folder/inc`` whose series reads ``data`` (a CSV) beside it, or from
    the folder above (``outside``)."""
    (folder / "inc").mkdir(exist_ok=True)
    csv = folder / ("p99.csv" if outside else "inc/p99.csv")
    csv.write_text(data, encoding="utf-8")
    path = folder / "inc" / "incident.yaml"
    name = "../p99.csv" if outside else "p99.csv"
    path.write_text(f"title: t\nseries:\n  - id: p99\n    file: {name}\n", encoding="utf-8")
    return path, csv


def touch_with(path, text: str) -> None:
    """Rewrite ``path`` so that its size and mtime both change (a coarse clock is no issue)."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_a_change_to_a_data_file_reloads(session, tmp_path):
    path, csv = data_incident(tmp_path, "t,v\n0,1\n10,2\n")
    session.open_file(path)
    wait_loaded(session)
    assert session.state.incident.series[0].values.tolist() == [1, 2]
    assert not session.watcher.changed()
    touch_with(csv, "t,v\n0,1\n10,2\n20,3\n")
    session.check_file()
    assert session.loading, "the data file's change starts a reload"
    wait_loaded(session)
    assert session.state.incident.series[0].values.tolist() == [1, 2, 3]
    assert session.state.status == f"Reloaded {path}"


def test_a_broken_data_file_is_watched_until_it_is_fixed(session, tmp_path):
    path, csv = data_incident(tmp_path, "t,v\n0,1\nsoon,2\n")
    session.open_file(path)
    wait_loaded(session)
    assert str(session.state.errors[0]).startswith(f"{csv}:3:1: error: time 'soon'")
    touch_with(csv, "t,v\n0,1\n10,2\n")
    session.check_file()
    wait_loaded(session)
    assert not session.state.errors and session.state.path == path


def test_reload_keeps_allow_outside_paths(tmp_path):
    path, csv = data_incident(tmp_path, "t,v\n0,1\n", outside=True)
    incident = load_incident(path, allow_outside_paths=True)
    assert incident.data_files == (csv.resolve(),)
    state = AppState(clock=lambda: 0.0)
    state.set_incident(incident, path, keep_time=False)
    recent = RecentFiles(tmp_path / "config")
    session = Session(state, path, request_draw=lambda: None, quit=lambda: None,
                      recent=recent, allow_outside_paths=True)  # fmt: skip
    session.attach(FakeRenderer(), FakeChart(), exporter=None)
    assert session.watcher.also == (csv.resolve(),), "the first incident's data file is watched"
    touch_with(csv, "t,v\n0,1\n5,7\n")
    session.check_file()
    wait_loaded(session)
    assert not session.state.errors
    assert session.state.incident.series[0].values.tolist() == [1, 7]
    session.allow_outside_paths = False  # without the option the same reload is refused
    session.reload()
    wait_loaded(session)
    assert "leaves the incident's folder" in str(session.state.errors[0])


def test_warnings_are_counted_in_the_status_and_shown_again_for_a_new_load(session, tmp_path):
    path, _ = data_incident(tmp_path, "t,v\n10,1\n0,2\n")
    session.state.warnings_dismissed = True
    session.open_file(path)
    wait_loaded(session)
    assert session.state.status == f"Opened {path} (1 warning)"
    assert not session.state.warnings_dismissed
    (warning,) = session.state.incident.warnings
    assert warning.startswith(f"{tmp_path}/inc/p99.csv:3:1: warning: 1 row is earlier")
