"""AWS CloudWatch answers, as the AWS CLI prints them → series.

``aws cloudwatch get-metric-data`` prints ``{"MetricDataResults": [{"Id", "Label",
"Timestamps", "Values", "StatusCode", "Messages"}], "Messages": [...], "NextToken": …}``:
timestamps ISO-8601, newest first by default (``ScanBy: TimestampDescending``). A query
answered in pages (``NextToken``; the CLI's own paging repeats an ``Id`` in one file) is
merged by ``Id``. ``aws cloudwatch get-metric-statistics`` prints ``{"Label",
"Datapoints": [{"Timestamp", "Average", "Maximum", …, "ExtendedStatistics": {"p99": …},
"Unit"}]}`` in no particular order: one series per statistic, merged by label and
statistic across files (adjacent time ranges).

Newest-first and unordered answers are how CloudWatch answers, so they are sorted without
a word; what is not (a page in no order, a time repeated) gets a positioned warning. A
period without a data point is a gap, as a missing step is for Prometheus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..loader.time_order import check_order
from .cloudwatch_stats import parse_timestamp, pick_statistics, statistic_pages
from .common import (
    ImportedSeries,
    ImportInputError,
    implied_step,
    mark_missing_steps,
    scaled,
    slug,
)

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = ["merge_pages", "series_from_cloudwatch"]

_FAILED = ("InternalError", "Forbidden")


@dataclass
class _Page:
    """One page of one result (or of one statistic): where it is and its samples."""

    doc: JsonSource
    where: tuple  # JSON path of the result (data) or of Datapoints (statistics)
    times: np.ndarray  # epoch seconds, in the page's order
    values: np.ndarray
    rows: list[int] = field(default_factory=list)  # JSON index of each sample (statistics)

    def path_of(self, index: int) -> tuple:
        if self.rows:
            return (*self.where, self.rows[index], "Timestamp")
        return (*self.where, "Timestamps", index)


@dataclass
class _Result:
    """All pages of one result Id (or one label and statistic)."""

    label: str
    pages: list[_Page] = field(default_factory=list)
    partial: tuple[JsonSource, tuple] | None = None  # the last PartialData status seen
    complete: bool = False
    unit: str = ""


def series_from_cloudwatch(
    docs: list[JsonSource], *, unit: str | None = None, scale: float = 1.0,
    statistics: list[str] | None = None, fallback_group: str = "",
) -> list[ImportedSeries]:  # fmt: skip
    """The series of GetMetricData and GetMetricStatistics answers (pages of one query):
    results merged by Id (statistics by label and statistic); two or more GetMetricData
    results are one group, named after what their labels share (else ``fallback_group``).
    ``unit`` (when given) replaces CloudWatch's."""
    data: dict[str, _Result] = {}
    stats: dict[tuple[str, str], _Result] = {}
    notes: list[str] = []
    for doc in docs:
        if isinstance(doc.data, dict) and "MetricDataResults" in doc.data:
            _read_data(doc, data, notes)
        elif isinstance(doc.data, dict) and "Datapoints" in doc.data:
            for page in statistic_pages(doc):
                result = stats.setdefault(
                    (page.label, page.name), _Result(f"{page.label} {page.name}".strip())
                )
                result.unit, result.complete = page.unit, True
                result.pages.append(_Page(doc, ("Datapoints",), page.times, page.values, page.rows))
        else:
            raise ImportInputError(
                "expected 'MetricDataResults' (an AWS CloudWatch GetMetricData answer) or "
                "'Datapoints' (a GetMetricStatistics answer)",
                doc.where(()),
            )
    if not data and not stats:
        doc = next((d for d in docs if "MetricDataResults" in d.data), docs[0])
        raise doc.error(
            ("MetricDataResults",) if "MetricDataResults" in doc.data else ("Datapoints",),
            "no results: the answer holds no metrics (were MetricDataQueries empty, or all "
            "ReturnData false?)"
            if "MetricDataResults" in doc.data
            else "no datapoints: widen the time range (--start-time/--end-time), or check the "
            "namespace, metric name and dimensions",
        )
    if statistics:
        stats = pick_statistics(stats, statistics, docs)
    data_series = _built(data, notes, "result")
    _name_group(data_series, fallback_group)
    stat_series = _built(stats, notes, "statistic")
    series = data_series + stat_series
    if not series:
        raise ImportInputError(
            "no data points in any result: widen the time range (--start-time/--end-time), "
            "or check the namespace, metric name and dimensions",
            docs[0].where(()),
        )
    for item in series:
        item.values = scaled(item.values, scale)
        if unit is not None:
            item.unit = unit
    series[0].warnings[:0] = notes
    return series


