"""Prometheus histogram buckets (series with an ``le`` label) → one histogram.

A ``query_range`` of ``x_bucket`` (the raw counters) or of ``rate(x_bucket[1m])`` answers a
series per bucket (and per other label: ``handler``, ``instance``…), each cumulative in
``le``. They become one histogram, as ``sum by (le) (…)`` would make them: series of one
``le`` summed over the other labels (the report says which), the buckets sorted by their
bound, each bucket's own rate taken from the cumulative ones (a rate below the bucket
before it counts as that one, as ``histogram_quantile`` repairs it). Raw counters (results
that keep their ``__name__``, ``…_bucket``) become per-second rates first, each series on
its own (a counter reset starts it afresh); results of a function (no ``__name__``) are
taken as the rates they are. The bounds' unit comes from the metric's name (``_seconds``:
s) unless ``--unit`` gives one; the counts are per second (``/s``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..analysis.histograms import decumulate
from ..loader.histogram_files import parse_bound
from .common import ImportedHistogram, slug
from .otlp_maths import cumulative_rates
from .prometheus import _matrix, _samples, default_label, varying_keys

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = ["bucket_results", "histogram_from_response"]

_UNITS = {"seconds": "s", "milliseconds": "ms", "microseconds": "\N{MICRO SIGN}s", "bytes": "B"}


def bucket_results(doc: JsonSource) -> bool:
    """Whether the answer's series are histogram buckets (every one has an ``le``)."""
    results = _matrix(doc)
    for index, result in enumerate(results):
        if isinstance(result, dict) and not isinstance(result.get("metric", {}), dict):
            raise doc.error(("data", "result", index, "metric"), "expected an object of labels")
    with_le = [isinstance(r, dict) and "le" in r.get("metric", {}) for r in results]
    if any(with_le) and not all(with_le):
        index = with_le.index(False)
        raise doc.error(
            ("data", "result", index, "metric"),
            "this series has no 'le' label, and others of the answer do: a histogram's "
            "buckets come alone; query the _bucket series (or one quantile) only",
        )
    return all(with_le)


def histogram_from_response(
    doc: JsonSource, *, label: str | None = None, unit: str | None = None, fallback_label: str = ""
) -> ImportedHistogram:
    """The histogram of an answer whose series are buckets (see the module)."""
    results = _matrix(doc)
    rows: dict[float, list[tuple[np.ndarray, np.ndarray]]] = {}
    metrics, warnings = [], []
    for index, result in enumerate(results):
        where = ("data", "result", index)
        metric = result.get("metric") or {}
        bound = parse_bound(str(metric.get("le", "")))
        if bound is None:
            raise doc.error((*where, "metric", "le"), f"le {metric.get('le')!r} is not a bound")
        times, values, notes = _samples(doc, result.get("values"), (*where, "values"))
        warnings += [doc.warning((*where, "values", row, 0), text) for row, text in notes]
        if str(metric.get("__name__", "")).endswith("_bucket"):  # a counter: its rate
            times, values = cumulative_rates(times, np.zeros(len(times)), values)
        rows.setdefault(bound, []).append((times, values))
        metrics.append({k: v for k, v in metric.items() if k != "le"})
    bounds = np.array(sorted(rows))
    times = np.unique(np.concatenate([t for parts in rows.values() for t, _ in parts]))
    cumulative = np.full((len(times), len(bounds)), np.nan)
    for column, bound in enumerate(bounds):
        for part_times, values in rows[float(bound)]:
            at = np.searchsorted(times, part_times)
            held = cumulative[at, column]
            cumulative[at, column] = np.where(np.isnan(held), values, held + np.nan_to_num(values))
    name = str(metrics[0].get("__name__", "")) if metrics else ""
    base = name.removesuffix("_bucket")
    summed = varying_keys(metrics)
    return ImportedHistogram(
        label or base or fallback_label or "histogram",
        times,
        bounds,
        decumulate(cumulative),
        unit=unit if unit is not None else _unit_of(base),
        count_unit="/s",
        source=_source(metrics, fallback_label, summed, len(results)),
        id=slug(base or label or fallback_label or "histogram"),
        warnings=warnings,
    )


def _unit_of(name: str) -> str:
    """``http_request_duration_seconds`` → ``s`` (Prometheus' base-unit suffixes)."""
    return _UNITS.get(name.rsplit("_", 1)[-1], "") if name else ""


def _source(metrics: list[dict], query: str, summed: list[str], count: int) -> str:
    """What the report names as the histogram's source: the query (or the buckets'
    metric) and, when series were summed, over which labels."""
    shown = query or default_label(metrics[0] if metrics else {}, "histogram")
    if not summed:
        return f"{shown} ({count} buckets)"
    return f"{shown}: {count} series summed by le over {', '.join(summed)}"
