"""``import victoriametrics``: saved ``/api/v1/export`` JSON lines, or a live export."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..timecode import format_shift
from .baselines import add_baseline_option, attach_baselines, check_baseline
from .cli_common import Source, add_common, add_values, start_of, write_draft
from .common import ImportInputError, parse_wall_clock
from .json_lines import json_lines, read_text
from .prom_http import PASSWORD_ENV, TOKEN_ENV, PromServer, redact
from .victoriametrics import ExportReader
from .writer import IncidentDraft

if TYPE_CHECKING:
    import argparse

__all__ = ["SOURCE", "VictoriaMetrics"]

# VictoriaMetrics starts an error's text with who asked and what ("remoteAddr: "…";
# requestURI: /api/v1/export?…; "): the URL is in the message already.
_WHO_ASKED = re.compile(r'^remoteAddr: "[^"]*"; requestURI: \S*; ')


class VictoriaMetrics(PromServer):
    """A VictoriaMetrics server (single-node, or vmselect's ``…/prometheus`` URL)."""

    product = "VictoriaMetrics"

    def export(self, matches: list[str], start: float, end: float) -> tuple[str, str]:
        """The raw samples of the series ``matches`` select between ``start`` and ``end``
        (``/api/v1/export``: JSON lines); the text and a name for positions."""
        params = [("match[]", match) for match in matches]
        params += [("start", f"{start:.3f}"), ("end", f"{end:.3f}")]
        body, url = self.post("/api/v1/export", params)
        return self.text_of(body, url), f"{url} ({' '.join(matches)})"

    def error_detail(self, body: str) -> str:
        return _WHO_ASKED.sub("", super().error_detail(body))


def _arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument("files", nargs="*", type=Path, metavar="FILE.jsonl")
    add_common(parser)
    add_values(parser)
    live = parser.add_argument_group("live server")
    live.add_argument("--url", help="VictoriaMetrics base URL, e.g. http://HOST:8428")
    live.add_argument(
        "--match", action="append", default=[], metavar="SELECTOR",
        help="series selector, e.g. 'demo_latency_ms{job=\"api\"}' (repeatable)",
    )  # fmt: skip
    live.add_argument("--end", metavar="ISO", help="end of the range (with --start)")
    live.add_argument("--t0", metavar="ISO", help="wall clock of T+0 (default: --start)")
    live.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    live.add_argument("--user", help=f"basic-auth user; password from {PASSWORD_ENV}")
    live.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    add_baseline_option(live)


def _run(args: argparse.Namespace) -> str:
    if len(args.unit) > 1:
        raise UsageError("import victoriametrics takes one --unit, for every series")
    check_baseline(args)
    reader, earlier = ExportReader(), ExportReader()
    if args.url:
        if args.files:
            raise UsageError("give saved FILE.jsonl exports or --url, not both")
        made, title, start = _live(args, reader, earlier)
    elif args.files:
        if args.match or args.end or args.t0:
            raise UsageError("--match, --end and --t0 go with --url")
        for path in args.files:
            reader.read(json_lines(read_text(path, "a saved export"), str(path)), path.stem)
        made = "replay-viewer import victoriametrics " + " ".join(p.name for p in args.files)
        title, start = args.files[0].stem, start_of(args)
    else:
        raise UsageError("import victoriametrics needs FILE.jsonl exports, or --url with --match")
    if not len(reader):
        where = redact(args.url) if args.url else str(args.files[0])
        hint = " (does --match select series between --start and --end?)" if args.url else ""
        raise ImportInputError(f"the export holds no series{hint}; nothing written", where)
    series = reader.series(unit="".join(args.unit), scale=args.scale)
    if getattr(args, "baseline", None) is not None:
        before = earlier.series(unit="".join(args.unit), scale=args.scale) if len(earlier) else []
        attach_baselines(series, before, args.baseline)
    draft = IncidentDraft(args.title or title, series, start=start, made_by=made)
    return write_draft(draft, args)


def _live(
    args: argparse.Namespace, reader: ExportReader, earlier: ExportReader
) -> tuple[str, str, float]:
    if not args.match:
        raise UsageError("--url needs at least one --match (a series selector)")
    if args.start is None or args.end is None:
        raise UsageError("--url needs --start and --end (ISO-8601 date-times)")
    start, end = parse_wall_clock(args.start), parse_wall_clock(args.end, "--end")
    if end <= start:
        raise UsageError("--end must be after --start")
    server = VictoriaMetrics(args.url, user=args.user, insecure=args.insecure,
                             timeout=args.timeout)  # fmt: skip
    text, name = server.export(args.match, start, end)
    reader.read(json_lines(text, name), "series")
    made, shift = f"replay-viewer import victoriametrics --url {server.url}", args.baseline
    if shift is not None:  # the same selectors, that long earlier
        text, name = server.export(args.match, start - shift, end - shift)
        earlier.read(json_lines(text, name), "series")
        made += f" --baseline {format_shift(shift)}"
    t0 = parse_wall_clock(args.t0, "--t0") if args.t0 else start
    return made, args.match[0], t0


def _sniff(head: str) -> bool:
    return re.match(r'\ufeff?\s*\{\s*"metric"\s*:\s*\{', head) is not None and '"values"' in head


SOURCE = Source(
    name="victoriametrics",
    summary="saved /api/v1/export JSON lines (FILE.jsonl …) or a live export (--url --match …)",
    description="One series per exported series (lines with the same labels are one); the "
    "series of one metric are one group. Basic auth: --user, password in "
    f"{PASSWORD_ENV}; bearer token: {TOKEN_ENV}.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
