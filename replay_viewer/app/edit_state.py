"""The window's timeline editing, as plain data: the inline event editor's fields, a glyph
being dragged, the event selected for Delete and ``*``, and the question the window is
asking (restore unsaved edits, the file changed on disk, unsaved edits before quitting or
opening another file, a save that failed). Pure Python: the GUI fills and reads these; the
session (:mod:`.timeline_edit`) carries them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..model import EVENT_KINDS
from ..timecode import TimecodeError, format_timecode, parse_timecode

if TYPE_CHECKING:
    from ..model import Event, EventKind

__all__ = ["ANSWERS", "EditorFields", "EventDrag", "EventEditor", "Prompt", "TimelineEdits"]

PromptKind = Literal["", "restore", "conflict", "unsaved", "save_failed", "save_as"]

# The answers each question offers (choice, button label), as the GUI shows them; the
# session carries them out (Session.answer). Unsaved edits are never dropped without the
# user saying so, and a file changed on disk is never overwritten without "keep mine".
ANSWERS = {
    "restore": (("restore", "Restore them"), ("discard", "Discard them")),
    "conflict": (
        ("mine", "Keep mine and save"),
        ("theirs", "Reload theirs"),
        ("save_as", "Save mine as…"),
    ),
    "unsaved": (("save", "Save"), ("discard", "Discard my edits"), ("cancel", "Cancel")),
    "save_failed": (("save_as", "Save as"), ("cancel", "Keep editing")),
    "save_as": (("save_as", "Save"), ("cancel", "Cancel")),
}
DragKind = Literal["move", "until", "create"]


@dataclass
class EditorFields:
    """What the inline editor's fields hold (times as the user types them)."""

    at: str = ""
    kind: EventKind = "note"
    title: str = ""
    detail: str = ""
    until: str = ""  # empty: a point in time, not a span
    star: bool = False

    @classmethod
    def of(cls, event: Event) -> EditorFields:
        until = "" if event.until is None else format_timecode(event.until, decimals=_decimals(
            event.until))  # fmt: skip
        return cls(format_timecode(event.at, decimals=_decimals(event.at)), event.kind,
                   event.title, event.detail, until, event.star)  # fmt: skip

    def parsed(self) -> dict:
        """The fields as an edit's values: ``at``, ``until`` (seconds or None), ``kind``,
        ``title``, ``detail``, ``star``; raises ValueError saying which field is wrong."""
        try:
            at = parse_timecode(self.at)
        except TimecodeError as exc:
            raise ValueError(f"time: {exc}") from None
        until = None
        if self.until.strip():
            try:
                until = parse_timecode(self.until)
            except TimecodeError as exc:
                raise ValueError(f"until: {exc}") from None
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(EVENT_KINDS)}")
        return {"at": at, "until": until, "kind": self.kind, "title": self.title.strip(),
                "detail": self.detail.strip(), "star": self.star}  # fmt: skip


def _decimals(seconds: float) -> int:
    return 0 if float(seconds).is_integer() else 3


@dataclass
class EventEditor:
    """The inline editor: adding an event (at the playhead, or a span dragged out with Alt)
    or editing ``event``; ``error`` is why the last confirm was refused."""

    open: bool = False
    event: Event | None = None  # the event being edited; None: a new one
    fields: EditorFields = field(default_factory=EditorFields)
    error: str = ""
    # Frames until the title field takes the keyboard: not on the first, whose queued
    # characters still hold the key that opened the editor (E would be typed into it).
    focus: int = 0

    def start_add(self, at: float, *, until: float | None = None) -> None:
        until_text = "" if until is None else format_timecode(until, decimals=_decimals(until))
        self.open, self.event, self.error, self.focus = True, None, "", 2
        self.fields = EditorFields(format_timecode(at, decimals=_decimals(at)), "note", "",
                                   "", until_text)  # fmt: skip

    def start_edit(self, event: Event) -> None:
        self.open, self.event, self.error, self.focus = True, event, "", 2
        self.fields = EditorFields.of(event)

    def close(self) -> None:
        self.open, self.event, self.error = False, None, ""


@dataclass
class EventDrag:
    """A glyph (or a span's end) being dragged on the event lane, or a span being dragged
    out with Alt: where it began and where it is now (times)."""

    kind: DragKind
    event: Event | None
    start: float
    now: float
    snap: bool = False  # Shift: to the nearest sample time


@dataclass
class Prompt:
    """A question the window asks before going on: ``kind`` says which, ``detail`` what it
    is about, ``then`` what to do after an answer that lets it go on ("quit", "open",
    "reload")."""

    kind: PromptKind = ""
    detail: str = ""
    then: str = ""
    path: str = ""  # the file to open next; the Save As field's text


@dataclass
class TimelineEdits:
    """Everything the window's timeline editing shows: the editor, a drag, the selected
    event, the question asked, and the session's flags (mirrored after every edit)."""

    editor: EventEditor = field(default_factory=EventEditor)
    drag: EventDrag | None = None
    selected: Event | None = None
    menu_at: float = 0.0  # where the chart's right-click menu was opened (a time)
    prompt: Prompt = field(default_factory=Prompt)
    dirty: bool = False
    undo_label: str | None = None
    redo_label: str | None = None
