"""Text on the chart, drawn on the GPU through Dear ImGui draw lists.

The chart has its own ImGui context (separate from the window's UI context) whose draw
lists are rendered by wgpu's ImGui backend into the chart texture, after the scene pass.
So the exported PNG and the window show the same text from the same code path. ImGui
rasterises fonts on demand at the frame's pixel ratio (dynamic fonts, ImGui ≥ 1.92), so
text stays sharp at ``--scale 2`` and on HiDPI screens.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..timecode import format_timecode
from .imgui_backend import ImguiBackend
from .style import EVENT_STYLE, PALETTE, SERIES_STYLES, rgba

if TYPE_CHECKING:
    from collections.abc import Iterator

    import wgpu

    from ..model import Incident, Series
    from .layout import ChartLayout
    from .renderer import ChartRenderer, RenderOptions

__all__ = ["ChartText", "FontSet", "draw_marker_shape", "font_files", "format_reading"]


@functools.lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """The TTFs shipped with imgui-bundle (Roboto: Apache-2.0; Inconsolata: OFL)."""
    import imgui_bundle

    fonts = Path(imgui_bundle.__file__).parent / "assets" / "fonts"
    return {
        "regular": fonts / "Roboto" / "Roboto-Regular.ttf",
        "bold": fonts / "Roboto" / "Roboto-Bold.ttf",
        "mono": fonts / "Inconsolata-Medium.ttf",
    }


# Fallbacks for glyphs Roboto lacks (arrows such as "→" in the case study's timeline, "●"):
# Inconsolata ships with imgui-bundle; DejaVu Sans is used too where the system has it.
SYSTEM_FALLBACKS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("C:/Windows/Fonts/seguisym.ttf"),
    Path("C:/Windows/Fonts/msyh.ttc"),
)


def load_font(io: imgui.IO, path: Path, size: float) -> imgui.ImFont:
    """``path`` plus merged fallback fonts, so a missing glyph is not a "?" box."""
    font = io.fonts.add_font_from_file_ttf(str(path), size)
    fallbacks = [font_files()["mono"], *(p for p in SYSTEM_FALLBACKS if p.is_file())]
    for fallback in fallbacks:
        if fallback == path:
            continue
        config = imgui.ImFontConfig()
        config.merge_mode = True
        io.fonts.add_font_from_file_ttf(str(fallback), size, config)
    return font


class FontSet:
    """Regular, bold and monospace fonts (with fallbacks) in the current ImGui context."""

    def __init__(self, io: imgui.IO, size: float = 16.0) -> None:
        files = font_files()
        self.regular = load_font(io, files["regular"], size)
        self.bold = load_font(io, files["bold"], size)
        self.mono = load_font(io, files["mono"], size)


def _u32(color: tuple[float, float, float, float], alpha: float = 1.0) -> int:
    return imgui.color_convert_float4_to_u32(imgui.ImVec4(*color[:3], color[3] * alpha))


def format_reading(series: Series, value: float | None) -> str:
    """A legend reading: ``2,400 ms``, ``12.0 %``, or ``no data`` in a gap."""
    if value is None:
        return "no data"
    magnitude = abs(value)
    if magnitude >= 1000:
        number = f"{value:,.0f}"
    elif magnitude >= 100:
        number = f"{value:.0f}"
    elif magnitude >= 10 or value == 0:
        number = f"{value:.1f}"
    else:
        number = f"{value:.2f}"
    return f"{number} {series.unit}".strip()


class ChartText:
    """Draws the chart's text for one frame into a render pass."""

    def __init__(self, device: wgpu.GPUDevice, target_format: str) -> None:
        self.device = device
        self.target_format = target_format
        self.backend: ImguiBackend | None = None
        previous = imgui.get_current_context()
        self.context = imgui.create_context()
        imgui.set_current_context(self.context)
        try:
            io = imgui.get_io()
            io.set_ini_filename("")
            self.fonts = FontSet(io)
        finally:
            if previous is not None:
                imgui.set_current_context(previous)

    def compile(self) -> None:
        """Build the ImGui backend's pipeline (part of the "Compiling shaders" stage)."""
        if self.backend is None:
            with self._current():
                self.backend = ImguiBackend(self.device, self.target_format)

    @contextlib.contextmanager
    def _current(self) -> Iterator[None]:
        previous = imgui.get_current_context()
        imgui.set_current_context(self.context)
        try:
            yield
        finally:
            if previous is not None:
                imgui.set_current_context(previous)

    def draw(
        self,
        render_pass: wgpu.GPURenderPassEncoder,
        renderer: ChartRenderer,
        t: float,
        options: RenderOptions,
    ) -> None:
        layout = renderer.layout
        self.compile()
        with self._current():
            io = imgui.get_io()
            io.display_size = (
                layout.width / layout.pixel_ratio,
                layout.height / layout.pixel_ratio,
            )
            io.display_framebuffer_scale = (layout.pixel_ratio, layout.pixel_ratio)
            io.delta_time = 1 / 60
            imgui.new_frame()
            try:
                _ChartLabels(imgui.get_background_draw_list(), self.fonts, layout).draw(
                    renderer.incident, t, options
                )
            finally:
                imgui.render()
            self.backend.render(imgui.get_draw_data(), render_pass)


