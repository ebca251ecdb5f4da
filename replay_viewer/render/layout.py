"""Chart layout: margins, the chart rectangle, pixel-snapped grid and "nice" ticks.

Pure Python (no GPU): the renderer turns a :class:`ChartLayout` into uniforms and small
instance buffers, the text overlay places labels with it, and the tests check its maths.
Positions are in physical pixels (what the GPU draws) unless a name says ``_pt``
(logical points, what text is laid out in).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..timecode import format_timecode

if TYPE_CHECKING:
    from ..model import Incident

__all__ = [
    "AxisLayout",
    "ChartLayout",
    "GridLines",
    "Rect",
    "Tick",
    "compute_layout",
    "nice_ticks",
]

# Margins around the chart, in logical points.
HEADER_PT = 74.0  # title, subtitle, readout
LEGEND_PT = 30.0  # legend row above the chart
AXIS_LABEL_PT = 62.0  # y tick labels
RIGHT_EMPTY_PT = 28.0  # right margin when there is no right axis
TIME_LABEL_PT = 22.0  # time tick labels under the chart
EVENT_LANE_PT = 30.0  # event markers under the time labels
FOOTER_PT = 30.0  # latest event title
SIDE_PAD_PT = 18.0

# Steps the time axis may use, in seconds: what a person reads easily on a clock.
DAY = 86400
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
              43200, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY)  # fmt: skip
MAX_TICKS = 64  # per axis; a safety net, the spacing rules give far fewer
TIME_MINOR = {1: 5, 2: 4, 5: 5, 10: 5, 15: 3, 30: 3, 60: 4, 120: 4, 300: 5, 600: 5, 900: 3}


@dataclass(frozen=True)
class Rect:
    """Integer pixel rectangle [x0, x1) × [y0, y1)."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Tick:
    value: float
    pos: int  # physical pixel of the line (its left/top pixel)
    label: str


@dataclass(frozen=True)
class GridLines:
    """Evenly spaced grid lines: line k sits at pixel ``floor(origin + k * spacing)``.

    The GPU evaluates the same formula per fragment, so the grid, the ticks and their labels
    land on the same pixel columns/rows. Every ``major_every``-th line is a major (tick) line.
    """

    origin: float
    spacing: float
    major_every: int


@dataclass(frozen=True)
class AxisLayout:
    """A value axis: ``y = offset + value * scale`` in physical pixels (scale < 0: up)."""

    side: str
    low: float
    high: float
    scale: float
    offset: float
    ticks: tuple[Tick, ...]
    unit: str
    series_ids: tuple[str, ...]

    def to_y(self, value: float) -> float:
        return self.offset + value * self.scale


@dataclass(frozen=True)
class ChartLayout:
    width: int  # physical pixels of the whole frame
    height: int
    pixel_ratio: float
    chart: Rect
    t_start: float
    t_end: float
    time_scale: float  # x = time_offset + t * time_scale
    time_offset: float
    time_ticks: tuple[Tick, ...]
    grid_x: GridLines  # vertical lines (time)
    grid_y: GridLines  # horizontal lines (the first axis' values)
    axes: dict[str, AxisLayout]
    event_lane_y: int  # centre of the event marker lane
    chrome: bool = True  # header and footer drawn in the frame

    def to_x(self, t: float) -> float:
        return self.time_offset + t * self.time_scale

    def to_t(self, x: float) -> float:
        return (x - self.time_offset) / self.time_scale

    def axis_for(self, series_id: str) -> AxisLayout:
        for axis in self.axes.values():
            if series_id in axis.series_ids:
                return axis
        raise KeyError(series_id)


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


def format_time_tick(t: float, step: float) -> str:
    """``T+MM:SS`` on the time axis (``T+H:MM:SS`` once ticks are hours apart), and whole
    days (``T+14d``) once they are days apart."""
    if step >= DAY:
        days = t / DAY
        return f"T{'-' if days < 0 else '+'}{abs(days):g}d"
    return format_timecode(t, always_hours=step >= 3600)  # T+0:00:00, T+6:00:00, …


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


def _auto_range(incident: Incident, series_ids: list[str]) -> tuple[float, float]:
    extents = [incident.series_by_id(s).value_extent for s in series_ids]
    values = [v for extent in extents if extent for v in extent]
    values += [t.value for t in incident.thresholds if t.series_id in series_ids]
    if not values:
        return 0.0, 1.0
    low, high = float(min(values)), float(max(values))
    # Rates and latencies read best from zero; a narrow band far from zero does not.
    if low >= 0 and low <= 0.5 * high:
        low = 0.0
    if high - low <= max(1e-30, 1e-12 * max(abs(low), abs(high))):  # (nearly) constant
        middle = (high + low) / 2
        half = max(abs(middle) * 0.5, 1.0) if abs(middle) >= 1e-30 else 1.0
        low, high = middle - half, middle + half
    pad = (high - low) * 0.04
    return (low if low == 0 else low - pad), high + pad


