"""The open incident and everything the GUI can ask of it: the :class:`~.actions.Actions`
the window hands to the GUI functions (open, reload, export, recent files) plus the file
watch and dropped files. No window here: the window injects ``request_draw`` and ``quit``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..loader import IncidentLoadError, load_incident
from .recent import RecentFiles
from .watch import FileWatcher

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..render.renderer import ChartRenderer
    from .chart_view import ChartSurface
    from .export_control import WindowExport
    from .state import AppState

__all__ = ["INCIDENT_SUFFIXES", "Session"]

INCIDENT_SUFFIXES = (".yaml", ".yml")


class Session:
    def __init__(
        self,
        state: AppState,
        path: Path | None,
        *,
        request_draw: Callable[[], None],
        quit: Callable[[], None],
        recent: RecentFiles | None = None,
    ) -> None:
        self.state = state
        self.recent = recent or RecentFiles()
        if path is not None:
            self.recent.add(path)
        state.recent = tuple(self.recent.paths)
        state.browser.folder = (path.parent if path else Path.cwd()).resolve()
        self.watcher = FileWatcher(path)
        self._request_draw = request_draw
        self._quit = quit
        self.renderer: ChartRenderer | None = None
        self.chart: ChartSurface | None = None
        self.exporter: WindowExport | None = None

    def attach(self, renderer: ChartRenderer, chart: ChartSurface, exporter: WindowExport):
        """The GPU side, once the boot is done."""
        self.renderer, self.chart, self.exporter = renderer, chart, exporter

    # -- Actions ---------------------------------------------------------------------------

    def open_file(self, path: Path, *, reload: bool = False) -> bool:
        """Load ``path``; on success show it, on failure keep the current incident and
        show the positioned errors. Returns True on success."""
        path = Path(path)
        state = self.state
        try:
            incident = load_incident(path)
        except IncidentLoadError as exc:
            state.load_failed(exc.diagnostics, str(path))
            self._request_draw()
            return False
        if state.export.job is not None:
            # The job renders the old incident with the export renderer: end it cleanly
            # (its frames.json lists what it finished) before that renderer changes.
            self.exporter.finish(state, note="stopped: the incident changed")
        state.set_incident(incident, path, keep_time=reload)
        self.renderer.set_incident(incident)
        self.chart.invalidate()
        if not reload:
            self.recent.add(path)
            state.recent = tuple(self.recent.paths)
            state.browser.folder = path.resolve().parent
        self.watcher.watch(path)
        state.status = f"{'Reloaded' if reload else 'Opened'} {path}"
        self._request_draw()
        return True

    def reload(self) -> None:
        if self.state.path is not None:
            self.open_file(self.state.path, reload=True)

    def export_frame(self) -> None:
        self.exporter.export_frame(self.state)

    def start_sequence_export(self) -> None:
        self.exporter.start_sequence(self.state)
        self._request_draw()

    def start_animation_export(self) -> None:
        self.exporter.start_animation(self.state)
        self._request_draw()

    def forget_recent(self, path: Path) -> None:
        self.recent.remove(path)
        self.state.recent = tuple(self.recent.paths)

    def quit(self) -> None:
        self._quit()

    # -- outside events ----------------------------------------------------------------------

    def check_file(self) -> None:
        """Reload the open file if it changed on disk."""
        if self.watcher.changed():
            self.reload()

    def open_dropped(self, paths: list[str]) -> None:
        for name in paths:
            dropped = Path(name)
            if dropped.suffix.lower() in INCIDENT_SUFFIXES:
                self.open_file(dropped)
            else:
                self.state.status = f"Not an incident file (.yaml/.yml): {dropped.name}"
