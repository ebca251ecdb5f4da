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
from .draw_list import u32
from .milestone_lane import known_times

if TYPE_CHECKING:
    from ..model import Incident
    from .legend_labels import TextPlacer

__all__ = ["counter_lines", "draw_live_counters", "known_count"]

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
    """The LIVE badge and the counters, right-aligned in the chart's top-right corner on a
    plate (in live view that corner is the future: empty until the playhead nears the
    end)."""
    layout, fonts, scale = labels.layout, labels.fonts, labels.scale
    palette = layout.palette
    right, top = labels.x1 - 8 * scale, layout.chart.y0 / layout.pixel_ratio + 6 * scale
    rows = [(LIVE_BADGE, palette.severity[:3], fonts.bold)]
    rows += [(text, palette.series_color(color), fonts.regular)
             for text, color in counter_lines(incident, t, layout.hidden)]  # fmt: skip
    width = max(labels.measure(font, 12, text) for text, _, font in rows)
    pad, step = 4 * scale, 16 * scale
    plate = (*palette.background[:3], 0.85)
    labels.dl.add_rect_filled((right - width - pad, top - pad),
                              (right + pad, top + step * len(rows) + pad / 2), u32(plate),
                              3.0)  # fmt: skip
    for number, (text, color, font) in enumerate(rows):
        labels.text(font, 12, (right, top + step * number), (*color, 1.0), text, align=1)
