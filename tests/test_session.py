"""The session without a window: files load on a worker thread and are swapped in by
poll(); a failed load keeps the last good incident; missing files are said at once."""

from __future__ import annotations

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
