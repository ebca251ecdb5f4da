"""The ``incident-replay/1`` schema: node tree to :class:`~replay_viewer.model.Incident`.

Each part of the format is a field table (key → reader, required, default) read by the
generic :class:`~.yaml_nodes.NodeReader`; only what is particular to incidents lives here:
the series a threshold refers to, the duration check, and the time zone of ``started_at``.
The ``series`` list is :mod:`.series_schema`, the ``slo`` list :mod:`.slo_schema`.
See docs/incident-format.md for the format itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..model import (
    EVENT_KINDS,
    MAX_SERIES,
    Event,
    Incident,
    Learning,
    Outcome,
    Threshold,
    time_extent,
    timeline_span,
)
from ..timecode import format_timecode
from .diagnostics import shorten
from .histogram_schema import HistogramSchema
from .series_files import DataContext
from .series_schema import SeriesSchema, read_zone
from .slo_schema import SloSchema
from .time_zones import resolve_local
from .yaml_nodes import Field, Invalid, NodeReader, suggest

if TYPE_CHECKING:
    from pathlib import Path
    from zoneinfo import ZoneInfo

    import yaml

    from ..model import Series
    from .diagnostics import Diagnostic

__all__ = ["FORMAT_ID", "read_incident", "reread_events"]

FORMAT_ID = "incident-replay/1"


def read_incident(
    root: yaml.Node, path: str, incident_id: str, source: Path | None, data: DataContext
) -> tuple[Incident | None, list[Diagnostic]]:
    """The incident in ``root`` and every problem found (the incident is None if any).

    ``data`` says where series' data files are read from (see :mod:`.series_files`)."""
    schema = _IncidentSchema(path, data)
    incident = schema.incident(root, incident_id, source)
    return incident, schema.reader.diagnostics


def reread_events(
    incident: Incident,
    events: yaml.Node | None,
    duration: yaml.Node | None,
    path: str,
) -> tuple[Incident | None, list[Diagnostic]]:
    """``incident`` with its events read again from ``events`` (the ``events`` value of
    its file's edited text; None: no events) and its timeline from ``duration``; the rest
    (series, thresholds, texts, warnings) kept. For an editor whose edit changed only the
    events: the file's other values are the ones ``incident`` was read from."""
    schema = _IncidentSchema(path, DataContext(base=None, allow_outside=False))
    given = {"events": events, "duration": duration}
    found = {key: node for key, node in given.items() if node is not None}
    fields = {key: schema.top[key] for key in given}
    values = schema.reader.fields(found, fields, "the incident", prefix="")
    new_events, length = values["events"] or (), values["duration"]
    if length is not None:
        schema.check_duration(duration, length, incident.series, new_events)
    if schema.reader.diagnostics:
        return None, schema.reader.diagnostics
    start, end = timeline_span(incident.series, new_events, length)
    return dataclasses.replace(incident, events=new_events, start=start, end=end), []


