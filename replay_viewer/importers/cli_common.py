"""What every ``import SOURCE`` command shares: the :class:`Source` row each source module
declares (its name, what it reads, its arguments, how it runs, how to recognise its files),
the common options, and writing the draft (warnings on stderr, the atomic writer, the
report). Source modules (``*_cli.py``) sit above this one; :mod:`.registry` lists them."""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..model import MAX_SERIES
from .common import parse_wall_clock
from .into import merge_draft
from .staging import write_with_data
from .writer import DATA_FORMATS, data_dir, render_incident, report

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from .json_source import JsonSource
    from .writer import IncidentDraft

__all__ = [
    "Source",
    "add_common",
    "add_values",
    "check_count",
    "check_top",
    "per_source",
    "start_of",
    "write_draft",
]


@dataclass(frozen=True)
class Source:
    """One row of the importers' table (:data:`.registry.SOURCES`).

    ``sniff`` gets a file's first 64 KiB (decoded as UTF-8, lossily; for a folder, "DIR:"
    and its file names, a line each) and says whether it is this source's (``import
    FILE…`` without a SOURCE picks the first that does). Its arguments take the files as
    the positional ``files``.
    """

    name: str
    summary: str  # one line: what it reads (help, the sniffer's list of shapes)
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], str]
    sniff: Callable[[str], bool] | None = None
    description: str = ""


def add_common(
    parser: argparse.ArgumentParser, *, output_required: bool = True, series: bool = True
) -> None:
    """``--title``, ``-o``, ``--overwrite``, ``--start`` and, for a source of ``series``,
    ``--into`` and ``--data-format`` (the timeline importers add their own, required,
    ``--into``). ``output_required``: without ``--into``, ``-o`` must be given (checked
    when writing)."""
    parser.add_argument("--title", help="the incident's title (default: from the data)")
    parser.add_argument(
        "-o", "--output", type=_path, metavar="OUT.yaml",
        help="the incident file to write" + ("" if output_required else " (with --into: a "
        "copy, the original untouched)"),
    )  # fmt: skip
    parser.add_argument("--overwrite", action="store_true", help="replace OUT.yaml if it exists")
    parser.add_argument(
        "--start", metavar="ISO",
        help="wall clock of T+0, e.g. 2025-06-03T09:41:00Z (default: the earliest sample "
        "or event); times in the file are relative to it",
    )  # fmt: skip
    if not series:
        return
    parser.add_argument(
        "--into", type=_path, metavar="INCIDENT.yaml",
        help="add the series to this incident (in place unless -o is given, keeping its "
        "text), placed by its started_at",
    )  # fmt: skip
    parser.add_argument(
        "--data-format", choices=DATA_FORMATS, default="npy",
        help="data files for long series (over 5,000 samples): OUT.data/ID.npy (default) or "
        ".csv",
    )  # fmt: skip


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def add_values(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unit",
        action="append",
        default=[],
        help="unit of the values, e.g. ms: one for all, or one per source in order",
    )
    parser.add_argument("--scale", type=_scale, default=1.0, help="multiply values, e.g. 1000")


def _scale(text: str) -> float:
    """A finite factor: nan would make every sample a gap, inf every one too large."""
    try:
        factor = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(factor):
        raise argparse.ArgumentTypeError(f"{text!r}: the factor must be a finite number")
    return factor


def start_of(args: argparse.Namespace) -> float | None:
    return None if args.start is None else parse_wall_clock(args.start)


def write_draft(draft: IncidentDraft, args: argparse.Namespace) -> str:
    """Print what was repaired on the way (positioned in the source), write the incident
    (long series to data files beside it, everything checked by the loader first, nothing
    half-written) or, with ``--into``, add to one; say what was written."""
    for series in [*draft.series, *draft.histograms]:
        for warning in series.warnings:
            print(warning, file=sys.stderr)
    if getattr(args, "into", None) is not None:
        if draft.histograms:
            raise UsageError(
                "--into adds series and events, not histograms yet: import the histogram "
                "to a new incident with -o OUT.yaml"
            )
        return merge_draft(draft, args, start_of(args))
    if args.output is None:
        raise UsageError("give -o OUT.yaml (a new incident) or --into INCIDENT.yaml (add to one)")
    if draft.events and not draft.series and not draft.histograms:
        raise UsageError(
            "an incident needs at least one series: add these events to one with --into "
            "INCIDENT.yaml (import its series first)"
        )
    folder = data_dir(args.output)
    rendered = render_incident(draft, data_format=getattr(args, "data_format", "npy"))
    write_with_data(rendered.text, rendered.files, args.output, folder, overwrite=args.overwrite)
    return report(draft, args.output, rendered.placed)


def check_top(args: argparse.Namespace) -> None:
    if getattr(args, "top", None) is not None and args.top < 1:
        raise UsageError("--top must be at least 1")


def check_count(series: list, doc: JsonSource, before: int, where: tuple[Any, ...]) -> None:
    """Refuse at the result that makes one series too many (of all sources so far);
    ``where`` is the JSON path of the source's list of results."""
    if len(series) > MAX_SERIES:
        raise doc.error(
            (*where, MAX_SERIES - before),
            f"this is series {MAX_SERIES + 1:,}, and an incident holds at most "
            f"{MAX_SERIES:,}: keep the highest with --top K, or aggregate (sum by (…))",
        )


def per_source(given: list[str], sources: list, option: str) -> list:
    """One ``--label``/``--unit`` per source, the same one for all, or none."""
    if not given:
        return [None] * len(sources)
    if len(given) == 1:
        return given * len(sources)
    if len(given) != len(sources):
        raise UsageError(
            f"{len(given)} {option} values for {len(sources)} sources: give one for all, or "
            "one per source in order"
        )
    return list(given)
