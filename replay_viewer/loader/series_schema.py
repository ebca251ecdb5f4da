"""The format's ``series`` list: ids, samples (inline or from a data file), groups, limits.

One :class:`SeriesSchema` reads the list for :mod:`.schema`, reporting through the file's
:class:`~.yaml_nodes.NodeReader`. Sample times that repeat or go back are kept, sorted by
time, with a warning (:mod:`.time_order`); members of a ``group`` must share a unit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from ..model import MAX_SERIES, Series, default_series_color
from .baseline_schema import BaselineSchema
from .datafiles import TIME_MODES
from .diagnostics import shorten
from .series_files import column_names, series_data
from .time_order import check_order, sort_by_time
from .time_zones import zone_named
from .yaml_nodes import Field, Invalid, describe

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from .series_files import DataContext
    from .yaml_nodes import NodeReader

__all__ = ["SeriesSchema", "read_zone"]

MIN_RANGE_WIDTH = 1e-30
_SERIES_ID_RE = re.compile(r"[a-z0-9_-]+")


def read_zone(r: NodeReader, node: yaml.Node, what: str) -> ZoneInfo:
    """An IANA time zone name (``Europe/Berlin``) for date-times without an offset."""
    name = r.text(node, what)
    try:
        return zone_named(name.strip())
    except ValueError as exc:
        r.error(node, f"{what}: {exc}")
        raise Invalid from None


@dataclass(frozen=True)
class _Member:
    """The first member read of a group: what the others must match."""

    unit: str
    series_id: str
    line: int


def _unit(unit: str) -> str:
    return f"the unit {shorten(unit)!r}" if unit else "no unit"


class SeriesSchema:
    """Reads the ``series`` list of one incident file."""

    def __init__(self, reader: NodeReader, data: DataContext) -> None:
        r = self.reader = reader
        self.data = data
        # Every series id that was read, also of series that are invalid otherwise: a
        # threshold on a broken series is not a second error.
        self.ids: list[str] = []
        self._groups: dict[str, _Member] = {}
        # Default colours go by legend entry (a group is one), so a group and the series
        # after it never share a colour: group → its entry number, and the count so far.
        self._entries: dict[str, int] = {}
        self._entry_count = 0
        self.fields = {
            "id": Field(r.text, required=True),  # read first, by one_series
            "label": Field(r.text),
            "unit": Field(r.optional_text, default=""),
            "group": Field(r.text, default=""),
            "color": Field(r.color),
            "axis": Field(lambda node, what: r.choice(node, what, ("left", "right"))),
            "range": Field(self.value_range),
            "samples": Field(self.samples, labelled=False),
            "file": Field(lambda node, what: node),  # read by series_data, after the rest
            "columns": Field(lambda node, what: column_names(r, node, what)),
            "time": Field(lambda node, what: r.choice(node, what, TIME_MODES), default="auto"),
            "timezone": Field(lambda node, what: read_zone(r, node, what)),
            "bad": Field(lambda node, what: r.choice(node, what, ("above", "below"))),
            "baseline": Field(lambda node, what: node),  # read by baseline, after the data
            "baseline_shift": Field(lambda node, what: self.baselines.shift(node, what)),
        }
        self.baselines = BaselineSchema(r, data, self.fields)

    def series_list(self, node: yaml.Node, what: str) -> tuple[Series, ...]:
        r = self.reader
        items = r.sequence(node, what)
        if items is None:
            return ()
        if not items:
            r.error(node, f"{what} must list at least one series")
            return ()
        if len(items) > MAX_SERIES:
            r.error(
                items[MAX_SERIES],
                f"too many series: {len(items):,} listed, and an incident holds at most "
                f"{MAX_SERIES:,}; split it, or import fewer (import prometheus --top K)",
            )
        result: list[Series] = []
        seen: dict[str, yaml.Node] = {}
        first_unit: str | None = None
        for index, item in enumerate(items[:MAX_SERIES]):
            series = self.one_series(item, index, seen, first_unit)
            if series is not None:
                if first_unit is None:
                    first_unit = series.unit
                result.append(series)
        for name in sorted(set(self._groups) & set(seen)):
            r.warn(seen[name], f"series id '{shorten(name)}' is also the name of a group (line "
                   f"{self._groups[name].line}): the legend shows both as '{shorten(name)}' and "
                   "--hide or --highlight means the group; rename one")  # fmt: skip
        return tuple(result)

    def one_series(
        self, node: yaml.Node, index: int, seen: dict[str, yaml.Node], first_unit: str | None
    ) -> Series | None:
        r = self.reader
        what = f"series {index + 1}"
        found = r.mapping(node, self.fields, what)
        if found is None:
            return None
        series_id = self.series_id(found["id"], what, seen) if "id" in found else None
        if series_id:
            what = f"series '{series_id}'"
        rest = {key: field for key, field in self.fields.items() if key != "id"}
        values = r.fields(found, rest, what)
        data = series_data(self.reader, node, found, values, what, self.data)
        if series_id is None or data is None or values["group"] is None:
            return None
        try:
            baseline = self.baselines.baseline(found, values, data, what)
        except Invalid:
            return None
        unit = values["unit"]
        if values["group"] and not self.same_unit(values["group"], unit, series_id, found):
            return None
        axis = values["axis"] or ("left" if first_unit in (None, unit) else "right")
        times, samples = data
        return Series(
            id=series_id,
            label=values["label"] or series_id,
            unit=unit,
            color=values["color"] or default_series_color(self.entry_number(values["group"])),
            axis=axis,
            range=values["range"],
            times=times,
            values=samples,
            group=values["group"],
            baseline=baseline,
            bad=values["bad"],
        )

    def entry_number(self, group: str) -> int:
        """The legend entry a series falls into (a group's members all into one)."""
        if group and group in self._entries:
            return self._entries[group]
        number, self._entry_count = self._entry_count, self._entry_count + 1
        if group:
            self._entries[group] = number
        return number

    def same_unit(self, group: str, unit: str, series_id: str, found: dict) -> bool:
        """Whether a member's unit is its group's (the first member's); reports if not,
        at its ``unit`` (or, without one, at its ``group``)."""
        node = found.get("unit", found["group"])
        first = self._groups.setdefault(
            group, _Member(unit, series_id, found["group"].start_mark.line + 1)
        )
        if first.unit == unit:
            return True
        self.reader.error(
            node,
            f"series '{series_id}' has {_unit(unit)}, and its group '{shorten(group)}' has "
            f"{_unit(first.unit)} (series '{first.series_id}', line {first.line}); members "
            "of a group share a unit: give it another group or convert it",
        )
        return False

    def series_id(self, node: yaml.Node, what: str, seen: dict[str, yaml.Node]) -> str | None:
        r = self.reader
        try:
            series_id = r.text(node, f"{what} 'id'")
        except Invalid:
            return None
        self.ids.append(series_id)
        if not _SERIES_ID_RE.fullmatch(series_id):
            example = shorten(re.sub(r"[^a-z0-9_-]+", "_", series_id.lower()))
            r.error(
                node,
                f"series id {shorten(series_id)!r} may only use a-z, 0-9, '_' and '-' "
                f"(e.g. {example!r})",
            )
            return None
        if series_id in seen:
            line = seen[series_id].start_mark.line + 1
            r.error(node, f"duplicate series id '{shorten(series_id)}' (first used on line {line})")
            return None
        seen[series_id] = node
        return series_id

    def value_range(self, node: yaml.Node, what: str) -> tuple[float, float]:
        r = self.reader
        items = r.sequence(node, what)
        if items is None:
            raise Invalid
        if len(items) != 2:
            r.error(node, f"{what} must be [min, max], got {len(items)} values")
            raise Invalid
        low = r.number(items[0], f"{what} min")
        high = r.number(items[1], f"{what} max")
        if not low < high:
            r.error(node, f"{what} min must be below max, got [{low:g}, {high:g}]")
            raise Invalid
        if high - low < max(MIN_RANGE_WIDTH, 1e-9 * max(abs(low), abs(high))):
            r.error(node, f"{what} [{low:g}, {high:g}] is too narrow to chart")
            raise Invalid
        return (low, high)

    def samples(
        self, node: yaml.Node, what: str, *, key: str = "samples"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Inline ``[time, value]`` pairs (the value of ``key``; "": ``what`` names them)."""
        r = self.reader
        name = f"{what} '{key}'" if key else what
        items = r.sequence(node, name)
        if items is None:
            raise Invalid
        if not items:
            r.error(node, f"{name} must hold at least one [time, value] pair")
            raise Invalid
        times = np.empty(len(items), dtype=np.float64)
        values = np.empty(len(items), dtype=np.float64)
        errors_before = len(r.diagnostics)
        for index, item in enumerate(items):
            label = f"{what} sample {index + 1}"
            if not isinstance(item, yaml.SequenceNode) or len(item.value) != 2:
                shown = (
                    f"{len(item.value)} values"
                    if isinstance(item, yaml.SequenceNode)
                    else describe(item)
                )
                r.error(item, f"{label} must be a [time, value] pair, got {shown}")
                continue
            time_node, value_node = item.value
            try:
                times[index] = r.timecode(time_node, f"{label} time")
            except Invalid:
                pass
            try:
                values[index] = self.sample_value(value_node, f"{label} value")
            except Invalid:
                pass
        if len(r.diagnostics) > errors_before:
            raise Invalid
        order = check_order(times)
        # Kept, sorted by time (stably), and said once per kind at the first such sample.
        for row, message in order.messages("sample", "samples"):
            r.warn(items[row].value[0], f"{name}: {message}")
        return sort_by_time(times, values, order)

    def sample_value(self, node: yaml.Node, what: str) -> float:
        raw: Any = self.reader.scalar(node, what)
        if raw is None:
            return math.nan  # null marks a gap in the data
        if isinstance(raw, float) and not math.isfinite(raw):
            self.reader.error(
                node,
                f"{what} must be finite, got {shorten(node.value)}; "
                "write null for a gap in the data",
            )
            raise Invalid
        return self.reader.number(node, what)
