"""The report as one self-contained HTML page: the stylesheet inline, every image a
``data:`` URI, no script and no external request, so the file can be attached to a ticket,
opened offline, printed to clean A4 pages (``report.css``'s print rules) or pasted into
Confluence or Google Docs. The markup carries the meaning on its own (headings, tables
with ``th``/``td``, lists, figures with captions): a paste that drops the stylesheet keeps
the structure. Every text is escaped."""

from __future__ import annotations

import base64
import functools
import html
import importlib.resources
import re
from typing import TYPE_CHECKING

from .._version import __version__
from .blocks import Bullets, Callout, Facts, Figure, Paragraph, Table

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .blocks import Block, Cell, ReportDocument, Row

__all__ = ["data_uri", "render_html", "stylesheet"]


@functools.cache
def stylesheet() -> str:
    """``report.css``: the page on screen and the A4 print rules."""
    return importlib.resources.files(__package__).joinpath("report.css").read_text("utf-8")


def _e(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=True)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _cell(cell: Cell, align: str) -> str:
    text = _e(cell.text)
    if cell.note:
        text += ("<br>" if text else "") + f"<small>{_e(cell.note)}</small>"
    classes = {"r": ' class="num"', "c": ' class="mid"'}.get(align, "")
    if cell.strong:
        return f'<th scope="row"{classes}>{text}</th>'
    return f"<td{classes}>{text}</td>"


def _row(row: Row, table: Table) -> str:
    classes = " ".join(name for name, on in (("warn", row.warn), ("star", row.star)) if on)
    cells = "".join(_cell(c, table.align_of(k)) for k, c in enumerate(row.cells))
    return f'<tr class="{classes}">{cells}</tr>' if classes else f"<tr>{cells}</tr>"


def _head(text: str, align: str) -> str:
    classes = ' class="num"' if align == "r" else ""
    return f'<th scope="col"{classes}>{_e(text)}</th>'


def _table(table: Table) -> str:
    head = "".join(_head(text, table.align_of(k)) for k, text in enumerate(table.head))
    caption = f"<caption>{_e(table.caption)}</caption>" if table.caption else ""
    name = f' class="{_e(table.name)}"' if table.name else ""
    rows = "\n".join(_row(row, table) for row in table.rows)
    return (f"<table{name}>{caption}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n"
            "</tbody></table>")  # fmt: skip


def _facts(facts: Facts) -> str:
    rows = []
    for label, value in facts.items:
        shown = _e(value)
        if label == "Severity":  # a badge, as the chart's header shows it
            shown = f'<span class="severity">{shown}</span>'
        rows.append(f'<tr><th scope="row">{_e(label)}</th><td>{shown}</td></tr>')
    return f'<table class="facts"><tbody>{"".join(rows)}</tbody></table>'


def _paragraphs(block: Paragraph) -> str:
    tone = f' class="{block.tone}"' if block.tone else ""
    parts = [part for part in re.split(r"\n\s*\n", block.text) if part.strip()]
    return "\n".join(f"<p{tone}>{_e(part)}</p>" for part in parts)


def _block(block: Block, images: Mapping[str, bytes]) -> str:
    if isinstance(block, Paragraph):
        return _paragraphs(block)
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Bullets):
        items = "".join(
            f"<li><strong>{_e(i.title)}</strong><br>{_e(i.detail)}</li>" if i.detail
            else f"<li>{_e(i.title)}</li>" for i in block.items)  # fmt: skip
        return f"<ul>{items}</ul>"
    if isinstance(block, Figure):
        if block.name not in images:
            raise ValueError(f"the report's figure {block.name} has no image to embed")
        width, height = block.size
        return (f'<figure><img src="{data_uri(images[block.name])}" alt="{_e(block.alt)}" '
                f'width="{width}" height="{height}">'
                f"<figcaption>{_e(block.caption)}</figcaption></figure>")  # fmt: skip
    if isinstance(block, Callout):
        mark = "⚠ " if block.tone == "warning" else ""
        items = "".join(f"<li>{_e(item)}</li>" for item in block.items)
        return (f'<aside class="callout {block.tone}"><p><strong>{mark}{_e(block.title)}'
                f"</strong></p><ul>{items}</ul></aside>")  # fmt: skip
    raise TypeError(f"no HTML for {type(block).__name__}")


def render_html(doc: ReportDocument, images: Mapping[str, bytes]) -> str:
    """``report.html``: the whole report in one file; ``images`` are the figures' PNG
    bytes by name (each embedded as a ``data:`` URI)."""
    subtitle = f'<p class="subtitle">{_e(doc.subtitle)}</p>\n' if doc.subtitle else ""
    sections = "\n".join(
        f'<section id="{_e(s.anchor)}" class="{_e(s.anchor)}">\n<h2>{_e(s.heading)}</h2>\n'
        + "\n".join(_block(block, images) for block in s.blocks)
        + "\n</section>"
        for s in doc.sections
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="replay-viewer {_e(__version__)}">
<title>Postmortem: {_e(doc.title)}</title>
<style>
{stylesheet()}</style>
</head>
<body>
<article class="report">
<header>
<p class="kicker">Postmortem</p>
<h1>{_e(doc.title)}</h1>
{subtitle}{_block(doc.facts, images)}
</header>
{sections}
<footer><p>{_e(doc.footer)}</p></footer>
</article>
</body>
</html>
"""
