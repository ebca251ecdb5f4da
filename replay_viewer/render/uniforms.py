"""Uniform blocks and instance records as numpy structured dtypes.

Each dtype mirrors a WGSL struct in shaders/ byte for byte (WGSL alignment: vec4 on 16,
vec2 on 8); tests/test_uniforms.py checks sizes and offsets, so a change on one side that
is not made on the other fails loudly instead of drawing garbage.
"""

from __future__ import annotations

import numpy as np

# Per-series heads in the frame uniform (moving to a storage buffer sized to the incident).
MAX_SERIES = 8

__all__ = [
    "FRAME_DTYPE",
    "LAYOUT_DTYPE",
    "MARKER_DTYPE",
    "MAX_SERIES",
    "RULE_DTYPE",
    "SERIES_STYLE_DTYPE",
]

LAYOUT_DTYPE = np.dtype(
    {
        "names": [
            "frame_size", "pixel_ratio", "flags", "chart_rect", "time_map", "grid_x",
            "grid_y", "background", "grid_minor", "grid_major", "spotlight",
        ],
        "formats": [
            ("<f4", 2), "<f4", "<u4", ("<f4", 4), ("<f4", 4), ("<f4", 4),
            ("<f4", 4), ("<f4", 4), ("<f4", 4), ("<f4", 4), ("<f4", 4),
        ],
        "offsets": [0, 8, 12, 16, 32, 48, 64, 80, 96, 112, 128],
        "itemsize": 144,
    }
)  # fmt: skip

FRAME_DTYPE = np.dtype(
    {
        "names": [
            "time",
            "playhead_x",
            "ghost_alpha",
            "hover_x",
            "spot_center",
            "heads",
        ],
        "formats": ["<f4", "<f4", "<f4", "<f4", ("<f4", 2), ("<f4", (MAX_SERIES, 4))],
        "offsets": [0, 4, 8, 12, 16, 32],
        "itemsize": 32 + 16 * MAX_SERIES,
    }
)

SERIES_STYLE_DTYPE = np.dtype(
    {
        "names": ["color", "width", "dash_on", "dash_off", "ghost_color", "to_pixel"],
        "formats": [("<f4", 4), "<f4", "<f4", "<f4", ("<f4", 4), ("<f4", 4)],
        "offsets": [0, 16, 20, 24, 32, 48],
        "itemsize": 64,
    }
)

# Vertex-buffer instance records (no uniform alignment rules; attributes by offset). Their
# fields, in order, are the vertex attributes at @location(0), (1), … of the shader that
# draws them (render/pipelines.py derives the layouts; a test checks the WGSL).
MARKER_DTYPE = np.dtype(
    [
        ("position", "<f4", 2),
        ("radius", "<f4"),
        ("shape", "<u4"),
        ("color", "<f4", 4),
        ("time", "<f4"),
        ("head", "<i4"),
    ]
)

RULE_DTYPE = np.dtype(
    [
        ("p0", "<f4", 2),
        ("p1", "<f4", 2),
        ("color", "<f4", 4),
        ("width", "<f4"),
        ("dash", "<f4", 2),
        ("flags", "<u4"),
    ]
)

RULE_PLAYHEAD = 1
RULE_HOVER = 2
