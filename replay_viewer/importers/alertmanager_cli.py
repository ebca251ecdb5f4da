"""``import alertmanager``: alerts from saved webhook payloads or a ``/api/v2/alerts``
answer, merged into an incident as ``alert`` spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .alertmanager import events_from_alerts
from .cli_common import Source
from .json_source import JsonSource
from .timeline_cli import add_into, merge_into

if TYPE_CHECKING:
    import argparse

    from .common import ImportedEvent
    from .timeline_cli import Target

__all__ = ["SOURCE"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_into(parser, many=True)


def _run(args: argparse.Namespace) -> str:
    docs = [JsonSource.read(path) for path in args.files]

    def read(target: Target) -> tuple[list[ImportedEvent], list[str]]:
        events = events_from_alerts(docs, open_until=target.end)
        firing = [e for e in events if e.extra.get("firing")]
        notes = []
        if firing:
            late = sum(e.until is None for e in firing)
            notes.append(
                f"{len(firing)} still firing when saved: drawn to the incident's end "
                f"({target.timecode(target.end)})"
                + (f"; {late} began after it and are points" if late else "")
            )
        return events, notes

    return merge_into(args, read)


def _sniff(head: str) -> bool:
    # A webhook payload ("alerts": [...] with "startsAt") or /api/v2/alerts (a list of
    # alerts with "labels", "startsAt" and "fingerprint").
    if '"startsAt"' not in head:
        return False
    return '"alerts"' in head or (head.lstrip().startswith("[") and '"fingerprint"' in head)


SOURCE = Source(
    name="alertmanager",
    summary="alert spans from Alertmanager webhook payloads or /api/v2/alerts (--into)",
    description="Alerts from saved Alertmanager webhook payloads or a GET /api/v2/alerts "
    "answer, added as alert spans (startsAt to endsAt) to --into INCIDENT.yaml (in place, "
    "or written to -o NEW.yaml); everything else in the file is kept as written.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
