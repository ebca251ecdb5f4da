"""The ``replay-viewer`` command line: the top of the house (nothing imports it).

:func:`main` parses (``parser.py``) and runs one command: ``commands.py`` (validate, import,
probe, open), ``export_command.py`` or ``event_command.py``. Exit codes are in
:mod:`replay_viewer.errors`; no command prints a Python traceback for bad input.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OUTPUT,
    EXIT_USAGE,
    OutputError,
    UsageError,
)
from .commands import cmd_import, cmd_open, cmd_validate, load_or_say
from .compare_command import compared
from .event_command import cmd_event
from .export_command import cmd_export, cmd_probe
from .interrupts import terminate_as_interrupt
from .parser import build_parser, joined_negative_values, normalise_argv

if TYPE_CHECKING:
    import argparse

__all__ = ["build_parser", "main"]


def _quiet_runtime_dir() -> None:
    """Mesa's Vulkan/EGL loaders print "XDG_RUNTIME_DIR is invalid" on every start when it is
    unset (root shells, CI, containers); give them a private one."""
    if sys.platform.startswith("linux") and not os.environ.get("XDG_RUNTIME_DIR"):
        path = Path(tempfile.gettempdir()) / f"replay-viewer-runtime-{os.getuid()}"
        with contextlib.suppress(OSError):
            path.mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(path)


def main(argv: list[str] | None = None) -> int:
    _quiet_runtime_dir()
    argv = normalise_argv(list(sys.argv[1:] if argv is None else argv))
    if argv and argv[0] == "import":  # `import FILE…`: recognise the file's shape
        from ..importers import ImportInputError, with_sniffed_source

        try:
            argv, note = with_sniffed_source(argv)
        except ImportInputError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
        if note:
            print(note, file=sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(joined_negative_values(parser, argv))
    except SystemExit as exc:  # argparse: --help/--version (0) or usage error (2)
        return int(exc.code or 0)
    try:
        return _run(args)
    except UsageError as exc:
        print(f"replay-viewer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"replay-viewer: error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("replay-viewer: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        # A bug, not bad input: still no raw traceback unless asked for.
        if os.environ.get("REPLAY_VIEWER_DEBUG"):
            traceback.print_exc()
        print(
            f"replay-viewer: internal error: {type(exc).__name__}: {exc}\n"
            "  (set REPLAY_VIEWER_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> int:
    if args.command not in ("open", "present", "compare"):  # a window closes itself
        terminate_as_interrupt()
    if args.command not in ("validate", "event"):
        from ..render.gpu import check_backend

        check_backend(getattr(args, "backend", None))  # REPLAY_VIEWER_BACKEND: exit 2, early
    if args.command == "export":
        return cmd_export(args, compared(lambda path: load_or_say(path, args), args))
    command = {"validate": cmd_validate, "probe": cmd_probe, "import": cmd_import,
               "event": cmd_event}  # fmt: skip
    return command.get(args.command, cmd_open)(args)
