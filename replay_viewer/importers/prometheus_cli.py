"""``import prometheus``: saved ``/api/v1/query_range`` answers, or a live server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from ..timecode import TimecodeError, format_shift, parse_timecode
from .baselines import add_baseline_option, attach_baselines, check_baseline
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
from .common import parse_wall_clock
from .json_source import JsonSource
from .prom_histogram import bucket_results, histogram_from_response
from .prom_http import PASSWORD_ENV, TOKEN_ENV, PromServer, auto_step
from .prometheus import check_templates, series_from_response
from .writer import IncidentDraft

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(prom: argparse.ArgumentParser) -> None:
    from pathlib import Path

    prom.add_argument("files", nargs="*", type=Path, metavar="FILE.json")
    add_common(prom)
    add_values(prom)
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
    add_baseline_option(live)
    prom.add_argument(
        "--top",
        type=int,
        metavar="K",
        help="per query (or file), keep the K series with the highest peak",
    )


def _run(args: argparse.Namespace) -> str:
    if args.url and args.files:
        raise UsageError("give saved FILE.json answers or --url, not both")
    check_baseline(args)
    if args.url:
        return _live(args)
    if not args.files:
        raise UsageError("import prometheus needs FILE.json answers, or --url with --query")
    if args.query or args.end or args.step or args.t0:
        raise UsageError("--query, --end, --step and --t0 go with --url")
    check_top(args)
    series, histograms = [], []
    labels = per_source(args.label, args.files, "--label")
    check_templates(labels)
    units = per_source(args.unit, args.files, "--unit")
    for path, label, unit in zip(args.files, labels, units, strict=True):
        doc, before = JsonSource.read(path), len(series)
        if bucket_results(doc):  # series with an le label: one histogram
            histograms.append(histogram_from_response(doc, label=label, unit=unit,
                                                      fallback_label=path.stem))  # fmt: skip
            continue
        series += series_from_response(
            doc, label=label, unit=unit or "", scale=args.scale, fallback_label=path.stem,
            top=args.top,
        )  # fmt: skip
        check_count(series, doc, before, ("data", "result"))
    title = args.title or args.files[0].stem
    made = "replay-viewer import prometheus " + " ".join(p.name for p in args.files)
    draft = IncidentDraft(title, series, start=start_of(args), made_by=made)
    draft.histograms = histograms
    return write_draft(draft, args)


def _live(args: argparse.Namespace) -> str:
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
    check_top(args)
    server = PromServer(args.url, user=args.user, insecure=args.insecure, timeout=args.timeout)
    series, histograms = [], []
    labels = per_source(args.label, args.query, "--label")
    check_templates(labels)
    units = per_source(args.unit, args.query, "--unit")
    for query, label, unit in zip(args.query, labels, units, strict=True):
        doc, before = server.query_range(query, start, end, step), len(series)
        if bucket_results(doc):  # series with an le label: one histogram
            histograms.append(histogram_from_response(doc, label=label, unit=unit,
                                                      fallback_label=query))  # fmt: skip
            continue
        options = {"label": label, "unit": unit or "", "scale": args.scale,
                   "fallback_label": query, "step": step}  # fmt: skip
        series += series_from_response(doc, top=args.top, **options)
        check_count(series, doc, before, ("data", "result"))
        if args.baseline is not None:  # the same query, that long earlier
            shift = args.baseline
            earlier = server.query_range(query, start - shift, end - shift, step)
            attach_baselines(series[before:], _earlier_series(earlier, options), shift)
    t0 = parse_wall_clock(args.t0, "--t0") if args.t0 else start
    made = f"replay-viewer import prometheus --url {server.url} (step {step:g} s)"
    if args.baseline is not None:
        made += f" --baseline {format_shift(args.baseline)}"
    draft = IncidentDraft(args.title or args.query[0], series, start=t0, made_by=made)
    draft.histograms = histograms
    return write_draft(draft, args)


def _earlier_series(doc: JsonSource, options: dict) -> list:
    """The baseline run's series; none when it answered none (each series then says so)."""
    body = doc.data.get("data") if isinstance(doc.data, dict) else None
    if isinstance(body, dict) and body.get("result") == []:
        return []
    return series_from_response(doc, **options)


def _sniff(head: str) -> bool:
    return '"resultType"' in head and '"matrix"' in head


SOURCE = Source(
    name="prometheus",
    summary="saved query_range answers (FILE.json …) or a live server (--url --query …)",
    description="One series per result of saved /api/v1/query_range answers, or of queries "
    "run on --url (one query's results are one group); an answer of histogram buckets (an le "
    "label: x_bucket or rate(x_bucket[1m])) is one histogram, drawn as a heatmap. Basic "
    f"auth: --user, password in {PASSWORD_ENV}; bearer token: {TOKEN_ENV}.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
