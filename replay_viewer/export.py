"""PNG export, single frames and sequences: the one path the command line and the window
both use.

Every PNG is written to a temporary file beside its destination and renamed into place,
so an interrupted export never leaves a truncated PNG; a sequence's ``frames.json`` index is
written the same way, and on interruption it lists the frames that were finished.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ._version import __version__
from .files import atomic_write, write_json_atomic
from .render.renderer import RenderOptions
from .timecode import format_timecode

if TYPE_CHECKING:
    from collections.abc import Callable

    from .model import Incident
    from .render.renderer import ChartRenderer

__all__ = [
    "EXPORT_QUALITY",
    "ExportPlan",
    "ExportSettings",
    "SequenceExport",
    "default_png_name",
    "export_frame",
    "export_sequence",
    "plan_sequence",
    "png_metadata",
    "write_frame_png",
    "write_png_atomic",
]

FRAME_NAME = "frame_{:05d}.png"
MAX_FRAMES = 100_000
# Exports always draw at the highest quality, so the same input gives the same pixels
# whether exported from the command line, a sequence or the window.
EXPORT_QUALITY = "high"


@dataclass(frozen=True)
class ExportSettings:
    """What an export draws besides the incident and the time: size in points, pixel
    ratio, and whether data after the playhead shows faintly."""

    size: tuple[int, int] = (1280, 720)
    scale: int = 1
    ghost: bool = True

    @property
    def pixel_size(self) -> tuple[int, int]:
        return self.size[0] * self.scale, self.size[1] * self.scale

    def render_options(self) -> RenderOptions:
        return RenderOptions(ghost=self.ghost, quality=EXPORT_QUALITY)


def default_png_name(incident: Incident, t: float) -> str:
    """``<incident-id>_T+MMSS.png`` (``T+HMMSS`` from one hour on)."""
    code = format_timecode(t).replace(":", "")
    return f"{incident.id}_{code}.png"


def write_png_atomic(path: Path, pixels: np.ndarray, *, text: dict[str, str] | None = None) -> None:
    """Save H×W×4 RGBA pixels as an RGB PNG, atomically, with optional iTXt metadata."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)
    image = Image.fromarray(np.ascontiguousarray(pixels[..., :3]), mode="RGB")
    atomic_write(path, lambda out: image.save(out, format="PNG", pnginfo=info))


def png_metadata(incident: Incident, t: float) -> dict[str, str]:
    """What a PNG of ``incident`` at ``t`` says about itself (title, software, source)."""
    return {
        "Title": f"{incident.title} at {format_timecode(t)}",
        "Software": f"replay-viewer {__version__}",
        "Source": str(incident.source or incident.id),
    }


def write_frame_png(path: Path, pixels: np.ndarray, incident: Incident, t: float) -> None:
    """One exported frame: pixels of ``incident`` at ``t`` with their metadata."""
    write_png_atomic(path, pixels, text=png_metadata(incident, t))


def export_frame(
    renderer: ChartRenderer, incident: Incident, t: float, path: Path, settings: ExportSettings
) -> np.ndarray:
    """Render the frame at ``t`` with ``renderer`` (laid out at the export size) and write it
    to ``path``; returns the pixels."""
    pixels = renderer.render(t, settings.render_options())
    write_frame_png(path, pixels, incident, t)
    return pixels


@dataclass(frozen=True)
class ExportPlan:
    times: tuple[float, ...]

    def names(self) -> list[str]:
        return [FRAME_NAME.format(index) for index in range(len(self.times))]


def plan_sequence(incident: Incident, *, frames: int | None = None, every: float | None = None):
    """Frame times: ``frames`` evenly from start to end (both included), or one every
    ``every`` seconds from the start (the end included when it falls on the step)."""
    start, end = incident.start, incident.end
    if frames is not None:
        if frames < 1:
            raise ValueError("--frames must be at least 1")
        if frames > MAX_FRAMES:
            raise ValueError(f"--frames {frames} is more than {MAX_FRAMES:,}")
        times = [start] if frames == 1 else list(np.linspace(start, end, frames))
    else:
        if every is None or every <= 0:
            raise ValueError("--every must be a positive duration such as 5s")
        count = math.floor((end - start) / every + 1e-9) + 1
        if count > MAX_FRAMES:
            raise ValueError(f"--every {every:g}s makes {count:,} frames; at most {MAX_FRAMES:,}")
        times = [start + i * every for i in range(count)]
    return ExportPlan(tuple(float(t) for t in times))


class SequenceExport:
    """A frame sequence export, one frame per :meth:`step`, so the window can run it
    between UI frames (and the CLI in a loop: :func:`export_sequence`).

    :meth:`finish` writes ``frames.json``: always, also after a cancel or an error, listing
    the frames that were finished (``"complete": false`` then). Frame files a previous,
    longer export listed and this one does not are removed, so the folder always matches
    its index.
    """

    def __init__(
        self,
        renderer: ChartRenderer,
        incident: Incident,
        plan: ExportPlan,
        folder: Path,
        settings: ExportSettings,
    ) -> None:
        self.renderer = renderer
        self.incident = incident
        self.plan = plan
        self.folder = Path(folder)
        self.settings = settings
        self.entries: list[dict] = []
        self.folder.mkdir(parents=True, exist_ok=True)
        self._index_path = self.folder / "frames.json"
        self._stale = _previous_frames(self._index_path)
        self._names = plan.names()
        self.finished = False

    @property
    def total(self) -> int:
        return len(self.plan.times)

    @property
    def done(self) -> int:
        return len(self.entries)

    def step(self) -> bool:
        """Render and write the next frame; True when all frames are written."""
        number = len(self.entries)
        if number >= self.total:
            return True
        t = self.plan.times[number]
        name = self._names[number]
        export_frame(self.renderer, self.incident, t, self.folder / name, self.settings)
        self.entries.append(
            {
                "frame": number,
                "file": name,
                "t": round(t, 6),
                "timecode": format_timecode(t, decimals=3 if t % 1 else 0),
            }
        )
        return len(self.entries) >= self.total

    def finish(self) -> dict:
        layout = self.renderer.layout
        index = {
            "incident": self.incident.id,
            "title": self.incident.title,
            "size": [layout.width, layout.height],
            "pixel_ratio": layout.pixel_ratio,
            "ghost": self.settings.ghost,
            "complete": len(self.entries) == self.total,
            "frames": self.entries,
        }
        for name in self._stale - {entry["file"] for entry in self.entries}:
            (self.folder / name).unlink(missing_ok=True)
        write_json_atomic(self._index_path, index)
        self.finished = True
        return index


def export_sequence(
    renderer: ChartRenderer,
    incident: Incident,
    plan: ExportPlan,
    folder: Path,
    settings: ExportSettings,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Render every frame of ``plan`` into ``folder`` with a ``frames.json`` index (see
    :class:`SequenceExport`); stops early when ``should_stop()`` says so."""
    job = SequenceExport(renderer, incident, plan, folder, settings)
    try:
        while job.done < job.total:
            if should_stop is not None and should_stop():
                break
            job.step()
            if on_progress is not None:
                on_progress(job.done, job.total)
    finally:
        index = job.finish()
    return index


def _previous_frames(index_path: Path) -> set[str]:
    try:
        previous = json.loads(index_path.read_text(encoding="utf-8"))
        names = {entry["file"] for entry in previous["frames"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    # Only ever delete files that look like our own frames.
    return {n for n in names if isinstance(n, str) and n.startswith("frame_") and "/" not in n}
