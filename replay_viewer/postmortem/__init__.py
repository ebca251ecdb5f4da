"""The postmortem report's content, pure: an incident, its analysis and its story become a
:class:`ReportDocument` (title block, summary, storyboard, metrics, timeline, actions,
learnings, outcomes), written out as Markdown (``report.md``) and as one self-contained
HTML page (``report.html``). The images and the files are :mod:`replay_viewer.export`'s
(``export --report``)."""

from __future__ import annotations

from .blocks import (
    Bullets,
    Callout,
    Cell,
    Facts,
    Figure,
    Item,
    Paragraph,
    ReportDocument,
    Row,
    Section,
    Table,
)
from .document import CHART_NAME, STORYBOARD_NAME, build_report, worst_moment
from .html_page import data_uri, render_html, stylesheet
from .markdown import escape_markdown, render_markdown
from .sections import signed_clock

__all__ = [
    "CHART_NAME",
    "STORYBOARD_NAME",
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
    "build_report",
    "data_uri",
    "escape_markdown",
    "render_html",
    "render_markdown",
    "signed_clock",
    "stylesheet",
    "worst_moment",
]
