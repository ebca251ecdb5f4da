"""EditSession and the file on disk: events found again after edits, a file changed under
unsaved edits (and each way out), saves that fail (read-only, disk full) keeping the edits,
and edits of a large incident that do not read its data again."""

from __future__ import annotations

import errno
import os
import shutil
import time

import pytest

from replay_viewer.edit import (
    DiskChangedError,
    EditSession,
    EventFields,
    EventNotFoundError,
    SaveError,
    pending_journal,
)
from replay_viewer.edit.journal import journal_path
from replay_viewer.loader import parse_incident

from .conftest import REPO

TEXT = """\
title: Session  # kept
series:
  - id: a
    samples: [[0, 1], [600, 2]]
events:
  - {at: 10, title: first}
  - {at: 200, title: second, kind: mitigate}
"""
THEIRS = TEXT.replace("title: Session", "title: Theirs")


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text(TEXT, encoding="utf-8")
    return path


def edited(path) -> EditSession:
    session = EditSession.open(path)
    session.add(EventFields(at=100, title="mine"))
    assert session.dirty and journal_path(path).exists()
    return session


def change_on_disk(path, text: str = THEIRS) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a new mtime even where the clock is coarse
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


# -- events are found again ------------------------------------------------------------------


def test_an_event_held_across_edits_is_found_by_its_content(path):
    session = EditSession.open(path)
    second = session.incident.events[1]
    session.add(EventFields(at=5, title="zeroth"))  # above it: its line moves
    moved = session.find(second)
    assert moved.line == second.line + 1
    assert session.update(second, title="second!").title == "second!"
    session.undo()
    session.undo()
    with pytest.raises(EventNotFoundError, match="'zeroth' at T\\+00:05 is no longer in the file"):
        session.update(moved.__class__(at=5, title="zeroth", line=6, column=5), star=True)


def test_the_same_event_twice_is_told_apart_by_its_place(path):
    session = EditSession.open(path)
    twin = EventFields(at=50, title="twin")
    one = session.add(twin)
    other = session.add(twin)
    starred = session.toggle_star(other)
    assert starred.line == other.line and not session.find(one).star
    stale = type(one)(at=50, title="twin", line=1, column=1)
    session.toggle_star(starred)  # both the same again
    with pytest.raises(EventNotFoundError, match="in the file 2 times"):
        session.find(stale)


# -- the file changed on disk -----------------------------------------------------------------


def test_a_change_on_disk_is_detected_by_content(path):
    session = edited(path)
    assert not session.disk_changed()
    os.utime(path, ns=(1, 1))  # touched, same bytes
    assert not session.disk_changed()
    change_on_disk(path)
    assert session.disk_changed()
    with pytest.raises(DiskChangedError, match="changed on disk since it was opened"):
        session.save()
    assert path.read_text(encoding="utf-8") == THEIRS
    assert session.dirty and journal_path(path).exists()


def test_keep_mine_and_save(path):
    session = edited(path)
    change_on_disk(path)
    session.save(overwrite=True)
    assert path.read_text(encoding="utf-8") == session.text and "mine" in session.text
    assert not session.dirty and not session.disk_changed()
    assert not journal_path(path).exists()


def test_reload_theirs(path):
    session = edited(path)
    change_on_disk(path)
    session.reload_theirs()
    assert session.text == THEIRS and session.incident.title == "Theirs"
    assert not session.dirty and not session.can_undo
    assert not journal_path(path).exists()


def test_save_mine_as_another_file(path, tmp_path):
    session = edited(path)
    change_on_disk(path)
    copy = tmp_path / "mine.yaml"
    session.save_as(copy)
    assert copy.read_text(encoding="utf-8") == session.text and "mine" in session.text
    assert path.read_text(encoding="utf-8") == THEIRS
    assert session.path == copy and session.incident.source == copy and not session.dirty
    assert not journal_path(path).exists() and not journal_path(copy).exists()
    session.add(EventFields(at=300, title="later"))
    assert journal_path(copy).exists()


