"""The crash journal: every edit of a session written at once to a sidecar file, so that
nothing typed is lost to a crash, a kill -9 or a power cut.

The sidecar lives in the user state folder (``REPLAY_VIEWER_STATE_DIR``, else platformdirs'
``user_state_dir("replay-viewer")``), under ``journal/``, named by the incident's real path.
It is JSON lines: a header with the file's path, the text the edits start from and the
SHA-256 of the file they were made on, then one line per do / undo / redo, each flushed and
fsynced before the session goes on. A clean save or a discard removes it;
:func:`pending_journal` replays one left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import describe_os_error
from .history import Edit, History
from .storage import digest, real_path

if TYPE_CHECKING:
    from typing import TextIO

__all__ = [
    "STATE_DIR_ENV",
    "Journal",
    "PendingEditsError",
    "PendingJournal",
    "discard_journal",
    "journal_path",
    "pending_journal",
    "state_dir",
]

STATE_DIR_ENV = "REPLAY_VIEWER_STATE_DIR"
_FORMAT = "replay-viewer-journal/1"
_REPLAY = {"do": History.did, "undo": History.undid, "redo": History.redid}


def state_dir() -> Path:
    """The user state folder (``$REPLAY_VIEWER_STATE_DIR`` for tests and portable use)."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir("replay-viewer", appauthor=False))


def journal_path(incident: str | Path) -> Path:
    """The sidecar of an incident file: by its real path, readable by its name."""
    real = str(real_path(incident))
    key = hashlib.sha256(real.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(real).name)[:60]
    return state_dir() / "journal" / f"{stem}-{key}.jsonl"


@dataclass(frozen=True)
class PendingJournal:
    """Unsaved edits a session left behind, as they would be restored."""

    path: Path  # the incident file
    journal: Path  # the sidecar
    text: str  # the file's text with the edits
    bom: bool
    disk_sha256: str  # the file's content the edits were made on
    history: History  # the undo and redo stacks as the session had them
    changed_on_disk: bool  # the file is not what the edits were made on (or is gone)
    missing: bool  # the file is gone
    written_at: dt.datetime  # the last edit journaled

    @property
    def labels(self) -> tuple[str, ...]:
        """The edits in effect, oldest first (``Add event 'Flag reverted'``)."""
        return tuple(edit.label for edit in self.history.done)

    def discard(self) -> None:
        self.journal.unlink(missing_ok=True)


def pending_journal(path: str | Path) -> PendingJournal | None:
    """The unsaved edits of ``path`` a session left behind, or None. A journal that ends in
    a torn line (killed mid-write) restores up to it; one whose edits add up to nothing is
    removed."""
    file = journal_path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0])
        base = header["base_text"]
        if header.get("format") != _FORMAT:
            return None
    except (OSError, ValueError, IndexError, KeyError, TypeError):
        return None
    text, history = base, History()
    for line in lines[1:]:
        try:
            entry = json.loads(line)
            edit = Edit.from_json(entry)
            text = (edit.inverse() if entry["op"] == "undo" else edit).apply(text)
            _REPLAY[entry["op"]](history, edit)
        except (ValueError, KeyError, TypeError):
            break  # a torn last line, or a journal that does not fit its base: stop there
    if text == base:
        file.unlink(missing_ok=True)
        return None
    try:
        current = digest(real_path(path).read_bytes())
    except OSError:
        current = None
    return PendingJournal(
        path=Path(path),
        journal=file,
        text=text,
        bom=bool(header.get("bom")),
        disk_sha256=str(header.get("disk_sha256")),
        history=history,
        changed_on_disk=current != header.get("disk_sha256"),
        missing=current is None,
        written_at=dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC),
    )


def discard_journal(path: str | Path) -> None:
    """Forget the unsaved edits a session left behind for ``path``."""
    journal_path(path).unlink(missing_ok=True)


class PendingEditsError(RuntimeError):
    """The file has unsaved edits journaled by a session that ended without saving (a
    crash, a kill): open it with ``restore=True`` or ``restore=False``."""

    def __init__(self, pending: PendingJournal) -> None:
        self.pending = pending
        count = len(pending.labels)
        super().__init__(
            f"{pending.path} has {count} unsaved edit{'s' * (count != 1)} from a session "
            "that did not end: restore them or discard them"
        )


class Journal:
    """The sidecar of one incident file's unsaved edits, written as they happen.

    A write that fails (the state folder is read-only or full) does not stop editing:
    ``problem`` says so (the window shows it), and the next edit tries again.
    """

    def __init__(self, incident: Path) -> None:
        self.file = journal_path(incident)
        self.incident = str(real_path(incident))  # for a person reading the folder
        self.problem: str | None = None
        self._out: TextIO | None = None

    @property
    def active(self) -> bool:
        return self._out is not None

    def record(self, op: str, edit: Edit, *, before: str, disk_sha256: str, bom: bool) -> None:
        """Journal one step (``op``: do, undo or redo) taken from the text ``before``."""
        try:
            if self._out is None:
                self._start(before, disk_sha256, bom)
            self._write({"op": op, **edit.to_json()})
            self.problem = None
        except OSError as exc:
            self.close()
            self.problem = (
                f"cannot write the crash journal {self.file} ({describe_os_error(exc)}); "
                "a crash now would lose the unsaved edits: save them"
            )

    def adopt(self) -> None:
        """Go on appending to a journal that was restored."""
        with contextlib.suppress(OSError):
            self._out = open(self.file, "a", encoding="utf-8")

    def _start(self, base: str, disk_sha256: str, bom: bool) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self._out = open(self.file, "w", encoding="utf-8")
        self._write({"format": _FORMAT, "path": self.incident, "disk_sha256": disk_sha256,
                     "bom": bom, "base_text": base})  # fmt: skip
        _sync_folder(self.file.parent)

    def _write(self, entry: dict) -> None:
        out = self._out
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())

    def close(self) -> None:
        """Stop writing; the sidecar stays (the edits are still unsaved)."""
        if self._out is not None:
            with contextlib.suppress(OSError):
                self._out.close()
            self._out = None

    def remove(self) -> None:
        """The edits were saved or discarded: no sidecar."""
        self.close()
        with contextlib.suppress(OSError):
            self.file.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the new sidecar's name survive a power cut too (POSIX; a no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
