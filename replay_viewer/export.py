"""PNG export (single frames and sequences) and the ``probe`` command.

Every PNG is written to a temporary file beside its destination and renamed into place,
so an interrupted export never leaves a truncated PNG; a sequence's ``frames.json`` index is
written the same way, and on interruption it lists the frames that were finished.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .loader import IncidentLoadError, load_incident
from .timecode import format_timecode

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from .model import Incident
    from .render.renderer import ChartRenderer, RenderOptions

__all__ = [
    "ExportPlan",
    "SequenceExport",
    "default_png_name",
    "export_sequence",
    "plan_sequence",
    "png_metadata",
    "write_json_atomic",
    "write_png_atomic",
]

FRAME_NAME = "frame_{:05d}.png"
MAX_FRAMES = 100_000


def default_png_name(incident: Incident, t: float) -> str:
    """``<incident-id>_T+MMSS.png`` (``T+HMMSS`` from one hour on)."""
    code = format_timecode(t).replace(":", "")
    return f"{incident.id}_{code}.png"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# mkstemp creates 0600 files; a finished export gets the usual permissions instead.
_FILE_MODE = 0o666 & ~_umask()


def _atomic_write(path: Path, write: Callable[[object], None], mode: str = "wb") -> None:
    """Write via a temp file in the same folder + rename: all or nothing."""
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, _FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise


def write_png_atomic(path: Path, pixels: np.ndarray, *, text: dict[str, str] | None = None) -> None:
    """Save H×W×4 RGBA pixels as an RGB PNG, atomically, with optional iTXt metadata."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)
    image = Image.fromarray(np.ascontiguousarray(pixels[..., :3]), mode="RGB")
    _atomic_write(path, lambda out: image.save(out, format="PNG", pnginfo=info))


def write_json_atomic(path: Path, data: object) -> None:
    _atomic_write(path, lambda out: json.dump(data, out, indent=2, ensure_ascii=False), "w")


@dataclass(frozen=True)
class ExportPlan:
    times: tuple[float, ...]

    def names(self) -> list[str]:
        return [FRAME_NAME.format(index) for index in range(len(self.times))]


def plan_sequence(incident: Incident, *, frames: int | None = None, every: float | None = None):
    """Frame times: ``frames`` evenly from start to end (both included), or one every
    ``every`` seconds from the start (the end included when it falls on the step)."""
    start, end = incident.start, incident.end
    if frames is not None:
        if frames < 1:
            raise ValueError("--frames must be at least 1")
        if frames > MAX_FRAMES:
            raise ValueError(f"--frames {frames} is more than {MAX_FRAMES:,}")
        times = [start] if frames == 1 else list(np.linspace(start, end, frames))
    else:
        if every is None or every <= 0:
            raise ValueError("--every must be a positive duration such as 5s")
        count = math.floor((end - start) / every + 1e-9) + 1
        if count > MAX_FRAMES:
            raise ValueError(f"--every {every:g}s makes {count:,} frames; at most {MAX_FRAMES:,}")
        times = [start + i * every for i in range(count)]
    return ExportPlan(tuple(float(t) for t in times))


def png_metadata(incident: Incident, t: float) -> dict[str, str]:
    """What a PNG of ``incident`` at ``t`` says about itself (title, software, source)."""
    from ._version import __version__

    return {
        "Title": f"{incident.title} at {format_timecode(t)}",
        "Software": f"replay-viewer {__version__}",
        "Source": str(incident.source or incident.id),
    }


class SequenceExport:
    """A frame sequence export, one frame per :meth:`step`, so the window can run it
    between UI frames (and the CLI in a loop: :func:`export_sequence`).

    :meth:`finish` writes ``frames.json``: always, also after a cancel or an error, listing
    the frames that were finished (``"complete": false`` then). Frame files a previous,
    longer export listed and this one does not are removed, so the folder always matches
    its index.
    """

    def __init__(
        self,
        renderer: ChartRenderer,
        incident: Incident,
        plan: ExportPlan,
        folder: Path,
        options: RenderOptions,
    ) -> None:
        self.renderer = renderer
        self.incident = incident
        self.plan = plan
        self.folder = Path(folder)
        self.options = options
        self.entries: list[dict] = []
        self.folder.mkdir(parents=True, exist_ok=True)
        self._index_path = self.folder / "frames.json"
        self._stale = _previous_frames(self._index_path)
        self._names = plan.names()
        self.finished = False

    @property
    def total(self) -> int:
        return len(self.plan.times)

    @property
    def done(self) -> int:
        return len(self.entries)

    def step(self) -> bool:
        """Render and write the next frame; True when all frames are written."""
        number = len(self.entries)
        if number >= self.total:
            return True
        t = self.plan.times[number]
        name = self._names[number]
        pixels = self.renderer.render(t, self.options)
        write_png_atomic(self.folder / name, pixels, text=png_metadata(self.incident, t))
        self.entries.append(
            {
                "frame": number,
                "file": name,
                "t": round(t, 6),
                "timecode": format_timecode(t, decimals=3 if t % 1 else 0),
            }
        )
        return len(self.entries) >= self.total

    def finish(self) -> dict:
        layout = self.renderer.layout
        index = {
            "incident": self.incident.id,
            "title": self.incident.title,
            "size": [layout.width, layout.height],
            "pixel_ratio": layout.pixel_ratio,
            "ghost": self.options.ghost,
            "complete": len(self.entries) == self.total,
            "frames": self.entries,
        }
        for name in self._stale - {entry["file"] for entry in self.entries}:
            (self.folder / name).unlink(missing_ok=True)
        write_json_atomic(self._index_path, index)
        self.finished = True
        return index


