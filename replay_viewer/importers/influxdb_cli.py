"""``import influxdb``: saved 1.x ``/query`` answers (JSON) and 2.x annotated CSV, or
InfluxQL queries run on a live InfluxDB 1.x."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..timecode import TimecodeError, format_shift, parse_timecode
from .baselines import add_baseline_option, attach_baselines, check_baseline
from .cli_common import Source, add_common, add_values, start_of, write_draft
from .common import ImportInputError, parse_wall_clock
from .influxdb import EPOCHS, read_influxql, series_of
from .influxdb_csv import read_flux_csv
from .json_lines import json_lines, read_text
from .json_source import JsonSource
from .prom_http import PromServer, auto_step, redact
from .writer import IncidentDraft

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from .influxdb import RawSeries

__all__ = ["SOURCE", "InfluxDB"]

PASSWORD_ENV = "REPLAY_VIEWER_INFLUX_PASSWORD"
TOKEN_ENV = "REPLAY_VIEWER_INFLUX_TOKEN"


class InfluxDB(PromServer):
    """An InfluxDB 1.x HTTP API (also 2.x's 1.x-compatible ``/query``)."""

    product = "InfluxDB"
    password_env = PASSWORD_ENV
    token_env = TOKEN_ENV

    def query(self, database: str, query: str) -> JsonSource:
        """One InfluxQL query's answer (times in epoch milliseconds)."""
        body, url = self.post("/query", {"db": database, "q": query, "epoch": "ms"})
        return JsonSource(self.text_of(body, url), f"{url} ({query})")


def _arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
    add_common(parser)
    add_values(parser)
    parser.add_argument(
        "--epoch", choices=sorted(EPOCHS),
        help="unit of numeric times in a saved 1.x answer (default: told by their size)",
    )  # fmt: skip
    live = parser.add_argument_group("live server (InfluxDB 1.x)")
    live.add_argument("--url", help="InfluxDB base URL, e.g. http://HOST:8086")
    live.add_argument("--db", help="the database")
    live.add_argument(
        "--query", action="append", default=[], metavar="INFLUXQL",
        help="e.g. 'SELECT mean(usage) FROM cpu WHERE $timeFilter GROUP BY time($__interval), "
        "host' ($timeFilter: --start to --end; $__interval: --step)",
    )  # fmt: skip
    live.add_argument("--end", metavar="ISO", help="end of the range (with --start)")
    live.add_argument("--step", help="$__interval, e.g. 15s (default: at most 1000 points)")
    live.add_argument("--t0", metavar="ISO", help="wall clock of T+0 (default: --start)")
    live.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    live.add_argument("--user", help=f"basic-auth user; password from {PASSWORD_ENV}")
    live.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    add_baseline_option(live)


def _run(args: argparse.Namespace) -> str:
    if len(args.unit) > 1:
        raise UsageError("import influxdb takes one --unit, for every series")
    check_baseline(args)
    earlier = None
    if args.url:
        if args.files:
            raise UsageError("give saved answers or --url, not both")
        raws, made, title, start, where, earlier = _live(args)
    elif args.files:
        if args.query or args.db or args.end or args.step or args.t0:
            raise UsageError("--db, --query, --end, --step and --t0 go with --url")
        raws = [raw for path in args.files for raw in _read(path, args.epoch)]
        made = "replay-viewer import influxdb " + " ".join(p.name for p in args.files)
        title, start, where = args.files[0].stem, start_of(args), str(args.files[0])
    else:
        raise UsageError("import influxdb needs saved answers (FILE…), or --url with --query")
    if not raws:
        raise ImportInputError("the answer holds no series (no data); nothing written", where)
    series = series_of(raws, unit="".join(args.unit), scale=args.scale)
    if earlier is not None:
        before = series_of(earlier, unit="".join(args.unit), scale=args.scale) if earlier else []
        attach_baselines(series, before, args.baseline)
    draft = IncidentDraft(args.title or title, series, start=start, made_by=made)
    return write_draft(draft, args)


def _read(path: Path, epoch: str | None) -> list[RawSeries]:
    """A 1.x JSON answer (or a chunked one: an answer a line) or a 2.x annotated CSV."""
    text = read_text(path, "a saved InfluxDB answer")
    if re.search(r'\}\s*\n\s*\{\s*"results"', text):  # chunked=true: an answer a line
        return [raw for line in json_lines(text, str(path))
                for raw in read_influxql(line, epoch=epoch)]  # fmt: skip
    if text.lstrip().startswith(("{", "[")):
        return read_influxql(JsonSource(text, str(path)), epoch=epoch)
    return read_flux_csv(text, str(path))


def _live(args: argparse.Namespace) -> tuple[list[RawSeries], str, str, float, str, list | None]:
    if not args.db or not args.query:
        raise UsageError("--url needs --db and at least one --query")
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
    server = InfluxDB(args.url, user=args.user, insecure=args.insecure, timeout=args.timeout)
    raws, earlier, shift = [], None, args.baseline
    for query in args.query:
        text = _expand(query, start, end, step)
        raws += read_influxql(server.query(args.db, text), epoch="ms")
    if shift is not None:  # the same queries, that long earlier
        earlier = [
            raw
            for query in args.query
            for raw in read_influxql(
                server.query(args.db, _expand(query, start - shift, end - shift, step)), epoch="ms"
            )
        ]
    t0 = parse_wall_clock(args.t0, "--t0") if args.t0 else start
    made = f"replay-viewer import influxdb --url {server.url} --db {args.db}"
    made += f" --baseline {format_shift(shift)}" if shift is not None else ""
    return raws, made, args.query[0], t0, redact(args.url), earlier


def _expand(query: str, start: float, end: float, step: float) -> str:
    """Grafana's macros: ``$timeFilter`` (the range, required) and ``$__interval``."""
    if "$timeFilter" not in query:
        raise UsageError(
            f"--query {query!r} has no $timeFilter: write WHERE $timeFilter where the time "
            "range goes (it becomes time >= START AND time <= END, as in Grafana)"
        )
    window = f"time >= {round(start * 1000)}ms AND time <= {round(end * 1000)}ms"
    interval = f"{int(step)}s" if step == int(step) else f"{round(step * 1000)}ms"
    return query.replace("$timeFilter", window).replace("$__interval", interval)


def _sniff(head: str) -> bool:
    body = head.lstrip("\ufeff \t\r\n")
    if body.startswith("{"):
        return re.match(r'\{\s*"results"\s*:', body) is not None
    first = body.split("\n", 1)[0]
    return first.startswith(("#datatype,", "#group,", "#default,", ",result,table,"))


SOURCE = Source(
    name="influxdb",
    summary="saved 1.x /query answers (JSON) or 2.x annotated CSV (FILE …), or a live 1.x "
    "server (--url --db --query …)",
    description="One series per measurement, field and tag set; the series of one "
    "statement's field are one group. Basic auth: --user, password in "
    f"{PASSWORD_ENV}; bearer token: {TOKEN_ENV}.",
    add_arguments=_arguments,
    run=_run,
    sniff=_sniff,
)
