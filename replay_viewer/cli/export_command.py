"""``replay-viewer export``: one frame, or a sequence into a folder with its index."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EXIT_INVALID, EXIT_OK, OutputError, UsageError
from ..options import check_time, parse_size
from ..timecode import format_timecode
from .commands import boot_headless, load_or_say

if TYPE_CHECKING:
    import argparse

    from ..model import Incident

__all__ = ["cmd_export"]


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.enabled = sys.stderr.isatty()
        self.label = label
        self.begin = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = round(width * done / total)
        rate = done / max(time.perf_counter() - self.begin, 1e-9)
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
            f"({rate:.1f} frames/s)"
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _claim_sequence(args: argparse.Namespace, incident: Incident, settings):
    """The plan and the claimed folder (locked and checked before the GPU boots, so a
    refusal is quick and renders nothing)."""
    from ..export import SequenceExport, plan_sequence

    try:
        plan = plan_sequence(incident, frames=args.frames, every=args.every)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    folder = args.output or Path(f"{incident.id}_frames")
    return SequenceExport(
        None, incident, plan, folder, settings, overwrite=args.overwrite, resume=args.resume
    )


def _write_sequence(job, boot, incident: Incident, settings) -> None:
    from ..export import export_sequence

    progress = _ProgressBar(f"export {incident.id}")
    index = export_sequence(boot.renderer, incident, job.plan, job.folder, settings, job=job,
                            on_progress=progress)  # fmt: skip
    width, height = settings.pixel_size
    resumed = f"; resumed after {job.resumed_from}" if job.resumed_from else ""
    if job.resumed_from == job.total:
        resumed = "; already complete"
    print(f"{job.folder}: {len(index['frames'])} frames + frames.json ({width}×{height}{resumed})")


def cmd_export(args: argparse.Namespace) -> int:
    from ..export import ExportSettings, single_frame_path, write_frame_png

    settings = ExportSettings(size=parse_size(args.size), scale=args.scale, ghost=not args.no_ghost)
    incident = load_or_say(args.file, args)
    if incident is None:
        return EXIT_INVALID
    job = None
    if args.frames is not None or args.every is not None:
        job = _claim_sequence(args, incident, settings)
        first = job.plan.times[job.done if job.done < job.total else 0]
    else:
        if args.resume:
            raise UsageError("--resume continues a sequence (--frames or --every)")
        first = check_time(incident, incident.end if args.at is None else args.at)
        out = single_frame_path(incident, first, args.output, overwrite=args.overwrite)
    try:
        boot, status = boot_headless(incident, args, settings, first, fixed=True, on_stage=None)
        if boot is None:
            return status
        if job is not None:
            _write_sequence(job, boot, incident, settings)
        else:
            pixels = boot.frame0  # frame 0 was rendered at t with the export's options
            write_frame_png(out, pixels, incident, first)
            print(f"{out}: {format_timecode(first)} ({pixels.shape[1]}×{pixels.shape[0]})")
    except OSError as exc:  # atomic writes raise OutputError; this is anything else
        raise OutputError(f"cannot write output: {exc}") from None
    finally:
        if job is not None and not job.finished:
            job.finish()  # releases the folder; writes nothing if no frame was started
    return EXIT_OK
