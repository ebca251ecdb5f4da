"""The report's building blocks: plain, frozen data that the markdown and HTML writers lay
out. Every text is the user's or the analysis' words as they are (never escaped here):
each writer escapes for its own format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Block",
    "Bullets",
    "Callout",
    "Cell",
    "Facts",
    "Figure",
    "Item",
    "Paragraph",
    "ReportDocument",
    "Row",
    "Section",
    "Table",
]


@dataclass(frozen=True)
class Paragraph:
    text: str
    tone: Literal["", "lead", "muted"] = ""  # lead: the summary; muted: a note under a table


@dataclass(frozen=True)
class Facts:
    """Label and value pairs (severity, started, duration, role, stack …)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, an optional second line (an event's detail) and whether the
    text is the row's name (bold)."""

    text: str
    note: str = ""
    strong: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    warn: bool = False  # the data contradicts this row's declaration
    star: bool = False  # a starred event


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``align`` per column: "l" text, "r" numbers and times."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[Row, ...]
    align: tuple[str, ...] = ()
    name: str = ""  # a class the HTML's stylesheet sizes columns by ("timeline", …)

    def align_of(self, column: int) -> str:
        return self.align[column] if column < len(self.align) else "l"


@dataclass(frozen=True)
class Item:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Figure:
    """An image written beside the report (``name`` in its folder), its size in pixels."""

    name: str
    alt: str
    caption: str
    size: tuple[int, int]


@dataclass(frozen=True)
class Callout:
    """A boxed list: warnings the data raises, or notes about how the story was told."""

    title: str
    items: tuple[str, ...]
    tone: Literal["warning", "note"] = "warning"


Block = Paragraph | Facts | Table | Bullets | Figure | Callout


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str  # the HTML id, also the section's class
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportDocument:
    """The whole report: the title block, then the sections in order, then the footer."""

    title: str
    subtitle: str
    facts: Facts
    sections: tuple[Section, ...]
    footer: str
    figures: tuple[Figure, ...] = field(default=())  # every figure, in order

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)
