"""OTLP streams (:mod:`.otlp`) → series, the way an SRE reads them: gauges as they are,
monotonic sums as per-second rates, histograms as quantiles (p50, p90, p99) computed from
their buckets, summaries' quantiles as they are; units from UCUM to what people write.

A metric with several streams (attribute sets) is one group named after it (a histogram's
or summary's: one group per quantile, ``http.server.duration p99``, so that a group's
members are comparable), each member labelled by the attributes that differ between them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from .common import ImportedSeries, highest_peaks, mark_missing_steps, slug
from .otlp import CUMULATIVE, DELTA
from .otlp_maths import bucket_quantiles, cumulative_rates, delta_rates, interval_counts
from .prometheus import default_label, varying_keys

if TYPE_CHECKING:
    from .otlp import Metric, Stream

__all__ = ["DEFAULT_QUANTILES", "rate_unit", "readable_unit", "series_from_metrics"]

DEFAULT_QUANTILES = (50.0, 90.0, 99.0)  # percent
_UNITS = {
    "1": "", "us": "\N{MICRO SIGN}s", "By": "B", "kBy": "kB", "KBy": "kB", "MBy": "MB", "GBy": "GB",
    "TBy": "TB", "KiBy": "KiB", "MiBy": "MiB", "GiBy": "GiB", "TiBy": "TiB", "Cel": "°C",
    "kbit": "kbit", "Mbit": "Mbit", "Gbit": "Gbit",
}  # fmt: skip
_QUANTILE_NAMES = {0.0: "min", 1.0: "max"}
_ANNOTATION = re.compile(r"\{([^}]*)\}")

# One output of a stream: (suffix of the metric's name, times, values, source, unit).
Output = tuple[str, np.ndarray, np.ndarray, str, str]


def readable_unit(ucum: str) -> str:
    """UCUM as sent (``By``, ``ms``, ``1``, ``{request}``, ``By/s``, ``1/s``) → what people
    write (``B``, ``ms``, nothing, ``request``, ``B/s``, ``/s``)."""
    parts = []
    for part in ucum.strip().split("/"):
        if _ANNOTATION.fullmatch(part):  # {requests}: a count of what is named
            parts.append(part[1:-1])
        else:
            part = _ANNOTATION.sub("", part)
            parts.append(_UNITS.get(part, part))
    return "/".join(parts)


def rate_unit(unit: str) -> str:
    """The unit of a per-second rate of a quantity in ``unit`` (readable): ``B/s``, ``/s``."""
    return f"{unit}/s"


def series_from_metrics(
    metrics: list[Metric],
    *,
    as_is: bool = False,
    quantiles: tuple[float, ...] = DEFAULT_QUANTILES,
    top: int | None = None,
) -> tuple[list[ImportedSeries], list[str]]:
    """The series of every metric and the warnings (positioned) about what could not
    become one. ``as_is`` keeps sums' values and computes histogram quantiles from each
    point's own counts; ``quantiles`` are percents; ``top`` keeps, per group, the members
    with the highest peaks."""
    series, warnings = [], []
    for metric in metrics:
        families: dict[str, list[ImportedSeries]] = {}
        stream_of: dict[int, Stream] = {}
        varying = set(varying_keys([stream.labels for stream in metric.streams.values()]))
        for stream in metric.streams.values():
            shown = {k: v for k, v in stream.labels.items() if k in varying or k in stream.own}
            full = default_label({"__name__": metric.name, **shown})
            for output in _stream_outputs(metric, stream, full, (as_is, quantiles), warnings):
                item = _member(output, stream)
                families.setdefault(output[0], []).append(item)
                stream_of[id(item)] = stream
        for suffix, members in families.items():
            if top is not None and len(members) > top:
                members = [members[i] for i in highest_peaks(members, top)]
            labels = [stream_of[id(item)].labels for item in members]
            _name_family(metric.name, suffix, members, labels)
            series += members
    return series, warnings


def _member(output: Output, stream: Stream) -> ImportedSeries:
    _, times, values, source, unit = output
    times, values = mark_missing_steps(times, values, _interval(np.asarray(stream.times)))
    return ImportedSeries("", times, values, unit=unit, source=source)


def _name_family(name: str, suffix: str, members: list[ImportedSeries], labels: list[dict]):
    """Labels, ids and the group of one metric's (or one of its quantiles') series."""
    family = f"{name} {suffix}".strip()
    if len(members) == 1:
        members[0].label, members[0].id = family, slug(family)
        return
    varying = varying_keys(labels)
    short = f"{name.rsplit('.', 1)[-1]} {suffix}"  # when the whole name leaves no room
    for item, attrs in zip(members, labels, strict=True):
        parts = [(key, attrs[key]) for key in varying if attrs.get(key)]
        item.label = ", ".join(f"{key}={value}" for key, value in parts) or family
        item.group = family
        tail = "_".join(slug(value) for _, value in parts)
        item.id = slug(f"{family if len(family) + len(tail) < 40 else short}_{tail}")


def _interval(times: np.ndarray) -> float:
    """The stream's reporting interval: the median time between points (an exporter's
    interval jitters, and a last flush may come early, so not the smallest)."""
    steps = np.diff(np.unique(times))
    return float(np.median(steps)) if len(steps) else 0.0


def _ordered(stream: Stream, warnings: list[str]) -> tuple[np.ndarray, np.ndarray, list]:
    """The stream's times, start times and point indices in time order (JSON lines are in
    no particular order). A time sent twice keeps its last point in file order, with a
    warning if the points differ (the same point exported twice is no news)."""
    times = np.asarray(stream.times, dtype=np.float64)
    order = np.argsort(times, kind="stable")
    times = times[order]
    last = np.append(times[1:] != times[:-1], True)
    dropped = [int(order[i]) for i in np.flatnonzero(~last)]
    if dropped:
        kept = [int(order[np.searchsorted(times, stream.times[i], side="right") - 1])
                for i in dropped]  # fmt: skip
        differ = sum(repr(stream.values[a]) != repr(stream.values[b])
                     for a, b in zip(dropped, kept, strict=True))  # fmt: skip
        if differ:
            warnings.append(stream.doc.warning(stream.where, (
                f"{differ} point{'s' if differ > 1 else ''} of this stream "
                f"{'repeat' if differ > 1 else 'repeats'} the time of another with a different "
                "value; kept the last in file order"
            )))  # fmt: skip
    order = order[last]
    starts = np.asarray(stream.starts, dtype=np.float64)[order]
    return times[last], starts, [int(i) for i in order]


def _stream_outputs(metric, stream, full, options, warnings) -> list[Output]:
    """The series of one stream: ``full`` is how the report names it (Prometheus-style:
    the name and the attributes that tell it apart), ``options`` ``(as_is, quantiles)``."""
    as_is, quantiles = options
    times, starts, order = _ordered(stream, warnings)
    unit = readable_unit(metric.unit)
    if metric.kind == "histogram":
        ordered = (times, starts, order)
        outputs = _histogram_outputs(metric, stream, ordered, full, as_is, quantiles)
        if not outputs:
            warnings.append(stream.doc.warning(stream.where, (
                f"{full}: one point, and a cumulative histogram's intervals need two; "
                "skipped (--as-is reads its counts since its start)"
            )))  # fmt: skip
        return outputs
    if metric.kind == "summary":
        return _summary_outputs(stream, times, order, full, unit)
    values = np.asarray(stream.values, dtype=np.float64)[order]
    if metric.kind == "gauge" or not metric.monotonic or as_is:
        return [("", times, values, full, unit)]
    _need_temporality(metric, "a sum becomes a rate")
    if metric.temporality == DELTA:
        return [("", times, delta_rates(times, starts, values), f"rate({full})", rate_unit(unit))]
    rate_times, rates = cumulative_rates(times, starts, values)
    if not len(rate_times):
        warnings.append(stream.doc.warning(stream.where, (
            f"{full}: one point, and a rate needs two; skipped (--as-is keeps the value)"
        )))  # fmt: skip
        return []
    return [("", rate_times, rates, f"rate({full})", rate_unit(unit))]


def _need_temporality(metric: Metric, why: str) -> None:
    if metric.temporality not in (DELTA, CUMULATIVE):
        raise metric.doc.error(
            metric.where,
            f"{metric.name}: no aggregationTemporality (1, DELTA, or 2, CUMULATIVE), and {why} "
            "only knowing it; --as-is reads the values as they are",
        )


def _runs(bounds: list[tuple]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of points with the same bucket bounds."""
    edges = [0] + [i for i in range(1, len(bounds)) if bounds[i] != bounds[i - 1]]
    return list(zip(edges, [*edges[1:], len(bounds)], strict=True))


