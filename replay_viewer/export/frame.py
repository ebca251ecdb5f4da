"""One exported frame: settings, PNG metadata and the atomic PNG write."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._version import __version__
from ..errors import OutputError, UsageError
from ..files import atomic_write
from ..render.live import live_layout_holds
from ..render.renderer import RenderOptions
from ..timecode import format_timecode
from .png import encode_png

if TYPE_CHECKING:
    import numpy as np

    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from ..timecode import ClockMode

__all__ = [
    "EXPORT_QUALITY",
    "ExportSettings",
    "check_png_path",
    "default_png_name",
    "export_frame",
    "png_metadata",
    "render_export_frame",
    "single_frame_path",
    "write_frame_png",
    "write_png_atomic",
]

# Exports always draw at one quality, so the same input gives the same pixels whether
# exported from the command line, a sequence or the window. 1× ("standard"), not 4× MSAA:
# lines, markers and rules are antialiased in their shaders, so 4× changed 0.5 % of a
# 1280×720 frame's pixels by more than 8/255 (dash ends, the first point of a line) and
# looked the same side by side, for twice the render time; 1× frames also copy the cached
# grid (render/grid_cache.py). Comparison: docs/performance.md.
EXPORT_QUALITY = "standard"


@dataclass(frozen=True)
class ExportSettings:
    """What an export draws besides the incident and the time: size in points, pixel
    ratio, whether data after the playhead shows faintly, how times read, the theme
    (``dark``, or ``light`` for white pages), whether a zoom's value axes fit the data in
    view (``autoscale``, as the window's), and live view (only what was known at each
    frame's time)."""

    size: tuple[int, int] = (1280, 720)
    scale: int = 1
    ghost: bool = True
    view: tuple[float, float] | None = None  # the time range shown (--range, a zoom)
    hidden: frozenset[str] = frozenset()  # series left out (the window's legend)
    highlight: frozenset[str] = frozenset()  # group members drawn bright (the member list)
    clock: ClockMode = "relative"  # "wall": axis and readouts on the wall clock (--clock)
    theme: str = "dark"  # "light": for white pages (--theme; render/themes.py)
    autoscale: bool = True  # zoomed (view): the axes fit the data in view (--no-autoscale)
    live: bool = False  # only what was known at each frame's time (--live; render/live.py)
    # How PNGs are deflated (export/png.py): the bytes change, never the pixels, so the
    # sequence index does not record it (a resume may use another preset).
    png: str = "fast"

    @property
    def pixel_size(self) -> tuple[int, int]:
        return self.size[0] * self.scale, self.size[1] * self.scale

    def render_options(self) -> RenderOptions:
        ghost = self.ghost and not self.live  # live: nothing after the playhead exists
        return RenderOptions(ghost=ghost, quality=EXPORT_QUALITY, highlight=self.highlight)

    def layout_options(self, at: float | None = None) -> dict:
        """What the layout takes from these settings: the time range, hidden series, the
        clock, the theme, autoscale, and in live view the time ``at`` (None: the end; each
        frame lays out again when it needs to: :func:`render_export_frame`)."""
        options = {"view": self.view, "hidden": self.hidden, "clock": self.clock,
                   "theme": self.theme, "autoscale": self.autoscale}  # fmt: skip
        if self.live:
            options["live"] = math.inf if at is None else float(at)
        return options


def default_png_name(incident: Incident, t: float) -> str:
    """``<incident-id>_T+MMSS.png`` (``T+HMMSS`` from one hour on, ``T+2d040500`` from a
    day on): the timecode without colons or spaces."""
    code = format_timecode(t).replace(":", "").replace(" ", "")
    return f"{incident.id}_{code}.png"


def write_png_atomic(
    path: Path,
    pixels: np.ndarray,
    *,
    text: dict[str, str] | None = None,
    preset: str = "fast",
    rows: np.ndarray | None = None,
) -> None:
    """Save H×W×4 RGBA pixels as an RGB PNG, atomically, with optional iTXt metadata
    (``preset``: see :mod:`.png`; ``rows``: a scratch buffer a worker reuses)."""
    data = encode_png(pixels, text=text, preset=preset, rows=rows)
    atomic_write(path, lambda out: out.write(data))


def png_metadata(incident: Incident, t: float, *, theme: str = "dark") -> dict[str, str]:
    """What a PNG of ``incident`` at ``t`` says about itself (title, software, source; the
    theme when it is not the default dark one)."""
    text = {
        "Title": f"{incident.title} at {format_timecode(t)}",
        "Software": f"replay-viewer {__version__}",
        "Source": str(incident.source or incident.id),
    }
    if theme != "dark":
        text["Theme"] = theme
    return text


def write_frame_png(
    path: Path,
    pixels: np.ndarray,
    incident: Incident,
    t: float,
    *,
    preset: str = "fast",
    rows: np.ndarray | None = None,
    theme: str = "dark",
) -> None:
    """One exported frame: pixels of ``incident`` at ``t`` with their metadata."""
    text = png_metadata(incident, t, theme=theme)
    write_png_atomic(path, pixels, text=text, preset=preset, rows=rows)


def render_export_frame(
    renderer: ChartRenderer,
    t: float,
    settings: ExportSettings,
    options: RenderOptions | None = None,
) -> np.ndarray:
    """The frame at ``t`` as every export draws it (``renderer`` laid out at the export
    size), with ``options`` (default: the settings'; a captioned frame's carry its card).
    In live view the chart is laid out again for ``t`` when its layout does not show what
    was known then (something new became known, or the axes' fit changed)."""
    if settings.live and not live_layout_holds(renderer.incident, renderer.layout, t):
        layout = renderer.layout
        renderer.resize(layout.width, layout.height, layout.pixel_ratio,
                        **settings.layout_options(at=t))  # fmt: skip
    return renderer.render(t, options or settings.render_options())


def export_frame(
    renderer: ChartRenderer, incident: Incident, t: float, path: Path, settings: ExportSettings
) -> np.ndarray:
    """Render the frame at ``t`` with ``renderer`` (laid out at the export size) and write it
    to ``path``; returns the pixels."""
    pixels = render_export_frame(renderer, t, settings)
    write_frame_png(path, pixels, incident, t, preset=settings.png, theme=settings.theme)
    return pixels


def single_frame_path(
    incident: Incident, t: float, output: Path | None, *, overwrite: bool = False
) -> Path:
    """Where ``export --at`` writes: ``output`` (a .png, or a folder for the default name),
    else the default name in the current folder.

    Raises
    ------
    UsageError
        When the name is not a .png, or the file exists and ``overwrite`` is not set.
    OutputError
        When its folder is missing or is not a folder (it cannot be written, exit 4).
    """
    out = output or Path(default_png_name(incident, t))
    if out.is_dir():
        out = out / default_png_name(incident, t)
    return check_png_path(out, "-o", overwrite=overwrite)


def check_png_path(
    out: Path, option: str, *, what: str = "a single frame", overwrite: bool = False
) -> Path:
    """``out`` if ``option``'s PNG can be written there (a .png in an existing folder, not
    an existing file unless ``overwrite``); the errors of :func:`single_frame_path`."""
    if out.suffix.lower() != ".png":
        raise UsageError(f"{option} {out}: the output of {what} must be a .png file")
    if not out.parent.is_dir():
        existing = next((p for p in out.parents if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise OutputError(f"{option} {out}: {existing} is not a folder")
        raise OutputError(f"{option} {out}: folder {out.parent} does not exist")
    if out.exists() and not overwrite:
        raise UsageError(f"{option} {out}: the file exists; pass --overwrite to replace it")
    return out
