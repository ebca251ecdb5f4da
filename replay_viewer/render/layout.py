"""Chart layout: margins, the chart rectangle, pixel-snapped grid and "nice" ticks.

Pure Python (no GPU): the renderer turns a :class:`ChartLayout` into uniforms and small
instance buffers, the text overlay places labels with it, and the tests check its maths.
Positions are in physical pixels (what the GPU draws) unless a name says ``_pt``
(logical points, what text is laid out in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..describe import format_reading
from .axis_fit import fit_window
from .style import MARKERS, PALETTE, Palette
from .themes import palette_for
from .time_axis import time_axis
from .value_axes import (
    AxisLayout,
    Tick,
    axis_groups,
    format_value,
    nice_step,
    nice_ticks,
    value_axes,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model import Incident, LegendEntry
    from ..timecode import ClockMode

__all__ = [
    "LEGEND_ROW_PT",
    "AxisLayout",
    "ChartLayout",
    "GridLines",
    "LegendCell",
    "Rect",
    "Tick",
    "compute_layout",
    "format_value",
    "nice_step",
    "nice_ticks",
    "text_scale",
]

# Margins around the chart, in logical points.
HEADER_PT = 74.0  # title, subtitle, readout
LEGEND_PT = 30.0  # the legend's first row above the chart
LEGEND_ROW_PT = 22.0  # each further legend row
AXIS_LABEL_PT = 62.0  # y tick labels
RIGHT_EMPTY_PT = 28.0  # right margin when there is no right axis
TIME_LABEL_PT = 22.0  # time tick labels under the chart
EVENT_LANE_PT = 30.0  # event markers under the time labels
MILESTONE_LANE_PT = 42.0  # data milestones and their gaps under it (incidents with thresholds)
BURN_ROW_PT, BURN_PAD_PT, BURN_MAX_ROWS = 18.0, 6.0, 3  # the budget-burn lane (with SLOs)
FOOTER_PT = 30.0  # latest event title
SIDE_PAD_PT = 18.0

# Legend entry widths are estimated (the layout has no fonts): generous per-character widths
# of the label (14 pt regular) and the reading (16 pt mono); the text pass ellipsizes to fit.
LABEL_CHAR_PT, READING_CHAR_PT = 7.6, 8.2
SWATCH_PT, ENTRY_GAP_PT = 41.0, 28.0  # swatch and gaps inside an entry; between entries
BASELINE_READING_PT = 31.0  # a baseline reading's dashed sample and gaps
# Up to this many legend entries all show (wrapping into rows); a longer legend shows this
# many rows at a time and scrolls.
LEGEND_ALL_UP_TO, LEGEND_MAX_ROWS = 24, 4


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
class GridLines:
    """Evenly spaced grid lines: line k sits at pixel ``floor(origin + k * spacing)``.

    The GPU evaluates the same formula per fragment, so the grid, the ticks and their labels
    land on the same pixel columns/rows. Every ``major_every``-th line is a major (tick) line.
    """

    origin: float
    spacing: float
    major_every: int


@dataclass(frozen=True)
class LegendCell:
    """Where legend entry ``entry`` (an index into ``Incident.entries``: a series or a
    group) goes: left end and row centre, in points."""

    entry: int
    x: float
    y: float
    width: float


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
    # The milestone lane's band (y0, y1) under the event lane, or None (no thresholds).
    milestone_lane: tuple[int, int] | None = None
    # The budget-burn lane's band (y0, y1) under those, or None (no SLOs).
    burn_lane: tuple[int, int] | None = None
    chrome: bool = True  # header and footer drawn in the frame
    legend: tuple[LegendCell, ...] = ()  # the cells of the rows shown
    legend_rows: int = 1  # rows the whole legend takes…
    legend_first_row: int = 0  # …and the first shown (a long legend scrolls)
    legend_scrolls: bool = False  # the window's: a wheel scrolls it (a PNG cannot)
    hidden: frozenset[str] = frozenset()  # series not drawn (and out of the axes' ranges)
    view: tuple[float, float] | None = None  # the time range shown when zoomed
    clock: ClockMode = "relative"  # how time labels read: T+… or the wall clock
    text_scale: float = 1.0  # labels shrink with small frames, as the margins do
    # Every colour drawn for this layout (the theme's: render code never reads a global).
    palette: Palette = PALETTE
    autoscale: bool = False  # zoomed: the value axes fit the data in view
    # Live view: the playhead this layout was made for. Nothing after it exists: the axes
    # fit the data up to it, and only what was known by then is laid out (render/live.py).
    live: float | None = None

    @property
    def axis_ranges(self) -> dict[str, tuple[float, float]]:
        """Each value axis' (low, high) by name."""
        return {name: (axis.low, axis.high) for name, axis in self.axes.items()}

    @property
    def theme(self) -> str:
        return self.palette.name

    @property
    def panes(self) -> bool:
        """Stacked panes (three or more units) rather than left and right axes."""
        return any(name.startswith("pane") for name in self.axes)

    def to_x(self, t: float) -> float:
        return self.time_offset + t * self.time_scale

    def to_t(self, x: float) -> float:
        return (x - self.time_offset) / self.time_scale

    def axis_for(self, series_id: str) -> AxisLayout:
        for axis in self.axes.values():
            if series_id in axis.series_ids:
                return axis
        raise KeyError(series_id)


