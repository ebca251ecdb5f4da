"""Value axes: which series share an axis, their ranges, nice ticks, and the panes.

Up to two units share one pane, with a left and a right axis (the case-study look). Three
or more units get stacked panes, one per unit, each with its own axis on the left, sharing
the time axis below. Ranges pad the data a little, start at zero for rates and latencies,
and stop at 100 for percentages unless the data goes past it. Hidden series keep their
axis but leave its range. Ranges fit the whole incident's data, or only a time window's
(a zoom with autoscale, live view: :mod:`.axis_fit`); a pinned ``range:`` stays, and the
thresholds of the series shown stay in range. Given ``ranges`` (an axis moving between
two fits), an axis takes them as they are, with nice ticks inside. Pure Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .axis_fit import window_extent
from .heatmap_axis import log_axis

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..baseline import Baseline
    from ..model import Histogram, Incident, Series

Window = tuple[float, float] | None

__all__ = [
    "FLAT_RATIO",
    "PERCENT_UNITS",
    "AxisLayout",
    "Tick",
    "axis_groups",
    "format_value",
    "is_nice",
    "nice_step",
    "nice_ticks",
    "pane_histograms",
    "scale_warnings",
    "value_axes",
]

MAX_TICKS = 64  # per axis; a safety net, the spacing rules give far fewer
PERCENT_UNITS = frozenset({"%", "percent", "pct"})
PANE_GAP_PT = 14.0  # between stacked panes
HEAT_PANE_WEIGHT = 1.6  # a heatmap's pane is this much taller than a line pane
SIDES = ("left", "right")
# Two series on one axis whose peaks differ this many times: the smaller one draws flat.
FLAT_RATIO = 50.0


@dataclass(frozen=True)
class Tick:
    value: float
    pos: int  # physical pixel of the line (its left/top pixel)
    label: str


@dataclass(frozen=True)
class AxisLayout:
    """A value axis: ``y = offset + value * scale`` in physical pixels (scale < 0: up),
    drawn on ``side`` of the pane that spans rows [``y0``, ``y1``). A ``log`` axis (a
    heatmap's buckets) maps ``log10(value)`` instead, values held to [``low``, ``high``]."""

    side: str
    low: float
    high: float
    scale: float
    offset: float
    ticks: tuple[Tick, ...]
    unit: str
    series_ids: tuple[str, ...]
    y0: int = 0
    y1: int = 0
    log: bool = False

    def to_y(self, value: float) -> float:
        if not self.log:
            return self.offset + value * self.scale
        return self.offset + float(self.axis_values(value)) * self.scale

    def axis_values(self, values):
        """Values as the axis maps them linearly: themselves, or (log) their log10."""
        if not self.log:
            return values
        with np.errstate(invalid="ignore"):
            return np.log10(np.clip(values, self.low, self.high))


def nice_step(span: float, max_intervals: int) -> float:
    """The smallest 1/2/2.5/5 × 10^k step that cuts ``span`` into ≤ ``max_intervals``."""
    if not span > 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, max_intervals)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    if magnitude == 0:  # below the smallest float: there is nothing to divide
        return 1.0
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw * (1 - 1e-9):
            return multiple * magnitude
    return 10 * magnitude


def is_nice(step: float) -> bool:
    magnitude = 10 ** math.floor(math.log10(step))
    return any(math.isclose(step, m * magnitude, rel_tol=1e-9) for m in (1, 2, 2.5, 5, 10))


def nice_ticks(low: float, high: float, max_intervals: int) -> tuple[float, float, float]:
    """Extend [low, high] outward to multiples of a nice step: (low, high, step)."""
    step = nice_step(high - low, max_intervals)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step, step


