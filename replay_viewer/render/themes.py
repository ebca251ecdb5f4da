"""The chart's themes: ``dark`` (the window's, and exports' default) and ``light`` for
white pages (a postmortem printed on A4, pasted into a wiki or a document).

A theme is a :class:`.style.Palette`; :func:`compute_layout` puts the chosen one on the
layout (``layout.palette``), and everything drawn for that layout takes its colours from
there: the layout uniform (background, grid, the spotlight's tint), series and event
colours, the text pass. Sizes, dashes and shapes are the same in both themes.

The light theme: a white background, near-black text, grids and axes in light greys, and a
spotlight that shades (a faint cool tint) instead of glowing. Colours are the darker
(Tailwind 600) variants of the dark theme's, each at least 3 : 1 against white (WCAG's
contrast for graphics); an author's series colour that is lighter than that is darkened in
its own hue (:meth:`.style.Palette.series_color`), since a pale line on paper is lost.
"""

from __future__ import annotations

from typing import Literal

from .style import PALETTE, Palette, rgba

__all__ = ["LIGHT", "THEMES", "Theme", "palette_for"]

Theme = Literal["dark", "light"]

LIGHT = Palette(
    name="light",
    background=rgba("#ffffff"),
    grid_minor=rgba("#94a3b8", 0.45),
    grid_major=rgba("#64748b", 0.55),
    axis=rgba("#64748b", 0.9),
    playhead=rgba("#0f172a", 0.85),
    crosshair=rgba("#334155", 0.7),
    text=rgba("#0f172a"),
    text_dim=rgba("#475569"),
    text_faint=rgba("#64748b"),
    accent=rgba("#0891b2"),
    danger=rgba("#dc2626"),
    success=rgba("#059669"),
    severity=rgba("#e11d48"),
    severity_text=rgba("#be123c"),
    # A shade, not a glow: added to white, a glow would only saturate.
    haze=(-0.06, -0.045, -0.015, 0.0),  # inside the chart only: the page stays white
    past_tint=(-0.008, -0.007, -0.004, 0.0),
    events=(
        ("deploy", rgba("#d97706")),
        ("detect", rgba("#e11d48")),
        ("alert", rgba("#dc2626")),
        ("diagnose", rgba("#7c3aed")),
        ("mitigate", rgba("#2563eb")),
        ("recover", rgba("#059669")),
        ("resolve", rgba("#4d7c0f")),
        ("note", rgba("#64748b")),
    ),
    warning=rgba("#d97706"),
    bracket=rgba("#64748b", 0.8),
    series_variants=(
        ("#f43f5e", "#e11d48"),
        ("#22d3ee", "#0891b2"),
        ("#fbbf24", "#d97706"),
        ("#a78bfa", "#7c3aed"),
        ("#34d399", "#059669"),
        ("#fb923c", "#ea580c"),
        ("#60a5fa", "#2563eb"),
        ("#e879f9", "#c026d3"),
    ),
    min_contrast=3.0,
    family_lightness=(0.24, 0.36),  # shades from this lightness up to the base colour
    emphasis=((0.0, 0.0, 0.0), 0.2),
    ghost_mix=0.42,
    ghost_strength=0.45,  # future glyphs: a pale tint on white would vanish
    spotlight=(0.8, 0.35),  # a calmer grid: the spot lights it up to 1.15× (dark: 1.82×)
)

THEMES: dict[str, Palette] = {"dark": PALETTE, "light": LIGHT}


def palette_for(theme: str) -> Palette:
    """The palette of a theme by name (``dark``, ``light``)."""
    try:
        return THEMES[theme]
    except KeyError:
        raise ValueError(f"theme {theme!r}: expected one of {', '.join(THEMES)}") from None
