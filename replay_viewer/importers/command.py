"""``replay-viewer import SOURCE …``: the arguments of each source and what runs them.

The CLI adds :func:`add_import_parser` to its commands and calls :func:`run_import`, which
prints what it wrote, or why the input cannot become an incident (exit 1); ``UsageError``
(2) and ``OutputError`` (4) go up to the CLI's handlers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EXIT_INVALID, EXIT_OK, OutputError, UsageError
from ..model import MAX_SERIES
from ..timecode import TimecodeError, parse_timecode
from .common import ImportInputError, parse_wall_clock
from .csv_table import series_from_csv
from .grafana import events_from_annotations, parse_kind_map
from .json_source import JsonSource
from .merge import merge_event_lines, read_incident_text, replace_title
from .prom_http import PASSWORD_ENV, TOKEN_ENV, PromServer, auto_step
from .prometheus import series_from_response
from .writer import IncidentDraft, event_line, incident_text, quote, report, write_incident

if TYPE_CHECKING:
    import argparse

__all__ = ["add_import_parser", "run_import"]


def _common(parser: argparse.ArgumentParser, *, output_required: bool = True) -> None:
    parser.add_argument("--title", help="the incident's title (default: from the data)")
    parser.add_argument(
        "-o", "--output", type=Path, required=output_required, metavar="OUT.yaml",
        help="the incident file to write",
    )  # fmt: skip
    parser.add_argument("--overwrite", action="store_true", help="replace OUT.yaml if it exists")
    parser.add_argument(
        "--start", metavar="ISO",
        help="wall clock of T+0, e.g. 2025-06-03T09:41:00Z (default: the earliest sample "
        "or event); times in the file are relative to it",
    )  # fmt: skip


def _values(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unit",
        action="append",
        default=[],
        help="unit of the values, e.g. ms: one for all, or one per source in order",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply values, e.g. 1000")


def _add_prometheus_parser(sources) -> None:
    prom = sources.add_parser(
        "prometheus",
        help="saved query_range answers (FILE.json …) or a live server (--url --query …)",
        description="One series per result of saved /api/v1/query_range answers, or of "
        f"queries run on --url. Basic auth: --user, password in {PASSWORD_ENV}; bearer "
        f"token: {TOKEN_ENV}.",
    )
    prom.add_argument("files", nargs="*", type=Path, metavar="FILE.json")
    _common(prom)
    _values(prom)
    prom.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="TEMPLATE",
        help="series labels from the metric's labels, e.g. '{job} p99': one for all, or one "
        "per FILE/--query in order",
    )
    live = prom.add_argument_group("live server")
    live.add_argument("--url", help="Prometheus base URL, e.g. http://HOST:9090")
    live.add_argument("--query", action="append", default=[], metavar="Q", help="PromQL")
    live.add_argument("--end", metavar="ISO", help="end of the range (with --start)")
    live.add_argument("--step", help="resolution, e.g. 5s (default: at most 1000 points)")
    live.add_argument("--t0", metavar="ISO", help="wall clock of T+0 (default: --start)")
    live.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    live.add_argument("--user", help=f"basic-auth user; password from {PASSWORD_ENV}")
    live.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    prom.add_argument(
        "--top",
        type=int,
        metavar="K",
        help="per query (or file), keep the K series with the highest peak",
    )


def add_import_parser(commands) -> None:
    command = commands.add_parser(
        "import",
        help="turn monitoring data into an incident file",
        description="Write an incident file from Prometheus range queries (saved or live), "
        "Grafana annotations or a CSV. See docs/importing.md.",
    )
    sources = command.add_subparsers(dest="source", metavar="SOURCE", required=True)
    _add_prometheus_parser(sources)

    grafana = sources.add_parser(
        "grafana-annotations",
        help="events from a saved /api/annotations answer, merged into an incident",
        description="Events from Grafana annotations, added to --into INCIDENT.yaml (in place, "
        "or written to -o NEW.yaml); everything else in the file is kept as written.",
    )
    grafana.add_argument("file", type=Path, metavar="FILE.json")
    grafana.add_argument("--into", type=Path, metavar="INCIDENT.yaml", required=True)
    _common(grafana, output_required=False)
    grafana.add_argument("--kind-map", metavar="TAG=KIND,…", help="more tags that name kinds")

    table = sources.add_parser(
        "csv", help="a wide CSV: one time column, one column per series",
        description="A CSV as Grafana's Inspect ▸ Data ▸ Download CSV writes it.",
    )  # fmt: skip
    table.add_argument("file", type=Path, metavar="FILE.csv")
    _common(table)
    _values(table)
    table.add_argument("--time-column", required=True, metavar="C", help="the time column")
    table.add_argument("--columns", metavar="A,B", help="series columns (default: all others)")
    table.add_argument(
        "--group",
        metavar="NAME",
        help="the columns are one query's results (per pod, host…): show them as one group",
    )


def run_import(args: argparse.Namespace) -> int:
    """Run ``args.source`` and print what was written; bad input is printed here (exit 1),
    usage and output errors go up to the CLI's handlers (exit 2 and 4)."""
    run = {"prometheus": _prometheus, "grafana-annotations": _grafana, "csv": _csv}
    try:
        print(run[args.source](args))
    except ImportInputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _start(args: argparse.Namespace) -> float | None:
    return None if args.start is None else parse_wall_clock(args.start)


