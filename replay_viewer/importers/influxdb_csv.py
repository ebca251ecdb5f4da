"""InfluxDB 2.x annotated CSV (what ``/api/v2/query``, ``influx query --raw`` and the UI's
CSV download give) → :class:`~.influxdb.RawSeries`.

A table block is annotation rows (``#datatype``, ``#group``, ``#default``; any order, any
of them), a header (``,result,table,_start,_stop,_time,_value,_field,_measurement,host``)
and records; a blank line or new annotations start the next block. ``table`` tells the
tables of a block apart; a series here is a (result, measurement, field, tags), which
merges a table split by ``window()`` back into one. Tags are the group-key columns
(``#group`` true), or without that row every column that is not one of Flux's own. A
table without ``_value`` (after ``pivot()``) has a field per numeric column (``#datatype``
double, long or unsignedLong). Empty cells take the ``#default``; an empty value is a gap.
An ``error`` table (a failed query) is an error with its text.

Positions are ``FILE:LINE:COL``, the column counted on the record as written (exact
for the unquoted cells InfluxDB writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..loader.datafiles import DataFileError
from ..loader.time_text import iso_times
from .common import ImportInputError, csv_rows, first_bad_time
from .influxdb import RawSeries, epoch_seconds

__all__ = ["read_flux_csv"]

_FLUX = {"", "result", "table", "_start", "_stop", "_time", "_value", "_field", "_measurement"}
_NUMERIC = ("double", "long", "unsignedLong")
_SHAPE = (
    "an InfluxDB 2.x annotated CSV (#datatype, #group, #default rows, then a header such "
    "as ,result,table,_start,_stop,_time,_value,_field,_measurement,…)"
)


@dataclass
class _Block:
    """One header's tables: the annotations above it and the records below it."""

    name: str
    annotations: dict[str, list[str]] = field(default_factory=dict)
    header: list[str] | None = None
    header_line: int = 0
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def where(self, row: int, column: int) -> str:
        """``FILE:LINE:COL`` of a record's cell (``row`` -1: the header's)."""
        cells = self.header if row < 0 else self.rows[row]
        line = self.header_line if row < 0 else self.lines[row]
        return f"{self.name}:{line}:{sum(len(c) + 1 for c in cells[:column]) + 1}"

    def annotation(self, kind: str, column: int) -> str:
        row = self.annotations.get(kind, [])
        return row[column] if column < len(row) else ""


def read_flux_csv(text: str, name: str) -> list[RawSeries]:
    """Every series of every table block of ``text``."""
    raws = []
    for block in _blocks(text, name):
        raws += _block_series(block)
    return raws


def _blocks(text: str, name: str) -> list[_Block]:
    blocks, block = [], _Block(name)
    for row, line in csv_rows(text, name):
        if not any(cell.strip() for cell in row):
            if block.header is not None:
                blocks.append(block)
            block = _Block(name)
        elif row[0].startswith("#"):
            if block.header is not None:
                blocks.append(block)
                block = _Block(name)
            block.annotations[row[0].strip()] = row
        elif block.header is None:
            block.header, block.header_line = [cell.strip() for cell in row], line
        else:
            block.rows.append(row)
            block.lines.append(line)
    if block.header is not None:
        blocks.append(block)
    if not blocks:
        raise ImportInputError(f"no table: expected {_SHAPE}", f"{name}:1:1")
    return blocks


def _block_series(block: _Block) -> list[RawSeries]:
    header = block.header
    assert header is not None
    if "error" in header:
        column = header.index("error")
        message = block.rows[0][column] if block.rows else "an error"
        raise ImportInputError(
            f"InfluxDB answered: {message}", block.where(0 if block.rows else -1, column)
        )
    if "_time" not in header:
        raise ImportInputError(f"no _time column: expected {_SHAPE}", block.where(-1, 0))
    for number, row in enumerate(block.rows):
        if len(row) != len(header):
            raise ImportInputError(
                f"{len(row)} cells, and the header has {len(header)}", block.where(number, 0)
            )
    values = _value_columns(block)
    if not block.rows:
        return []
    cells = _with_defaults(block)
    grouped = "#group" in block.annotations
    tags = [i for i, c in enumerate(header) if c not in _FLUX and i not in values
            and (not grouped or block.annotation("#group", i) == "true")]  # fmt: skip
    times = _times(block, cells, header.index("_time"))
    raws = []
    for key, rows in _split(cells, header, tags).items():
        result, measurement, field_name, tagged = key
        for column in values:
            found = _numbers(block, cells, column, rows)
            if np.isnan(found).all():
                continue
            warn = partial(_warning, block, rows, header.index("_time"))
            raws.append(RawSeries(result, measurement, field_name or header[column],
                                  dict(tagged), times[rows], found, warn))  # fmt: skip
    return raws


