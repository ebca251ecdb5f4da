"""Nothing lost: a session killed with SIGKILL after its edits leaves them in the journal,
and the next open of the file finds them, says whether the file changed since, and
restores them (or discards them on request)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from replay_viewer.edit import (
    DiskChangedError,
    EditSession,
    EventFields,
    PendingEditsError,
    discard_journal,
    pending_journal,
)
from replay_viewer.edit.journal import journal_path

from .conftest import REPO

TEXT = """\
title: Journal  # kept
series:
  - id: a
    samples: [[0, 1], [600, 2]]
events:
  - {at: 10, title: first}
"""

# Edits, then the text they made on stdout, then wait to be killed.
EDITOR = textwrap.dedent(
    """
    import json, sys, time
    from replay_viewer.edit import EditSession, EventFields
    session = EditSession.open(sys.argv[1])
    event = session.add(EventFields(at=100, title="Flag reverted", kind="mitigate"))
    event = session.toggle_star(event)
    session.update(event, until=160, detail="by hand")
    session.remove(session.incident.events[0])
    session.undo()  # the remove: the undo is journaled too
    print(json.dumps({"text": session.text, "labels": [e.label for e in session.history.done]}))
    sys.stdout.flush()
    time.sleep(600)
    """
)


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text(TEXT, encoding="utf-8")
    return path


def killed_after_edits(path) -> dict:
    """Run an editing session in another process and SIGKILL it after its edits; what it
    had in memory."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        state = json.loads(editor.stdout.readline())
    finally:
        editor.send_signal(signal.SIGKILL)
        editor.wait(timeout=60)
        editor.stdout.close()
    assert editor.returncode == -signal.SIGKILL
    return state


def test_edits_survive_a_kill_and_are_restored(path):
    state = killed_after_edits(path)
    assert path.read_text(encoding="utf-8") == TEXT  # nothing was saved
    pending = pending_journal(path)
    assert pending.text == state["text"]
    assert list(pending.labels) == state["labels"] == [
        "Add event 'Flag reverted'", "Star event 'Flag reverted'", "Edit event 'Flag reverted'"
    ]  # fmt: skip
    assert not pending.changed_on_disk and not pending.missing
    with pytest.raises(PendingEditsError, match="has 3 unsaved edits from a session"):
        EditSession.open(path)
    session = EditSession.open(path, restore=True)
    assert session.text == state["text"] and session.dirty
    reverted = next(e for e in session.incident.events if e.title == "Flag reverted")
    assert (reverted.star, reverted.until, reverted.detail) == (True, 160, "by hand")
    assert session.redo_label == "Remove event 'first'"  # the redo stack came back too
    assert session.undo() == "Edit event 'Flag reverted'"
    session.redo()
    session.save()
    assert path.read_text(encoding="utf-8") == state["text"]
    assert pending_journal(path) is None and not journal_path(path).exists()


def test_restored_edits_over_a_file_changed_since_ask_before_saving(path):
    state = killed_after_edits(path)
    theirs = TEXT.replace("Journal", "Theirs")
    path.write_text(theirs, encoding="utf-8")
    pending = pending_journal(path)
    assert pending.changed_on_disk and pending.text == state["text"]
    session = EditSession.open(path, restore=True)
    assert session.dirty and session.disk_changed()
    with pytest.raises(DiskChangedError):
        session.save()
    session.save(overwrite=True)  # keep mine
    assert path.read_text(encoding="utf-8") == state["text"]


def test_restored_edits_of_a_file_that_is_gone(path):
    state = killed_after_edits(path)
    path.unlink()
    pending = pending_journal(path)
    assert pending.missing and pending.changed_on_disk
    session = EditSession.open(path, restore=True)
    session.save(overwrite=True)
    assert path.read_text(encoding="utf-8") == state["text"]


def test_pending_edits_can_be_discarded(path):
    killed_after_edits(path)
    session = EditSession.open(path, restore=False)
    assert session.text == TEXT and not session.dirty
    assert pending_journal(path) is None
    killed_after_edits(path)
    discard_journal(path)
    assert pending_journal(path) is None


def test_a_torn_last_line_restores_up_to_it(path):
    session = EditSession.open(path)
    session.add(EventFields(at=100, title="one"))
    session.add(EventFields(at=200, title="two"))
    expected = session.text
    session.add(EventFields(at=300, title="three"))
    session.close()  # as if killed: the journal stays
    with open(journal_path(path), "r+", encoding="utf-8") as journal:
        content = journal.read()
        journal.seek(0)
        journal.truncate()
        journal.write(content[: content.rstrip("\n").rfind("\n") + 20])  # half a line
    pending = pending_journal(path)
    assert pending.text == expected and pending.labels == ("Add event 'one'", "Add event 'two'")


def test_a_clean_close_leaves_nothing_and_a_dirty_one_leaves_the_journal(path):
    session = EditSession.open(path)
    session.add(EventFields(at=100, title="one"))
    session.save()
    session.close()
    assert pending_journal(path) is None
    session = EditSession.open(path)
    session.add(EventFields(at=200, title="two"))
    session.close()
    assert pending_journal(path).labels == ("Add event 'two'",)
