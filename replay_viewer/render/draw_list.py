"""ImGui draw-list helpers shared by the chart's labels and the window: packed colours and
the marker shapes."""

from __future__ import annotations

import math

from imgui_bundle import imgui

from .style import DIAMOND, HEXAGON, SHAPE_EXTENT, SQUARE, TRIANGLE, TRIANGLE_DOWN

__all__ = ["draw_marker_shape", "u32"]


def u32(color: tuple[float, ...], alpha: float = 1.0) -> int:
    """An RGBA float colour (alpha scaled by ``alpha``) as ImGui's packed colour."""
    return imgui.color_convert_float4_to_u32(imgui.ImVec4(*color[:3], color[3] * alpha))


def draw_marker_shape(dl, center, radius, shape, color) -> None:
    """A marker shape (style.CIRCLE …) with ImGui's draw list, for the legend and tooltips:
    the same outline markers.wgsl draws as a signed distance (sizes from SHAPE_EXTENT)."""
    cx, cy = center
    col = u32(color)
    if shape == SQUARE:
        half = radius * SHAPE_EXTENT[SQUARE]
        dl.add_rect_filled((cx - half, cy - half), (cx + half, cy + half), col)
    elif shape == DIAMOND:
        d = radius * SHAPE_EXTENT[DIAMOND]
        dl.add_quad_filled((cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy), col)
    elif shape in (TRIANGLE, TRIANGLE_DOWN):
        # An equilateral triangle of half-side s, centred like the SDF's: apex 2s/√3 from
        # the centre, base s/√3 on the other side.
        s = radius * SHAPE_EXTENT[shape]
        sign = 1 if shape == TRIANGLE else -1
        apex, base = 2 * s / math.sqrt(3), s / math.sqrt(3)
        dl.add_triangle_filled(
            (cx, cy - sign * apex), (cx + s, cy + sign * base), (cx - s, cy + sign * base), col
        )
    elif shape == HEXAGON:  # the extent is the apothem; ImGui takes the corner radius
        dl.add_ngon_filled((cx, cy), radius * SHAPE_EXTENT[HEXAGON] * 2 / math.sqrt(3), col, 6)
    else:
        dl.add_circle_filled((cx, cy), radius, col)
