"""The command line's parser: every command and option (``replay-viewer --help``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._version import __version__
from ..options import BACKENDS
from ..timecode import TimecodeError, parse_timecode

__all__ = ["COMMANDS", "build_parser", "normalise_argv"]


COMMANDS = ("open", "validate", "export", "probe", "import")


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


def _add_allow_outside(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-outside-paths",
        action="store_true",
        help="let series read data files outside the incident's folder (.., absolute, symlinks)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replay-viewer",
        description="Replay production incidents on the GPU. With no command, opens FILE "
        "(default: the bundled cache-stampede incident) in a window.",
        epilog="Exit codes: 0 ok, 1 invalid incident, 2 usage, 3 no GPU, 4 cannot write output "
        "(also: the folder is in use by another export).",
    )
    parser.add_argument("--version", action="version", version=f"replay-viewer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_cmd = commands.add_parser(
        "open", help="open an incident in a window (the default command)"
    )
    open_cmd.add_argument("file", nargs="?", type=Path, help="incident YAML (default: bundled)")
    open_cmd.add_argument("--at", type=_timecode_arg, help="start at this time, e.g. T+05:00")
    _add_allow_outside(open_cmd)
    _add_backend(open_cmd)

    validate = commands.add_parser(
        "validate", help="check incident files and print every problem with its position"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_allow_outside(validate)
    validate.add_argument("--metrics", action="store_true", help="also print its metrics")
    validate.add_argument("--json", action="store_true", help="print one JSON document")

    _add_export(commands)

    from ..importers import add_import_parser

    add_import_parser(commands)

    probe = commands.add_parser("probe", help="run the six boot stages headless and time them")
    _add_backend(probe)
    probe.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the probe frame")
    return parser


def _add_export(commands) -> None:
    export = commands.add_parser(
        "export",
        help="render frames to PNG",
        description="Render the frame at one time (default: the end) to PNG, or a sequence of "
        "frames with --frames/--every into a folder with a frames.json index.",
    )
    export.add_argument("file", type=Path, metavar="FILE")
    _add_allow_outside(export)
    when = export.add_mutually_exclusive_group()
    when.add_argument("--at", type=_timecode_arg, help="time of the frame, e.g. T+05:00")
    when.add_argument("--frames", type=int, help="N frames evenly from start to end")
    when.add_argument("--every", type=_timecode_arg, help="one frame every DUR, e.g. 5s")
    export.add_argument("-o", "--output", type=Path, help="PNG file, or folder for a sequence")
    export.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT in points (1280x720)")
    export.add_argument("--scale", type=int, choices=(1, 2), default=1, help="pixel ratio")
    export.add_argument("--no-ghost", action="store_true", help="hide data after the playhead")
    replace = export.add_mutually_exclusive_group()
    replace.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing PNG, or write a sequence into a folder that holds other files",
    )
    replace.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted sequence (same incident file and options)",
    )
    _add_backend(export)


def normalise_argv(argv: list[str]) -> list[str]:
    """``replay-viewer FILE`` and a bare ``replay-viewer`` mean ``replay-viewer open …``."""
    if not argv:
        return ["open"]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["open", *argv]
