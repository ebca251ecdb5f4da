"""The time axis: which step its ticks take, what they read, and the grid between them.

Pure Python (no GPU). Two clocks (:data:`~replay_viewer.timecode.ClockMode`):

- ``relative``: ``T+MM:SS`` / ``T+H:MM:SS`` while the axis stays within a day of T+0 (as
  it always was); once it reaches a day, labels count days and hours: ``T+7d``,
  ``T+7d 12h``, ``T+18h``, ``T+1d 4h10m``.
- ``wall`` (with ``started_at``): ticks land on the wall clock's nice boundaries in the
  incident's zone (midnight, 6 h, whole hours, Monday for weeks) and read ``Mon 14 Jul``
  at midnight, ``06:00`` otherwise (``06:00:30`` for steps under a minute), with the year
  once ticks are more than four weeks apart (``Mon 3 Nov 2025``).

Ticks are evenly spaced (the GPU draws the grid as ``origin + k × spacing``), so across a
daylight-saving change a sub-day tick reads the hour it really sits at (``07:00``); a day
tick names the day whose midnight it is nearest to (at most an hour off, well under a pixel
at the spans day steps are chosen for).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from ..timecode import DAY, format_timecode, format_wall_clock
from .value_axes import Tick, nice_step

if TYPE_CHECKING:
    from ..model import Incident
    from ..timecode import ClockMode

__all__ = ["DAY", "TIME_MINOR", "TIME_STEPS", "format_time_tick", "time_axis"]

# Steps the time axis may use, in seconds: what a person reads easily on a clock.
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
              43200, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY)  # fmt: skip
# Beyond four weeks, long axes step in whole weeks (a nice number of them) up to the
# timecode limit of 1e9 s (~1,650 weeks).
LONG_STEPS = TIME_STEPS + tuple(weeks * 7 * DAY for weeks in (5, 10, 20, 25, 50, 100, 200,
                                                              250, 500, 1000, 2000))  # fmt: skip
MAX_TICKS = 64  # per axis; a safety net, the spacing rules give far fewer
LABEL_SPACING_PT = 90.0  # at least this far apart, label centre to label centre
TIME_MINOR = {1: 5, 2: 4, 5: 5, 10: 5, 15: 3, 30: 3, 60: 4, 120: 4, 300: 5, 600: 5, 900: 3}
# Long axes (days, wall clock): minor lines at clock-friendly divisions of the step, the
# finest that keeps them at least MINOR_PT apart (none when even the coarsest is closer).
MINOR_CHOICES = {
    1800: (3, 2),  # 10 min, 15 min
    3600: (4, 2),  # 15 min, 30 min
    7200: (4, 2),  # 30 min, 1 h
    10800: (3,),  # 1 h
    21600: (6, 3, 2),  # 1 h, 2 h, 3 h
    43200: (12, 4, 2),  # 1 h, 3 h, 6 h
    DAY: (24, 4, 2),  # 1 h, 6 h, 12 h
    2 * DAY: (8, 2),  # 6 h, 1 d
    7 * DAY: (7,),  # days
    14 * DAY: (14, 2),  # days, weeks
    28 * DAY: (4,),  # weeks
}
MINOR_PT = 8.0
# Labels are measured without fonts (the layout has none): a generous width per character
# of the 13 pt tick font, plus a gap between neighbours.
TICK_CHAR_PT, TICK_GAP_PT = 8.0, 16.0


def format_time_tick(t: float, step: float, *, days: bool = False) -> str:
    """A relative tick label. ``T+MM:SS`` (``T+H:MM:SS`` once ticks are hours apart) on an
    axis within a day of T+0; with ``days`` (the axis reaches a day): ``T+7d``,
    ``T+7d 12h``, ``T+18h``, ``T+1d 4h10m``, ``T+0`` (``T+0d`` when ticks are days apart)."""
    if not days:
        if step >= DAY:
            whole = t / DAY
            return f"T{'-' if whole < 0 else '+'}{abs(whole):g}d"
        return format_timecode(t, always_hours=step >= 3600)  # T+0:00:00, T+6:00:00, …
    seconds = round(abs(t))
    count, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    within = "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n)
    text = " ".join(part for part in (f"{count}d" if count else "", within) if part)
    zero = "0d" if step >= DAY else "0"  # a column of days starts at day 0
    return f"T{'-' if t < 0 and seconds else '+'}{text or zero}"


def time_axis(
    incident: Incident,
    view: tuple[float, float],
    chart_x: tuple[int, int],
    pr: float,
    clock: ClockMode = "relative",
    text_scale: float = 1.0,
) -> tuple[tuple[Tick, ...], tuple[float, float, int]]:
    """Time ticks for ``view`` (t_start, t_end) mapped onto the chart's pixels ``chart_x``
    (x0, x1): labels at least ~90 pt apart and never overlapping (at ``text_scale``, how
    much the labels shrink in small frames), on clock-friendly steps. Also the vertical
    grid lines: (origin, spacing, lines per tick)."""
    t_start, t_end = view
    span = t_end - t_start
    time_scale = (chart_x[1] - chart_x[0]) / span  # the layout's x = offset + t × scale
    time_offset = chart_x[0] - t_start * time_scale
    width_pt = (chart_x[1] - chart_x[0]) / pr
    wall = clock == "wall" and incident.wall_clock(t_start) is not None
    days = span >= DAY or max(abs(t_start), abs(t_end)) >= DAY
    if not (wall or days):  # as it always was: only the 90 pt rule
        step = _first_step(span, max(2, int(width_pt / LABEL_SPACING_PT)))
        first, labels = _relative_ticks(t_start, t_end, step, days=False)
        minor = TIME_MINOR.get(step, 4)
    else:
        step, first, labels = _fitting_ticks(incident, view, width_pt, text_scale, wall=wall)
        minor = _minor(step, step * time_scale / pr)
    ticks = []
    for k, label in enumerate(labels):
        t = first + k * step
        x = math.floor(time_offset + t * time_scale)
        ticks.append(Tick(t, min(x, chart_x[1] - 1), label))
    return tuple(ticks), (time_offset + first * time_scale, step * time_scale / minor, minor)


def _first_step(span: float, max_ticks: int) -> float:
    step = next((s for s in TIME_STEPS if span / s <= max_ticks), None)
    if step is None:  # longer than about four years at this width: whole multiples of weeks
        step = nice_step(span / (7 * DAY), max_ticks) * 7 * DAY
    return step


def _fitting_ticks(
    incident: Incident, view: tuple[float, float], width_pt: float, scale: float, *, wall: bool
) -> tuple[float, float, list[str]]:
    """The finest step at least ~90 pt wide whose ticks are as far apart as their labels
    (drawn at ``scale``) are wide; if that leaves one tick, the coarsest finer step with two
    whose labels still fit side by side. Returns (step, first tick, labels)."""
    t_start, t_end = view
    span = t_end - t_start

    def ticks(step: float) -> tuple[float, float, list[str], bool]:
        if wall:
            first, labels = _wall_ticks(incident, t_start, t_end, step)
        else:
            first, labels = _relative_ticks(t_start, t_end, step, days=True)
        widest = max((len(label) for label in labels), default=0) * TICK_CHAR_PT + TICK_GAP_PT
        widest *= scale
        return step, first, labels, step * width_pt / span >= widest

    steps = [s for s in LONG_STEPS if s * width_pt / span >= LABEL_SPACING_PT] or [LONG_STEPS[-1]]
    for step in steps:
        found = ticks(step)
        if found[3]:
            break
    if len(found[2]) < 2:
        for finer in reversed([s for s in LONG_STEPS if s < found[0]]):
            candidate = ticks(finer)
            if len(candidate[2]) >= 2:
                found = candidate if candidate[3] else found
                break
    return found[:3]


def _count(first: float, t_end: float, step: float) -> int:
    return max(min(math.floor((t_end - first) / step + 1e-9) + 1, MAX_TICKS), 0)


def _relative_ticks(
    t_start: float, t_end: float, step: float, *, days: bool
) -> tuple[float, list[str]]:
    first = math.ceil(t_start / step - 1e-9) * step
    times = (first + k * step for k in range(_count(first, t_end, step)))
    return first, [format_time_tick(t, step, days=days) for t in times]


def _wall_ticks(
    incident: Incident, t_start: float, t_end: float, step: float
) -> tuple[float, list[str]]:
    """The first wall-clock-nice tick at or after ``t_start`` and every tick's label."""
    first = _wall_first(incident, t_start, step)
    labels = []
    for k in range(_count(first, t_end, step)):
        when = incident.wall_clock(first + k * step)
        if when is None:
            break
        if step >= DAY:  # the day whose midnight this is (nearest: DST moves it an hour)
            when = incident.wall_clock(first + k * step + DAY / 2) or when
            labels.append(format_wall_clock(when, time=False, year=step > TIME_STEPS[-1]))
        elif (when.hour, when.minute, when.second) == (0, 0, 0):
            labels.append(format_wall_clock(when, time=False))  # Mon 14 Jul
        else:
            labels.append(format_wall_clock(when, date=False, seconds=step < 60))
    return first, labels