def _read_data(doc: JsonSource, results: dict[str, _Result], notes: list[str]) -> None:
    items = doc.data["MetricDataResults"]
    if not isinstance(items, list):
        raise doc.error(("MetricDataResults",), "expected a list of results")
    for message in _messages(doc, doc.data.get("Messages"), ("Messages",)):
        notes.append(doc.warning(("Messages",), f"CloudWatch says {message}"))
    for index, item in enumerate(items):
        where = ("MetricDataResults", index)
        if not isinstance(item, dict):
            raise doc.error(where, "expected a result object with 'Id', 'Timestamps', 'Values'")
        key = item.get("Id") or item.get("Label")
        if not isinstance(key, str) or not key:
            raise doc.error(where, "expected the result's 'Id' (or 'Label')")
        label = item.get("Label") if isinstance(item.get("Label"), str) else ""
        result = results.setdefault(key, _Result(label or ""))
        _check_status(doc, item, where, key, result)
        times = _timestamps(doc, item.get("Timestamps"), (*where, "Timestamps"))
        values = _values(doc, item.get("Values"), (*where, "Values"), len(times))
        result.pages.append(_Page(doc, where, times, values))


def _check_status(doc: JsonSource, item: dict, where: tuple, key: str, result: _Result) -> None:
    status = item.get("StatusCode", "Complete")
    name = f"result {key!r}" + (f" ({item['Label']})" if item.get("Label") else "")
    if status in _FAILED:
        said = "; ".join(_messages(doc, item.get("Messages"), (*where, "Messages")))
        advice = (
            "check the IAM permissions (cloudwatch:GetMetricData) and the account"
            if status == "Forbidden"
            else "retry the request (with its NextToken, if it had one)"
        )
        raise doc.error(
            (*where, "StatusCode"),
            f"CloudWatch answered {status} for {name}: {said or 'no Messages'}; {advice}",
        )
    if status == "PartialData":
        result.partial = (doc, (*where, "StatusCode"))
    elif status == "Complete":
        result.complete = True
    else:
        raise doc.error(
            (*where, "StatusCode"),
            f"StatusCode {status!r} is not one of Complete, PartialData, InternalError, Forbidden",
        )


