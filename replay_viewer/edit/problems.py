"""What can go wrong while editing, as exceptions whose message a user can act on (the
window shows it as it is; the command line prints it). Unsaved edits a crash left behind
are :class:`~.journal.PendingEditsError`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import OutputError

if TYPE_CHECKING:
    from pathlib import Path

    from ..loader import Diagnostic

__all__ = [
    "DiskChangedError",
    "EditRefusedError",
    "EventNotFoundError",
    "SaveError",
]


class EditRefusedError(ValueError):
    """The edit would make the file invalid (or cannot be made as text); nothing changed.

    ``reasons`` are the loader's messages without their position (``event 3 'until'
    T+01:00 is before its 'at' T+02:00; a span ends after it starts``); ``diagnostics``
    the positioned problems in the text the edit would have written."""

    def __init__(self, reasons: list[str], diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        self.reasons = list(reasons)
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(self.reasons))


class EventNotFoundError(LookupError):
    """The event asked for is no longer in the file (an undo or a reload removed it)."""


class SaveError(OutputError):
    """The file could not be saved; the edits are kept (offer Save As). ``read_only`` is
    set when the file or its folder may not be written."""

    def __init__(
        self, message: str, path: Path, *, read_only: bool = False, reason: str = ""
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.reason = reason or message  # what went wrong, without the window's advice
        super().__init__(message)


class DiskChangedError(OutputError):
    """The file changed on disk since the session read it, and the session holds unsaved
    edits: keep mine and save (``save(overwrite=True)``), reload theirs
    (``reload_theirs()``), or save mine as another file (``save_as(path)``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path} changed on disk since it was opened; keep your edits and save over "
            "it, reload the file from disk (losing your edits), or save yours as another file"
        )
