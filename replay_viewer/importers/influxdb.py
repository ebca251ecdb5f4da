"""InfluxDB 1.x ``/query`` answers (InfluxQL, JSON) → series; and what the 2.x reader
(:mod:`.influxdb_csv`) shares: one series per (measurement, field, tags), one group per
statement and field.

An answer is ``{"results": [{"statement_id": 0, "series": [{"name": "cpu", "tags":
{"host": "a"}, "columns": ["time", "usage", …], "values": [[t, 1.5, …], …]}]}]}``. Times
are epoch numbers (the ``epoch`` the query asked for: ``ns`` without one … ``h``, told by
their size unless ``--epoch`` says) or RFC3339 text. Every column after ``time`` holding
numbers is a field (``null`` = gap, booleans 1 and 0); a column holding text is a tag (a
query without ``GROUP BY`` lists tags as columns), and splits the rows into series as
``GROUP BY`` would.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from ..loader.datafiles import DataFileError
from ..loader.time_text import iso_times
from .common import ImportedSeries, first_bad_time, scaled
from .members import mark_holes, merged_samples, name_members
from .prometheus import default_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from .json_source import JsonSource

__all__ = ["EPOCHS", "RawSeries", "epoch_seconds", "read_influxql", "series_of"]

_FLOAT_MAX = sys.float_info.max
EPOCHS = {"ns": 1e-9, "u": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_SHAPE = "expected 'results' (an InfluxDB 1.x /query answer: results[].series[])"


@dataclass
class RawSeries:
    """A series as a source holds it, before naming: which statement (or Flux result) it
    answers, its measurement, field and tags, samples, and a positioned warning at one of
    its samples (by index)."""

    statement: str
    measurement: str
    field: str
    tags: dict[str, str]
    times: np.ndarray
    values: np.ndarray
    warning: Callable[[int, str], str]


def series_of(raws: list[RawSeries], *, unit: str = "", scale: float = 1.0) -> list[ImportedSeries]:
    """One series per (statement, measurement, field, tags), its parts merged and sorted;
    the series of one statement's field are one group named ``measurement.field``."""
    parts: dict[tuple, list[RawSeries]] = {}
    for raw in raws:
        key = (raw.statement, raw.measurement, raw.field, tuple(sorted(raw.tags.items())))
        parts.setdefault(key, []).append(raw)
    groups: dict[tuple, list[list[RawSeries]]] = {}
    for key, same in parts.items():
        groups.setdefault(key[:3], []).append(same)
    names = [".".join(part for part in key[1:] if part) or "series" for key in groups]
    several = len(groups) > 1
    series = []
    for name, members in zip(names, groups.values(), strict=True):
        made = []
        for same in members:
            times, values, warnings = merged_samples(
                [(raw.times, raw.values, raw.warning) for raw in same]
            )
            values = np.where(np.isfinite(values), scaled(values, scale), np.nan)
            item = ImportedSeries(name, times, values, unit=unit, warnings=warnings)
            mark_holes(item)
            made.append(item)
        # A tag the series lacks reads as "" (GROUP BY a key no point has): not a label.
        labels = [{k: v for k, v in same[0].tags.items() if v != ""} for same in members]
        name_members(made, labels, name=name, group=name, id_prefix=name if several else "")
        for item, tags in zip(made, labels, strict=True):
            item.source = default_label({"__name__": name, **tags})
        series += made
    return series


def epoch_seconds(numbers: np.ndarray, epoch: str | None) -> np.ndarray:
    """Epoch numbers in ``epoch`` units (or told by their size: nanoseconds, the answer's
    default, are above 1e17; microseconds 1e14; milliseconds 1e11) → epoch seconds."""
    if epoch is None:
        biggest = float(np.abs(numbers).max()) if len(numbers) else 0.0
        epoch = (
            "ns" if biggest > 1e17 else "u" if biggest > 1e14 else "ms" if biggest > 1e11 else "s"
        )
    return numbers * EPOCHS[epoch]


def read_influxql(doc: JsonSource, *, epoch: str | None = None) -> list[RawSeries]:
    """The series of every statement of an answer; an error statement is an error."""
    data = doc.data
    if isinstance(data, dict) and "error" in data and "results" not in data:
        raise doc.error(("error",), f"InfluxDB answered: {data['error']}")
    if not isinstance(data, dict) or "results" not in data:
        raise doc.error((), _SHAPE)
    results = data["results"]
    if not isinstance(results, list):
        raise doc.error(("results",), "expected a list of statement results")
    raws = []
    for index, result in enumerate(results):
        where = ("results", index)
        if not isinstance(result, dict):
            raise doc.error(where, "expected a statement's result ({'statement_id': 0, …})")
        statement = str(result.get("statement_id", index))
        if "error" in result:
            raise doc.error((*where, "error"), f"InfluxDB answered: {result['error']}")
        found = result.get("series", [])
        if not isinstance(found, list):
            raise doc.error((*where, "series"), "expected a list of series")
        for number, item in enumerate(found):
            raws += _series(doc, item, (*where, "series", number), statement, epoch)
    return raws


