"""``import csv``: a wide CSV (one time column, one column per series), as Grafana's
Inspect ▸ Data ▸ Download CSV writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from .cli_common import Source, add_common, add_values, start_of, write_draft
from .csv_table import series_from_csv
from .writer import IncidentDraft

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(table: argparse.ArgumentParser) -> None:
    from pathlib import Path

    table.add_argument("files", nargs=1, type=Path, metavar="FILE.csv")
    add_common(table)
    add_values(table)
    table.add_argument("--time-column", metavar="C", help="the time column (default: the first)")
    table.add_argument("--columns", metavar="A,B", help="series columns (default: all others)")
    table.add_argument(
        "--group",
        metavar="NAME",
        help="the columns are one query's results (per pod, host…): show them as one group",
    )


def _run(args: argparse.Namespace) -> str:
    path = args.files[0]
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else None
    if len(args.unit) > 1:
        raise UsageError("import csv takes one --unit, for every column")
    series, relative = series_from_csv(
        path, time_column=args.time_column, columns=columns, unit="".join(args.unit),
        scale=args.scale, group=args.group or "",
    )  # fmt: skip
    draft = IncidentDraft(
        args.title or path.stem,
        series,
        start=start_of(args),
        relative=relative,
        made_by=f"replay-viewer import csv {path.name}",
    )
    return write_draft(draft, args)


def _sniff(head: str) -> bool:
    # Not JSON, and a first line that splits into at least two comma-separated cells.
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    return not head.lstrip().startswith(("{", "[", "#")) and first.count(",") >= 1


SOURCE = Source(
    name="csv",
    summary="a wide CSV: one time column, one column per series",
    description="A CSV as Grafana's Inspect ▸ Data ▸ Download CSV writes it.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
