"""The scene pass as a table: one row per draw (shader, instance buffer, first, count,
which frames), built per layout from what the layout wrote, plus the highlighted members'
rows per frame. The renderer walks the table; tests read it without a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .layout import ChartLayout, Rect

__all__ = ["Draw", "SceneCounts", "scene_table", "with_emphasis"]

Frames = Literal["all", "cached", "full"]


@dataclass(frozen=True)
class Draw:
    """One draw call of the scene pass."""

    shader: str  # a key of pipelines.SHADERS
    first: int  # first instance
    count: int  # instances
    vertices: int = 4  # per instance (quads as triangle strips; the grid: one triangle)
    instances: str | None = None  # the vertex buffer of instance records, by name
    clip: Rect | None = None  # scissor rectangle; None = the whole frame
    # "cached": only 1× frames that start from the cached grid; "full": only frames that
    # draw the whole grid (multisampled ones, or with the cache off).
    frames: Frames = "all"


@dataclass(frozen=True)
class SceneCounts:
    """How many records the layout wrote, by kind."""

    grid_rules: int  # stacked panes' grid lines, first in the rules buffer
    rules: int  # all rules
    series_markers: int  # sample markers and heads, first in the markers buffer
    markers: int  # all markers (the rest are event glyphs)
    points: int  # drawn points of all series
    band: int  # envelope columns of all series


LINES = "series_line"  # the emphasis rows go right after this one


def scene_table(counts: SceneCounts, layout: ChartLayout) -> list[Draw]:
    """The scene's draws for a layout, bottom to top: grid, pane grids, envelopes, lines,
    sample markers and heads (all clipped to the chart), then axes, thresholds, guides and
    the playhead, then the event glyphs under the chart."""
    chart = layout.chart
    rows = [
        Draw("grid", 0, 1, vertices=3, frames="full"),
        Draw("grid_spot", 0, 1, frames="cached"),
        Draw("rules", 0, counts.grid_rules, instances="rules"),
        Draw("series_band", 0, counts.band - 1, clip=chart),
        Draw(LINES, 0, counts.points - 1, clip=chart),
        Draw("markers", 0, counts.series_markers, instances="markers", clip=chart),
        Draw("rules", counts.grid_rules, counts.rules - counts.grid_rules, instances="rules"),
        Draw(
            "markers",
            counts.series_markers,
            counts.markers - counts.series_markers,
            instances="markers",
        ),
    ]
    return [row for row in rows if row.count > 0]


def with_emphasis(
    table: list[Draw], ranges: Iterable[tuple[int, int]], layout: ChartLayout
) -> list[Draw]:
    """``table`` with a draw of each highlighted member's points (first, count) right after
    the lines, so they sit on top of the other members."""
    rows = [Draw("series_emphasis", first, count - 1, clip=layout.chart)
            for first, count in ranges if count > 1]  # fmt: skip
    if not rows:
        return table
    at = next((k + 1 for k, row in enumerate(table) if row.shader == LINES), len(table))
    return [*table[:at], *rows, *table[at:]]
