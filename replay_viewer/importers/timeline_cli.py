"""What every timeline importer (``--into``) shares: its arguments, the incident the events
go into (its text, model and wall clock of T+0), and one run that places the events on that
clock, skips those already there, appends the rest to the file's text and writes it.

``grafana-annotations``, ``alertmanager``, ``pagerduty`` and ``slack`` all go through
:func:`merge_into`: an incident needs at least one series, so a timeline is always merged
into one (in place, or written to ``-o NEW.yaml`` beside it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..loader.diagnostics import plural
from ..timecode import TimecodeError, format_timecode, parse_timecode
from .cli_common import add_common, start_of
from .common import ImportInputError, parse_wall_clock
from .merge import incident_clock, merge_event_lines, read_incident_text, replace_title
from .writer import event_line, quote, write_incident

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    from ..model import Incident
    from .common import ImportedEvent

__all__ = ["Target", "add_into", "merge_into", "open_target", "wall_or_timecode"]


@dataclass(frozen=True)
class Target:
    """The incident events are merged into: its path, text and model, and ``start``, the
    wall clock (epoch seconds) of its T+0."""

    path: Path
    text: str
    incident: Incident
    start: float

    @property
    def end(self) -> float:
        """Epoch seconds of the incident's end: its ``duration``, else its last sample,
        event or span end (what the replay runs to)."""
        return self.start + self.incident.end

    def timecode(self, epoch_s: float) -> str:
        return format_timecode(epoch_s - self.start)


def add_into(parser: argparse.ArgumentParser, *, files: str = "FILE.json", many: bool) -> None:
    """The positional input(s), ``--into`` and the common options (``-o`` optional)."""
    from pathlib import Path

    parser.add_argument("files", nargs="+" if many else 1, type=Path, metavar=files)
    parser.add_argument(
        "--into", type=Path, metavar="INCIDENT.yaml", required=True,
        help="the incident to add the events to (in place unless -o is given)",
    )  # fmt: skip
    add_common(parser, output_required=False, series=False)


def open_target(args: argparse.Namespace) -> Target:
    """Read ``--into`` and settle its T+0: its ``started_at``, or ``--start`` when it has
    none (a ``--start`` that differs from its ``started_at`` is refused)."""
    text, incident = read_incident_text(args.into)
    start = incident_clock(incident, args.into, start_of(args))
    if start is None:
        raise UsageError(f"{args.into} has no started_at: give --start, the wall clock of its T+0")
    return Target(args.into, text, incident, start)


def wall_or_timecode(text: str, target: Target, option: str) -> float:
    """``--from``/``--to``: a timecode from the incident's T+0 (``T-05:00``, ``90s``, a
    bare number of seconds) or an ISO-8601 wall clock → epoch seconds."""
    try:
        return target.start + parse_timecode(text)
    except TimecodeError:
        pass
    try:
        return parse_wall_clock(text, option)
    except ImportInputError as exc:
        raise UsageError(
            f"{option} {text!r} is neither a timecode from T+0 (T-05:00, T+1:30, 90s) nor an "
            "ISO-8601 date-time (2025-06-03T09:41:00Z)"
        ) from exc


def merge_into(
    args: argparse.Namespace,
    read: Callable[[Target], tuple[list[ImportedEvent], list[str]]],
) -> str:
    """Open ``--into``, get the events (and notes for the report) from ``read``, and add
    those not already there (same time and title) to the file's text; write it atomically
    (only if it still loads) to ``-o`` or in place. Returns the report."""
    target = open_target(args)
    events, notes = read(target)
    if not events:  # the readers say why; this is the last guard against an empty merge
        raise ImportInputError("nothing to add: the input holds no events")
    start = target.start
    known = {(round(e.at, 3), e.title) for e in target.incident.events}
    fresh = [e for e in events if (round(e.at - start, 3), e.title) not in known]
    lines = [event_line(e, start).removeprefix("  - ") for e in fresh]
    merged = merge_event_lines(target.text, str(args.into), lines) if lines else target.text
    if args.title:
        merged = replace_title(merged, quote(args.title))
    out = args.output or args.into
    if out != args.into and out.exists() and not args.overwrite:
        raise UsageError(f"{out} exists; add --overwrite to replace it")
    # --into alone rewrites the incident in place: that is what it asks for.
    problem = f"merging would make {out} invalid, so nothing was written"
    write_incident(merged, out, overwrite=True, problem=problem)
    files = ", ".join(str(path) for path in args.files)
    kinds = ", ".join(sorted({e.kind for e in events}))
    head = (
        f"{out}: added {plural(len(fresh), 'event', 'events')} from {files} "
        f"({len(events) - len(fresh)} already there; kinds: {kinds})"
    )
    return "\n".join([head, *(f"  {note}" for note in notes)])