class _ChartLabels:
    """Places every label of one frame; coordinates in logical points."""

    def __init__(self, draw_list: imgui.ImDrawList, fonts: FontSet, layout: ChartLayout) -> None:
        self.dl = draw_list
        self.fonts = fonts
        self.layout = layout
        self.pr = layout.pixel_ratio
        chart = layout.chart
        self.x0, self.y0 = chart.x0 / self.pr, chart.y0 / self.pr
        self.x1, self.y1 = chart.x1 / self.pr, chart.y1 / self.pr
        self.width = layout.width / self.pr
        self.height = layout.height / self.pr
        # Fonts scale down with small frames, like the margins do.
        self.scale = max(0.6, min(1.0, self.width / 900.0))

    def text(self, font, size, pos, color, text, *, align: float = 0.0, valign: float = 0.0):
        """Draw ``text``; ``align``/``valign`` 0 = left/top, 0.5 = centre, 1 = right/bottom.
        Returns the text's (width, height)."""
        size *= self.scale
        imgui.push_font(font, size)
        extent = imgui.calc_text_size(text)
        imgui.pop_font()
        x = round((pos[0] - extent.x * align) * self.pr) / self.pr
        y = round((pos[1] - extent.y * valign) * self.pr) / self.pr
        self.dl.add_text(font, size, (x, y), _u32(color), text)
        return extent.x, extent.y

    def measure(self, font, size, text) -> float:
        imgui.push_font(font, size * self.scale)
        width = imgui.calc_text_size(text).x
        imgui.pop_font()
        return width

    def draw(self, incident: Incident, t: float, options: RenderOptions) -> None:
        if self.layout.chrome:
            self.header(incident, t)
            self.footer(incident, t)
        self.legend(incident, t)
        self.axes()
        self.thresholds(incident)
        if options.hover is not None:
            self.hover_label(options.hover)

    def header(self, incident: Incident, t: float) -> None:
        fonts, pad = self.fonts, 18 * self.scale
        left = pad
        top = 12 * self.scale
        # Severity badge, then the title.
        if incident.severity:
            badge_w = self.measure(fonts.bold, 13, incident.severity) + 12 * self.scale
            self.dl.add_rect_filled(
                (left, top + 3 * self.scale),
                (left + badge_w, top + 22 * self.scale),
                _u32(rgba("#f43f5e", 0.18)),
                4.0,
            )
            self.dl.add_rect(
                (left, top + 3 * self.scale),
                (left + badge_w, top + 22 * self.scale),
                _u32(rgba("#f43f5e", 0.75)),
                4.0,
            )
            self.text(
                fonts.bold,
                13,
                (left + badge_w / 2, top + 12.5 * self.scale),
                rgba("#fda4af"),
                incident.severity,
                align=0.5,
                valign=0.5,
            )
            left += badge_w + 10 * self.scale
        readout_w = 260 * self.scale
        title_max = self.width - left - readout_w - pad
        title = _ellipsize(self, fonts.bold, 22, incident.title, title_max)
        self.text(fonts.bold, 22, (left, top), PALETTE.text, title)
        facts = [incident.subtitle]
        if incident.role:
            facts.append(f"Role · {incident.role}")
        if incident.stack:
            facts.append("Stack · " + " · ".join(incident.stack))
        facts.append(f"Duration · {_duration_words(incident.duration)}")
        line = "   ".join(f for f in facts if f)
        line = _ellipsize(self, fonts.regular, 14, line, self.width - 2 * pad - readout_w)
        self.text(fonts.regular, 14, (pad, top + 32 * self.scale), PALETTE.text_dim, line)

        # Readout: T+MM:SS big and monospaced, so digits do not jitter while scrubbing.
        right = self.width - pad
        readout = format_timecode(t)
        self.text(fonts.mono, 30, (right, top - 4 * self.scale), PALETTE.text, readout, align=1)
        sub = f"of T+{format_timecode(incident.end)[2:]}"
        wall = incident.wall_clock(t)
        if wall is not None:
            sub = (
                wall.strftime("%Y-%m-%d %H:%M:%S")
                + (f" {wall.tzname()}" if wall.tzinfo else "")
                + "   "
                + sub
            )
        self.text(fonts.regular, 13, (right, top + 32 * self.scale), PALETTE.text_dim, sub, align=1)

    def legend(self, incident: Incident, t: float) -> None:
        fonts = self.fonts
        x = self.x0
        y = self.y0 - 16 * self.scale
        for index, series in enumerate(incident.series):
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            color = (*series.color, 1.0)
            # A short sample of the line in its dash pattern, with its marker shape.
            sample_w = 26 * self.scale
            _legend_swatch(self.dl, (x, y), sample_w, style, color, self.scale)
            x += sample_w + 7 * self.scale
            unit = f" ({series.unit})" if series.unit else ""
            w, _ = self.text(
                fonts.regular, 14, (x, y), PALETTE.text_dim, series.label + unit, valign=0.5
            )
            x += w + 8 * self.scale
            reading = format_reading(series, series.value_at(t))
            w, _ = self.text(fonts.mono, 16, (x, y), color, reading, valign=0.5)
            x += w + 28 * self.scale

    def axes(self) -> None:
        fonts, scale = self.fonts, self.scale
        for side, axis in self.layout.axes.items():
            for tick in axis.ticks:
                y = tick.pos / self.pr
                if side == "left":
                    self.text(
                        fonts.regular,
                        13,
                        (self.x0 - 9 * scale, y),
                        PALETTE.text_dim,
                        tick.label,
                        align=1,
                        valign=0.5,
                    )
                else:
                    self.text(
                        fonts.regular,
                        13,
                        (self.x1 + 9 * scale, y),
                        PALETTE.text_dim,
                        tick.label,
                        valign=0.5,
                    )
            if axis.unit:
                x = self.x0 - 9 * scale if side == "left" else self.x1 + 9 * scale
                self.text(
                    fonts.bold,
                    12,
                    (x, self.y0 - 3 * scale),
                    PALETTE.text_faint,
                    axis.unit,
                    align=1 if side == "left" else 0,
                    valign=1,
                )
        for tick in self.layout.time_ticks:
            self.text(
                fonts.regular,
                13,
                (tick.pos / self.pr, self.y1 + 8 * scale),
                PALETTE.text_dim,
                tick.label,
                align=0.5,
            )

    def thresholds(self, incident: Incident) -> None:
        for threshold in incident.thresholds:
            series = incident.series_by_id(threshold.series_id)
            axis = self.layout.axis_for(series.id)
            y = axis.to_y(threshold.value) / self.pr
            if not self.y0 <= y <= self.y1:
                continue
            # The label sits on the bad side of its line.
            above = threshold.bad == "above"
            self.text(
                self.fonts.bold,
                12,
                (self.x1 - 6 * self.scale, y + (-3 if above else 3) * self.scale),
                (*series.color, 0.95),
                threshold.label,
                align=1,
                valign=1 if above else 0,
            )

    def footer(self, incident: Incident, t: float) -> None:
        fonts, scale = self.fonts, self.scale
        y = self.height - 15 * scale
        index = incident.event_index_at(t)
        if index < 0:
            upcoming = incident.events[0] if incident.events else None
            if upcoming is not None:
                text = f"Next: {format_timecode(upcoming.at)}  {upcoming.title}"
                self.text(fonts.regular, 14, (18 * scale, y), PALETTE.text_faint, text, valign=0.5)
            return
        event = incident.events[index]
        style = EVENT_STYLE[event.kind]
        x = 18 * scale
        w, _ = self.text(fonts.mono, 15, (x, y), style.color, format_timecode(event.at), valign=0.5)
        x += w + 10 * scale
        w, _ = self.text(fonts.bold, 15, (x, y), PALETTE.text, event.title, valign=0.5)
        x += w + 12 * scale
        if event.detail:
            detail = _ellipsize(self, fonts.regular, 14, event.detail, self.width - x - 18 * scale)
            self.text(fonts.regular, 14, (x, y), PALETTE.text_dim, detail, valign=0.5)

    def hover_label(self, hover: tuple[float, float]) -> None:
        x, _ = hover
        if not self.x0 <= x < self.x1:
            return
        t = self.layout.to_t(x * self.pr)
        self.text(
            self.fonts.mono,
            13,
            (x, self.y0 - 2 * self.scale),
            PALETTE.crosshair,
            format_timecode(t),
            align=0.5,
            valign=1,
        )


