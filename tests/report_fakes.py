"""Shared by the report tests: figures drawn without a GPU (a storyboard in colours no
other part of the page uses, so a screenshot can find it), an HTML reader that collects
tags and tables, and a Markdown table reader."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np

# The fake storyboard: a 2 × 2 checker of these two colours (nothing else on the page is
# pure magenta or pure green).
MAGENTA = (255, 0, 255)
GREEN = (0, 200, 0)
STORYBOARD_SIZE = (1200, 600)  # width, height
CHART_SIZE = (640, 360)


def checker(size: tuple[int, int], first, second) -> np.ndarray:
    width, height = size
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    pixels[..., :3] = first
    pixels[: height // 2, width // 2 :, :3] = second
    pixels[height // 2 :, : width // 2, :3] = second
    return pixels


class FakeImages:
    """:class:`replay_viewer.export.ReportImages` without a GPU; records what it was
    asked."""

    def __init__(self, *, theme: str = "dark", chart: bool = True) -> None:
        self.theme = theme
        self.with_chart = chart
        self.asked: list[tuple] = []

    def storyboard(self, incident, plan):
        self.asked.append(("storyboard", plan.times))
        return checker(STORYBOARD_SIZE, MAGENTA, GREEN)

    def chart(self, incident, t):
        self.asked.append(("chart", t))
        return checker(CHART_SIZE, (20, 30, 40), (200, 210, 220)) if self.with_chart else None


class PageReader(HTMLParser):
    """Every start tag with its attributes, and each table as rows of (tag, text) cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[dict] = []
        self._cell: list | None = None
        self._part = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table":
            self.tables.append({"class": attributes.get("class", ""), "head": [], "body": []})
        elif tag in ("thead", "tbody"):
            self._part = "head" if tag == "thead" else "body"
        elif tag == "tr" and self.tables:
            self.tables[-1][self._part].append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = [tag, attributes, ""]
            self.tables[-1][self._part][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data


def read_page(text: str) -> PageReader:
    reader = PageReader()
    reader.feed(text)
    reader.close()
    return reader


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each GitHub-style table of ``text`` as rows of cells (split on unescaped ``|``)."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables
