"""JSON lines (one document a line, as VictoriaMetrics' ``/api/v1/export`` and an
OpenTelemetry Collector's ``file`` exporter write them) with ``FILE:LINE:COL`` for any
element, as :class:`~.json_source.JsonSource` gives for one document; and files that hold
either one document or JSON lines (:func:`read_documents`).

Go servers write non-finite numbers as ``+Inf``, ``-Inf`` and ``NaN``; Python's parser
takes ``NaN`` only, so a line that does not parse and holds ``Inf`` is read again with
those numbers as ``NaN`` (padded to the same width, so every column stays right).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .common import ImportInputError
from .json_source import JsonSource, long_number

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["JsonLine", "json_lines", "read_documents", "read_text"]

_INFINITY = re.compile(r"(?<=[\[,:])(\s*)([+-]?Inf)(?=\s*[\],}])")


class JsonLine(JsonSource):
    """One line of a JSON-lines text; positions count the file's lines."""

    def __init__(self, text: str, name: str, line: int) -> None:
        self.name, self.text, self.line = name, text, line
        try:
            self.data = json.loads(text)
        except json.JSONDecodeError as exc:
            fixed = _INFINITY.sub(_as_nan, text) if "Inf" in text else text
            try:
                self.data, self.text = json.loads(fixed), fixed  # the same columns
            except (json.JSONDecodeError, RecursionError):
                raise ImportInputError(
                    f"invalid JSON: {exc.msg}", f"{name}:{line}:{exc.colno}"
                ) from None
        except RecursionError:
            raise ImportInputError("JSON nested too deeply", f"{name}:{line}:1") from None
        except ValueError:  # an integer of more digits than Python converts
            raise long_number(text, name, line) from None

    def where(self, path: tuple) -> str:
        try:
            offset = self.offset_of(path)
        except (ValueError, IndexError):
            return f"{self.name}:{self.line}:1"
        return f"{self.name}:{self.line}:{offset + 1}"


def _as_nan(match: re.Match) -> str:
    return match.group(1) + "NaN".ljust(len(match.group(2)))


def read_text(path: Path, what: str = "a saved JSON answer") -> str:
    """A file's text (UTF-8, at most ``MAX_JSON_BYTES``), or a message saying why not."""
    return JsonSource.read_text(path, what)


def json_lines(text: str, name: str) -> Iterator[JsonLine]:
    """Every line that is not blank, parsed."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield JsonLine(line, name, number)


def read_documents(path: Path) -> Iterator[JsonSource]:
    """The documents of a file: one (a saved request, pretty-printed or not), or one per
    non-blank line when the first line is a whole JSON value and more lines follow. Lines
    are parsed as they are asked for, so a reader that keeps only what it needs never
    holds every line's objects at once (nor has the garbage collector walk them)."""
    text = JsonSource.read_text(path)
    start = text.lstrip()
    first_end = start.find("\n")
    if first_end < 0 or not start[first_end:].strip() or not _whole_value(start[:first_end]):
        yield JsonSource(text, str(path))
        return
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield JsonLine(line, str(path), number)


def _whole_value(line: str) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):  # a JSONDecodeError, or thousands of digits
        return False
    return True
