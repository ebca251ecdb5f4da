"""The desktop window: glfw through rendercanvas, the boot screen, and the viewer.

This is the only module that creates a window. Per frame: the playback clock advances; the
GUI functions build the ImGui frame from :class:`AppState` (and may change it); then the
chart is rendered for the state as the GUI left it (only when what it shows changed), so a
scrub reaches the chart in the same frame; then ImGui draws everything into the surface.
The window draws on demand: an idle, paused window does no work.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..errors import EXIT_INVALID
from ..model import empty_incident
from ..render.boot import Boot, BootError, StageReport, prepare_renderer
from ..render.fonts import FontSet
from ..timecode import format_timecode
from . import presenter
from .canvas import FullScreen, guard_close, hook_file_drop, limit_size, make_canvas
from .chart_surface import ChartSurface
from .context import UiContext
from .export_control import WindowExport
from .gui import gui_pass
from .keymap import KeyRepeat, ShortcutChar, dispatch_key
from .session import Session
from .state import AppState
from .state_dump import dump_state
from .theme import apply_style
from .window_gpu import WindowGpu

if TYPE_CHECKING:
    from pathlib import Path

    from ..loader import IncidentLoadError
    from ..model import Incident
    from ..render.renderer import ChartRenderer

__all__ = ["ViewerApp"]

WATCH_INTERVAL_S = 0.5
DEFAULT_SIZE = (1440, 900)
MIN_SIZE = (640, 400)  # below this the controls have no room
INPUT_EVENTS = ("pointer_move", "pointer_down", "pointer_up", "wheel", "key_down", "key_up",
                "char", "resize", "double_click", "pointer_leave", "pointer_enter")  # fmt: skip


class ViewerApp:
    """The replay-viewer window: the canvas, the boot screen, the frame loop and the keys;
    what the GUI can ask for goes to its :class:`~.session.Session`."""

    def __init__(
        self,
        incident: Incident,
        path: Path | None,
        *,
        start_at: float | None = None,
        backend: str | None = None,
        size: tuple[int, int] = DEFAULT_SIZE,
        failed: IncidentLoadError | None = None,
        allow_outside_paths: bool = False,
    ) -> None:
        from rendercanvas.glfw import GlfwRenderCanvas, loop

        self.loop = loop
        self.state = AppState()
        self.placeholder = empty_incident(f"{path.name} (not loaded)") if failed else None
        self.state.set_incident(incident or self.placeholder, path, keep_time=False)
        if failed is not None:  # shown with its errors; the session watches the file
            self.state.load_failed(failed.diagnostics, str(path), path)
        if start_at is not None:
            self.state.seek(start_at)
        self.session = Session(
            self.state,
            path,
            request_draw=self.request_draw,
            quit=lambda: self.loop.call_soon(self.canvas.close),
            allow_outside_paths=allow_outside_paths,
            data_files=failed.data_files if failed is not None else (),
        )
        self.backend_name = backend
        self.exit_code = 0

        self.boot_reports: dict[int, StageReport] = {}
        self.boot_error: BootError | None = None
        self.boot: Boot | None = None
        self.booted, self._boot_step_due = False, False
        self.gpu: WindowGpu | None = None
        self.imgui_renderer = self.ui = None
        self._fault_keys = os.environ.get("REPLAY_VIEWER_TEST_FAULTS") == "1"
        self.quality, self._title, self._last_gui_error = "high", "", ""
        self._frames_pending, self._held, self._drops = 2, KeyRepeat(), []
        self._last_frame_time = time.perf_counter()

        self.canvas = make_canvas(GlfwRenderCanvas, size)
        self.full_screen = FullScreen(self.canvas)  # while presenting
        self._shortcut = ShortcutChar()  # (see keymap.py)
        _connect(self)
        self.canvas.request_draw(self._draw)

    # -- running -------------------------------------------------------------------------

    def run(self) -> int:
        self.loop.call_soon(self._boot_next)
        self.loop.call_later(WATCH_INTERVAL_S, self._watch)
        self.loop.run()
        if self.boot_error is not None:
            return self.boot_error.exit_code  # the failed stage was shown until closed
        if self.state.incident is self.placeholder:
            return EXIT_INVALID  # the file never loaded
        return self.exit_code

    def request_draw(self, frames: int = 4) -> None:
        """Draw again, a few frames: ImGui needs some to settle hover, popups and focus."""
        self._frames_pending = max(self._frames_pending, frames)
        if not self.canvas.get_closed():
            self.canvas.request_draw()

    def _on_drop(self, window, paths: list[str]) -> None:
        self._drops.extend(paths)
        self.request_draw()

    def _on_input(self, event: dict) -> None:
        if event["event_type"] == "pointer_leave" and self.imgui_renderer is not None:
            # ImGui would keep hovering whatever the pointer last touched.
            self.imgui_renderer.backend.io.add_mouse_pos_event(-3.0e38, -3.0e38)
        self.request_draw()

    # -- boot: one stage per loop turn, the boot screen drawn in between ---------------

    def _boot_next(self) -> None:
        if self.canvas.get_closed() or self.boot_error is not None:
            return
        try:
            if self.boot is None:
                self.boot = self._make_boot()
            done = self.boot.step()
            if self.boot.device is not None and self.imgui_renderer is None:
                self._setup_window_gpu()
        except BootError as exc:
            self._boot_failed(exc)
            return
        if done:
            self.booted, self.quality = True, self.boot.quality
            self._attach_renderer(self.boot.renderer)
            boot = self.boot
            self.state.say(
                f"{boot.reports[0].detail} · quality {boot.quality} · boot {boot.total_s:.1f} s"
            )
        elif self.imgui_renderer is None:
            self.loop.call_soon(self._boot_next)  # nothing to show yet: go straight on
        else:
            self._boot_step_due = True  # after the boot screen shows this stage's result
        self.request_draw()

    def _boot_failed(self, exc: BootError) -> None:
        self.boot_error = exc
        if self.ui is not None:
            self.ui.boot_error = exc
        print(f"replay-viewer: error: [{exc.stage}/6] {exc}", file=sys.stderr)
        if self.imgui_renderer is None:
            # Without a device nothing can be drawn in the window: say so and leave.
            self.exit_code = exc.exit_code
            self.canvas.close()
        self.request_draw()

    def _make_boot(self) -> Boot:
        width, height = self.canvas.get_physical_size()
        return Boot(self.state.incident, max(width, 320), max(height, 240),
                    self.canvas.get_pixel_ratio(), backend=self.backend_name, canvas=self.canvas,
                    start_time=self.state.t, on_stage=self._on_stage)  # fmt: skip

    def _on_stage(self, report: StageReport) -> None:
        self.boot_reports[report.index] = report
        if report.state == "running":
            self._set_title(f"replay-viewer — {report.verb}… {report.progress:.0f}%")

    def _setup_window_gpu(self) -> None:
        self.gpu = WindowGpu(self.canvas, self.boot.adapter, self.boot.device)
        self.imgui_renderer = self.gpu.imgui
        imgui.set_current_context(self.imgui_renderer.imgui_context)
        io = imgui.get_io()
        # Recover from a GUI function that left a window open instead of asserting.
        io.config_error_recovery_enable_assert = False
        io.config_error_recovery_enable_tooltip = False
        fonts = FontSet(io, 15.0)
        io.font_default = fonts.regular
        apply_style()
        self.ui = UiContext(fonts=fonts, boot_reports=self.boot_reports)
        self.ui.chart_texture = self.gpu.backend.reserve_texture()

    def _attach_renderer(self, renderer: ChartRenderer) -> None:
        """Hand the chart renderer (and an export renderer on its device) to the session;
        the chart image shows whatever texture the renderer draws into."""
        gpu, ref = self.gpu, self.ui.chart_texture
        chart = ChartSurface(
            renderer, lambda texture: gpu.backend.set_texture_view(ref, texture.create_view())
        )
        self.session.attach(renderer, chart, WindowExport(renderer.device))

    def _recover(self, exc: Exception) -> bool:
        """After a GPU fault in a frame: get drawing again, keeping the state. True when the
        fault was one the window recovers from."""
        kind = self.gpu.recover(exc, self.backend_name) if self.gpu is not None else None
        if kind is None:
            return False
        if kind == "device":
            if self.state.export.progress is not None:
                self.session.exporter.finish(self.state, note="stopped: the GPU device was lost")
            self.ui.chart_texture = self.gpu.backend.reserve_texture()
            width, height = self.canvas.get_physical_size()
            ratio = self.canvas.get_pixel_ratio()
            renderer = prepare_renderer(self.gpu.device, self.state.incident, max(width, 32),
                                        max(height, 32), ratio, quality=self.quality)  # fmt: skip
            self._attach_renderer(renderer)
            self.state.say("The GPU device was lost; a new one took over.")
        print(f"replay-viewer: recovered from a GPU fault ({kind}): {str(exc).strip()[:200]}",
              file=sys.stderr)  # fmt: skip
        self.request_draw()
        return True

    # -- the frame -----------------------------------------------------------------------

    def _draw(self) -> None:
        if self.imgui_renderer is None:
            return  # before a device exists there is nothing to draw with
        if 0 in self.canvas.get_physical_size():
            return  # minimised or 0×0: nothing to draw into until the next resize
        import wgpu

        try:
            self._draw_frame()
        except wgpu.DrawCancelled:
            raise  # an occluded or resizing surface: rendercanvas skips the frame
        except Exception as exc:
            if not self._recover(exc):
                self._report_gui_error(exc)

    def _draw_frame(self) -> None:
        now = time.perf_counter()
        frame_s, self._last_frame_time = now - self._last_frame_time, now
        ui, state = self.ui, self.state
        ui.fps = 0.9 * ui.fps + 0.1 / max(frame_s, 1e-3) if ui.fps else 1 / max(frame_s, 1e-3)
        if self.booted:
            self._guarded(self._advance, now)
        self._build_gui(frame_s)
        if self.booted:
            # After the GUI pass: the chart shows the state as the GUI left it.
            ratio = self.canvas.get_pixel_ratio()
            self._guarded(self.session.chart.update, state, ui, ratio, self.quality)
        self.gpu.present()
        if self.booted:
            self._set_title(window_title(state))
            self.full_screen.set(state.presenter.on)
        elif self._boot_step_due:
            # The next stage runs once this frame (showing the previous one done) is on screen.
            self._boot_step_due = False
            self.loop.call_later(0.02, self._boot_next)
        self._frames_pending -= 1
        # ImGui trickles fast input (a key down and up in one frame) over several frames:
        # keep drawing until its queue is empty, or keystrokes would wait for the next event.
        queued = self.imgui_renderer.imgui_context.input_events_queue.size()
        busy = (state.playback.playing or state.export.progress is not None or self.session.loading
                or presenter.animating(state) or state.axes.moving(state.clock()))  # fmt: skip
        if busy or self._held or queued or self._frames_pending > 0:
            self.canvas.request_draw()

    def _advance(self, now: float) -> None:
        self.state.tick()
        presenter.advance(self.state)
        for event in self._held.due(now):
            self._on_key(event, repeat=True)
        self.session.poll()
        drops, self._drops = self._drops, []
        self.session.open_dropped(drops)
        self.session.exporter.step(self.state)

    def _guarded(self, step, *args) -> None:
        """Run a per-frame step; a bug in it must not take the window (and the user's
        place in the incident) down: report it in the status line instead."""
        import wgpu

        try:
            step(*args)
        except wgpu.GPUError:
            raise  # the frame's fault handler decides (a lost device is recovered)
        except Exception as exc:
            self._report_gui_error(exc)

    def _build_gui(self, frame_s: float) -> None:
        imgui.set_current_context(self.imgui_renderer.imgui_context)
        error = gui_pass(self.state, self.ui, self.session, self.canvas, frame_s, self.booted)
        if error is not None:  # ImGui closed what the failed function left open
            self._report_gui_error(error)

    def _report_gui_error(self, exc: Exception) -> None:
        message = f"internal error in the UI: {type(exc).__name__}: {exc}"
        if message != self._last_gui_error:
            self._last_gui_error = message
            print(f"replay-viewer: {message}", file=sys.stderr)
            if os.environ.get("REPLAY_VIEWER_DEBUG"):
                traceback.print_exc()
        self.state.say(message)

    def _set_title(self, title: str) -> None:
        if title != self._title and not self.canvas.get_closed():
            self._title = title
            self.canvas.set_title(title)

    def _watch(self) -> None:
        if self.canvas.get_closed():
            return
        try:
            if self.booted:
                self.session.check_file()
        except Exception as exc:  # whatever one reload does, the watch goes on
            self._report_gui_error(exc)
        finally:
            self.loop.call_later(WATCH_INTERVAL_S, self._watch)

    # -- keyboard ------------------------------------------------------------------------

    def _on_key_up(self, event: dict) -> None:
        self._held.release(event["key"])

    def _on_key(self, event: dict, *, repeat: bool = False) -> None:
        """Shortcuts from the keymap (ImGui stops the event first when a text field has
        focus; before the boot ends only Ctrl+Q works)."""
        key, modifiers = event["key"], event.get("modifiers", ())
        if self._fault_keys and self.booted and _test_key(self, key):
            return self.request_draw()
        if not self.booted:
            if key.lower() == "q" and "Control" in modifiers:
                self.canvas.close()
            return
        taken = _imgui_wants_text()
        binding = dispatch_key(key, modifiers, self.state, self.session, keyboard_taken=taken,
                               repeat=repeat)  # fmt: skip
        if binding is None:
            return
        self._shortcut.ran(key)
        if binding.repeats and not repeat:
            self._held.press(key, event, time.perf_counter())
        self.request_draw()


def _connect(app: ViewerApp) -> None:
    """The window's input: shortcuts before ImGui's handlers (order -99), which stop every
    key while a widget is active (a click still being released, say; text fields are
    checked in _on_key) and may stop a key_up from propagating; a shortcut's character
    kept out of the field it opens; dropped files, the close button, the minimum size."""
    canvas = app.canvas
    canvas.add_event_handler(app._on_input, *INPUT_EVENTS, order=-100)
    canvas.add_event_handler(app._on_key, "key_down", order=-150)
    canvas.add_event_handler(app._shortcut.on_char, "char", order=-150)
    canvas.add_event_handler(app._on_key_up, "key_up", order=-200)
    hook_file_drop(canvas, app._on_drop)
    guard_close(canvas, app.session.may_close)
    limit_size(canvas, MIN_SIZE)


def _test_key(app: ViewerApp, key: str) -> bool:
    """The tests' seam (REPLAY_VIEWER_TEST_FAULTS=1): F10 and F11 are GPU faults, F12 writes
    what the window shows. True when ``key`` was one of them."""
    if key == "F12":
        dump_state(app.state, app.ui)
        return True
    return app.gpu.inject_fault(key)


def window_title(state: AppState) -> str:
    """The incident (marked while it has unsaved edits), the playhead's time and the zoomed
    range, if any."""
    zoomed = state.view and "zoom " + "–".join(format_timecode(t) for t in state.view)
    title = (
        f"● {state.incident.title} (unsaved edits)" if state.edits.dirty else (state.incident.title)
    )
    parts = (title, format_timecode(state.t), zoomed, "replay-viewer")
    return " — ".join(part for part in parts if part)


def _imgui_wants_text() -> bool:
    with contextlib.suppress(Exception):
        return bool(imgui.get_io().want_text_input)
    return False