def export_sequence(
    renderer: ChartRenderer,
    incident: Incident,
    plan: ExportPlan,
    folder: Path,
    options: RenderOptions,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Render every frame of ``plan`` into ``folder`` with a ``frames.json`` index (see
    :class:`SequenceExport`); stops early when ``should_stop()`` says so."""
    job = SequenceExport(renderer, incident, plan, folder, options)
    try:
        while job.done < job.total:
            if should_stop is not None and should_stop():
                break
            job.step()
            if on_progress is not None:
                on_progress(job.done, job.total)
    finally:
        index = job.finish()
    return index


def _previous_frames(index_path: Path) -> set[str]:
    try:
        previous = json.loads(index_path.read_text(encoding="utf-8"))
        names = {entry["file"] for entry in previous["frames"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    # Only ever delete files that look like our own frames.
    return {n for n in names if isinstance(n, str) and n.startswith("frame_") and "/" not in n}


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


# -- commands ---------------------------------------------------------------------------


def _boot_headless(
    incident: Incident,
    size: tuple[int, int],
    scale: int,
    backend: str | None,
    start_time: float | None = None,
    frame_options: RenderOptions | None = None,
    on_stage=None,
):
    from .render.boot import Boot

    width, height = size
    boot = Boot(
        incident,
        width * scale,
        height * scale,
        scale,
        backend=backend,
        start_time=start_time,
        frame_options=frame_options,
        on_stage=on_stage,
    )
    return boot, boot.run()


def cmd_export(args: argparse.Namespace) -> int:
    from .cli import EXIT_INVALID, EXIT_OUTPUT, UsageError, parse_size
    from .render.boot import BootError
    from .render.renderer import RenderOptions

    size = parse_size(args.size)
    try:
        incident = load_incident(args.file)
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    sequence = args.frames is not None or args.every is not None
    if sequence:
        try:
            plan = plan_sequence(incident, frames=args.frames, every=args.every)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        folder = args.output or Path(f"{incident.id}_frames")
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"-o {folder}: a sequence needs a folder, and this is a file")
        first = plan.times[0]
    else:
        t = incident.end if args.at is None else args.at
        if not incident.start <= t <= incident.end:
            raise UsageError(
                f"--at {format_timecode(t)} is outside the incident "
                f"({format_timecode(incident.start)} to {format_timecode(incident.end)})"
            )
        out = args.output or Path(default_png_name(incident, t))
        if out.is_dir():
            out = out / default_png_name(incident, t)
        if out.suffix.lower() != ".png":
            raise UsageError(f"-o {out}: the output of a single frame must be a .png file")
        if not out.parent.is_dir():
            raise UsageError(f"-o {out}: folder {out.parent} does not exist")
        first = t
    try:
        options = RenderOptions(ghost=not args.no_ghost, quality="high")
        boot, renderer = _boot_headless(
            incident, size, args.scale, args.backend, first, frame_options=options
        )
    except BootError as exc:
        print(f"replay-viewer: error: [{exc.stage}/6] {exc}", file=sys.stderr)
        return exc.exit_code
    try:
        if sequence:
            index = export_sequence(
                renderer,
                incident,
                plan,
                folder,
                options,
                on_progress=_ProgressBar(f"export {incident.id}"),
            )
            print(
                f"{folder}: {len(index['frames'])} frames + frames.json "
                f"({renderer.layout.width}×{renderer.layout.height})"
            )
        else:
            pixels = boot.frame0  # frame 0 was rendered at t with these options
            write_png_atomic(out, pixels, text=png_metadata(incident, t))
            print(f"{out}: {format_timecode(t)} ({pixels.shape[1]}×{pixels.shape[0]})")
    except OSError as exc:
        print(f"replay-viewer: error: cannot write output: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    return 0


def cmd_probe(args: argparse.Namespace) -> int:
    from ._resources import bundled_incident
    from .cli import parse_size
    from .render.boot import STAGE_NAMES, BootError, StageReport

    width, height = parse_size(args.size)
    incident = load_incident(bundled_incident())
    name_width = max(map(len, STAGE_NAMES))

    def show(report: StageReport) -> None:
        if report.state == "running":
            return
        mark = "" if report.state == "done" else "FAILED  "
        print(
            f"[{report.index}/6] {report.name:<{name_width}}  {report.duration_s * 1000:7.0f} ms"
            f"  {mark}{report.detail}",
            flush=True,
        )

    try:
        boot, _ = _boot_headless(incident, (width, height), 1, args.backend, on_stage=show)
    except BootError as exc:
        print(f"replay-viewer: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"total {boot.total_s * 1000:.0f} ms; quality {boot.quality}")
    return 0
