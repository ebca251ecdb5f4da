"""Groups of series at a moment: members' values at the playhead, the worst of them, and
the group's reading (min / median / max).

One query's result (per pod, per host, per shard) is a group: one legend entry whose
worst members at the playhead are highlighted. The chart's text pass, the renderer's
heads and the window's member list all ask these questions, so they live here, below
render/ and app/, as pure numpy over the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from .describe import format_reading

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .model import Incident, LegendEntry

__all__ = ["bad_side", "group_reading", "member_values", "worst_members"]


def member_values(incident: Incident, members: Iterable[int], t: float) -> np.ndarray:
    """Each member's latest value at or before ``t`` (NaN before its first sample or in a
    gap), in the order given."""
    members = list(members)
    values = np.full(len(members), np.nan)
    for slot, index in enumerate(members):
        series = incident.series[index]
        at = int(np.searchsorted(series.times, t, side="right")) - 1
        if at >= 0:
            values[slot] = series.values[at]
    return values


def bad_side(incident: Incident, entry: LegendEntry) -> Literal["above", "below"]:
    """Which way is worse for this entry: a member's own ``bad:``, else "below" when a
    threshold on one of its members says its bad side is below (a hit rate, an
    availability), else "above"."""
    for index in entry.members:
        if incident.series[index].bad is not None:  # the series says so itself
            return incident.series[index].bad
    ids = {incident.series[index].id for index in entry.members}
    for threshold in incident.thresholds:
        if threshold.series_id in ids:
            return threshold.bad
    return "above"


def _visible(incident: Incident, entry: LegendEntry, hidden: frozenset[str]) -> list[int]:
    return [i for i in entry.members if incident.series[i].id not in hidden]


def worst_members(
    incident: Incident,
    entry: LegendEntry,
    t: float,
    *,
    hidden: frozenset[str] = frozenset(),
    count: int = 3,
) -> tuple[int, ...]:
    """The ``count`` visible members with the worst value at ``t`` (highest, or lowest when
    the bad side is below), worst first; members without a value are never the worst."""
    members = _visible(incident, entry, hidden)
    if not members or count <= 0:
        return ()
    values = member_values(incident, members, t)
    has_value = np.isfinite(values)
    if not has_value.any():
        return ()
    keys = values if bad_side(incident, entry) == "below" else -values
    keys = np.where(has_value, keys, np.inf)
    order = np.argsort(keys, kind="stable")[: min(count, int(has_value.sum()))]
    return tuple(members[k] for k in order)


def group_reading(
    incident: Incident, entry: LegendEntry, t: float, *, hidden: frozenset[str] = frozenset()
) -> str:
    """``min 120 · med 180 · max 950 ms`` over the visible members at ``t``; ``no data``
    when none has a value, ``hidden`` when every member is hidden."""
    members = _visible(incident, entry, hidden)
    if not members:
        return "hidden"
    values = member_values(incident, members, t)
    values = values[np.isfinite(values)]
    if not len(values):
        return "no data"
    unit_series = incident.series[members[0]]
    low, middle, high = np.min(values), np.median(values), np.max(values)
    parts = [format_reading(unit_series, float(v)).removesuffix(unit_series.unit).strip()
             for v in (low, middle, high)]  # fmt: skip
    text = f"min {parts[0]} · med {parts[1]} · max {parts[2]}"
    return f"{text} {unit_series.unit}".strip()
