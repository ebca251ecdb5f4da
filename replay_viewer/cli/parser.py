"""The command line's parser: every command and option (``replay-viewer --help``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._version import __version__
from ..errors import UsageError
from ..story import DEFAULT_PACE_S, parse_event_choice
from .compare_command import add_compare_parser
from .event_command import add_event_parser
from .export_command import (
    add_allow_outside,
    add_backend,
    add_export_parser,
    add_probe_parser,
    timecode_arg,
)

__all__ = ["COMMANDS", "build_parser", "joined_negative_values", "normalise_argv"]


COMMANDS = ("open", "present", "compare", "validate", "export", "probe", "import", "event")


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
    open_cmd.add_argument("--at", type=timecode_arg, help="start at this time, e.g. T+05:00")
    add_allow_outside(open_cmd)
    add_backend(open_cmd)
    add_present_parser(commands)
    add_compare_parser(commands, _window_options)

    validate = commands.add_parser(
        "validate", help="check incident files and print every problem with its position"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_allow_outside(validate)
    validate.add_argument("--metrics", action="store_true", help="also print its metrics")
    validate.add_argument("--json", action="store_true", help="print one JSON document")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (repeated or unordered times, a DST hour, a declared milestone "
        "the data contradicts, …) as errors: exit 1",
    )
    validate.add_argument(
        "--sustain",
        type=duration_arg,
        metavar="DURATION",
        help="how long a series must stay on a threshold's bad side to breach it, and on its "
        "good side to recover, where the threshold has no 'sustain:' (default 60s)",
    )

    add_export_parser(commands)

    from ..importers import add_import_parser

    add_import_parser(commands)
    add_event_parser(commands)
    add_probe_parser(commands)
    return parser


def add_present_parser(commands) -> None:
    present = commands.add_parser(
        "present",
        help="open an incident in presenter mode: full screen, step through its story "
        "(→/PageDown next, ←/PageUp back, B blank, Esc leaves)",
    )
    present.add_argument("file", nargs="?", type=Path, help="incident YAML (default: bundled)")
    present.add_argument("--at", type=timecode_arg, help="start at this time (default: T+0)")
    present.add_argument(
        "--pace",
        type=duration_arg,
        default=DEFAULT_PACE_S,
        metavar="SECONDS",
        help=f"how long a step from one moment to the next takes (default {DEFAULT_PACE_S:g} s)",
    )
    present.add_argument(
        "--events",
        type=events_arg,
        default="auto",
        metavar="all|starred|T1,T2,…",
        help="the moments told: the starred events (default, every event when none is), all "
        "of them, or these times",
    )
    add_allow_outside(present)
    add_backend(present)


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", type=timecode_arg, help="start at this time, e.g. T+05:00")
    add_allow_outside(parser)
    add_backend(parser)


def events_arg(text: str):
    """``--events``: all, starred, auto or a list of times (argparse's error on a bad one)."""
    try:
        return parse_event_choice(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def duration_arg(text: str) -> float:
    """A duration of 0 s or more (``90s``, ``2m``, ``60``)."""
    seconds = timecode_arg(text)
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative; give a duration like 90s or 2m")
    return seconds


def normalise_argv(argv: list[str]) -> list[str]:
    """``replay-viewer FILE`` and a bare ``replay-viewer`` mean ``replay-viewer open …``."""
    if not argv:
        return ["open"]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["open", *argv]


def joined_negative_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--sustain -5s`` as ``--sustain=-5s``: argparse reads a value that starts with a
    minus sign and is not a plain number as another option ("expected one argument"), so a
    negative duration or time would never reach its own check ("is negative")."""
    takes_value = _options_with_a_value(parser)
    joined: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else ""
        if word in takes_value and following[:1] == "-" and following[1:2].isdigit():
            joined.append(f"{word}={following}")
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined


def _options_with_a_value(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:  # argparse keeps no public list of them
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _options_with_a_value(sub)
        elif action.option_strings and action.nargs is None:
            found.update(s for s in action.option_strings if s.startswith("--"))
    return found
