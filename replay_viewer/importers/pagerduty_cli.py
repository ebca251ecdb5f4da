"""``import pagerduty``: an incident's log entries (saved ``GET
/incidents/{id}/log_entries`` pages), merged into an incident as its timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cli_common import Source
from .json_source import JsonSource
from .pagerduty import events_from_log_entries
from .timeline_cli import add_into, merge_into

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_into(parser, many=True)
    parser.add_argument(
        "--routing", action="store_true",
        help="add escalations, assignments and notifications as notes (skipped by default)",
    )  # fmt: skip


def _run(args: argparse.Namespace) -> str:
    docs = [JsonSource.read(path) for path in args.files]
    events, skipped = events_from_log_entries(docs, routing=args.routing)
    notes = []
    if skipped:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        hint = "" if args.routing else " (--routing adds escalations, assignments, notifications)"
        notes.append(f"skipped {sum(skipped.values())} log entries: {counts}{hint}")
    return merge_into(args, lambda _target: (events, notes))


def _sniff(head: str) -> bool:
    return '"log_entries"' in head or ('_log_entry"' in head and '"created_at"' in head)


SOURCE = Source(
    name="pagerduty",
    summary="an incident's log entries from PagerDuty's REST API as events (--into)",
    description="Events from a PagerDuty incident's log entries (saved GET "
    "/incidents/{id}/log_entries pages), added to --into INCIDENT.yaml (in place, or written "
    "to -o NEW.yaml); everything else in the file is kept as written.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