def format_value(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs: 2,500 / 0.25 / 12.5 (and
    scientific notation for very large or very small steps: 1.5e+12, 2e-07)."""
    if step >= 1e9 or step < 1e-4:
        return "0" if value == 0 else f"{value:.3g}"
    decimals = 0
    while decimals < 6 and not math.isclose(round(step, decimals), step, rel_tol=1e-9):
        decimals += 1
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def axis_groups(incident: Incident) -> list[tuple[str, list[Series]]]:
    """(axis name, member series): "left"/"right" in one pane for up to two units, else
    one pane per unit, in order of first appearance: "pane0", "pane1", …; an incident with
    histograms has panes, and each histogram one below them (its quantile series)."""
    ordinary = [s for s in incident.series if not s.histogram]
    units = list(dict.fromkeys(s.unit for s in ordinary))
    if len(units) <= 2 and not incident.histograms:
        sides = [(side, [s for s in ordinary if s.axis == side]) for side in ("left", "right")]
        return [(name, members) for name, members in sides if members]
    panes = [(f"pane{i}", [s for s in ordinary if s.unit == u]) for i, u in enumerate(units)]
    for histogram in incident.histograms:
        members = [s for s in incident.series if s.histogram == histogram.id]
        panes.append((f"pane{len(panes)}", members))
    return panes


def pane_histograms(incident: Incident) -> dict[str, Histogram]:
    """The heatmap panes' names (see :func:`axis_groups`) and their histograms."""
    units = {s.unit for s in incident.series if not s.histogram}
    return {f"pane{len(units) + k}": h for k, h in enumerate(incident.histograms)}


def _data_range(
    incident: Incident, members: list[Series], hidden, window: Window
) -> tuple[float, float] | None:
    visible = [s for s in members if s.id not in hidden] or members
    if window is None:
        extents = [s.value_extent for s in visible]
    else:
        extents = [window_extent(s, *window) for s in visible]
    extents += [_baseline_extent(s.baseline, window) for s in visible if s.baseline is not None]
    values = [v for extent in extents if extent for v in extent]
    ids = {s.id for s in visible}
    values += [t.value for t in incident.thresholds if t.series_id in ids]
    return (min(values), max(values)) if values else None


def _auto_range(
    incident: Incident, members: list[Series], hidden, window: Window
) -> tuple[float, float]:
    data = _data_range(incident, members, hidden, window)
    if data is None:
        return 0.0, 1.0
    low, high = float(data[0]), float(data[1])
    # Rates and latencies read best from zero; a narrow band far from zero does not.
    if low >= 0 and low <= 0.5 * high:
        low = 0.0
    if high - low <= max(1e-30, 1e-12 * max(abs(low), abs(high))):  # (nearly) constant
        middle = (high + low) / 2
        half = max(abs(middle) * 0.5, 1.0) if abs(middle) >= 1e-30 else 1.0
        low, high = middle - half, middle + half
    pad = (high - low) * 0.04
    low, high = (low if low == 0 else low - pad), high + pad
    if _bounded(members) and data[1] <= 100 and data[0] >= 0:
        low, high = max(low, 0.0), min(high, 100.0)  # a percentage stops at 100
    return low, high


def _bounded(members: list[Series]) -> bool:
    return all(s.unit.strip().lower() in PERCENT_UNITS for s in members)


def _axis(side: str, members, rows: tuple[int, int], low, high, step) -> AxisLayout:
    y0, y1 = rows
    scale = -(y1 - y0) / (high - low)
    offset = y1 - low * scale
    ticks = []
    first_index = math.ceil(low / step - 1e-9)
    count = min(math.floor(high / step + 1e-9) - first_index + 1, MAX_TICKS)
    for k in range(max(count, 1)):
        value = (first_index + k) * step  # by index: repeated += would stall on big values
        y = min(math.floor(offset + value * scale), y1 - 1)
        ticks.append(Tick(value, y, format_value(value, step)))
    units = " / ".join(sorted({s.unit for s in members}))
    ids = tuple(s.id for s in members)
    return AxisLayout(side, low, high, scale, offset, tuple(ticks), units, ids, y0, y1)


def _one_pane(incident, groups, rows, pr, hidden, window, ranges) -> dict[str, AxisLayout]:
    """The left axis picks the number of intervals; the right one follows it when it can,
    so both axes' labels sit on the same grid lines."""
    max_intervals = max(3, int((rows[1] - rows[0]) / pr / 56))
    axes: dict[str, AxisLayout] = {}
    intervals = None
    for side, members in groups:
        explicit = next((s.range for s in members if s.range is not None), None)
        if ranges and side in ranges:  # moving between two fits: as given
            low, high = ranges[side]
            step = nice_step(high - low, max_intervals)
        elif explicit is not None:
            low, high = explicit
            step = (high - low) / intervals if intervals else 0.0
            if not intervals or not is_nice(step):
                step = nice_step(high - low, max_intervals)
        else:
            low, high = _auto_range(incident, members, hidden, window)
            data_high = high
            if intervals and not _bounded(members):
                step = nice_step(high - low, intervals)
                low = math.floor(low / step + 1e-9) * step
                high = low + step * intervals
                if high < data_high:
                    low, high, step = nice_ticks(low, data_high, max_intervals)
            else:
                low, high, step = nice_ticks(low, high, max_intervals)
        if intervals is None:
            intervals = round((high - low) / step)
        axes[side] = _axis(side, members, rows, low, high, step)
    return axes


def _baseline_extent(baseline: Baseline, window: Window) -> tuple[float, float] | None:
    """(min, max) of a baseline's finite samples in ``window`` (all of them: None)."""
    if window is None:
        return baseline.value_extent
    first, last = np.searchsorted(baseline.times, window, side="left")
    values = baseline.values[first:last]
    values = values[np.isfinite(values)]
    return (float(values.min()), float(values.max())) if len(values) else None


def value_axes(
    incident: Incident,
    chart_rows: tuple[int, int],
    pr: float,
    hidden=frozenset(),
    *,
    window: Window = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
):
    """The value axes by name (see :func:`axis_groups`), each with its pane's rows, fitted
    to the data between the times of ``window`` (None: all of it); ``ranges`` by axis
    name replace the fit (an axis moving from one fit to the next)."""
    groups = axis_groups(incident)
    if not groups[0][0].startswith("pane"):
        return _one_pane(incident, groups, chart_rows, pr, hidden, window, ranges)
    gap = round(PANE_GAP_PT * pr)
    y0, y1 = chart_rows
    heat = pane_histograms(incident)
    weights = [HEAT_PANE_WEIGHT if name in heat else 1.0 for name, _ in groups]
    unit = (y1 - y0 - gap * (len(groups) - 1)) / sum(weights)
    axes = {}
    for index, (name, members) in enumerate(groups):
        top = round(y0 + (sum(weights[:index]) * unit) + index * gap)
        rows = (top, round(top + weights[index] * unit))
        if name in heat:
            axes[name] = _heat_axis(heat[name], members, rows, pr)
            continue
        pane = {"left": ranges[name]} if ranges and name in ranges else None
        only = _one_pane(incident, [("left", members)], rows, pr, hidden, window, pane)
        axes[name] = only["left"]
    return axes


def _heat_axis(histogram: Histogram, members: list[Series], rows, pr: float) -> AxisLayout:
    """A heatmap pane's log axis of its buckets (:mod:`.heatmap_axis`)."""
    found = log_axis(histogram, rows, pr)
    ticks = tuple(Tick(value, pos, label) for value, pos, label in found.ticks)
    ids = tuple(s.id for s in members)
    return AxisLayout("left", found.low, found.high, found.scale, found.offset, ticks,
                      found.unit, ids, rows[0], rows[1], log=True)  # fmt: skip


def scale_warnings(incident: Incident) -> list[str]:
    """Series forced onto one axis with very different magnitudes (the smaller one would
    draw as a flat line), one sentence each."""
    warnings = []
    for name, members in axis_groups(incident):
        if any(s.histogram for s in members):
            continue  # a heatmap's quantiles, on a log axis: none is flat
        peaks = [(max(abs(v) for v in s.value_extent), s) for s in members if s.value_extent]
        peaks = [(peak, s) for peak, s in peaks if peak > 0]
        if len(peaks) < 2:
            continue
        (low, small), (high, big) = min(peaks, key=lambda p: p[0]), max(peaks, key=lambda p: p[0])
        if high / low >= FLAT_RATIO:
            where = "one pane" if name.startswith("pane") else f"the {name} axis"
            warnings.append(
                f"series '{small.id}' (up to {format_value(low, low / 10)}) and '{big.id}' "
                f"(up to {format_value(high, high / 10)}) share {where}: '{small.id}' will "
                "look flat; give it its own unit or put it on the other axis"
            )
    return warnings
