"""The data's own milestones against one threshold: first breach, worst point, recovery, time
over the threshold. Pure numpy over the model.

The rules (also in docs/incident-format.md, "Milestones from the data"):

- A sample is *bad* when its value is on the threshold's bad side (strictly above for
  ``bad: above``, strictly below for ``bad: below``), *good* on the other side (the line
  itself is good), *unknown* in a gap (null). Each sample holds until the next sample's time
  (sample and hold); the last one holds for no time: the data says no more.
- A gap is neither side: it pauses the clock. The time a gap lasts counts for nothing, and
  a run of bad (or good) samples goes on across it. So a scrape gap in the middle of an
  outage neither ends the breach nor counts as recovered time.
- A *breach* is a run of bad samples that lasts at least ``sustain`` seconds (60 s unless
  the threshold or ``validate --sustain`` says otherwise); it starts at the run's first
  sample. It lasts until a run of good samples lasts ``sustain`` seconds: the *recovery*,
  at that run's first sample. Shorter blips either way change nothing. A series can breach
  again after recovering: each breach is an *episode*.
- *First breach* is the first episode's start, *recovery* the last episode's end (None
  while the last is still open when the data ends: not recovered; *still breaching* if
  its last value is bad). *Time over*
  sums every bad sample's hold, blips included. The *worst point* is the sample furthest
  on the bad side (the first such, if it repeats).
- Repeated times (kept by the loader in file order) hold for no time, so the last sample
  of a time is what the series says from then on.
- A threshold on a member of a group applies to the whole group: at each sample time of
  any member, the group's value is its worst member's (the highest for ``bad: above``,
  the lowest for ``bad: below``) among the members that have a value then (each member
  held from its own samples); a member in a gap is left out, and the group is in a gap
  only when every member is. The worst point names its member. (A group too big for
  that, over ``GROUP_BUDGET`` members × times, is read at evenly spaced times instead:
  its milestones are then only as fine as that grid.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..model import Incident, Series, Threshold

__all__ = [
    "DEFAULT_SUSTAIN",
    "Episode",
    "ThresholdMilestones",
    "compared_values",
    "threshold_milestones",
    "worst_of",
]

DEFAULT_SUSTAIN = 60.0  # seconds a side must hold for a breach or a recovery
# A group is read at every sample time of any member while members × times stays under this;
# beyond it, at this many evenly spaced times over all members in all, so a thousand members
# sampled out of step cost seconds, not minutes.
GROUP_BUDGET = 20_000_000


@dataclass(frozen=True)
class Episode:
    """One breach: from its first bad sample to the first sample of the good run that
    ended it (None: still breaching at the last sample)."""

    start: float
    end: float | None
    last_bad: float  # the last bad sample before the end (or in the data)


@dataclass(frozen=True)
class ThresholdMilestones:
    """How one series (or group) behaved against one threshold; times in seconds."""

    threshold: Threshold
    unit: str
    group: str  # the group it applies to ("" for a single series)
    sustain: float
    first_outside: float | None  # the first bad sample, however short its run
    clear_until: float | None  # the last good sample before that one (the data was inside)
    episodes: tuple[Episode, ...]
    last_known: float | None  # the last sample with a value
    time_outside: float  # seconds on the bad side, sample and hold, blips included
    worst_value: float | None  # furthest on the bad side (or nearest to it)
    worst_at: float | None
    worst_series: str | None  # the series (a group's member) that had it

    @property
    def breached(self) -> bool:
        return bool(self.episodes)

    @property
    def breach_at(self) -> float | None:
        """The first breach: the first sample of the first sustained bad run."""
        return self.episodes[0].start if self.episodes else None

    @property
    def recovered_at(self) -> float | None:
        """The end of the last breach (None if it never ended or nothing breached)."""
        return self.episodes[-1].end if self.episodes else None

    @property
    def recovered(self) -> bool:
        """It breached, and the last breach ended in the data."""
        return self.recovered_at is not None

    @property
    def still_outside(self) -> bool:
        """The last breach is open, and the last sample with a value is bad (an open
        breach whose data ends inside, but for less than ``sustain``, has not recovered
        either, but is not outside)."""
        return (
            bool(self.episodes)
            and self.episodes[-1].end is None
            and (self.episodes[-1].last_bad == self.last_known)
        )

    def breaching_after(self, t: float) -> Episode | None:
        """The episode that shows a bad sample after ``t`` while it was open at ``t`` or
        opens later (what contradicts "resolved at t"), if any."""
        for episode in self.episodes:
            if episode.last_bad > t:
                return episode
        return None


def threshold_milestones(
    incident: Incident, threshold: Threshold, default_sustain: float = DEFAULT_SUSTAIN
) -> ThresholdMilestones:
    """The milestones of ``threshold`` on its series (or its series' group)."""
    series = incident.series_by_id(threshold.series_id)
    members = [series]
    if series.group:
        members = [s for s in incident.series if s.group == series.group]
    above = threshold.bad == "above"
    times, values, who = worst_of(members, above)
    sustain = default_sustain if threshold.sustain is None else threshold.sustain
    known = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        bad = known & ((values > threshold.value) if above else (values < threshold.value))
    holds = np.diff(times, append=times[-1]) if len(times) else times
    time_outside = float(holds[bad].sum())
    worst_value = worst_at = worst_series = None
    if known.any():
        finite = np.where(known, values, -np.inf if above else np.inf)
        index = int(np.argmax(finite) if above else np.argmin(finite))
        worst_value, worst_at = float(values[index]), float(times[index])
        worst_series = members[int(who[index])].id
    first_outside = clear_until = None
    bad_at = np.flatnonzero(bad)
    if len(bad_at):
        first_outside = float(times[bad_at[0]])
        good_before = np.flatnonzero(known[: bad_at[0]])
        if len(good_before):
            clear_until = float(times[good_before[-1]])
    return ThresholdMilestones(
        threshold=threshold,
        unit=series.unit,
        group=series.group,
        sustain=sustain,
        first_outside=first_outside,
        clear_until=clear_until,
        episodes=_episodes(times, holds, known, bad, sustain),
        last_known=float(times[np.flatnonzero(known)[-1]]) if known.any() else None,
        time_outside=time_outside,
        worst_value=worst_value,
        worst_at=worst_at,
        worst_series=worst_series,
    )


def compared_values(incident: Incident, threshold: Threshold) -> tuple[np.ndarray, np.ndarray]:
    """The times and values ``threshold`` is compared with: its series', or for a group
    its worst member's at each sample time of any member (as the milestones read them)."""
    series = incident.series_by_id(threshold.series_id)
    members = [series]
    if series.group:
        members = [s for s in incident.series if s.group == series.group]
    times, values, _ = worst_of(members, threshold.bad == "above")
    return times, values


def worst_of(members: list[Series], above: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, values and which member had each value: one series as it is, a group as its
    worst member at each sample time of any member (NaN where no member has a value)."""
    if len(members) == 1:
        series = members[0]
        return series.times, series.values, np.zeros(len(series.times), dtype=np.int64)
    times = np.unique(np.concatenate([member.times for member in members]))
    if len(times) * len(members) > GROUP_BUDGET:  # e.g. a thousand pods scraped out of step
        times = np.linspace(times[0], times[-1], GROUP_BUDGET // len(members))
    worst = np.full(len(times), np.nan)
    who = np.zeros(len(times), dtype=np.int64)
    for number, member in enumerate(members):
        at = np.searchsorted(member.times, times, side="right") - 1
        held = np.where(at >= 0, member.values[np.maximum(at, 0)], np.nan)
        with np.errstate(invalid="ignore"):
            better = (held > worst) if above else (held < worst)
        takes = np.isfinite(held) & (np.isnan(worst) | better)
        worst[takes] = held[takes]
        who[takes] = number
    return times, worst, who


def _episodes(
    times: np.ndarray, holds: np.ndarray, known: np.ndarray, bad: np.ndarray, sustain: float
) -> tuple[Episode, ...]:
    """The breaches: runs of known samples on one side (gaps skipped), a sustained bad run
    opening one and a sustained good run closing it."""
    index = np.flatnonzero(known)
    if not len(index):
        return ()
    side = bad[index]
    starts = np.concatenate([[0], np.flatnonzero(side[1:] != side[:-1]) + 1])
    lasting = np.add.reduceat(holds[index], starts) >= sustain
    run_bad = side[starts]
    # +1: a sustained bad run, -1: a sustained good run; an episode opens at the first +1
    # after a -1 (or at the start) and closes at the next -1.
    marks = np.where(lasting, np.where(run_bad, 1, -1), 0)
    episodes: list[Episode] = []
    open_run: int | None = None
    for run in np.flatnonzero(marks):
        if marks[run] > 0 and open_run is None:
            open_run = int(run)
        elif marks[run] < 0 and open_run is not None:
            last_bad = float(times[index[starts[run] - 1]])  # the run before is bad
            start = float(times[index[starts[open_run]]])
            episodes.append(Episode(start, float(times[index[starts[run]]]), last_bad))
            open_run = None
    if open_run is not None:
        last_bad = float(times[index[np.flatnonzero(side)[-1]]])
        episodes.append(Episode(float(times[index[starts[open_run]]]), None, last_bad))
    return tuple(episodes)
