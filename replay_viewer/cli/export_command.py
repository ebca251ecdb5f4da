"""The ``export`` and ``probe`` commands: their arguments and what they run.

Part of the top layer, :mod:`replay_viewer.cli` (nothing imports it).
Exit codes are in :mod:`.errors`; MP4 without PyAV is a usage error (2), found before the
GPU boots, with the line that installs the ``[video]`` extra.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .._resources import bundled_incident
from ..errors import EXIT_INVALID, EXIT_OK, OutputError, UsageError
from ..loader import load_incident
from ..loader.diagnostics import plural
from ..options import BACKENDS, check_clock, check_time, parse_range, parse_series, parse_size
from ..render.themes import THEMES
from ..timecode import CLOCK_MODES, TimecodeError, format_timecode, parse_timecode
from .compare_command import add_compare_options
from .interrupts import progress_bar, raise_if_terminated
from .report_command import add_report_options, run_report
from .story_options import add_story_options, check_story_options, frame_caption, plan_story
from .storyboard_command import add_storyboard_options, cmd_storyboard

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Incident
    from ..render.boot import StageReport

__all__ = [
    "add_allow_outside",
    "add_backend",
    "add_export_parser",
    "add_probe_parser",
    "cmd_export",
    "cmd_probe",
    "timecode_arg",
]


CLOCK_HELP = (
    "how times read on the axis and in the readouts: relative to T+0 (T+2d 04:05:00, the "
    "default) or the wall clock in started_at's zone (Mon 14 Jul 06:00; needs started_at)"
)
THEME_HELP = (
    "colours: dark (the window's, the default) or light, for white pages (a report printed "
    "or pasted into a document: white background, dark text, darker series colours)"
)


def timecode_arg(text: str) -> float:
    try:
        return parse_timecode(text)
    except TimecodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="WebGPU backend to use (default: best available; env REPLAY_VIEWER_BACKEND)",
    )


def add_allow_outside(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-outside-paths",
        action="store_true",
        help="let series read data files outside the incident's folder (.., absolute, symlinks)",
    )


def add_export_parser(commands) -> None:
    export = commands.add_parser(
        "export",
        help="render frames to PNG, the replay to a GIF or MP4, a storyboard or a report",
        description="Render the frame at one time (default: the end) to PNG, a sequence of "
        "frames with --frames/--every into a folder with a frames.json index, the replay "
        "as an animation with --gif/--mp4 (frames from --frames/--every, or --duration × "
        "--fps evenly over the replay), the story's moments as one figure with "
        "--storyboard, or a postmortem report with --report.",
        epilog="MP4 needs the optional extra: pip install 'replay-viewer[video]' "
        "(without it: exit 2).",
    )
    export.add_argument("file", type=Path, metavar="FILE")
    add_allow_outside(export)
    add_compare_options(export)
    when = export.add_mutually_exclusive_group()
    when.add_argument("--at", type=timecode_arg, help="time of the frame, e.g. T+05:00")
    when.add_argument("--frames", type=int, help="N frames evenly from start to end")
    when.add_argument("--every", type=timecode_arg, help="one frame every DUR, e.g. 5s")
    export.add_argument("-o", "--output", type=Path, help="PNG file, or folder for a sequence")
    animation = export.add_mutually_exclusive_group()
    animation.add_argument("--gif", type=Path, metavar="OUT.gif", help="write an animated GIF")
    animation.add_argument("--mp4", type=Path, metavar="OUT.mp4", help="write an H.264 MP4")
    add_storyboard_options(animation)
    add_report_options(export, animation)
    export.add_argument("--fps", type=int, help="animation frame rate (GIF 15, MP4 30)")
    export.add_argument(
        "--duration",
        type=timecode_arg,
        help="fit the replay into this long an animation, e.g. 10s (default 10s; captioned: "
        "2.5s a moment, at least 10s)",
    )
    add_story_options(export)
    _add_look_options(export)
    export.add_argument(
        "--png-level",
        choices=("fast", "small"),
        default="fast",
        help="PNG compression: fast (default, ISA-L) or small (zlib 9: ~35%% smaller, "
        "~25× slower to encode); the pixels are the same",
    )
    replace = export.add_mutually_exclusive_group()
    replace.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing PNG/GIF/MP4, or write a sequence or a report into a folder "
        "that holds other files",
    )
    replace.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted sequence (same incident file and options)",
    )
    add_backend(export)


def _add_look_options(export) -> None:
    """What the frames show: size, scale, ghost, clock, theme, zoom (and autoscale), live
    view, series shown and highlighted."""
    export.add_argument("--size", help="WIDTHxHEIGHT in points (1280x720; a storyboard: "
                        "slide = 1920x1080, or a4 = 1240x1754)")  # fmt: skip
    export.add_argument("--scale", type=int, choices=(1, 2), default=1, help="pixel ratio")
    export.add_argument("--no-ghost", action="store_true", help="hide data after the playhead")
    export.add_argument("--clock", choices=CLOCK_MODES, default="relative", help=CLOCK_HELP)
    export.add_argument("--theme", choices=tuple(THEMES), default="dark", help=THEME_HELP)
    export.add_argument(
        "--range",
        metavar="T1..T2",
        help="show only this time range, e.g. T+02:00..T+05:00 (zoomed, as in the window); "
        "sequences and animations then cover it",
    )
    export.add_argument("--no-autoscale", action="store_true",
                        help="with --range (or a storyboard's shared range), keep the whole "
                        "incident's value axes (by default they fit the data in the range, as "
                        "the window's do)")  # fmt: skip
    export.add_argument("--live", action="store_true",
                        help="live view, what the on-call saw: each frame shows only what was "
                        "known at its time (no data after it, axes fitted to the data so far, "
                        "events as they happen, time over each threshold so far)")  # fmt: skip
    export.add_argument("--hide", metavar="IDS", help="leave out these series (ids or group "
                        "names, comma-separated), as the window's legend does")  # fmt: skip
    export.add_argument("--highlight", metavar="IDS", help="draw these group members bright "
                        "with their labels, besides each group's worst three")  # fmt: skip


def add_probe_parser(commands) -> None:
    probe = commands.add_parser("probe", help="run the six boot stages headless and time them")
    add_backend(probe)
    probe.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the probe frame")


def prefetch_adapter(backend: str | None) -> Callable[[], object | None]:
    """Import the GPU stack and request the adapter on a thread while the incident loads
    (reading files and numpy release the GIL): about a third of a single export's time.
    Returns a function that waits for the adapter (None if the request failed: stage 1
    then asks again and says why)."""
    import threading

    found: list = [None]

    def request() -> None:
        try:
            from ..render.boot import headless_adapter

            found[0] = headless_adapter(backend)
        except Exception:  # stage 1 asks again and reports why
            found[0] = None

    thread = threading.Thread(target=request, name="adapter", daemon=True)
    thread.start()

    def result() -> object | None:
        thread.join()
        return found[0]

    return result


def _boot(incident: Incident, args: argparse.Namespace, settings, start_time, *, fixed, on_stage,
          adapter=None, caption=None):  # fmt: skip
    """Run the six boot stages headless at the export size; None after printing why not."""
    import dataclasses

    from ..render.boot import Boot, BootError

    width, height = settings.pixel_size
    options = dataclasses.replace(settings.render_options(), caption=caption)
    boot = Boot(
        incident,
        width,
        height,
        settings.scale,
        backend=args.backend,
        start_time=start_time,
        frame_options=options if fixed else None,
        layout_options=settings.layout_options(at=start_time),
        on_stage=on_stage,
        adapter=adapter,
    )
    try:
        boot.run()
    except BootError as exc:
        print(f"replay-viewer: error: [{exc.stage}/6] {exc}", file=sys.stderr)
        return None, exc.exit_code
    return boot, EXIT_OK


def _claim_sequence(args: argparse.Namespace, incident: Incident, settings):
    """The plan and the claimed folder (locked and checked before the GPU boots, so a
    refusal is quick and renders nothing)."""
    from ..export import SequenceExport, plan_sequence

    try:
        plan = plan_sequence(incident, frames=args.frames, every=args.every, span=settings.view)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    folder = args.output or Path(f"{incident.id}_frames")
    return SequenceExport(
        None, incident, plan, folder, settings, overwrite=args.overwrite, resume=args.resume
    )


def _claim_animation(args: argparse.Namespace, incident: Incident, settings):
    """The animation job, its path and plan checked (and PyAV found) before the GPU boots."""
    from ..export import DEFAULT_FPS, AnimationExport, animation_path

    kind = "gif" if args.gif is not None else "mp4"
    if args.output is not None or args.resume or args.at is not None:
        raise UsageError(f"--{kind} writes one file: leave out -o, --at and --resume")
    path = animation_path(args.gif or args.mp4, kind, overwrite=args.overwrite)
    fps = DEFAULT_FPS[kind] if args.fps is None else args.fps  # --fps 0 is refused, not 15
    plan, story = plan_story(args, incident, fps=fps, span=settings.view)
    return AnimationExport(None, incident, plan, path, settings, kind=kind, fps=fps, story=story)


def _run_job(job, boot, incident: Incident, settings) -> dict:
    """Run a sequence or animation job to the end with a progress bar."""
    job.renderer = boot.renderer
    update, close = progress_bar(f"export {incident.id}", job.total, job.done)
    try:
        while job.done < job.total:
            raise_if_terminated()
            job.step()
            update(job.done, job.total)
    finally:
        close()
        index = job.finish()
    return index


def _report(job, index: dict, settings) -> None:
    width, height = settings.pixel_size
    told = job.story.chapters if getattr(job, "story", None) is not None else ()
    count = index["frames"] if isinstance(index["frames"], int) else len(index["frames"])
    frames, chapters = plural(count, "frame", "frames"), plural(len(told), "chapter", "chapters")
    if hasattr(job, "kind"):
        seconds = index["frames"] / job.fps
        extra = f", {chapters}" if told and job.kind == "mp4" else ""
        if job.story is not None and job.story.shown:
            extra += f", {plural(len(told), 'caption', 'captions')}"
        print(f"{job.path}: {frames} at {job.fps} fps ({seconds:.2f} s, {width}×{height}, "
              f"{index['span'][0]} to {index['span'][1]}{extra})")  # fmt: skip
        return
    resumed = f"; resumed after {job.resumed_from}" if job.resumed_from else ""
    if job.resumed_from == job.total:
        resumed = "; already complete"
    print(f"{job.folder}: {frames} + frames.json ({width}×{height}{resumed})")


def cmd_export(args: argparse.Namespace, load: Callable[[Path], Incident | None]) -> int:
    adapter = prefetch_adapter(args.backend)
    try:
        return _export(args, load, adapter)
    finally:
        adapter()  # never leave the thread inside wgpu-native while the process exits


def _export(args: argparse.Namespace, load: Callable[[Path], Incident | None], adapter) -> int:
    from ..export import ExportSettings, single_frame_path, write_frame_png

    incident = load(args.file)
    if incident is None:
        return EXIT_INVALID
    if args.storyboard is not None:
        return cmd_storyboard(args, incident, adapter)
    settings = ExportSettings(
        size=parse_size(args.size or "1280x720"),
        scale=args.scale,
        ghost=not args.no_ghost,
        png=args.png_level,
        view=parse_range(incident, args.range) if args.range else None,
        clock=check_clock(incident, args.clock),
        theme=args.theme,
        hidden=parse_series(incident, args.hide, "--hide"),
        highlight=parse_series(incident, args.highlight, "--highlight"),
        autoscale=not args.no_autoscale,
        live=args.live,
    )
    if args.report is not None:
        boot = functools.partial(_boot, incident, args, settings, fixed=True, on_stage=None)
        return run_report(args, incident, settings, lambda t: boot(t, adapter=adapter()))
    job, caption = None, None
    check_story_options(args, animation=args.gif is not None or args.mp4 is not None)
    if args.gif is not None or args.mp4 is not None:
        job = _claim_animation(args, incident, settings)
        first = job.plan.times[0]
    elif args.frames is not None or args.every is not None:
        job = _claim_sequence(args, incident, settings)
        first = job.plan.times[job.done if job.done < job.total else 0]
    else:
        if args.resume:
            raise UsageError("--resume continues a sequence (--frames or --every)")
        if args.fps is not None or args.duration is not None:
            raise UsageError("--fps and --duration are for animations (--gif or --mp4)")
        last = settings.view[1] if settings.view else incident.end
        first = check_time(incident, last if args.at is None else args.at, view=settings.view)
        out = single_frame_path(incident, first, args.output, overwrite=args.overwrite)
        caption = frame_caption(args, incident, first, settings.view)
    try:
        boot, status = _boot(incident, args, settings, first, fixed=True, on_stage=None,
                             adapter=adapter(), caption=caption)  # fmt: skip
        if boot is None:
            return status
        if job is not None:
            _report(job, _run_job(job, boot, incident, settings), settings)
        else:
            pixels = boot.frame0  # frame 0 was rendered at t with the export's options
            write_frame_png(out, pixels, incident, first, preset=settings.png,
                            theme=settings.theme)  # fmt: skip
            print(f"{out}: {format_timecode(first)} ({pixels.shape[1]}×{pixels.shape[0]})")
    except OSError as exc:  # atomic writes raise OutputError; this is anything else
        raise OutputError(f"cannot write output: {exc}") from None
    finally:
        if job is not None and not job.finished:
            job.finish()  # releases the folder / removes a partial animation
    return EXIT_OK


def cmd_probe(args: argparse.Namespace) -> int:
    from ..export import ExportSettings
    from ..render.boot import STAGE_NAMES

    settings = ExportSettings(size=parse_size(args.size))
    incident = load_incident(bundled_incident())
    name_width = max(map(len, STAGE_NAMES))

    def show(report: StageReport) -> None:
        if report.state == "running":
            return
        # A failed stage's message is printed once, as the error below (on stderr).
        detail = report.detail if report.state == "done" else "FAILED"
        print(
            f"[{report.index}/6] {report.name:<{name_width}}  {report.duration_s * 1000:7.0f} ms"
            f"  {detail}",
            flush=True,
        )

    boot, status = _boot(incident, args, settings, None, fixed=False, on_stage=show)
    if boot is None:
        return status
    print(f"total {boot.total_s * 1000:.0f} ms; quality {boot.quality}")
    return EXIT_OK
