"""The chart renderer: incident + time → a texture (and pixels), on any WebGPU device.

Data flow: the incident's samples are normalised once (:meth:`ChartRenderer.set_incident`)
and uploaded with the first layout (a dense series: only the few samples per pixel column
that M4 keeps, per layout; see :mod:`.series_gpu`). A layout (:meth:`lay_out`, or
:meth:`resize`, which also sizes the spotlight) writes the layout uniform and small instance
buffers; each frame (:meth:`render_texture`) writes only the frame uniform, then draws the
scene pass (grid, series, rules, markers) and the text pass (ImGui draw lists) into a
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
from .instances import grid_rule_instances, marker_instances, rule_instances
from .layout import ChartLayout, compute_layout
from .pipelines import SHADERS, cache_for
from .series_gpu import SeriesGpu
from .targets import Readback, RenderTargets
from .uniforms import FRAME_DTYPE, LAYOUT_DTYPE

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from ..timecode import ClockMode
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
        self._series: list[SeriesGpu] = []
        self._axes: list = []
        self._targets: RenderTargets | None = None
        self._frame_data = np.zeros((), dtype=FRAME_DTYPE)
        self._marker_count = self._series_marker_count = self._rule_count = 0
        self._grid_rule_count = 0
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
        self._readback: Readback | None = None
        # Instance buffers grow when needed; a layout rewrites them, a frame never does.
        self._marker_buffer = self._instance_buffer("markers", 256 * 64)
        self._rule_buffer = self._instance_buffer("rules", 256 * 64)

    def _instance_buffer(self, label: str, size: int) -> wgpu.GPUBuffer:
        import wgpu

        usage = wgpu.BufferUsage.VERTEX | wgpu.BufferUsage.COPY_DST
        return self.device.create_buffer(label=label, size=size, usage=usage)

    # -- shaders and pipelines -----------------------------------------------------------

    def compile_shaders(self, sample_counts: tuple[int, ...] = (1, 4)) -> None:
        """Compile every WGSL module and build the pipelines for the given sample counts."""
        for samples in sample_counts:
            for shader in SHADERS:
                if shader == "grid_spot" and samples > 1:
                    continue  # only 1× frames start from the cached grid
                self.cache.pipeline(shader, samples, self.target_format)
        if self.text is not None:
            self.text.compile()

    @property
    def shader_modules(self) -> dict:
        return dict(self.cache.modules)

    @property
    def pipelines(self) -> dict:
        return dict(self.cache.pipelines)

    # -- data: once per incident ---------------------------------------------------------

    def set_incident(self, incident: Incident) -> None:
        """Take a new incident: normalise its samples (the upload follows with the layout:
        every sample once, or a few per pixel column for dense series)."""
        for gpu in self._series:
            gpu.destroy()
        self.incident = incident
        self.layout = None
        group_layout = self.cache.bind_group_layout("series")
        self._series = [
            SeriesGpu(self.device, incident, index, group_layout)
            for index in range(len(incident.series))
        ]

    # -- layout (on load, resize, pixel ratio) -------------------------------------------

    def lay_out(
        self,
        width: int,
        height: int,
        pixel_ratio: float = 1.0,
        *,
        chrome: bool = True,
        view: tuple[float, float] | None = None,
        hidden: frozenset[str] = frozenset(),
        clock: ClockMode = "relative",
    ) -> ChartLayout:
        """Lay out the grid for a ``width`` × ``height`` physical-pixel frame and write the
        layout-dependent GPU data (arc lengths, series styles, marker and rule instances).
        ``chrome=False`` leaves out the header and footer (the window shows its own);
        ``view`` is the time range shown (zoom); ``hidden`` series are not drawn; ``clock``
        "wall" puts the time axis and readouts on the wall clock."""
        if self.incident is None:
            raise RuntimeError("set_incident() before lay_out()")
        width, height = max(1, int(width)), max(1, int(height))
        layout = compute_layout(self.incident, width, height, pixel_ratio, chrome=chrome,
                                view=view, hidden=hidden, clock=clock)  # fmt: skip
        self.layout = layout
        self._axes = [layout.axis_for(series.id) for series in self.incident.series]
        self._write_series_layout(layout)
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

    def _write_series_layout(self, layout: ChartLayout) -> None:
        for gpu, axis in zip(self._series, self._axes, strict=True):
            if gpu.lay_out(layout, axis):
                self.uploads.series_samples += 1
            self.uploads.arc_length += 1

    def _write_instances(self, layout: ChartLayout) -> None:
        markers, self._series_marker_count = marker_instances(self.incident, layout, self._axes)
        grid = grid_rule_instances(layout)  # drawn under the data, the rest over it
        rules = np.concatenate([grid, rule_instances(self.incident, layout)])
        self._grid_rule_count = len(grid)
        self._marker_count, self._rule_count = len(markers), len(rules)
        self._marker_buffer = self._ensure_size(self._marker_buffer, "markers", markers.nbytes)
        self._rule_buffer = self._ensure_size(self._rule_buffer, "rules", rules.nbytes)
        if markers.nbytes:
            self.device.queue.write_buffer(self._marker_buffer, 0, markers.tobytes())
        if rules.nbytes:
            self.device.queue.write_buffer(self._rule_buffer, 0, rules.tobytes())
        self.uploads.instances += 1

    def _ensure_size(self, buffer: wgpu.GPUBuffer, label: str, nbytes: int) -> wgpu.GPUBuffer:
        if nbytes <= buffer.size:
            return buffer
        buffer.destroy()
        return self._instance_buffer(label, 1 << max(8, math.ceil(math.log2(nbytes))))

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
        return frame_uniform(self.incident, self.layout, self._axes, t, options, self._frame_data)

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
            self.text.draw(overlay, self.layout, self.incident, t, options)
            overlay.end()
        self.device.queue.submit([encoder.finish()])
        return self._targets.color

    def _draw_scene(self, encoder: wgpu.GPUCommandEncoder, sample_count: int) -> None:
        def pipeline(shader: str) -> wgpu.GPURenderPipeline:
            return self.cache.pipeline(shader, sample_count, self.target_format)

        cached = sample_count == 1 and self.use_grid_cache
        if cached:
            playhead_x = float(self._frame_data["playhead_x"])
            self.grid_cache.copy_into(encoder, self._targets.color, playhead_x)
        attachment = self._targets.scene_attachment()
        load_op = "load" if cached else "clear"  # a 1× frame starts as the grid's copy
        scene = encoder.begin_render_pass(
            label="scene",
            color_attachments=[{**attachment, "clear_value": (0, 0, 0, 1), "load_op": load_op}],
        )
        scene.set_bind_group(0, self._globals)
        scene.set_pipeline(pipeline("grid_spot" if cached else "grid"))
        scene.draw(4 if cached else 3)
        layout = self.layout
        if self._grid_rule_count:  # stacked panes' grids
            scene.set_pipeline(pipeline("rules"))
            scene.set_vertex_buffer(0, self._rule_buffer)
            scene.draw(4, self._grid_rule_count, 0, 0)
        # Data stays inside its pane, also where an explicit axis range cuts it off.
        chart = layout.chart
        scene.set_pipeline(pipeline("series_line"))
        for gpu, axis in zip(self._series, self._axes, strict=True):
            if gpu.count > 1 and gpu.series.id not in layout.hidden:
                scene.set_scissor_rect(chart.x0, axis.y0, chart.width, axis.y1 - axis.y0)
                scene.set_bind_group(1, gpu.bind_group)
                scene.draw(4, gpu.count - 1, 0, 0)
        scene.set_scissor_rect(chart.x0, chart.y0, chart.width, chart.height)
        scene.set_pipeline(pipeline("markers"))
        scene.set_vertex_buffer(0, self._marker_buffer)
        scene.draw(4, self._series_marker_count, 0, 0)
        scene.set_scissor_rect(0, 0, self.layout.width, self.layout.height)
        if self._rule_count > self._grid_rule_count:
            scene.set_pipeline(pipeline("rules"))
            scene.set_vertex_buffer(0, self._rule_buffer)
            scene.draw(4, self._rule_count - self._grid_rule_count, 0, self._grid_rule_count)
        events = self._marker_count - self._series_marker_count
        if events:
            scene.set_pipeline(pipeline("markers"))
            scene.set_vertex_buffer(0, self._marker_buffer)
            scene.draw(4, events, 0, self._series_marker_count)
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
