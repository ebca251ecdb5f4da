"""``replay-viewer event``: add, list, remove and star events in an incident file from a
script or a chat bot, through the same writer as the window (the rest of the file stays
byte for byte; the result is checked by the loader before it is written, atomically).

Part of the top layer, :mod:`replay_viewer.cli` (nothing imports it). A bad time or kind
is a usage error (2); an event the file would not load with is refused with the loader's
positioned reason (1); a file that cannot be written is 4.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..edit import EditRefusedError, EditSession, EventFields, SaveError
from ..errors import EXIT_INVALID, EXIT_OK, OutputError, UsageError
from ..loader import IncidentLoadError, load_incident
from ..loader.yaml_nodes import suggest
from ..model import EVENT_KINDS
from ..timecode import ACCEPTED_FORMS, TimecodeError, format_timecode, parse_timecode
from .export_command import add_allow_outside

if TYPE_CHECKING:
    import argparse

    from ..model import Event

__all__ = ["add_event_parser", "cmd_event"]

# An event "at" a time given on the command line: a timecode is written to the millisecond.
_SAME_TIME = 5e-4


def add_event_parser(commands: argparse._SubParsersAction) -> None:
    event = commands.add_parser(
        "event",
        help="add, list, remove or star timeline events in an incident file",
        description="Edit an incident's timeline in place: only the event's lines change "
        "(comments, order and layout of the rest are kept); the result is checked before "
        "the file is written.",
    )
    actions = event.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an event")
    _file_and_time(add)
    add.add_argument("--title", required=True, help="what happened (one line)")
    add.add_argument("--kind", default="note", metavar="KIND",
                     help=f"one of {', '.join(EVENT_KINDS)} (default: note)")  # fmt: skip
    add.add_argument("--detail", default="", help="more about it")
    add.add_argument("--until", metavar="TIME", help="the end of a span, e.g. T+07:00")
    add.add_argument("--star", action="store_true", help="star it (exports tell its story)")
    listing = actions.add_parser("list", help="list the events, in time order")
    listing.add_argument("file", type=Path, metavar="FILE")
    listing.add_argument("--json", action="store_true", help="print one JSON document")
    add_allow_outside(listing)
    remove = actions.add_parser("rm", help="remove the event at a time")
    _file_and_time(remove)
    remove.add_argument("--title", help="of the events at that time, the one whose title "
                        "is this (or contains it, ignoring case)")  # fmt: skip
    star = actions.add_parser("star", help="star the event at a time (--off: unstar it)")
    _file_and_time(star)
    star.add_argument("--title", help="as for rm: which of the events at that time")
    star.add_argument("--off", action="store_true", help="take the star away")


def _file_and_time(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--at", required=True, metavar="TIME", help="e.g. T+05:00, 300, 5m")
    add_allow_outside(parser)


def cmd_event(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list(args)
    at = _time("--at", args.at)
    if args.action == "add":
        fields = _fields(args, at)
    try:
        session = EditSession.open(
            args.file, journal=False, allow_outside_paths=args.allow_outside_paths
        )
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.action == "add":
            event, done = session.add(fields), "added"
        else:
            target = _chosen(session.incident.events, at, args.title, args.file)
            if args.action == "rm":
                session.remove(target)
                event, done = target, "removed"
            else:
                event = session.update(target, star=not args.off)
                done = "unstarred" if args.off else "starred"
    except EditRefusedError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        done = {"add": "added", "rm": "removed"}.get(args.action, "changed")
        print(f"replay-viewer: error: event not {done}: {args.file} would not load so; "
              "nothing was written", file=sys.stderr)  # fmt: skip
        return EXIT_INVALID
    try:
        session.save()
    except SaveError as exc:  # exit 4, without the window's "your edits are kept" advice
        raise OutputError(f"{exc.reason}; the event was not saved, the file is unchanged") from None
    print(f"{args.file}:{event.line}:{event.column}: {done} {_describe(event)}")
    return EXIT_OK


def _time(option: str, text: str) -> float:
    try:
        return parse_timecode(text)
    except TimecodeError as exc:
        reason = str(exc)
        if reason.startswith(("invalid timecode", "empty timecode")):
            raise UsageError(f"{option} {text!r} is not a timecode; use {ACCEPTED_FORMS}") from None
        raise UsageError(f"{option} {text!r}: {reason}") from None


def _fields(args: argparse.Namespace, at: float) -> EventFields:
    if args.kind not in EVENT_KINDS:
        raise UsageError(
            f"--kind {args.kind!r} is not an event kind{suggest(args.kind, EVENT_KINDS)}; "
            f"use one of {', '.join(EVENT_KINDS)}"
        )
    until = _time("--until", args.until) if args.until is not None else None
    return EventFields(at, args.title, args.kind, args.detail, until, args.star)


def _chosen(events: tuple[Event, ...], at: float, title: str | None, path: Path) -> Event:
    """The one event at ``at`` (with ``title``): a usage error listing the candidates when
    none or several match."""
    there = [event for event in events if abs(event.at - at) < _SAME_TIME]
    matching = there
    if title is not None:
        exact = [event for event in there if event.title == title]
        matching = exact or [e for e in there if title.casefold() in e.title.casefold()]
    if len(matching) == 1:
        return matching[0]
    when = format_timecode(at, decimals=3 if at % 1 else 0)
    titled = f" titled {title!r}" if title is not None else ""
    if matching and len({(e.line, e.column) for e in matching}) == 1:  # one node, aliased
        e = matching[0]
        raise UsageError(
            f"{path}:{e.line}:{e.column}: the event at {when} is listed {len(matching)} times "
            "through a YAML alias; edit the file by hand"
        )
    if matching:
        listed = "".join(f"\n  {path}:{e.line}:{e.column}: {_describe(e)}" for e in matching)
        raise UsageError(f"{len(matching)} events at {when}{titled}; choose one with "
                         f"--title:{listed}")  # fmt: skip
    near = sorted(sorted(events, key=lambda event: abs(event.at - at))[:3], key=lambda e: e.at)
    listed = "".join(f"\n  {path}:{e.line}:{e.column}: {_describe(e)}" for e in near)
    raise UsageError(f"no event at {when}{titled}" + (f"; the nearest:{listed}" if near else ""))


def _describe(event: Event) -> str:
    text = f"{event.kind} {event.title!r} at {_when(event.at)}"
    if event.until is not None:
        text += f" until {_when(event.until)}"
    return text + (" (starred)" if event.star else "")


def _when(t: float) -> str:
    return format_timecode(t, decimals=3 if t % 1 else 0)


def _list(args: argparse.Namespace) -> int:
    try:
        incident = load_incident(args.file, allow_outside_paths=args.allow_outside_paths)
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        rows = [
            {"at": e.at, "at_text": _when(e.at), "kind": e.kind, "title": e.title,
             "detail": e.detail, "until": e.until,
             "until_text": _when(e.until) if e.until is not None else None,
             "star": e.star, "line": e.line, "column": e.column}
            for e in incident.events
        ]  # fmt: skip
        print(json.dumps({"file": str(args.file), "events": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    for e in incident.events:
        until = f" until {_when(e.until)}" if e.until is not None else ""
        star = "*" if e.star else " "
        print(f"{args.file}:{e.line}:{e.column}: {_when(e.at):>9} {star} {e.kind:<8} "
              f"{e.title}{until}")  # fmt: skip
    return EXIT_OK
