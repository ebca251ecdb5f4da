"""``import grafana-annotations``: events from a saved ``/api/annotations`` answer, merged
into an existing incident file (its text kept as written)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..errors import OutputError, UsageError
from .cli_common import Source, add_common, start_of
from .grafana import events_from_annotations, parse_kind_map
from .json_source import JsonSource
from .merge import merge_event_lines, read_incident_text, replace_title
from .writer import event_line, quote, write_incident

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(grafana: argparse.ArgumentParser) -> None:
    from pathlib import Path

    grafana.add_argument("files", nargs=1, type=Path, metavar="FILE.json")
    grafana.add_argument("--into", type=Path, metavar="INCIDENT.yaml", required=True)
    add_common(grafana, output_required=False)
    grafana.add_argument("--kind-map", metavar="TAG=KIND,…", help="more tags that name kinds")


def _run(args: argparse.Namespace) -> str:
    kinds = parse_kind_map(args.kind_map)
    path = args.files[0]
    events = events_from_annotations(JsonSource.read(path), kinds)
    text, incident = read_incident_text(args.into)
    start = start_of(args)
    if incident.started_at is not None:
        started = incident.started_at
        if started.tzinfo is None:  # the format's naive date-times are UTC, not local time
            started = started.replace(tzinfo=dt.UTC)
        clock = started.timestamp()
        if start is not None and abs(start - clock) > 1e-3:
            raise UsageError(
                f"--start differs from {args.into}'s started_at ({incident.started_at}); "
                "leave --start out to place the events by the incident's clock"
            )
        start = clock
    if start is None:
        raise UsageError(f"{args.into} has no started_at: give --start, the wall clock of its T+0")
    known = {(round(e.at, 3), e.title) for e in incident.events}
    lines = [event_line(e, start).removeprefix("  - ") for e in events]
    fresh = [
        line for event, line in zip(events, lines, strict=True)
        if (round(event.at - start, 3), event.title) not in known
    ]  # fmt: skip
    merged = merge_event_lines(text, str(args.into), fresh) if fresh else text
    if args.title:
        merged = replace_title(merged, quote(args.title))
    out = args.output or args.into
    if out != args.into and out.exists() and not args.overwrite:
        raise OutputError(f"{out} exists; add --overwrite to replace it")
    # --into alone rewrites the incident in place: that is what it asks for.
    problem = f"merging would make {out} invalid, so nothing was written"
    write_incident(merged, out, overwrite=True, problem=problem)
    kinds_found = sorted({e.kind for e in events})
    return (
        f"{out}: added {len(fresh)} events from {path} "
        f"({len(events) - len(fresh)} already there; kinds: {', '.join(kinds_found)})"
    )


def _sniff(head: str) -> bool:
    # A JSON list of annotations: objects with "time" and "text" (and usually "tags").
    body = head.lstrip()
    return body.startswith("[") and '"time"' in head and '"text"' in head


SOURCE = Source(
    name="grafana-annotations",
    summary="events from a saved /api/annotations answer, merged into an incident (--into)",
    description="Events from Grafana annotations, added to --into INCIDENT.yaml (in place, "
    "or written to -o NEW.yaml); everything else in the file is kept as written.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
