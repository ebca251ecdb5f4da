"""The ``incident-replay/1`` schema: node tree to :class:`~replay_viewer.model.Incident`.

Each part of the format is a field table (key → reader, required, default) read by the
generic :class:`~.yaml_nodes.NodeReader`; only what is particular to incidents lives here:
series ids, samples, the series a threshold refers to, and the duration check.
See docs/incident-format.md for the format itself.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from ..model import (
    EVENT_KINDS,
    MAX_SERIES,
    Event,
    Incident,
    Learning,
    Outcome,
    Series,
    Threshold,
    default_series_color,
    time_extent,
    timeline_span,
)
from ..timecode import format_timecode
from .datafiles import TIME_MODES
from .diagnostics import shorten
from .series_files import DataContext, column_names, series_data
from .yaml_nodes import Field, Invalid, NodeReader, describe, suggest

if TYPE_CHECKING:
    from pathlib import Path

    from .diagnostics import Diagnostic

__all__ = ["FORMAT_ID", "read_incident"]

FORMAT_ID = "incident-replay/1"
MIN_RANGE_WIDTH = 1e-30
_SERIES_ID_RE = re.compile(r"[a-z0-9_-]+")


def read_incident(
    root: yaml.Node, path: str, incident_id: str, source: Path | None, data: DataContext
) -> tuple[Incident | None, list[Diagnostic]]:
    """The incident in ``root`` and every problem found (the incident is None if any).

    ``data`` says where series' data files are read from (see :mod:`.series_files`)."""
    schema = _IncidentSchema(path, data)
    incident = schema.incident(root, incident_id, source)
    return incident, schema.reader.diagnostics


