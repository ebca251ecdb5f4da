"""What the GUI functions read besides the state: fonts, the chart's texture and layout,
the boot's progress and the frame rate. The window fills it; tests make one without a
window."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imgui_bundle import imgui

if TYPE_CHECKING:
    from ..render.boot import BootError, StageReport
    from ..render.fonts import FontSet
    from ..render.layout import ChartLayout

__all__ = ["UiContext"]


@dataclass
class UiContext:
    fonts: FontSet
    chart_texture: imgui.ImTextureRef | None = None  # the chart, rendered after the GUI pass
    chart_layout: ChartLayout | None = None  # of the chart texture (physical pixels)
    fps: float = 0.0
    boot_reports: dict[int, StageReport] = field(default_factory=dict)
    boot_error: BootError | None = None
    # Written by the GUI each frame: the chart's size in points (the window renders the
    # chart at this size after the GUI pass) and its top-left corner in the window.
    chart_size: tuple[float, float] = (0.0, 0.0)
    chart_origin: tuple[float, float] = (0.0, 0.0)
    # Rectangles of named controls this frame (min x, min y, max x, max y), so tests can
    # click them without a window.
    rects: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    tooltip: str = ""  # the last event tooltip shown (the tests' seam reads it)
    shown_rows: list[str] = field(default_factory=list)  # the member list's rows, in order
    # Named texts shown this frame (a boot stage's line, an error the banner shows), so
    # tests read back what the GUI put on screen, not only that it drew something.
    texts: dict[str, str] = field(default_factory=dict)

    def show(self, name: str, line: str) -> str:
        """Remember that ``line`` is shown as ``name`` this frame; returns ``line``."""
        self.texts[name] = line
        return line

    def mark(self, name: str) -> None:
        """Remember the last item's rectangle under ``name``."""
        low, high = imgui.get_item_rect_min(), imgui.get_item_rect_max()
        self.rects[name] = (low.x, low.y, high.x, high.y)