def text_scale(width_pt: float) -> float:
    """Text scales down with small frames, like the margins do (labels and legend)."""
    return max(0.6, min(1.0, width_pt / 900.0))


def _entry_chars(incident: Incident, entry: LegendEntry) -> float:
    """An entry's estimated text width (points at scale 1): label and widest reading."""
    series = incident.series[entry.first]
    unit = f" ({series.unit})" if series.unit else ""
    extent = series.value_extent or (0.0, 0.0)
    if entry.grouped:
        for index in entry.members:
            member = incident.series[index].value_extent
            if member:
                extent = (min(extent[0], member[0]), max(extent[1], member[1]))
        label = f"{entry.name} ({len(entry.members)}){unit}"
        widest = max(len(format_reading(series, v)) for v in extent)
        reading = 3 * widest + len("min · med · max ")
    else:
        label = series.label + unit
        reading = max(len(format_reading(series, v)) for v in (*extent, None))
        if series.baseline is not None:  # "- vs baseline: +2,400 ms (×12)", smaller
            reading += BASELINE_READING_PT / READING_CHAR_PT + 0.7 * (reading + 19)
    return len(label) * LABEL_CHAR_PT + reading * READING_CHAR_PT


def legend_cells(
    incident: Incident,
    x0_pt: float,
    width_pt: float,
    first_row_y_pt: float,
    scale: float,
    *,
    first_row: int = 0,
) -> tuple[tuple[LegendCell, ...], int, int]:
    """Legend entries flowed into rows as wide as the chart; the rows stack upward from the
    one just above the chart (``first_row_y_pt``), so more entries take more rows. A legend
    of more than ``LEGEND_ALL_UP_TO`` entries shows ``LEGEND_MAX_ROWS`` rows from
    ``first_row`` (the window scrolls it). Returns (cells shown, rows in all, first row)."""
    widths = [min((SWATCH_PT + _entry_chars(incident, entry)) * scale, width_pt)
              for entry in incident.entries]  # fmt: skip
    rows: list[list[tuple[int, float]]] = [[]]
    used = 0.0
    for index, entry in enumerate(widths):
        if rows[-1] and used + entry > width_pt:
            rows.append([])
            used = 0.0
        rows[-1].append((index, entry))
        used += entry + ENTRY_GAP_PT * scale
    total = len(rows)
    shown = total
    if len(incident.entries) > LEGEND_ALL_UP_TO:
        shown = min(total, LEGEND_MAX_ROWS)
    first_row = min(max(int(first_row), 0), total - shown)
    rows = rows[first_row : first_row + shown]
    cells = []
    for row_number, row in enumerate(rows):
        y = first_row_y_pt - (len(rows) - 1 - row_number) * LEGEND_ROW_PT * scale
        x = x0_pt
        for index, entry in row:
            cells.append(LegendCell(index, x, y, entry))
            x += entry + ENTRY_GAP_PT * scale
    return tuple(cells), total, first_row