def _legend_swatch(dl, origin, width, style, color, scale) -> None:
    x, y = origin
    on, off = style.dash
    thickness = style.width * scale
    if on <= 0:
        dl.add_line((x, y), (x + width, y), _u32(color), thickness)
    else:
        position = x
        while position < x + width:
            end = min(position + on * scale, x + width)
            dl.add_line((position, y), (end, y), _u32(color), thickness)
            position = end + off * scale
    draw_marker_shape(dl, (x + width / 2, y), 4.2 * scale, style.marker, color)


def draw_marker_shape(dl, center, radius, shape, color) -> None:
    """A marker shape (style.CIRCLE …) with ImGui's draw list: legend and tooltips."""
    from .style import CIRCLE, DIAMOND, HEXAGON, SQUARE, TRIANGLE, TRIANGLE_DOWN

    cx, cy = center
    col = _u32(color)
    if shape == CIRCLE:
        dl.add_circle_filled((cx, cy), radius, col)
    elif shape == SQUARE:
        dl.add_rect_filled(
            (cx - radius * 0.85, cy - radius * 0.85), (cx + radius * 0.85, cy + radius * 0.85), col
        )
    elif shape == DIAMOND:
        dl.add_quad_filled(
            (cx, cy - radius * 1.15),
            (cx + radius * 1.15, cy),
            (cx, cy + radius * 1.15),
            (cx - radius * 1.15, cy),
            col,
        )
    elif shape in (TRIANGLE, TRIANGLE_DOWN):
        sign = 1 if shape == TRIANGLE else -1
        dl.add_triangle_filled(
            (cx, cy - sign * radius * 1.2),
            (cx + radius * 1.1, cy + sign * radius * 0.7),
            (cx - radius * 1.1, cy + sign * radius * 0.7),
            col,
        )
    elif shape == HEXAGON:
        dl.add_ngon_filled((cx, cy), radius * 1.1, col, 6)


def _ellipsize(labels: _ChartLabels, font, size: float, text: str, max_width: float) -> str:
    """``text`` cut to fit ``max_width`` with an ellipsis (binary search on the length)."""
    if max_width <= 0:
        return ""
    if labels.measure(font, size, text) <= max_width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if labels.measure(font, size, text[:middle] + "…") <= max_width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


def _duration_words(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 1:
        return f"{seconds:.0f} s"
    if minutes < 90:
        return f"{minutes:.0f} min" if minutes == int(minutes) else f"{minutes:.1f} min"
    return f"{minutes / 60:.1f} h"
