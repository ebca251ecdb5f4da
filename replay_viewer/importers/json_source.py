"""JSON input with positions: syntax errors from Python's parser (line and column), and
``FILE:LINE:COL`` for any element found wrong later, by re-scanning the text along the
element's path (only when there is an error, so reading stays at C speed)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .common import ImportInputError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["JsonSource", "json_path_text", "long_number"]

MAX_JSON_BYTES = 256 * 1024 * 1024  # far beyond any saved response worth replaying
_SPACE = re.compile(r"[ \t\n\r]*")
_LONG_NUMBER = re.compile(r"-?\d{4301,}")  # sys.get_int_max_str_digits() is 4300

PathStep = str | int


def long_number(text: str, name: str, line: int = 0) -> ImportInputError:
    """The error for an integer longer than Python reads (4300 digits), at it (on ``line``
    of a JSON-lines file, else counted in ``text``)."""
    found = _LONG_NUMBER.search(text)
    offset = found.start() if found else 0
    row = line or text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return ImportInputError(
        "invalid JSON: a number of thousands of digits", f"{name}:{row}:{column}"
    )


def json_path_text(path: tuple[PathStep, ...]) -> str:
    """``("data", "result", 2)`` → ``data.result[2]``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text or "the top level"


class JsonSource:
    """A parsed JSON document that can say where any of its elements is."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.text = text
        try:
            self.data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportInputError(
                f"invalid JSON: {exc.msg}", f"{name}:{exc.lineno}:{exc.colno}"
            ) from None
        except RecursionError:
            raise ImportInputError("JSON nested too deeply", name) from None
        except ValueError:  # an integer of more digits than Python converts
            raise long_number(text, name) from None

    @classmethod
    def read(cls, path: Path) -> JsonSource:
        return cls(cls.read_text(path), str(path))

    @staticmethod
    def read_text(path: Path, what: str = "a saved JSON response") -> str:
        """A file's text (UTF-8, a BOM dropped), refused when it cannot be JSON worth
        reading: unreadable, too large, or not UTF-8."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_JSON_BYTES + 1)
        except OSError as exc:
            raise ImportInputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
        if len(data) > MAX_JSON_BYTES:
            raise ImportInputError(f"larger than {MAX_JSON_BYTES >> 20} MiB", str(path))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportInputError(
                f"not UTF-8 text (byte {exc.start}); is this {what}?", str(path)
            ) from None
        return text

    def error(self, path: tuple[PathStep, ...], message: str) -> ImportInputError:
        """An error at the element at ``path``, as ``FILE:LINE:COL: error: PATH: message``."""
        return ImportInputError(f"{json_path_text(path)}: {message}", self.where(path))

    def warning(self, path: tuple[PathStep, ...], message: str) -> str:
        """A warning at the element at ``path``: ``FILE:LINE:COL: warning: PATH: message``."""
        return f"{self.where(path)}: warning: {json_path_text(path)}: {message}"

    def where(self, path: tuple[PathStep, ...]) -> str:
        """``FILE:LINE:COL`` of the element at ``path`` (``FILE`` if it cannot be found)."""
        try:
            offset = self.offset_of(path)
        except (ValueError, IndexError):  # cannot happen for a path into self.data
            return self.name
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return f"{self.name}:{line}:{column}"

    def offset_of(self, path: tuple[PathStep, ...]) -> int:
        """Character offset of the element at ``path``: walk the containers on the way,
        skipping siblings with the C decoder."""
        decoder = json.JSONDecoder()
        text = self.text
        index = _SPACE.match(text, 0).end()
        for step in path:
            if isinstance(step, int):
                index = self._item_offset(decoder, index, step)
            else:
                index = self._member_offset(decoder, index, step)
        return index

    def _item_offset(self, decoder: json.JSONDecoder, index: int, wanted: int) -> int:
        text = self.text
        if text[index] != "[":
            raise ValueError("not an array")
        index = _SPACE.match(text, index + 1).end()
        for _ in range(wanted):
            _, index = decoder.raw_decode(text, index)
            index = _SPACE.match(text, index).end()
            if text[index] != ",":
                raise ValueError("array too short")
            index = _SPACE.match(text, index + 1).end()
        return index

    def _member_offset(self, decoder: json.JSONDecoder, index: int, wanted: str) -> int:
        text = self.text
        if text[index] != "{":
            raise ValueError("not an object")
        index = _SPACE.match(text, index + 1).end()
        found = -1
        while text[index] == '"':
            key, index = decoder.raw_decode(text, index)
            index = _SPACE.match(text, index).end() + 1  # past ':'
            index = _SPACE.match(text, index).end()
            if key == wanted:
                found = index  # keep looking: with duplicate keys json keeps the last
            _, index = decoder.raw_decode(text, index)
            index = _SPACE.match(text, index).end()
            if text[index] != ",":
                break
            index = _SPACE.match(text, index + 1).end()
        if found < 0:
            raise ValueError("no such member")
        return found
