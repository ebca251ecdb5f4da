"""Where a storyboard's parts go: the header, the metrics strip and a grid of 2–4 columns
of equal cells, each a caption over a small chart. Pure (no GPU, no fonts): the sizes are
logical points, the panels' pixel rectangles are integers of the figure's pixels, and the
tests check them directly.

The columns are chosen for the panels' shape: each candidate grid (2, 3 or 4 columns) is
scored by the largest chart of a readable aspect (between ``MIN_ASPECT`` and
``MAX_ASPECT`` wide) that fits its cells, and the best wins, fewer columns on a near tie.
On a 1920×1080 slide that gives 2 columns up to 4 panels, 3 up to 9 and 4 beyond; an A4
page in portrait takes 2 up to 8 and 3 beyond.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import UsageError
from ..options import parse_size

__all__ = [
    "SIZE_PRESETS",
    "Box",
    "Slot",
    "StoryboardLayout",
    "caption_height",
    "grid_columns",
    "panel_zoom",
    "parse_storyboard_size",
    "shared_view",
    "storyboard_layout",
]

# --size presets, in points: a 16:9 slide, and A4 portrait at 150 dpi (--scale 2: 300 dpi).
SIZE_PRESETS = {"slide": (1920, 1080), "a4": (1240, 1754)}
DEFAULT_SIZE = "slide"

# In points at text unit 1 (a figure of about 1920×1080's area); see ``text_unit``.
MARGIN_PT = 32.0
HEADER_PT = 100.0  # title and severity, the facts line, what the panels show
METRICS_PT = 92.0  # label, value and note of each headline number
GAP_X_PT = 24.0
GAP_Y_PT = 22.0
CAPTION_PT = 98.0  # heading, title, a line of detail, the note…
DETAIL_LINE_PT = 19.0  # …and a second line of detail where the charts keep their shape
MIN_ASPECT, MAX_ASPECT = 1.3, 3.0  # a chart's readable width : height
# Small panels draw their chart zoomed (a pixel ratio over the figure's, up to this), so
# its labels stay readable: the chart's text shrinks with its width below ZOOM_FROM_PT.
MAX_ZOOM, ZOOM_FROM_PT = 1.4, 1200.0
MIN_PANEL_PT = (200, 110)  # a chart smaller than this is refused: the size is too small
NEAR_TIE = 0.92  # a grid with more columns must score this much better… (fewer win ties)
FULL_VIEW_SHARE = 0.7  # moments spread over more of the incident than this: show it all


@dataclass(frozen=True)
class Box:
    """A rectangle in points: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Slot:
    """One cell of the grid: its caption above its chart. ``origin_px`` is where the
    chart's pixels go in the figure (all charts share ``StoryboardLayout.panel_px``)."""

    index: int
    row: int
    column: int
    caption: Box
    panel: Box
    origin_px: tuple[int, int]


@dataclass(frozen=True)
class StoryboardLayout:
    size: tuple[int, int]  # points
    scale: int  # pixel ratio of the figure
    unit: float  # text unit: every size of text and margin is multiplied by it
    header: Box
    metrics: Box
    columns: int
    rows: int
    slots: tuple[Slot, ...]
    panel_px: tuple[int, int]  # every chart's size in physical pixels
    detail_lines: int = 1  # lines of an event's detail in each caption

    @property
    def panel_ratio(self) -> float:
        """The charts' pixel ratio: the figure's, zoomed for small panels (see
        :func:`panel_zoom`)."""
        return self.scale * panel_zoom(self.panel_px[0] / self.scale)

    @property
    def pixel_size(self) -> tuple[int, int]:
        return self.size[0] * self.scale, self.size[1] * self.scale


def parse_storyboard_size(text: str | None) -> tuple[int, int]:
    """``--size`` of a storyboard: ``slide`` (1920×1080, the default), ``a4`` (1240×1754
    points: A4 portrait at 150 dpi, 300 dpi with ``--scale 2``) or ``WIDTHxHEIGHT``."""
    word = (text or DEFAULT_SIZE).strip().lower()
    if word in SIZE_PRESETS:
        return SIZE_PRESETS[word]
    try:
        return parse_size(word)
    except UsageError:
        names = ", ".join(SIZE_PRESETS)
        raise UsageError(f"--size must be {names} or WIDTHxHEIGHT such as 1920x1080, "
                         f"got {text!r}") from None  # fmt: skip


def text_unit(width: float, height: float) -> float:
    """Text and margins grow with the figure's short side: 1 on a 1920×1080 slide, 1.15
    on an A4 page (1240 points wide: printed text wants to be larger than projected
    text), within 0.8 and 1.6."""
    return min(1.6, max(0.8, min(width, height) / 1080.0))


def panel_zoom(width_pt: float) -> float:
    """How much a panel ``width_pt`` points wide zooms its chart: 1 from ``ZOOM_FROM_PT``
    on, growing as the square root of how much narrower it is, at most ``MAX_ZOOM``."""
    return min(MAX_ZOOM, max(1.0, math.sqrt(ZOOM_FROM_PT / max(width_pt, 1.0))))


def caption_height(lines: int) -> float:
    """A caption's height in points at text unit 1, with ``lines`` lines of detail."""
    return CAPTION_PT + (lines - 1) * DETAIL_LINE_PT


