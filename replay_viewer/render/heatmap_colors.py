"""A heatmap's colours: a perceptual ramp per theme, and how a count becomes a colour.

The ramp is "mako" (seaborn's perceptually uniform map: near-black through indigo and
teal to pale mint), whose lightness rises evenly, so a cell twice as bright reads as more
and the map survives greyscale. On the dark theme a cell goes from a deep indigo just
above the background (few) to pale mint (many); on the light theme the ramp runs the
other way, pale mint (few) to a near-black blue (many), so on both the busiest cells
stand out most from the page. Its hues are cool, apart from the warm quantile lines
drawn over it (amber, orange, rose).

A count maps to the ramp by its square root over the histogram's highest count (Grafana's
default "exponential, 0.5" scale): rare slow requests stay visible beside a mass of fast
ones. A count of 0 and a gap draw nothing (the pane's grid shows through).
Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .style import rgba

if TYPE_CHECKING:
    from .style import Palette

__all__ = ["EXPONENT", "HeatScale", "heat_scale", "pack_colors", "ramp_colors"]

# mako, sampled at 0, 1/8, …, 1 (sRGB).
_MAKO = ("#0b0405", "#2e1e3c", "#413d7b", "#3e5f9d", "#357ba2", "#3497a9", "#49b4ab",
         "#8ed3b5", "#def5e5")  # fmt: skip
# The part of the ramp each theme uses, from few to many (the dark theme skips the
# near-black start: a cell of one must not vanish into the background).
_SPANS = {"dark": (0.12, 1.0), "light": (0.95, 0.1)}
EXPONENT = 0.5


@dataclass(frozen=True)
class HeatScale:
    """Counts → 0..1 along the ramp: ``(count / high) ** exponent``."""

    high: float
    exponent: float = EXPONENT

    def position(self, counts: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            share = np.clip(np.asarray(counts, dtype=np.float64) / self.high, 0.0, 1.0)
        return share**self.exponent

    def count_at(self, position: float) -> float:
        """The count at ``position`` along the ramp (the colour legend's labels)."""
        return self.high * position ** (1.0 / self.exponent)


def heat_scale(counts: np.ndarray) -> HeatScale:
    """The scale of a histogram's counts: its highest count at the ramp's top."""
    finite = counts[np.isfinite(counts)]
    high = float(finite.max()) if finite.size else 0.0
    return HeatScale(high if high > 0 else 1.0)


def ramp_colors(palette: Palette, positions: np.ndarray) -> np.ndarray:
    """sRGB colours (N × 3, 0..1) at ``positions`` (0 = few, 1 = many) for the theme."""
    stops = np.array([rgba(color)[:3] for color in _MAKO])
    start, end = _SPANS.get(palette.name, _SPANS["dark"])
    along = (start + (end - start) * np.clip(positions, 0.0, 1.0)) * (len(stops) - 1)
    return np.stack([np.interp(along, np.arange(len(stops)), stops[:, k]) for k in range(3)],
                    axis=-1)  # fmt: skip


def pack_colors(palette: Palette, positions: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """RGBA8 colours packed in u32 (red in the low byte, as WGSL's ``unpack4x8unorm``
    reads them); alpha 0 where not ``shown`` (no count, a gap)."""
    rgb = np.round(ramp_colors(palette, positions) * 255).astype(np.uint32)
    alpha = np.where(shown, 255, 0).astype(np.uint32)
    return rgb[..., 0] | (rgb[..., 1] << 8) | (rgb[..., 2] << 16) | (alpha << 24)