def test_save_as_where_the_data_files_are_not_is_refused(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    shutil.copy(REPO / "incidents" / "dense-scrape.yaml", folder)
    shutil.copy(REPO / "incidents" / "dense-scrape-p99.npy", folder)
    session = EditSession.open(folder / "dense-scrape.yaml")
    (tmp_path / "b").mkdir()
    with pytest.raises(SaveError, match="would not load from there"):
        session.save_as(tmp_path / "b" / "dense-scrape.yaml")
    assert not (tmp_path / "b" / "dense-scrape.yaml").exists()


# -- saves that fail keep the edits ------------------------------------------------------------


def test_a_read_only_file_is_a_clear_error_and_the_edits_are_kept(path, tmp_path):
    session = edited(path)
    path.chmod(0o444)
    try:
        with pytest.raises(SaveError) as failed:
            session.save()
    finally:
        path.chmod(0o644)
    assert failed.value.read_only
    assert str(failed.value) == (
        f"{path} is read-only; your edits are kept: save them as another file (or make the "
        "file writable and save again)"
    )
    assert path.read_text(encoding="utf-8") == TEXT
    assert session.dirty and "mine" in session.text and journal_path(path).exists()
    session.save_as(tmp_path / "copy.yaml")
    assert "mine" in (tmp_path / "copy.yaml").read_text(encoding="utf-8")


def test_a_full_disk_is_a_clear_error_and_the_edits_are_kept(path, monkeypatch):
    session = edited(path)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(SaveError) as failed:
        patched.setattr(os, "fsync", full)
        session.save()
    assert str(failed.value).startswith(f"cannot write {path}: No space left on device; your "
                                        "edits are kept")  # fmt: skip
    assert not failed.value.read_only
    assert path.read_text(encoding="utf-8") == TEXT
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []
    assert session.dirty and pending_journal(path) is not None
    session.save()
    assert "mine" in path.read_text(encoding="utf-8") and not journal_path(path).exists()


def test_a_journal_that_cannot_be_written_does_not_stop_editing(path, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(blocker))
    session = EditSession.open(path)
    session.add(EventFields(at=100, title="mine"))
    assert "cannot write the crash journal" in session.journal_problem
    session.save()
    assert "mine" in path.read_text(encoding="utf-8")


def test_saving_keeps_a_byte_order_mark_and_a_symlink(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    session = EditSession.open(link)
    session.add(EventFields(at=100, title="mine"))
    session.save()
    assert link.is_symlink()
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"title: mine" in data
    assert not session.disk_changed()


def test_undo_back_to_the_saved_text_is_clean_and_leaves_no_journal(path):
    session = edited(path)
    session.undo()
    assert not session.dirty and not journal_path(path).exists()
    session.redo()
    assert session.dirty and journal_path(path).exists()
    session.save()
    assert not session.dirty and not journal_path(path).exists()
    session.undo()  # undo past a save: dirty again, journaled again
    assert session.dirty and pending_journal(path).text == TEXT


# -- a large incident ---------------------------------------------------------------------------


def loaded_anew(session: EditSession):
    """What the loader makes of the session's text from scratch."""
    return parse_incident(session.text, path=str(session.path), incident_id=session.incident.id)


def same_incident(session: EditSession) -> None:
    """The session's incident is the loader's reading of its text, positions included."""
    fresh = loaded_anew(session)
    assert [(e, e.line, e.column) for e in session.incident.events] == [
        (e, e.line, e.column) for e in fresh.events
    ]
    assert (session.incident.start, session.incident.end) == (fresh.start, fresh.end)
    assert session.incident.warnings == fresh.warnings


def test_edits_of_a_million_samples_do_not_read_the_data_again(tmp_path):
    shutil.copy(REPO / "incidents" / "dense-scrape.yaml", tmp_path)
    shutil.copy(REPO / "incidents" / "dense-scrape-p99.npy", tmp_path)
    session = EditSession.open(tmp_path / "dense-scrape.yaml")
    series = session.incident.series[0]
    assert len(series.times) == 1_008_000
    started = time.perf_counter()
    event = session.add(EventFields(at=600, title="Scraper restarted again"))
    event = session.toggle_star(event)
    session.move(event, 660)
    session.undo()
    took = time.perf_counter() - started
    # Only the events changed: the loader read them again, and nothing else.
    assert (session._cache.misses, session._cache.hits) == (1, 0)
    assert session.incident.series[0].times is series.times  # the same arrays, not copies
    assert took < 2.0  # about a millisecond an edit; generous for a loaded machine
    same_incident(session)


def test_events_before_the_series_are_checked_by_reading_the_whole_file(tmp_path):
    text = (REPO / "incidents" / "dense-scrape.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\nseries:\n")
    series, _, events = rest.partition("\nevents:\n")
    events, _, tail = events.partition("\n\n")
    moved = f"{head}\nevents:\n{events}\n\nseries:\n{series}\n{tail}"
    (tmp_path / "dense-scrape.yaml").write_text(moved, encoding="utf-8")
    shutil.copy(REPO / "incidents" / "dense-scrape-p99.npy", tmp_path)
    session = EditSession.open(tmp_path / "dense-scrape.yaml")
    series = session.incident.series[0]
    session.add(EventFields(at=600, title="Scraper restarted again"))  # moves the series
    session.undo()
    assert (session._cache.misses, session._cache.hits) == (1, 2)  # the data from the cache
    assert session.incident.series[0].times is series.times
    same_incident(session)


@pytest.mark.parametrize("name", ["cache-stampede.yaml", "checkout-flag.yaml"])
def test_the_incident_after_each_edit_is_what_the_loader_reads(tmp_path, name):
    shutil.copy(REPO / "incidents" / name, tmp_path)
    session = EditSession.open(tmp_path / name)
    event = session.add(EventFields(at=61.5, title="x", until=500, star=True))
    same_incident(session)
    for change in ({"at": 1}, {"until": None}, {"title": "y", "detail": "z"}):
        event = session.update(event, **change)
        same_incident(session)
    session.remove(session.incident.events[0])
    same_incident(session)
    while session.undo():
        same_incident(session)
