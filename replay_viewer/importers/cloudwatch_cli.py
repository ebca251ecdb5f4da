"""``import cloudwatch``: what ``aws cloudwatch get-metric-data`` and
``get-metric-statistics`` print, saved to files (the pages of one query)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from .cli_common import Source, add_common, add_values, start_of, write_draft
from .cloudwatch import series_from_cloudwatch
from .json_source import JsonSource
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
        "--statistic",
        action="append",
        default=[],
        metavar="NAME",
        help="get-metric-statistics: the statistics to import, e.g. Maximum or p99 (default: "
        "every one in the datapoints)",
    )


def _run(args: argparse.Namespace) -> str:
    if len(args.unit) > 1:
        raise UsageError("import cloudwatch takes one --unit: the files are pages of one query")
    docs = [JsonSource.read(path) for path in args.files]
    series = series_from_cloudwatch(
        docs, unit=args.unit[0] if args.unit else None, scale=args.scale,
        statistics=args.statistic, fallback_group=args.files[0].stem,
    )  # fmt: skip
    title = args.title or next((s.group for s in series if s.group), "") or args.files[0].stem
    made = "replay-viewer import cloudwatch " + " ".join(p.name for p in args.files)
    return write_draft(IncidentDraft(title, series, start=start_of(args), made_by=made), args)


def _sniff(head: str) -> bool:
    return '"MetricDataResults"' in head or ('"Datapoints"' in head and '"Timestamp"' in head)


SOURCE = Source(
    name="cloudwatch",
    summary="aws cloudwatch get-metric-data / get-metric-statistics output (FILE.json …)",
    description="Series from what `aws cloudwatch get-metric-data` prints (MetricDataResults; "
    "the files are pages of one query, merged by result Id; two or more results are one "
    "group) or `aws cloudwatch get-metric-statistics` prints (one series per statistic).",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
