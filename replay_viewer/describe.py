"""How the model reads in words: legend readings, durations and the header's facts.

One source for the chart's text pass and the window's panels, so an exported frame and the
window describe an incident the same way.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .timecode import DAY, format_timecode, format_wall_clock

if TYPE_CHECKING:
    from .model import Event, Histogram, Incident, Series
    from .timecode import ClockMode

__all__ = [
    "SPAN_VERBS",
    "bound_label",
    "count_reading",
    "duration_words",
    "event_heading",
    "format_reading",
    "heat_cell_reading",
    "incident_facts",
    "open_spans_line",
    "short_duration",
    "spans_days",
    "time_reading",
]


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


def bound_label(bound: float, *, digits: int = 6) -> str:
    """A bucket's upper bound as Prometheus' ``le`` reads: ``0.005``, ``2.5``, ``+Inf``
    (to ``digits`` significant digits: an axis label wants fewer than a tooltip)."""
    return "+Inf" if math.isinf(bound) else f"{bound:.{digits}g}"


def count_reading(value: float, unit: str) -> str:
    """A bucket's count or rate: ``1,204 req/s``, ``3.5 req/s``, ``0.20 req/s``, ``12``."""
    if abs(value) >= 100 or value == int(value):
        number = f"{value:,.0f}"
    elif abs(value) >= 10:
        number = f"{value:.1f}"
    else:
        number = f"{value:.2f}"
    return f"{number} {unit}".strip() if not unit.startswith("/") else f"{number}{unit}"


def heat_cell_reading(
    incident: Incident, histogram: Histogram, bucket: int, row: int, clock: ClockMode = "relative"
) -> str:
    """A heatmap cell as its tooltip reads: ``le 0.25 s: 1,204 req/s at T+03:10``."""
    bound = bound_label(float(histogram.bounds[bucket]))
    unit = f" {histogram.unit}" if histogram.unit else ""
    count = count_reading(float(histogram.counts[row, bucket]), histogram.count_unit)
    when = time_reading(incident, float(histogram.times[row]), clock)
    return f"le {bound}{unit}: {count} at {when}"


def duration_words(seconds: float) -> str:
    """``45 s``, ``14 min``, ``12.5 min``, ``3.0 h``, ``62 d``, ``1.5 d`` (from 48 hours)."""
    minutes = seconds / 60
    if minutes < 1:
        return f"{seconds:.0f} s"
    if minutes < 90:
        return f"{minutes:.0f} min" if minutes == int(minutes) else f"{minutes:.1f} min"
    if seconds < 2 * DAY:
        return f"{minutes / 60:.1f} h"
    days = seconds / DAY
    return f"{days:.0f} d" if days == round(days) else f"{days:.1f} d"


def spans_days(incident: Incident) -> bool:
    """Whether the incident spans more than a day (times then need their date)."""
    return incident.end - incident.start > DAY


def time_reading(
    incident: Incident, t: float, clock: ClockMode = "relative", *, date: bool | None = None
) -> str:
    """``t`` as the clock reads it: ``T+2d 04:05:00``, or on the wall clock (when
    ``started_at`` is known) ``Mon 14 Jul 06:00:05``. The wall clock shows the date when
    ``date`` says so, by default when the incident spans more than a day."""
    wall = incident.wall_clock(t) if clock == "wall" else None
    if wall is None:
        return format_timecode(t)
    return format_wall_clock(wall, date=spans_days(incident) if date is None else date)


# What an open span is doing, by kind, in the readout ("firing: HighLatency (4m 10s)").
SPAN_VERBS = {"alert": "firing", "deploy": "deploying", "mitigate": "mitigating",
              "diagnose": "diagnosing", "detect": "detecting", "recover": "recovering",
              "resolve": "resolving", "note": "ongoing"}  # fmt: skip


def short_duration(seconds: float) -> str:
    """``45s``, ``4m 10s``, ``2h 05m``, ``3d 04h``: a span's length, compact."""
    whole = max(0, round(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s" if secs else f"{minutes}m"
    return f"{secs}s"


def event_heading(event: Event) -> str:
    """An event's title, with a span's length: ``Deploy v2.4.1  (1m 30s)``."""
    if event.until is None:
        return event.title
    return f"{event.title}  ({short_duration(event.until - event.at)})"


def open_spans_line(incident: Incident, t: float, limit: int = 3) -> str:
    """The spans open at ``t`` and how long each has been open: ``firing: HighLatency (4m
    10s) · mitigating: Rollback (30s)``; "" when none is."""
    spans = incident.spans_open_at(t)
    parts = [f"{SPAN_VERBS[e.kind]}: {e.title} ({short_duration(t - e.at)})" for e in spans]
    more = f" · +{len(parts) - limit} more" if len(parts) > limit else ""
    return " · ".join(parts[:limit]) + more


def incident_facts(incident: Incident, *, live: bool = False) -> list[str]:
    """The header's facts line: role, stack and duration (each only when known); in live
    view no duration (the on-call did not know it) but what the view shows."""
    facts = []
    if incident.role:
        facts.append(f"Role · {incident.role}")
    if incident.stack:
        facts.append("Stack · " + " · ".join(incident.stack))
    if live:
        facts.append("Live view · only what was known at the playhead")
    else:
        facts.append(f"Duration · {duration_words(incident.duration)}")
    return facts
