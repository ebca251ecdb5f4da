"""Positioned problems in an incident file, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from pathlib import Path

    import yaml

__all__ = [
    "Diagnostic",
    "IncidentLoadError",
    "diagnostic_at",
    "fail",
    "plural",
    "shorten",
    "warning_at",
]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in an incident file, positioned 1-based at the offending node.

    ``severity`` is ``"error"`` (the file is refused) or ``"warning"`` (it loads, but
    something in it was repaired or assumed: shown, and an error under ``--strict``).
    """

    line: int
    column: int
    message: str
    path: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


class IncidentLoadError(Exception):
    """An incident file is invalid; ``diagnostics`` lists every problem found.
    ``data_files`` are the data files it read (or tried to): a fix there may be the fix."""

    def __init__(self, diagnostics: list[Diagnostic], data_files: tuple[Path, ...] = ()) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        self.data_files = tuple(data_files)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def diagnostic_at(node: yaml.Node, message: str, path: str) -> Diagnostic:
    """A diagnostic at the start of ``node`` (YAML marks are 0-based)."""
    mark = node.start_mark
    return Diagnostic(mark.line + 1, mark.column + 1, message, path)


def warning_at(node: yaml.Node, message: str, path: str) -> Diagnostic:
    """A warning at the start of ``node``."""
    mark = node.start_mark
    return Diagnostic(mark.line + 1, mark.column + 1, message, path, "warning")


def fail(line: int, column: int, message: str, path: str) -> NoReturn:
    """Refuse the whole file with one diagnostic (for problems that stop all reading)."""
    raise IncidentLoadError([Diagnostic(line, column, message, path)])


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: messages echo user values."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, one: str, many: str) -> str:
    """``1 row repeats`` / ``11 rows repeat``: the count with the word that fits it."""
    return f"{count:,} {one if count == 1 else many}"
