"""The window's timeline edits, carried out: the open file's :class:`~..edit.EditSession`
(opened at the first edit), each gesture as one edit (one undo step, journaled at once),
saving, and the questions that keep work from being lost (unsaved edits a crash left
behind, the file changed on disk, unsaved edits before quitting or opening another file,
a save that failed).

After every edit the new incident is shown through ``show`` (the session swaps it into the
state and the renderer) and the state's mirror of the session (dirty, undo and redo
labels) is updated, so the GUI functions read plain data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..edit import (
    DiskChangedError,
    EditRefusedError,
    EditSession,
    EventFields,
    EventNotFoundError,
    SaveError,
    pending_journal,
)
from ..loader import IncidentLoadError
from .edit_state import Prompt

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from ..model import Event, Incident
    from .state import AppState

__all__ = ["TimelineEditor"]


class TimelineEditor:
    def __init__(
        self, state: AppState, show: Callable[[Incident], None], *, allow_outside_paths: bool
    ) -> None:
        self.state = state
        self._show = show
        self._allow_outside = allow_outside_paths
        self.session: EditSession | None = None

    # -- the file ---------------------------------------------------------------------------

    def loaded(self, path: Path | None) -> None:
        """A file was opened (or reloaded): edits start afresh; unsaved edits a session
        left behind for it are offered back."""
        if self.session is not None and self.session.path != path:
            self.session.close()
        self.session = None
        self._mirror()
        pending = pending_journal(path) if path is not None else None
        if pending is not None:
            count = len(pending.labels)
            changed = " (the file has changed on disk since)" if pending.changed_on_disk else ""
            detail = (f"{path.name} has {count} unsaved edit{'s' * (count != 1)} from "
                      f"{pending.written_at:%Y-%m-%d %H:%M} UTC{changed}: "
                      + "; ".join(pending.labels[-4:]))  # fmt: skip
            self.state.edits.prompt = Prompt("restore", detail)

    @property
    def dirty(self) -> bool:
        return self.session is not None and self.session.dirty

    def _open(self) -> EditSession | None:
        if self.session is None:
            path = self.state.path
            if path is None:
                self.state.say("This incident is not a file: nothing to edit")
                return None
            try:
                self.session = EditSession.open(
                    path, restore=False, allow_outside_paths=self._allow_outside
                )
            except IncidentLoadError as exc:
                self.state.say(f"Cannot edit {path.name}: {exc.diagnostics[0]}")
                return None
            if self.session.journal_problem:
                self.state.say(f"Edits are not journaled: {self.session.journal_problem}")
        return self.session

    # -- edits --------------------------------------------------------------------------------

    def _edit(self, do: Callable[[EditSession], Any]) -> bool:
        """Run one edit; a refused one says why (in the editor when it is open) and changes
        nothing. True when it was made."""
        session = self._open()
        if session is None:
            return False
        editor = self.state.edits.editor
        try:
            result = do(session)
        except EditRefusedError as exc:
            message = f"Not changed: {'; '.join(exc.reasons)}"
            if editor.open:
                editor.error = message
            else:
                self.state.say(message)
            return False
        except EventNotFoundError:
            self.state.say("That event is no longer in the file")
            return False
        self.state.edits.selected = result if _is_event(result) else None
        self._changed(session)
        return True

    def add(self, fields: EventFields) -> bool:
        return self._edit(lambda session: session.add(fields))

    def change(self, event: Event, **changes: Any) -> bool:
        return self._edit(lambda session: session.update(event, **changes))

    def move(self, event: Event, at: float) -> bool:
        return self._edit(lambda session: session.move(event, at))

    def remove(self, event: Event) -> bool:
        return self._edit(lambda session: session.remove(event))

    def star(self, event: Event) -> bool:
        return self._edit(lambda session: session.toggle_star(event))

    def undo(self) -> None:
        self._step("undo")

    def redo(self) -> None:
        self._step("redo")

    def _step(self, which: str) -> None:
        session = self.session
        label = getattr(session, which)() if session is not None else None
        if label is None:
            self.state.say(f"Nothing to {which}")
            return
        self.state.say(f"{which.capitalize()}: {label}")
        self._changed(session)

    def _changed(self, session: EditSession) -> None:
        self._show(session.incident)
        self._mirror()

    def _mirror(self) -> None:
        edits, session = self.state.edits, self.session
        edits.dirty = session is not None and session.dirty
        edits.undo_label = session.undo_label if session is not None else None
        edits.redo_label = session.redo_label if session is not None else None

    # -- saving -------------------------------------------------------------------------------

    def save(self, *, overwrite: bool = False) -> bool:
        """Ctrl+S. The file changed on disk → ask (keep mine / reload theirs / save as);
        read-only or a full disk → say so and offer Save As, the edits kept."""
        session = self.session
        if session is None or (not session.dirty and not overwrite):
            self.state.say("No unsaved edits")
            return True
        try:
            session.save(overwrite=overwrite)
        except DiskChangedError:
            self.state.edits.prompt = Prompt("conflict", f"{session.path.name} changed on disk")
            return False
        except SaveError as exc:
            self.state.edits.prompt = Prompt("save_failed", str(exc),
                                             path=str(_beside(session.path)))  # fmt: skip
            return False
        self.state.say(f"Saved {session.path}")
        self._mirror()
        return True

    def save_as(self, path: Path) -> bool:
        session = self._open()
        if session is None:
            return False
        try:
            session.save_as(path)
        except SaveError as exc:
            self.state.edits.prompt = Prompt("save_failed", str(exc), path=str(path))
            return False
        self.state.path = session.path
        self.state.say(f"Saved as {session.path}")
        self._mirror()
        return True

    def reload_theirs(self) -> bool:
        session = self.session
        if session is None:
            return True
        try:
            session.reload_theirs()
        except IncidentLoadError as exc:
            self.state.say(f"The file on disk does not load: {exc.diagnostics[0]}")
            return False
        self._changed(session)
        return True

    def restore(self, keep: bool) -> None:
        """Answer the restore question: bring back the unsaved edits, or discard them."""
        path = self.state.path
        if path is None:
            return
        try:
            self.session = EditSession.open(path, restore=keep,
                                            allow_outside_paths=self._allow_outside)  # fmt: skip
        except IncidentLoadError as exc:
            self.state.say(f"The unsaved edits do not load: {exc.diagnostics[0]}")
            return
        if keep:
            self.state.say(f"Restored {len(self.session.history.done)} unsaved edit(s)")
            self._changed(self.session)
        self._mirror()

    def close(self) -> None:
        """The window closes: unsaved edits stay journaled for the next open."""
        if self.session is not None:
            self.session.close()


def _is_event(value: object) -> bool:
    return hasattr(value, "at") and hasattr(value, "title")


def _beside(path: Path) -> Path:
    """Where Save As proposes to write: beside the file, ``NAME-edited.yaml``."""
    return path.with_name(f"{path.stem}-edited{path.suffix}")
