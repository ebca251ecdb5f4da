"""Datadog ``/api/v1/query`` answers → series.

An answer is ``{"status": "ok", "query": "avg:…{…} by {pod}", "from_date": ms, "to_date":
ms, "series": [{"metric", "display_name", "expression", "scope", "tag_set": ["pod:api-7"],
"unit": [{"short_name": "ms", …}, null], "query_index": 0, "pointlist": [[ms, value|null],
…]}]}``. A ``null`` value is a gap, as is a missing step. One query's series are one group
named after the query, each member labelled by the tags that differ (``pod=api-7``).

The pointlist becomes numpy arrays in one call; only when that fails does a slow pass look
for the first bad point, to say where it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .common import (
    ImportedSeries,
    ImportInputError,
    first_bad_time,
    highest_peaks,
    implied_step,
    iso_utc,
    mark_missing_steps,
    scaled,
    slug,
    sorted_samples,
)
from .prometheus import label_from_template, varying_keys

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = ["series_from_datadog", "split_queries", "unit_text"]


def series_from_datadog(
    doc: JsonSource, *, label: str | None = None, unit: str | None = None,
    scale: float = 1.0, fallback_label: str = "", top: int | None = None,
) -> list[ImportedSeries]:  # fmt: skip
    """The series of one answer: one group per query (when it gave two or more series),
    named after it (``fallback_label``, the file's name, when the answer has no query);
    ``top`` keeps the series with the highest peaks; ``unit`` replaces Datadog's."""
    items = _series_list(doc)
    series, fields = [], []
    for index, item in enumerate(items):
        where = ("series", index)
        if not isinstance(item, dict):
            raise doc.error(where, "expected a series object with 'pointlist'")
        times, values, notes = _points(doc, item.get("pointlist"), (*where, "pointlist"))
        item["pointlist"] = None  # the lists of a million points go now, not at the end
        tags = _tags(doc, item, where)
        name = str(item.get("display_name") or item.get("metric") or item.get("expression") or "")
        series_unit = unit if unit is not None else unit_text(doc, item.get("unit"), where)
        entry = ImportedSeries(
            name, times, scaled(values, scale), unit=series_unit,
            source=str(item.get("expression") or name),
        )  # fmt: skip
        entry.warnings = [doc.warning((*where, "pointlist", row, 0), text) for row, text in notes]
        series.append(entry)
        fields.append((index, item, tags))
    if top is not None and len(series) > top:
        kept = highest_peaks(series, top)
        series, fields = [series[i] for i in kept], [fields[i] for i in kept]
    _name_groups(doc, series, fields, label, fallback_label)
    step = implied_step([s.times for s in series])
    for entry in series:
        entry.times, entry.values = mark_missing_steps(entry.times, entry.values, step)
    return series


def _series_list(doc: JsonSource) -> list:
    data = doc.data
    if isinstance(data, dict) and "errors" in data and "series" not in data:
        said = data["errors"]
        said = "; ".join(map(str, said)) if isinstance(said, list) else str(said)
        raise doc.error(("errors",), f"Datadog answered an error: {said}")
    if not isinstance(data, dict) or ("series" not in data and "status" not in data):
        raise ImportInputError("expected 'series' (a Datadog /api/v1/query answer)", doc.where(()))
    if data.get("status") == "error":
        said = " ".join(str(data.get("error") or data.get("message") or "(no message)").split())
        raise doc.error(("status",), f"Datadog answered an error: {said}")
    if data.get("status", "ok") != "ok":
        raise doc.error(("status",), f"status is {data['status']!r}, expected 'ok'")
    items = data.get("series")
    if not isinstance(items, list):
        raise doc.error(("series",) if "series" in data else (), "expected 'series': a list")
    if not items:
        span, dates = "", (data.get("from_date"), data.get("to_date"))
        if all(isinstance(d, int | float) and not isinstance(d, bool) for d in dates):
            if first_bad_time(np.array(dates, dtype=np.float64) / 1000) is None:
                span = f" from {iso_utc(dates[0] / 1000)} to {iso_utc(dates[1] / 1000)}"
        raise doc.error(
            ("series",),
            f"the query returned no series{span}: check the query, its tags and the time range",
        )
    return items


def _points(doc: JsonSource, pairs: object, where: tuple):
    """``[[ms, value|null], …]`` → times (epoch s) and values (null → NaN), sorted by
    time, and what was out of order."""
    if not isinstance(pairs, list) or not pairs:
        raise doc.error(where, "expected a non-empty list of [milliseconds, value] points")
    try:
        table = np.array(pairs, dtype=np.float64)
        if table.ndim != 2 or table.shape[1] != 2:
            raise ValueError
    except (ValueError, TypeError):
        raise _bad_point(doc, pairs, where) from None
    times = table[:, 0] / 1000.0
    problem = first_bad_time(times)
    if problem is not None:
        raise doc.error((*where, problem[0], 0), f"{problem[1]} (epoch milliseconds)")
    values = table[:, 1].copy()
    values[~np.isfinite(values)] = np.nan
    return sorted_samples(times, values)


def _bad_point(doc: JsonSource, pairs: list, where: tuple) -> ImportInputError:
    for index, pair in enumerate(pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            return doc.error((*where, index), "expected a [milliseconds, value] point")
        time, value = pair
        if isinstance(time, bool) or not isinstance(time, int | float):
            return doc.error((*where, index, 0), f"time {time!r} is not epoch milliseconds")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return doc.error((*where, index, 1), f"value {value!r} is not a number or null")
    return doc.error(where, "unreadable points")


def _tags(doc: JsonSource, item: dict, where: tuple) -> dict[str, str]:
    """``["pod:api-7", "canary"]`` (``tag_set``, else the ``scope``) → ``{"pod": "api-7",
    "canary": "canary"}`` (a tag without a value stands for itself)."""
    tags = item.get("tag_set")
    if tags is None or tags == []:
        scope = item.get("scope")
        tags = [] if not isinstance(scope, str) or scope == "*" else scope.split(",")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise doc.error((*where, "tag_set"), "expected a list of tags such as 'pod:api-7'")
    found = {}
    for tag in tags:
        key, _, value = tag.strip().partition(":")
        found[key] = value or key
    return found


def unit_text(doc: JsonSource, units: object, where: tuple) -> str:
    """Datadog's ``unit`` (the unit and the per-unit, or nulls) → ``ms``, ``B/s``…"""
    if units is None:
        return ""
    if not isinstance(units, list):
        raise doc.error((*where, "unit"), "expected a list of up to two unit objects (or nulls)")
    names = []
    for part in units[:2]:
        if isinstance(part, dict):
            names.append(str(part.get("short_name") or part.get("name") or ""))
        else:
            names.append("")
    if len(names) == 2 and names[1]:
        return f"{names[0]}/{names[1]}"
    return names[0] if names else ""


def split_queries(query: str) -> list[str]:
    """``"avg:a{*} by {x},sum:b{y:z}"`` → its queries (commas inside ``{}``/``()`` stay)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(query):
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(query[start:index].strip())
            start = index + 1
    parts.append(query[start:].strip())
    return parts


def _name_groups(doc, series, fields, template, fallback) -> None:
    """Labels, ids and groups: the series of one query (``query_index``) are one group."""
    query = doc.data.get("query") if isinstance(doc.data.get("query"), str) else ""
    by_query: dict[int, list[int]] = {}
    for slot, (_, item, _) in enumerate(fields):
        number = item.get("query_index", 0)
        by_query.setdefault(number if isinstance(number, int) else 0, []).append(slot)
    queries = split_queries(query) if query else []
    for number, slots in by_query.items():
        name = query or fallback or "query"
        if len(by_query) > 1:
            name = queries[number] if len(queries) == len(by_query) else f"{name} #{number + 1}"
        _name_members(doc, [series[s] for s in slots], [fields[s] for s in slots], template, name)


def _name_members(doc, members, fields, template, group) -> None:
    tag_sets = [tags for _, _, tags in fields]
    varying = varying_keys(tag_sets)
    grouped = len(members) > 1
    for entry, (index, item, tags) in zip(members, fields, strict=True):
        parts = [_tag_text(key, tags[key]) for key in varying if key in tags]
        if template:
            known = {"metric": str(item.get("metric", "")), "scope": str(item.get("scope", ""))}
            known["display_name"] = str(item.get("display_name", ""))
            entry.label = label_from_template(
                template, {**known, **tags}, doc, ("series", index, "tag_set")
            )
        elif grouped and parts:
            entry.label = ", ".join(parts)
        elif isinstance(item.get("scope"), str) and item["scope"] not in ("", "*"):
            entry.label = f"{entry.label}{{{item['scope']}}}"
        values = "_".join(tags[key] for key in varying if key in tags)
        entry.id = slug(values if grouped else str(item.get("metric") or entry.label))
        if grouped:
            entry.group = group
            _same_unit(doc, members, index, entry)


def _tag_text(key: str, value: str) -> str:
    return key if value == key else f"{key}={value}"


def _same_unit(doc, members, index, entry) -> None:
    if entry.unit != members[0].unit:
        raise doc.error(
            ("series", index, "unit"),
            f"unit {entry.unit!r} differs from {members[0].unit!r} of the query's first series; "
            "members of a group share a unit: give --unit",
        )
