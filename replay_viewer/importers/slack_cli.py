"""``import slack``: pinned (and chosen-reaction) messages of a Slack export's channel,
merged into an incident as events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from ..loader.diagnostics import plural
from .cli_common import Source
from .common import ImportInputError, kind_pairs
from .slack import Choice, events_from_channel, read_export
from .timeline_cli import add_into, merge_into, wall_or_timecode

if TYPE_CHECKING:
    import argparse

    from .common import ImportedEvent
    from .timeline_cli import Target

__all__ = ["SOURCE"]

DEFAULT_REACTIONS = ("pushpin",)


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_into(parser, files="DIR", many=False)
    parser.add_argument(
        "--channel", action="append", default=[], metavar="NAME",
        help="the channel (repeatable; default: the export's only channel)",
    )  # fmt: skip
    for flag, dest, edge in (("--from", "since", "first"), ("--to", "until", "last")):
        parser.add_argument(
            flag, dest=dest, metavar="T",
            help=f"the {edge} message time: a timecode from T+0 (T-10:00) or an ISO wall clock",
        )  # fmt: skip
    parser.add_argument(
        "--reaction", action="append", default=[], metavar="NAME",
        help="messages with this reaction become events (repeatable; default: pushpin); "
        "pinned messages always do",
    )  # fmt: skip
    parser.add_argument(
        "--kind-map", metavar="REACTION=KIND,…",
        help="a reaction that picks the event's kind (and the message), e.g. rotating_light=alert",
    )  # fmt: skip


def _run(args: argparse.Namespace) -> str:
    root = args.files[0]
    if not root.is_dir():
        raise ImportInputError("expected the folder of an unzipped Slack export", str(root))
    export = read_export(root)
    kinds = kind_pairs(args.kind_map, {}, what="REACTION")
    reactions = frozenset(r.strip(":").lower() for r in args.reaction or DEFAULT_REACTIONS)
    channels = _channels(args.channel, export.channels.values(), root)

    def read(target: Target) -> tuple[list[ImportedEvent], list[str]]:
        since, until = (
            None if text is None else wall_or_timecode(text, target, flag)
            for text, flag in ((args.since, "--from"), (args.until, "--to"))
        )
        choice = Choice(reactions, kinds, since, until)
        events, notes = [], []
        wanted = ", ".join(f":{name}:" for name in sorted(reactions | set(kinds)))
        for channel in channels:
            found, read_count = events_from_channel(export, channel, choice)
            events += found
            notes.append(
                f"#{channel}: {plural(len(found), 'message', 'messages')} of {read_count:,} "
                f"pinned or with {wanted}"
            )
        if not events:
            span = _span(target, since, until)
            raise ImportInputError(
                f"no message in {', '.join('#' + c for c in channels)}{span} is pinned or "
                f"carries {wanted}; choose reactions with --reaction, or widen --from/--to",
                str(root),
            )
        return events, notes

    return merge_into(args, read)


def _channels(given: list[str], known, root) -> list[str]:
    names = sorted({name for name in known if (root / name).is_dir()})
    if not names:
        raise ImportInputError(
            "no folder of a channel in channels.json: is it unzipped?", str(root)
        )
    if not given:
        if len(names) == 1:
            return names
        raise UsageError(
            f"{root} has {len(names)} channels: pick with --channel ({', '.join(names)})"
        )
    chosen = [name.lstrip("#") for name in given]
    for name in chosen:
        if name not in names:
            raise UsageError(f"no channel #{name} in {root}; it has: {', '.join(names)}")
    return chosen


def _span(target: Target, since: float | None, until: float | None) -> str:
    if since is None and until is None:
        return ""
    low = "the start" if since is None else target.timecode(since)
    high = "the end" if until is None else target.timecode(until)
    return f" from {low} to {high}"


def _sniff(head: str) -> bool:
    names = head.split("\n")
    return (
        names[0] == "DIR:"
        and "channels.json" in names
        and ("users.json" in names or "org_users.json" in names)
    )


SOURCE = Source(
    name="slack",
    summary="pinned or reacted messages of a Slack export's channel as events (--into)",
    description="Events from a Slack workspace export (the unzipped folder): the channel's "
    "pinned messages and those with a chosen reaction, added to --into INCIDENT.yaml (in "
    "place, or written to -o NEW.yaml); everything else in the file is kept as written.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
