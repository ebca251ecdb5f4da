"""The ``replay-viewer`` command line.

Exit codes: 0 ok, 1 invalid incident, 2 usage error, 3 no usable GPU adapter,
4 an output could not be written, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from ._resources import bundled_incident
from ._version import __version__
from .loader import IncidentLoadError, load_incident
from .timecode import TimecodeError, format_clock, parse_timecode

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_NO_GPU = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130

COMMANDS = ("open", "validate", "export", "probe")
BACKENDS = ("vulkan", "metal", "d3d12", "opengl")


class UsageError(Exception):
    """Bad command-line arguments found after argparse (exit 2)."""


def _timecode_arg(text: str) -> float:
    try:
        return parse_timecode(text)
    except TimecodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="WebGPU backend to use (default: best available; env REPLAY_VIEWER_BACKEND)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replay-viewer",
        description="Replay production incidents on the GPU. With no command, opens FILE "
        "(default: the bundled cache-stampede incident) in a window.",
        epilog="Exit codes: 0 ok, 1 invalid incident, 2 usage, 3 no GPU, 4 cannot write output.",
    )
    parser.add_argument("--version", action="version", version=f"replay-viewer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_cmd = commands.add_parser(
        "open", help="open an incident in a window (the default command)"
    )
    open_cmd.add_argument("file", nargs="?", type=Path, help="incident YAML (default: bundled)")
    open_cmd.add_argument("--at", type=_timecode_arg, help="start at this time, e.g. T+05:00")
    _add_backend(open_cmd)

    validate = commands.add_parser(
        "validate", help="check incident files and print every problem with its position"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")

    export = commands.add_parser(
        "export",
        help="render frames to PNG",
        description="Render the frame at one time (default: the end) to PNG, or a sequence of "
        "frames with --frames/--every into a folder with a frames.json index.",
    )
    export.add_argument("file", type=Path, metavar="FILE")
    when = export.add_mutually_exclusive_group()
    when.add_argument("--at", type=_timecode_arg, help="time of the frame, e.g. T+05:00")
    when.add_argument("--frames", type=int, help="N frames evenly from start to end")
    when.add_argument("--every", type=_timecode_arg, help="one frame every DUR, e.g. 5s")
    export.add_argument("-o", "--output", type=Path, help="PNG file, or folder for a sequence")
    export.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT in points (1280x720)")
    export.add_argument("--scale", type=int, choices=(1, 2), default=1, help="pixel ratio")
    export.add_argument("--no-ghost", action="store_true", help="hide data after the playhead")
    _add_backend(export)

    probe = commands.add_parser("probe", help="run the six boot stages headless and time them")
    _add_backend(probe)
    probe.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the probe frame")
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
        return 70


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
    if args.command == "validate":
        return cmd_validate(args.files)
    if args.command == "export":
        from .export import cmd_export

        return cmd_export(args)
    if args.command == "probe":
        from .export import cmd_probe

        return cmd_probe(args)
    from .app import cmd_open

    return cmd_open(args.file or bundled_incident(), start_at=args.at, backend=args.backend)


def cmd_validate(files: list[Path]) -> int:
    status = EXIT_OK
    for path in files:
        try:
            incident = load_incident(path)
        except IncidentLoadError as exc:
            print(exc, file=sys.stderr)
            status = EXIT_INVALID
            continue
        print(
            f"{path}: ok ({len(incident.series)} series, {len(incident.events)} events, "
            f"duration T+{format_clock(incident.duration)})"
        )
    return status


def parse_size(text: str) -> tuple[int, int]:
    """``1280x720`` → (1280, 720); raises UsageError otherwise."""
    try:
        width_text, height_text = text.lower().split("x")
        width, height = int(width_text), int(height_text)
    except ValueError:
        raise UsageError(f"--size must be WIDTHxHEIGHT such as 1280x720, got {text!r}") from None
    if not (160 <= width <= 8192 and 120 <= height <= 8192):
        raise UsageError(f"--size {text} is out of range: 160x120 to 8192x8192")
    return width, height


if __name__ == "__main__":
    sys.exit(main())