def _with_defaults(block: _Block) -> np.ndarray:
    cells = np.array(block.rows, dtype=str)
    for column in range(cells.shape[1]):
        default = block.annotation("#default", column)
        if default:
            cells[:, column] = np.where(cells[:, column] == "", default, cells[:, column])
    return cells


def _value_columns(block: _Block) -> list[int]:
    header = block.header
    assert header is not None
    if "_value" in header:
        column = header.index("_value")
        kind = block.annotation("#datatype", column)
        if kind in ("string", "") and "#datatype" in block.annotations:
            raise ImportInputError(
                f"_value is {kind or 'untyped'} (#datatype): only numbers can be replayed; "
                'filter the fields (|> filter(fn: (r) => r._field == "…"))',
                block.where(-1, column),
            )
        return [column]
    numeric = [i for i, c in enumerate(header) if c not in _FLUX
               and block.annotation("#datatype", i) in _NUMERIC]  # fmt: skip
    if not numeric:
        raise ImportInputError(
            "no _value column, and no numeric column (#datatype double, long or "
            f"unsignedLong) to take as fields: expected {_SHAPE}",
            block.where(-1, 0),
        )
    return numeric


def _split(cells: np.ndarray, header: list[str], tags: list[int]) -> dict[tuple, np.ndarray]:
    """Record numbers per (result, measurement, field, tags)."""

    def column(name: str) -> list[str]:
        return cells[:, header.index(name)].tolist() if name in header else [""] * len(cells)

    results, measurements, fields = column("result"), column("_measurement"), column("_field")
    tag_cells = [cells[:, i].tolist() for i in tags]
    found: dict[tuple, list[int]] = {}
    for row in range(len(cells)):
        tagged = tuple((header[i], tag_cells[n][row]) for n, i in enumerate(tags))
        key = (results[row] or "_result", measurements[row], fields[row], tagged)
        found.setdefault(key, []).append(row)
    return {key: np.array(rows) for key, rows in found.items()}


def _times(block: _Block, cells: np.ndarray, column: int) -> np.ndarray:
    times = _read_times(block, cells, column)
    problem = first_bad_time(times)
    if problem is not None:
        raise ImportInputError(f"_time: {problem[1]}", block.where(problem[0], column))
    return times


def _read_times(block: _Block, cells: np.ndarray, column: int) -> np.ndarray:
    raw = cells[:, column]
    try:
        with np.errstate(invalid="ignore"):
            return epoch_seconds(raw.astype(np.float64), None)
    except ValueError:
        pass
    try:
        return iso_times(raw, 0.0)
    except DataFileError as exc:
        row = exc.row or 0
        raise ImportInputError(f"_time: {exc}", block.where(row, column)) from None


def _numbers(block: _Block, cells: np.ndarray, column: int, rows: np.ndarray) -> np.ndarray:
    raw = np.char.lower(cells[rows, column])
    raw = np.where(
        raw == "", "nan", np.where(raw == "true", "1", np.where(raw == "false", "0", raw))
    )
    try:
        with np.errstate(invalid="ignore"):
            return raw.astype(np.float64)
    except ValueError:
        for index, text in enumerate(raw.tolist()):
            try:
                float(text)
            except ValueError:
                row = int(rows[index])
                raise ImportInputError(
                    f"{block.header[column]} {block.rows[row][column]!r} is not a number",
                    block.where(row, column),
                ) from None
        raise


def _warning(block: _Block, rows: np.ndarray, column: int, index: int, text: str) -> str:
    return f"{block.where(int(rows[index]), column)}: warning: _time: {text}"
