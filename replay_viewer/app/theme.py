"""The window's look: ImGui style and colours (from render/style.py's palette) and small
drawing helpers every GUI module uses."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..render.draw_list import u32
from ..render.style import PALETTE

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ACCENT",
    "DANGER",
    "DIM",
    "FAINT",
    "SUCCESS",
    "TEXT",
    "apply_style",
    "backdrop",
    "text",
    "tip",
    "u32",
]

TEXT = (*PALETTE.text[:3], 1.0)
DIM = (*PALETTE.text_dim[:3], 1.0)
FAINT = (*PALETTE.text_faint[:3], 1.0)
ACCENT = PALETTE.accent
DANGER = PALETTE.danger
SUCCESS = PALETTE.success


def apply_style() -> None:
    imgui.style_colors_dark()
    style = imgui.get_style()
    style.window_rounding = 6.0
    style.frame_rounding = 4.0
    style.grab_rounding = 4.0
    style.child_rounding = 6.0
    style.window_border_size = 0.0
    style.frame_padding = (8, 5)
    style.item_spacing = (8, 6)
    colors = {
        imgui.Col_.window_bg: (0.035, 0.045, 0.065, 1.0),
        imgui.Col_.child_bg: (0.05, 0.062, 0.085, 1.0),
        imgui.Col_.popup_bg: (0.06, 0.07, 0.095, 0.98),
        imgui.Col_.menu_bar_bg: (0.03, 0.038, 0.055, 1.0),
        imgui.Col_.frame_bg: (0.09, 0.11, 0.15, 1.0),
        imgui.Col_.frame_bg_hovered: (0.13, 0.16, 0.22, 1.0),
        imgui.Col_.header: (0.10, 0.25, 0.32, 0.8),
        imgui.Col_.header_hovered: (0.12, 0.33, 0.42, 0.8),
        imgui.Col_.button: (0.11, 0.14, 0.19, 1.0),
        imgui.Col_.button_hovered: (0.16, 0.27, 0.34, 1.0),
        imgui.Col_.slider_grab: ACCENT,
        imgui.Col_.slider_grab_active: (0.5, 0.93, 1.0, 1.0),
        imgui.Col_.check_mark: ACCENT,
        imgui.Col_.plot_histogram: ACCENT,
        imgui.Col_.text: TEXT,
        imgui.Col_.text_disabled: DIM,
    }
    for slot, color in colors.items():
        style.set_color_(slot, imgui.ImVec4(*color))


def text(font, size: float, color, line: str) -> None:
    """One line of text in ``font`` at ``size`` points and ``color``."""
    with imgui_ctx.push_font(font, size):
        imgui.text_colored(color, line)


def tip(line: str) -> None:
    """A tooltip on the last item while it is hovered."""
    if imgui.is_item_hovered():
        imgui.set_tooltip(line)


@contextlib.contextmanager
def backdrop(name: str, pos, size, *, padding: tuple[float, float] | None = None) -> Iterator[None]:
    """A window without decoration that fills ``pos``/``size`` and stays behind the rest,
    for the body of the ``with`` (``padding``: its own, not its children's); ended even when
    the body raises, so ImGui stays balanced."""
    imgui.set_next_window_pos(pos)
    imgui.set_next_window_size(size)
    flags = (
        imgui.WindowFlags_.no_decoration
        | imgui.WindowFlags_.no_move
        | imgui.WindowFlags_.no_saved_settings
        | imgui.WindowFlags_.no_bring_to_front_on_focus
    )
    with contextlib.ExitStack() as style:
        if padding is not None:  # read by Begin: popped before the body
            style.enter_context(imgui_ctx.push_style_var(imgui.StyleVar_.window_padding, padding))
        imgui.begin(name, None, flags)
    try:
        yield
    finally:
        imgui.end()
