"""OTLP/JSON metrics (an ``ExportMetricsServiceRequest`` as an OpenTelemetry SDK posts it
to ``/v1/metrics``, or one per line as a Collector's ``file`` exporter writes them) → the
points of each metric, stream by stream.

The shape is the OTLP JSON encoding of ``metrics.proto``: ``resourceMetrics[]`` (older
senders: ``instrumentationLibraryMetrics`` for ``scopeMetrics``) → ``scopeMetrics[]`` →
``metrics[]``, each metric a ``gauge``, ``sum``, ``histogram`` or ``exponentialHistogram``
(made explicit buckets: :mod:`.otlp_exponential`; ``summary`` quantiles are read as they
are) with ``dataPoints[]``. 64-bit integers (``timeUnixNano``, ``asInt``,
``bucketCounts``) are strings of digits or numbers; fields at their default value (0, false,
empty) may be left out, as proto3's JSON mapping allows. A stream is one metric's points
with one set of attributes: the resource's (``service.name``…), the scope's name (as
``otel.scope.name``) and the point's. :mod:`.otlp_series` turns the streams into series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from itertools import pairwise
from typing import TYPE_CHECKING

from .common import ImportInputError
from .otlp_exponential import (
    MAX_SCALE,
    MIN_SCALE,
    ExponentialPoint,
    out_of_range,
    to_explicit_buckets,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .json_source import JsonSource

__all__ = ["CUMULATIVE", "DELTA", "Export", "Metric", "Stream", "read_metrics"]

READ = ("gauge", "sum", "histogram", "exponentialHistogram", "summary")
DELTA, CUMULATIVE = 1, 2
_TEMPORALITY_NAMES = {
    "AGGREGATION_TEMPORALITY_UNSPECIFIED": 0,
    "AGGREGATION_TEMPORALITY_DELTA": DELTA,
    "AGGREGATION_TEMPORALITY_CUMULATIVE": CUMULATIVE,
}
_NO_RECORDED_VALUE = 1  # DataPointFlags: the point is a gap


@dataclass
class Stream:
    """One metric's points with one set of attributes, in file order. ``values`` are
    floats (gauges, sums), lists of bucket counts (histograms, ``None`` for a point without
    a value) or ``{quantile: value}`` (summaries); ``bounds`` each histogram point's
    explicit bounds."""

    labels: dict[str, str]
    doc: JsonSource
    where: tuple  # its first point, for warnings
    own: tuple[str, ...] = ()  # the names of the point's own attributes (not the resource's)
    times: list[float] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    values: list = field(default_factory=list)
    bounds: list[tuple[float, ...]] = field(default_factory=list)


@dataclass
class Metric:
    name: str
    kind: str  # one of READ
    unit: str  # UCUM, as sent
    doc: JsonSource
    where: tuple  # the metric's kind object (``…metrics[3].sum``), for errors
    temporality: int = 0
    monotonic: bool = False
    streams: dict[tuple, Stream] = field(default_factory=dict)


@dataclass
class Export:
    """What the requests hold: the metrics read, warnings (positioned) about those that
    cannot be, and every metric name seen (also those not asked for)."""

    metrics: list[Metric]
    warnings: list[str]
    names: set[str]
    skipped: set[tuple[str, str | None]] = field(default_factory=set)


def read_metrics(docs: Iterable[JsonSource], *, names: list[str] | None = None) -> Export:
    """Every gauge, sum, histogram and summary of the requests in ``docs`` (only those named
    by ``names``, shell-style patterns, when given), each metric's points gathered across
    requests by name and type, and a positioned warning per metric of a type not read."""
    found = Export([], [], set())
    metrics: dict[tuple[str, str], Metric] = {}
    for doc in docs:
        for labels, where, item in _metric_objects(doc):
            _add_metric(doc, item, where, labels, metrics, found, names)
    for metric in metrics.values():
        if metric.kind == "exponentialHistogram":
            metric.kind = "histogram"  # its points are explicit buckets from here on
            warning = to_explicit_buckets(metric.name, metric.streams.values())
            if warning:
                found.warnings.append(metric.doc.warning(metric.where, warning))
    found.metrics = list(metrics.values())
    return found


def _shape_error(doc: JsonSource) -> ImportInputError:
    data = doc.data
    message = "expected 'resourceMetrics' (an OTLP/JSON metrics export)"
    for key, signal in (("resourceSpans", "traces"), ("resourceLogs", "logs")):
        if isinstance(data, dict) and key in data:
            message += f"; this is an OTLP {signal} export ('{key}')"
    return ImportInputError(message, doc.where(()))


def _items(doc: JsonSource, holder: object, key: str, where: tuple) -> list:
    """``holder[key]``, a list (missing: empty, as proto3 JSON leaves out empty lists)."""
    if not isinstance(holder, dict):
        raise doc.error(where, f"expected an object with '{key}'")
    items = holder.get(key, [])
    if not isinstance(items, list):
        raise doc.error((*where, key), "expected a list")
    return items


def _metric_objects(doc: JsonSource):
    """``(labels of the resource and scope, path, metric)`` for each metric of a request."""
    data = doc.data
    if not isinstance(data, dict) or "resourceMetrics" not in data:
        raise _shape_error(doc)
    for r, resource in enumerate(_items(doc, data, "resourceMetrics", ())):
        where = ("resourceMetrics", r)
        if not isinstance(resource, dict):
            raise doc.error(where, "expected an object with 'resource' and 'scopeMetrics'")
        labels = attributes(doc, resource.get("resource", {}), (*where, "resource"))
        key = "scopeMetrics"
        if key not in resource and "instrumentationLibraryMetrics" in resource:
            key = "instrumentationLibraryMetrics"
        for s, scope in enumerate(_items(doc, resource, key, where)):
            at = (*where, key, s)
            items = _items(doc, scope, "metrics", at)
            scoped = dict(labels)
            info = scope.get("scope") or scope.get("instrumentationLibrary")
            if isinstance(info, dict) and isinstance(info.get("name"), str) and info["name"]:
                scoped["otel.scope.name"] = info["name"]
            for m, item in enumerate(items):
                yield scoped, (*at, "metrics", m), item


def _add_metric(doc, item, where, labels, metrics, found: Export, names) -> None:
    if not isinstance(item, dict):
        raise doc.error(where, "expected a metric (an object with 'name' and its data)")
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise doc.error(where, "expected the metric's 'name'")
    found.names.add(name)
    if names is not None and not any(fnmatchcase(name, pattern) for pattern in names):
        return
    kind = next((k for k in READ if k in item), None)
    if kind is None:
        if (name, None) not in found.skipped:  # once, not once per request
            found.skipped.add((name, None))
            what = "no gauge, sum, histogram or summary"
            found.warnings.append(doc.warning(where, f"{name}: {what}; skipped"))
        return
    body, at = item[kind], (*where, kind)
    if not isinstance(body, dict):
        raise doc.error(at, "expected an object with 'dataPoints'")
    metric = metrics.get((name, kind))
    if metric is None:
        unit = item.get("unit", "")
        metric = Metric(name, kind, unit if isinstance(unit, str) else "", doc, at)
        metric.temporality = _temporality(doc, body, at)
        metric.monotonic = body.get("isMonotonic") is True
        metrics[(name, kind)] = metric
    read_point = _POINT_READERS[kind]
    for p, point in enumerate(_items(doc, body, "dataPoints", at)):
        point_at = (*at, "dataPoints", p)
        if not isinstance(point, dict):
            raise doc.error(point_at, "expected a data point (an object with 'timeUnixNano')")
        own = attributes(doc, point, point_at)
        point_labels = {**labels, **own}
        key = tuple(sorted(point_labels.items()))
        stream = metric.streams.get(key)
        if stream is None:
            stream = metric.streams[key] = Stream(point_labels, doc, point_at, tuple(own))
        stream.times.append(nanos(doc, point, "timeUnixNano", point_at, required=True))
        stream.starts.append(nanos(doc, point, "startTimeUnixNano", point_at))
        gap = _flags(doc, point, point_at) & _NO_RECORDED_VALUE
        read_point(doc, point, point_at, stream, gap)


def _temporality(doc: JsonSource, body: dict, at: tuple) -> int:
    raw = body.get("aggregationTemporality", 0)
    value = _TEMPORALITY_NAMES.get(raw, raw) if isinstance(raw, str) else raw
    if type(value) is not int or value not in (0, DELTA, CUMULATIVE):
        raise doc.error(
            (*at, "aggregationTemporality"),
            f"aggregationTemporality {raw!r}: expected 1 (DELTA) or 2 (CUMULATIVE)",
        )
    return value


def _flags(doc: JsonSource, point: dict, at: tuple) -> int:
    flags = point.get("flags", 0)
    if type(flags) is not int:
        raise doc.error((*at, "flags"), f"flags {flags!r}: expected an integer")
    return flags


def _digits(raw: object) -> bool:
    return type(raw) is str and raw.isascii() and raw.isdigit()


def nanos(doc: JsonSource, point: dict, key: str, at: tuple, *, required: bool = False) -> float:
    """``"1717400000000000000"`` (or the number) at ``point[key]`` → epoch seconds; 0 when
    left out (a start time) or an error naming what was expected (the point's time)."""
    raw = point.get(key, 0)
    if type(raw) is float and raw.is_integer() and abs(raw) < 2**64:
        raw = int(raw)
    value = int(raw) if type(raw) is int or (_digits(raw) and len(raw) <= 20) else -1
    if not 0 <= value < 2**64:  # a fixed64: up to the year 2554
        raise doc.error(
            (*at, key),
            f"{key} {raw!r}: expected nanoseconds since 1970 as a string of digits, "
            'e.g. "1717400000000000000" (64 bits: before 2554)',
        )
    if required and value <= 0:
        raise doc.error(at, f"no {key}: every data point needs its time")
    return value / 1e9


def _double(raw: object) -> float | None:
    """A proto3 JSON double: a number, ``"NaN"``/``"Infinity"``/``"-Infinity"`` or a number
    in a string; ``None`` if it is none of these. Non-finite values are NaN (gaps)."""
    if type(raw) is float or type(raw) is int:
        value = float(raw)
    elif type(raw) is str:
        try:
            value = float(raw)
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else math.nan


def _number_point(doc: JsonSource, point: dict, at: tuple, stream: Stream, gap: int) -> None:
    value = math.nan
    if "asDouble" in point:
        value = _double(point["asDouble"])
        if value is None:
            raise doc.error((*at, "asDouble"), f"asDouble {point['asDouble']!r} is not a number")
    elif "asInt" in point:
        raw = point["asInt"]
        if type(raw) is int or _digits(raw.removeprefix("-") if type(raw) is str else None):
            value = float(int(raw))
        else:
            raise doc.error(
                (*at, "asInt"), f'asInt {raw!r}: expected an integer as a string, e.g. "42"'
            )
    stream.values.append(math.nan if gap else value)


def _histogram_point(doc: JsonSource, point: dict, at: tuple, stream: Stream, gap: int) -> None:
    counts = _items(doc, point, "bucketCounts", at)
    bounds = tuple(_items(doc, point, "explicitBounds", at))
    if stream.bounds and bounds == stream.bounds[-1]:  # most points repeat their bounds
        bounds = stream.bounds[-1]
    else:
        _check_bounds(doc, bounds, at)
        bounds = tuple(float(b) for b in bounds)
    if counts and len(counts) != len(bounds) + 1:
        raise doc.error(
            (*at, "bucketCounts"),
            f"{len(counts)} bucket counts for {len(bounds)} explicitBounds: expected "
            f"{len(bounds) + 1} (one more, for the bucket above the highest bound)",
        )
    try:  # strings of digits, the JSON mapping's uint64: checked and converted in C
        row = tuple(map(int, counts)) if all(map(str.isdigit, counts)) else None
    except (TypeError, ValueError):
        row = None
    if row is None:
        row = _slow_counts(doc, counts, at)
    # Tuples of numbers: the garbage collector stops tracking them (many points, no cost).
    stream.values.append(None if gap or not counts else row)
    stream.bounds.append(bounds)


def _check_bounds(doc: JsonSource, bounds: tuple, at: tuple) -> None:
    for index, bound in enumerate(bounds):
        if type(bound) is not float and type(bound) is not int:
            raise doc.error((*at, "explicitBounds", index), "expected a number (a bucket's bound)")
    if any(later <= earlier for earlier, later in pairwise(bounds)):
        raise doc.error((*at, "explicitBounds"), "the bounds must increase")


def _slow_counts(doc: JsonSource, counts: list, at: tuple) -> tuple[int, ...]:
    """Counts that are not all strings of digits: numbers are fine too, anything else is an
    error at the first such count."""
    for index, count in enumerate(counts):
        if not (_digits(count) or (type(count) is int and count >= 0)):
            raise doc.error(
                (*at, "bucketCounts", index), 'expected counts as strings of digits, e.g. "12"'
            )
    return tuple(map(int, counts))


def _summary_point(doc: JsonSource, point: dict, at: tuple, stream: Stream, gap: int) -> None:
    quantiles = {}
    for index, item in enumerate(_items(doc, point, "quantileValues", at)):
        where = (*at, "quantileValues", index)
        if not isinstance(item, dict):
            raise doc.error(where, "expected {'quantile': …, 'value': …}")
        q, value = _double(item.get("quantile", 0)), _double(item.get("value", 0))
        if q is None or not 0 <= q <= 1:
            raise doc.error(where, "expected a 'quantile' from 0 to 1")
        if value is None:
            raise doc.error((*where, "value"), "expected a number")
        quantiles[q] = math.nan if gap else value
    stream.values.append(quantiles)


def _exponential_point(doc: JsonSource, point: dict, at: tuple, stream: Stream, gap: int) -> None:
    scale = point.get("scale", 0)
    if type(scale) is not int or not MIN_SCALE <= scale <= MAX_SCALE:
        raise doc.error((*at, "scale"), f"scale {scale!r}: expected an integer from "
                        f"{MIN_SCALE} to {MAX_SCALE}")  # fmt: skip
    buckets = {}
    for side in ("positive", "negative"):
        body = point.get(side, {})
        offset = body.get("offset", 0) if isinstance(body, dict) else None
        if type(offset) is not int:
            raise doc.error((*at, side), "expected {'offset': an integer, 'bucketCounts': […]}")
        buckets[side] = (offset, _slow_counts(doc, _items(doc, body, "bucketCounts", (*at, side)),
                                              (*at, side)))  # fmt: skip
    zero = point.get("zeroCount", 0)
    if not (_digits(zero) or (type(zero) is int and zero >= 0)):
        raise doc.error((*at, "zeroCount"), 'expected a count as a string of digits, e.g. "3"')
    negative = sum(buckets["negative"][1])
    offset, counts = buckets["positive"]
    beyond = out_of_range(scale, offset, counts)
    if beyond:
        raise doc.error((*at, "positive"), beyond)
    low = int(zero) + negative
    stream.values.append(None if gap else ExponentialPoint(scale, offset, counts, low, negative))
    stream.bounds.append(())


_POINT_READERS = {
    "gauge": _number_point,
    "sum": _number_point,
    "histogram": _histogram_point,
    "exponentialHistogram": _exponential_point,
    "summary": _summary_point,
}


def attributes(doc: JsonSource, holder: object, where: tuple) -> dict[str, str]:
    """``[{"key": "k", "value": {"stringValue": "v"}}, …]`` at ``holder["attributes"]`` →
    ``{"k": "v"}`` (every kind of value as text)."""
    result = {}
    for index, item in enumerate(_items(doc, holder, "attributes", where)):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise doc.error((*where, "attributes", index), "expected {'key': …, 'value': {…}}")
        result[item["key"]] = any_value_text(item.get("value", {}))
    return result


def any_value_text(value: object) -> str:
    """An ``AnyValue`` (``{"stringValue": "a"}``, ``{"intValue": "3"}``, arrays, maps…) as
    text: ``a``, ``3``, ``[a, b]``, ``{k=v}``."""
    if not isinstance(value, dict) or not value:
        return ""
    kind, inner = next(iter(value.items()))
    if kind == "boolValue":
        return "true" if inner else "false"
    if kind == "arrayValue" and isinstance(inner, dict):
        return "[" + ", ".join(any_value_text(v) for v in inner.get("values", [])) + "]"
    if kind == "kvlistValue" and isinstance(inner, dict):
        pairs = inner.get("values", [])
        return (
            "{"
            + ", ".join(
                f"{p.get('key', '')}={any_value_text(p.get('value'))}"
                for p in pairs
                if isinstance(p, dict)
            )
            + "}"
        )
    if kind == "doubleValue" and isinstance(inner, float | int):
        return f"{inner:g}"
    return str(inner)
