"""The legend's baseline reading: a short dashed sample of the baseline's ghost line, then
``vs baseline: +312 ms (×4.1)`` at t (in the palette's danger colour while the series is on
its worse side). Placed through a :class:`.legend_labels.TextPlacer`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.baselines import baseline_delta, format_vs_baseline
from .baseline_geometry import baseline_color
from .draw_list import u32
from .style import BASELINE

if TYPE_CHECKING:
    from ..model import Incident

__all__ = ["BASELINE_FONT_SIZE", "draw_vs_baseline", "vs_baseline_text"]

BASELINE_FONT_SIZE = 13.0
SWATCH_PT = 16.0  # the dashed sample before the text


def vs_baseline_text(incident: Incident, index: int, t: float) -> tuple[str, bool]:
    """The reading of series ``index`` against its baseline at ``t`` and whether it is
    worse; ("", False) without one."""
    delta = baseline_delta(incident, index, t)
    return format_vs_baseline(incident.series[index], delta), bool(delta and delta.worse)


def draw_vs_baseline(
    labels: Any,  # a legend_labels.TextPlacer
    incident: Incident,
    index: int,
    t: float,
    x: float,
    y: float,
    color: tuple[float, float, float],
    measure_only: bool = False,
) -> float:
    """Draw (or with ``measure_only`` just measure) the baseline reading of series
    ``index`` from ``x`` on the row centred at ``y``; its width in points (0: none)."""
    if incident.series[index].baseline is None:
        return 0.0
    text, worse = vs_baseline_text(incident, index, t)
    if not text:
        text = "vs baseline: no data"
    scale, palette = labels.scale, labels.layout.palette
    swatch = SWATCH_PT * scale
    width = swatch + 5 * scale + labels.measure(labels.fonts.regular, BASELINE_FONT_SIZE, text)
    if measure_only:
        return width
    ghost = (*baseline_color(color, palette.background), 1.0)
    on, off = (d * scale for d in BASELINE.dash)
    position = x
    while position < x + swatch:
        end = min(position + on, x + swatch)
        labels.dl.add_line((position, y), (end, y), u32(ghost), BASELINE.width * scale)
        position = end + off
    shade = palette.danger if worse else palette.text_dim
    labels.text(labels.fonts.regular, BASELINE_FONT_SIZE, (x + swatch + 5 * scale, y), shade,
                text, valign=0.5)  # fmt: skip
    return width
