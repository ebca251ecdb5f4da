"""The report's figures drawn by the one render-at-time path (:class:`ChartRenderer`, as
``export --at`` draws a frame): the full-size chart at a time, and the storyboard
(:func:`.storyboard.render_storyboard`, an A4 page of it: the report prints to A4). The
figures are drawn in the export settings' theme (``--theme light`` for white pages) and
with their autoscale (a ``--range``'s axes fit it); a report is never live (``--live`` is
refused: it tells how the incident ended).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .frame import render_export_frame

if TYPE_CHECKING:
    import numpy as np

    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from ..story import StoryPlan
    from .frame import ExportSettings

__all__ = ["STORYBOARD_SIZE", "RendererImages"]

STORYBOARD_SIZE = "a4"  # the storyboard's --size preset in a report


class RendererImages:
    """:class:`~.report.ReportImages` on a booted renderer: each figure laid out at its own
    size (the renderer is laid out again between them) with the export's settings."""

    def __init__(self, renderer: ChartRenderer, settings: ExportSettings):
        self.renderer = renderer
        self.settings = settings
        self.theme = settings.theme  # the figures' (--theme): the report records it

    def storyboard(self, incident: Incident, plan: StoryPlan) -> np.ndarray | None:
        from .storyboard import StoryboardSettings, render_storyboard
        from .storyboard_layout import SIZE_PRESETS

        if not plan.moments:
            return None
        settings = StoryboardSettings.from_export(self.settings, SIZE_PRESETS[STORYBOARD_SIZE])
        return render_storyboard(self.renderer, incident, plan, settings)

    def chart(self, incident: Incident, t: float) -> np.ndarray | None:
        settings = self.settings
        scale = settings.scale
        self.renderer.resize(settings.size[0] * scale, settings.size[1] * scale, float(scale),
                             **settings.layout_options())  # fmt: skip
        return render_export_frame(self.renderer, t, settings)
