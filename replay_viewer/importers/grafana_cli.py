"""``import grafana-annotations``: events from a saved ``/api/annotations`` answer, merged
into an existing incident file (its text kept as written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cli_common import Source
from .grafana import events_from_annotations, parse_kind_map
from .json_source import JsonSource
from .timeline_cli import add_into, merge_into

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(grafana: argparse.ArgumentParser) -> None:
    add_into(grafana, many=False)
    grafana.add_argument("--kind-map", metavar="TAG=KIND,…", help="more tags that name kinds")


def _run(args: argparse.Namespace) -> str:
    kinds = parse_kind_map(args.kind_map)
    doc = JsonSource.read(args.files[0])
    return merge_into(args, lambda _target: (events_from_annotations(doc, kinds), []))


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
