"""The window's chart texture: rendered after the GUI pass, for the state the GUI left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..render.geometry import RenderOptions
from .presenter import caption_shown

if TYPE_CHECKING:
    from collections.abc import Callable

    import wgpu

    from ..render.renderer import ChartRenderer
    from .context import UiContext
    from .state import AppState

__all__ = ["ChartSurface"]


class ChartSurface:
    """Renders the window's chart after the GUI pass, for the state the GUI left, at the
    size the GUI asked for; only when what it shows changed. ``show`` points the chart's
    texture reference at a new texture (after a resize)."""

    def __init__(self, renderer: ChartRenderer, show: Callable[[wgpu.GPUTexture], None]):
        self.renderer = renderer
        self.show = show
        self._key: tuple = ()
        self._texture = None

    def invalidate(self) -> None:
        """Render on the next update whatever the key says (a new incident)."""
        self._key = ()

    def update(self, state: AppState, ui: UiContext, pixel_ratio: float, quality: str) -> bool:
        """Render the chart if needed; True when it did."""
        renderer = self.renderer
        width, height = ui.chart_size
        if width <= 0 or height <= 0:
            return False  # nothing shows the chart this frame (a blank presenter screen)
        chrome = state.presenter.on  # presenting: the chart's own header and clock
        size = (max(int(width * pixel_ratio), 32), max(int(height * pixel_ratio), 32))
        layout = renderer.layout
        if (
            layout is None
            or layout.chrome != chrome
            or (layout.width, layout.height) != size
            or layout.pixel_ratio != pixel_ratio
            or layout.view != state.view
            or layout.hidden != state.hidden
            or layout.legend_first_row != state.legend_first_row
            or layout.clock != state.clock_shown
        ):  # a new size, zoom, set of series, legend scroll or clock: lay out again
            renderer.resize(size[0], size[1], pixel_ratio, chrome=chrome, view=state.view,
                            hidden=state.hidden, clock=state.clock_shown,
                            legend_first_row=state.legend_first_row)  # fmt: skip
            state.legend_first_row = renderer.layout.legend_first_row  # clamped
        ui.chart_layout = renderer.layout
        highlight = state.highlight | ({state.hover_series} if state.hover_series else set())
        caption = caption_shown(state)  # presenting: the moment's card, fading in
        key = (state.t, size, pixel_ratio, state.hover, state.ghost, id(state.incident),
               state.view, state.hidden, highlight, state.clock_shown, caption)  # fmt: skip
        if key == self._key:
            return False
        self._key = key
        options = RenderOptions(ghost=state.ghost, quality=quality, hover=state.hover,
                                highlight=frozenset(highlight), caption=caption)  # fmt: skip
        texture = renderer.render_texture(state.t, options)
        if texture is not self._texture:  # a new size: show the new texture
            self._texture = texture
            self.show(texture)
        return True
