"""Which series the chart shows and how: a legend entry switched off or shown alone, a
group's members hidden, isolated or highlighted, and the member list's own state (filter,
sort). Pure Python over ids, so the legend, the member list and the tests share it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..groups import member_values

if TYPE_CHECKING:
    from ..model import Incident, LegendEntry

__all__ = ["MemberList", "MemberRow", "hidden_with", "member_rows", "toggled", "with_highlight"]

SortKey = Literal["value", "name"]


@dataclass
class MemberList:
    """A group's member list (opened from its legend entry): which group, the filter
    text and the sort (by value at the playhead, worst first, or by name)."""

    group: str = ""  # the open group's name; "" = closed
    filter: str = ""
    sort: SortKey = "value"
    descending: bool = True


@dataclass(frozen=True)
class MemberRow:
    index: int  # into Incident.series
    label: str
    value: float  # at the playhead; NaN without one
    hidden: bool
    highlighted: bool


def member_rows(
    incident: Incident,
    entry: LegendEntry,
    t: float,
    members: MemberList,
    hidden: frozenset[str],
    highlight: frozenset[str],
) -> list[MemberRow]:
    """The group's members that match the filter (case-insensitive, on the label), sorted
    as the list asks; members without a value at ``t`` last."""
    needle = members.filter.strip().lower()
    indices = [i for i in entry.members if needle in incident.series[i].label.lower()]
    values = member_values(incident, indices, t)
    rows = [
        MemberRow(i, incident.series[i].label, float(v), incident.series[i].id in hidden,
                  incident.series[i].id in highlight)
        for i, v in zip(indices, values, strict=True)
    ]  # fmt: skip
    if members.sort == "name":
        rows.sort(key=lambda row: row.label, reverse=members.descending)
    else:
        sign = -1.0 if members.descending else 1.0
        rows.sort(key=lambda row: (np.isnan(row.value), sign * np.nan_to_num(row.value)))
    return rows


def toggled(
    all_ids: set[str], hidden: frozenset[str], ids: set[str], *, isolate: bool
) -> frozenset[str]:
    """``hidden`` after clicking an entry standing for ``ids``: hide them (or show them
    again when all were hidden); ``isolate``: show only them (or everything again when they
    already were all that showed). Never hides every series."""
    if isolate:
        alone = frozenset(all_ids - ids)
        return frozenset() if hidden == alone else alone
    hidden = hidden - ids if ids <= hidden else hidden | ids
    return frozenset() if hidden >= all_ids else frozenset(hidden)


def hidden_with(hidden: frozenset[str], ids: set[str], all_ids: set[str]) -> frozenset[str]:
    """``hidden`` with ``ids`` hidden too, unless that would hide every series."""
    more = frozenset(hidden | ids)
    return hidden if more >= all_ids else more


def with_highlight(highlight: frozenset[str], series_id: str) -> frozenset[str]:
    """``highlight`` with ``series_id`` switched on or off."""
    return highlight ^ {series_id}
