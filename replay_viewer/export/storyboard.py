"""A storyboard: one figure telling an incident in a grid of small charts, each at one
moment of a :class:`~replay_viewer.story.StoryPlan` with its caption, under a shared header
and the metrics strip (``export --storyboard``, and the report).

On one device, in one pass over the moments: the panels share one size and one time view,
so the chart renderer is laid out once (at the panel's pixel size, without the chart's own
header, footer and milestone lane) and each panel is a frame of it at its moment (the
frames after the first reuse the grid and data-layer caches), copied on the GPU into the
figure's texture (``copy_texture_to_texture``). Then one ImGui text pass, with a context of
its own, draws the header, the strip, the captions and each told event's ring over the
figure, which is read back once. :mod:`.storyboard_layout` places the parts (pure),
:mod:`.storyboard_text` says what they say.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .._version import __version__
from ..render.boot import prepare_renderer
from ..render.renderer import ChartRenderer, RenderOptions
from ..render.targets import Readback
from ..render.text import TextPass
from ..render.text_canvas import TextCanvas
from ..render.themes import palette_for
from .frame import EXPORT_QUALITY, check_png_path, write_png_atomic
from .storyboard_layout import SIZE_PRESETS, shared_view, storyboard_layout
from .storyboard_text import paint_storyboard, shown_words, storyboard_content

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import wgpu

    from ..model import Incident
    from ..render.style import Palette
    from ..story import StoryPlan
    from ..timecode import ClockMode
    from .frame import ExportSettings
    from .storyboard_layout import StoryboardLayout

__all__ = [
    "StoryboardSettings",
    "export_storyboard",
    "render_storyboard",
    "storyboard_metadata",
    "storyboard_path",
]


@dataclass(frozen=True)
class StoryboardSettings:
    """How a storyboard looks: the figure's size in points (``SIZE_PRESETS``: a slide,
    A4), its pixel ratio, and what every panel shows (ghosted future, time range, hidden
    and highlighted series, clock); ``theme`` is the palette of the panels and the figure
    (``dark``, or ``light`` for white pages: :mod:`..render.themes`). With ``autoscale``
    the panels' value axes fit the data in their shared time range when it is a part of
    the incident (as a zoomed export's do); over the whole incident it changes nothing.
    The panels share one layout, so one set of axes: they compare at a glance."""

    size: tuple[int, int] = SIZE_PRESETS["slide"]
    scale: int = 1
    ghost: bool = True
    view: tuple[float, float] | None = None  # None: the moments' (see shared_view)
    hidden: frozenset[str] = frozenset()
    highlight: frozenset[str] = frozenset()
    clock: ClockMode = "relative"
    png: str = "fast"  # the PNG encoder's preset (export/png.py)
    theme: str = "dark"
    autoscale: bool = True  # a shared range's axes fit its data (--no-autoscale)

    @property
    def pixel_size(self) -> tuple[int, int]:
        return self.size[0] * self.scale, self.size[1] * self.scale

    def render_options(self) -> RenderOptions:
        return RenderOptions(ghost=self.ghost, quality=EXPORT_QUALITY, highlight=self.highlight)

    def for_plan(self, incident: Incident, plan: StoryPlan) -> StoryboardSettings:
        """These settings with the time range the panels share: the one given, else the
        moments' (:func:`.storyboard_layout.shared_view`)."""
        if self.view is not None:
            return self
        return replace(self, view=shared_view((incident.start, incident.end), plan.times))

    def panel_layout_options(self) -> dict:
        """How the panels are laid out: no header, footer or milestone lane (the figure
        has its own), the shared time range (and autoscale), hidden series and clock."""
        return {"chrome": False, "milestones": False, "view": self.view,
                "hidden": self.hidden, "clock": self.clock, "theme": self.theme,
                "autoscale": self.autoscale}  # fmt: skip

    @classmethod
    def from_export(cls, settings: ExportSettings, size: tuple[int, int]) -> StoryboardSettings:
        """A storyboard of ``size`` points drawn as ``settings`` draw a frame (scale, ghost,
        time range and autoscale, series, clock, theme, PNG preset): the report's figure."""
        return cls(size=size, scale=settings.scale, ghost=settings.ghost, view=settings.view,
                   hidden=settings.hidden, highlight=settings.highlight, clock=settings.clock,
                   png=settings.png, theme=settings.theme,
                   autoscale=settings.autoscale)  # fmt: skip


def figure_palette(settings: StoryboardSettings) -> Palette:
    """The colours of the figure: its theme's, as its panels' layouts have them."""
    return palette_for(settings.theme)


def render_storyboard(
    renderer: ChartRenderer | wgpu.GPUDevice,
    incident: Incident,
    plan: StoryPlan,
    settings: StoryboardSettings | None = None,
) -> np.ndarray:
    """The storyboard of ``incident``'s ``plan`` as H×W×4 RGBA pixels.

    ``renderer`` is a chart renderer with its text pass (the CLI's boot, the window's export
    renderer), which is left laid out at the panel size, or a device to make one on.
    """
    settings = (settings or StoryboardSettings()).for_plan(incident, plan)
    board = storyboard_layout(len(plan.moments), settings.size, settings.scale)
    renderer = _panel_renderer(renderer, incident, board, settings)
    device = renderer.device
    figure = _figure_texture(device, board, renderer.target_format)
    palette = figure_palette(settings)
    try:
        _clear(device, figure, palette.background)
        options = settings.render_options()
        width, height = board.panel_px
        for slot, moment in zip(board.slots, plan.moments, strict=False):
            texture = renderer.render_texture(moment.t, options)
            encoder = device.create_command_encoder(label="storyboard panel")
            encoder.copy_texture_to_texture(
                {"texture": texture, "origin": (0, 0, 0)},
                {"texture": figure, "origin": (*slot.origin_px, 0)},
                (width, height, 1),
            )
            device.queue.submit([encoder.finish()])
        content = storyboard_content(incident, plan)
        chart = (renderer.layout, incident)
        return _text_and_read_back(device, figure, board, content, palette, chart)
    finally:
        figure.destroy()


def _panel_renderer(target, incident: Incident, board: StoryboardLayout, settings):
    """A renderer laid out for the panels (a layout that already fits is kept)."""
    options = settings.panel_layout_options()
    ratio = board.panel_ratio
    if not isinstance(target, ChartRenderer):
        return prepare_renderer(target, incident, *board.panel_px, ratio, quality=EXPORT_QUALITY,
                                **options)  # fmt: skip
    if target.incident is not incident:
        target.set_incident(incident)
    layout = target.layout
    fits = layout is not None and target.spotlight is not None and (
        (layout.width, layout.height, layout.pixel_ratio, layout.chrome)
        == (*board.panel_px, ratio, False)
        and layout.milestone_lane is None
        and layout.live is None
        and (layout.view, layout.hidden, layout.clock, layout.theme, layout.autoscale)
        == (settings.view, settings.hidden, settings.clock, settings.theme, settings.autoscale)
    )  # fmt: skip
    if not fits:
        target.resize(*board.panel_px, ratio, **options)
    return target


def _figure_texture(device, board: StoryboardLayout, fmt: str):
    import wgpu

    usage = wgpu.TextureUsage
    return device.create_texture(
        label="storyboard",
        size=(*board.pixel_size, 1),
        format=fmt,
        usage=usage.RENDER_ATTACHMENT | usage.COPY_DST | usage.COPY_SRC,
    )


def _clear(device, figure, color) -> None:
    """Fill the figure with the background (linear for an sRGB texture)."""
    rgb = color[:3]
    if figure.format.endswith("-srgb"):
        rgb = tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    encoder = device.create_command_encoder(label="storyboard background")
    clear = encoder.begin_render_pass(
        label="storyboard background",
        color_attachments=[{"view": figure.create_view(), "load_op": "clear",
                            "store_op": "store", "clear_value": (*rgb, 1.0)}],
    )  # fmt: skip
    clear.end()
    device.queue.submit([encoder.finish()])


# One figure text pass per device and format: its ImGui context, fonts and pipeline are
# kept for the next storyboard (a report renders several).
_TEXT_PASSES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _text_pass(device, fmt: str) -> TextPass:
    passes = _TEXT_PASSES.setdefault(device, {})
    if fmt not in passes:
        passes[fmt] = TextPass(device, fmt)
    return passes[fmt]


def _text_and_read_back(device, figure, board, content, palette, chart) -> np.ndarray:
    """The header, strip and captions drawn over the figure (``chart``: the panels'
    layout and the incident), then its pixels."""

    def paint(draw_list, fonts) -> None:
        canvas = TextCanvas(draw_list, fonts, board.scale)
        paint_storyboard(canvas, board, content, palette, *chart)

    encoder = device.create_command_encoder(label="storyboard text")
    overlay = encoder.begin_render_pass(
        label="storyboard text",
        color_attachments=[{"view": figure.create_view(), "load_op": "load", "store_op": "store"}],
    )
    _text_pass(device, figure.format).paint(overlay, board.pixel_size, board.scale, paint)
    overlay.end()
    readback = Readback(device)
    readback.record(encoder, figure)
    device.queue.submit([encoder.finish()])
    try:
        return readback.pixels()
    finally:
        readback.destroy()


def storyboard_metadata(incident: Incident, plan: StoryPlan) -> dict[str, str]:
    """What a storyboard PNG says about itself: title, its moments, software, source."""
    moments = "; ".join(
        f"{m.event.title} at {_timecode(m.t)}" if m.event else _timecode(m.t) for m in plan.moments
    )
    return {
        "Title": f"{incident.title}: storyboard of {shown_words(incident, plan)}",
        "Description": moments,
        "Software": f"replay-viewer {__version__}",
        "Source": str(incident.source or incident.id),
    }


def _timecode(t: float) -> str:
    from ..timecode import format_timecode

    return format_timecode(t)


def storyboard_path(path: Path, *, overwrite: bool = False) -> Path:
    """``path`` if a storyboard may be written there (see :func:`.frame.check_png_path`)."""
    return check_png_path(path, "--storyboard", what="a storyboard", overwrite=overwrite)


def export_storyboard(
    renderer: ChartRenderer | wgpu.GPUDevice,
    incident: Incident,
    plan: StoryPlan,
    path: Path,
    settings: StoryboardSettings | None = None,
    *,
    overwrite: bool = False,
) -> np.ndarray:
    """Render the storyboard and write it to ``path`` atomically, with its metadata;
    returns the pixels. Raises UsageError for an existing ``path`` without
    ``overwrite``, OutputError when it cannot be written."""
    settings = settings or StoryboardSettings()
    path = storyboard_path(path, overwrite=overwrite)
    pixels = render_storyboard(renderer, incident, plan, settings)
    write_png_atomic(path, pixels, text=storyboard_metadata(incident, plan), preset=settings.png)
    return pixels
