"""The desktop window: glfw through rendercanvas, the boot screen, and the viewer.

This is the only module that creates a window. Per frame: the playback clock advances,
the GUI functions (``panels.py``) build the ImGui frame from :class:`AppState`, the chart
is re-rendered into its texture only when what it shows changed (time, size, hover,
ghosting, incident), and ImGui draws everything into the window's surface texture.
The window draws on demand: an idle, paused window does no work.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..loader import IncidentLoadError, load_incident
from ..render.boot import STAGE_NAMES, Boot, BootError, StageReport
from ..render.renderer import RenderOptions
from ..timecode import format_timecode
from . import panels
from .browser import FileBrowser
from .recent import RecentFiles
from .state import BIG_STEP_S, AppState
from .watch import FileWatcher

if TYPE_CHECKING:
    from ..model import Incident
    from ..render.renderer import ChartRenderer

__all__ = ["ViewerApp"]

WATCH_INTERVAL_S = 0.5
REPEAT_DELAY_S = 0.35
REPEAT_INTERVAL_S = 0.045
DEFAULT_SIZE = (1440, 900)
INPUT_EVENTS = ("pointer_move", "pointer_down", "pointer_up", "wheel", "key_down", "key_up",
                "char", "resize", "double_click", "pointer_leave", "pointer_enter")  # fmt: skip


@dataclass
class ChartView:
    """What the chart texture currently shows, to re-render only when it changes."""

    key: tuple = ()
    texture_id: int = 0
    tex_ref: object | None = None
    origin: tuple[float, float] = (0.0, 0.0)  # logical position of the image in the window


class ViewerApp:
    """The replay-viewer window for one incident file at a time."""

    def __init__(
        self,
        incident: Incident,
        path: Path | None,
        *,
        start_at: float | None = None,
        backend: str | None = None,
        size: tuple[int, int] = DEFAULT_SIZE,
    ) -> None:
        from rendercanvas.glfw import GlfwRenderCanvas, loop

        self.loop = loop
        self.state = AppState()
        self.state.set_incident(incident, path, keep_time=False)
        if start_at is not None:
            self.state.seek(start_at)
        self.recent = RecentFiles()
        if path is not None:
            self.recent.add(path)
        self.browser = FileBrowser(folder=(path.parent if path else Path.cwd()).resolve())
        self.export = panels.ExportDialog(folder=str(Path.cwd()))
        self.watcher = FileWatcher(path)
        self.backend_name = backend
        self.exit_code = 0

        self.boot_reports: dict[int, StageReport] = {}
        self.boot_error: BootError | None = None
        self.boot: Boot | None = None
        self.booted = False
        self.renderer: ChartRenderer | None = None
        self.export_renderer: ChartRenderer | None = None
        self.imgui_renderer = None
        self.chart = ChartView()
        self.fonts = None
        self._frames_pending = 2
        self._held: dict[str, list] = {}  # arrow key → [event, pressed at, last repeat]
        self._boot_step_due = False
        self._title = ""
        self._drops: list[str] = []
        self._last_frame_time = time.perf_counter()
        self.fps = 0.0

        self.canvas = GlfwRenderCanvas(
            size=size,
            title="replay-viewer — Probing WebGPU… 0%",
            update_mode="ondemand",
            max_fps=60,
        )
        self.canvas.add_event_handler(self._on_input, *INPUT_EVENTS, order=-100)
        self.canvas.add_event_handler(self._on_key, "key_down", order=0)
        # Before ImGui's handlers (order -99), which may stop a key_up from propagating.
        self.canvas.add_event_handler(self._on_key_up, "key_up", order=-200)
        self._hook_file_drop()
        self.canvas.request_draw(self._draw)

    # -- running -------------------------------------------------------------------------

    def run(self) -> int:
        self.loop.call_soon(self._boot_next)
        self.loop.call_later(WATCH_INTERVAL_S, self._watch)
        self.loop.run()
        if self.boot_error is not None:
            return self.boot_error.exit_code  # the failed stage was shown until closed
        return self.exit_code

    def request_draw(self, frames: int = 4) -> None:
        """Draw again, a few frames: ImGui needs some to settle hover, popups and focus."""
        self._frames_pending = max(self._frames_pending, frames)
        if not self.canvas.get_closed():
            self.canvas.request_draw()

    def _on_input(self, event: dict) -> None:
        if event["event_type"] == "pointer_leave" and self.imgui_renderer is not None:
            # ImGui would keep hovering whatever the pointer last touched.
            self.imgui_renderer.backend.io.add_mouse_pos_event(-3.0e38, -3.0e38)
        self.request_draw()

    def _hook_file_drop(self) -> None:
        # rendercanvas has no drop event; glfw's own callback runs inside its event poll.
        try:
            import glfw

            def on_drop(window, paths):
                self._drops.extend(paths)
                self.request_draw()

            self._drop_callback = on_drop  # keep a reference for glfw
            glfw.set_drop_callback(self.canvas._window, on_drop)
        except Exception:  # a window system without drag and drop
            pass

    # -- boot: one stage per loop turn, the boot screen drawn in between ---------------

    def _boot_next(self) -> None:
        if self.canvas.get_closed() or self.boot_error is not None:
            return
        try:
            if self.boot is None:
                width, height = self.canvas.get_physical_size()
                self.boot = Boot(
                    self.state.incident,
                    max(width, 320),
                    max(height, 240),
                    self.canvas.get_pixel_ratio(),
                    backend=self.backend_name,
                    canvas=self.canvas,
                    start_time=self.state.t,
                    on_stage=self._on_stage,
                )
            done = self.boot.step()
            if self.boot.device is not None and self.imgui_renderer is None:
                self._setup_window_gpu()
        except BootError as exc:
            self.boot_error = exc
            print(f"replay-viewer: error: [{exc.stage}/6] {exc}", file=sys.stderr)
            if self.imgui_renderer is None:
                # Without a device nothing can be drawn in the window: say so and leave.
                self.exit_code = exc.exit_code
                self.canvas.close()
            self.request_draw()
            return
        if done:
            self.booted = True
            self.renderer = self.boot.renderer
            self.state.status = (
                f"{self.boot.reports[0].detail} · quality {self.boot.quality} · "
                f"boot {self.boot.total_s:.1f} s"
            )
        elif self.imgui_renderer is None:
            self.loop.call_soon(self._boot_next)  # nothing to show yet: go straight on
        else:
            self._boot_step_due = True  # after the boot screen shows this stage's result
        self.request_draw()

    def _on_stage(self, report: StageReport) -> None:
        self.boot_reports[report.index] = report
        if report.state == "running":
            self._set_title(f"replay-viewer — {report.verb}… {report.progress:.0f}%")

    def _setup_window_gpu(self) -> None:
        from wgpu.utils.imgui import ImguiRenderer

        from ..render.imgui_backend import ImguiBackend

        device = self.boot.device
        context = self.canvas.get_wgpu_context()
        preferred = context.get_preferred_format(self.boot.adapter)
        # A non-sRGB surface shows the chart texture's bytes exactly as the PNG export has them.
        surface_format = preferred.removesuffix("-srgb")
        context.configure(device=device, format=surface_format)
        self.imgui_renderer = ImguiRenderer(device, self.canvas)
        self.imgui_renderer.backend.__class__ = ImguiBackend  # the atlas fixes
        imgui.set_current_context(self.imgui_renderer.imgui_context)
        io = imgui.get_io()
        # Recover from a GUI function that left a window open instead of asserting.
        io.config_error_recovery_enable_assert = False
        io.config_error_recovery_enable_tooltip = False
        self.fonts = panels.load_ui_fonts(io)
        panels.apply_style()

    # -- the frame -----------------------------------------------------------------------

    def _draw(self) -> None:
        if self.imgui_renderer is None:
            return  # before a device exists there is nothing to draw with
        import wgpu

        now = time.perf_counter()
        frame_s = now - self._last_frame_time
        self._last_frame_time = now
        self.fps = 0.9 * self.fps + 0.1 / max(frame_s, 1e-3) if self.fps else 1 / max(frame_s, 1e-3)

        state = self.state
        if self.booted:
            try:
                state.tick()
                self._repeat_held_keys(now)
                self._take_drops()
                self._step_export()
            except Exception as exc:
                self._report_gui_error(exc)

        imgui.set_current_context(self.imgui_renderer.imgui_context)
        io = imgui.get_io()
        width, height = self.canvas.get_logical_size()
        ratio = self.canvas.get_pixel_ratio()
        io.display_size = (width, height)
        io.display_framebuffer_scale = (ratio, ratio)
        io.delta_time = max(frame_s, 1e-4)
        imgui.new_frame()
        try:
            if self.booted:
                self._gui()
            else:
                panels.gui_boot_screen(self, STAGE_NAMES)
        except Exception as exc:
            # A bug in one GUI function must not take the window (and the user's place in
            # the incident) down: report it; ImGui closes what the function left open.
            self._report_gui_error(exc)
        finally:
            imgui.render()

        device = self.boot.device
        texture = self.canvas.get_wgpu_context().get_current_texture()
        encoder = device.create_command_encoder(label="window")
        render_pass = encoder.begin_render_pass(
            color_attachments=[
                {
                    "view": texture.create_view(),
                    "clear_value": (0.024, 0.031, 0.047, 1.0),
                    "load_op": wgpu.LoadOp.clear,
                    "store_op": wgpu.StoreOp.store,
                }
            ]
        )
        self.imgui_renderer.backend.render(imgui.get_draw_data(), render_pass)
        render_pass.end()
        device.queue.submit([encoder.finish()])

        if self.booted:
            title = f"{state.incident.title} — {format_timecode(state.t)} — replay-viewer"
            self._set_title(title)
        elif self._boot_step_due:
            # The next stage runs once this frame (showing the previous one done) is on screen.
            self._boot_step_due = False
            self.loop.call_later(0.02, self._boot_next)
        if state.quit_requested:  # File ▸ Quit
            self.loop.call_soon(self.canvas.close)
            return
        self._frames_pending -= 1
        # ImGui trickles fast input (a key down and up in one frame) over several frames:
        # keep drawing until its queue is empty, or keystrokes would wait for the next event.
        queued = self.imgui_renderer.imgui_context.input_events_queue.size()
        busy = state.playback.playing or self.export.job is not None or bool(self._held) or queued
        if busy or self._frames_pending > 0:
            self.canvas.request_draw()

    def _report_gui_error(self, exc: Exception) -> None:
        message = f"internal error in the UI: {type(exc).__name__}: {exc}"
        if message != getattr(self, "_last_gui_error", None):
            self._last_gui_error = message
            print(f"replay-viewer: {message}", file=sys.stderr)
            if os.environ.get("REPLAY_VIEWER_DEBUG"):
                traceback.print_exc()
        self.state.status = message

    def _set_title(self, title: str) -> None:
        if title != self._title and not self.canvas.get_closed():
            self._title = title
            self.canvas.set_title(title)

    def _gui(self) -> None:
        panels.gui_main_menu(self)
        panels.gui_viewer(self)
        panels.gui_overlays(self)

    # -- the chart texture ---------------------------------------------------------------

    def chart_image(self, width_pt: float, height_pt: float) -> None:
        """Render (if needed) and place the chart at the cursor, ``width`` × ``height`` pt."""
        ratio = self.canvas.get_pixel_ratio()
        size = (max(int(width_pt * ratio), 32), max(int(height_pt * ratio), 32))
        renderer = self.renderer
        layout = renderer.layout
        if (
            layout is None
            or layout.chrome
            or (layout.width, layout.height) != size
            or (layout.pixel_ratio != ratio)
        ):
            renderer.resize(size[0], size[1], ratio, chrome=False)
        state = self.state
        key = (state.t, size, ratio, state.hover, state.ghost, id(state.incident))
        texture = (
            renderer.render_texture(
                state.t,
                RenderOptions(ghost=state.ghost, quality=self.boot.quality, hover=state.hover),
            )
            if key != self.chart.key
            else None
        )
        self.chart.key = key
        if texture is not None and id(texture) != self.chart.texture_id:
            backend = self.imgui_renderer.backend
            if self.chart.tex_ref is not None:
                backend.unregister_texture(self.chart.tex_ref)
            self.chart.tex_ref = backend.register_texture(texture.create_view())
            self.chart.texture_id = id(texture)
        origin = imgui.get_cursor_screen_pos()
        self.chart.origin = (origin.x, origin.y)
        imgui.image(self.chart.tex_ref, (size[0] / ratio, size[1] / ratio))

    # -- actions (menu items, shortcuts, panels) -------------------------------------------

    def open_file(self, path: Path, *, reload: bool = False) -> bool:
        """Load ``path``; on success show it, on failure keep the current incident and
        show the positioned errors. Returns True on success."""
        try:
            incident = load_incident(path)
        except IncidentLoadError as exc:
            self.state.load_failed(exc.diagnostics, str(path))
            self.request_draw()
            return False
        if self.export.job is not None:
            # The job renders the old incident with the export renderer: end it cleanly
            # (its frames.json lists what it finished) before that renderer changes.
            self._finish_export(note="stopped: the incident changed")
        self.state.set_incident(incident, Path(path), keep_time=reload)
        self.renderer.set_incident(incident)
        self.chart.key = ()
        if self.export_renderer is not None:
            self.export_renderer.set_incident(incident)
            self.export_renderer.layout = None
        if not reload:
            self.recent.add(Path(path))
            self.browser.folder = Path(path).resolve().parent
        self.watcher.watch(Path(path))
        self.state.status = f"{'Reloaded' if reload else 'Opened'} {path}"
        self.request_draw()
        return True

    def reload(self) -> None:
        if self.state.path is not None:
            self.open_file(self.state.path, reload=True)

    def _watch(self) -> None:
        if self.canvas.get_closed():
            return
        if self.booted and self.watcher.changed():
            self.reload()
        self.loop.call_later(WATCH_INTERVAL_S, self._watch)

    def _take_drops(self) -> None:
        while self._drops:
            dropped = Path(self._drops.pop(0))
            if dropped.suffix.lower() in (".yaml", ".yml"):
                self.open_file(dropped)
            else:
                self.state.status = f"Not an incident file (.yaml/.yml): {dropped.name}"

    def export_frame(self) -> Path | None:
        """Ctrl+E: the current frame as a PNG at the export size, through render-at-t."""
        from ..export import default_png_name, png_metadata, write_png_atomic

        renderer = self._export_renderer()
        if renderer is None:
            return None
        state = self.state
        folder = Path(self.export.folder).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            out = _unique(folder / default_png_name(state.incident, state.t))
            pixels = renderer.render(state.t, RenderOptions(ghost=state.ghost, quality="high"))
            write_png_atomic(out, pixels, text=png_metadata(state.incident, state.t))
        except OSError as exc:
            state.status = f"Export failed: {exc}"
            return None
        state.status = f"Saved {out}"
        return out

    def _export_renderer(self) -> ChartRenderer | None:
        from ..cli import UsageError, parse_size
        from ..render.renderer import ChartRenderer
        from ..render.text import ChartText

        try:
            width, height = parse_size(self.export.size)
        except UsageError as exc:
            self.state.status = str(exc)
            return None
        scale = self.export.scale
        size = (width * scale, height * scale)
        renderer = self.export_renderer
        if renderer is None:
            renderer = ChartRenderer(self.boot.device)
            renderer.text = ChartText(self.boot.device, renderer.target_format)
            renderer.compile_shaders()
            renderer.set_incident(self.state.incident)
            self.export_renderer = renderer
        layout = renderer.layout
        if layout is None or (layout.width, layout.height, layout.pixel_ratio) != (*size, scale):
            renderer.resize(*size, scale)
        return renderer

    def start_sequence_export(self) -> None:
        from ..export import SequenceExport, plan_sequence
        from ..timecode import TimecodeError, parse_timecode

        dialog = self.export
        renderer = self._export_renderer()
        if renderer is None:
            return
        try:
            if dialog.use_every:
                plan = plan_sequence(self.state.incident, every=parse_timecode(dialog.every))
            else:
                plan = plan_sequence(self.state.incident, frames=dialog.frames)
            dialog.job = SequenceExport(
                renderer,
                self.state.incident,
                plan,
                Path(dialog.folder).expanduser(),
                RenderOptions(ghost=self.state.ghost, quality="high"),
            )
        except (ValueError, TimecodeError, OSError) as exc:
            dialog.message = str(exc)
            return
        dialog.message = ""
        self.request_draw()

    def _step_export(self) -> None:
        job = self.export.job
        if job is None:
            return
        if self.export.cancel:
            self._finish_export(note="cancelled")
            return
        try:
            finished = job.step()
        except Exception as exc:  # a full disk, a lost device: report, keep the window
            self._finish_export(note=f"failed: {exc}")
            return
        if finished:
            self._finish_export()

    def _finish_export(self, *, note: str = "") -> None:
        job, self.export.job = self.export.job, None
        self.export.cancel = False
        try:
            index = job.finish()
        except OSError as exc:
            self.export.message = f"Export {note or 'finished'}, but frames.json failed: {exc}"
        else:
            count = len(index["frames"])
            if index["complete"]:
                self.export.message = f"Wrote {count} frames to {job.folder}"
            else:
                self.export.message = (
                    f"Export {note or 'stopped'} after {count} of {job.total} frames "
                    f"({job.folder}/frames.json lists them)"
                )
        self.state.status = self.export.message

    # -- keyboard ------------------------------------------------------------------------

    def _on_key_up(self, event: dict) -> None:
        self._held.pop(event["key"], None)

    def _repeat_held_keys(self, now: float) -> None:
        """rendercanvas drops the window system's key repeats; holding ← or → keeps
        stepping (after a short delay), as it would in any player."""
        for held in list(self._held.values()):
            event, pressed_at, last = held
            if now - pressed_at >= REPEAT_DELAY_S and now - last >= REPEAT_INTERVAL_S:
                held[2] = now
                self._on_key(event, repeat=True)

    def _on_key(self, event: dict, *, repeat: bool = False) -> None:
        """Shortcuts (ImGui stops the event first when a text field has focus)."""
        if not self.booted:
            if event["key"] == "q" and "Control" in event.get("modifiers", ()):
                self.canvas.close()
            return
        key = event["key"]
        modifiers = set(event.get("modifiers", ()))
        control, shift = "Control" in modifiers, "Shift" in modifiers
        state = self.state
        if control and key.lower() == "q":
            self.loop.call_soon(self.canvas.close)
        elif imgui_wants_text() or self.browser.open or self.export.open:
            return
        elif control and key.lower() == "o":
            self.browser.open = True
        elif control and key.lower() == "e":
            self.export_frame()
        elif control and key.lower() == "r":
            self.reload()
        elif key == " ":
            state.toggle_play()
        elif key in ("ArrowLeft", "ArrowRight"):
            direction = -1 if key == "ArrowLeft" else 1
            state.jump(direction * BIG_STEP_S) if shift else state.step(direction)
            if not repeat:
                now = time.perf_counter()
                self._held[key] = [event, now, now]
        elif key == "[":
            state.event(-1)
        elif key == "]":
            state.event(1)
        elif key == "Home":
            state.home()
        elif key == "End":
            state.end()
        elif key == "F1":
            state.show_help = not state.show_help
        elif key == "g" and not control:
            state.ghost = not state.ghost
        else:
            return
        self.request_draw()


def imgui_wants_text() -> bool:
    with contextlib.suppress(Exception):
        io = imgui.get_io()
        return bool(io.want_text_input)
    return False


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path
