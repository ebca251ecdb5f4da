"""``export FILE --report DIR``: the postmortem report (report.md, a self-contained
report.html, the figures, report.json) written into a folder. Part of the top layer
(nothing imports it but :mod:`.export_command`, which parses its options and boots the
GPU for it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EXIT_OK, OutputError, UsageError
from ..loader.diagnostics import plural
from ..timecode import format_timecode

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ..model import Incident

__all__ = ["add_report_options", "run_report"]


def add_report_options(export: argparse.ArgumentParser, kind) -> None:
    """``--report DIR`` (in ``kind``, the group of export kinds that exclude each other);
    ``--events`` (the moments it tells) and ``--theme`` are every export's."""
    kind.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write a postmortem report into DIR: report.md, a self-contained report.html "
        "(prints to A4), storyboard.png and chart.png",
    )


def _check_arguments(args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("-o", args.output), ("--at", args.at),
             ("--frames", args.frames), ("--every", args.every), ("--fps", args.fps),
             ("--duration", args.duration)) if value is not None]  # fmt: skip
    if args.resume:
        given.append("--resume")
    if args.live:  # a postmortem tells how it ended: its figures are never live
        given.append("--live")
    if args.range is not None:  # it tells the whole incident (its storyboard: the moments')
        given.append("--range")
    if args.captions or args.hold is not None:  # its storyboard's panels are captioned
        given.append("--captions" if args.captions else "--hold")
    if given:
        raise UsageError(f"--report writes a folder of its own: leave out {', '.join(given)}")


def run_report(
    args: argparse.Namespace,
    incident: Incident,
    settings,
    boot: Callable[[float], tuple[object | None, int]],
) -> int:
    """Claim the folder (refusing it before the GPU boots), boot at the chart's time, draw
    the figures and write the report. ``boot(t)`` returns the booted :class:`Boot` (or
    None and the exit status after saying why)."""
    from ..export import RendererImages, ReportExport
    from ..postmortem import worst_moment
    from ..story import parse_event_choice, story_moments

    _check_arguments(args)
    plan = story_moments(incident, parse_event_choice(args.events) if args.events else "auto")
    for warning in plan.warnings:
        print(f"replay-viewer: warning: {warning}", file=sys.stderr)
    job = ReportExport(incident, plan, args.report, overwrite=args.overwrite)
    try:
        booted, status = boot(worst_moment(incident)[0])
        if booted is None:
            return status
        result = job.write(RendererImages(booted.renderer, settings))
    except OSError as exc:  # atomic writes raise OutputError; this is anything else
        raise OutputError(f"cannot write the report: {exc}") from None
    finally:
        job.close()
    chart = f", chart at {format_timecode(result.chart_t)}" if result.chart_t is not None else ""
    moments = plural(len(plan.moments), "moment", "moments")
    print(f"{result.folder}: {', '.join(result.files)} ({moments}: {plan.chosen}{chart})")
    return EXIT_OK
