"""The time range the chart shows: zoom around a time, pan, select, and follow the playhead.

Pure functions of (view, the incident's full range); ``None`` is the whole incident. A view
never leaves the incident and never gets narrower than MIN_SPAN_S.
"""

from __future__ import annotations

__all__ = ["MIN_SPAN_S", "follow", "pan", "select", "zoom"]

MIN_SPAN_S = 2.0
View = tuple[float, float] | None


def _clamp(start: float, end: float, full: tuple[float, float]) -> View:
    low, high = full
    span = min(max(end - start, MIN_SPAN_S), high - low)
    start = min(max(start, low), high - span)
    if span >= (high - low) * (1 - 1e-9):
        return None  # the whole incident
    return (start, start + span)


def zoom(view: View, full: tuple[float, float], around: float, factor: float) -> View:
    """Scale the view's span by ``factor`` (< 1 zooms in), keeping ``around`` where it is."""
    start, end = view or full
    around = min(max(around, start), end)
    return _clamp(around - (around - start) * factor, around + (end - around) * factor, full)


def pan(view: View, full: tuple[float, float], seconds: float) -> View:
    """Move the view by ``seconds`` (later when positive), stopping at the incident's ends."""
    if view is None:
        return None
    return _clamp(view[0] + seconds, view[1] + seconds, full)


def select(full: tuple[float, float], t0: float, t1: float) -> View:
    """The view of a range dragged out on the chart (in either direction)."""
    return _clamp(min(t0, t1), max(t0, t1), full)


def follow(view: View, full: tuple[float, float], t: float) -> View:
    """While playing: when the playhead leaves the view, page the view on so the playhead is
    back near its left edge (10 % in), as a player's timeline does."""
    if view is None or view[0] <= t <= view[1]:
        return view
    span = view[1] - view[0]
    return _clamp(t - 0.1 * span, t + 0.9 * span, full)