def _above(cells: tuple[LegendCell, ...], y_pt: float) -> tuple[LegendCell, ...]:
    """The legend moved so its lowest row (laid out at 0) sits at ``y_pt``."""
    return tuple(LegendCell(c.entry, c.x, c.y + y_pt, c.width) for c in cells)


def compute_layout(
    incident: Incident,
    width: int,
    height: int,
    pixel_ratio: float = 1.0,
    *,
    chrome: bool = True,
    view: tuple[float, float] | None = None,
    hidden: frozenset[str] = frozenset(),
    legend_first_row: int = 0,
    legend_scrolls: bool = False,
    clock: ClockMode = "relative",
    theme: str = "dark",
    milestones: bool = True,
    autoscale: bool = False,
    live: float | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> ChartLayout:
    """Lay out the chart of ``incident`` in a ``width`` × ``height`` physical-pixel frame.

    ``chrome`` reserves room for the header and the footer (the window draws its own).
    ``view`` is the time range shown (zoom; default: all); ``hidden`` series leave the axes'
    ranges; a long legend shows its rows from ``legend_first_row`` (``legend_scrolls``: in
    the window, where the wheel scrolls it); ``clock`` is how times
    read (``T+…``, or the wall clock with ``started_at``); ``theme`` picks the palette
    (``dark``, or ``light`` for white pages: :mod:`.themes`); ``milestones`` False leaves
    out the milestone and budget-burn lanes (a storyboard's small panels). ``autoscale``:
    zoomed, the value axes fit the data in view; ``live`` (a playhead) lays out what was
    known then; ``ranges`` (by axis name) replace the fit, for axes moving between fits."""
    pr = float(pixel_ratio)
    chart, legend, scale, (event_lane_y, milestone_lane, burn_lane) = _frame_boxes(
        incident, width, height, pr, chrome=chrome, legend_first_row=legend_first_row,
        milestones=milestones, live=live,
    )  # fmt: skip
    t_start, t_end = view or (incident.start, incident.end)
    time_scale = chart.width / (t_end - t_start)
    time_offset = chart.x0 - t_start * time_scale
    time_ticks, grid_x = _time_axis(incident, chart, pr, (t_start, t_end), clock, scale)
    window = fit_window((incident.start, incident.end), view, autoscale=autoscale, live=live)
    axes = value_axes(incident, (chart.y0, chart.y1), pr, hidden, window=window, ranges=ranges)
    return ChartLayout(
        width=width, height=height, pixel_ratio=pr, chart=chart, t_start=t_start, t_end=t_end,
        time_scale=time_scale, time_offset=time_offset, time_ticks=time_ticks, grid_x=grid_x,
        grid_y=_grid_y(axes), axes=axes, event_lane_y=event_lane_y,
        milestone_lane=milestone_lane, burn_lane=burn_lane, chrome=chrome, **legend,
        legend_scrolls=legend_scrolls,
        hidden=frozenset(hidden), view=view, clock=clock, text_scale=scale,
        palette=palette_for(theme), autoscale=autoscale, live=live,
    )  # fmt: skip


def burn_lane_points(incident: Incident) -> float:
    """The budget-burn lane's height in points: a row per SLO (up to ``BURN_MAX_ROWS``),
    none without SLOs."""
    rows = min(len(incident.slos), BURN_MAX_ROWS)
    return BURN_PAD_PT + rows * BURN_ROW_PT if rows else 0.0


def _frame_boxes(
    incident: Incident,
    width: int,
    height: int,
    pr: float,
    *,
    chrome: bool,
    legend_first_row: int,
    milestones: bool = True,
    live: float | None = None,
) -> tuple[Rect, dict, float, tuple]:
    """The chart rectangle, the legend's fields (cells above the chart), the text scale,
    the event lane's centre, the milestone lane's band (incidents with thresholds) and the
    budget-burn lane's (incidents with SLOs). Live view has a row above the legend for its
    counters (:mod:`.live`)."""
    # A heatmap's colour scale stands right of its pane, where a right axis would.
    has_right = "right" in {name for name, _ in axis_groups(incident)} or bool(incident.histograms)
    # Small frames shrink the margins instead of losing the chart.
    shrink = max(min(1.0, (width / pr) / 640.0, (height / pr) / 400.0), 0.35)

    def px(points: float) -> int:
        return round(points * pr * shrink)

    left = px(SIDE_PAD_PT + AXIS_LABEL_PT)
    right = width - px(SIDE_PAD_PT + (AXIS_LABEL_PT if has_right else RIGHT_EMPTY_PT))
    scale = min(text_scale(width / pr), max(shrink, 0.6))
    cells, rows, first_row = legend_cells(
        incident, left / pr, (right - left) / pr, 0.0, scale, first_row=legend_first_row
    )
    extra_rows_pt = (len({cell.y for cell in cells}) - (0 if live is not None else 1)) * (
        LEGEND_ROW_PT * scale
    )
    top = px((HEADER_PT if chrome else 6.0) + LEGEND_PT) + round(extra_rows_pt * pr)
    # The milestone and budget-burn lanes: not in a storyboard's small panels.
    lane_pt = MILESTONE_LANE_PT if incident.thresholds and milestones else 0.0
    burn_pt = burn_lane_points(incident) if milestones else 0.0
    # Below 640×400 points the time labels keep their text's height and the event lane its
    # glyphs' (neither shrinks as much as the margins), so they do not overlap.
    time_pt = max(TIME_LABEL_PT, TIME_LABEL_PT * scale / shrink)
    event_pt = max(EVENT_LANE_PT, (2 * MARKERS.event_radius + 5) / shrink)
    bottom = height - px(time_pt + event_pt + lane_pt + burn_pt + (FOOTER_PT if chrome else 4.0))
    chart = Rect(left, top, max(right, left + 8), max(bottom, top + 8))
    legend = {"legend": _above(cells, chart.y0 / pr - 16 * scale), "legend_rows": rows,
              "legend_first_row": first_row}  # fmt: skip
    lane_top = chart.y1 + px(time_pt + event_pt)
    burn_top = lane_top + px(lane_pt)
    lanes = (chart.y1 + px(time_pt + event_pt / 2),
             (lane_top, burn_top) if lane_pt else None,
             (burn_top, burn_top + px(burn_pt)) if burn_pt else None)  # fmt: skip
    return chart, legend, scale, lanes


def _grid_y(axes: dict[str, AxisLayout]) -> GridLines:
    """Horizontal grid lines of the first axis (four per tick interval); none with stacked
    panes, whose grids are drawn as rules pane by pane."""
    first = axes.get("left") or axes.get("right")
    if first is None:
        return GridLines(0.0, 0.0, 1)
    first_tick = first.ticks[0].value
    value_step = first.ticks[1].value - first_tick if len(first.ticks) > 1 else 1.0
    return GridLines(first.offset + first_tick * first.scale, value_step * first.scale / 4, 4)


def _time_axis(
    incident: Incident,
    chart: Rect,
    pr: float,
    view: tuple[float, float],
    clock: ClockMode,
    scale: float,
) -> tuple[tuple[Tick, ...], GridLines]:
    """Time ticks and the vertical grid lines between them (see :mod:`.time_axis`)."""
    x_range = (chart.x0, chart.x1)
    ticks, (origin, spacing, minor) = time_axis(incident, view, x_range, pr, clock, scale)
    return ticks, GridLines(origin, spacing, minor)
