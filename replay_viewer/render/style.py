"""The look: colours, line styles per series, marker shapes per event kind.

"Mono-first": every series differs by dash pattern and marker shape as well as colour, and
every event kind by shape, so a frame printed in greyscale still reads.
Colours are sRGB floats (0..1), alpha last.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EVENT_STYLE", "PALETTE", "SERIES_STYLES", "EventStyle", "LineStyle", "rgba"]

# Marker shapes understood by markers.wgsl.
CIRCLE, SQUARE, DIAMOND, TRIANGLE, TRIANGLE_DOWN, HEXAGON = range(6)


def rgba(hex_color: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    text = hex_color.lstrip("#")
    return (int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255, alpha)


@dataclass(frozen=True)
class Palette:
    background: tuple[float, float, float, float] = rgba("#06080c")
    grid_minor: tuple[float, float, float, float] = rgba("#5b6b85", 0.30)
    grid_major: tuple[float, float, float, float] = rgba("#8fa3c4", 0.55)
    axis: tuple[float, float, float, float] = rgba("#6b7a93", 0.9)
    playhead: tuple[float, float, float, float] = rgba("#f8fafc", 0.92)
    crosshair: tuple[float, float, float, float] = rgba("#cbd5e1", 0.6)
    text: tuple[float, float, float, float] = rgba("#e5e9f0")
    text_dim: tuple[float, float, float, float] = rgba("#8b96a8")
    text_faint: tuple[float, float, float, float] = rgba("#5d6778")


PALETTE = Palette()


@dataclass(frozen=True)
class LineStyle:
    width: float  # points
    dash: tuple[float, float]  # on, off in points; (0, 0) = solid
    marker: int  # shape
    name: str  # how the legend and docs describe it


SERIES_STYLES = (
    LineStyle(2.0, (0, 0), CIRCLE, "solid, circles"),
    LineStyle(2.0, (9, 4), SQUARE, "dashed, squares"),
    LineStyle(2.0, (2, 3), DIAMOND, "dotted, diamonds"),
    LineStyle(2.0, (12, 3), TRIANGLE, "long dash, triangles"),
    LineStyle(1.5, (0, 0), HEXAGON, "thin solid, hexagons"),
    LineStyle(1.5, (6, 3), TRIANGLE_DOWN, "thin dashed, down-triangles"),
    LineStyle(1.5, (2, 2), CIRCLE, "thin dotted, circles"),
    LineStyle(1.5, (10, 2), SQUARE, "thin long dash, squares"),
)


@dataclass(frozen=True)
class EventStyle:
    shape: int
    color: tuple[float, float, float, float]
    label: str


EVENT_STYLE = {
    "deploy": EventStyle(TRIANGLE, rgba("#fbbf24"), "deploy"),
    "detect": EventStyle(DIAMOND, rgba("#fb7185"), "detect"),
    "alert": EventStyle(TRIANGLE_DOWN, rgba("#f87171"), "alert"),
    "diagnose": EventStyle(SQUARE, rgba("#a78bfa"), "diagnose"),
    "mitigate": EventStyle(HEXAGON, rgba("#60a5fa"), "mitigate"),
    "recover": EventStyle(CIRCLE, rgba("#34d399"), "recover"),
    "resolve": EventStyle(CIRCLE, rgba("#a3e635"), "resolve"),
    "note": EventStyle(CIRCLE, rgba("#94a3b8"), "note"),
}
