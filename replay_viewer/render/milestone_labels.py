"""The milestone lane's text: its caption in the left margin, each gap's label (on its
bracket, on a plate that cuts the line, or beside it), and a "!" in each warning badge.
Placed by :mod:`.milestone_lane`; drawn through :class:`.labels.ChartLabels` (a
:class:`.legend_labels.TextPlacer`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .draw_list import u32
from .milestone_lane import milestone_lane
from .style import MILESTONES

if TYPE_CHECKING:
    from ..model import Incident
    from .legend_labels import TextPlacer

__all__ = ["draw_milestone_lane"]


def draw_milestone_lane(labels: TextPlacer, incident: Incident) -> None:
    lane = milestone_lane(incident, labels.layout)
    if lane is None:
        return
    pr, scale, fonts = labels.layout.pixel_ratio, labels.scale, labels.fonts
    palette = labels.layout.palette
    size = MILESTONES.label_size
    caption = labels.layout.chart.x0 / pr - 9 * scale
    if caption - labels.measure(fonts.regular, size, "milestones") > 2:
        labels.text(fonts.regular, size, (caption, lane.glyph_y / pr), palette.text_faint,
                    "milestones", align=1, valign=0.5)  # fmt: skip
    for bracket in lane.brackets:
        x, y = bracket.label_x / pr, bracket.y / pr
        text = bracket.gap.label
        if bracket.align == 0.5:  # on the line: a plate cuts it where the label goes
            half = labels.measure(fonts.regular, size, text) / 2 + 4 * scale
            plate = (*palette.background[:3], 1.0)
            labels.dl.add_rect_filled((x - half, y - 7 * scale), (x + half, y + 7 * scale),
                                      u32(plate))  # fmt: skip
        labels.text(fonts.regular, size, (x, y), palette.text_dim, text, align=bracket.align,
                    valign=0.5)  # fmt: skip
    for item in lane.items:
        if item.warning:
            # The badge is a triangle: its "!" sits a little below the centre.
            position = (item.x / pr, item.y / pr + 1.0 * scale)
            labels.text(
                fonts.bold, 9 / scale, position, palette.background, "!", align=0.5, valign=0.5
            )  # fmt: skip (the badge keeps its size, as glyphs do)
