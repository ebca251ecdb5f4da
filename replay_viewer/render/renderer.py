"""The chart renderer: incident + time → pixels, on any WebGPU device.

Data flow: the incident's samples are uploaded once (:meth:`ChartRenderer.set_incident`);
a layout (:meth:`resize`) writes the layout uniform and small instance buffers; each frame
(:meth:`render_texture`) writes only the 160-byte frame uniform, then draws the scene pass
(grid, series, rules, markers) and the text pass (ImGui draw lists) into a texture.
:meth:`render` reads that texture back as an H×W×4 uint8 array for PNGs and tests; the
window shows the same texture. Drawing code never creates windows.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from .layout import ChartLayout, compute_layout
from .shaders import SHADER_NAMES, compile_shader
from .style import EVENT_STYLE, PALETTE, SERIES_STYLES
from .uniforms import (
    FRAME_DTYPE,
    LAYOUT_DTYPE,
    MARKER_DTYPE,
    RULE_DTYPE,
    RULE_HOVER,
    RULE_PLAYHEAD,
    SERIES_STYLE_DTYPE,
)

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from .text import ChartText

__all__ = ["QUALITY_SAMPLES", "ChartRenderer", "RenderOptions", "Spotlight"]

Quality = Literal["high", "standard"]
QUALITY_SAMPLES: dict[str, int] = {"high": 4, "standard": 1}
GAP_VALUE = 1.0e38  # matches GAP_VALUE in series_line.wgsl
# Pixel positions further out than this are off-chart anyway (and scissored); clamping keeps
# them finite in f32 when an explicit axis range is tiny compared with the data.
FAR_PX = 1.0e9


@dataclass(frozen=True)
class RenderOptions:
    """What to draw besides the data; everything here changes only uniforms or text."""

    ghost: bool = True  # show data after the playhead faintly (False: hide it)
    quality: Quality = "high"
    hover: tuple[float, float] | None = None  # pointer in logical points, inside the frame
    ghost_strength: float = 0.3


@dataclass(frozen=True)
class Spotlight:
    radius_px: float
    falloff: float
    intensity: float
    ambient: float


@dataclass
class UploadCounts:
    """How many GPU writes of each kind happened: tests assert scrubbing writes no data."""

    series_samples: int = 0
    arc_length: int = 0
    layout: int = 0
    frame: int = 0
    instances: int = 0


@dataclass
class _SeriesGpu:
    samples: wgpu.GPUBuffer
    arc_length: wgpu.GPUBuffer
    style: wgpu.GPUBuffer
    bind_group: wgpu.GPUBindGroup
    count: int
    value_low: float  # the uploaded u_v = (value - value_low) / value_span
    value_span: float


@dataclass
class _Targets:
    width: int
    height: int
    sample_count: int
    color: wgpu.GPUTexture
    msaa: wgpu.GPUTexture | None
    views: dict = field(default_factory=dict)


class _DeviceCache:
    """Shader modules, bind group layouts and pipelines, shared by every renderer on one
    device (the window's chart and its export renderer compile once)."""

    def __init__(self) -> None:
        self.modules: dict[str, wgpu.GPUShaderModule] = {}
        self.pipelines: dict[tuple[str, int, str], wgpu.GPURenderPipeline] = {}
        self.bind_group_layouts: dict[str, wgpu.GPUBindGroupLayout] = {}


_device_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache_for(device: wgpu.GPUDevice) -> _DeviceCache:
    cache = _device_caches.get(device)
    if cache is None:
        cache = _device_caches[device] = _DeviceCache()
    return cache


def calibrate_spotlight(layout: ChartLayout) -> Spotlight:
    """Spotlight size from the chart: wide enough to light a few grid cells around the
    playhead at any size and pixel ratio, never the whole chart."""
    chart = layout.chart
    radius = min(max(0.3 * chart.width, 140 * layout.pixel_ratio), 640 * layout.pixel_ratio)
    return Spotlight(radius_px=radius, falloff=1.5, intensity=1.6, ambient=0.22)


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
        self.device = device
        self.target_format = target_format
        self.uploads = UploadCounts()
        self.incident: Incident | None = None
        self.layout: ChartLayout | None = None
        self.spotlight: Spotlight | None = None
        self.text: ChartText | None = None
        self._cache = _cache_for(device)
        self._series: list[_SeriesGpu] = []
        self._targets: _Targets | None = None
        self._layout_data = np.zeros((), dtype=LAYOUT_DTYPE)
        self._frame_data = np.zeros((), dtype=FRAME_DTYPE)
        self._marker_count = 0
        self._series_marker_count = 0
        self._rule_count = 0
        self._series_axes: list = []
        self._allocate_shared()

    # -- stage 2: allocation -----------------------------------------------------------

    def _allocate_shared(self) -> None:
        import wgpu

        device = self.device
        self._layout_buffer = device.create_buffer(
            label="layout uniform",
            size=LAYOUT_DTYPE.itemsize,
            usage=wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST,
        )
        self._frame_buffer = device.create_buffer(
            label="frame uniform",
            size=FRAME_DTYPE.itemsize,
            usage=wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST,
        )
        layouts = self._cache.bind_group_layouts
        if not layouts:
            layouts["globals"], layouts["series"] = self._create_bind_group_layouts()
        self._globals_layout = layouts["globals"]
        self._series_layout = layouts["series"]
        self._globals = device.create_bind_group(
            layout=self._globals_layout,
            entries=[
                {"binding": 0, "resource": {"buffer": self._layout_buffer}},
                {"binding": 1, "resource": {"buffer": self._frame_buffer}},
            ],
        )
        # Instance buffers grow when needed; a layout rewrites them, a frame never does.
        self._marker_buffer = self._instance_buffer("markers", MARKER_DTYPE.itemsize * 256)
        self._rule_buffer = self._instance_buffer("rules", RULE_DTYPE.itemsize * 256)

    def _create_bind_group_layouts(self) -> tuple[wgpu.GPUBindGroupLayout, ...]:
        import wgpu

        device = self.device
        globals_layout = device.create_bind_group_layout(
            label="globals",
            entries=[
                {
                    "binding": binding,
                    "visibility": wgpu.ShaderStage.VERTEX | wgpu.ShaderStage.FRAGMENT,
                    "buffer": {"type": wgpu.BufferBindingType.uniform},
                }
                for binding in (0, 1)
            ],
        )
        series_layout = device.create_bind_group_layout(
            label="series",
            entries=[
                {
                    "binding": 0,
                    "visibility": wgpu.ShaderStage.VERTEX | wgpu.ShaderStage.FRAGMENT,
                    "buffer": {"type": wgpu.BufferBindingType.uniform},
                },
                {
                    "binding": 1,
                    "visibility": wgpu.ShaderStage.VERTEX,
                    "buffer": {"type": wgpu.BufferBindingType.read_only_storage},
                },
                {
                    "binding": 2,
                    "visibility": wgpu.ShaderStage.VERTEX,
                    "buffer": {"type": wgpu.BufferBindingType.read_only_storage},
                },
            ],
        )
        return globals_layout, series_layout

    def _instance_buffer(self, label: str, size: int) -> wgpu.GPUBuffer:
        import wgpu

        return self.device.create_buffer(
            label=label, size=size, usage=wgpu.BufferUsage.VERTEX | wgpu.BufferUsage.COPY_DST
        )

    # -- stage 3: shaders and pipelines ------------------------------------------------

    def compile_shaders(self, sample_counts: tuple[int, ...] = (1, 4)) -> None:
        """Compile every WGSL module and build the pipelines for the given sample counts."""
        modules = self._cache.modules
        for name in SHADER_NAMES:
            if name not in modules:
                modules[name] = compile_shader(self.device, name)
        for samples in sample_counts:
            for name in SHADER_NAMES:
                self._pipeline(name, samples)
        if self.text is not None:
            self.text.compile()

    def _pipeline(self, name: str, sample_count: int) -> wgpu.GPURenderPipeline:
        key = (name, sample_count, self.target_format)
        pipeline = self._cache.pipelines.get(key)
        if pipeline is not None:
            return pipeline
        import wgpu

        modules = self._cache.modules
        module = modules.get(name) or compile_shader(self.device, name)
        modules[name] = module
        group_layouts = [self._globals_layout]
        buffers: list[dict] = []
        topology = wgpu.PrimitiveTopology.triangle_strip
        if name == "grid.wgsl":
            topology = wgpu.PrimitiveTopology.triangle_list
        elif name == "series_line.wgsl":
            group_layouts.append(self._series_layout)
        elif name == "markers.wgsl":
            buffers = [
                _vertex_layout(
                    MARKER_DTYPE, ["position", "radius", "shape", "color", "time", "head", "hollow"]
                )
            ]
        elif name == "rules.wgsl":
            buffers = [_vertex_layout(RULE_DTYPE, ["p0", "p1", "color", "width", "dash", "flags"])]
        blend = {
            "color": {
                "src_factor": wgpu.BlendFactor.src_alpha,
                "dst_factor": wgpu.BlendFactor.one_minus_src_alpha,
                "operation": wgpu.BlendOperation.add,
            },
            "alpha": {
                "src_factor": wgpu.BlendFactor.one,
                "dst_factor": wgpu.BlendFactor.one_minus_src_alpha,
                "operation": wgpu.BlendOperation.add,
            },
        }
        pipeline = self.device.create_render_pipeline(
            label=f"{name} x{sample_count}",
            layout=self.device.create_pipeline_layout(bind_group_layouts=group_layouts),
            vertex={"module": module, "entry_point": "vs_main", "buffers": buffers},
            primitive={"topology": topology, "cull_mode": wgpu.CullMode.none},
            multisample={"count": sample_count},
            fragment={
                "module": module,
                "entry_point": "fs_main",
                "targets": [{"format": self.target_format, "blend": blend}],
            },
        )
        self._cache.pipelines[key] = pipeline
        return pipeline

    # -- data: once per incident ---------------------------------------------------------

    def set_incident(self, incident: Incident) -> None:
        """Upload the incident's samples (the only time series data goes to the GPU)."""
        import wgpu

        for gpu in self._series:
            gpu.samples.destroy()
            gpu.arc_length.destroy()
            gpu.style.destroy()
        self._series = []
        self.incident = incident
        self.layout = None
        t_span = incident.end - incident.start
        for series in incident.series:
            count = len(series.times)
            finite = series.finite_values()
            low = float(finite.min()) if finite.size else 0.0
            span = float(finite.max()) - low if finite.size else 0.0
            span = span if span > 0 else 1.0
            packed = np.empty((count, 2), dtype=np.float32)
            packed[:, 0] = (series.times - incident.start) / t_span
            with np.errstate(invalid="ignore"):
                normalised = (series.values - low) / span
            packed[:, 1] = np.where(np.isnan(series.values), GAP_VALUE, normalised)
            samples = self.device.create_buffer_with_data(
                label=f"samples {series.id}",
                data=packed.tobytes(),
                usage=wgpu.BufferUsage.STORAGE,
            )
            self.uploads.series_samples += 1
            arc_length = self.device.create_buffer(
                label=f"arc length {series.id}",
                size=count * 4,
                usage=wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_DST,
            )
            style = self.device.create_buffer(
                label=f"style {series.id}",
                size=SERIES_STYLE_DTYPE.itemsize,
                usage=wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST,
            )
            bind_group = self.device.create_bind_group(
                layout=self._series_layout,
                entries=[
                    {"binding": 0, "resource": {"buffer": style}},
                    {"binding": 1, "resource": {"buffer": samples}},
                    {"binding": 2, "resource": {"buffer": arc_length}},
                ],
            )
            self._series.append(
                _SeriesGpu(samples, arc_length, style, bind_group, count, low, span)
            )

    # -- stage 4: layout (on load, resize, pixel ratio) -----------------------------------

    def resize(
        self, width: int, height: int, pixel_ratio: float = 1.0, *, chrome: bool = True
    ) -> ChartLayout:
        """Lay out for a ``width`` × ``height`` physical-pixel frame and write the
        layout-dependent GPU data (layout uniform, arc lengths, marker and rule instances).
        ``chrome=False`` leaves out the header and footer (the window shows its own)."""
        if self.incident is None:
            raise RuntimeError("set_incident() before resize()")
        width, height = max(1, int(width)), max(1, int(height))
        layout = compute_layout(self.incident, width, height, pixel_ratio, chrome=chrome)
        self.layout = layout
        self.spotlight = calibrate_spotlight(layout)
        self._write_layout_uniform(layout, self.spotlight)
        self._write_series_layout(layout)
        self._write_instances(layout)
        return layout

    def _write_layout_uniform(self, layout: ChartLayout, spotlight: Spotlight) -> None:
        data = self._layout_data
        data["frame_size"] = (layout.width, layout.height)
        data["pixel_ratio"] = layout.pixel_ratio
        data["flags"] = 1 if self.target_format.endswith("-srgb") else 0
        chart = layout.chart
        data["chart_rect"] = (chart.x0, chart.y0, chart.x1, chart.y1)
        data["time_map"] = (layout.time_scale, layout.time_offset, layout.t_start, layout.t_end)
        data["grid_x"] = (layout.grid_x.origin, layout.grid_x.spacing, layout.grid_x.major_every, 0)
        data["grid_y"] = (layout.grid_y.origin, layout.grid_y.spacing, layout.grid_y.major_every, 0)
        data["background"] = PALETTE.background
        data["grid_minor"] = PALETTE.grid_minor
        data["grid_major"] = PALETTE.grid_major
        data["spotlight"] = (
            spotlight.radius_px,
            spotlight.falloff,
            spotlight.intensity,
            spotlight.ambient,
        )
        self.device.queue.write_buffer(self._layout_buffer, 0, data.tobytes())
        self.uploads.layout += 1

    def _write_series_layout(self, layout: ChartLayout) -> None:
        pr = layout.pixel_ratio
        incident = self.incident
        self._series_axes = [layout.axis_for(series.id) for series in incident.series]
        for index, (series, gpu) in enumerate(zip(incident.series, self._series, strict=True)):
            axis = self._series_axes[index]
            x = layout.time_offset + series.times * layout.time_scale
            y = np.clip(axis.offset + np.nan_to_num(series.values) * axis.scale, -FAR_PX, FAR_PX)
            steps = np.hypot(np.diff(x), np.diff(y))
            arc = np.zeros(len(x), dtype=np.float32)
            arc[1:] = np.cumsum(steps)
            self.device.queue.write_buffer(gpu.arc_length, 0, arc.tobytes())
            self.uploads.arc_length += 1

            line_style = SERIES_STYLES[index % len(SERIES_STYLES)]
            style = np.zeros((), dtype=SERIES_STYLE_DTYPE)
            style["color"] = (*series.color, 1.0)
            style["ghost_color"] = (*_mix(PALETTE.background[:3], series.color, 0.42), 1.0)
            style["width"] = line_style.width * pr
            t_span = incident.end - incident.start
            style["to_pixel"] = np.clip(
                (
                    layout.to_x(incident.start),
                    t_span * layout.time_scale,
                    axis.to_y(gpu.value_low),
                    gpu.value_span * axis.scale,
                ),
                -FAR_PX,
                FAR_PX,
            )
            style["dash_on"] = line_style.dash[0] * pr
            style["dash_off"] = line_style.dash[1] * pr
            self.device.queue.write_buffer(gpu.style, 0, style.tobytes())

    def _write_instances(self, layout: ChartLayout) -> None:
        incident = self.incident
        pr = layout.pixel_ratio
        chart = layout.chart
        markers: list[tuple] = []
        # Sparse sample markers, one every ~44 pt, so each series also differs by shape.
        for index, series in enumerate(incident.series):
            line_style = SERIES_STYLES[index % len(SERIES_STYLES)]
            axis = self._series_axes[index]
            if len(series.times) > 1:
                spacing_px = float(np.median(np.diff(series.times))) * layout.time_scale
                stride = max(1, math.ceil(44 * pr / max(spacing_px, 1e-6)))
            else:
                stride = 1
            # Offset each series' markers so two series never stack markers at one time.
            for i in range(index * stride // 2 % stride, len(series.times), stride):
                value = series.values[i]
                if np.isnan(value):
                    continue
                x = layout.to_x(float(series.times[i]))
                y = min(max(axis.to_y(float(value)), -FAR_PX), FAR_PX)
                markers.append(
                    (
                        (x, y),
                        2.6 * pr,
                        line_style.marker,
                        (*series.color, 1.0),
                        float(series.times[i]),
                        -1,
                        0.0,
                    )
                )
        # Heads: follow the playhead through the frame uniform.
        for index, series in enumerate(incident.series):
            line_style = SERIES_STYLES[index % len(SERIES_STYLES)]
            markers.append(
                ((0, 0), 5.0 * pr, line_style.marker, (*series.color, 1.0), 0.0, index, 0.0)
            )
        # Events on their lane under the time axis, shape and colour by kind (not clipped
        # to the chart, unlike everything above).
        self._series_marker_count = len(markers)
        for event in incident.events:
            kind = EVENT_STYLE[event.kind]
            x = layout.to_x(event.at)
            markers.append(
                ((x, layout.event_lane_y), 5.5 * pr, kind.shape, kind.color, event.at, -1, 0.0)
            )
        self._marker_count = len(markers)
        marker_data = np.zeros(len(markers), dtype=MARKER_DTYPE)
        for row, values in zip(marker_data, markers, strict=True):
            (
                row["position"],
                row["radius"],
                row["shape"],
                row["color"],
                row["time"],
                row["head"],
                row["hollow"],
            ) = values

        rules: list[tuple] = []
        # Event guides: faint dotted verticals through the chart at each event.
        for event in incident.events:
            x = math.floor(layout.to_x(event.at)) + 0.5
            color = EVENT_STYLE[event.kind].color
            rules.append(
                (
                    (x, chart.y0),
                    (x, layout.event_lane_y),
                    (*color[:3], 0.22),
                    1.0 * pr,
                    (2 * pr, 4 * pr),
                    0,
                )
            )
        # Axes: the baseline and the side axes.
        axis_color = PALETTE.axis
        rules.append(
            ((chart.x0, chart.y1 - 0.5), (chart.x1, chart.y1 - 0.5), axis_color, pr, (0, 0), 0)
        )
        for side, axis in layout.axes.items():
            x = chart.x0 + 0.5 if side == "left" else chart.x1 - 0.5
            rules.append(((x, chart.y0), (x, chart.y1), axis_color, pr, (0, 0), 0))
            for tick in axis.ticks:
                x0, x1 = (
                    (chart.x0 - 5 * pr, chart.x0)
                    if side == "left"
                    else (chart.x1, chart.x1 + 5 * pr)
                )
                rules.append(
                    ((x0, tick.pos + 0.5), (x1, tick.pos + 0.5), axis_color, pr, (0, 0), 0)
                )
        for tick in layout.time_ticks:
            rules.append(
                (
                    (tick.pos + 0.5, chart.y1),
                    (tick.pos + 0.5, chart.y1 + 5 * pr),
                    axis_color,
                    pr,
                    (0, 0),
                    0,
                )
            )
        # Thresholds: dashed lines in the series colour, on the series' axis.
        for threshold in incident.thresholds:
            series = incident.series_by_id(threshold.series_id)
            axis = layout.axis_for(series.id)
            y = math.floor(axis.to_y(threshold.value)) + 0.5
            if not chart.y0 <= y <= chart.y1:
                continue
            rules.append(
                ((chart.x0, y), (chart.x1, y), (*series.color, 0.85), 1.5 * pr, (7 * pr, 5 * pr), 0)
            )
        # Playhead and crosshair: x comes from the frame uniform.
        rules.append(
            (
                (0, chart.y0 - 4 * pr),
                (0, layout.event_lane_y + 10 * pr),
                PALETTE.playhead,
                1.5 * pr,
                (0, 0),
                RULE_PLAYHEAD,
            )
        )
        rules.append(
            ((0, chart.y0), (0, chart.y1), PALETTE.crosshair, pr, (3 * pr, 3 * pr), RULE_HOVER)
        )
        self._rule_count = len(rules)
        rule_data = np.zeros(self._rule_count, dtype=RULE_DTYPE)
        for row, values in zip(rule_data, rules, strict=True):
            row["p0"], row["p1"], row["color"], row["width"], row["dash"], row["flags"] = values

        self._marker_buffer = self._ensure_size(self._marker_buffer, "markers", marker_data.nbytes)
        self._rule_buffer = self._ensure_size(self._rule_buffer, "rules", rule_data.nbytes)
        if marker_data.nbytes:
            self.device.queue.write_buffer(self._marker_buffer, 0, marker_data.tobytes())
        if rule_data.nbytes:
            self.device.queue.write_buffer(self._rule_buffer, 0, rule_data.tobytes())
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
        import wgpu

        current = self._targets
        if current is not None and (current.width, current.height, current.sample_count) == (
            width,
            height,
            sample_count,
        ):
            return
        if current is not None:
            current.color.destroy()
            if current.msaa is not None:
                current.msaa.destroy()
        size = (width, height, 1)
        color = self.device.create_texture(
            label="chart frame",
            size=size,
            format=self.target_format,
            usage=wgpu.TextureUsage.RENDER_ATTACHMENT
            | wgpu.TextureUsage.COPY_SRC
            | wgpu.TextureUsage.TEXTURE_BINDING,
        )
        msaa = None
        if sample_count > 1:
            msaa = self.device.create_texture(
                label="chart frame msaa",
                size=size,
                format=self.target_format,
                sample_count=sample_count,
                usage=wgpu.TextureUsage.RENDER_ATTACHMENT,
            )
        self._targets = _Targets(width, height, sample_count, color, msaa)
        self._targets.views["color"] = color.create_view()
        if msaa is not None:
            self._targets.views["msaa"] = msaa.create_view()

    @property
    def shader_modules(self) -> dict:
        return dict(self._cache.modules)

    @property
    def pipelines(self) -> dict:
        return dict(self._cache.pipelines)

    # -- per frame -----------------------------------------------------------------------

    def frame_state(self, t: float, options: RenderOptions) -> np.ndarray:
        """The frame uniform for time ``t`` (pure CPU; exposed for tests)."""
        layout = self.layout
        data = self._frame_data
        data["time"] = t
        playhead_x = math.floor(layout.to_x(t)) + 0.5
        playhead_x = min(max(playhead_x, layout.chart.x0 + 0.5), layout.chart.x1 - 0.5)
        data["playhead_x"] = playhead_x
        data["ghost_alpha"] = options.ghost_strength if options.ghost else 0.0
        chart = layout.chart
        hover_x = -1.0
        spot = (playhead_x, (chart.y0 + chart.y1) / 2)
        if options.hover is not None:
            hx, hy = (v * layout.pixel_ratio for v in options.hover)
            if chart.x0 <= hx < chart.x1 and chart.y0 <= hy < chart.y1:
                hover_x = math.floor(hx) + 0.5
                spot = (hx, hy)
        data["hover_x"] = hover_x
        data["spot_center"] = spot
        data["aa_px"] = 1.0
        heads = data["heads"]
        heads[:] = 0.0
        for index, series in enumerate(self.incident.series):
            point = _line_point(series.times, series.values, t)
            if point is not None:
                axis = self._series_axes[index]
                y = min(max(axis.to_y(point[1]), -FAR_PX), FAR_PX)
                heads[index] = (layout.to_x(point[0]), y, 1.0, 0.0)
        return data

    def render_texture(self, t: float, options: RenderOptions | None = None) -> wgpu.GPUTexture:
        """Draw the frame at time ``t`` into the renderer's texture and return it."""
        import wgpu

        if self.layout is None:
            raise RuntimeError("resize() before rendering")
        options = options or RenderOptions()
        t = float(t)
        sample_count = QUALITY_SAMPLES[options.quality]
        self.allocate_targets(self.layout.width, self.layout.height, sample_count)
        targets = self._targets
        frame = self.frame_state(t, options)
        self.device.queue.write_buffer(self._frame_buffer, 0, frame.tobytes())
        self.uploads.frame += 1

        encoder = self.device.create_command_encoder(label="chart frame")
        if targets.msaa is not None:
            attachment = {
                "view": targets.views["msaa"],
                "resolve_target": targets.views["color"],
                "store_op": wgpu.StoreOp.discard,
            }
        else:
            attachment = {"view": targets.views["color"], "store_op": wgpu.StoreOp.store}
        scene = encoder.begin_render_pass(
            label="scene",
            color_attachments=[
                {**attachment, "clear_value": (0, 0, 0, 1), "load_op": wgpu.LoadOp.clear}
            ],
        )
        scene.set_bind_group(0, self._globals)
        scene.set_pipeline(self._pipeline("grid.wgsl", sample_count))
        scene.draw(3)
        # Data stays inside the chart, also where an explicit axis range cuts it off.
        chart = self.layout.chart
        scene.set_scissor_rect(chart.x0, chart.y0, chart.width, chart.height)
        scene.set_pipeline(self._pipeline("series_line.wgsl", sample_count))
        for gpu in self._series:
            if gpu.count > 1:
                scene.set_bind_group(1, gpu.bind_group)
                scene.draw(4, gpu.count - 1, 0, 0)
        markers = self._pipeline("markers.wgsl", sample_count)
        scene.set_pipeline(markers)
        scene.set_vertex_buffer(0, self._marker_buffer)
        scene.draw(4, self._series_marker_count, 0, 0)
        scene.set_scissor_rect(0, 0, self.layout.width, self.layout.height)
        if self._rule_count:
            scene.set_pipeline(self._pipeline("rules.wgsl", sample_count))
            scene.set_vertex_buffer(0, self._rule_buffer)
            scene.draw(4, self._rule_count, 0, 0)
        if self._marker_count > self._series_marker_count:
            scene.set_pipeline(markers)
            scene.set_vertex_buffer(0, self._marker_buffer)
            scene.draw(
                4, self._marker_count - self._series_marker_count, 0, self._series_marker_count
            )
        scene.end()

        if self.text is not None:
            overlay = encoder.begin_render_pass(
                label="text",
                color_attachments=[
                    {
                        "view": targets.views["color"],
                        "load_op": wgpu.LoadOp.load,
                        "store_op": wgpu.StoreOp.store,
                    }
                ],
            )
            self.text.draw(overlay, self, t, options)
            overlay.end()
        self.device.queue.submit([encoder.finish()])
        return targets.color

    def render(self, t: float, options: RenderOptions | None = None) -> np.ndarray:
        """The frame at time ``t`` as an H×W×4 uint8 RGBA array (deterministic)."""
        texture = self.render_texture(t, options)
        width, height = texture.size[0], texture.size[1]
        data = self.device.queue.read_texture(
            {"texture": texture, "mip_level": 0, "origin": (0, 0, 0)},
            {"offset": 0, "bytes_per_row": width * 4},
            (width, height, 1),
        )
        pixels = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 4)
        if self.target_format.startswith("bgra"):
            pixels = pixels[..., [2, 1, 0, 3]]
        return pixels.copy()

    def measure_frame_ms(self, t: float, options: RenderOptions, repeats: int = 3) -> float:
        """Median wall time of rendering one frame to completion on the GPU."""
        timings = []
        for _ in range(repeats):
            begin = time.perf_counter()
            texture = self.render_texture(t, options)
            # Reading one pixel back waits for the GPU to finish the frame. (wgpu 0.32's
            # on_submitted_work_done_sync is broken in the wgpu-native backend.)
            self.device.queue.read_texture(
                {"texture": texture, "origin": (0, 0, 0)}, {"bytes_per_row": 4}, (1, 1, 1)
            )
            timings.append((time.perf_counter() - begin) * 1000)
        return float(np.median(timings))


def _line_point(times: np.ndarray, values: np.ndarray, t: float) -> tuple[float, float] | None:
    """Where the drawn line is at time ``t`` (linear between samples); None in a gap or
    before the first sample. After the last sample it stays on the last one."""
    count = len(times)
    if count == 0 or t < times[0]:
        return None
    index = int(np.searchsorted(times, t, side="right")) - 1
    if index >= count - 1:
        value = values[count - 1]
        return None if np.isnan(value) else (float(times[count - 1]), float(value))
    v0, v1 = values[index], values[index + 1]
    if np.isnan(v0) or np.isnan(v1):
        return None
    t0, t1 = times[index], times[index + 1]
    fraction = (t - t0) / (t1 - t0)
    return t, float(v0 + (v1 - v0) * fraction)


def _mix(a, b, amount: float) -> tuple[float, float, float]:
    return tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _vertex_layout(dtype: np.dtype, names: list[str]) -> dict:
    """A per-instance vertex buffer layout whose attributes follow a numpy record dtype."""
    import wgpu

    formats = {
        ("f", 4, 1): "float32",
        ("f", 4, 2): "float32x2",
        ("f", 4, 4): "float32x4",
        ("u", 4, 1): "uint32",
        ("i", 4, 1): "sint32",
    }
    attributes = []
    for location, name in enumerate(names):
        field_dtype, offset = dtype.fields[name][:2]
        base = field_dtype.base
        count = int(np.prod(field_dtype.shape)) if field_dtype.shape else 1
        attributes.append(
            {
                "format": getattr(wgpu.VertexFormat, formats[(base.kind, base.itemsize, count)]),
                "offset": offset,
                "shader_location": location,
            }
        )
    return {
        "array_stride": dtype.itemsize,
        "step_mode": wgpu.VertexStepMode.instance,
        "attributes": attributes,
    }