class _IncidentSchema:
    """The field tables of the format, bound to one file's reader."""

    def __init__(self, path: str, data: DataContext) -> None:
        r = self.reader = NodeReader(path)
        self.data = data
        self.series_ids: list[str] = []  # also of broken series (no second error for them)

        def choice(options: tuple[str, ...]) -> Any:
            return lambda node, what: r.choice(node, what, options)

        self.top = {
            "format": Field(self.format),
            "title": Field(r.text, required=True),
            "subtitle": Field(r.optional_text, default=""),
            "summary": Field(r.optional_text, default=""),
            "severity": Field(r.optional_text, default=""),
            "role": Field(r.optional_text, default=""),
            "stack": Field(r.text_list, default=()),
            "started_at": Field(self.started_at),  # before 'series': data files need it
            "duration": Field(r.timecode),
            "series": Field(self.series_list, required=True, default=()),
            "thresholds": Field(self.thresholds, default=()),
            "events": Field(self.events, default=()),
            "actions": Field(r.text_list, default=()),
            "learnings": Field(self.learnings, default=()),
            "outcomes": Field(self.outcomes, default=()),
        }
        self.series = {
            "id": Field(r.text, required=True),  # read first, by one_series
            "label": Field(r.text),
            "unit": Field(r.optional_text, default=""),
            "group": Field(r.optional_text, default=""),
            "color": Field(r.color),
            "axis": Field(choice(("left", "right"))),
            "range": Field(self.value_range),
            "samples": Field(self.samples, labelled=False),
            "file": Field(lambda node, what: node),  # read by series_data, after the rest
            "columns": Field(lambda node, what: column_names(r, node, what)),
            "time": Field(choice(TIME_MODES), default="auto"),
        }
        self.threshold = {
            "series": Field(self.threshold_series, required=True, labelled=False),
            "value": Field(r.number, required=True),
            "label": Field(r.text, required=True),
            "bad": Field(choice(("above", "below")), default="above"),
        }
        self.event = {
            "at": Field(r.timecode, required=True),
            "title": Field(r.text, required=True),
            "detail": Field(r.optional_text, default=""),
            "kind": Field(choice(EVENT_KINDS), default="note"),
        }
        self.learning = {
            "title": Field(r.text, required=True),
            "detail": Field(r.optional_text, default=""),
        }
        self.outcome = {
            "value": Field(r.text, required=True),
            "label": Field(r.text, required=True),
            "note": Field(r.optional_text, default=""),
        }

    # -- the incident ------------------------------------------------------------------

    def incident(self, root: yaml.Node, incident_id: str, source: Path | None) -> Incident | None:
        r = self.reader
        self.entry_number = _LegendEntries()
        found = r.mapping(root, self.top, "the incident")
        if found is None:
            return None
        values = r.fields(found, self.top, "the incident", prefix="")
        series, events = values["series"] or (), values["events"] or ()
        duration = values["duration"]
        if duration is not None:
            latest = time_extent(series, events)[1]
            if duration <= 0:
                r.error(found["duration"], "'duration' must be after T+00:00")
            elif duration < latest:
                r.error(
                    found["duration"],
                    f"'duration' {format_timecode(duration)} ends before the last sample or "
                    f"event at {format_timecode(latest, decimals=3 if latest % 1 else 0)}",
                )
        if r.diagnostics or values["title"] is None or not series:
            return None
        start, end = timeline_span(series, events, duration)
        del values["format"], values["duration"]
        return Incident(id=incident_id, start=start, end=end, source=source, **values)

    def format(self, node: yaml.Node, what: str) -> str:
        value = self.reader.text(node, what)
        if value != FORMAT_ID:
            self.reader.error(
                node, f"unsupported format {shorten(value)!r}; this version reads '{FORMAT_ID}'"
            )
        return value

    # -- series ------------------------------------------------------------------------

    def series_list(self, node: yaml.Node, what: str) -> tuple[Series, ...]:
        r = self.reader
        items = r.sequence(node, what)
        if items is None:
            return ()
        if not items:
            r.error(node, f"{what} must list at least one series")
            return ()
        if len(items) > MAX_SERIES:
            r.error(items[MAX_SERIES], f"too many series: at most {MAX_SERIES} are shown")
        result: list[Series] = []
        seen: dict[str, yaml.Node] = {}
        first_unit: str | None = None
        for index, item in enumerate(items[:MAX_SERIES]):
            series = self.one_series(item, index, seen, first_unit)
            if series is not None:
                if first_unit is None:
                    first_unit = series.unit
                result.append(series)
        return tuple(result)

    def one_series(
        self, node: yaml.Node, index: int, seen: dict[str, yaml.Node], first_unit: str | None
    ) -> Series | None:
        r = self.reader
        what = f"series {index + 1}"
        found = r.mapping(node, self.series, what)
        if found is None:
            return None
        series_id = self.series_id(found["id"], what, seen) if "id" in found else None
        if series_id:
            what = f"series '{series_id}'"
        rest = {key: field for key, field in self.series.items() if key != "id"}
        values = r.fields(found, rest, what)
        data = series_data(self.reader, node, found, values, what, self.data)
        if series_id is None or data is None:
            return None
        entry = self.entry_number(values["group"] or "")
        unit = values["unit"]
        axis = values["axis"] or ("left" if first_unit in (None, unit) else "right")
        times, samples = data
        return Series(
            id=series_id,
            label=values["label"] or series_id,
            unit=unit,
            color=values["color"] or default_series_color(entry),
            axis=axis,
            range=values["range"],
            times=times,
            values=samples,
            group=values["group"],
        )

    def started_at(self, node: yaml.Node, what: str) -> Any:
        self.data.started_at = self.reader.date_time(node, what)
        return self.data.started_at

    def series_id(self, node: yaml.Node, what: str, seen: dict[str, yaml.Node]) -> str | None:
        r = self.reader
        try:
            series_id = r.text(node, f"{what} 'id'")
        except Invalid:
            return None
        self.series_ids.append(series_id)
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

    def samples(self, node: yaml.Node, what: str) -> tuple[np.ndarray, np.ndarray]:
        r = self.reader
        items = r.sequence(node, f"{what} 'samples'")
        if items is None:
            raise Invalid
        if not items:
            r.error(node, f"{what} 'samples' must hold at least one [time, value] pair")
            raise Invalid
        times = np.empty(len(items), dtype=np.float64)
        values = np.empty(len(items), dtype=np.float64)
        errors_before = len(r.diagnostics)
        previous: tuple[float, yaml.Node] | None = None
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
                t = r.timecode(time_node, f"{label} time")
                if previous is not None and t <= previous[0]:
                    r.error(
                        time_node,
                        f"{what} sample time {_fmt(t)} is not after the previous sample's "
                        f"{_fmt(previous[0])} (line {previous[1].start_mark.line + 1}); "
                        "sample times must be strictly increasing",
                    )
                previous = (t, time_node)
                times[index] = t
            except Invalid:
                pass
            try:
                values[index] = self.sample_value(value_node, f"{label} value")
            except Invalid:
                pass
        if len(r.diagnostics) > errors_before:
            raise Invalid
        return times, values

    def sample_value(self, node: yaml.Node, what: str) -> float:
        raw = self.reader.scalar(node, what)
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

    # -- lists of records --------------------------------------------------------------

    def thresholds(self, node: yaml.Node, what: str) -> tuple[Threshold, ...]:
        def build(v: dict[str, Any]) -> Threshold:
            return Threshold(v["series"], v["value"], v["label"], v["bad"])

        return self.reader.record_list(node, self.threshold, build, what=what, item="threshold")

    def threshold_series(self, node: yaml.Node, what: str) -> str:
        ref = self.reader.text(node, f"{what} 'series'")
        ids = self.series_ids
        if ids and ref not in ids:
            self.reader.error(
                node, f"{what} refers to unknown series '{shorten(ref)}'{suggest(ref, ids)}"
            )
            raise Invalid
        return ref

    def events(self, node: yaml.Node, what: str) -> tuple[Event, ...]:
        events = self.reader.record_list(
            node, self.event, lambda v: Event(**v), what=what, item="event"
        )
        # Stable: events at the same time keep their order from the file.
        return tuple(sorted(events, key=lambda event: event.at))

    def learnings(self, node: yaml.Node, what: str) -> tuple[Learning, ...]:
        return self.reader.record_list(
            node,
            self.learning,
            lambda v: Learning(**v),
            what=what,
            item="learning",
            shorthand=lambda item, label: Learning(self.reader.text(item, label)),
        )

    def outcomes(self, node: yaml.Node, what: str) -> tuple[Outcome, ...]:
        return self.reader.record_list(
            node, self.outcome, lambda v: Outcome(**v), what=what, item="outcome"
        )


class _LegendEntries:
    """Numbers the legend entries as series are read (a group is one entry): default
    colours go by entry, so a group and the series after it never share a colour."""

    def __init__(self) -> None:
        self.groups: dict[str, int] = {}
        self.count = 0

    def __call__(self, group: str) -> int:
        if group in self.groups:
            return self.groups[group]
        number = self.count
        self.count += 1
        if group:
            self.groups[group] = number
        return number


def _fmt(t: float) -> str:
    return format_timecode(t, decimals=3 if t % 1 else 0)
