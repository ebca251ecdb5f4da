"""Exit codes and the error types every layer may raise (the bottom of the house).

Exit codes: 0 ok, 1 invalid incident, 2 usage error, 3 no usable GPU adapter (or no display
for the window), 4 an output could not be written, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_NO_GPU",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_USAGE",
    "OutputError",
    "UsageError",
]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_NO_GPU = 3
EXIT_OUTPUT = 4
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad command-line arguments or dialog values found after parsing (exit 2)."""


class OutputError(Exception):
    """An output file or folder cannot be written (exit 4); the message names the user's
    path, never a temporary file."""
