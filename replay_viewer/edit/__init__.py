"""Editing an incident file: events added, changed, moved, starred and removed in its text
(keeping everything else byte for byte), undo and redo, a crash journal, safe saves.

The window and ``replay-viewer event`` both edit through :class:`EditSession`::

    session = EditSession.open(path)          # PendingEditsError: a crash left edits
    event = session.add(EventFields(at=300, title="Flag reverted", kind="mitigate"))
    event = session.update(event, until=420)  # EditRefusedError: the loader's reason
    session.toggle_star(event); session.undo(); session.redo()
    session.save()                            # DiskChangedError, SaveError: edits kept

Rooms, bottom to top: :mod:`.history` (splices, the undo and redo stacks), :mod:`.problems`
(the errors), :mod:`.layout` (where values are in the text), :mod:`.scalars` (values as
YAML), :mod:`.writer` (the text edits), :mod:`.storage` (the file on disk),
:mod:`.journal` (the crash journal), :mod:`.lookup` and :mod:`.session`.
"""

from __future__ import annotations

from .history import Edit, History, Splice
from .journal import (
    STATE_DIR_ENV,
    PendingEditsError,
    PendingJournal,
    discard_journal,
    pending_journal,
)
from .problems import (
    DiskChangedError,
    EditRefusedError,
    EventNotFoundError,
    SaveError,
)
from .session import EditSession
from .writer import EDITABLE, EventFields

__all__ = [
    "EDITABLE",
    "STATE_DIR_ENV",
    "DiskChangedError",
    "Edit",
    "EditRefusedError",
    "EditSession",
    "EventFields",
    "EventNotFoundError",
    "History",
    "PendingEditsError",
    "PendingJournal",
    "SaveError",
    "Splice",
    "discard_journal",
    "pending_journal",
]
