"""Edits as text splices, and the undo/redo stacks.

Every edit of an incident file is one :class:`Splice`: at ``start``, the text ``old`` becomes
``new``. Its inverse swaps the two, so undoing and redoing give back the identical text, and
an :class:`Edit` (a splice and the words for it) is plain data: the crash journal writes it
as JSON and the window names it in Edit ▸ Undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Edit", "History", "Splice", "splice_covering"]


@dataclass(frozen=True)
class Splice:
    """``old`` at ``start`` becomes ``new``."""

    start: int
    old: str
    new: str

    def apply(self, text: str) -> str:
        end = self.start + len(self.old)
        if text[self.start : end] != self.old:
            raise ValueError(f"the text at {self.start} is not what this edit replaces")
        return text[: self.start] + self.new + text[end:]

    def inverse(self) -> Splice:
        return Splice(self.start, self.new, self.old)


def splice_covering(text: str, replacements: Iterable[tuple[int, int, str]]) -> Splice:
    """One splice doing all ``(start, end, new)`` replacements of ``text`` (they must not
    overlap): the region from the first to the last, rewritten."""
    ordered = sorted(replacements)
    if not ordered:
        return Splice(0, "", "")
    low, high = ordered[0][0], max(end for _, end, _ in ordered)
    parts, at = [], low
    for start, end, new in ordered:
        if start < at:
            raise ValueError("overlapping replacements")
        parts += [text[at:start], new]
        at = end
    parts.append(text[at:high])
    return Splice(low, text[low:high], "".join(parts))


@dataclass(frozen=True)
class Edit:
    """One user's edit: what it does to the text, and its name (``Add event 'Flag
    reverted'``)."""

    label: str
    splice: Splice

    def apply(self, text: str) -> str:
        return self.splice.apply(text)

    def inverse(self) -> Edit:
        return Edit(self.label, self.splice.inverse())

    def to_json(self) -> dict:
        splice = self.splice
        return {"label": self.label, "at": splice.start, "old": splice.old, "new": splice.new}

    @classmethod
    def from_json(cls, data: dict) -> Edit:
        return cls(str(data["label"]), Splice(int(data["at"]), str(data["old"]), str(data["new"])))


@dataclass
class History:
    """The undo and redo stacks (most recent last)."""

    done: list[Edit] = field(default_factory=list)
    undone: list[Edit] = field(default_factory=list)

    def did(self, edit: Edit) -> None:
        self.done.append(edit)
        self.undone.clear()

    def undid(self, edit: Edit) -> None:
        if self.done and self.done[-1] == edit:
            self.done.pop()
        self.undone.append(edit)

    def redid(self, edit: Edit) -> None:
        if self.undone and self.undone[-1] == edit:
            self.undone.pop()
        self.done.append(edit)

    def clear(self) -> None:
        self.done.clear()
        self.undone.clear()
