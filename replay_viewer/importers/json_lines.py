"""JSON lines (one document a line, as VictoriaMetrics' ``/api/v1/export`` writes) with
``FILE:LINE:COL`` for any element, as :class:`~.json_source.JsonSource` gives for one
document.

Go servers write non-finite numbers as ``+Inf``, ``-Inf`` and ``NaN``; Python's parser
takes ``NaN`` only, so a line that does not parse and holds ``Inf`` is read again with
those numbers as ``NaN`` (padded to the same width, so every column stays right).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .common import ImportInputError
from .json_source import MAX_JSON_BYTES, JsonSource

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["JsonLine", "json_lines", "read_text"]

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
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise ImportInputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    if len(data) > MAX_JSON_BYTES:
        raise ImportInputError(f"larger than {MAX_JSON_BYTES >> 20} MiB", str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportInputError(
            f"not UTF-8 text (byte {exc.start}); is this {what}?", str(path)
        ) from None


def json_lines(text: str, name: str) -> Iterator[JsonLine]:
    """Every line that is not blank, parsed."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield JsonLine(line, name, number)
