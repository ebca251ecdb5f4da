"""How the model reads in words: legend readings, durations and the header's facts.

One source for the chart's text pass and the window's panels, so an exported frame and the
window describe an incident the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Incident, Series

__all__ = ["duration_words", "format_reading", "incident_facts"]


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


def duration_words(seconds: float) -> str:
    """``45 s``, ``14 min``, ``12.5 min``, ``3.0 h``."""
    minutes = seconds / 60
    if minutes < 1:
        return f"{seconds:.0f} s"
    if minutes < 90:
        return f"{minutes:.0f} min" if minutes == int(minutes) else f"{minutes:.1f} min"
    return f"{minutes / 60:.1f} h"


def incident_facts(incident: Incident) -> list[str]:
    """The header's facts line: role, stack and duration (each only when known)."""
    facts = []
    if incident.role:
        facts.append(f"Role · {incident.role}")
    if incident.stack:
        facts.append("Stack · " + " · ".join(incident.stack))
    facts.append(f"Duration · {duration_words(incident.duration)}")
    return facts
