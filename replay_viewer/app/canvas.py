"""The glfw window through rendercanvas: creating it, its minimum size, and dropped files
(rendercanvas has no drop event: glfw's own callback is hooked)."""

from __future__ import annotations

__all__ = ["FullScreen", "guard_close", "hook_file_drop", "limit_size", "make_canvas"]


def make_canvas(canvas_class, size: tuple[int, int]):
    return canvas_class(
        size=size,
        title="replay-viewer — Probing WebGPU… 0%",
        update_mode="ondemand",  # an idle, paused window draws nothing
        max_fps=60,
    )


def limit_size(canvas, size: tuple[int, int]) -> None:
    try:
        import glfw

        glfw.set_window_size_limits(canvas._window, *size, glfw.DONT_CARE, glfw.DONT_CARE)
    except Exception:  # a window system without size limits
        pass


def hook_file_drop(canvas, on_drop) -> None:
    """rendercanvas has no drop event; glfw's own callback runs inside its event poll."""
    try:
        import glfw

        canvas._replay_viewer_drop = on_drop  # glfw keeps no reference of its own
        glfw.set_drop_callback(canvas._window, on_drop)
    except Exception:  # a window system without drag and drop
        pass


def guard_close(canvas, may_close) -> None:
    """The window's close button asks ``may_close()`` first: False keeps the window open
    (the app asks about unsaved edits, then closes it itself)."""
    try:
        import glfw

        def closing(window) -> None:
            if not may_close():
                glfw.set_window_should_close(window, 0)

        canvas._replay_viewer_close = closing  # glfw keeps no reference of its own
        glfw.set_window_close_callback(canvas._window, closing)
    except Exception:  # a window system without the callback: closing is not guarded
        pass


class FullScreen:
    """The window full screen on the monitor it is on (presenter mode), and back where it
    was, at its size, afterwards. :meth:`set` is called every frame with what the state
    wants; it acts only on a change."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.on = False
        self._before: tuple[int, int, int, int] | None = None  # x, y, width, height

    def set(self, on: bool) -> None:
        if on == self.on:
            return
        self.on = on
        try:
            import glfw

            window = self.canvas._window
            if on:
                x, y = glfw.get_window_pos(window)
                self._before = (x, y, *glfw.get_window_size(window))
                monitor = _monitor_of(glfw, window)
                mode = glfw.get_video_mode(monitor)
                glfw.set_window_monitor(window, monitor, 0, 0, mode.size.width,
                                        mode.size.height, mode.refresh_rate)  # fmt: skip
            elif self._before is not None:
                glfw.set_window_monitor(window, None, *self._before, 0)
        except Exception:  # a window system without full screen: present in the window
            pass


def _monitor_of(glfw, window):
    """The monitor under the window's centre (the primary one when none is)."""
    x, y = glfw.get_window_pos(window)
    width, height = glfw.get_window_size(window)
    cx, cy = x + width // 2, y + height // 2
    for monitor in glfw.get_monitors() or ():
        mx, my = glfw.get_monitor_pos(monitor)
        mode = glfw.get_video_mode(monitor)
        if mx <= cx < mx + mode.size.width and my <= cy < my + mode.size.height:
            return monitor
    return glfw.get_primary_monitor()
