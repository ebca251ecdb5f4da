"""The desktop app: ``replay-viewer [open] [FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..loader import IncidentLoadError, load_incident

__all__ = ["cmd_open"]


def cmd_open(path: Path, *, start_at: float | None = None, backend: str | None = None) -> int:
    """Open ``path`` in a window; returns the exit code when the window closes."""
    from ..cli import EXIT_INVALID, EXIT_NO_GPU

    try:
        incident = load_incident(path)
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    if start_at is not None and not incident.start <= start_at <= incident.end:
        from ..cli import UsageError
        from ..timecode import format_timecode

        raise UsageError(
            f"--at {format_timecode(start_at)} is outside the incident "
            f"({format_timecode(incident.start)} to {format_timecode(incident.end)})"
        )
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
    from .window import ViewerApp

    app = ViewerApp(incident, Path(path), start_at=start_at, backend=backend)
    return app.run()
