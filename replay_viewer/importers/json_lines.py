"""One JSON document, or JSON lines (one document per line, as an OpenTelemetry Collector's
``file`` exporter writes them), each with ``FILE:LINE:COL`` for any of its elements."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .common import ImportInputError
from .json_source import JsonSource

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["JsonLine", "read_documents"]


class JsonLine(JsonSource):
    """One line of a JSON lines file: positions are on that line of the file."""

    def __init__(self, text: str, name: str, line: int) -> None:
        self.name, self.text, self.line = name, text, line
        try:
            self.data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportInputError(
                f"invalid JSON: {exc.msg}", f"{name}:{line}:{exc.colno}"
            ) from None
        except RecursionError:
            raise ImportInputError("JSON nested too deeply", f"{name}:{line}") from None

    def where(self, path: tuple) -> str:
        try:
            offset = self.offset_of(path)
        except (ValueError, IndexError):
            return f"{self.name}:{self.line}"
        return f"{self.name}:{self.line}:{offset + 1}"


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
    except (json.JSONDecodeError, RecursionError):
        return False
    return True
