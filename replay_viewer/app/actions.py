"""What the GUI may ask of the app beyond changing :class:`~.state.AppState`.

GUI functions receive an object with these methods (the window in the app; a recorder in
the tests), so no GUI function holds the window or reaches into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Actions"]


class Actions(Protocol):
    def open_file(self, path: Path) -> bool:
        """Load ``path`` and show it; on failure keep the current incident, show why, and
        return False."""

    def reload(self) -> None:
        """Load the open file again (or retry the one that failed)."""

    def export_frame(self) -> None:
        """Export the current frame as PNG at the export size."""

    def start_sequence_export(self) -> None:
        """Start the sequence export the dialog describes."""

    def start_animation_export(self) -> None:
        """Start the GIF/MP4 export the dialog describes."""

    def export_story(self, kind: str) -> None:
        """Write the ``storyboard`` or the ``report`` into the dialog's folder."""

    def forget_recent(self, path: Path) -> None:
        """Drop ``path`` from File ▸ Recent."""

    def open_folder(self, folder: Path) -> None:
        """Show ``folder`` in the system's file manager."""

    def quit(self) -> None:
        """Close the window (with unsaved edits, after asking)."""

    def edit_event(self, what: str, *args: Any, **changes: Any) -> bool:
        """One timeline edit, one undo step: ``add`` (an EventFields), ``change`` (event,
        **changes), ``move`` (event, at), ``remove`` or ``star`` (event), ``undo``,
        ``redo``. False when it was refused (the editor or the status says why)."""

    def save(self, *, overwrite: bool = False) -> bool:
        """Save the edits into the file (asking when it changed on disk)."""

    def save_as(self, path: Path) -> bool:
        """Save the edits as another file, which the window then shows."""

    def answer(self, choice: str) -> None:
        """Answer the question the window asked (``state.edits.prompt``)."""
