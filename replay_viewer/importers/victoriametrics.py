"""VictoriaMetrics ``/api/v1/export`` JSON lines → series.

Each line is one series' raw samples: ``{"metric": {"__name__": "up", "job": "api"},
"values": [1, 0.5, …], "timestamps": [1700000000000, …]}`` (milliseconds). A series may be
split over several lines (``max_rows_per_line``, or several files): lines with the same
labels are one series, sorted by time. The series of one metric (``__name__``, or the
file's name for a series without one) are one group, each member labelled by the labels
that differ; a hole in a series' rhythm is a gap (:func:`.members.mark_holes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from .common import ImportedSeries, first_bad_time, scaled
from .members import mark_holes, merged_samples, name_members
from .prometheus import default_label

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .json_lines import JsonLine

__all__ = ["ExportReader"]

_SHAPE = (
    "expected an object with 'metric', 'values' and 'timestamps' (a line of "
    "VictoriaMetrics' /api/v1/export)"
)


@dataclass
class _Found:
    """One series (its labels) over every line that holds part of it."""

    metric: dict[str, str]
    name: str  # the metric's name, or the file's
    lines: list[JsonLine] = field(default_factory=list)
    times: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)


class ExportReader:
    """Reads export lines (of one or more files) and makes the series of all of them."""

    def __init__(self) -> None:
        self._found: dict[tuple, _Found] = {}

    def __len__(self) -> int:
        return len(self._found)

    def read(self, lines: Iterable[JsonLine], fallback: str) -> None:
        """Add every line; ``fallback`` (the file's name) names a series without one."""
        for line in lines:
            metric, times, values = _checked(line)
            key = tuple(sorted(metric.items()))
            name = str(metric.get("__name__", "")) or fallback
            found = self._found.setdefault(key, _Found(metric, name))
            found.lines.append(line)
            found.times.append(times)
            found.values.append(values)

    def series(self, *, unit: str = "", scale: float = 1.0) -> list[ImportedSeries]:
        """The series read, one group per metric; metrics by name and each one's series by
        their labels (the server's order changes from one export to the next)."""
        by_name: dict[str, list[_Found]] = {}
        for key in sorted(self._found):
            found = self._found[key]
            by_name.setdefault(found.name, []).append(found)
        series = []
        for name, members in sorted(by_name.items()):
            made = [_merged(found, unit, scale) for found in members]
            labels = [{k: v for k, v in f.metric.items() if k != "__name__"} for f in members]
            prefix = name if len(by_name) > 1 else ""
            name_members(made, labels, name=name, group=name, id_prefix=prefix)
            series += made
        return series


def _checked(line: JsonLine) -> tuple[dict[str, str], np.ndarray, np.ndarray]:
    data = line.data
    if not isinstance(data, dict) or not {"metric", "values", "timestamps"} <= data.keys():
        raise line.error((), _SHAPE)
    metric = data["metric"]
    if not isinstance(metric, dict) or not all(isinstance(v, str) for v in metric.values()):
        raise line.error(("metric",), 'expected an object of labels ({"__name__": "up", …})')
    raw_values, raw_times = data["values"], data["timestamps"]
    for key, raw in (("values", raw_values), ("timestamps", raw_times)):
        if not isinstance(raw, list):
            raise line.error((key,), "expected a list of numbers")
    if len(raw_values) != len(raw_times):
        raise line.error(
            ("timestamps",),
            f"{len(raw_times)} timestamps for {len(raw_values)} values; they go in pairs",
        )
    times = _numbers(line, raw_times, "timestamps", "a time (epoch milliseconds)")
    problem = first_bad_time(times / 1000.0)
    if problem is not None:
        raise line.error(("timestamps", problem[0]), f"{problem[1]} (epoch milliseconds)")
    values = _numbers(line, raw_values, "values", "a number")
    values[~np.isfinite(values)] = np.nan
    return metric, times / 1000.0, values


def _numbers(line: JsonLine, raw: list, key: str, what: str) -> np.ndarray:
    """The list as floats (``null`` → NaN) in one go; on failure, the first bad element."""
    try:
        with np.errstate(invalid="ignore"):
            numbers = np.array(raw, dtype=np.float64)
        if numbers.ndim != 1:  # a list of equal lists reads as a table
            raise ValueError
        return numbers
    except (ValueError, TypeError):
        for index, item in enumerate(raw):
            if item is not None and (isinstance(item, bool) or not isinstance(item, int | float)):
                raise line.error((key, index), f"{item!r} is not {what}") from None
        raise line.error((key,), "unreadable numbers") from None


def _merged(found: _Found, unit: str, scale: float) -> ImportedSeries:
    """One series from all its lines, sorted by time (a warning at the first sample out of
    order, in the line that holds it)."""
    parts = [
        (times, values, partial(_warning, line))
        for line, times, values in zip(found.lines, found.times, found.values, strict=True)
    ]
    times, values, warnings = merged_samples(parts)
    item = ImportedSeries(found.name, times, scaled(values, scale), unit=unit)
    item.source, item.warnings = default_label(found.metric, found.name), warnings
    mark_holes(item)
    return item


def _warning(line: JsonLine, index: int, text: str) -> str:
    return line.warning(("timestamps", index), text)
