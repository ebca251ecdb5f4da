"""Exports from the window: Ctrl+E frames, File ▸ Export sequence… and Export animation…
(GIF/MP4, captioned if asked, an MP4 with a chapter per told moment), the storyboard and the
postmortem report, through the same :mod:`replay_viewer.export` functions as the command
line (so the same options give the same files), on a second renderer at the export size
that shares the window's device.

The storyboard and the report are written in one go (a few seconds on a software
adapter): asked for, they wait one frame (``ExportDialog.pending``) so the dialog can say
"Writing …" before the window stops answering."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError, UsageError
from ..export import (
    EXPORT_QUALITY,
    AnimationExport,
    ExportSettings,
    SequenceExport,
    default_png_name,
    export_frame,
    plan_sequence,
    unused_path,
)
from ..export.captions import plan_told
from ..options import parse_size
from ..render.boot import prepare_renderer
from ..timecode import TimecodeError, parse_timecode
from .state import ExportProgress

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from .state import AppState, StoryKind

__all__ = ["WindowExport"]


class WindowExport:
    """The window's export renderer and the sequence export in progress (one frame per UI
    frame, so the window keeps working)."""

    def __init__(self, device: wgpu.GPUDevice) -> None:
        self.device = device
        self.job: SequenceExport | AnimationExport | None = None  # the export in progress
        self.renderer: ChartRenderer | None = None
        self._incident: Incident | None = None

    def settings(self, state: AppState) -> ExportSettings:
        dialog = state.export
        return ExportSettings(
            size=parse_size(dialog.size),
            scale=dialog.scale,
            ghost=state.ghost,
            view=state.view,  # what the window shows: its zoom and the series shown
            hidden=state.hidden,
            highlight=state.highlight,  # and the members highlighted in the member list
            clock=state.clock_shown,
            theme=dialog.theme,
            autoscale=state.autoscale,  # the zoom's axes as the window fits them
            live=state.live,
        )

    def _renderer(self, incident: Incident, settings: ExportSettings) -> ChartRenderer:
        width, height = settings.pixel_size
        renderer = self.renderer
        if renderer is None:
            options = settings.layout_options()  # live view: laid out again per frame
            renderer = prepare_renderer(self.device, incident, width, height, settings.scale,
                                        quality=EXPORT_QUALITY, **options)  # fmt: skip
            self.renderer, self._incident = renderer, incident
            return renderer
        if incident is not self._incident:
            renderer.set_incident(incident)
            self._incident = incident
        layout = renderer.layout
        wanted = (width, height, settings.scale, settings.view, settings.hidden, settings.clock,
                  settings.theme, settings.autoscale, settings.live)  # fmt: skip
        if layout is None or wanted != (layout.width, layout.height, layout.pixel_ratio,
                                        layout.view, layout.hidden, layout.clock, layout.theme,
                                        layout.autoscale, layout.live is not None):  # fmt: skip
            renderer.resize(width, height, settings.scale, **settings.layout_options())
        return renderer

    def export_frame(self, state: AppState) -> Path | None:
        """The current frame as a PNG in the dialog's folder, at the export size; the
        status line says where it went (or why not)."""
        try:
            settings = self.settings(state)
            renderer = self._renderer(state.incident, settings)
            folder = Path(state.export.folder).expanduser()
            folder.mkdir(parents=True, exist_ok=True)
            out = unused_path(folder / default_png_name(state.incident, state.t))
            export_frame(renderer, state.incident, state.t, out, settings)
        except (UsageError, OutputError, OSError) as exc:
            state.say(f"Export failed: {exc}")
            return None
        state.last_export = out
        state.say(f"Saved {out}")
        return out

    def start_sequence(self, state: AppState) -> None:
        dialog = state.export
        try:
            settings = self.settings(state)
            if dialog.use_every:
                every = parse_timecode(dialog.every)
                plan = plan_sequence(state.incident, every=every, span=settings.view)
            else:
                plan = plan_sequence(state.incident, frames=dialog.frames, span=settings.view)
            renderer = self._renderer(state.incident, settings)
            folder = Path(dialog.folder).expanduser()
            self._begin(state, SequenceExport(
                renderer, state.incident, plan, folder, settings, overwrite=dialog.overwrite
            ))  # fmt: skip
        except (UsageError, OutputError, ValueError, TimecodeError, OSError) as exc:
            dialog.message = str(exc)
            return
        finally:
            dialog.overwrite = False  # a Replace answer covers this one export only
        dialog.message = ""

    def start_animation(self, state: AppState) -> None:
        """Start File ▸ Export animation: ``<incident-id>.gif`` (or .mp4, or -2, -3 … if it
        exists) in the dialog's folder, the replay fitted into the dialog's length."""
        dialog = state.export
        try:
            settings = self.settings(state)
            kind = dialog.animation
            # The told moments: each an MP4 chapter, and with Captions a caption card.
            plan, story = plan_told(state.incident, fps=dialog.fps, captions=dialog.captions,
                                    duration=parse_timecode(dialog.duration), span=settings.view,
                                    live=settings.live)  # fmt: skip
            folder = Path(dialog.folder).expanduser()
            if not folder.is_dir():
                raise OutputError(f"folder {folder} does not exist")
            path = unused_path(folder / f"{state.incident.id}.{kind}")
            renderer = self._renderer(state.incident, settings)
            self._begin(state, AnimationExport(
                renderer, state.incident, plan, path, settings, kind=kind, fps=dialog.fps,
                story=story,
            ))  # fmt: skip
        except (UsageError, OutputError, ValueError, TimecodeError, OSError) as exc:
            dialog.message = str(exc)
            return
        dialog.message = " ".join(story.warnings) if dialog.captions else ""

    def ask_story(self, state: AppState, kind: StoryKind) -> None:
        """Write the storyboard or the report on the next frame (this one says so)."""
        if self.running:
            state.export.message = "An export is running: wait for it or cancel it"
            return
        state.export.pending = kind
        state.export.message = f"Writing the {kind} …"

    def _write_story(self, state: AppState, kind: StoryKind) -> None:
        from .story_export import write_report, write_storyboard

        dialog = state.export
        folder = Path(dialog.folder).expanduser()
        try:
            settings = dataclasses.replace(self.settings(state), live=False)  # they tell the end
            if not folder.is_dir():
                raise OutputError(f"folder {folder} does not exist")
            write = write_storyboard if kind == "storyboard" else write_report
            path, dialog.message = write(self.device, state.incident, settings, folder)
        except (UsageError, OutputError, ValueError, OSError) as exc:
            dialog.message = f"The {kind} was not written: {exc}"
            state.say(dialog.message)
            return
        except Exception as exc:  # a bug or a lost device: say so, keep the window
            dialog.message = f"The {kind} was not written: internal error: {exc!r}"
            state.say(dialog.message)
            raise
        state.last_export = path
        state.say(dialog.message)

    @property
    def running(self) -> bool:
        return self.job is not None

    def _begin(self, state: AppState, job: SequenceExport | AnimationExport) -> None:
        self.job = job
        self._show_progress(state)

    def _show_progress(self, state: AppState) -> None:
        job = self.job
        target = str(job.path if isinstance(job, AnimationExport) else job.folder)
        state.export.progress = ExportProgress(job.done, job.total, target)

    def step(self, state: AppState) -> None:
        """Write the export's next frame (or end it when cancelled, finished or failed)."""
        job = self.job
        if job is None:
            pending, state.export.pending = state.export.pending, ""
            if pending:
                self._write_story(state, pending)
            return
        if state.export.cancel:
            self.finish(state, note="cancelled")
            return
        try:
            finished = job.step()
        except Exception as exc:  # a full disk, a lost device: report, keep the window
            self.finish(state, note=f"failed: {exc}")
            return
        if finished:
            self.finish(state)
        else:
            self._show_progress(state)

    def finish(self, state: AppState, *, note: str = "") -> None:
        dialog = state.export
        job, self.job = self.job, None
        dialog.progress, dialog.cancel = None, False
        if job is None:
            return
        try:
            index = job.finish()
        except (OutputError, OSError) as exc:
            dialog.message = f"Export {note or 'finished'}, but frames.json failed: {exc}"
        else:
            count = len(index["frames"]) if isinstance(index["frames"], list) else index["frames"]
            if isinstance(job, AnimationExport) and index["complete"]:
                dialog.message = f"Wrote {job.path} ({count} frames at {job.fps} fps)"
            elif isinstance(job, AnimationExport):
                dialog.message = f"Export {note or 'stopped'} after {count} of {job.total} frames"
            elif index["complete"]:
                dialog.message = f"Wrote {count} frames to {job.folder}"
            else:
                dialog.message = (
                    f"Export {note or 'stopped'} after {count} of {job.total} frames "
                    f"({job.folder}/frames.json lists them)"
                )
        state.say(dialog.message)