def _series(doc: JsonSource, item: object, where: tuple, statement: str, epoch: str | None):
    if not isinstance(item, dict) or not isinstance(item.get("columns"), list):
        raise doc.error(where, "expected a series with 'name', 'columns' and 'values'")
    columns, rows = item["columns"], item.get("values", [])
    tags = item.get("tags") or {}
    if not isinstance(tags, dict):
        raise doc.error((*where, "tags"), "expected an object of tags")
    if not columns or columns[0] != "time":
        raise doc.error(
            (*where, "columns"),
            "expected 'time' as the first column (a SELECT's answer; SHOW … has no times)",
        )
    if not isinstance(rows, list):
        raise doc.error((*where, "values"), "expected a list of rows")
    if not rows:
        return []
    for number, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(columns):
            raise doc.error((*where, "values", number), f"expected a row of {len(columns)} values")
    cells = list(zip(*rows, strict=True))
    times = _times(doc, cells[0], (*where, "values"), epoch)
    kinds = [_kind(doc, column, (*where, "values"), index) for index, column in
             enumerate(cells[1:], start=1)]  # fmt: skip
    text = [index for index, kind in enumerate(kinds, start=1) if kind == "text"]
    name = str(item.get("name", "")) or "series"
    raws = []
    fields = {
        i: _floats(doc, cells[i], (*where, "values"), i)
        for i, k in enumerate(kinds, 1)
        if k == "numbers"
    }
    for key, rows_of in _split(cells, text, [str(columns[i]) for i in text]):
        tagged = {**{str(k): str(v) for k, v in tags.items()}, **key}
        for index, column in fields.items():
            values = column[rows_of]
            if np.isnan(values).all():
                continue  # a field this tag set never had
            warn = partial(_row_warning, doc, (*where, "values"), rows_of)
            raws.append(RawSeries(statement, name, str(columns[index]), tagged,
                                  times[rows_of], values, warn))  # fmt: skip
    return raws


def _row_warning(doc: JsonSource, where: tuple, rows: np.ndarray, index: int, text: str) -> str:
    return doc.warning((*where, int(rows[index]), 0), text)


def _split(cells: list, text: list[int], names: list[str]):
    """``(tags, rows)`` per distinct combination of the text columns' values."""
    if not text:
        return [({}, np.arange(len(cells[0])))]
    keys: dict[tuple, list[int]] = {}
    for row, key in enumerate(zip(*(cells[i] for i in text), strict=True)):
        keys.setdefault(key, []).append(row)
    return [
        ({names[n]: str(v) for n, v in enumerate(key) if v is not None}, np.array(rows))
        for key, rows in keys.items()
    ]


def _times(doc: JsonSource, column: tuple, where: tuple, epoch: str | None) -> np.ndarray:
    times = _read_times(doc, column, where, epoch)
    problem = first_bad_time(times)
    if problem is not None:
        raise doc.error((*where, problem[0], 0), problem[1])
    return times


def _read_times(doc: JsonSource, column: tuple, where: tuple, epoch: str | None) -> np.ndarray:
    if all(isinstance(t, str) for t in column):
        try:
            return iso_times(np.array(column, dtype=str), 0.0)
        except DataFileError as exc:
            raise doc.error((*where, exc.row, 0), str(exc)) from None
    for row, value in enumerate(column):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise doc.error(
                (*where, row, 0), f"time {value!r} is neither an epoch number nor RFC3339 text"
            )
    # An integer beyond a float (10**400) as the largest one: a time off the wall clock.
    numbers = [v if abs(v) <= _FLOAT_MAX else _FLOAT_MAX * (1 if v > 0 else -1) for v in column]
    return epoch_seconds(np.array(numbers, dtype=np.float64), epoch)


def _kind(doc: JsonSource, column: tuple, where: tuple, index: int) -> str:
    """``numbers`` (with nulls, booleans), ``text``, or ``empty`` (only nulls)."""
    types = {type(value) for value in column}
    types.discard(type(None))
    odd = types - {int, float, bool, str}
    if odd:  # a list or an object
        row = next(r for r, v in enumerate(column) if type(v) in odd)
        shown = "a list" if isinstance(column[row], list) else "an object"
        raise doc.error((*where, row, index), f"expected a number, got {shown}")
    if not types:
        return "empty"
    if types <= {int, float, bool}:
        return "numbers"
    if types == {str}:
        return "text"
    row = next(r for r, v in enumerate(column) if isinstance(v, str))
    raise doc.error(
        (*where, row, index), "a column holding both numbers and text; select numeric fields"
    )


def _floats(doc: JsonSource, column: tuple, where: tuple, index: int) -> np.ndarray:
    """A column of numbers (and nulls) as floats; an integer beyond a float's range is an
    error at its cell."""
    try:
        return np.array(column, dtype=np.float64)
    except OverflowError:
        row = next(r for r, v in enumerate(column) if type(v) is int and abs(v) > _FLOAT_MAX)
        raise doc.error(
            (*where, row, index), "expected a number, got one beyond ±1.8e308"
        ) from None
