"""``import datadog``: saved Datadog ``/api/v1/query`` answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cli_common import (
    Source,
    add_common,
    add_values,
    check_count,
    check_top,
    per_source,
    start_of,
    write_draft,
)
from .datadog import series_from_datadog
from .json_source import JsonSource
from .prometheus import check_templates
from .writer import IncidentDraft

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.json")
    add_common(parser)
    add_values(parser)
    parser.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="TEMPLATE",
        help="series labels from the tags, e.g. '{pod} p99' ({metric}, {display_name} and "
        "{scope} too): one for all, or one per FILE in order",
    )
    parser.add_argument(
        "--top", type=int, metavar="K", help="per file, keep the K series with the highest peak"
    )


def _run(args: argparse.Namespace) -> str:
    check_top(args)
    series = []
    labels = per_source(args.label, args.files, "--label")
    check_templates(labels)
    units = per_source(args.unit, args.files, "--unit")
    for path, label, unit in zip(args.files, labels, units, strict=True):
        doc, before = JsonSource.read(path), len(series)
        series += series_from_datadog(
            doc, label=label, unit=unit, scale=args.scale, fallback_label=path.stem,
            top=args.top,
        )  # fmt: skip
        check_count(series, doc, before, ("series",))
        del doc  # its text and parsed lists: a million points are worth freeing early
    title = args.title or next((s.group for s in series if s.group), "") or args.files[0].stem
    made = "replay-viewer import datadog " + " ".join(p.name for p in args.files)
    return write_draft(IncidentDraft(title, series, start=start_of(args), made_by=made), args)


def _sniff(head: str) -> bool:
    return '"pointlist"' in head or ('"res_type"' in head and '"series"' in head)


SOURCE = Source(
    name="datadog",
    summary="saved Datadog /api/v1/query answers (FILE.json …)",
    description="Series from saved Datadog /api/v1/query answers (one query's series are one "
    "group, members labelled by the tags that differ); a null point is a gap.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
