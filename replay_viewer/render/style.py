"""The look, in one place: colours, line styles per series, marker shapes and sizes,
dashes, alphas and the spotlight's constants.

The renderer's uniforms and instances, the chart's text pass and the window's GUI all read
these; the WGSL shaders get the shape constants through :func:`wgsl_constants`, which the
shader composer prepends, so a marker is the same size on the GPU and in the legend.

"Mono-first": every series differs by dash pattern and marker shape as well as colour, and
every event kind by shape, so a frame printed in greyscale still reads.
Colours are sRGB floats (0..1), alpha last. Sizes are logical points unless named ``_px``.
Colours belong to a :class:`Palette` (a theme's): ``PALETTE`` and ``EVENT_STYLE`` are the
dark theme's, which the window uses; a chart reads its layout's (``layout.palette``), and
:mod:`.themes` holds the light one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .colors import (
    contrast_ratio,
    family_color,
    lightness_of,
    readable,
    relative_luminance,
    to_hex,
)

__all__ = [
    "BURN",
    "DENSE",
    "EVENT_SHAPES",
    "EVENT_STYLE",
    "MARKERS",
    "MILESTONES",
    "PALETTE",
    "RULES",
    "SERIES_STYLES",
    "SHAPE_EXTENT",
    "SPOTLIGHT",
    "EventStyle",
    "LineStyle",
    "Palette",
    "contrast_ratio",
    "family_color",
    "readable",
    "relative_luminance",
    "rgba",
    "series_style",
    "wgsl_constants",
]

# Marker shapes understood by markers.wgsl (the ids are WGSL constants too).
CIRCLE, SQUARE, DIAMOND, TRIANGLE, TRIANGLE_DOWN, HEXAGON = range(6)
SHAPE_NAMES = ("CIRCLE", "SQUARE", "DIAMOND", "TRIANGLE", "TRIANGLE_DOWN", "HEXAGON")
# How far each shape reaches, as a multiple of the marker radius, so that shapes of one
# radius look the same size: square half-side, diamond half-diagonal, triangle half-side,
# hexagon apothem. markers.wgsl (SDF) and the legend (ImGui polygons) both use these.
SHAPE_EXTENT = {SQUARE: 0.82, DIAMOND: 1.15, TRIANGLE: 1.1, TRIANGLE_DOWN: 1.1, HEXAGON: 1.0}


def rgba(hex_color: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    text = hex_color.lstrip("#")
    return (int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255, alpha)


Color = tuple[float, float, float, float]


@dataclass(frozen=True)
class LineStyle:
    width: float  # points
    dash: tuple[float, float]  # on, off in points; (0, 0) = solid
    marker: int  # shape


SERIES_STYLES = (
    LineStyle(2.0, (0, 0), CIRCLE),  # solid, circles
    LineStyle(2.0, (9, 4), SQUARE),  # dashed, squares
    LineStyle(2.0, (2, 3), DIAMOND),  # dotted, diamonds
    LineStyle(2.0, (12, 3), TRIANGLE),  # long dash, triangles
    LineStyle(1.5, (0, 0), HEXAGON),  # thin solid, hexagons
    LineStyle(1.5, (6, 3), TRIANGLE_DOWN),  # thin dashed, down-triangles
    LineStyle(1.5, (2, 2), CIRCLE),  # thin dotted, circles
    LineStyle(1.5, (10, 2), SQUARE),  # thin long dash, squares
)


def series_style(index: int) -> LineStyle:
    """The line style of the ``index``-th series."""
    return SERIES_STYLES[index % len(SERIES_STYLES)]


@dataclass(frozen=True)
class EventStyle:
    shape: int
    color: Color


# Event kinds' shapes (every theme) and colours (the dark theme's; a palette has its own).
EVENT_SHAPES = {
    "deploy": TRIANGLE,
    "detect": DIAMOND,
    "alert": TRIANGLE_DOWN,
    "diagnose": SQUARE,
    "mitigate": HEXAGON,
    "recover": CIRCLE,
    "resolve": CIRCLE,
    "note": CIRCLE,
}
DARK_EVENT_COLORS = (
    ("deploy", rgba("#fbbf24")),
    ("detect", rgba("#fb7185")),
    ("alert", rgba("#f87171")),
    ("diagnose", rgba("#a78bfa")),
    ("mitigate", rgba("#60a5fa")),
    ("recover", rgba("#34d399")),
    ("resolve", rgba("#a3e635")),
    ("note", rgba("#94a3b8")),
)


@dataclass(frozen=True)
class Palette:
    """Every colour of a chart in one theme (the dark one by default; ``themes.LIGHT`` for
    white pages). A layout carries its palette (``ChartLayout.palette``): render code reads
    colours from there, never from a global, so one renderer draws either theme."""

    name: str = "dark"
    background: Color = rgba("#06080c")
    grid_minor: Color = rgba("#5b6b85", 0.30)
    grid_major: Color = rgba("#8fa3c4", 0.55)
    axis: Color = rgba("#6b7a93", 0.9)
    playhead: Color = rgba("#f8fafc", 0.92)
    crosshair: Color = rgba("#cbd5e1", 0.6)
    text: Color = rgba("#e5e9f0")
    text_dim: Color = rgba("#8b96a8")
    text_faint: Color = rgba("#5d6778")
    accent: Color = rgba("#22d3ee")
    danger: Color = rgba("#f47373")
    success: Color = rgba("#34d399")
    severity: Color = rgba("#f43f5e")
    severity_text: Color = rgba("#fda4af")
    # grid.wgsl: the spotlight's tint of the background at its centre (× intensity; signed:
    # a glow adds, a shade subtracts; alpha: its weight outside the chart) and what the
    # chart's past adds over its future.
    haze: Color = (0.05, 0.065, 0.09, 1.0)
    past_tint: Color = (0.008, 0.01, 0.014, 0.0)
    events: tuple[tuple[str, Color], ...] = DARK_EVENT_COLORS
    warning: Color = rgba("#f59e0b")  # the milestone lane's badges
    bracket: Color = rgba("#8b96a8", 0.8)  # its gap brackets
    # Series colours: the defaults' variants for this background (hex → hex), and the
    # contrast any other series colour is darkened to (0: colours as the file gives them).
    series_variants: tuple[tuple[str, str], ...] = ()
    min_contrast: float = 0.0
    family_lightness: tuple[float, float] = (0.42, 0.36)  # a group's shades: from, spread
    emphasis: tuple[tuple[float, float, float], float] = ((1.0, 1.0, 1.0), 0.15)  # toward, by
    ghost_mix: float = 0.42  # ghost colour = background mixed this far toward the series
    ghost_strength: float = 0.3  # markers after the playhead
    spotlight: tuple[float, float] | None = None  # (intensity, ambient): SPOTLIGHT's if None

    @functools.cached_property
    def _event_styles(self) -> dict[str, EventStyle]:
        return {kind: EventStyle(EVENT_SHAPES[kind], color) for kind, color in self.events}

    def event(self, kind: str) -> EventStyle:
        """The glyph (shape and colour) of an event kind in this palette."""
        return self._event_styles[kind]

    def series_color(self, color: tuple[float, float, float]) -> tuple[float, float, float]:
        """A series' colour as this palette draws it: a default colour's variant, another
        colour darkened (same hue) until it stands ``min_contrast`` : 1 against the
        background; unchanged in the dark palette."""
        if self.min_contrast <= 0:
            return color
        variant = dict(self.series_variants).get(to_hex(color))
        if variant is not None:
            return rgba(variant)[:3]
        return readable(color, self.background[:3], self.min_contrast)

    def family(
        self, base: tuple[float, float, float], member: int, count: int
    ) -> tuple[float, float, float]:
        """A group member's shade of ``base`` (see :func:`family_color`); in a palette with
        a minimum contrast every shade keeps it."""
        start, spread = self.family_lightness
        if self.min_contrast > 0:  # shades no lighter than the (readable) base
            base = self.series_color(base)
            high = lightness_of(base)
            start = max(start, high - spread)
            spread = high - start
        return family_color(base, member, count, lightness=(start, spread))


PALETTE = Palette()
EVENT_STYLE = {kind: PALETTE.event(kind) for kind in EVENT_SHAPES}  # the dark theme's


@dataclass(frozen=True)
class MarkerSizes:
    sample_radius: float = 2.6  # sparse markers along each line
    sample_spacing: float = 44.0  # about one sample marker per this many points
    head_radius: float = 5.0  # the series' head at the playhead
    event_radius: float = 5.5  # event glyphs on the lane under the time axis
    legend_radius: float = 4.2
    tooltip_radius: float = 4.5
    rim_px: float = 1.2  # dark rim that keeps markers readable over lines
    rim_alpha: float = 0.85


MARKERS = MarkerSizes()


@dataclass(frozen=True)
class MilestoneStyle:
    """The milestone lane: the data's milestones hollow (in the threshold's series colour),
    the declared ones filled (in their kind's), the gaps between them as labelled brackets,
    contradictions as a warning badge."""

    breach_shape: int = TRIANGLE  # going over
    worst_shape: int = DIAMOND  # the extreme
    recovery_shape: int = CIRCLE  # ○ beside recover's ●
    data_radius: float = 6.2  # a hollow ring around…
    declared_radius: float = 4.4  # …a declared glyph at the same time, which sits inside it
    ring_width: float = 1.6
    warning_radius: float = 5.2  # the badge, up and right of its time
    warning: Color = PALETTE.warning  # the dark palette's: render code reads layout.palette
    bracket: Color = PALETTE.bracket
    label_size: float = 11.0
    label_char: float = 6.2  # a gap label's estimated width per character at 11 pt
    rows: int = 2  # bracket rows under the glyphs


MILESTONES = MilestoneStyle()


@dataclass(frozen=True)
class BurnStyle:
    """The budget-burn lane (its rows' heights are margins: :mod:`.layout`): a thin row per
    SLO under the milestone lane, the burn rate as bars per column on a log scale (0 at
    the baseline, the objective's highest rate at the top), calm under 1×, warm from 1×
    (the budget would not last the window), hot from the fast-burn page's 14.4×; marks at
    1× and 14.4×; after the playhead, a veil."""

    column: float = 2.0  # points per bar
    calm: Color = rgba("#64748b", 0.75)  # under 1×
    warm: Color = rgba("#f59e0b", 0.85)  # 1× to 14.4×
    hot: Color = rgba("#f43f5e", 0.9)  # 14.4× and over
    baseline: Color = rgba("#5b6b85", 0.45)
    mark: Color = rgba("#8fa3c4", 0.5)
    mark_dash: tuple[float, float] = (2.0, 3.0)
    label_size: float = 10.5


BURN = BurnStyle()


@dataclass(frozen=True)
class DenseStyle:
    """How series read when they are dense, and how a group's members draw."""

    envelope_above: float = 2.0  # samples per pixel column above which the envelope draws
    band_alpha: float = 0.30  # the min-max band's opacity (the mean line is opaque)
    group_band_alpha: float = 0.22  # a group's one band: its members' range per column
    marker_min_spacing: float = 12.0  # sample markers only where samples are this far apart
    member_width: float = 1.0  # a group's members: thin lines…
    member_alpha: float = 0.55  # …in their family's colours, a little transparent
    emphasis_width: float = 2.2  # a highlighted member (the worst at the playhead)
    highlighted_members: int = 3  # how many of a group's worst are highlighted


DENSE = DenseStyle()


@dataclass(frozen=True)
class RuleStyle:
    tick_length: float = 5.0
    threshold_width: float = 1.5
    threshold_dash: tuple[float, float] = (7.0, 5.0)
    threshold_alpha: float = 0.85
    event_guide_alpha: float = 0.22
    event_guide_dash: tuple[float, float] = (2.0, 4.0)
    playhead_width: float = 1.5
    playhead_overhang: float = 4.0  # above the chart
    playhead_below_lane: float = 10.0  # below the event lane's centre
    crosshair_dash: tuple[float, float] = (3.0, 3.0)
    ghost_mix: float = PALETTE.ghost_mix  # the dark palette's (layout.palette.ghost_mix)
    ghost_strength: float = PALETTE.ghost_strength  # the dark palette's (layout.palette's)
    span_alpha: float = 0.09  # an event span's band over the chart, in its kind's colour
    span_edge_alpha: float = 0.55  # the band's top edge, under its title
    span_bar_alpha: float = 0.7  # a span's bar along the event lane, and its end's handle
    span_bar_width: float = 3.0


RULES = RuleStyle()


@dataclass(frozen=True)
class SpotlightStyle:
    """The spotlight's constants; :func:`..geometry.calibrate_spotlight` sizes it."""

    width_share: float = 0.3  # radius as a share of the chart width…
    min_radius: float = 140.0  # …within these bounds (points)
    max_radius: float = 640.0
    falloff: float = 1.5
    intensity: float = 1.6
    ambient: float = 0.22


SPOTLIGHT = SpotlightStyle()


def wgsl_constants() -> str:
    """WGSL ``const`` declarations of the shape ids and extents and the marker rim."""
    lines = ["// Generated from replay_viewer/render/style.py: edit there, not here."]
    lines += [f"const SHAPE_{name}: u32 = {index}u;" for index, name in enumerate(SHAPE_NAMES)]
    lines += [
        f"const EXTENT_{SHAPE_NAMES[shape]}: f32 = {extent!r};"
        for shape, extent in SHAPE_EXTENT.items()
    ]
    lines.append(f"const MARKER_RIM_PX: f32 = {MARKERS.rim_px!r};")
    lines.append(f"const MARKER_RIM_ALPHA: f32 = {MARKERS.rim_alpha!r};")
    return "\n".join(lines) + "\n"