def _wall_first(incident: Incident, t_start: float, step: float) -> float:
    """The time of the first local boundary of ``step`` at or after ``t_start``: midnights
    (every other day for two-day steps, a Monday for a week or more), or multiples of the
    step since local midnight."""
    local = incident.wall_clock(t_start)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
    if step >= DAY:
        days = min(round(step / DAY), 7)  # longer steps: from a Monday too
        day = midnight if incident.time_of(midnight) >= t_start - 1e-6 else _next_day(midnight)
        while (day.toordinal() - 1) % days:  # ordinal 1 is a Monday
            day = _next_day(day)
        return incident.time_of(day)
    into_day = (local.replace(tzinfo=None) - midnight.replace(tzinfo=None)).total_seconds()
    k = math.ceil(into_day / step - 1e-9)
    # Wall-time arithmetic on purpose: "06:00 local", whatever the offset is then.
    first = incident.time_of(midnight + dt.timedelta(seconds=k * step))
    while first < t_start - 1e-6:  # a DST change moved the boundary before t_start
        first += step
    return first


def _next_day(day: dt.datetime) -> dt.datetime:
    return day + dt.timedelta(days=1)  # wall-time arithmetic: the next local midnight


def _minor(step: float, step_pt: float) -> int:
    """Minor lines per step: the finest clock-friendly division at least MINOR_PT apart."""
    if step < 1800:
        return TIME_MINOR.get(step, 4)
    for count in MINOR_CHOICES.get(step, (4,)):
        if step_pt / count >= MINOR_PT:
            return count
    return 1
