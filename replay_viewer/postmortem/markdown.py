"""The report as Markdown (CommonMark with GitHub's tables): readable as plain text in a
ticket, rendered by GitHub, GitLab and Confluence's Markdown macro. Users' words are
escaped: ``<script>`` in a title stays text, ``|`` never splits a cell, ``*`` emphasises
nothing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .blocks import Bullets, Callout, Facts, Figure, Paragraph, Table

if TYPE_CHECKING:
    from .blocks import Block, Cell, ReportDocument

__all__ = ["escape_markdown", "render_markdown"]

# Punctuation that means something inline: backslash-escaped wherever it appears
# (CommonMark lets any ASCII punctuation be escaped, and renders the escape as the
# character). ``_`` only where it can open or close emphasis (not inside a word);
# ``&`` only where it would start an entity (``&amp;``).
_ALWAYS = re.compile(r"([\\`*\[\]<>|~])")
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would make a paragraph's first characters a heading, quote, list or rule.
_LINE_START = re.compile(r"^(\d*)([#+=-]|(?<=\d)[.)])")


def escape_markdown(text: str) -> str:
    """``text`` as literal inline Markdown, on one line."""
    text = " ".join(text.split())
    text = _ALWAYS.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub(r"\\&", text)


def _paragraphs(text: str) -> list[str]:
    found = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    return [_LINE_START.sub(r"\1\\\2", escape_markdown(part)) for part in found if part]


def _cell(cell: Cell) -> str:
    text = escape_markdown(cell.text)
    if cell.strong and text:
        text = f"**{text}**"
    note = escape_markdown(cell.note)
    if note:
        text = f"{text} — {note}" if text else note
    return text or " "


def _table(table: Table) -> list[str]:
    widths = {"l": ":---", "r": "---:", "c": ":---:"}
    lines = [f"**{escape_markdown(table.caption)}**", ""] if table.caption else []
    lines.append("| " + " | ".join(escape_markdown(h) or " " for h in table.head) + " |")
    lines.append("|" + "|".join(widths[table.align_of(k)] for k in range(len(table.head))) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row.cells) + " |" for row in table.rows]
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        found = _paragraphs(block.text)
        if block.tone == "muted":
            found = [f"*{text}*" for text in found]
        return [line for text in found for line in (text, "")][:-1]
    if isinstance(block, Facts):
        return [f"- **{escape_markdown(k)}:** {escape_markdown(v)}" for k, v in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Bullets):
        return [f"- **{escape_markdown(i.title)}** — {escape_markdown(i.detail)}"
                if i.detail else f"- {escape_markdown(i.title)}" for i in block.items]  # fmt: skip
    if isinstance(block, Figure):
        # The file name is ours (storyboard.png), never the user's: no escaping needed.
        return [f"![{escape_markdown(block.alt)}]({block.name})", "",
                f"*{escape_markdown(block.caption)}*"]  # fmt: skip
    if isinstance(block, Callout):
        mark = "⚠ " if block.tone == "warning" else ""
        return [f"> **{mark}{escape_markdown(block.title)}**", ">",
                *(f"> - {escape_markdown(item)}" for item in block.items)]  # fmt: skip
    raise TypeError(f"no Markdown for {type(block).__name__}")


def render_markdown(doc: ReportDocument) -> str:
    """``report.md``: the title block, each section, the footer; ends with a newline."""
    lines = [f"# {escape_markdown(doc.title)}", ""]
    if doc.subtitle:
        lines += [f"*{escape_markdown(doc.subtitle)}*", ""]
    lines += [*_block(doc.facts), ""]
    for section in doc.sections:
        lines += [f"## {escape_markdown(section.heading)}", ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    lines += ["---", "", f"*{escape_markdown(doc.footer)}*"]
    return "\n".join(lines) + "\n"
