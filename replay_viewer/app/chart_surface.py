"""The window's chart texture: rendered after the GUI pass, for the state the GUI left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..render.geometry import RenderOptions
from ..render.layout import compute_layout
from ..render.live import known_count
from .presenter import caption_shown

if TYPE_CHECKING:
    from collections.abc import Callable

    import wgpu

    from ..render.layout import ChartLayout
    from ..render.renderer import ChartRenderer
    from .context import UiContext
    from .state import AppState

__all__ = ["ChartSurface"]

# What a layout is for, besides its value axes: a change of any of these lays out again.
_LAYOUT_FIELDS = ("chrome", "view", "hidden", "legend_first_row", "clock", "autoscale")


class ChartSurface:
    """Renders the window's chart after the GUI pass, for the state the GUI left, at the
    size the GUI asked for; only when what it shows changed. ``show`` points the chart's
    texture reference at a new texture (after a resize).

    The value axes fit what the state shows (the whole incident, the zoom with autoscale,
    live view's data so far): a new fit is the target of ``state.axes``, which moves the
    axes there over a few frames; while it moves only the axes are laid out again."""

    def __init__(self, renderer: ChartRenderer, show: Callable[[wgpu.GPUTexture], None]):
        self.renderer = renderer
        self.show = show
        self._key: tuple = ()
        self._target_for: tuple = ()  # what the axes' target was fitted for
        self._texture = None

    def invalidate(self) -> None:
        """Render on the next update whatever the key says (a new incident)."""
        self._key = ()
        self._target_for = ()

    def _aim_axes(self, state: AppState, size, pixel_ratio: float, options: dict) -> None:
        """Fit the axes to what the state shows (when that changed) and aim the motion
        there: animated for a zoom, autoscale, series or live view; at once for a new
        size, clock or incident."""
        frame = (size, pixel_ratio, options["chrome"], options["legend_first_row"],
                 options["clock"], id(state.incident))  # fmt: skip
        wanted = (frame, options["view"], options["hidden"], options["autoscale"],
                  options["live"])  # fmt: skip
        if wanted == self._target_for:
            return
        animate = bool(self._target_for) and self._target_for[0] == frame
        self._target_for = wanted
        target = compute_layout(state.incident, *size, pixel_ratio, **options)
        shown = self.renderer.layout.axis_ranges if self.renderer.layout else None
        state.axes.aim(target.axis_ranges, shown, state.clock(), animate=animate)

    def _stale(self, layout: ChartLayout | None, state: AppState, size, pixel_ratio, options):
        """Whether the renderer's layout is not the one to show now (``ranges``: the
        axes while they move, else None)."""
        if (layout is None or (layout.width, layout.height) != size
                or layout.pixel_ratio != pixel_ratio
                or any(getattr(layout, name) != options[name] for name in _LAYOUT_FIELDS)
                or (layout.live is None) != (options["live"] is None)):  # fmt: skip
            return True
        if options["ranges"] is not None:
            return layout.axis_ranges != options["ranges"]
        if layout.live is not None and known_count(state.incident, layout.live) != known_count(
            state.incident, state.t
        ):
            return True  # live: something became known (or, scrubbing back, unknown)
        return layout.axis_ranges != state.axes.target

    def update(self, state: AppState, ui: UiContext, pixel_ratio: float, quality: str) -> bool:
        """Render the chart if needed; True when it did."""
        renderer = self.renderer
        width, height = ui.chart_size
        if width <= 0 or height <= 0:
            return False  # nothing shows the chart this frame (a blank presenter screen)
        chrome = state.presenter.on  # presenting: the chart's own header and clock
        size = (max(int(width * pixel_ratio), 32), max(int(height * pixel_ratio), 32))
        live = state.t if state.live else None
        options = {"chrome": chrome, "view": state.view, "hidden": state.hidden,
                   "clock": state.clock_shown, "legend_first_row": state.legend_first_row,
                   "legend_scrolls": True,
                   "autoscale": state.autoscale, "live": live}  # fmt: skip
        self._aim_axes(state, size, pixel_ratio, options)
        options["ranges"] = state.axes.ranges(state.clock())
        if self._stale(renderer.layout, state, size, pixel_ratio, options):
            # A new size, zoom, set of series, legend scroll, clock, the axes moving or
            # live view's playhead: lay out again (the series' drawing is kept when only
            # the axes changed).
            renderer.resize(size[0], size[1], pixel_ratio, **options)
            state.legend_first_row = renderer.layout.legend_first_row  # clamped
            self._key = ()
        ui.chart_layout = renderer.layout
        highlight = state.highlight | ({state.hover_series} if state.hover_series else set())
        caption = caption_shown(state)  # presenting: the moment's card, fading in
        # (A new layout, e.g. for chrome, live view or the axes moving, cleared the key.)
        key = (state.t, size, pixel_ratio, state.hover, state.ghost, id(state.incident),
               state.view, state.hidden, highlight, state.clock_shown, caption, chrome,
               state.live)  # fmt: skip
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
