"""``import otlp``: OTLP/JSON metrics, one request per file or the JSON lines an
OpenTelemetry Collector's ``file`` exporter writes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..model import MAX_SERIES
from .cli_common import Source, add_common, add_values, check_top, start_of, write_draft
from .common import ImportInputError, scaled
from .json_lines import read_documents
from .otlp import read_metrics
from .otlp_histograms import histograms_from_metrics
from .otlp_series import DEFAULT_QUANTILES, series_from_metrics
from .writer import IncidentDraft

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE"]


def _arguments(otlp: argparse.ArgumentParser) -> None:
    from pathlib import Path

    otlp.add_argument("files", nargs="+", type=Path, metavar="FILE.json")
    add_common(otlp)
    add_values(otlp)
    otlp.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="NAME",
        help="import only this metric (a shell pattern such as 'http.server.*'; repeatable)",
    )
    otlp.add_argument(
        "--as-is",
        action="store_true",
        help="keep monotonic sums' values instead of per-second rates (and compute "
        "cumulative histograms' quantiles from each point's counts since its start)",
    )
    otlp.add_argument(
        "--quantiles",
        default=",".join(f"{q:g}" for q in DEFAULT_QUANTILES),
        metavar="P,P…",
        help="the histogram quantiles to compute, in percent (default: 50,90,99)",
    )
    otlp.add_argument(
        "--heatmap",
        action="store_true",
        help="histograms as heatmaps (one per metric, its attribute sets summed, with p50/p90/"
        "p99 lines from the buckets) instead of quantile series per attribute set",
    )
    otlp.add_argument(
        "--top", type=int, metavar="K", help="per group, keep the K series with the highest peak"
    )


def _quantiles(text: str) -> tuple[float, ...]:
    """``50,90,99.9`` → percents, each above 0 and below 100."""
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        values = ()
    if not values or not all(0 < value < 100 for value in values):
        raise UsageError(
            f"--quantiles {text!r}: expected percents above 0 and below 100, e.g. 50,90,99.9"
        )
    return tuple(dict.fromkeys(values))


def _run(args: argparse.Namespace) -> str:
    check_top(args)
    quantiles = _quantiles(args.quantiles)
    if len(args.unit) > 1:
        raise UsageError("import otlp takes one --unit, for every series (default: the metric's)")
    docs = (doc for path in args.files for doc in read_documents(path))  # a line at a time
    found = read_metrics(docs, names=args.metric or None)
    for pattern in args.metric:
        if not any(_matches(name, pattern) for name in found.names):
            known = ", ".join(sorted(found.names)) or "none"
            raise UsageError(f"--metric {pattern!r} matches none of the metrics ({known})")
    metrics, histograms, warnings = found.metrics, [], []
    if args.heatmap:
        if args.as_is:
            raise UsageError("--heatmap draws rates per bucket; --as-is keeps counts: pick one")
        histograms = histograms_from_metrics(metrics, warnings)
        metrics = [metric for metric in metrics if metric.kind != "histogram"]
    series, more = series_from_metrics(metrics, as_is=args.as_is, quantiles=quantiles,
                                       top=args.top)  # fmt: skip
    for warning in found.warnings + warnings + more:
        print(warning, file=sys.stderr)
    names = " ".join(path.name for path in args.files)
    if not series and not histograms:
        raise ImportInputError(
            "nothing to import: no gauge, sum, histogram or summary data points"
            + (" (see the warnings above)" if found.warnings or warnings or more else ""),
            str(args.files[0]),
        )
    if len(series) > MAX_SERIES:
        raise ImportInputError(
            f"{len(series):,} series from {len(found.metrics)} metrics, and an incident holds "
            f"at most {MAX_SERIES:,}: pick metrics with --metric NAME, or keep the highest "
            "of each group with --top K"
        )
    for item in series:
        item.values = scaled(item.values, args.scale)
        item.unit = args.unit[0] if args.unit else item.unit
    draft = IncidentDraft(
        args.title or args.files[0].stem,
        series,
        start=start_of(args),
        made_by=f"replay-viewer import otlp {names}",
        histograms=histograms,
    )
    return write_draft(draft, args)


def _matches(name: str, pattern: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(name, pattern)


def _sniff(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").startswith("{") and '"resourceMetrics"' in head


SOURCE = Source(
    name="otlp",
    summary="OTLP/JSON metrics: a request per file, or a Collector file exporter's JSON lines",
    description="Series from OpenTelemetry metrics in OTLP/JSON (an ExportMetricsServiceRequest "
    "per file, or one per line as the Collector's file exporter writes them): gauges as they "
    "are, monotonic sums as per-second rates (--as-is keeps them), histograms as quantiles "
    "(--quantiles) or as heatmaps (--heatmap); one group per metric with several attribute sets.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
