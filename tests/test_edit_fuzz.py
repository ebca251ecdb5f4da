"""Random runs of timeline edits (add, change, move, star, remove, undo, redo, save) on
incident files of every layout, against a plain list of what the events should be. After
every step the session's events are that list, and what the loader reads from the text;
the file on disk is only ever the text of a save; and at the end a session closed with
unsaved edits (as a crash leaves it) opens again with exactly its text and an undo history
that leads back to it, and a session without unsaved edits undoes back to the file as it
was opened, byte for byte."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from replay_viewer.edit import EditRefusedError, EditSession, EventFields
from replay_viewer.edit.journal import journal_path
from replay_viewer.model import EVENT_KINDS

from .conftest import REPO
from .test_edit_session import same_incident

HEAD = "title: Edits  # a comment that stays\nseries:\n  - id: a\n    samples: [[0, 1], [600, 2]]\n"
LAYOUTS = {
    "block": HEAD + "events:\n  - at: 10\n    title: first\n  - at: T+03:20  # why\n"
    "    kind: mitigate\n    title: second\n",
    "flow": HEAD + "events: [{at: 10, title: first}, {at: 200, title: second, kind: mitigate}]\n",
    "none": HEAD,
    "empty": HEAD + "events: []\n",
    "crlf": (HEAD + "events:\n  - {at: 10, title: first}\n").replace("\n", "\r\n"),
    "cache-stampede": (REPO / "incidents" / "cache-stampede.yaml").read_text(encoding="utf-8"),
    "checkout-flag": (REPO / "incidents" / "checkout-flag.yaml").read_text(encoding="utf-8"),
}
TITLES = st.sampled_from(["x", "Flag reverted", "yes", "404", "a: b", "#tag", "emoji 📈",
                          "T+05:00", "'q'", "line\nbreak", "*alias", "trailing "])  # fmt: skip
DETAILS = st.sampled_from(["", "why", "- item", "null"])
TIMES = st.integers(0, 1200).map(lambda half_seconds: half_seconds / 2)


def _fields(event) -> tuple:
    return (event.at, event.title, event.kind, event.detail, event.until, event.star)


def _sorted(fields) -> list[tuple]:
    """Events' fields in one order whatever the file's (``until`` may be None)."""
    return sorted(fields, key=repr)


class TimelineEdits(RuleBasedStateMachine):
    """The session under edit, and ``expected``: its events' fields, in any order."""

    @initialize(layout=st.sampled_from(sorted(LAYOUTS)))
    def open_file(self, layout):
        self.folder = Path(tempfile.mkdtemp(prefix="edit-fuzz-"))
        self.path = self.folder / "incident.yaml"
        self.original = LAYOUTS[layout].encode("utf-8")
        self.path.write_bytes(self.original)
        self.session = EditSession.open(self.path)
        self.on_disk = self.original
        self.expected = _sorted(_fields(e) for e in self.session.incident.events)
        self.done: list[list[tuple]] = []  # the expected list before each edit, for undo
        self.undone: list[list[tuple]] = []

    def _edited(self, before: list[tuple]) -> None:
        self.done.append(before)
        self.undone.clear()

    @rule(at=TIMES, title=TITLES, kind=st.sampled_from(sorted(EVENT_KINDS)), detail=DETAILS,
          length=st.none() | st.integers(1, 300), star=st.booleans())  # fmt: skip
    def add(self, at, title, kind, detail, length, star):
        until = None if length is None else at + length
        before = list(self.expected)
        if self._refused(
            lambda: self.session.add(EventFields(at, title, kind, detail, until, star))
        ):
            return
        self.expected = _sorted([*before, (at, title, kind, detail, until, star)])
        self._edited(before)

    @precondition(lambda self: self.session.incident.events)
    @rule(which=st.integers(0, 10**6), title=TITLES | st.none(), detail=DETAILS | st.none())
    def change_words(self, which, title, detail):
        event = self._event(which)
        changes = {key: value for key, value in (("title", title), ("detail", detail))
                   if value is not None}  # fmt: skip
        self._changed(event, lambda: self.session.update(event, **changes), **changes)

    @precondition(lambda self: self.session.incident.events)
    @rule(which=st.integers(0, 10**6), at=TIMES)
    def move(self, which, at):
        event = self._event(which)
        moved = {"at": at}
        if event.until is not None:
            moved["until"] = event.until + (at - event.at)
        self._changed(event, lambda: self.session.move(event, at), **moved)

    @precondition(lambda self: self.session.incident.events)
    @rule(which=st.integers(0, 10**6))
    def star(self, which):
        event = self._event(which)
        self._changed(event, lambda: self.session.toggle_star(event), star=not event.star)

    @precondition(lambda self: self.session.incident.events)
    @rule(which=st.integers(0, 10**6))
    def remove(self, which):
        event = self._event(which)
        before = list(self.expected)
        self.session.remove(event)
        self.expected.remove(_fields(event))
        self._edited(before)

    @rule()
    def undo(self):
        label = self.session.undo()
        assert (label is None) == (not self.done)
        if self.done:
            self.undone.append(self.expected)
            self.expected = self.done.pop()

    @rule()
    def redo(self):
        label = self.session.redo()
        assert (label is None) == (not self.undone)
        if self.undone:
            self.done.append(self.expected)
            self.expected = self.undone.pop()

    @rule()
    def save(self):
        self.session.save()
        self.on_disk = self.path.read_bytes()
        assert self.on_disk.decode("utf-8") == self.session.text
        assert not self.session.dirty and not journal_path(self.path).exists()

    def _event(self, which: int):
        events = self.session.incident.events
        return events[which % len(events)]

    def _changed(self, event, edit, **changes) -> None:
        old = _fields(event)
        keys = ("at", "title", "kind", "detail", "until", "star")
        new = tuple(changes.get(key, value) for key, value in zip(keys, old, strict=True))
        before = list(self.expected)
        if self._refused(edit) or new == old:
            return  # refused, or nothing to change: no edit, no undo step
        self.expected.remove(old)
        self.expected = _sorted([*self.expected, new])
        self._edited(before)

    def _refused(self, edit) -> bool:
        """Run ``edit``; True when it was refused (a move past a declared ``duration``…),
        which must leave the text and the undo history as they were."""
        text, steps = self.session.text, len(self.session.history.done)
        try:
            edit()
        except EditRefusedError as exc:
            assert exc.reasons and all(exc.reasons), exc
            assert self.session.text == text and len(self.session.history.done) == steps
            return True
        return False

    @invariant()
    def events_are_the_expected_ones_and_what_the_loader_reads(self):
        if not hasattr(self, "session"):
            return
        assert _sorted(_fields(e) for e in self.session.incident.events) == self.expected
        same_incident(self.session)
        assert self.path.read_bytes() == self.on_disk, "only a save writes the file"
        assert self.session.dirty == (self.session.text.encode("utf-8") != self.on_disk)
        assert journal_path(self.path).exists() == self.session.dirty

    def teardown(self):
        if not hasattr(self, "session"):
            return
        try:
            text, dirty = self.session.text, self.session.dirty
            self.session.close()  # as a crash leaves it: the journal stays
            if dirty:  # the journal holds the edits since the last save
                live = self.session.history
                self.session = EditSession.open(self.path, restore=True)
                assert self.session.text == text and self.session.dirty
                assert _sorted(_fields(e) for e in self.session.incident.events) == self.expected
                done, undone = self.session.history.done, self.session.history.undone
                assert done == live.done[len(live.done) - len(done) :]
                assert undone == live.undone[len(live.undone) - len(undone) :]
                steps = len(done)
                while self.session.undo():
                    pass
                for _ in range(steps):
                    self.session.redo()
                assert self.session.text == text
            else:  # never closed: every edit undoes, back to the file as it was opened
                while self.session.undo():
                    pass
                assert self.session.text.encode("utf-8") == self.original
            self.session.close()
        finally:
            journal_path(self.path).unlink(missing_ok=True)
            shutil.rmtree(self.folder, ignore_errors=True)


EXAMPLES = int(os.environ.get("REPLAY_VIEWER_FUZZ_EXAMPLES", "60"))
TimelineEdits.TestCase.settings = settings(
    max_examples=max(10, EXAMPLES // 2),
    stateful_step_count=12,
    deadline=None,
    derandomize=EXAMPLES <= 60,  # CI is reproducible; long runs explore new inputs
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(tmp_path / "state"))


test_random_timeline_edits = TimelineEdits.TestCase
