"""Pipelines come from a table: each instanced shader's vertex attributes are derived from
its numpy record dtype, and must be the WGSL struct's @locations, in order and type."""

from __future__ import annotations

import re

import pytest

from replay_viewer.render.pipelines import SHADERS, vertex_attributes
from replay_viewer.render.shaders import compose, read_source
from replay_viewer.render.style import SHAPE_EXTENT, wgsl_constants

WGSL_FORMATS = {
    "f32": "float32",
    "vec2<f32>": "float32x2",
    "vec4<f32>": "float32x4",
    "u32": "uint32",
    "i32": "sint32",
}


def wgsl_locations(source: str, struct: str) -> list[tuple[int, str, str]]:
    body = re.search(rf"struct {struct} \{{(.*?)\n\}};", source, re.S).group(1)
    return [
        (int(location), name, WGSL_FORMATS[wgsl_type])
        for location, name, wgsl_type in re.findall(
            r"@location\((\d+)\)\s+(\w+):\s*([\w<>]+)", body
        )
    ]


@pytest.mark.parametrize("shader", [name for name, spec in SHADERS.items() if spec.instances])
def test_instance_attributes_match_wgsl(shader):
    spec = SHADERS[shader]
    expected = [
        (location, name, fmt)
        for location, (name, fmt, _) in enumerate(vertex_attributes(spec.instances))
    ]
    assert wgsl_locations(compose(spec.file).code, spec.instance_struct) == expected


def test_every_shader_file_exists_and_composes():
    for spec in SHADERS.values():
        code = compose(spec.file).code
        assert "fn vs_main" in code and "fn fs_main" in code


def test_vertex_attributes_skip_padding_and_know_offsets():
    import numpy as np

    dtype = np.dtype([("a", "<f4", 2), ("pad", "<f4"), ("b", "<u4")])
    assert vertex_attributes(dtype) == [("a", "float32x2", 0), ("b", "uint32", 12)]


def test_marker_sizes_have_one_source():
    # markers.wgsl reads the shape extents from the generated constants, not from numbers
    # of its own; the constants are what style.py says.
    source = read_source("markers.wgsl")
    assert "EXTENT_SQUARE" in source and "0.82" not in source
    for name, extent in (("SQUARE", SHAPE_EXTENT[1]), ("HEXAGON", SHAPE_EXTENT[5])):
        assert f"const EXTENT_{name}: f32 = {extent!r};" in wgsl_constants()