def compute_layout(
    incident: Incident, width: int, height: int, pixel_ratio: float = 1.0, *, chrome: bool = True
) -> ChartLayout:
    """Lay out the chart of ``incident`` in a ``width`` × ``height`` physical-pixel frame.

    ``chrome`` reserves room for the header (title, readout) and the footer (latest event);
    the window draws those itself and lays out without them.
    """
    pr = float(pixel_ratio)
    has_right = any(s.axis == "right" for s in incident.series)
    # Small frames shrink the margins instead of losing the chart.
    shrink = max(min(1.0, (width / pr) / 640.0, (height / pr) / 400.0), 0.35)

    def px(points: float) -> int:
        return round(points * pr * shrink)

    left = px(SIDE_PAD_PT + AXIS_LABEL_PT)
    right = width - px(SIDE_PAD_PT + (AXIS_LABEL_PT if has_right else RIGHT_EMPTY_PT))
    top = px((HEADER_PT if chrome else 6.0) + LEGEND_PT)
    bottom = height - px(TIME_LABEL_PT + EVENT_LANE_PT + (FOOTER_PT if chrome else 4.0))
    chart = Rect(left, top, max(right, left + 8), max(bottom, top + 8))

    t_start, t_end = incident.start, incident.end
    time_scale = chart.width / (t_end - t_start)
    time_offset = chart.x0 - t_start * time_scale
    time_ticks, grid_x = _time_axis(chart, pr, t_start, t_end, time_scale, time_offset)
    axes = _value_axes(incident, chart, pr)
    first_axis = axes.get("left") or axes["right"]
    first_tick = first_axis.ticks[0].value
    value_step = first_axis.ticks[1].value - first_tick if len(first_axis.ticks) > 1 else 1.0
    grid_y = GridLines(
        first_axis.offset + first_tick * first_axis.scale, value_step * first_axis.scale / 4, 4
    )
    return ChartLayout(
        width=width,
        height=height,
        pixel_ratio=pr,
        chart=chart,
        t_start=t_start,
        t_end=t_end,
        time_scale=time_scale,
        time_offset=time_offset,
        time_ticks=time_ticks,
        grid_x=grid_x,
        grid_y=grid_y,
        axes=axes,
        event_lane_y=chart.y1 + px(TIME_LABEL_PT + EVENT_LANE_PT / 2),
        chrome=chrome,
    )


def _time_axis(
    chart: Rect, pr: float, t_start: float, t_end: float, time_scale: float, time_offset: float
) -> tuple[tuple[Tick, ...], GridLines]:
    """Time ticks (at most one label per ~90 pt, on clock-friendly steps) and the vertical
    grid lines between them."""
    max_ticks = max(2, int(chart.width / pr / 90))
    span = t_end - t_start
    step = next((s for s in TIME_STEPS if span / s <= max_ticks), None)
    if step is None:  # longer than about four years at this width: whole multiples of weeks
        step = nice_step(span / (7 * DAY), max_ticks) * 7 * DAY
    first = math.ceil(t_start / step - 1e-9) * step
    count = min(math.floor((t_end - first) / step + 1e-9) + 1, MAX_TICKS)
    ticks = []
    for k in range(max(count, 0)):
        t = first + k * step
        x = math.floor(time_offset + t * time_scale)
        ticks.append(Tick(t, min(x, chart.x1 - 1), format_time_tick(t, step)))
    minor = TIME_MINOR.get(step, 4)
    return tuple(ticks), GridLines(
        time_offset + first * time_scale, step * time_scale / minor, minor
    )


def _value_axes(incident: Incident, chart: Rect, pr: float) -> dict[str, AxisLayout]:
    """The left and right value axes. The left one picks the number of intervals, the right
    one follows it when it can, so both axes' labels sit on the same grid lines."""
    max_intervals = max(2, int(chart.height / pr / 56))
    axes: dict[str, AxisLayout] = {}
    intervals = None
    for side in ("left", "right"):
        members = [s for s in incident.series if s.axis == side]
        if not members:
            continue
        ids = [s.id for s in members]
        explicit = next((s.range for s in members if s.range is not None), None)
        if explicit is not None:
            low, high = explicit
            step = (high - low) / intervals if intervals else 0.0
            if not intervals or not is_nice(step):
                step = nice_step(high - low, max_intervals)
        else:
            low, high = _auto_range(incident, ids)
            if intervals:
                step = nice_step(high - low, intervals)
                low = math.floor(low / step + 1e-9) * step
                high = low + step * intervals
                if high < max(_auto_range(incident, ids)):
                    low, high, step = nice_ticks(low, high, max_intervals)
            else:
                low, high, step = nice_ticks(low, high, max_intervals)
        if intervals is None:
            intervals = round((high - low) / step)
        axes[side] = _axis(side, members, chart, low, high, step)
    return axes


def _axis(side: str, members, chart: Rect, low: float, high: float, step: float) -> AxisLayout:
    scale = -chart.height / (high - low)
    offset = chart.y1 - low * scale
    ticks = []
    first_index = math.ceil(low / step - 1e-9)
    count = min(math.floor(high / step + 1e-9) - first_index + 1, MAX_TICKS)
    for k in range(max(count, 1)):
        value = (first_index + k) * step  # by index: repeated += would stall on big values
        y = min(math.floor(offset + value * scale), chart.y1 - 1)
        ticks.append(Tick(value, y, format_value(value, step)))
    units = " / ".join(sorted({s.unit for s in members}))
    ids = tuple(s.id for s in members)
    return AxisLayout(side, low, high, scale, offset, tuple(ticks), units, ids)
