"""Positioned problems in an incident file, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import yaml

__all__ = ["Diagnostic", "IncidentLoadError", "diagnostic_at", "fail", "shorten"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in an incident file, positioned 1-based at the offending node."""

    line: int
    column: int
    message: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: error: {self.message}"


class IncidentLoadError(Exception):
    """An incident file is invalid; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def diagnostic_at(node: yaml.Node, message: str, path: str) -> Diagnostic:
    """A diagnostic at the start of ``node`` (YAML marks are 0-based)."""
    mark = node.start_mark
    return Diagnostic(mark.line + 1, mark.column + 1, message, path)


def fail(line: int, column: int, message: str, path: str) -> NoReturn:
    """Refuse the whole file with one diagnostic (for problems that stop all reading)."""
    raise IncidentLoadError([Diagnostic(line, column, message, path)])


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: messages echo user values."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
