"""SLOs and their error budgets: how much of the window's budget the incident burned, and how
fast. Pure numpy over the model.

The rules (also in docs/incident-format.md, "SLOs and error budgets"):

- The SLI is **time-based**: each moment is good or bad by the SLO's ``good`` rule
  (``below 250``: good up to and including 250; ``< 250``: 250 is bad), with samples held
  until the next sample and gaps pausing the clock, exactly as thresholds read their
  series (:mod:`.thresholds`: the last sample holds for no time, repeated times for none).
  A success ratio (``good: above 99`` on a series in %) is read the same way: the share of
  *time* the ratio was good, not of requests (the format has no request counts).
- An SLO on a member of a group applies to the group's worst member at each moment (the
  highest value for ``good: below``, the lowest for ``good: above``), as a threshold does.
- The **budget** is the bad time the window allows: ``(1 - objective / 100) × window``
  (99.9 % over 30 d: 2,592 s = 43m 12s).
- The incident **burned** the bad time over its whole timeline (from its start, the
  baseline before T+0 included, to its end: all the data the file holds), as a share of
  the budget (it may exceed 100 %). ``budget_spent_before`` is what the window had spent
  before; what is *left* is 100 % minus both.
- The **burn rate** at a time is the bad share of the known time in the ``burn_window``
  (5 min by default) ending then, over the share the objective allows (the SRE workbook's
  definition: 1× spends exactly the budget over the window; a window of nothing but bad
  time burns at ``1 / (1 - objective / 100)``, ×1000 for 99.9 %). 5 minutes is the short
  window of the workbook's multi-window fast-burn page (14.4× over 1 h and over 5 min);
  when that page would have fired is :mod:`.burn_alert`'s.
  A window with no data has no rate (NaN).
- The **peak** burn rate is the highest over the timeline (exact: between the times where a
  sample starts or leaves the window the rate is monotonic), at its first time; at that
  rate a whole budget lasts ``window / peak``, and what was left of it then
  (``left_at_peak``) lasts ``exhausts_left``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..describe import duration_words, short_duration
from .thresholds import worst_of

if TYPE_CHECKING:
    from ..model import Incident, Slo

__all__ = [
    "FAST_BURN",
    "SloSummary",
    "format_percent",
    "format_rate",
    "slo_summaries",
    "slo_summary",
]

FAST_BURN = 14.4  # the workbook's page threshold: 2 % of a 30-day budget in one hour


def format_percent(value: float) -> str:
    """``42.8 %``, ``0.046 %``, ``0 %``, ``-12.5 %`` (under 0.001 %, a few milliseconds of
    a month's budget, is float noise: 0)."""
    if abs(value) < 0.001:
        return "0 %"
    if abs(value) < 0.1:
        return f"{value:.2g} %"
    return f"{value:.1f} %"


def format_rate(rate: float) -> str:
    """A burn rate: ``×1000``, ``×14.4``, ``×2.5``, ``×0``."""
    if rate >= 100:
        return f"×{rate:.0f}"
    if rate >= 10:
        return f"×{rate:.1f}"
    return f"×{rate:.2g}"


@dataclass(frozen=True, eq=False)
class SloSummary:
    """One SLO against the incident's data: the budget, what the incident burned, how fast."""

    slo: Slo
    name: str  # the SLO's label, else its series' (or group's) label
    unit: str
    group: str  # the group it applies to ("" for a single series)
    budget: float  # seconds of bad time the window allows
    bad_time: float  # seconds of bad time over the incident's timeline
    known_time: float  # seconds with data
    peak_rate: float | None  # the highest burn rate (None: no data)
    peak_at: float | None
    # The step function of the data: sample times, and the bad and known seconds up to each.
    times: np.ndarray = field(repr=False)
    bad_before: np.ndarray = field(repr=False)
    known_before: np.ndarray = field(repr=False)

    @property
    def allowed_share(self) -> float:
        """The bad share of the window the objective allows (0.001 for 99.9 %)."""
        return 1.0 - self.slo.objective / 100.0

    @property
    def burned(self) -> float:
        """Percent of the budget the incident burned (may exceed 100)."""
        return 100.0 * self.bad_time / self.budget

    @property
    def left(self) -> float:
        """Percent of the budget left after the incident (negative: overspent)."""
        return 100.0 - self.slo.budget_spent_before - self.burned

    @property
    def over_budget(self) -> bool:
        return self.left < 0

    @property
    def achieved(self) -> float | None:
        """The SLI over the incident's data: percent of the known time that was good."""
        if self.known_time <= 0:
            return None
        return 100.0 * (1.0 - self.bad_time / self.known_time)

    @property
    def exhausts_budget(self) -> float | None:
        """Seconds a whole budget lasts at the peak burn rate."""
        return self.slo.window / self.peak_rate if self.peak_rate else None

    @property
    def left_at_peak(self) -> float | None:
        """Percent of the budget left at the peak's moment."""
        if self.peak_at is None:
            return None
        return 100.0 - self.slo.budget_spent_before - self.burned_until(self.peak_at)

    @property
    def exhausts_left(self) -> float | None:
        """Seconds what was left at the peak's moment lasts at the peak burn rate."""
        left, whole = self.left_at_peak, self.exhausts_budget
        return None if left is None or whole is None else max(left, 0.0) / 100.0 * whole

    def bad_until(self, t: float | np.ndarray) -> float | np.ndarray:
        """Bad seconds from the timeline's start up to ``t`` (sample and hold)."""
        return np.interp(t, self.times, self.bad_before) if len(self.times) else 0.0 * t

    def burned_until(self, t: float) -> float:
        """Percent of the budget burned from the timeline's start up to ``t``."""
        return 100.0 * float(self.bad_until(t)) / self.budget

    def burn_rate(self, ends: np.ndarray, window: float | np.ndarray | None = None) -> np.ndarray:
        """The burn rate over the ``window`` (default: the SLO's ``burn_window``) ending at
        each of ``ends``; NaN where the window holds no data, or ends after the data does
        (the data says no more: sliding on would only drop its older part)."""
        ends = np.asarray(ends, dtype=np.float64)
        window = self.slo.burn_window if window is None else window
        if not len(self.times):
            return np.full(ends.shape, np.nan)
        starts, last = ends - window, self.times[-1]
        bad = np.interp(ends, self.times, self.bad_before) - np.interp(
            starts, self.times, self.bad_before
        )
        known = np.interp(ends, self.times, self.known_before) - np.interp(
            starts, self.times, self.known_before
        )
        rate = np.full(ends.shape, np.nan)
        np.divide(bad, known * self.allowed_share, out=rate, where=(known > 0) & (ends <= last))
        return rate

    def left_at(self, t: float) -> float:
        """Percent of the budget left at ``t`` (what was spent before, and burned since the
        timeline's start)."""
        return 100.0 - self.slo.budget_spent_before - self.burned_until(t)

    def so_far(self, t: float) -> str:
        """What the data up to ``t`` burned: ``checkout availability: burned 12.4 % so
        far`` (and ``, 7.9 % left`` when some was spent before the incident)."""
        text = f"{self.name}: burned {format_percent(self.burned_until(t))} so far"
        if self.slo.budget_spent_before:  # the budget was not whole: what is left counts
            text += f", {format_percent(self.left_at(t))} left"
        return text

    @property
    def line(self) -> str:
        """``checkout availability 99.9 % / 30 d: burned 42.8 % of the budget (18m 30s of
        43m 12s)``, and what was spent before and is left when the file says."""
        slo = self.slo
        text = (
            f"{self.name} {slo.objective:g} % / {duration_words(slo.window)}: burned "
            f"{format_percent(self.burned)} of the budget ({short_duration(self.bad_time)} "
            f"of {short_duration(self.budget)})"
        )
        if slo.budget_spent_before:
            text += (
                f"; {format_percent(slo.budget_spent_before)} spent before, "
                f"{format_percent(self.left)} left"
            )
        return text


@functools.lru_cache(maxsize=8)  # incidents hash by identity: the window asks every frame
def slo_summaries(incident: Incident) -> tuple[SloSummary, ...]:
    """Every SLO of ``incident``, in file order."""
    return tuple(slo_summary(incident, slo) for slo in incident.slos)


def slo_summary(incident: Incident, slo: Slo) -> SloSummary:
    """``slo`` against its series (or its series' group) in ``incident``."""
    series = incident.series_by_id(slo.series_id)
    members = [series]
    if series.group:
        members = [s for s in incident.series if s.group == series.group]
    times, values, _ = worst_of(members, slo.good == "below")
    known = np.isfinite(values)
    held = np.where(known, values, 0.0)
    if slo.good == "below":
        bad = (held > slo.bound) if slo.inclusive else (held >= slo.bound)
    else:
        bad = (held < slo.bound) if slo.inclusive else (held <= slo.bound)
    bad &= known
    holds = np.diff(times, append=times[-1]) if len(times) else times
    bad_before = np.concatenate([[0.0], np.cumsum(holds * bad)])[:-1] if len(times) else times
    known_before = np.concatenate([[0.0], np.cumsum(holds * known)])[:-1] if len(times) else times
    summary = SloSummary(
        slo=slo,
        name=slo.label or series.group or series.label,
        unit=series.unit,
        group=series.group,
        budget=(1.0 - slo.objective / 100.0) * slo.window,
        bad_time=float(bad_before[-1]) if len(times) else 0.0,
        known_time=float(known_before[-1]) if len(times) else 0.0,
        peak_rate=None,
        peak_at=None,
        times=times,
        bad_before=bad_before,
        known_before=known_before,
    )
    peak_rate, peak_at = _peak(summary, holds, bad & (holds > 0), known & (holds > 0))
    object.__setattr__(summary, "peak_rate", peak_rate)
    object.__setattr__(summary, "peak_at", peak_at)
    return summary


def _peak(
    summary: SloSummary, holds: np.ndarray, bad: np.ndarray, known: np.ndarray
) -> tuple[float | None, float | None]:
    """The highest burn rate and its first time. Between the times where a sample's hold
    starts or leaves the window, the bad and known seconds in it both change linearly, so
    the rate is monotonic there and its highest value is at one of those times (or, where
    the window holds no data yet, the limit just after: the hold starting there)."""
    times, window = summary.times, summary.slo.burn_window
    if not known.any():
        return None, None
    candidates = np.unique(np.concatenate([times, times + window]))
    candidates = candidates[candidates <= times[-1]]
    rate = summary.burn_rate(candidates)
    empty = np.isnan(rate)
    if empty.any():  # the limit just after: the sample in force there, if it holds
        at = np.searchsorted(times, candidates[empty], side="right") - 1
        holding = (at >= 0) & known[np.maximum(at, 0)]
        limit = np.where(bad[np.maximum(at, 0)], 1.0 / summary.allowed_share, 0.0)
        rate[empty] = np.where(holding, limit, np.nan)
    if np.isnan(rate).all():
        return None, None
    best = int(np.nanargmax(rate))
    return float(rate[best]), float(candidates[best])
