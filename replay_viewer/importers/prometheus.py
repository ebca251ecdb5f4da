"""Prometheus ``query_range`` responses (saved to a file or fetched live) → series.

A response is ``{"status": "success", "data": {"resultType": "matrix", "result": [...]}}``
with one result per series: ``{"metric": {labels}, "values": [[unix_s, "value"], ...]}``.
``"NaN"`` and ``±Inf`` values become gaps, and so does every missing step: a range query
returns samples on exact multiples of its step, so the smallest difference between sample
times is the step and a longer hole is a step without data.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

import numpy as np

from ..errors import UsageError
from .common import (
    ImportedSeries,
    first_bad_time,
    highest_peaks,
    implied_step,
    mark_missing_steps,
    scaled,
    slug,
    sorted_samples,
)

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = [
    "check_templates",
    "default_label",
    "label_from_template",
    "series_from_response",
    "template_parts",
    "varying_keys",
]


def series_from_response(
    doc: JsonSource,
    *,
    label: str | None = None,
    unit: str = "",
    scale: float = 1.0,
    fallback_label: str = "",
    step: float | None = None,
    top: int | None = None,
) -> list[ImportedSeries]:
    """The series of one response; ``step`` (seconds) when known, else implied by the data.

    A response with several results is one group named after the query (``fallback_label``:
    the query, or the saved file's name), each member labelled by the labels that tell the
    members apart (``pod=api-7``). ``top`` keeps the members with the highest peaks."""
    results = _matrix(doc)
    series, metrics = [], []
    for index, result in enumerate(results):
        where = ("data", "result", index)
        metric = _checked_result(doc, result, where)
        times, values, notes = _samples(doc, result["values"], (*where, "values"))
        item = ImportedSeries(
            "",
            times,
            scaled(values, scale),
            unit=unit,
            source=default_label(metric, fallback_label),
        )
        item.warnings = [doc.warning((*where, "values", row, 0), text) for row, text in notes]
        series.append(item)
        metrics.append(metric)
    if top is not None and len(series) > top:
        kept = highest_peaks(series, top)
        series, metrics = [series[i] for i in kept], [metrics[i] for i in kept]
    _name_members(series, metrics, doc, label, fallback_label)
    step = step or implied_step([s.times for s in series])
    for item in series:
        item.times, item.values = mark_missing_steps(item.times, item.values, step)
    return series


def _checked_result(doc: JsonSource, result: object, where: tuple) -> dict:
    """The result's labels, after checking it is a range query's series."""
    if not isinstance(result, dict):
        raise doc.error(where, "expected an object with 'metric' and 'values'")
    if "histograms" in result and "values" not in result:
        raise doc.error(where, "native histograms cannot be replayed; query a quantile")
    metric = result.get("metric", {})
    if not isinstance(metric, dict):
        raise doc.error((*where, "metric"), "expected an object of labels")
    if "values" not in result:
        raise doc.error(where, "no 'values': is this a range query (query_range) result?")
    return metric


def _name_members(
    series: list[ImportedSeries],
    metrics: list[dict],
    doc: JsonSource,
    template: str | None,
    query: str,
) -> None:
    """Labels, ids and the group: several results of one query are one group."""
    varying = varying_keys(metrics)
    grouped = len(series) > 1
    for index, (item, metric) in enumerate(zip(series, metrics, strict=True)):
        where = ("data", "result", index, "metric")
        parts = [f"{key}={metric[key]}" for key in varying if metric.get(key)]
        if template:
            item.label = label_from_template(template, metric, doc, where)
        elif grouped and parts:
            item.label = ", ".join(parts)
        else:
            item.label = default_label(metric, query, index, len(series))
        if grouped:
            item.group = query or "query"
    if not template:
        _ids_from_varying_labels(series, metrics, varying)


def varying_keys(metrics: list[dict]) -> list[str]:
    """The label names whose values differ between the results (what tells them apart)."""
    keys = sorted({k for m in metrics for k in m})
    return [k for k in keys if len({str(m.get(k, "")) for m in metrics}) > 1]


def _ids_from_varying_labels(
    series: list[ImportedSeries], metrics: list[dict], varying: list[str]
) -> None:
    """Short ids from what tells the series apart (``job="api"`` → ``api``), not from the
    whole label set they share; one series is named after its metric."""
    for item, metric in zip(series, metrics, strict=True):
        parts = [str(metric.get(k, "")) for k in varying if metric.get(k)]
        item.id = slug("_".join(parts) or str(metric.get("__name__", "")) or item.label)


def _matrix(doc: JsonSource) -> list:
    data = doc.data
    if not isinstance(data, dict) or "status" not in data:
        raise doc.error((), "expected a Prometheus API response (an object with 'status')")
    if data["status"] == "error":
        kind = data.get("errorType", "error")
        raise doc.error(("status",), f"Prometheus answered {kind}: {data.get('error', '')}")
    if data["status"] != "success":
        raise doc.error(("status",), f"status is {data['status']!r}, expected 'success'")
    body = data.get("data")
    if not isinstance(body, dict):
        raise doc.error(("data",) if "data" in data else (), "expected 'data' with the result")
    kind = body.get("resultType")
    if kind != "matrix":
        raise doc.error(
            ("data", "resultType") if "resultType" in body else ("data",),
            f"resultType is {kind!r}: only a range query's 'matrix' is a time series; "
            "save /api/v1/query_range, not /api/v1/query (instant vector or scalar)",
        )
    results = body.get("result")
    if not isinstance(results, list):
        raise doc.error(("data",), "expected 'result' to be a list of series")
    if not results:
        raise doc.error(("data", "result"), "the query returned no series")
    return results


def _samples(
    doc: JsonSource, pairs: object, where: tuple
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str]]]:
    """``[[unix_s, "v"], ...]`` → float arrays (non-finite → NaN) sorted by time, and what
    was out of order (``(first index, message)``), vectorised; on any problem, a slow pass
    finds the first bad pair for the message."""
    if not isinstance(pairs, list) or not pairs:
        raise doc.error(where, 'expected a non-empty list of [time, "value"] pairs')
    try:
        table = np.array(pairs, dtype=object)
        if table.ndim != 2 or table.shape[1] != 2:
            raise ValueError
        if any(isinstance(t, bool | str) for t in table[:, 0]):
            raise ValueError
        if any(not isinstance(v, str) for v in table[:, 1]):
            raise ValueError
        times = table[:, 0].astype(np.float64)
        with np.errstate(invalid="ignore"):
            values = table[:, 1].astype(np.float64)
    except (ValueError, TypeError):
        _find_bad_pair(doc, pairs, where)
        raise  # unreachable: _find_bad_pair raises
    problem = first_bad_time(times)
    if problem is not None:
        raise doc.error((*where, problem[0], 0), problem[1])
    values[~np.isfinite(values)] = np.nan
    return sorted_samples(times, values)


def _find_bad_pair(doc: JsonSource, pairs: list, where: tuple) -> None:
    for index, pair in enumerate(pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            raise doc.error((*where, index), 'expected a [time, "value"] pair')
        time, value = pair
        if isinstance(time, bool) or not isinstance(time, int | float):
            raise doc.error((*where, index, 0), f"time {time!r} is not a number (unix seconds)")
        if not isinstance(value, str):
            raise doc.error(
                (*where, index, 1), f'value {value!r} must be a string such as "0.25" or "NaN"'
            )
        try:
            float(value)
        except ValueError:
            raise doc.error((*where, index, 1), f"value {value!r} is not a number") from None
    raise doc.error(where, "unreadable samples")


def default_label(metric: dict, fallback: str = "", index: int = 0, count: int = 1) -> str:
    """How Prometheus shows a series: ``name{a="b", c="d"}``; for a result without labels
    (an aggregate) or without a name (an expression), ``fallback`` (the query or the file's
    name) stands for the name."""
    labels = ", ".join(f'{k}="{v}"' for k, v in sorted(metric.items()) if k != "__name__")
    # An expression's result has no name: the query (or file) names it instead.
    name = str(metric.get("__name__", "")) or fallback or "series"
    if labels:
        return f"{name}{{{labels}}}"
    return name if count == 1 or "__name__" in metric else f"{name} #{index + 1}"


def label_from_template(template: str, metric: dict, doc: JsonSource, where: tuple) -> str:
    """``'{job} p99'`` with the series' labels (``{__name__}`` is the metric name)."""
    parts = template_parts(template)
    missing = [name for _, name in parts if name is not None and name not in metric]
    if missing:
        have = ", ".join(sorted(metric)) or "none"
        raise doc.error(
            where,
            f"--label uses {{{missing[0]}}}, and this series has no such label "
            f"(its labels: {have})",
        )
    return "".join(text + ("" if name is None else str(metric[name])) for text, name in parts)


def check_templates(templates: list[str | None]) -> None:
    """Refuse, before reading anything, a ``--label`` that is not only plain ``{NAME}``s."""
    for template in templates:
        if template:
            template_parts(template)


def template_parts(template: str) -> list[tuple[str, str | None]]:
    """``'{job} p99'`` → ``[("", "job"), (" p99", None)]``: each piece of text and the label
    named after it, taken as written (``{host.name}`` is that tag). Anything but a plain
    ``{NAME}`` (a conversion, a format, no name) is a usage error."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise UsageError(f"--label {template!r}: {exc}") from None
    for _, name, spec, conversion in parsed:
        if name is not None and (spec or conversion or not name):
            shown = (
                f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            )
            raise UsageError(
                f"--label {template!r}: {shown} is not a plain {{NAME}} placeholder (a label's "
                "name, without !conversion or :format)"
            )
    return [(text, name) for text, name, _, _ in parsed]