def _messages(doc: JsonSource, items: object, where: tuple) -> list[str]:
    """``[{"Code": …, "Value": …}]`` → ``["Code: Value", …]``."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise doc.error(where, "expected a list of {Code, Value} messages")
    found = []
    for item in items:
        if isinstance(item, dict):
            code, value = item.get("Code") or "", item.get("Value") or ""
            found.append(f"{code}: {value}" if code and value else str(code or value))
    return [text for text in found if text]


def _timestamps(doc: JsonSource, items: object, where: tuple) -> np.ndarray:
    if not isinstance(items, list):
        raise doc.error(where, "expected a list of timestamps")
    return np.array(
        [parse_timestamp(doc, text, (*where, i)) for i, text in enumerate(items)], dtype=np.float64
    )


def _values(doc: JsonSource, items: object, where: tuple, count: int) -> np.ndarray:
    if not isinstance(items, list):
        raise doc.error(where, "expected a list of numbers")
    if len(items) != count:
        raise doc.error(where, f"{len(items)} values for {count} timestamps; they must pair up")
    for index, value in enumerate(items):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise doc.error((*where, index), f"value {value!r} is not a number")
    return np.array([np.nan if v is None else v for v in items], dtype=np.float64)


def _built(results: dict, notes: list[str], what: str) -> list[ImportedSeries]:
    """One series per result with samples (pages merged); notes about the rest."""
    series = []
    for key, result in results.items():
        name = key if isinstance(key, str) else " ".join(key)
        if result.partial and not result.complete:
            doc, where = result.partial
            notes.append(
                doc.warning(
                    where,
                    f"{what} {name!r} is PartialData: CloudWatch returned part of the range; "
                    "fetch the rest with the answer's NextToken and import all pages together",
                )
            )
        times, values, warnings = merge_pages(result.pages)
        if not len(times):
            page = result.pages[-1]
            notes.append(page.doc.warning(page.where, f"{what} {name!r} has no data points"))
            continue
        item = ImportedSeries(result.label, times, values, unit=result.unit, source=name)
        item.id = slug(name if isinstance(key, str) else "_".join(key))
        item.warnings = warnings
        series.append(item)
    step = implied_step([s.times for s in series])
    for item in series:
        item.times, item.values = mark_missing_steps(item.times, item.values, step)
    return series


def merge_pages(pages: list[_Page]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The pages' samples in time order (stably), and positioned warnings for a page in
    no order, a time repeated in a page, and pages that overlap. Oldest or newest first is
    CloudWatch's order (and no order at all GetMetricStatistics'): sorted without a word."""
    warnings, orders = [], []
    for page in pages:
        order = _page_order(page, warnings)
        ordered = check_order(page.times[order])
        for first, message in ordered.messages("sample", "samples"):  # repeats only now
            warnings.append(page.doc.warning(page.path_of(int(order[first])), message))
        orders.append(order)
    times = np.concatenate([p.times[o] for p, o in zip(pages, orders, strict=True)])
    values = np.concatenate([p.values[o] for p, o in zip(pages, orders, strict=True)])
    page_of = np.concatenate([np.full(len(o), n) for n, o in enumerate(orders)])
    row_of = np.concatenate(orders)
    permutation = np.argsort(times, kind="stable")
    times, values = times[permutation], values[permutation]
    page_of, row_of = page_of[permutation], row_of[permutation]
    across = (times[1:] == times[:-1]) & (page_of[1:] != page_of[:-1])
    if across.any():
        at, count = int(np.argmax(across)) + 1, int(across.sum())
        page = pages[int(page_of[at])]
        warnings.append(
            page.doc.warning(
                page.path_of(int(row_of[at])),
                f"{count} sample{'s repeat' if count > 1 else ' repeats'} the time of a sample "
                "in another page (the pages overlap); kept in the order the pages were given",
            )
        )
    return times, values, warnings


def _page_order(page: _Page, warnings: list[str]) -> np.ndarray:
    """The order that sorts a page by time: as it is, reversed (newest first), or sorted
    (with a warning, except for GetMetricStatistics, whose datapoints come in no order)."""
    steps = np.diff(page.times)
    if (steps >= 0).all():
        return np.arange(len(page.times))
    if (steps <= 0).all():
        return np.arange(len(page.times))[::-1]
    if not page.rows:
        first = int(np.argmax(steps < 0)) + 1
        text = "timestamps in no order (neither oldest nor newest first); sorted by time"
        warnings.append(page.doc.warning(page.path_of(first), text))
    return np.argsort(page.times, kind="stable")


def _name_group(series: list[ImportedSeries], fallback: str) -> None:
    """Two or more results of one call are one group, named after the words their labels
    share (else ``fallback``), each member labelled by the words that differ (else its
    Id); one result is labelled by its Label (else its Id). ``source`` (the Id) becomes
    what the report shows: the Label and the Id."""
    words = [s.label.split() for s in series]
    head = _common_prefix(words) if len(series) > 1 else 0
    tail = _common_prefix([w[head:][::-1] for w in words]) if len(series) > 1 else 0
    shared = words[0][:head] + words[0][len(words[0]) - tail :] if words else []
    for item, these in zip(series, words, strict=True):
        key, full = item.source, item.label
        item.source = f"{full} (Id {key})" if full else f"Id {key}"
        if len(series) < 2:
            item.label = full or key
            continue
        item.label = " ".join(these[head : len(these) - tail]) or key
        item.group = " ".join(shared) or fallback or "cloudwatch"


def _common_prefix(lists: list[list[str]]) -> int:
    count = 0
    for column in zip(*lists, strict=False):
        if len(set(column)) != 1:
            break
        count += 1
    return count
