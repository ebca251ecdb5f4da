"""Live view: the chart as the on-call saw it at the playhead. Pure (no GPU).

Nothing after the playhead exists: the frame uniform hides the data after it (ghosted or
not: :func:`.geometry.frame_uniform`), the value axes fit the data seen so far
(:mod:`.axis_fit`), a live layout holds only the events, spans and milestones known by its
playhead (:mod:`.instances`, :mod:`.milestone_lane`; a span still open is cut at the
playhead), and the text does not give the end away (no "of T+14:00", no duration, no
"Next:" event). A layout made at one playhead serves every later one until something
becomes known (:func:`known_count` changes) or the axes' fit changes. Each threshold gets
a counter: how long its series has been on the bad side so far.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from ..analysis.so_far import time_outside_until
from ..describe import format_reading, short_duration
from .axis_fit import fit_window
from .layout import LEGEND_ROW_PT
from .milestone_lane import known_times
from .value_axes import value_axes

if TYPE_CHECKING:
    from ..model import Incident
    from .layout import ChartLayout
    from .legend_labels import TextPlacer

__all__ = ["counter_lines", "draw_live_counters", "known_count", "live_layout_holds"]

LIVE_BADGE = "● LIVE"


@functools.lru_cache(maxsize=8)  # per incident (by identity); asked per frame
def _known_times(incident: Incident) -> np.ndarray:
    """Every time at which something on the chart becomes known: each event, and each
    milestone of the lane once it is certain."""
    return np.unique(np.array([*incident.event_times, *known_times(incident)], dtype=float))


def known_count(incident: Incident, t: float) -> int:
    """How many of those moments had passed at ``t`` (a live layout is good for every
    playhead with the same count)."""
    return int(np.searchsorted(_known_times(incident), t, side="right"))


def counter_lines(
    incident: Incident, t: float, hidden: frozenset[str] = frozenset()
) -> list[tuple[str, tuple[float, float, float]]]:
    """Each shown threshold's counter at ``t`` and its series' colour: ``p99 latency over
    200 ms for 4m 10s so far`` (``… : not yet`` before the first bad sample)."""
    lines = []
    for threshold in incident.thresholds:
        series = incident.series_by_id(threshold.series_id)
        if series.id in hidden:
            continue
        subject = series.group or series.label
        side = "over" if threshold.bad == "above" else "under"
        head = f"{subject} {side} {format_reading(series, threshold.value)}"
        seconds = time_outside_until(incident, threshold, t)
        when = f" for {short_duration(seconds)} so far" if seconds > 0 else ": not yet"
        lines.append((head + when, series.color))
    return lines


def draw_live_counters(labels: TextPlacer, incident: Incident, t: float) -> None:
    """The LIVE badge and the counters on the row a live layout keeps above the legend,
    right-aligned to the chart's right edge (smaller type where they would not fit)."""
    layout, fonts, scale = labels.layout, labels.fonts, labels.scale
    palette = layout.palette
    items = [(LIVE_BADGE, palette.severity[:3], fonts.bold)]
    items += [(text, palette.series_color(color), fonts.regular)
              for text, color in counter_lines(incident, t, layout.hidden)]  # fmt: skip
    gap = 18 * scale
    size = 13.0
    widths = [labels.measure(font, size, text) for text, _, font in items]
    room = labels.x1 - layout.chart.x0 / layout.pixel_ratio
    total = sum(widths) + gap * (len(items) - 1)
    if total > room:  # many thresholds, a small frame: smaller type, down to 9 pt
        size = max(9.0, size * room / total)
        widths = [labels.measure(font, size, text) for text, _, font in items]
        total = sum(widths) + gap * (len(items) - 1)
    top_row = min((cell.y for cell in layout.legend), default=layout.chart.y0 / layout.pixel_ratio)
    y = top_row - LEGEND_ROW_PT * scale
    x = labels.x1 - total
    for (text, color, font), width in zip(items, widths, strict=True):
        labels.text(font, size, (x, y), (*color, 1.0), text, valign=0.5)
        x += width + gap


def live_layout_holds(incident: Incident, layout: ChartLayout, t: float) -> bool:
    """Whether ``layout`` (a live one) also shows what was known at ``t``: nothing became
    known (or unknown) between its playhead and ``t``, and the axes fit the same."""
    if layout.live is None or known_count(incident, layout.live) != known_count(incident, t):
        return False
    full = (incident.start, incident.end)
    window = fit_window(full, layout.view, autoscale=layout.autoscale, live=t)
    rows = (layout.chart.y0, layout.chart.y1)
    axes = value_axes(incident, rows, layout.pixel_ratio, layout.hidden, window=window)
    return {name: (axis.low, axis.high) for name, axis in axes.items()} == layout.axis_ranges
