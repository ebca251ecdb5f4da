"""What a series draws in a layout: its samples as a line, or, when it is dense, the
min-max envelope of each pixel column with a line through the columns' means.

Where a series has more than about two samples per pixel column (``DENSE.envelope_above``)
a line through every sample is a slab of colour: the eye cannot follow it and sample
markers sprinkled over it only add noise. Grafana and Datadog show such data as a band from
each column's lowest to highest value with the mean drawn through it; so does this. A
single spike is the highest value of its column, so the band keeps it however many samples
surround it. Each column's band reaches its predecessor's last value, so it covers the
pixels a line through every sample would. A column without a finite value is a gap (the
band and the mean break); a column without samples is skipped (the line joins its
neighbours, as between samples).

Cost: a visible-range lookup, then one ``reduceat`` each for min, max and sum over the
visible samples: about 12 ms for 10 million samples on the 2-core CI machine, once per
layout (load, resize, zoom), never per frame; see docs/performance.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .style import DENSE

__all__ = ["Drawn", "drawn_samples", "group_envelope"]


@dataclass(frozen=True)
class Drawn:
    """A series' drawn line points (times, values; NaN = gap) and, for a dense series, its
    envelope columns (centre times, lows, highs; NaN = gap)."""

    times: np.ndarray
    values: np.ndarray
    envelope: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    samples_in_view: int = 0
    columns: np.ndarray | None = None  # the pixel column of each envelope record

    @property
    def dense(self) -> bool:
        return self.envelope is not None


def visible_slice(times: np.ndarray, t_start: float, t_end: float) -> tuple[int, int]:
    """[first, last) of the samples in the view, with one more on each side so the line
    reaches the chart's edges."""
    first = max(int(np.searchsorted(times, t_start, side="left")) - 1, 0)
    last = min(int(np.searchsorted(times, t_end, side="right")) + 1, len(times))
    return first, last


def drawn_samples(
    times: np.ndarray,
    values: np.ndarray,
    t_start: float,
    t_end: float,
    columns: int,
    *,
    has_gaps: bool,
) -> Drawn:
    """What a series with ``times`` (sorted) and ``values`` draws over ``columns`` pixel
    columns spanning [``t_start``, ``t_end``]."""
    first, last = visible_slice(times, t_start, t_end)
    count = last - first
    columns = max(int(columns), 1)
    if count <= DENSE.envelope_above * columns:
        return Drawn(times[first:last], values[first:last], None, count)
    return _envelope(times[first:last], values[first:last], t_start, t_end, columns, has_gaps)


def _envelope(
    times: np.ndarray,
    values: np.ndarray,
    t_start: float,
    t_end: float,
    columns: int,
    has_gaps: bool,
) -> Drawn:
    width = (t_end - t_start) / columns
    bounds = t_start + width * np.arange(columns + 1)
    # Samples just outside the view belong to the first and last column.
    edges = np.searchsorted(times, bounds, side="left")
    edges[0], edges[-1] = 0, len(times)
    starts = edges[:-1]
    filled = np.flatnonzero(edges[1:] > starts)  # columns holding samples
    starts = starts[filled]
    counts = np.diff(np.append(starts, len(times)))
    if has_gaps:
        # fmin/fmax skip NaN; a column is a gap only when none of its samples is finite.
        low = np.fmin.reduceat(values, starts)
        high = np.fmax.reduceat(values, starts)
        finite = np.isfinite(values)
        sums = np.add.reduceat(np.where(finite, values, 0.0), starts)
        counts = np.add.reduceat(finite, starts)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    else:
        low = np.minimum.reduceat(values, starts)
        high = np.maximum.reduceat(values, starts)
        means = np.add.reduceat(values, starts) / counts
    # A line through every sample also crosses from one column's last sample to the next
    # column's first: widen each column to its predecessor's last value, so the band covers
    # what that line would (a steep rise is one connected band, not a staircase of gaps).
    last = values[starts[1:] - 1]
    low[1:], high[1:] = np.fmin(low[1:], last), np.fmax(high[1:], last)
    centres = t_start + width * (filled + 0.5)
    return Drawn(centres, means, (centres, low, high), len(times), filled)


def group_envelope(
    members: list[Drawn], columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """One band for a whole group: per pixel column, the lowest low and highest high of its
    dense members (the fleet's range; each member's own band would be a fog of hundreds).
    Returns (column indices, lows, highs), or None when no member is dense."""
    dense = [m for m in members if m.envelope is not None]
    if not dense:
        return None
    low = np.full(columns, np.inf)
    high = np.full(columns, -np.inf)
    for member in dense:
        _, member_low, member_high = member.envelope
        with np.errstate(invalid="ignore"):
            np.fmin.at(low, member.columns, member_low)
            np.fmax.at(high, member.columns, member_high)
    filled = np.flatnonzero(np.isfinite(low) | np.isfinite(high))
    low, high = low[filled], high[filled]
    gap = ~np.isfinite(low)
    low[gap] = high[gap] = np.nan
    return filled, low, high
