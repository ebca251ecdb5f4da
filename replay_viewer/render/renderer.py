"""The chart renderer: incident + time → a texture (and pixels), on any WebGPU device.

Data flow: :meth:`ChartRenderer.set_incident` sizes the per-series buffers; a layout
(:meth:`lay_out`, or :meth:`resize`, which also sizes the spotlight) writes what each series
draws in it (its samples in view, or a dense series' envelope: see :mod:`.series_buffers`),
the layout uniform and small instance buffers, and the scene's table of draws
(:mod:`.passes`); each frame (:meth:`render_texture`) writes only the frame uniform and the
series' heads, then walks the table (grid, envelopes, all lines in one instanced draw, the
highlighted members, markers, rules) and draws the text pass (ImGui draw lists) into a
texture. :meth:`render` reads it back as H×W×4 pixels for PNGs and tests; the window shows
the same texture. The numbers come from :mod:`.geometry` (pure), the pipelines from
:mod:`.pipelines`, the textures from :mod:`.targets`. Drawing code never creates windows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .geometry import (
    QUALITY_SAMPLES,
    RenderOptions,
    Spotlight,
    calibrate_spotlight,
    frame_uniform,
    layout_uniform,
)
from .grid_cache import GridCache
from .heatmap_buffers import HeatmapBuffers
from .instances import layout_instances
from .layer_cache import WORTH_CACHING, LayerCache
from .layout import ChartLayout, compute_layout
from .passes import SERIES_SHADERS, SceneCounts, scene_table, with_emphasis
from .pipelines import SHADERS, cache_for
from .series_buffers import SeriesBuffers
from .series_geometry import emphasised_members, head_records
from .targets import Readback, RenderTargets
from .uniforms import FRAME_DTYPE, LAYOUT_DTYPE

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from .passes import Draw
    from .text import ChartText

__all__ = ["QUALITY_SAMPLES", "ChartRenderer", "RenderOptions", "Spotlight", "UploadCounts"]


@dataclass
class UploadCounts:
    """How many GPU writes of each kind happened: tests assert scrubbing writes no data."""

    series_samples: int = 0
    arc_length: int = 0
    layout: int = 0
    frame: int = 0
    instances: int = 0


class ChartRenderer:
    """Draws one incident into textures of one size; reusable across frames and incidents.

    Parameters
    ----------
    device
        The wgpu device (the window shares its device with the renderer).
    target_format
        Format of the colour texture; ``*-srgb`` formats are handled (the shaders then
        output linear colour).
    """

    def __init__(self, device: wgpu.GPUDevice, *, target_format: str = "rgba8unorm") -> None:
        import wgpu

        self.device = device
        self.target_format = target_format
        self.uploads = UploadCounts()
        self.incident: Incident | None = None
        self.layout: ChartLayout | None = None
        self.spotlight: Spotlight | None = None
        self.text: ChartText | None = None
        self.cache = cache_for(device)
        self.series = SeriesBuffers(device, self.cache)
        self.heatmaps = HeatmapBuffers(device, self.cache)  # bind group 2 of the heatmaps
        self._axes: list = []
        self._targets: RenderTargets | None = None
        self._frame_data = np.zeros((), dtype=FRAME_DTYPE)
        self._heads: np.ndarray | None = None
        self._scene: list[Draw] = []  # the layout's draws (passes.scene_table)
        self.emphasised: tuple[int, ...] = ()  # the last frame's highlighted members
        uniform = wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST
        self._layout_buffer = device.create_buffer(
            label="layout uniform", size=LAYOUT_DTYPE.itemsize, usage=uniform
        )
        self._frame_buffer = device.create_buffer(
            label="frame uniform", size=FRAME_DTYPE.itemsize, usage=uniform
        )
        self._globals = device.create_bind_group(
            layout=self.cache.bind_group_layout("globals"),
            entries=[
                {"binding": 0, "resource": {"buffer": self._layout_buffer}},
                {"binding": 1, "resource": {"buffer": self._frame_buffer}},
            ],
        )
        # 1× frames copy the grid drawn once per layout and redraw only the spotlight.
        self.grid_cache = GridCache(device, self.cache, self._layout_buffer)
        self.use_grid_cache = True  # False: the full grid pass every frame (tests compare)
        # 1× frames after a layout's first composite the series drawn once per layout.
        self.layer_cache = LayerCache(device, self.cache, self._layout_buffer)
        self.use_layer_cache = True  # False: every series drawn every frame (tests compare)
        self._direct_frames = 0  # frames drawn directly since the layout changed
        self._readback: Readback | None = None
        # Instance buffers grow when needed; a layout rewrites them, a frame never does.
        self._marker_buffer = _instance_buffer(device, "markers", 256 * 64)
        self._rule_buffer = _instance_buffer(device, "rules", 256 * 64)

    # -- shaders and pipelines -----------------------------------------------------------

    def compile_shaders(self, sample_counts: tuple[int, ...] = (1, 4)) -> None:
        """Compile every WGSL module and build the pipelines for the given sample counts."""
        for samples in sample_counts:
            for shader in SHADERS:
                if shader in ("grid_spot", "layer") and samples > 1:
                    continue  # only 1× frames use the cached grid and data layer
                self.cache.pipeline(shader, samples, self.target_format)
        self.series.group()
        if self.text is not None:
            self.text.compile()

    # -- data: once per incident ---------------------------------------------------------

    def set_incident(self, incident: Incident) -> None:
        """Take a new incident (what its series draw is written with the layout)."""
        self.incident = incident
        self.layout = None
        self.series.set_incident(incident)
        self._heads = None

    # -- layout (on load, resize, pixel ratio) -------------------------------------------

    def lay_out(self, width: int, height: int, pixel_ratio: float = 1.0, **options) -> ChartLayout:
        """Lay out the grid for a ``width`` × ``height`` physical-pixel frame and write the
        layout-dependent GPU data (what each series draws, styles, marker and rule
        instances). ``options`` are :func:`.layout.compute_layout`'s: ``chrome=False``
        leaves out the header and footer (the window shows its own); ``view`` is the time
        range shown (zoom), ``hidden`` series are not drawn, ``clock``, ``theme``,
        ``autoscale``, ``live``, the axes' ``ranges`` and ``milestones`` (False: no milestone
        lane, as the storyboard's panels). A layout that changes only the
        value axes keeps what each series draws (an axis moving costs no envelopes)."""
        if self.incident is None:
            raise RuntimeError("set_incident() before lay_out()")
        width, height = max(1, int(width)), max(1, int(height))
        layout = compute_layout(self.incident, width, height, pixel_ratio, **options)
        self.layout = layout
        self._axes = [layout.axis_for(series.id) for series in self.incident.series]
        self.series.lay_out(layout, self._axes)
        self.heatmaps.lay_out(self.incident, layout)
        self.layer_cache.invalidate()
        self._direct_frames = 0
        self.uploads.series_samples += 1
        self.uploads.arc_length += 1
        self._write_instances(layout)
        return layout

    def set_spotlight(self, spotlight: Spotlight) -> None:
        """Write the layout uniform with this spotlight (after :meth:`lay_out`)."""
        self.spotlight = spotlight
        srgb = self.target_format.endswith("-srgb")
        data = layout_uniform(self.layout, spotlight, srgb=srgb)
        self.device.queue.write_buffer(self._layout_buffer, 0, data.tobytes())
        self.uploads.layout += 1
        self.grid_cache.invalidate()

    def resize(self, width: int, height: int, pixel_ratio: float = 1.0, **layout_options):
        """:meth:`lay_out` and size the spotlight for the new chart: what a window resize,
        a zoom or an export size needs."""
        layout = self.lay_out(width, height, pixel_ratio, **layout_options)
        self.set_spotlight(calibrate_spotlight(layout))
        return layout

    def _write_instances(self, layout: ChartLayout) -> None:
        markers, series_markers, rules, grid_rules = layout_instances(
            self.incident, layout, self._axes, self.series.drawn, self.series.colors
        )
        counts = SceneCounts(
            grid_rules=grid_rules,
            rules=len(rules),
            series_markers=series_markers,
            markers=len(markers),
            **self.series.scene_counts(),
            heatmaps=self.heatmaps.count,
        )
        self._scene = scene_table(counts, layout)
        device = self.device
        self._marker_buffer = _big_enough(device, self._marker_buffer, "markers", markers.nbytes)
        self._rule_buffer = _big_enough(device, self._rule_buffer, "rules", rules.nbytes)
        if markers.nbytes:
            self.device.queue.write_buffer(self._marker_buffer, 0, markers.tobytes())
        if rules.nbytes:
            self.device.queue.write_buffer(self._rule_buffer, 0, rules.tobytes())
        self.uploads.instances += 1

    # -- targets -------------------------------------------------------------------------

    def allocate_targets(self, width: int, height: int, sample_count: int) -> None:
        """Create the colour texture (and the multisampled one) for a frame size; kept
        until the size or sample count changes."""
        if self._targets is not None and self._targets.fits(width, height, sample_count):
            return
        if self._targets is not None:
            self._targets.destroy()
        self._targets = RenderTargets.create(
            self.device, width, height, sample_count, self.target_format
        )

    # -- per frame -----------------------------------------------------------------------

    def frame_state(self, t: float, options: RenderOptions) -> np.ndarray:
        """The frame uniform for time ``t`` (pure CPU; exposed for tests)."""
        return frame_uniform(self.layout, t, options, self._frame_data)

    def heads_state(self, t: float, options: RenderOptions) -> np.ndarray:
        """Each series' head at ``t`` and the highlighted members (pure CPU; sets
        :attr:`emphasised`)."""
        layout = self.layout
        self.emphasised = emphasised_members(self.incident, t, layout.hidden, options.highlight)
        self._heads = head_records(self.incident, layout, self._axes, t, self.emphasised,
                                   self._heads)  # fmt: skip
        return self._heads

    def render_texture(self, t: float, options: RenderOptions | None = None) -> wgpu.GPUTexture:
        """Draw the frame at time ``t`` into the renderer's texture and return it."""
        if self.layout is None or self.spotlight is None:
            raise RuntimeError("resize() before rendering")
        options = options or RenderOptions()
        t = float(t)
        sample_count = QUALITY_SAMPLES[options.quality]
        self.allocate_targets(self.layout.width, self.layout.height, sample_count)
        frame = self.frame_state(t, options)
        self.device.queue.write_buffer(self._frame_buffer, 0, frame.tobytes())
        self.series.write_heads(self.heads_state(t, options))
        self.uploads.frame += 1

        encoder = self.device.create_command_encoder(label="chart frame")
        self._draw_scene(encoder, sample_count)
        if self.text is not None:
            overlay = encoder.begin_render_pass(
                label="text",
                color_attachments=[
                    {"view": self._targets.color_view, "load_op": "load", "store_op": "store"}
                ],
            )
            self.text.draw(overlay, self.layout, self.incident, t, options,
                           emphasised=self.emphasised)  # fmt: skip
            overlay.end()
        self.device.queue.submit([encoder.finish()])
        return self._targets.color

    def _caches_for(self, encoder: wgpu.GPUCommandEncoder, sample_count: int) -> frozenset:
        """Which caches this frame uses (building the data layer on a layout's second 1×
        frame: a single export draws directly and builds nothing)."""
        if sample_count != 1:
            return frozenset()
        caches = {"grid_cache"} if self.use_grid_cache else set()
        drawn = self.series.point_count + self.series.band_count
        if self.use_layer_cache and drawn >= WORTH_CACHING:
            size = (self.layout.width, self.layout.height, self.target_format)
            ghost = float(self._frame_data["ghost_alpha"])
            if not self.layer_cache.ready(*size, ghost) and self._direct_frames >= 1:
                self.layer_cache.build(encoder, size, ghost, self._draw_series_layer)
            if self.layer_cache.ready(*size, ghost):
                caches.add("layer_cache")
        if "layer_cache" not in caches:
            self._direct_frames += 1
        return frozenset(caches)

    def _draw_series_layer(self, layer: wgpu.GPURenderPassEncoder) -> None:
        layer.set_bind_group(1, self.series.group())
        for draw in self._scene:
            if draw.shader in SERIES_SHADERS:
                self._draw(layer, draw, 1)

    def _draw(self, scene: wgpu.GPURenderPassEncoder, draw: Draw, sample_count: int) -> None:
        scene.set_pipeline(self.cache.pipeline(draw.shader, sample_count, self.target_format))
        if draw.instances is not None:
            buffers = {"markers": self._marker_buffer, "rules": self._rule_buffer}
            scene.set_vertex_buffer(0, buffers[draw.instances])
        if draw.shader == "heatmap":  # (a frame that draws them composites no layer)
            scene.set_bind_group(2, self.heatmaps.group())
        clip = draw.clip
        if clip is None:
            scene.set_scissor_rect(0, 0, self.layout.width, self.layout.height)
        else:
            scene.set_scissor_rect(clip.x0, clip.y0, clip.width, clip.height)
        scene.draw(draw.vertices, draw.count, 0, draw.first)

    def _draw_scene(self, encoder: wgpu.GPUCommandEncoder, sample_count: int) -> None:
        """Walk the scene table (with this frame's highlighted members) in one pass."""
        caches = self._caches_for(encoder, sample_count)
        if "grid_cache" in caches:
            playhead_x = float(self._frame_data["playhead_x"])
            self.grid_cache.copy_into(encoder, self._targets.color, playhead_x)
        attachment = self._targets.scene_attachment()
        load_op = "load" if "grid_cache" in caches else "clear"  # 1×: the grid's copy
        scene = encoder.begin_render_pass(
            label="scene",
            color_attachments=[{**attachment, "clear_value": (0, 0, 0, 1), "load_op": load_op}],
        )
        scene.set_bind_group(0, self._globals)
        scene.set_bind_group(1, self.series.group())
        if "layer_cache" in caches:
            scene.set_bind_group(2, self.layer_cache.bind_group)
        ranges = [self.series.ranges[i] for i in self.emphasised if i in self.series.ranges]
        for draw in with_emphasis(self._scene, ranges, self.layout):
            if draw.applies(caches):
                self._draw(scene, draw, sample_count)
        scene.end()

    def render(self, t: float, options: RenderOptions | None = None) -> np.ndarray:
        """The frame at time ``t`` as an H×W×4 uint8 RGBA array (deterministic), read back
        through one buffer kept for the next frame."""
        texture = self.render_texture(t, options)
        if self._readback is None:
            self._readback = Readback(self.device)
        encoder = self.device.create_command_encoder(label="readback")
        self._readback.record(encoder, texture)
        self.device.queue.submit([encoder.finish()])
        return self._readback.pixels()

    def wait(self) -> None:
        """Block until the GPU has finished the submitted work (reads one pixel back:
        wgpu 0.32's on_submitted_work_done_sync is broken in the wgpu-native backend)."""
        if self._targets is not None:
            self.device.queue.read_texture(
                {"texture": self._targets.color, "origin": (0, 0, 0)},
                {"bytes_per_row": 4},
                (1, 1, 1),
            )


def _instance_buffer(device: wgpu.GPUDevice, label: str, size: int) -> wgpu.GPUBuffer:
    import wgpu

    usage = wgpu.BufferUsage.VERTEX | wgpu.BufferUsage.COPY_DST
    return device.create_buffer(label=label, size=size, usage=usage)


def _big_enough(
    device: wgpu.GPUDevice, buffer: wgpu.GPUBuffer, label: str, nbytes: int
) -> wgpu.GPUBuffer:
    """``buffer``, or a new one of the next power of two that holds ``nbytes``."""
    if nbytes <= buffer.size:
        return buffer
    buffer.destroy()
    return _instance_buffer(device, label, 1 << max(8, math.ceil(math.log2(nbytes))))
