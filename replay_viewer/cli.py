"""The ``replay-viewer`` command line: argparse and every command (``cmd_*``); the top of
the house (nothing imports it). Exit codes are in :mod:`.errors`."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from ._resources import bundled_incident
from ._version import __version__
from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_NO_GPU,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    OutputError,
    UsageError,
)
from .loader import IncidentLoadError, load_incident
from .metrics import metrics_table, validation_entry
from .options import BACKENDS, check_time, parse_size
from .timecode import TimecodeError, format_clock, format_timecode, parse_timecode

if TYPE_CHECKING:
    from .model import Incident
    from .render.boot import StageReport

COMMANDS = ("open", "validate", "export", "probe", "import")


def _timecode_arg(text: str) -> float:
    try:
        return parse_timecode(text)
    except TimecodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="WebGPU backend to use (default: best available; env REPLAY_VIEWER_BACKEND)",
    )


def _add_allow_outside(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-outside-paths",
        action="store_true",
        help="let series read data files outside the incident's folder (.., absolute, symlinks)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replay-viewer",
        description="Replay production incidents on the GPU. With no command, opens FILE "
        "(default: the bundled cache-stampede incident) in a window.",
        epilog="Exit codes: 0 ok, 1 invalid incident, 2 usage, 3 no GPU, 4 cannot write output "
        "(also: the folder is in use by another export).",
    )
    parser.add_argument("--version", action="version", version=f"replay-viewer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_cmd = commands.add_parser(
        "open", help="open an incident in a window (the default command)"
    )
    open_cmd.add_argument("file", nargs="?", type=Path, help="incident YAML (default: bundled)")
    open_cmd.add_argument("--at", type=_timecode_arg, help="start at this time, e.g. T+05:00")
    _add_allow_outside(open_cmd)
    _add_backend(open_cmd)

    validate = commands.add_parser(
        "validate", help="check incident files and print every problem with its position"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_allow_outside(validate)
    validate.add_argument("--metrics", action="store_true", help="also print its metrics")
    validate.add_argument("--json", action="store_true", help="print one JSON document")

    export = commands.add_parser(
        "export",
        help="render frames to PNG",
        description="Render the frame at one time (default: the end) to PNG, or a sequence of "
        "frames with --frames/--every into a folder with a frames.json index.",
    )
    export.add_argument("file", type=Path, metavar="FILE")
    _add_allow_outside(export)
    when = export.add_mutually_exclusive_group()
    when.add_argument("--at", type=_timecode_arg, help="time of the frame, e.g. T+05:00")
    when.add_argument("--frames", type=int, help="N frames evenly from start to end")
    when.add_argument("--every", type=_timecode_arg, help="one frame every DUR, e.g. 5s")
    export.add_argument("-o", "--output", type=Path, help="PNG file, or folder for a sequence")
    export.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT in points (1280x720)")
    export.add_argument("--scale", type=int, choices=(1, 2), default=1, help="pixel ratio")
    export.add_argument("--no-ghost", action="store_true", help="hide data after the playhead")
    replace = export.add_mutually_exclusive_group()
    replace.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing PNG, or write a sequence into a folder that holds other files",
    )
    replace.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted sequence (same incident file and options)",
    )
    _add_backend(export)

    from .importers import add_import_parser

    add_import_parser(commands)

    probe = commands.add_parser("probe", help="run the six boot stages headless and time them")
    _add_backend(probe)
    probe.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the probe frame")
    return parser


def _normalise_argv(argv: list[str]) -> list[str]:
    """``replay-viewer FILE`` and a bare ``replay-viewer`` mean ``replay-viewer open …``."""
    if not argv:
        return ["open"]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["open", *argv]


def _quiet_runtime_dir() -> None:
    """Mesa's Vulkan/EGL loaders print "XDG_RUNTIME_DIR is invalid" on every start when it is
    unset (root shells, CI, containers); give them a private one."""
    if sys.platform.startswith("linux") and not os.environ.get("XDG_RUNTIME_DIR"):
        path = Path(tempfile.gettempdir()) / f"replay-viewer-runtime-{os.getuid()}"
        with contextlib.suppress(OSError):
            path.mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(path)


def main(argv: list[str] | None = None) -> int:
    _quiet_runtime_dir()
    argv = _normalise_argv(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or usage error (2)
        return int(exc.code or 0)
    try:
        return _run(args)
    except UsageError as exc:
        print(f"replay-viewer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"replay-viewer: error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("replay-viewer: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        # A bug, not bad input: still no raw traceback unless asked for.
        if os.environ.get("REPLAY_VIEWER_DEBUG"):
            traceback.print_exc()
        print(
            f"replay-viewer: internal error: {type(exc).__name__}: {exc}\n"
            "  (set REPLAY_VIEWER_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _terminate_as_interrupt() -> None:
    """SIGTERM (a CI timeout, a killed job) ends a command like Ctrl+C does: the partial PNG
    is removed and a sequence's frames.json still lists the finished frames."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _run(args: argparse.Namespace) -> int:
    if args.command != "open":  # the window closes itself cleanly through its own loop
        _terminate_as_interrupt()
    if args.command != "validate":
        from .render.gpu import check_backend

        check_backend(getattr(args, "backend", None))  # REPLAY_VIEWER_BACKEND: exit 2, early
    command = {"validate": cmd_validate, "export": cmd_export, "probe": cmd_probe}
    command["import"] = cmd_import
    return command.get(args.command, cmd_open)(args)


