"""``aws cloudwatch get-metric-statistics`` answers → one page per statistic, and what
both CloudWatch answers share (timestamps, units).

``{"Label": "CPUUtilization", "Datapoints": [{"Timestamp": …, "Maximum": 0.33, "Unit":
"Percent"}, …]}``: each datapoint carries the statistics asked for (``Average``,
``Minimum``, ``Maximum``, ``Sum``, ``SampleCount``) and the percentiles in
``ExtendedStatistics`` (``{"p99": …}``). :mod:`.cloudwatch` merges the pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .common import ImportInputError, first_bad_time

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = [
    "CLOUDWATCH_UNITS",
    "STATISTICS",
    "StatisticPage",
    "cloudwatch_unit",
    "parse_timestamp",
    "pick_statistics",
    "statistic_pages",
]

STATISTICS = ("Average", "Minimum", "Maximum", "Sum", "SampleCount")
# CloudWatch's StandardUnit names → the short units the chart shows (the micro sign
# U+00B5, in Latin-1, which every font the chart uses has).
CLOUDWATCH_UNITS = {
    "Seconds": "s", "Microseconds": "\u00b5s", "Milliseconds": "ms",
    "Bytes": "B", "Kilobytes": "kB", "Megabytes": "MB", "Gigabytes": "GB", "Terabytes": "TB",
    "Bits": "bit", "Kilobits": "kbit", "Megabits": "Mbit", "Gigabits": "Gbit",
    "Terabits": "Tbit", "Percent": "%", "Count": "", "None": "",
}  # fmt: skip


def cloudwatch_unit(name: str) -> str:
    """``Milliseconds`` → ``ms``, ``Bytes/Second`` → ``B/s``, ``Count/Second`` → ``/s``."""
    base, _, per = name.partition("/")
    unit = CLOUDWATCH_UNITS.get(base, base)
    return f"{unit}/s" if per == "Second" else (f"{unit}/{per}" if per else unit)


def parse_timestamp(doc: JsonSource, text: object, where: tuple) -> float:
    """An AWS CLI timestamp (ISO-8601, ``Z`` or an offset, none = UTC; or epoch seconds)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        seconds = float(text)
    else:
        try:
            moment = dt.datetime.fromisoformat(text)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise doc.error(
                where,
                f"timestamp {text!r} is not an ISO-8601 date-time such as 2025-06-03T09:41:00Z",
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        seconds = moment.timestamp()
    problem = first_bad_time(np.array([seconds]))
    if problem is not None:
        raise doc.error(where, problem[1])
    return seconds


@dataclass
class StatisticPage:
    """One statistic of one answer: its samples and the datapoint each came from."""

    label: str  # the answer's Label
    name: str  # Average, p99…
    unit: str  # the chart's unit
    times: np.ndarray
    values: np.ndarray
    rows: list[int]


def statistic_pages(doc: JsonSource) -> list[StatisticPage]:
    """The answer's statistics, one page each (in the order of :data:`STATISTICS`, then
    the percentiles)."""
    points = doc.data["Datapoints"]
    if not isinstance(points, list):
        raise doc.error(("Datapoints",), "expected a list of datapoints")
    label = doc.data.get("Label")
    label = label if isinstance(label, str) else ""
    found: dict[str, tuple[list, list, list]] = {}
    unit = None
    for index, point in enumerate(points):
        where = ("Datapoints", index)
        if not isinstance(point, dict):
            raise doc.error(where, "expected a datapoint object with 'Timestamp'")
        if "Timestamp" not in point:
            raise doc.error(where, "expected the datapoint's 'Timestamp'")
        time = parse_timestamp(doc, point["Timestamp"], (*where, "Timestamp"))
        if unit is None:
            unit = point.get("Unit")
        elif point.get("Unit") != unit:
            raise doc.error(
                (*where, "Unit") if "Unit" in point else where,
                f"Unit {point.get('Unit')!r} differs from the first datapoint's {unit!r}",
            )
        for name, value in _statistics_of(doc, point, where):
            times, values, rows = found.setdefault(name, ([], [], []))
            times.append(time)
            values.append(value)
            rows.append(index)
    pages = []
    for name in sorted(found, key=_statistic_rank):
        times, values, rows = found[name]
        page_unit = "" if name == "SampleCount" else cloudwatch_unit(unit or "")
        pages.append(StatisticPage(label, name, page_unit, np.array(times), np.array(values), rows))
    return pages


def _statistic_rank(name: str) -> tuple[int, str]:
    return (STATISTICS.index(name), "") if name in STATISTICS else (len(STATISTICS), name)


def _statistics_of(doc: JsonSource, point: dict, where: tuple):
    """``(name, value, path)`` of every statistic in one datapoint."""
    for name in STATISTICS:
        if name in point:
            yield name, _number(doc, point[name], (*where, name))
    extended = point.get("ExtendedStatistics")
    if extended is None:
        return
    if not isinstance(extended, dict):
        raise doc.error((*where, "ExtendedStatistics"), "expected an object such as {'p99': 1.5}")
    for name, value in extended.items():
        yield name, _number(doc, value, (*where, "ExtendedStatistics", name))


def _number(doc: JsonSource, value: object, where: tuple) -> float:
    if value is None:
        return float("nan")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise doc.error(where, f"value {value!r} is not a number")
    return float(value)


def pick_statistics(stats: dict, names: list[str], docs: list[JsonSource]) -> dict:
    """Only the statistics named (``--statistic``, case-insensitive); a name that no
    datapoint has is an error listing those they have."""
    wanted = [n.strip() for given in names for n in given.split(",") if n.strip()]
    present = {name.lower(): name for _, name in stats}
    for name in wanted:
        if name.lower() not in present:
            have = ", ".join(dict.fromkeys(name for _, name in stats)) or "none"
            where = next((d.where(("Datapoints",)) for d in docs if "Datapoints" in d.data), "")
            raise ImportInputError(
                f"--statistic {name}: the datapoints have no such statistic (they have: {have}; "
                "get-metric-statistics returns those asked for with --statistics or "
                "--extended-statistics)",
                where or docs[0].name,
            )
    keep = {present[n.lower()] for n in wanted}
    return {key: result for key, result in stats.items() if key[1] in keep}
