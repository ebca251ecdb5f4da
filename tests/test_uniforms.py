"""Uniform dtypes match their WGSL structs byte for byte (WGSL layout rules, no GPU)."""

from __future__ import annotations

import re

import pytest

from replay_viewer.render.shaders import STYLE_PART, compose, read_source
from replay_viewer.render.style import wgsl_constants
from replay_viewer.render.uniforms import FRAME_DTYPE, LAYOUT_DTYPE, SERIES_STYLE_DTYPE

# (align, size) of the WGSL types these structs use.
WGSL_TYPES = {
    "f32": (4, 4),
    "u32": (4, 4),
    "i32": (4, 4),
    "vec2<f32>": (8, 8),
    "vec4<f32>": (16, 16),
}


def wgsl_struct_layout(source: str, name: str) -> tuple[dict[str, int], int]:
    """Field offsets and struct size by the WGSL spec's alignment rules."""
    body = re.search(rf"struct {name} \{{(.*?)\n\}};", source, re.S).group(1)
    offsets, offset, struct_align = {}, 0, 1
    for match in re.finditer(r"^\s*(\w+): (.+?),\s*(?://.*)?$", body, re.M):
        field, wgsl_type = match.group(1), match.group(2).strip()
        array = re.fullmatch(r"array<(.+), (\d+)>", wgsl_type)
        if array:
            align, element = WGSL_TYPES[array.group(1)]
            size = (
                max(element, 16) * int(array.group(2))
                if align == 16
                else element * int(array.group(2))
            )
        else:
            align, size = WGSL_TYPES[wgsl_type]
        offset = (offset + align - 1) // align * align
        offsets[field] = offset
        offset += size
        struct_align = max(struct_align, align)
    return offsets, (offset + struct_align - 1) // struct_align * struct_align


@pytest.mark.parametrize(
    ("dtype", "struct", "source"),
    [
        (LAYOUT_DTYPE, "Layout", "common.wgsl"),
        (FRAME_DTYPE, "Frame", "common.wgsl"),
        (SERIES_STYLE_DTYPE, "SeriesStyle", "series_line.wgsl"),
    ],
)
def test_dtype_matches_wgsl(dtype, struct, source):
    offsets, size = wgsl_struct_layout(read_source(source), struct)
    assert dtype.itemsize == size
    wgsl_fields = {name: offset for name, offset in offsets.items() if not name.startswith("pad")}
    numpy_fields = {name: dtype.fields[name][1] for name in dtype.names}
    assert numpy_fields == wgsl_fields


def test_composed_shader_maps_lines_back_to_files():
    # common.wgsl, then the constants generated from style.py, then the shader's own file.
    shader = compose("grid.wgsl")
    common_lines = read_source("common.wgsl").count("\n")
    style_lines = wgsl_constants().count("\n")
    assert shader.code.startswith(read_source("common.wgsl") + wgsl_constants())
    assert shader.locate(1) == ("common.wgsl", 1)
    assert shader.locate(common_lines + 1) == (STYLE_PART, 1)
    assert shader.locate(common_lines + style_lines + 1) == ("grid.wgsl", 1)
    assert shader.locate(common_lines + style_lines + 10) == ("grid.wgsl", 10)
