"""The ``replay-viewer`` command line: argparse and every command (``cmd_*``).

The top of the house: nothing imports this module. Exit codes are in :mod:`.errors`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from ._resources import bundled_incident
from ._version import __version__
from .cli_export import (
    add_backend,
    add_export_parser,
    add_probe_parser,
    cmd_export,
    cmd_probe,
    timecode_arg,
)
from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_NO_GPU,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    OutputError,
    UsageError,
)
from .loader import IncidentLoadError, load_incident
from .options import check_time
from .timecode import format_clock

if TYPE_CHECKING:
    from .model import Incident

COMMANDS = ("open", "validate", "export", "probe")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replay-viewer",
        description="Replay production incidents on the GPU. With no command, opens FILE "
        "(default: the bundled cache-stampede incident) in a window.",
        epilog="Exit codes: 0 ok, 1 invalid incident, 2 usage (also: --mp4 without the "
        "[video] extra), 3 no GPU, 4 cannot write output (also: the folder is in use by "
        "another export).",
    )
    parser.add_argument("--version", action="version", version=f"replay-viewer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_cmd = commands.add_parser(
        "open", help="open an incident in a window (the default command)"
    )
    open_cmd.add_argument("file", nargs="?", type=Path, help="incident YAML (default: bundled)")
    open_cmd.add_argument("--at", type=timecode_arg, help="start at this time, e.g. T+05:00")
    add_backend(open_cmd)

    validate = commands.add_parser(
        "validate", help="check incident files and print every problem with its position"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")

    add_export_parser(commands)

    add_probe_parser(commands)
    return parser


def _normalise_argv(argv: list[str]) -> list[str]:
    """``replay-viewer FILE`` and a bare ``replay-viewer`` mean ``replay-viewer open …``."""
    if not argv:
        return ["open"]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["open", *argv]


def _quiet_runtime_dir() -> None:
    """Mesa's Vulkan/EGL loaders print "XDG_RUNTIME_DIR is invalid" on every start when it is
    unset (root shells, CI, containers); give them a private one."""
    if sys.platform.startswith("linux") and not os.environ.get("XDG_RUNTIME_DIR"):
        import tempfile

        path = Path(tempfile.gettempdir()) / f"replay-viewer-runtime-{os.getuid()}"
        try:
            path.mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(path)
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    _quiet_runtime_dir()
    argv = _normalise_argv(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
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


def _terminate_as_interrupt() -> None:
    """SIGTERM (a CI timeout, a killed job) ends a command like Ctrl+C does: the partial PNG
    is removed and a sequence's frames.json still lists the finished frames."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _run(args: argparse.Namespace) -> int:
    if args.command != "open":  # the window closes itself cleanly through its own loop
        _terminate_as_interrupt()
    if args.command != "validate":
        from .render.gpu import check_backend

        check_backend(getattr(args, "backend", None))  # REPLAY_VIEWER_BACKEND: exit 2, early
    if args.command == "export":
        return cmd_export(args, _load)
    command = {"validate": cmd_validate, "probe": cmd_probe}
    return command.get(args.command, cmd_open)(args)


def _load(path: Path) -> Incident | None:
    """The incident at ``path``, or None after printing its positioned errors."""
    try:
        return load_incident(path)
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return None


# -- validate ------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.files:
        incident = _load(path)
        if incident is None:
            status = EXIT_INVALID
            continue
        print(
            f"{path}: ok ({len(incident.series)} series, {len(incident.events)} events, "
            f"duration T+{format_clock(incident.duration)})"
        )
    return status


# -- open (the window) ---------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    """Open an incident in a window; returns the exit code when the window closes."""
    path = args.file or bundled_incident()
    incident = _load(path)
    if incident is None:
        return EXIT_INVALID
    if args.at is not None:
        check_time(incident, args.at)
    try:
        import warnings

        import glfw

        with warnings.catch_warnings():
            # glfw reports "DISPLAY is missing" as a warning too; the message below says it.
            warnings.simplefilter("ignore", glfw.GLFWError)
            if not glfw.init():
                raise RuntimeError("glfw could not initialise")
    except Exception as exc:
        print(
            f"replay-viewer: error: cannot open a window ({exc}); is there a display "
            "(DISPLAY / WAYLAND_DISPLAY)? Without one, use 'replay-viewer export'.",
            file=sys.stderr,
        )
        return EXIT_NO_GPU
    from .app.window import ViewerApp

    app = ViewerApp(incident, Path(path), start_at=args.at, backend=args.backend)
    return app.run()


if __name__ == "__main__":
    sys.exit(main())
