"""A small drawing surface over an ImGui draw list, in logical points: text by font name
("regular", "bold", "mono") with alignment and measurement, rectangles, lines, circles and
the marker shapes. Figures other than the chart (a storyboard's header and captions) are
placed through it, and their tests place them through a recording stand-in without ImGui."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from .draw_list import draw_marker_shape, u32

if TYPE_CHECKING:
    from .fonts import FontSet

__all__ = ["TextCanvas"]

Point = tuple[float, float]
Color = tuple[float, float, float, float]


class TextCanvas:
    """Draws into ``draw_list`` with ``fonts``; positions snap to physical pixels."""

    def __init__(self, draw_list: imgui.ImDrawList, fonts: FontSet, pixel_ratio: float) -> None:
        self.dl = draw_list
        self.fonts = fonts
        self.pr = pixel_ratio

    def _font(self, name: str) -> imgui.ImFont:
        return getattr(self.fonts, name)

    def measure(self, font: str, size: float, text: str) -> float:
        """The width of ``text`` in ``font`` at ``size`` points."""
        imgui.push_font(self._font(font), size)
        width = imgui.calc_text_size(text).x
        imgui.pop_font()
        return width

    def text(
        self,
        font: str,
        size: float,
        pos: Point,
        color: Color,
        text: str,
        *,
        align: float = 0.0,
        valign: float = 0.0,
    ) -> tuple[float, float]:
        """Draw ``text``; ``align``/``valign`` 0 = left/top, 0.5 = centre, 1 = right/bottom.
        Returns its (width, height)."""
        imgui.push_font(self._font(font), size)
        extent = imgui.calc_text_size(text)
        imgui.pop_font()
        x = round((pos[0] - extent.x * align) * self.pr) / self.pr
        y = round((pos[1] - extent.y * valign) * self.pr) / self.pr
        self.dl.add_text(self._font(font), size, (x, y), u32(color), text)
        return extent.x, extent.y

    def rect(
        self, p0: Point, p1: Point, color: Color, *, rounding: float = 0.0, width: float = 0.0
    ) -> None:
        """A filled rectangle, or its outline ``width`` points wide."""
        if width > 0:
            self.dl.add_rect(p0, p1, u32(color), rounding, width)
        else:
            self.dl.add_rect_filled(p0, p1, u32(color), rounding)

    def line(self, p0: Point, p1: Point, color: Color, width: float = 1.0) -> None:
        self.dl.add_line(p0, p1, u32(color), width)

    def circle(self, center: Point, radius: float, color: Color, *, width: float = 0.0) -> None:
        """A filled disc, or a ring ``width`` points wide."""
        if width > 0:
            self.dl.add_circle(center, radius, u32(color), 0, width)
        else:
            self.dl.add_circle_filled(center, radius, u32(color))

    def marker(self, center: Point, radius: float, shape: int, color: Color) -> None:
        """A marker shape (``style.CIRCLE`` …) as the chart draws its glyphs."""
        draw_marker_shape(self.dl, center, radius, shape, color)
