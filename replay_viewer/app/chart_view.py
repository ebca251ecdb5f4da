"""The chart in the window: its image, hover crosshair and tooltip, click and drag to scrub.

The chart texture itself is rendered by the window after the GUI pass, for the state as
this frame left it (so a scrub shows in the same frame); here the GUI only asks for its size
(``ui.chart_size``) and places it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..describe import format_reading
from ..render.draw_list import draw_marker_shape
from ..render.geometry import RenderOptions
from ..render.style import MARKERS, series_style
from ..timecode import format_timecode
from .theme import TEXT, text

if TYPE_CHECKING:
    from collections.abc import Callable

    import wgpu

    from ..render.renderer import ChartRenderer
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["ChartSurface", "gui_chart"]


def gui_chart(state: AppState, ui: UiContext, actions: Actions, width: float, height: float):
    """Place the chart (``width`` × ``height`` points) at the cursor and handle its input."""
    origin = imgui.get_cursor_screen_pos()
    ui.chart_origin = (origin.x, origin.y)
    ui.chart_size = (width, height)
    if ui.chart_texture is not None:
        imgui.image(ui.chart_texture, (width, height))
    else:
        imgui.dummy((width, height))
    # An invisible button over the image takes clicks and drags (an image takes none).
    imgui.set_cursor_screen_pos(origin)
    imgui.invisible_button("chart-input", (width, height))
    ui.mark("chart")
    layout = ui.chart_layout
    if layout is None:
        return
    mouse = imgui.get_mouse_pos()
    local = (mouse.x - origin.x, mouse.y - origin.y)
    chart = layout.chart
    inside = (
        imgui.is_item_hovered()
        and (chart.x0 <= local[0] * layout.pixel_ratio < chart.x1)
        and (chart.y0 <= local[1] * layout.pixel_ratio < chart.y1)
    )
    state.hover = local if inside else None
    if not inside:
        return
    t = layout.to_t(local[0] * layout.pixel_ratio)
    if imgui.is_item_active():  # click or drag on the chart scrubs to the pointer
        state.seek(t)
    _tooltip(state, ui, t)


def _tooltip(state: AppState, ui: UiContext, t: float) -> None:
    imgui.begin_tooltip()
    text(ui.fonts.mono, 14, TEXT, format_timecode(t))
    wall = state.incident.wall_clock(t)
    if wall is not None:
        imgui.same_line()
        imgui.text_disabled(wall.strftime("%H:%M:%S"))
    for index, series in enumerate(state.incident.series):
        corner = imgui.get_cursor_screen_pos()
        line_h = imgui.get_text_line_height()
        center = (corner.x + 6, corner.y + line_h / 2)
        color = (*series.color, 1.0)
        shape = series_style(index).marker
        draw_marker_shape(
            imgui.get_window_draw_list(), center, MARKERS.tooltip_radius, shape, color
        )
        imgui.dummy((14, line_h))
        imgui.same_line()
        imgui.text(f"{series.label}: {format_reading(series, series.value_at(t))}")
    imgui.end_tooltip()


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
        size = (max(int(width * pixel_ratio), 32), max(int(height * pixel_ratio), 32))
        layout = renderer.layout
        if (
            layout is None
            or layout.chrome
            or (layout.width, layout.height) != size
            or layout.pixel_ratio != pixel_ratio
        ):
            renderer.resize(size[0], size[1], pixel_ratio, chrome=False)
        ui.chart_layout = renderer.layout
        key = (state.t, size, pixel_ratio, state.hover, state.ghost, id(state.incident))
        if key == self._key:
            return False
        self._key = key
        options = RenderOptions(ghost=state.ghost, quality=quality, hover=state.hover)
        texture = renderer.render_texture(state.t, options)
        if texture is not self._texture:  # a new size: show the new texture
            self._texture = texture
            self.show(texture)
        return True
