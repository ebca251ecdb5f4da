"""Text on the chart, drawn on the GPU through Dear ImGui draw lists.

The chart has its own ImGui context (separate from the window's UI context) whose draw
lists are rendered by wgpu's ImGui backend into the chart texture, after the scene pass.
So the exported PNG and the window show the same text from the same code path. ImGui
rasterises fonts on demand at the frame's pixel ratio (dynamic fonts, ImGui ≥ 1.92), so
text stays sharp at ``--scale 2`` and on HiDPI screens.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from .fonts import FontSet
from .imgui_backend import ImguiBackend
from .labels import ChartLabels

if TYPE_CHECKING:
    from collections.abc import Iterator

    import wgpu

    from ..model import Incident
    from .geometry import RenderOptions
    from .layout import ChartLayout

__all__ = ["ChartText"]


class ChartText:
    """Draws the chart's text for one frame into a render pass."""

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
        self.compile()
        with self._current():
            io = imgui.get_io()
            io.display_size = (
                layout.width / layout.pixel_ratio,
                layout.height / layout.pixel_ratio,
            )
            io.display_framebuffer_scale = (layout.pixel_ratio, layout.pixel_ratio)
            io.delta_time = 1 / 60
            imgui.new_frame()
            try:
                labels = ChartLabels(imgui.get_background_draw_list(), self.fonts, layout)
                labels.draw(incident, t, options, emphasised)
                self.card = labels.card
            finally:
                imgui.render()
            self.backend.render(imgui.get_draw_data(), render_pass)
