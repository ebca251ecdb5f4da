"""The export dialog's story outputs: the storyboard (``<id>-storyboard.png``) and the
postmortem report (a folder ``<id>-report``), written into the dialog's folder, never
replacing anything (``-2``, ``-3`` …), from the incident as the window holds it: unsaved
timeline edits and stars included, so starring events in the window and pressing
*Storyboard* tells the story just starred.

The same functions as ``export --storyboard`` and ``export --report`` (so the same choices
give the same files); the moments are the command line's default (the starred events, else
every event; at most 12). The storyboard's panels share the moments' time range (a zoom
that leaves a moment out is not used for it); series hidden or highlighted, the clock and
the theme follow the window and the dialog. Neither is ever live: they tell how it ended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..export import EXPORT_QUALITY, RendererImages, ReportExport, unused_path
from ..export.report_images import STORYBOARD_SIZE
from ..export.storyboard import StoryboardSettings, export_storyboard
from ..export.storyboard_layout import SIZE_PRESETS
from ..export.storyboard_text import shown_words
from ..render.boot import prepare_renderer
from ..story import story_moments

if TYPE_CHECKING:
    from pathlib import Path

    import wgpu

    from ..export import ExportSettings
    from ..model import Incident

__all__ = ["WINDOW_STORYBOARD_SIZE", "write_report", "write_storyboard"]

WINDOW_STORYBOARD_SIZE = "slide"  # 1920x1080 points, as `export --storyboard`'s default


def write_storyboard(
    device: wgpu.GPUDevice, incident: Incident, settings: ExportSettings, folder: Path
) -> tuple[Path, str]:
    """Write the storyboard; returns its path and what to tell the user."""
    plan = story_moments(incident)
    settings = _telling(settings, plan.times)
    board = StoryboardSettings.from_export(settings, SIZE_PRESETS[WINDOW_STORYBOARD_SIZE])
    path = unused_path(folder / f"{incident.id}-storyboard.png")
    pixels = export_storyboard(device, incident, plan, path, board)
    said = f"Wrote {path} (storyboard of {shown_words(incident, plan)}, {pixels.shape[1]}×"
    said += f"{pixels.shape[0]})"
    return path, " ".join((said, *plan.warnings))


def write_report(
    device: wgpu.GPUDevice, incident: Incident, settings: ExportSettings, folder: Path
) -> tuple[Path, str]:
    """Write the report into a new folder; returns its report.html and what to tell."""
    plan = story_moments(incident)
    settings = _telling(settings, plan.times)
    job = ReportExport(incident, plan, unused_path(folder / f"{incident.id}-report", folder=True))
    try:
        width, height = settings.pixel_size
        renderer = prepare_renderer(device, incident, width, height, settings.scale,
                                    quality=EXPORT_QUALITY,
                                    **settings.layout_options())  # fmt: skip
        result = job.write(RendererImages(renderer, settings))
    finally:
        job.close()
    said = f"Wrote {result.folder / 'report.html'} ({', '.join(result.files)}; "
    said += f"{len(plan.moments)} moments: {plan.chosen}; an {STORYBOARD_SIZE.upper()} storyboard)"
    return result.folder / "report.html", " ".join((said, *plan.warnings))


def _telling(settings: ExportSettings, times: tuple[float, ...]) -> ExportSettings:
    """``settings``, without the window's zoom when it leaves a told moment out (the
    panels are at the moments; the command line refuses such a --range)."""
    view = settings.view
    if view is None or all(view[0] <= t <= view[1] for t in times):
        return settings
    import dataclasses

    return dataclasses.replace(settings, view=None)
