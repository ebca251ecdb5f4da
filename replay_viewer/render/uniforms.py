"""The GPU's data layouts, declared once: numpy dtypes and the WGSL they mirror.

Every struct the shaders read (uniform blocks, storage records, instance records) is a
:class:`GpuStruct`: a list of (field, WGSL type, comment). From it come the numpy dtype,
laid out by WGSL's alignment rules (vec2 on 8, vec4 on 16, struct size rounded to its
alignment), and the WGSL declaration the shader composer prepends to every chart shader
(:func:`wgsl_declarations`), together with the constants both sides use (gap value, flags).
No offset, size or flag is written twice, the way pygfx generates its uniform structs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "BAND_DTYPE",
    "FLAG_SRGB",
    "FRAME_DTYPE",
    "GAP_VALUE",
    "HEAD_DTYPE",
    "HEATMAP_DTYPE",
    "HEAT_GAP_FLAG",
    "LAYOUT_DTYPE",
    "MARKER_DTYPE",
    "NO_HEAD",
    "POINT_DTYPE",
    "RULE_AFTER_PLAYHEAD",
    "RULE_CUT",
    "RULE_DTYPE",
    "RULE_HOVER",
    "RULE_PLAYHEAD",
    "SERIES_STYLE_DTYPE",
    "STRUCTS",
    "GpuStruct",
    "wgsl_declarations",
]

# The value of a sample that marks a gap in the data (normalised values are 0..1).
GAP_VALUE = 1.0e38
FLAG_SRGB = 1  # Layout.flags: the target is *-srgb, so shaders output linear colour
RULE_PLAYHEAD = 1  # RuleIn.flags: x follows the playhead…
RULE_HOVER = 2  # …or the crosshair
RULE_AFTER_PLAYHEAD = 4  # a veil: starts at the playhead (within p0..p1), alpha × (1 - ghost)
RULE_CUT = 8  # nothing right of the playhead (live view: a span in progress, burn bars)
NO_HEAD = -1  # MarkerIn.head of a marker that does not follow a series' head
HEAT_GAP_FLAG = 1 << 16  # a heatmap pixel row's bucket | this: the line above the bucket

# WGSL type → (alignment, size, numpy format, vertex format).
_TYPES = {
    "f32": (4, 4, "<f4", "float32"),
    "u32": (4, 4, "<u4", "uint32"),
    "i32": (4, 4, "<i4", "sint32"),
    "vec2<f32>": (8, 8, ("<f4", 2), "float32x2"),
    "vec4<f32>": (16, 16, ("<f4", 4), "float32x4"),
}


@dataclass(frozen=True)
class GpuStruct:
    """A WGSL struct and its numpy twin. ``instance`` structs are vertex-buffer records:
    packed (no WGSL alignment; attributes by offset) and declared with ``@location``s."""

    name: str
    fields: tuple[tuple[str, str, str], ...]  # (name, WGSL type, comment)
    comment: str = ""
    instance: bool = False

    @property
    def dtype(self) -> np.dtype:
        names, formats, offsets = [], [], []
        offset, align_max = 0, 1
        for name, wgsl_type, _ in self.fields:
            align, size, fmt, _ = _TYPES[wgsl_type]
            if not self.instance:
                offset = -(-offset // align) * align
                align_max = max(align_max, align)
            names.append(name)
            formats.append(fmt)
            offsets.append(offset)
            offset += size
        itemsize = -(-offset // align_max) * align_max
        return np.dtype(
            {"names": names, "formats": formats, "offsets": offsets, "itemsize": itemsize}
        )

    def wgsl(self) -> str:
        lines = [f"// {self.comment}"] if self.comment else []
        lines.append(f"struct {self.name} {{")
        for location, (name, wgsl_type, comment) in enumerate(self.fields):
            prefix = f"@location({location}) " if self.instance else ""
            line = f"    {prefix}{name}: {wgsl_type},"
            lines.append(f"{line:<44}// {comment}" if comment else line)
        lines.append("};")
        return "\n".join(lines)


LAYOUT = GpuStruct(
    "Layout",
    (
        ("frame_size", "vec2<f32>", "physical px"),
        ("pixel_ratio", "f32", ""),
        ("flags", "u32", "FLAG_SRGB: output linear colour"),
        ("chart_rect", "vec4<f32>", "x0, y0, x1, y1 (physical px)"),
        ("time_map", "vec4<f32>", "x = .y + t * .x; z, w: t_start, t_end"),
        ("grid_x", "vec4<f32>", "origin, spacing, major_every, 0"),
        ("grid_y", "vec4<f32>", ""),
        ("background", "vec4<f32>", ""),
        ("grid_minor", "vec4<f32>", ""),
        ("grid_major", "vec4<f32>", ""),
        ("spotlight", "vec4<f32>", "radius px, falloff exponent, intensity, ambient"),
        ("haze", "vec4<f32>", "the spotlight's tint (signed rgb; weight outside the chart)"),
        ("past_tint", "vec4<f32>", "added to the chart's past (signed rgb; 0)"),
    ),
    "Uniform, written when the layout changes (load, resize, pixel ratio, zoom).",
)

FRAME = GpuStruct(
    "Frame",
    (
        ("time", "f32", "playhead time, seconds"),
        ("playhead_x", "f32", "physical px"),
        ("ghost_alpha", "f32", "strength of data after the playhead; 0 hides it"),
        ("hover_x", "f32", "crosshair x, < 0 when the pointer is away"),
        ("spot_center", "vec2<f32>", "spotlight centre, physical px"),
    ),
    "Uniform, written every frame (with the heads): all a playhead move writes.",
)

SERIES_STYLE = GpuStruct(
    "SeriesStyle",
    (
        ("color", "vec4<f32>", "the line (a group member's: thin, in its family)"),
        ("emphasis_color", "vec4<f32>", "a highlighted member's line"),
        ("ghost_color", "vec4<f32>", "after the playhead, pre-mixed with the background"),
        ("band_color", "vec4<f32>", "the envelope (a group's: its family's base colour)"),
        ("band_ghost", "vec4<f32>", "the envelope after the playhead"),
        ("to_pixel", "vec4<f32>", "x = .x + u_t * .y, y = .z + u_v * .w"),
        ("clip", "vec4<f32>", "the pane: y0, y1 (px); 0, 0"),
        ("width", "f32", "px"),
        ("emphasis_width", "f32", "px"),
        ("dash_on", "f32", "px; 0 = solid"),
        ("dash_off", "f32", "px"),
    ),
    "Storage, one per series, written per layout.",
)

HEAD = GpuStruct(
    "Head",
    (("position", "vec2<f32>", "px"), ("visible", "f32", "0/1"), ("emphasis", "f32", "0/1")),
    "Storage, one per series, written per frame: where the line is at the playhead.",
)

POINT = GpuStruct(
    "Point",
    (
        ("t", "f32", "time, 0..1 over the incident"),
        ("v", "f32", "value, 0..1 over the series' data range; GAP_VALUE = gap"),
        ("arc", "f32", "px along the drawn line (dashes), per layout"),
        ("series", "u32", "index into styles/heads"),
    ),
    "Storage: every drawn point of every series, series after series (per layout).",
)

BAND = GpuStruct(
    "BandColumn",
    (
        ("t", "f32", "time of the pixel column's centre, 0..1 over the incident"),
        ("low", "f32", "lowest value in the column, 0..1; GAP_VALUE = gap"),
        ("high", "f32", "highest value"),
        ("series", "u32", ""),
    ),
    "Storage: dense series' min-max envelope, a record per pixel column (per layout).",
)

MARKER = GpuStruct(
    "MarkerIn",
    (
        ("position", "vec2<f32>", "px (ignored for heads)"),
        ("radius", "f32", "px"),
        ("shape", "u32", "SHAPE_* (style.py)"),
        ("color", "vec4<f32>", ""),
        ("time", "f32", "for replay ghosting"),
        ("head", "i32", ">= 0: follow heads[head]; NO_HEAD otherwise"),
        ("ring", "f32", "px: > 0 draws only the outline, this wide; 0 fills"),
    ),
    "Instance records: sample markers, series heads, event and milestone glyphs.",
    instance=True,
)

RULE = GpuStruct(
    "RuleIn",
    (
        ("p0", "vec2<f32>", "px"),
        ("p1", "vec2<f32>", ""),
        ("color", "vec4<f32>", ""),
        ("width", "f32", "px"),
        ("dash", "vec2<f32>", "on, off (px); on = 0: solid"),
        ("flags", "u32", "RULE_PLAYHEAD, RULE_HOVER (x follows), RULE_AFTER_…, RULE_CUT"),
    ),
    "Instance records: axis-aligned lines and bars (axes, ticks, thresholds, guides, playhead).",
    instance=True,
)

HEATMAP = GpuStruct(
    "Heatmap",
    (
        ("rect", "vec4<f32>", "its pane: x0, y0, x1, y1 (px; x: the chart's)"),
        ("ghost", "vec4<f32>", "after the playhead: mixed toward this rgb, a = cell's share"),
        ("first_cell", "u32", "its cells in cells[]: a column of buckets per pixel column"),
        ("buckets", "u32", ""),
        ("first_row", "u32", "its pixel rows' buckets in rows[] (-1: between two)"),
        ("columns", "u32", ""),
    ),
    "Storage, one per heatmap, written per layout (render/heatmap_buffers.py).",
)

STRUCTS = (LAYOUT, FRAME, SERIES_STYLE, HEAD, POINT, BAND, MARKER, RULE, HEATMAP)

LAYOUT_DTYPE = LAYOUT.dtype
FRAME_DTYPE = FRAME.dtype
SERIES_STYLE_DTYPE = SERIES_STYLE.dtype
HEAD_DTYPE = HEAD.dtype
HEATMAP_DTYPE = HEATMAP.dtype
POINT_DTYPE = POINT.dtype
BAND_DTYPE = BAND.dtype
MARKER_DTYPE = MARKER.dtype
RULE_DTYPE = RULE.dtype


def vertex_format(wgsl_type: str) -> str:
    return _TYPES[wgsl_type][3]


def wgsl_declarations() -> str:
    """The structs and shared constants as WGSL (prepended to every chart shader)."""
    constants = [
        f"const GAP_VALUE: f32 = {GAP_VALUE!r};",
        f"const FLAG_SRGB: u32 = {FLAG_SRGB}u;",
        f"const RULE_PLAYHEAD: u32 = {RULE_PLAYHEAD}u;",
        f"const RULE_HOVER: u32 = {RULE_HOVER}u;",
        f"const RULE_AFTER_PLAYHEAD: u32 = {RULE_AFTER_PLAYHEAD}u;",
        f"const RULE_CUT: u32 = {RULE_CUT}u;",
        f"const NO_HEAD: i32 = {NO_HEAD};",
        f"const HEAT_GAP_FLAG: i32 = {HEAT_GAP_FLAG};",
    ]
    parts = ["// Generated from replay_viewer/render/uniforms.py: edit there, not here."]
    parts += [struct.wgsl() for struct in STRUCTS]
    return "\n".join(parts + constants) + "\n"