class _IncidentSchema:
    """The field tables of the format, bound to one file's reader."""

    def __init__(self, path: str, data: DataContext) -> None:
        r = self.reader = NodeReader(path)
        self.data = data
        self.series = SeriesSchema(r, data)
        self.histograms = HistogramSchema(r, data, self.series)
        self.slo = SloSchema(r, self.series.ids)

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
            "timezone": Field(self.incident_zone),  # before 'started_at': it may be local
            "started_at": Field(self.started_at),  # before 'series': data files need it
            "duration": Field(r.timecode),
            "series": Field(self.series.series_list, default=()),
            # After the series (their ids), before the thresholds (which may name a p99).
            "histograms": Field(self.histograms.histogram_list, default=((), ())),
            "thresholds": Field(self.thresholds, default=()),
            "slo": Field(self.slo.slo_list, default=()),
            "events": Field(self.events, default=()),
            "actions": Field(r.text_list, default=()),
            "learnings": Field(self.learnings, default=()),
            "outcomes": Field(self.outcomes, default=()),
        }
        self.threshold = {
            "series": Field(self.threshold_series, required=True, labelled=False),
            "value": Field(r.number, required=True),
            "label": Field(r.text, required=True),
            "bad": Field(choice(("above", "below")), default="above"),
            "sustain": Field(self.sustain),
        }
        self.event = {
            "at": Field(r.timecode, required=True),
            "title": Field(r.text, required=True),
            "detail": Field(r.optional_text, default=""),
            "kind": Field(choice(EVENT_KINDS), default="note"),
            "until": Field(lambda node, what: (r.timecode(node, what), node)),
            "star": Field(r.boolean, default=False),
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
        found = r.mapping(root, self.top, "the incident")
        if found is None:
            return None
        if "series" not in found and "histograms" not in found:
            r.error(root, "the incident is missing the required key 'series'")
        values = r.fields(found, self.top, "the incident", prefix="")
        values["histograms"], derived = values["histograms"] or ((), ())
        series = values["series"] = (*(values["series"] or ()), *derived)
        events = values["events"] or ()
        if len(series) > MAX_SERIES and derived:
            r.error(found["histograms"], f"{len(series):,} series with the histograms' "
                    f"quantiles, and an incident holds at most {MAX_SERIES:,}")  # fmt: skip
        duration = values["duration"]
        if duration is not None:
            self.check_duration(found["duration"], duration, series, events)
        if r.diagnostics or values["title"] is None or not series:
            return None
        start, end = timeline_span(series, events, duration)
        if values["started_at"] is not None:
            self.check_wall_clock(found["started_at"], values["started_at"], (start, end))
            if r.diagnostics:
                return None
        del values["format"], values["duration"], values["timezone"]
        values["slos"] = values.pop("slo") or ()
        return Incident(
            id=incident_id,
            start=start,
            end=end,
            source=source,
            warnings=tuple(str(warning) for warning in r.warnings),
            data_files=tuple(dict.fromkeys(self.data.files)),
            **values,
        )

    def check_wall_clock(self, node: yaml.Node, started_at, span: tuple[float, float]) -> None:
        """Every time of the timeline has a wall-clock date (years 1 to 9999)."""
        try:
            for seconds in span:
                started_at + dt.timedelta(seconds=seconds)
        except OverflowError:
            self.reader.error(node, "'started_at' puts the timeline's "
                              f"{'start' if seconds == span[0] else 'end'} outside the years 1 to "
                              "9999 a wall clock can show")  # fmt: skip

    def check_duration(
        self, node: yaml.Node, duration: float, series: tuple[Series, ...], events: tuple
    ) -> None:
        """A ``duration`` must end after T+0 and not before the last sample or event."""
        latest = time_extent(series, events)[1]
        if duration <= 0:
            self.reader.error(node, "'duration' must be after T+00:00")
        elif duration < latest:
            self.reader.error(
                node,
                f"'duration' {format_timecode(duration)} ends before the last sample or "
                f"event at {format_timecode(latest, decimals=3 if latest % 1 else 0)}",
            )

    def format(self, node: yaml.Node, what: str) -> str:
        value = self.reader.text(node, what)
        if value != FORMAT_ID:
            self.reader.error(
                node, f"unsupported format {shorten(value)!r}; this version reads '{FORMAT_ID}'"
            )
        return value

    # -- values read before the series ------------------------------------------------

    def started_at(self, node: yaml.Node, what: str) -> Any:
        moment = self.reader.date_time(node, what)
        if self.data.zone is not None:
            if moment.tzinfo is None:
                moment, warning = resolve_local(moment, self.data.zone)
                if warning:
                    self.reader.warn(node, f"{what} {warning}")
            # In the zone itself, not in its offset at T+0: wall-clock readings after a
            # daylight-saving change then show the zone's time (and offset) of that moment.
            moment = moment.astimezone(self.data.zone)
        self.data.started_at = moment
        return moment

    def incident_zone(self, node: yaml.Node, what: str) -> ZoneInfo:
        self.data.zone = read_zone(self.reader, node, what)
        return self.data.zone

    # -- lists of records --------------------------------------------------------------

    def thresholds(self, node: yaml.Node, what: str) -> tuple[Threshold, ...]:
        def build(v: dict[str, Any]) -> Threshold:
            return Threshold(v["series"], v["value"], v["label"], v["bad"], v["sustain"])

        return self.reader.record_list(node, self.threshold, build, what=what, item="threshold")

    def sustain(self, node: yaml.Node, what: str) -> float:
        """How long a side must hold for a breach or a recovery: a duration, 0 or more."""
        seconds = self.reader.timecode(node, what)
        if seconds < 0:
            self.reader.error(node, f"{what} must be a duration of 0 s or more, like 90s or 2m")
            raise Invalid
        return seconds

    def threshold_series(self, node: yaml.Node, what: str) -> str:
        ref = self.reader.text(node, f"{what} 'series'")
        ids = self.series.ids
        if ids and ref not in ids:
            self.reader.error(
                node, f"{what} refers to unknown series '{shorten(ref)}'{suggest(ref, ids)}"
            )
            raise Invalid
        return ref

    def events(self, node: yaml.Node, what: str) -> tuple[Event, ...]:
        events = self.reader.record_list(node, self.event, self.event_or_span, what=what,
                                         item="event", positioned=True)  # fmt: skip
        # Stable: events at the same time keep their order from the file.
        return tuple(sorted((e for e in events if e is not None), key=lambda e: e.at))

    def event_or_span(self, values: dict[str, Any]) -> Event | None:
        """An event, or a span when it has ``until`` (not before its ``at``)."""
        if values["until"] is None:
            return Event(**{**values, "until": None})
        until, node = values["until"]
        if until < values["at"]:
            self.reader.error(
                node,
                f"event {values['title']!r} 'until' {_fmt(until)} is before its 'at' "
                f"{_fmt(values['at'])}; a span ends after it starts",
            )
            return None
        return Event(**{**values, "until": until})

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
            node, self.outcome, lambda v: Outcome(**v), what=what, item="outcome", positioned=True
        )


def _fmt(t: float) -> str:
    return format_timecode(t, decimals=3 if t % 1 else 0)
