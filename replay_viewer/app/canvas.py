"""The glfw window through rendercanvas: creating it, its minimum size, and dropped files
(rendercanvas has no drop event: glfw's own callback is hooked)."""

from __future__ import annotations

__all__ = ["guard_close", "hook_file_drop", "limit_size", "make_canvas"]


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