def _cell(count: int, columns: int, grid: Box, unit: float, lines: int = 1) -> tuple[float, float]:
    """A cell's chart width and height (points) with ``columns`` columns."""
    rows = math.ceil(count / columns)
    width = (grid.w - (columns - 1) * GAP_X_PT * unit) / columns
    height = (grid.h - (rows - 1) * GAP_Y_PT * unit) / rows - caption_height(lines) * unit
    return width, height


def _score(width: float, height: float) -> float:
    """The area of the largest chart of a readable aspect that fits ``width`` × ``height``."""
    if width <= 0 or height <= 0:
        return 0.0
    return min(width, height * MAX_ASPECT) * min(height, width / MIN_ASPECT)


def grid_columns(count: int, size: tuple[float, float]) -> int:
    """2, 3 or 4 columns for ``count`` panels in a figure of ``size`` points (never more
    columns than panels; one column for a single panel, and for two or three on a page
    taller than wide, where side by side they would be narrow and tall)."""
    if count <= 1:
        return 1
    unit = text_unit(*size)
    grid = _grid_box(size, unit)
    best, best_score = 0, 0.0
    for columns in range(1 if count <= 3 else 2, min(4, count) + 1):
        score = _score(*_cell(count, columns, grid, unit))
        if score * NEAR_TIE > best_score:
            best, best_score = columns, score
    return best or min(4, count)  # no grid fits: the one with the fewest rows


def _grid_box(size: tuple[float, float], unit: float) -> Box:
    margin = MARGIN_PT * unit
    top = margin + (HEADER_PT + METRICS_PT) * unit
    return Box(margin, top, size[0] - 2 * margin, size[1] - top - margin)


def shared_view(span: tuple[float, float], times: tuple[float, ...]) -> tuple[float, float] | None:
    """The time range every panel shows when none is given: the moments with a margin
    (an eighth of their spread, at least 2 % of the incident), when that is under
    ``FULL_VIEW_SHARE`` of the incident ``span``; else None (the whole incident). A day of
    data around an hour of events then shows the hour."""
    start, end = span
    if len(times) < 2 or max(times) <= min(times) or end <= start:
        return None
    pad = max((max(times) - min(times)) / 8, 0.02 * (end - start))
    low, high = max(start, min(times) - pad), min(end, max(times) + pad)
    if high - low >= FULL_VIEW_SHARE * (end - start):
        return None
    return low, high


def storyboard_layout(count: int, size: tuple[int, int], scale: int = 1) -> StoryboardLayout:
    """The layout of ``count`` panels (at least one) in a ``size``-point figure drawn at
    pixel ratio ``scale``: the grid's cells fill the space under the header and the
    metrics strip, left to right, top to bottom (charts no taller than ``1 / MIN_ASPECT``
    of their width: what is left stays empty at the bottom); a last row that is not full
    is centred. A UsageError when the charts would be smaller than ``MIN_PANEL_PT``."""
    count = max(1, int(count))
    unit = text_unit(*size)
    margin = MARGIN_PT * unit
    header = Box(margin, margin, size[0] - 2 * margin, HEADER_PT * unit)
    metrics = Box(margin, header.y1, header.w, METRICS_PT * unit)
    grid = _grid_box(size, unit)
    columns = grid_columns(count, size)
    rows = math.ceil(count / columns)
    # Two lines of detail where the charts stay no flatter than MAX_ASPECT with them.
    lines = 2 if _cell(count, columns, grid, unit, 2)[1] * MAX_ASPECT >= _cell(
        count, columns, grid, unit, 2)[0] else 1  # fmt: skip
    width, height = _cell(count, columns, grid, unit, lines)
    height = min(height, width / MIN_ASPECT)  # never taller than readable: space stays below
    if width < MIN_PANEL_PT[0] or height < MIN_PANEL_PT[1]:
        raise UsageError(
            f"--size {size[0]}x{size[1]} is too small for {count} panels (each chart would be "
            f"{max(width, 0):.0f}×{max(height, 0):.0f} points, at least "
            f"{MIN_PANEL_PT[0]}×{MIN_PANEL_PT[1]}): give a larger --size such as slide or a4, "
            "or fewer moments with --events"
        )
    panel_px = (max(1, math.floor(width * scale)), max(1, math.floor(max(height, 1.0) * scale)))
    caption_h = caption_height(lines) * unit
    row_h = height + caption_h + GAP_Y_PT * unit
    slots = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        indent = (columns - in_row) * (width + GAP_X_PT * unit) / 2  # centre a short row
        x = grid.x + indent + column * (width + GAP_X_PT * unit)
        y = grid.y + row * row_h
        origin = (round(x * scale), round((y + caption_h) * scale))
        panel = Box(origin[0] / scale, origin[1] / scale, panel_px[0] / scale, panel_px[1] / scale)
        caption = Box(x, y, width, panel.y - y)  # to the pixel the chart starts on
        slots.append(Slot(index, row, column, caption, panel, origin))
    return StoryboardLayout(
        size=(int(size[0]), int(size[1])),
        scale=int(scale),
        unit=unit,
        header=header,
        metrics=metrics,
        columns=columns,
        rows=rows,
        slots=tuple(slots),
        panel_px=panel_px,
        detail_lines=lines,
    )
