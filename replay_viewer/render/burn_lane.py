"""The budget-burn lane under the milestone lane, placed (pure: no GPU, no fonts).

A thin row per SLO (:mod:`..analysis.slo`; the first ``BURN_MAX_ROWS``) shows its burn rate
over time as bars a couple of points wide, on a log scale from 0 at the row's baseline to
the highest rate the objective allows (``1 / (1 - objective)``: ×1000 for 99.9 %) at its
top, coloured calm under 1×, warm from 1× and hot from the fast-burn page's 14.4×, with
dotted marks at 1× and 14.4×. A bar wider in time than the SLO's burn window shows the
bad share of its own span. After the playhead a veil fades the rows as ghosted data is
faded (the shader starts it at the playhead: nothing here changes per frame); in live
view, where nothing after the playhead exists, every rule of the lane stops at the
playhead (``RULE_CUT``), as the spans do, and there is no veil (it would only darken the
spotlight's glow after the playhead). The rule instances
(:mod:`.instances`) and the labels (:mod:`.burn_labels`) read one :class:`BurnLane`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import FAST_BURN, burn_page, slo_summaries
from .layout import BURN_MAX_ROWS, BURN_PAD_PT, BURN_ROW_PT, burn_lane_points
from .style import BURN
from .uniforms import RULE_AFTER_PLAYHEAD, RULE_CUT, RULE_DTYPE

if TYPE_CHECKING:
    from ..analysis import SloSummary
    from ..model import Incident
    from .layout import ChartLayout
    from .style import Palette

__all__ = [
    "BurnLane",
    "BurnRow",
    "burn_columns",
    "burn_lane",
    "burn_rule_instances",
    "page_x",
    "rate_share",
]

MARKS = (1.0, FAST_BURN)  # the rates marked on every row (where the objective reaches them)


@dataclass(frozen=True)
class BurnRow:
    """One SLO's row: its bars grow up from ``baseline`` (px) to ``top``."""

    summary: SloSummary
    top: float
    baseline: float

    @property
    def max_rate(self) -> float:
        """The highest burn rate there is: every moment of the window bad."""
        return 1.0 / self.summary.allowed_share

    def y_of(self, rate: float) -> float:
        return self.baseline - rate_share(rate, self.max_rate) * (self.baseline - self.top)


@dataclass(frozen=True)
class BurnLane:
    top: float  # px
    bottom: float
    rows: tuple[BurnRow, ...]


def rate_share(rate: float | np.ndarray, max_rate: float) -> float | np.ndarray:
    """How far up its row a burn rate goes: ``log(1 + rate) / log(1 + max_rate)``, 0..1."""
    return np.clip(np.log1p(np.maximum(rate, 0.0)) / math.log1p(max_rate), 0.0, 1.0)


def burn_lane(incident: Incident, layout: ChartLayout) -> BurnLane | None:
    """The lane of ``incident`` in ``layout`` (None when the layout has none)."""
    if layout.burn_lane is None:
        return None
    top, bottom = layout.burn_lane
    per_point = (bottom - top) / burn_lane_points(incident)  # margins shrink in small frames
    rows = []
    for number, summary in enumerate(slo_summaries(incident)[:BURN_MAX_ROWS]):
        row_top = top + (BURN_PAD_PT + number * BURN_ROW_PT) * per_point
        baseline = row_top + BURN_ROW_PT * per_point - 1.5 * layout.pixel_ratio
        rows.append(BurnRow(summary, row_top + 1.5 * layout.pixel_ratio, baseline))
    return BurnLane(top, bottom, tuple(rows))


def burn_columns(row: BurnRow, layout: ChartLayout) -> tuple[np.ndarray, np.ndarray]:
    """The row's bars: the left x (px) of each column ``BURN.column`` points wide across
    the chart, and the burn rate there (NaN: no data); a column ends at its right edge's
    time (or the data's last sample), over the burn window or its own span if wider."""
    chart, summary = layout.chart, row.summary
    width = max(1.0, round(BURN.column * layout.pixel_ratio))
    lefts = np.arange(chart.x0, chart.x1, width, dtype=np.float64)
    starts = (lefts - layout.time_offset) / layout.time_scale
    ends = (np.minimum(lefts + width, chart.x1) - layout.time_offset) / layout.time_scale
    if not len(summary.times):
        return lefts, np.full(len(lefts), np.nan)
    first, last = summary.times[0], summary.times[-1]
    window = np.maximum(summary.slo.burn_window, ends - starts)
    rates = summary.burn_rate(np.clip(ends, first, last), window)
    rates[(starts > last) | (ends < first)] = np.nan
    return lefts, rates


