"""The scene pass as a table: one row per draw (shader, instance buffer, first, count,
which frames), built per layout from what the layout wrote, plus the highlighted members'
rows per frame. The renderer walks the table; tests read it without a GPU.

Which frames a row belongs to depends on the caches a frame uses: a 1× frame starts from the
cached grid ("grid_cache": the spotlight's box is redrawn, not the whole grid) and, once
built, composites the cached data layer ("layer_cache") instead of drawing every series;
multisampled frames draw everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .layout import ChartLayout, Rect

__all__ = ["SERIES_SHADERS", "Draw", "SceneCounts", "scene_table", "with_emphasis"]

# The data layer's shaders (drawn into render/layer_cache.py's textures when it is used).
SERIES_SHADERS = ("heatmap", "series_band", "baseline_band", "series_line")


@dataclass(frozen=True)
class Draw:
    """One draw call of the scene pass."""

    shader: str  # a key of pipelines.SHADERS
    first: int  # first instance
    count: int  # instances
    vertices: int = 4  # per instance (quads as triangle strips; the grid: one triangle)
    instances: str | None = None  # the vertex buffer of instance records, by name
    clip: Rect | None = None  # scissor rectangle; None = the whole frame
    # The frames it belongs to: "" all; "grid_cache" only frames using that cache;
    # "!grid_cache" only frames not using it (the same for "layer_cache").
    when: str = ""

    def applies(self, caches: frozenset[str]) -> bool:
        if not self.when:
            return True
        if self.when.startswith("!"):
            return self.when[1:] not in caches
        return self.when in caches


@dataclass(frozen=True)
class SceneCounts:
    """How many records the layout wrote, by kind."""

    grid_rules: int  # stacked panes' grid lines, first in the rules buffer
    rules: int  # all rules
    series_markers: int  # sample markers and heads, first in the markers buffer
    markers: int  # all markers (the rest are event glyphs)
    points: int  # drawn points of all series (and their baselines, after them)
    band: int  # envelope columns of all series
    heatmaps: int = 0  # histograms' heatmaps (one quad each)
    worse: int = 0  # baselines' worse-band records, after the envelope columns


LINES = "series_line"  # the emphasis rows go right after this one


def scene_table(counts: SceneCounts, layout: ChartLayout) -> list[Draw]:
    """The scene's draws for a layout, bottom to top: grid, pane grids, heatmaps, envelopes
    and lines (or the cached layer of them), sample markers and heads (all clipped to the
    chart), then axes, thresholds, guides and the playhead, then the event glyphs under the
    chart."""
    chart = layout.chart
    rows = [
        Draw("grid", 0, 1, vertices=3, when="!grid_cache"),
        Draw("grid_spot", 0, 1, when="grid_cache"),
        Draw("rules", 0, counts.grid_rules, instances="rules"),
        Draw("heatmap", 0, counts.heatmaps, clip=chart, when="!layer_cache"),
        Draw("series_band", 0, counts.band, clip=chart, when="!layer_cache"),
        Draw("baseline_band", counts.band, counts.worse - 1, clip=chart, when="!layer_cache"),
        Draw(LINES, 0, counts.points - 1, clip=chart, when="!layer_cache"),
        Draw("layer", 0, 1, clip=chart, when="layer_cache"),
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
    the lines (or the layer that holds them), so they sit on top of the other members."""
    rows = [Draw("series_emphasis", first, count - 1, clip=layout.chart)
            for first, count in ranges if count > 1]  # fmt: skip
    if not rows:
        return table
    below = [k + 1 for k, row in enumerate(table) if row.shader in (*SERIES_SHADERS, "layer")]
    at = max(below, default=len(table))
    return [*table[:at], *rows, *table[at:]]
