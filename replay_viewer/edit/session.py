"""An incident file open for editing: the text, the incident it loads as, the undo and
redo stacks, the crash journal and the file on disk.

Each edit is made on the text (:mod:`.writer`), checked by the loader (a refused edit
changes nothing and says why), journaled, and only then shown: ``session.incident`` is
always the loader's reading of ``session.text``. The model stays immutable; an edit makes
a new one, re-using the series' arrays (the data files are not read again while they are
unchanged), so a gesture costs a parse of the YAML text, not of the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..loader import DataCache, IncidentLoadError, parse_incident
from ..loader.source import incident_id_for
from .check import checked
from .history import Edit, History
from .journal import Journal, PendingEditsError, PendingJournal, pending_journal
from .lookup import event_starting_at, find_event, insertion_index, named
from .problems import (
    DiskChangedError,
    SaveError,
)
from .storage import OnDisk, digest, read_file, real_path, stamp, write_file
from .writer import EventFields, EventWriter

if TYPE_CHECKING:
    from ..model import Event, Incident
    from .layout import Layout

__all__ = ["EditSession"]


class EditSession:
    """One incident file being edited (see the module docstring). Open one with
    :meth:`open`; address events by the :class:`~replay_viewer.model.Event` objects of
    ``session.incident`` (their ``line``/``column`` say where they are in the text; an
    event held from before an edit is found again by its content)."""

    def __init__(
        self, path: Path, text: str, incident: Incident, *, bom: bool, known: OnDisk | None,
        cache: DataCache, allow_outside_paths: bool, journal: Journal | None,
    ) -> None:  # fmt: skip
        self.path = path
        self.text = text
        self.incident = incident
        self.history = History()
        self._bom = bom
        self._known = known  # the file on disk as this session last read or wrote it
        self._saved_text = known.text if known is not None else None
        self._cache = cache
        self._allow_outside = allow_outside_paths
        self._journal = journal
        self._layout: Layout | None = None  # of ``text``, kept from the check of the last edit

    @classmethod
    def open(
        cls, path: str | Path, *, restore: bool | None = None, journal: bool = True,
        allow_outside_paths: bool = False,
    ) -> EditSession:  # fmt: skip
        """Open ``path`` for editing.

        When a session left unsaved edits of this file behind (:func:`pending_journal`),
        ``restore=True`` opens them, ``restore=False`` discards them, and the default
        raises :class:`PendingEditsError` (ask the user). ``journal=False`` (the command
        line) keeps no crash journal.

        Raises
        ------
        IncidentLoadError
            The file (or the restored text) does not load.
        """
        path = Path(path)
        pending = pending_journal(path) if journal else None
        if pending is not None and restore is None:
            raise PendingEditsError(pending)
        if pending is not None and not restore:
            pending.discard()
            pending = None
        keeper = Journal(path) if journal else None
        options = {"cache": DataCache(), "allow_outside_paths": allow_outside_paths}
        if pending is not None:
            return cls._restored(path, pending, keeper, **options)
        disk = read_file(path)
        incident = cls._load(disk.text, path, options["cache"], allow_outside_paths)
        return cls(path, disk.text, incident, bom=disk.bom, known=disk, journal=keeper,
                   **options)  # fmt: skip

    @classmethod
    def _restored(
        cls, path: Path, pending: PendingJournal, keeper: Journal, **options: Any
    ) -> EditSession:
        incident = cls._load(pending.text, path, options["cache"], options["allow_outside_paths"])
        try:
            disk = None if pending.changed_on_disk else read_file(path)
        except IncidentLoadError:
            disk = None
        if disk is None:  # the edits were made on a version of the file that is gone
            disk = OnDisk("", pending.bom, pending.disk_sha256, None)
        session = cls(path, pending.text, incident, bom=pending.bom, known=disk, journal=keeper,
                      **options)  # fmt: skip
        if pending.changed_on_disk:
            session._saved_text = None
        session.history = pending.history
        keeper.adopt()
        return session

    @staticmethod
    def _load(text: str, path: Path, cache: DataCache, allow_outside: bool) -> Incident:
        return parse_incident(
            text, path=str(path), incident_id=incident_id_for(path),
            allow_outside_paths=allow_outside, data_cache=cache,
        )  # fmt: skip

    # -- state --------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Edits not yet in the file (undoing back to the saved text makes it clean)."""
        return self._saved_text is None or self.text != self._saved_text

    @property
    def can_undo(self) -> bool:
        return bool(self.history.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.history.undone)

    @property
    def undo_label(self) -> str | None:
        """What Undo would undo (``Add event 'Flag reverted'``)."""
        return self.history.done[-1].label if self.history.done else None

    @property
    def redo_label(self) -> str | None:
        return self.history.undone[-1].label if self.history.undone else None

    @property
    def journal_problem(self) -> str | None:
        """Why the crash journal cannot be written (show it), or None."""
        return self._journal.problem if self._journal is not None else None

    # -- events -------------------------------------------------------------------------

    def find(self, event: Event) -> Event:
        """``event`` as it is in the file now: at its place when it is still there, else
        the one event saying the same. Raises :class:`EventNotFoundError` when it is gone
        (an undo, a reload) or there more than once."""
        return find_event(self.incident, event)

    def add(self, fields: EventFields | Event, *, label: str | None = None) -> Event:
        """Add an event; returns it as loaded (with its ``line``). Where the file lists
        its events in time order, it goes in that order; else at the end.

        Raises
        ------
        EditRefusedError
            The file would not load with it (``until`` before ``at``, an empty title, an
            unknown kind …); ``reasons`` has the loader's words.
        """
        fields = EventFields.of(fields)
        writer = self._writer()
        splice, anchor = writer.add(
            fields, insertion_index(self.incident, writer.items(), fields.at)
        )
        self._do(Edit(label or f"Add event {named(fields)}", splice))
        return event_starting_at(self.incident, self.text, anchor)

    def update(self, event: Event, *, label: str | None = None, **changes: Any) -> Event:
        """Change an event's ``at``, ``title``, ``detail``, ``kind``, ``until`` or
        ``star`` (``detail=""``, ``until=None`` and ``star=False`` take the key out);
        returns the event as changed. Raises :class:`EditRefusedError` as :meth:`add`."""
        current = self.find(event)
        fields = EventFields.of(current).changed(**changes)
        before = EventFields.of(current)
        diff = {key: getattr(fields, key) for key in changes
                if getattr(fields, key) != getattr(before, key)}  # fmt: skip
        if not diff:
            return current
        writer = self._writer()
        item = writer.item_at(current.line, current.column)
        splice = writer.update(item, diff)
        if splice.old == splice.new:
            return current
        self._do(Edit(label or f"Edit event {named(current)}", splice))
        return event_starting_at(self.incident, self.text, item.start_mark.index)

    def move(self, event: Event, at: float) -> Event:
        """Move an event to ``at``; a span keeps its length."""
        current = self.find(event)
        changes: dict[str, Any] = {"at": at}
        if current.until is not None:
            changes["until"] = current.until + (at - current.at)
        return self.update(current, label=f"Move event {named(current)}", **changes)

    def toggle_star(self, event: Event) -> Event:
        current = self.find(event)
        verb = "Unstar" if current.star else "Star"
        return self.update(current, label=f"{verb} event {named(current)}",
                           star=not current.star)  # fmt: skip

    def remove(self, event: Event) -> None:
        current = self.find(event)
        writer = self._writer()
        splice = writer.remove(writer.item_at(current.line, current.column))
        self._do(Edit(f"Remove event {named(current)}", splice))

    def _writer(self) -> EventWriter:
        """A writer for the text as it is (its layout read once per version)."""
        layout = self._layout if self._layout is not None and self._layout.text is self.text \
            else None  # fmt: skip
        writer = EventWriter(self.text, layout)
        self._layout = writer.layout
        return writer

    # -- undo and redo --------------------------------------------------------------------

    def undo(self) -> str | None:
        """Undo the last edit; returns what it was (None when there was none)."""
        if not self.history.done:
            return None
        edit = self.history.done[-1]
        self._step(edit, "undo")
        self.history.undid(edit)
        return edit.label

    def redo(self) -> str | None:
        if not self.history.undone:
            return None
        edit = self.history.undone[-1]
        self._step(edit, "redo")
        self.history.redid(edit)
        return edit.label

    def _do(self, edit: Edit) -> None:
        self._step(edit, "do")
        self.history.did(edit)

    def _step(self, edit: Edit, op: str) -> None:
        """Apply one step, check it with the loader, then journal it."""
        before = self.text
        after = (edit.inverse() if op == "undo" else edit).apply(before)
        incident, layout = checked(
            self.incident, self._writer().layout, after, edit.splice.start, path=str(self.path),
            load=lambda text: self._load(text, self.path, self._cache, self._allow_outside),
        )  # fmt: skip
        self.text, self.incident, self._layout = after, incident, layout
        if self._journal is None:
            return
        if not self.dirty:
            self._journal.remove()
        else:
            known = self._known
            self._journal.record(op, edit, before=before, bom=self._bom,
                                 disk_sha256=known.sha256 if known else "")  # fmt: skip

    # -- the file on disk ---------------------------------------------------------------

    def disk_changed(self) -> bool:
        """Whether the file on disk is no longer what this session read or wrote (its
        content, by SHA-256; a touch that changes nothing is not a change)."""
        known, now = self._known, stamp(real_path(self.path))
        if known is None or now is None:
            return True
        if now == known.stamp:
            return False
        try:
            changed = digest(real_path(self.path).read_bytes()) != known.sha256
        except OSError:
            return True
        if not changed:
            self._known = OnDisk(known.text, known.bom, known.sha256, now)
        return changed

    def save(self, *, overwrite: bool = False) -> None:
        """Write the edits into the file (atomically) and drop the journal.

        Raises
        ------
        DiskChangedError
            The file changed on disk since it was read, unless ``overwrite`` ("keep mine").
        SaveError
            A read-only file, a full disk …: nothing was written, the edits are kept.
        """
        if not overwrite and self.disk_changed():
            raise DiskChangedError(self.path)
        if not self.dirty and not overwrite:
            return
        self._saved(write_file(real_path(self.path), self.text, bom=self._bom))

    def save_as(self, path: str | Path) -> None:
        """Write the text to another file, which this session then edits (the file it came
        from stays as it is on disk). Raises :class:`SaveError` (also when the incident
        would not load from there: its data files are relative to its folder)."""
        path = Path(path)
        try:
            incident = self._load(self.text, path, self._cache, self._allow_outside)
        except IncidentLoadError as exc:
            raise SaveError(f"cannot save as {path}: it would not load from there:\n{exc}",
                            path) from None  # fmt: skip
        disk = write_file(real_path(path), self.text, bom=self._bom)
        if self._journal is not None:
            self._journal.remove()
            self._journal = Journal(path)
        self.path, self.incident = path, incident
        self._saved(disk)

    def reload_theirs(self) -> None:
        """Drop the unsaved edits and the undo history: the file as it is on disk now.
        Raises :class:`IncidentLoadError` (nothing changed) when that does not load."""
        disk = read_file(self.path)
        incident = self._load(disk.text, self.path, self._cache, self._allow_outside)
        self.text, self.incident, self._bom = disk.text, incident, disk.bom
        self.history.clear()
        self._saved(disk)

    discard = reload_theirs  # "discard my edits" and "reload theirs" do the same

    def close(self) -> None:
        """Stop journaling; unsaved edits stay in the journal (offered at the next open)."""
        if self._journal is not None:
            if self.dirty:
                self._journal.close()
            else:
                self._journal.remove()

    def _saved(self, disk: OnDisk) -> None:
        self._known, self._saved_text = disk, disk.text
        if self._journal is not None:
            self._journal.remove()
