"""The GPU structs are declared once (render/uniforms.py): their numpy dtypes match the
generated WGSL byte for byte by the WGSL spec's layout rules, and no shader writes a struct,
a flag or the gap value of its own (no GPU)."""

from __future__ import annotations

import re

import pytest

from replay_viewer.render.pipelines import SHADERS
from replay_viewer.render.shaders import GENERATED_PART, compose, generated_wgsl, read_source
from replay_viewer.render.uniforms import STRUCTS, GpuStruct

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


@pytest.mark.parametrize("struct", [s for s in STRUCTS if not s.instance], ids=lambda s: s.name)
def test_dtype_matches_generated_wgsl(struct):
    offsets, size = wgsl_struct_layout(generated_wgsl(), struct.name)
    dtype = struct.dtype
    assert dtype.itemsize == size
    assert {name: dtype.fields[name][1] for name in dtype.names} == offsets


def test_layout_rules_pad_like_wgsl():
    # A vec4 after a scalar starts on 16; the struct rounds up to its largest alignment.
    struct = GpuStruct("T", (("a", "f32", ""), ("b", "vec4<f32>", ""), ("c", "vec2<f32>", "")))
    assert [struct.dtype.fields[n][1] for n in "abc"] == [0, 16, 32]
    assert struct.dtype.itemsize == 48
    # Instance records are packed: attributes by offset, no alignment.
    packed = GpuStruct("P", struct.fields, instance=True)
    assert [packed.dtype.fields[n][1] for n in "abc"] == [0, 4, 20]
    assert "@location(1) b: vec4<f32>," in packed.wgsl()


def test_no_shader_declares_what_python_declares():
    files = {"common.wgsl"} | {spec.file for spec in SHADERS.values()}
    for file in files:
        source = read_source(file)
        for struct in STRUCTS:
            assert f"struct {struct.name} " not in source, (file, struct.name)
        assert "1.0e38" not in source and "1e38" not in source, file
        assert "flags & 1u" not in source and "flags & 2u" not in source, file


def test_composed_shader_maps_lines_back_to_files():
    # The generated declarations, then common.wgsl, then the shader's own file.
    shader = compose("grid.wgsl")
    generated_lines = generated_wgsl().count("\n")
    common_lines = read_source("common.wgsl").count("\n")
    assert shader.code.startswith(generated_wgsl() + read_source("common.wgsl"))
    assert shader.locate(1) == (GENERATED_PART, 1)
    assert shader.locate(generated_lines + 1) == ("common.wgsl", 1)
    assert shader.locate(generated_lines + common_lines + 1) == ("grid.wgsl", 1)
    assert shader.locate(generated_lines + common_lines + 10) == ("grid.wgsl", 10)
