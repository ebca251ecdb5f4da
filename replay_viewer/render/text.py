"""Text on the chart, drawn on the GPU through Dear ImGui draw lists.

A :class:`TextPass` is a private ImGui context (separate from the window's UI context)
whose draw lists are rendered by wgpu's ImGui backend into a texture, after the scene
pass: :class:`ChartText` draws the chart's labels with it, so the exported PNG and the
window show the same text from the same code path; a storyboard draws its figure's
header and captions with another. ImGui rasterises fonts on demand at the frame's pixel
ratio (dynamic fonts, ImGui ≥ 1.92), so text stays sharp at ``--scale 2`` and on HiDPI
screens.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from .fonts import FontSet
from .imgui_backend import ImguiBackend
from .labels import ChartLabels

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import wgpu

    from ..model import Incident
    from .geometry import RenderOptions
    from .layout import ChartLayout

__all__ = ["ChartText", "TextPass"]


class TextPass:
    """An ImGui context of its own (fonts, backend) that paints one frame of draw-list
    text into a render pass; coordinates in logical points."""

    def __init__(self, device: wgpu.GPUDevice, target_format: str) -> None:
        self.device = device
        self.target_format = target_format
        self.backend: ImguiBackend | None = None
        # The last frame's caption card (x0, y0, x1, y1 in points), None without one.
        self.card: tuple[float, float, float, float] | None = None
        previous = imgui.get_current_context()
        self.context = imgui.create_context()
        imgui.set_current_context(self.context)
        try:
            io = imgui.get_io()
            io.set_ini_filename("")
            self.fonts = FontSet(io)
        finally:
            if previous is not None:
                imgui.set_current_context(previous)

    def compile(self) -> None:
        """Build the ImGui backend's pipeline (part of the "Compiling shaders" stage)."""
        if self.backend is None:
            with self._current():
                self.backend = ImguiBackend(self.device, self.target_format)

    @contextlib.contextmanager
    def _current(self) -> Iterator[None]:
        previous = imgui.get_current_context()
        imgui.set_current_context(self.context)
        try:
            yield
        finally:
            if previous is not None:
                imgui.set_current_context(previous)

    def paint(
        self,
        render_pass: wgpu.GPURenderPassEncoder,
        size_px: tuple[int, int],
        pixel_ratio: float,
        painter: Callable[[imgui.ImDrawList, FontSet], None],
    ) -> None:
        """One ImGui frame of ``size_px`` physical pixels: ``painter(draw_list, fonts)``
        places the text (in points), then the draw data is rendered into ``render_pass``."""
        self.compile()
        with self._current():
            io = imgui.get_io()
            io.display_size = (size_px[0] / pixel_ratio, size_px[1] / pixel_ratio)
            io.display_framebuffer_scale = (pixel_ratio, pixel_ratio)
            io.delta_time = 1 / 60
            imgui.new_frame()
            try:
                painter(imgui.get_background_draw_list(), self.fonts)
            except BaseException:
                # An interrupt (Ctrl+C, SIGTERM) can land between a push_font and its pop:
                # let ImGui unwind its stacks quietly so the interrupt, not an assertion
                # about the stack, is what surfaces, and the context paints again later.
                _end_frame_unwinding(io)
                raise
            imgui.render()
            self.backend.render(imgui.get_draw_data(), render_pass)


def _end_frame_unwinding(io: imgui.IO) -> None:
    """End a frame whose painter raised, recovering ImGui's stacks without asserting or
    logging (the log goes to stdout, which an export's user would read as a fault)."""
    settings = (io.config_error_recovery_enable_assert, io.config_error_recovery_enable_debug_log)
    io.config_error_recovery_enable_assert = False
    io.config_error_recovery_enable_debug_log = False
    try:
        imgui.end_frame()
    finally:
        (io.config_error_recovery_enable_assert,
         io.config_error_recovery_enable_debug_log) = settings  # fmt: skip


class ChartText(TextPass):
    """Draws the chart's text for one frame into a render pass."""

    # The last frame's caption card (x0, y0, x1, y1 in points), None without one.
    card: tuple[float, float, float, float] | None = None

    def draw(
        self,
        render_pass: wgpu.GPURenderPassEncoder,
        layout: ChartLayout,
        incident: Incident,
        t: float,
        options: RenderOptions,
        *,
        emphasised: tuple[int, ...] = (),
    ) -> None:
        """Draw the labels of ``incident`` at ``t`` for ``layout`` into ``render_pass``;
        ``emphasised`` group members get their label at the line's end."""

        def labels(draw_list: imgui.ImDrawList, fonts: FontSet) -> None:
            placed = ChartLabels(draw_list, fonts, layout)
            placed.draw(incident, t, options, emphasised)
            self.card = placed.card

        self.paint(render_pass, (layout.width, layout.height), layout.pixel_ratio, labels)
