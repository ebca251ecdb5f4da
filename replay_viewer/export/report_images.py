"""The report's figures drawn by the one render-at-time path (:class:`ChartRenderer`, as
``export --at`` draws a frame): the full-size chart at a time, and a stand-in storyboard.

MERGE SEAM: :meth:`RendererImages.storyboard` composes a plain grid of small charts, one
per moment, until ``export/storyboard.py`` (the storyboard export, built in parallel) is
merged; then it becomes a call to ``export.storyboard.render_storyboard`` with the same
incident, plan, renderer and settings, and this module's :func:`compose_grid` goes. The
figures are drawn in the export settings' theme (``--theme light`` for white pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .frame import render_export_frame

if TYPE_CHECKING:
    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from ..story import StoryPlan
    from .frame import ExportSettings

__all__ = ["PANEL_SIZE", "RendererImages", "compose_grid"]

PANEL_SIZE = (640, 360)  # points: a stand-in storyboard panel
GUTTER = 12  # pixels between panels (the page shows through)


def compose_grid(
    panels: list[np.ndarray], *, columns: int, gutter: int = GUTTER, background: int = 255
) -> np.ndarray:
    """Equal-sized H×W×4 panels in rows of ``columns``, left to right and top to bottom,
    ``gutter`` pixels apart on ``background`` (the last row's empty places too)."""
    if not panels:
        raise ValueError("a grid needs at least one panel")
    height, width = panels[0].shape[:2]
    columns = max(1, min(columns, len(panels)))
    rows = -(-len(panels) // columns)
    grid = np.full((rows * height + (rows - 1) * gutter, columns * width + (columns - 1) * gutter,
                    4), background, dtype=np.uint8)  # fmt: skip
    grid[..., 3] = 255
    for index, panel in enumerate(panels):
        row, column = divmod(index, columns)
        top, left = row * (height + gutter), column * (width + gutter)
        grid[top : top + height, left : left + width] = panel
    return grid


def storyboard_columns(count: int) -> int:
    """Two panels a row up to four moments, three beyond (at most 12 moments: 4 rows)."""
    return 2 if count <= 4 else 3


class RendererImages:
    """:class:`~.report.ReportImages` on a booted renderer: each figure laid out at its own
    size (the renderer is resized between them) with the export's settings."""

    def __init__(self, renderer: ChartRenderer, settings: ExportSettings):
        self.renderer = renderer
        self.settings = settings
        self.theme = settings.theme  # the figures' (--theme): the report records it

    def _render_at(self, size: tuple[int, int], times: list[float]) -> list[np.ndarray]:
        settings = self.settings
        scale = settings.scale
        self.renderer.resize(size[0] * scale, size[1] * scale, float(scale),
                             **settings.layout_options())  # fmt: skip
        return [render_export_frame(self.renderer, t, settings) for t in times]

    def storyboard(self, incident: Incident, plan: StoryPlan) -> np.ndarray | None:
        # MERGE: return export.storyboard.render_storyboard(...) (the storyboard export's
        # figure: panels with captions, a header and the metrics strip).
        if not plan.moments:
            return None
        panels = self._render_at(PANEL_SIZE, list(plan.times))
        return compose_grid(panels, columns=storyboard_columns(len(panels)),
                            gutter=GUTTER * self.settings.scale)  # fmt: skip

    def chart(self, incident: Incident, t: float) -> np.ndarray | None:
        return self._render_at(self.settings.size, [t])[0]