def _histogram_outputs(metric, stream, ordered, full, as_is, quantiles) -> list[Output]:
    times, starts, order = ordered
    cumulative = not as_is and metric.temporality == CUMULATIVE
    if not as_is:
        _need_temporality(metric, "its buckets become quantiles")
    bounds = [stream.bounds[i] for i in order]
    rows = [stream.values[i] for i in order]
    kept_times, columns = [], {q: [] for q in quantiles}
    for begin, end in _runs(bounds):
        run_bounds, width = np.asarray(bounds[begin], dtype=np.float64), len(bounds[begin]) + 1
        counts = np.array(
            [row if row is not None else [np.nan] * width for row in rows[begin:end]],
            dtype=np.float64,
        ).reshape(end - begin, width)
        index = np.arange(end - begin)
        if cumulative:  # the counts of each interval; a change of bounds starts afresh
            index, window = interval_counts(starts[begin:end], counts)
            if begin:
                index, window = np.append(0, index), np.vstack([counts[:1], window])
            counts = window
        kept_times.append(times[begin:end][index])
        for q in quantiles:
            columns[q].append(bucket_quantiles(counts, run_bounds, q / 100))
    unit, at = readable_unit(metric.unit), np.concatenate(kept_times)
    if not len(at):
        return []
    return [
        (f"p{q:g}", at, np.concatenate(columns[q]),
         f"histogram_quantile({q / 100:g}, {full})", unit)
        for q in quantiles
    ]  # fmt: skip


def _summary_outputs(stream, times, order, full, unit) -> list[Output]:
    points = [stream.values[i] for i in order]
    outputs = []
    for q in sorted({q for point in points for q in point}):
        values = np.array([point.get(q, np.nan) for point in points], dtype=np.float64)
        name = _QUANTILE_NAMES.get(q, f"p{q * 100:g}")
        outputs.append((name, times, values, f"{full} quantile {q:g}", unit))
    return outputs
