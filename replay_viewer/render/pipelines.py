"""Render pipelines from a table of shader specs, cached per device.

Each chart shader has a :class:`ShaderSpec`: topology, the bind groups it uses, and (for
instanced shaders) the numpy record dtype whose fields are its vertex attributes, in
``@location`` order. tests/test_pipelines.py holds those attributes against the WGSL
structs, as tests/test_uniforms.py does for the uniform blocks.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .shaders import compile_shader
from .uniforms import MARKER_DTYPE, RULE_DTYPE

if TYPE_CHECKING:
    import wgpu

__all__ = ["SHADERS", "DeviceCache", "ShaderSpec", "cache_for", "vertex_attributes"]


@dataclass(frozen=True)
class ShaderSpec:
    file: str
    topology: str  # a wgpu.PrimitiveTopology value
    groups: tuple[str, ...]  # bind group layouts, by name (BIND_GROUPS), in group order
    instances: np.dtype | None = None  # per-instance vertex records
    instance_struct: str = ""  # the WGSL struct that declares those @locations
    # Writes alpha 1 everywhere: no blending (on a software rasteriser blending reads the
    # target back for every fragment; src·1 + dst·0 is src exactly, so pixels are the same).
    opaque: bool = False
    premultiplied: bool = False  # the shader outputs premultiplied colour
    vertex_entry: str = "vs_main"


SHADERS = {
    "grid": ShaderSpec("grid.wgsl", "triangle-list", ("globals",), opaque=True),
    # The grid again, only over the spotlight's box (render/grid_cache.py).
    "grid_spot": ShaderSpec(
        "grid.wgsl", "triangle-strip", ("globals",), opaque=True, vertex_entry="vs_spot"
    ),
    "series_band": ShaderSpec("series_band.wgsl", "triangle-strip", ("globals", "series")),
    "series_line": ShaderSpec("series_line.wgsl", "triangle-strip", ("globals", "series")),
    # Baselines' worse bands: a trapezoid per pair of records (render/baseline_geometry.py).
    "baseline_band": ShaderSpec(
        "series_band.wgsl", "triangle-strip", ("globals", "series"), vertex_entry="vs_worse"
    ),
    # The highlighted group members again, wider and bright, over the rest.
    "series_emphasis": ShaderSpec(
        "series_line.wgsl", "triangle-strip", ("globals", "series"), vertex_entry="vs_emphasis"
    ),
    # The data layer drawn once per layout, composited per frame (render/layer_cache.py).
    "layer": ShaderSpec(
        "layer.wgsl", "triangle-strip", ("globals", "series", "layer"), premultiplied=True
    ),
    "markers": ShaderSpec(
        "markers.wgsl", "triangle-strip", ("globals", "series"), MARKER_DTYPE, "MarkerIn"
    ),
    "rules": ShaderSpec("rules.wgsl", "triangle-strip", ("globals",), RULE_DTYPE, "RuleIn"),
    # Every histogram's cells, a quad per heatmap (render/heatmap_buffers.py).
    "heatmap": ShaderSpec("heatmap.wgsl", "triangle-strip", ("globals", "series", "heatmap")),
}

# (binding, buffer type or "texture", stages) per bind group; "vf" = vertex and fragment,
# "v" = vertex, "f" = fragment.
BIND_GROUPS = {
    "globals": ((0, "uniform", "vf"), (1, "uniform", "vf")),  # layout, frame
    # styles, heads, points, envelope columns
    "series": (
        (0, "read-only-storage", "vf"),
        (1, "read-only-storage", "vf"),
        (2, "read-only-storage", "v"),
        (3, "read-only-storage", "v"),
    ),
    "layer": ((0, "texture", "f"), (1, "texture", "f")),  # the data layer: past, future
    # heatmap records, cells, pixel rows' buckets
    "heatmap": (
        (0, "read-only-storage", "vf"),
        (1, "read-only-storage", "f"),
        (2, "read-only-storage", "f"),
    ),
}

_VERTEX_FORMATS = {
    ("f", 4, 1): "float32",
    ("f", 4, 2): "float32x2",
    ("f", 4, 4): "float32x4",
    ("u", 4, 1): "uint32",
    ("i", 4, 1): "sint32",
}


def vertex_attributes(dtype: np.dtype) -> list[tuple[str, str, int]]:
    """(field, vertex format, byte offset) for each field of ``dtype``, in order; fields
    named ``pad…`` are padding, not attributes."""
    attributes = []
    for name in dtype.names:
        if name.startswith("pad"):
            continue
        field_dtype, offset = dtype.fields[name][:2]
        base = field_dtype.base
        count = int(np.prod(field_dtype.shape)) if field_dtype.shape else 1
        attributes.append((name, _VERTEX_FORMATS[(base.kind, base.itemsize, count)], offset))
    return attributes


def _instance_layout(dtype: np.dtype) -> dict:
    return {
        "array_stride": dtype.itemsize,
        "step_mode": "instance",
        "attributes": [
            {"format": fmt, "offset": offset, "shader_location": location}
            for location, (_, fmt, offset) in enumerate(vertex_attributes(dtype))
        ],
    }


# Colours are blended in sRGB space, like a browser canvas (see common.wgsl's output()).
_BLEND = {
    "color": {"src_factor": "src-alpha", "dst_factor": "one-minus-src-alpha", "operation": "add"},
    "alpha": {"src_factor": "one", "dst_factor": "one-minus-src-alpha", "operation": "add"},
}
_OVER = {"src_factor": "one", "dst_factor": "one-minus-src-alpha", "operation": "add"}
_BLEND_PREMULTIPLIED = {"color": _OVER, "alpha": _OVER}


class DeviceCache:
    """Shader modules, bind group layouts and pipelines of one device, shared by every
    renderer on it (the window's chart and its export renderer compile once)."""

    def __init__(self, device: wgpu.GPUDevice) -> None:
        self._device = weakref.ref(device)
        self.modules: dict[str, wgpu.GPUShaderModule] = {}
        self.pipelines: dict[tuple[str, int, str], wgpu.GPURenderPipeline] = {}
        self.bind_group_layouts: dict[str, wgpu.GPUBindGroupLayout] = {}

    @property
    def device(self) -> wgpu.GPUDevice:
        return self._device()

    def module(self, shader: str) -> wgpu.GPUShaderModule:
        file = SHADERS[shader].file
        if file not in self.modules:
            self.modules[file] = compile_shader(self.device, file)
        return self.modules[file]

    def bind_group_layout(self, name: str) -> wgpu.GPUBindGroupLayout:
        layout = self.bind_group_layouts.get(name)
        if layout is None:
            import wgpu

            stages = {"vf": wgpu.ShaderStage.VERTEX | wgpu.ShaderStage.FRAGMENT,
                      "v": wgpu.ShaderStage.VERTEX, "f": wgpu.ShaderStage.FRAGMENT}  # fmt: skip
            texture = {"sample_type": "float", "view_dimension": "2d"}
            entries = [
                {"binding": binding, "visibility": stages[where]}
                | ({"texture": texture} if kind == "texture" else {"buffer": {"type": kind}})
                for binding, kind, where in BIND_GROUPS[name]
            ]
            layout = self.device.create_bind_group_layout(label=name, entries=entries)
            self.bind_group_layouts[name] = layout
        return layout

    def pipeline(self, shader: str, sample_count: int, fmt: str) -> wgpu.GPURenderPipeline:
        """The pipeline of ``shader`` (a key of SHADERS) for a target format and MSAA count."""
        key = (shader, sample_count, fmt)
        pipeline = self.pipelines.get(key)
        if pipeline is None:
            spec = SHADERS[shader]
            module = self.module(shader)
            buffers = [_instance_layout(spec.instances)] if spec.instances is not None else []
            layouts = [self.bind_group_layout(name) for name in spec.groups]
            pipeline = self.device.create_render_pipeline(
                label=f"{spec.file} x{sample_count}",
                layout=self.device.create_pipeline_layout(bind_group_layouts=layouts),
                vertex={"module": module, "entry_point": spec.vertex_entry, "buffers": buffers},
                primitive={"topology": spec.topology, "cull_mode": "none"},
                multisample={"count": sample_count},
                fragment={
                    "module": module,
                    "entry_point": "fs_main",
                    "targets": [{"format": fmt, "blend": _blend(spec)}],
                },
            )
            self.pipelines[key] = pipeline
        return pipeline


def _blend(spec: ShaderSpec) -> dict | None:
    if spec.opaque:
        return None
    return _BLEND_PREMULTIPLIED if spec.premultiplied else _BLEND


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cache_for(device: wgpu.GPUDevice) -> DeviceCache:
    cache = _caches.get(device)
    if cache is None:
        cache = _caches[device] = DeviceCache(device)
    return cache
