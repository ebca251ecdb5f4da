"""The budget-burn lane's text: its caption in the left margin, and on each SLO's row, at
the chart's right end on a plate, how much of the budget the data up to the playhead has
burned (``checkout availability: burned 12.4 % so far``, and what is left when some was
spent before; in the danger colour once the budget is spent), and "page" beside the tick
where the first burn-rate page would have fired. Placed by :mod:`.burn_lane`; drawn through
:class:`.labels.ChartLabels` (a :class:`.legend_labels.TextPlacer`). The only part of the
lane that changes per frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .burn_lane import burn_lane, page_x
from .draw_list import u32
from .legend_labels import ellipsize
from .style import BURN

if TYPE_CHECKING:
    from ..model import Incident
    from .legend_labels import TextPlacer

__all__ = ["draw_burn_lane"]


def draw_burn_lane(labels: TextPlacer, incident: Incident, t: float) -> None:
    lane = burn_lane(incident, labels.layout)
    if lane is None:
        return
    pr, scale, fonts = labels.layout.pixel_ratio, labels.scale, labels.fonts
    palette = labels.layout.palette
    size = BURN.label_size
    caption = labels.layout.chart.x0 / pr - 9 * scale
    first = lane.rows[0]
    if caption - labels.measure(fonts.regular, size, "budget burn") > 2:
        labels.text(fonts.regular, size, (caption, (first.top + first.baseline) / 2 / pr),
                    palette.text_faint, "budget burn", align=1, valign=0.5)  # fmt: skip
    chart = labels.layout.chart
    right, room = chart.x1 / pr - 4 * scale, chart.width / pr * 0.6
    for row in lane.rows:
        line = ellipsize(labels, fonts.regular, size, row.summary.so_far(t), room)
        y = (row.top + row.baseline) / 2 / pr
        width = labels.measure(fonts.regular, size, line)
        page = page_x(row, labels.layout)
        word = labels.measure(fonts.regular, size, "page")
        if page is not None and page / pr + 6 * scale + word < right - width - 8 * scale:
            x = page / pr + 4 * scale
            plate = (*palette.background[:3], 0.8)
            labels.dl.add_rect_filled(
                (x - 1 * scale, y - 6.5 * scale),
                (x + word + 2 * scale, y + 6.5 * scale),
                u32(plate),
                2.0,
            )
            later = labels.layout.to_t(page) > t  # after the playhead: faded, as its tick is
            color = palette.text_faint if later else palette.text
            labels.text(fonts.regular, size, (x, y), color, "page", valign=0.5)
        plate = (*palette.background[:3], 0.8)
        half = 6.5 * scale
        corners = (right - width - 4 * scale, y - half), (right + 2 * scale, y + half)
        labels.dl.add_rect_filled(*corners, u32(plate), 2.0)
        color = palette.danger if row.summary.left_at(t) <= 0 else palette.text_dim
        labels.text(fonts.regular, size, (right, y), color, line, align=1, valign=0.5)