def _bar_color(rate: float, palette: Palette) -> tuple:
    """Calm under 1×, warm from 1×, hot from 14.4×, in the layout's theme (the dark
    palette's warning and severity are BURN's warm and hot)."""
    if rate >= FAST_BURN:
        return (*palette.severity[:3], BURN.hot[3])
    if rate >= 1.0:
        return (*palette.warning[:3], BURN.warm[3])
    return BURN.calm


def burn_rule_instances(incident: Incident, layout: ChartLayout) -> np.ndarray:
    """The lane's rules: each row's baseline, its bars (neighbouring columns of one height
    and colour merged into one), the tick where its first burn-rate page would have fired, its
    marks at 1× and 14.4×, and (except in live view, where all of them stop at the
    playhead) the veil after the playhead over the whole lane; empty without a lane."""
    lane = burn_lane(incident, layout)
    if lane is None:
        return np.zeros(0, dtype=RULE_DTYPE)
    pr, chart, palette = layout.pixel_ratio, layout.chart, layout.palette
    baseline = (*palette.grid_minor[:3], BURN.baseline[3])  # the dark theme's: BURN's
    mark = (*palette.grid_major[:3], BURN.mark[3])
    rows: list[tuple] = []
    cut = RULE_CUT if layout.live is not None else 0  # live: nothing after the playhead
    for row in lane.rows:
        base = math.floor(row.baseline) + 0.5
        rows.append(((chart.x0, base), (chart.x1, base), baseline, pr, (0, 0), cut))
        rows += _bars(row, layout)
        rows += _page_mark(row, layout)
        dash = tuple(d * pr for d in BURN.mark_dash)
        for rate in MARKS:
            if rate < row.max_rate:
                y = math.floor(row.y_of(rate)) + 0.5
                rows.append(((chart.x0, y), (chart.x1, y), mark, pr, dash, cut))
    if layout.live is None:
        middle = (lane.top + lane.bottom) / 2
        veil = (*palette.background[:3], 1.0)
        rows.append(((chart.x0, middle), (chart.x1, middle), veil, lane.bottom - lane.top + 1,
                     (0, 0), RULE_AFTER_PLAYHEAD))  # fmt: skip
    data = np.zeros(len(rows), dtype=RULE_DTYPE)
    for record, values in zip(data, rows, strict=True):
        for name, value in zip(RULE_DTYPE.names, values, strict=True):
            record[name] = value
    return data


def page_x(row: BurnRow, layout: ChartLayout) -> float | None:
    """Where the row's first burn-rate page would have fired (px), if it would and it is in view
    (in live view: once the playhead has passed it)."""
    at = burn_page(row.summary).at
    if at is None or (layout.live is not None and at > layout.live):
        return None
    x = layout.time_offset + at * layout.time_scale
    return x if layout.chart.x0 <= x <= layout.chart.x1 else None


def _page_mark(row: BurnRow, layout: ChartLayout) -> list[tuple]:
    """A tick across the row where the first burn-rate page would have fired."""
    x = page_x(row, layout)
    if x is None:
        return []
    pr = layout.pixel_ratio
    x = math.floor(x) + 0.5
    color = (*layout.palette.text[:3], 1.0)  # over the hot bars: the text colour stands out
    cut = RULE_CUT if layout.live is not None else 0  # (live: only once it has happened)
    return [((x, row.baseline + pr), (x, row.top - 2 * pr), color, 1.5 * pr, (0, 0), cut)]


def _bars(row: BurnRow, layout: ChartLayout) -> list[tuple]:
    """Vertical rules as wide as their run of columns, up from the baseline; a rate above
    0 is at least a pixel high, so any burn shows."""
    lefts, rates = burn_columns(row, layout)
    width = lefts[1] - lefts[0] if len(lefts) > 1 else 1.0
    known = np.where(np.isnan(rates), 0.0, rates)
    heights = np.round(rate_share(known, row.max_rate) * (row.baseline - row.top))
    heights = np.where(known > 0, np.maximum(heights, layout.pixel_ratio), 0.0)
    level = np.where(known >= FAST_BURN, 2, np.where(known >= 1.0, 1, 0))
    change = np.flatnonzero((np.diff(heights) != 0) | (np.diff(level) != 0)) + 1
    bars, cut = [], RULE_CUT if layout.live is not None else 0  # live: none after t
    for begin, end in zip(np.r_[0, change], np.r_[change, len(lefts)], strict=True):
        if heights[begin] <= 0:
            continue
        x0, x1 = lefts[begin], min(lefts[end - 1] + width, layout.chart.x1)
        top = row.baseline - heights[begin]
        color = _bar_color(float(known[begin]), layout.palette)
        bars.append((((x0 + x1) / 2, row.baseline), ((x0 + x1) / 2, top), color, x1 - x0,
                     (0, 0), cut))  # fmt: skip
    return bars
