"""The open incident and everything the GUI can ask of it: the :class:`~.actions.Actions`
the window hands to the GUI functions (open, reload, export, recent files) plus the file
watch and dropped files. No window here: the window injects ``request_draw`` and ``quit``.

Files load on a worker thread (a large incident takes seconds), so the window keeps
drawing and shows "Loading …"; :meth:`Session.poll`, called every frame, swaps the loaded
incident in on the GUI thread. Only the newest request counts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..loader import IncidentLoadError, load_incident
from .edit_state import Prompt
from .recent import RecentFiles
from .timeline_edit import TimelineEditor
from .watch import FileWatcher

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from .chart_surface import ChartSurface
    from .export_control import WindowExport
    from .state import AppState, StoryKind

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
        background: bool = True,
        allow_outside_paths: bool = False,
        data_files: tuple[Path, ...] = (),
    ) -> None:
        self.state = state
        # What `open --allow-outside-paths` allowed holds for every later load too.
        self.allow_outside_paths = allow_outside_paths
        self.recent = recent or RecentFiles()
        if path is not None:
            self.recent.add(path)
        state.recent = tuple(self.recent.paths)
        # File ▸ Open starts in the working directory, then in the last folder used.
        state.browser.folder = Path.cwd().resolve()
        shown = state.incident.data_files if state.incident is not None else ()
        self.watcher = FileWatcher(path, data_files or shown)
        self._request_draw = request_draw
        self._quit = quit
        self.renderer: ChartRenderer | None = None
        self.chart: ChartSurface | None = None
        self.exporter: WindowExport | None = None
        self._loader = ThreadPoolExecutor(1, "replay-viewer-load") if background else None
        self._pending: tuple[Future, Path, bool, float] | None = None
        # What a loaded (or edited) incident becomes before it is shown: ``compare A B``
        # overlays B on each version of A (None: shown as it is).
        self.compose: Callable[[Incident], Incident] | None = None
        self.timeline = TimelineEditor(state, self._show_edited,
                                       allow_outside_paths=allow_outside_paths)  # fmt: skip
        if path is not None and state.incident is not None:
            self.timeline.loaded(path)

    @property
    def loading(self) -> bool:
        return self._pending is not None

    def attach(self, renderer: ChartRenderer, chart: ChartSurface, exporter: WindowExport):
        """The GPU side, once the boot is done."""
        self.renderer, self.chart, self.exporter = renderer, chart, exporter

    # -- Actions ---------------------------------------------------------------------------

    def open_file(self, path: Path, *, reload: bool = False) -> bool:
        """Start loading ``path`` (False at once if there is no such file). When it has
        loaded it is shown; if it fails, the current incident stays and the positioned
        errors are shown. With unsaved edits, first ask (save / discard / cancel)."""
        path = Path(path)
        if self.timeline.dirty and not reload:
            self.state.edits.prompt = Prompt("unsaved", f"before opening {path.name}",
                                             then="open", path=str(path))  # fmt: skip
            return False
        return self._start_loading(path, reload)

    def _start_loading(self, path: Path, reload: bool) -> bool:
        if not path.exists():
            self.state.say(f"No such file: {path}")
            return False
        if self._loader is None:
            self._apply(path, reload, lambda: self._load(path))
            return True
        future = self._loader.submit(self._load, path)
        self._pending = (future, path, reload, time.monotonic())
        self.state.loading = f"{'Reloading' if reload else 'Loading'} {path.name}"
        self._request_draw()
        return True

    def poll(self) -> bool:
        """Show the file that finished loading, if one did; True when something changed."""
        if self._pending is None or not self._pending[0].done():
            return False
        future, path, reload, _ = self._pending
        self._pending = None
        self.state.loading = ""
        self._apply(path, reload, future.result)
        return True

    def _load(self, path: Path) -> Incident:
        incident = load_incident(path, allow_outside_paths=self.allow_outside_paths)
        return incident if self.compose is None else self.compose(incident)

    def _apply(self, path: Path, reload: bool, result: Callable[[], Incident]) -> None:
        state = self.state
        try:
            incident = result()
        except IncidentLoadError as exc:
            state.load_failed(exc.diagnostics, str(path), path)
            # The authoring loop: watch the file that failed (and the data files it read),
            # so saving a fix loads it.
            self.watcher.watch(path, exc.data_files)
            self._request_draw()
            return
        if state.export.progress is not None:
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
        self.watcher.watch(path, incident.data_files)
        self.timeline.loaded(path)
        warned = len(incident.warnings)
        state.say(
            f"{'Reloaded' if reload else 'Opened'} {path}"
            + (f" ({warned} warning{'s' if warned != 1 else ''})" if warned else "")
        )
        self._request_draw()

    def reload(self) -> None:
        """Load the open file again; while a file that failed is shown, retry that one."""
        state = self.state
        if state.errors and state.error_path is not None:
            self._start_loading(state.error_path, state.error_path == state.path)
        elif state.path is not None:
            self._start_loading(state.path, True)

    def export_frame(self) -> None:
        self.exporter.export_frame(self.state)

    def start_sequence_export(self) -> None:
        self.exporter.start_sequence(self.state)
        self._request_draw()

    def start_animation_export(self) -> None:
        self.exporter.start_animation(self.state)
        self._request_draw()

    def export_story(self, kind: StoryKind) -> None:
        self.exporter.ask_story(self.state, kind)
        self._request_draw()  # the next frame writes it

    def forget_recent(self, path: Path) -> None:
        self.recent.remove(path)
        self.state.recent = tuple(self.recent.paths)

    def open_folder(self, folder: Path) -> None:
        opener = {"darwin": "open", "win32": "explorer"}.get(sys.platform, "xdg-open")
        if shutil.which(opener) is None:
            self.state.say(f"No file manager to open {folder} ({opener} not found)")
            return
        subprocess.Popen([opener, str(folder)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip

    def may_close(self) -> bool:
        """The window's close button: with unsaved edits, ask first (and keep the window;
        the answer closes it)."""
        if self.timeline.dirty:
            self.quit()
            return False
        self.timeline.close()
        return True

    def quit(self) -> None:
        """Close the window; with unsaved edits, first ask (save / discard / cancel)."""
        if self.timeline.dirty:
            self.state.edits.prompt = Prompt("unsaved", "before quitting", then="quit")
            self._request_draw()
            return
        self.timeline.close()
        self._quit()

    # -- outside events ----------------------------------------------------------------------

    def check_file(self) -> None:
        """Reload the open file if it, or a data file it reads, changed on disk; with
        unsaved edits, ask instead (keep mine / reload theirs / save mine as…)."""
        if not self.watcher.changed():
            return
        if self.timeline.dirty:
            name = self.state.path.name if self.state.path else "the file"
            self.state.edits.prompt = Prompt("conflict", f"{name} changed on disk")
            self._request_draw()
            return
        self.reload()

    # -- timeline edits (the Actions of app/event_editor.py) ----------------------------------

    def _show_edited(self, incident: Incident) -> None:
        """An edit (or undo) made a new incident: show it, the playhead where it was."""
        if self.compose is not None:
            incident = self.compose(incident)
        self.state.set_incident(incident, self.state.path, keep_time=True)
        self.renderer.set_incident(incident)
        self.chart.invalidate()
        self._request_draw()

    def edit_event(self, what: str, *args, **changes) -> bool:
        """One timeline edit: ``add`` (EventFields), ``change`` (event, **changes),
        ``move`` (event, at), ``remove`` or ``star`` (event); ``undo``, ``redo``."""
        done = getattr(self.timeline, what)(*args, **changes)
        self._request_draw()
        return done is not False

    def save(self, *, overwrite: bool = False) -> bool:
        saved = self.timeline.save(overwrite=overwrite)
        if saved and self.state.path is not None:  # our own write is not a change on disk
            self.watcher.watch(self.state.path, self.state.incident.data_files)
        self._request_draw()
        return saved

    def save_as(self, path: Path) -> bool:
        saved = self.timeline.save_as(Path(path))
        if saved:
            self.watcher.watch(self.state.path, self.state.incident.data_files)
            self.recent.add(self.state.path)
            self.state.recent = tuple(self.recent.paths)
        self._request_draw()
        return saved

    def answer(self, choice: str) -> None:
        """Carry out the answer to the question the window asked (app/edit_state.py's
        ANSWERS); the question closes first (an answer may ask the next one)."""
        prompt, state, timeline = self.state.edits.prompt, self.state, self.timeline
        state.edits.prompt = Prompt()
        if prompt.kind == "restore":
            timeline.restore(choice == "restore")
        elif prompt.kind == "conflict" and choice == "mine":
            self.save(overwrite=True)
        elif prompt.kind == "conflict" and choice == "theirs":
            if timeline.reload_theirs():
                self.watcher.watch(state.path, state.incident.data_files)
        elif prompt.kind == "conflict" and choice == "save_as":
            mine = state.path.with_name(f"{state.path.stem}-mine{state.path.suffix}")
            state.edits.prompt = Prompt("save_as", prompt.detail, path=str(mine))
        elif prompt.kind == "unsaved" and choice in ("save", "discard"):
            if choice == "save" and not self.save():
                return  # the save asked something else (changed on disk, read-only)
            if choice == "discard":
                timeline.reload_theirs()
            if prompt.then == "quit":
                self.quit()
            elif prompt.then == "open":
                self.open_file(Path(prompt.path))
        elif prompt.kind in ("save_failed", "save_as") and choice == "save_as":
            if prompt.path.strip():
                self.save_as(Path(prompt.path.strip()).expanduser())
        self._request_draw()

    def open_dropped(self, paths: list[str]) -> None:
        for name in paths:
            dropped = Path(name)
            if dropped.suffix.lower() in INCIDENT_SUFFIXES:
                self.open_file(dropped)
            else:
                self.state.say(f"Not an incident file (.yaml/.yml): {dropped.name}")
