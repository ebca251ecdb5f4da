"""Colour maths of the chart's palettes (pure Python): a group's colour family, and WCAG 2's
relative luminance and contrast, with which a light palette darkens a colour that would not
read on white (:meth:`.style.Palette.series_color`)."""

from __future__ import annotations

import colorsys

__all__ = [
    "contrast_ratio",
    "family_color",
    "lightness_of",
    "readable",
    "relative_luminance",
    "to_hex",
]


def family_color(
    base: tuple[float, float, float],
    member: int,
    count: int,
    *,
    lightness: tuple[float, float] = (0.42, 0.36),
) -> tuple[float, float, float]:
    """The ``member``-th of ``count`` shades of ``base`` (a group's colour family): the same
    hue, lightness spread evenly over ``lightness`` (from, spread), so members stay one
    family. The default keeps shades readable on the dark grid (a palette passes its own)."""
    hue, _, saturation = colorsys.rgb_to_hls(*base)
    # Golden-ratio steps spread neighbours apart.
    spread = (member * 0.618034) % 1.0 if count > 1 else 0.5
    start, width = lightness
    return colorsys.hls_to_rgb(hue, start + width * spread, min(1.0, saturation))


def to_hex(color: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in color[:3])


def lightness_of(color: tuple[float, ...]) -> float:
    return colorsys.rgb_to_hls(*color[:3])[1]


def relative_luminance(color: tuple[float, ...]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0..1 floats)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in color[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG 2's contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(
    color: tuple[float, float, float], background: tuple[float, ...], ratio: float
) -> tuple[float, float, float]:
    """``color``, or where it stands less than ``ratio`` : 1 against a light ``background``
    the lightest shade of its hue and saturation that does (a little over, so it holds
    after rounding to 8 bits)."""
    if contrast_ratio(color, background) >= ratio:
        return color
    hue, high, saturation = colorsys.rgb_to_hls(*color)
    low = 0.0
    for _ in range(24):  # the largest lightness that reads (contrast falls with lightness)
        middle = (low + high) / 2
        shade = colorsys.hls_to_rgb(hue, middle, saturation)
        reads = contrast_ratio(shade, background) >= ratio + 0.05
        low, high = (middle, high) if reads else (low, middle)
    return colorsys.hls_to_rgb(hue, low, saturation)