def _write(draft: IncidentDraft, args: argparse.Namespace) -> str:
    for series in draft.series:  # what was repaired on the way, positioned in the source
        for warning in series.warnings:
            print(warning, file=sys.stderr)
    text = incident_text(draft)
    write_incident(text, args.output, overwrite=args.overwrite)
    return report(draft, args.output)


def _check_top(args: argparse.Namespace) -> None:
    if args.top is not None and args.top < 1:
        raise UsageError("--top must be at least 1")


def _check_count(series: list, doc: JsonSource, before: int) -> None:
    """Refuse at the result that makes one series too many (of all sources so far)."""
    if len(series) > MAX_SERIES:
        index = MAX_SERIES - before
        raise doc.error(
            ("data", "result", index),
            f"this is series {MAX_SERIES + 1:,}, and an incident holds at most "
            f"{MAX_SERIES:,}: keep the highest with --top K, or aggregate (sum by (…))",
        )


def _prometheus(args: argparse.Namespace) -> str:
    if args.url and args.files:
        raise UsageError("give saved FILE.json answers or --url, not both")
    if args.url:
        return _prometheus_live(args)
    if not args.files:
        raise UsageError("import prometheus needs FILE.json answers, or --url with --query")
    if args.query or args.end or args.step or args.t0:
        raise UsageError("--query, --end, --step and --t0 go with --url")
    _check_top(args)
    series = []
    labels = _per_source(args.label, args.files, "--label")
    units = _per_source(args.unit, args.files, "--unit")
    for path, label, unit in zip(args.files, labels, units, strict=True):
        doc, before = JsonSource.read(path), len(series)
        series += series_from_response(
            doc, label=label, unit=unit or "", scale=args.scale, fallback_label=path.stem,
            top=args.top,
        )  # fmt: skip
        _check_count(series, doc, before)
    title = args.title or args.files[0].stem
    made = "replay-viewer import prometheus " + " ".join(p.name for p in args.files)
    return _write(IncidentDraft(title, series, start=_start(args), made_by=made), args)


def _per_source(given: list[str], sources: list, option: str) -> list:
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


def _prometheus_live(args: argparse.Namespace) -> str:
    if not args.query:
        raise UsageError("--url needs at least one --query")
    if args.start is None or args.end is None:
        raise UsageError("--url needs --start and --end (ISO-8601 date-times)")
    start, end = parse_wall_clock(args.start), parse_wall_clock(args.end, "--end")
    if end <= start:
        raise UsageError("--end must be after --start")
    try:
        step = parse_timecode(args.step) if args.step else auto_step(end - start)
    except TimecodeError as exc:
        raise UsageError(f"--step: {exc}") from None
    if step <= 0:
        raise UsageError("--step must be positive")
    if (end - start) / step > 11_000:  # Prometheus refuses more points per series
        raise UsageError(
            f"{(end - start) / step:,.0f} steps: Prometheus answers at most 11,000 points "
            "per series; raise --step or narrow --start/--end"
        )
    _check_top(args)
    server = PromServer(args.url, user=args.user, insecure=args.insecure, timeout=args.timeout)
    series = []
    labels = _per_source(args.label, args.query, "--label")
    units = _per_source(args.unit, args.query, "--unit")
    for query, label, unit in zip(args.query, labels, units, strict=True):
        doc, before = server.query_range(query, start, end, step), len(series)
        series += series_from_response(
            doc, label=label, unit=unit or "", scale=args.scale, fallback_label=query,
            step=step, top=args.top,
        )  # fmt: skip
        _check_count(series, doc, before)
    t0 = parse_wall_clock(args.t0, "--t0") if args.t0 else start
    made = f"replay-viewer import prometheus --url {server.url} (step {step:g} s)"
    draft = IncidentDraft(args.title or args.query[0], series, start=t0, made_by=made)
    return _write(draft, args)


def _grafana(args: argparse.Namespace) -> str:
    kinds = parse_kind_map(args.kind_map)
    events = events_from_annotations(JsonSource.read(args.file), kinds)
    text, incident = read_incident_text(args.into)
    start = _start(args)
    if incident.started_at is not None:
        clock = incident.started_at.timestamp()
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
        f"{out}: added {len(fresh)} events from {args.file} "
        f"({len(events) - len(fresh)} already there; kinds: {', '.join(kinds_found)})"
    )


def _csv(args: argparse.Namespace) -> str:
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else None
    if len(args.unit) > 1:
        raise UsageError("import csv takes one --unit, for every column")
    series, relative = series_from_csv(
        args.file, time_column=args.time_column, columns=columns, unit="".join(args.unit),
        scale=args.scale, group=args.group or "",
    )  # fmt: skip
    draft = IncidentDraft(
        args.title or args.file.stem,
        series,
        start=_start(args),
        relative=relative,
        made_by=f"replay-viewer import csv {args.file.name}",
    )
    return _write(draft, args)