def _load(path: Path, args: argparse.Namespace) -> Incident | None:
    """The incident at ``path``, or None after printing its positioned errors."""
    try:
        return load_incident(path, allow_outside_paths=args.allow_outside_paths)
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return None


# -- validate ------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    if args.json:
        return _validate_json(args)
    status = EXIT_OK
    for path in args.files:
        incident = _load(path, args)
        if incident is None:
            status = EXIT_INVALID
            continue
        print(
            f"{path}: ok ({len(incident.series)} series, {len(incident.events)} events, "
            f"duration T+{format_clock(incident.duration)})"
        )
        if args.metrics:
            print(metrics_table(incident))
    return status


def _validate_json(args: argparse.Namespace) -> int:
    """``validate --json``: one JSON document on stdout, problems included."""
    results = []
    for path in args.files:
        try:
            incident, errors = load_incident(path), ()
        except IncidentLoadError as exc:
            incident, errors = None, exc.diagnostics
        results.append(validation_entry(path, incident, errors, metrics=args.metrics))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return EXIT_OK if all(entry["ok"] for entry in results) else EXIT_INVALID


def cmd_import(args: argparse.Namespace) -> int:
    from .importers import run_import

    return run_import(args)


# -- export and probe ----------------------------------------------------------------------


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


def _boot(incident: Incident, args: argparse.Namespace, settings, start_time, *, fixed, on_stage):
    """Run the six boot stages headless at the export size; None after printing why not."""
    from .render.boot import Boot, BootError

    width, height = settings.pixel_size
    boot = Boot(
        incident,
        width,
        height,
        settings.scale,
        backend=args.backend,
        start_time=start_time,
        frame_options=settings.render_options() if fixed else None,
        on_stage=on_stage,
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
    from .export import SequenceExport, plan_sequence

    try:
        plan = plan_sequence(incident, frames=args.frames, every=args.every)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    folder = args.output or Path(f"{incident.id}_frames")
    return SequenceExport(
        None, incident, plan, folder, settings, overwrite=args.overwrite, resume=args.resume
    )


def _write_sequence(job, boot, incident: Incident, settings) -> None:
    from .export import export_sequence

    progress = _ProgressBar(f"export {incident.id}")
    index = export_sequence(boot.renderer, incident, job.plan, job.folder, settings, job=job,
                            on_progress=progress)  # fmt: skip
    width, height = settings.pixel_size
    resumed = f"; resumed after {job.resumed_from}" if job.resumed_from else ""
    if job.resumed_from == job.total:
        resumed = "; already complete"
    print(f"{job.folder}: {len(index['frames'])} frames + frames.json ({width}×{height}{resumed})")


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportSettings, single_frame_path, write_frame_png

    settings = ExportSettings(size=parse_size(args.size), scale=args.scale, ghost=not args.no_ghost)
    incident = _load(args.file, args)
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
        boot, status = _boot(incident, args, settings, first, fixed=True, on_stage=None)
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


def cmd_probe(args: argparse.Namespace) -> int:
    from .export import ExportSettings
    from .render.boot import STAGE_NAMES

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


# -- open (the window) ---------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    """Open an incident in a window; returns the exit code when the window closes."""
    path = Path(args.file or bundled_incident())
    try:
        incident, failed = load_incident(path, allow_outside_paths=args.allow_outside_paths), None
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        if not path.is_file():
            return EXIT_INVALID  # nothing to show or to watch
        # The authoring loop: the window opens with the errors and loads the file as soon
        # as a fix is saved.
        incident, failed = None, exc
    if args.at is not None and incident is not None:
        check_time(incident, args.at)
    try:
        import warnings

        import glfw

        with warnings.catch_warnings():
            # glfw reports "DISPLAY is missing" as a warning too; the message below says it.
            warnings.simplefilter("ignore", glfw.GLFWError)
            if not glfw.init():
                raise RuntimeError("glfw could not initialise")
    except Exception as exc:
        print(
            f"replay-viewer: error: cannot open a window ({exc}); is there a display "
            "(DISPLAY / WAYLAND_DISPLAY)? Without one, use 'replay-viewer export'.",
            file=sys.stderr,
        )
        return EXIT_NO_GPU
    from .app.window import ViewerApp

    app = ViewerApp(incident, path, start_at=args.at, backend=args.backend, failed=failed)
    return app.run()


if __name__ == "__main__":
    sys.exit(main())
