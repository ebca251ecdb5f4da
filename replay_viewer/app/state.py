"""The window's state: one object, changed only by the GUI functions and shortcuts.

Pure Python (no window, no GPU), with an injected clock, so playback, stepping, event
navigation and reload behaviour are unit-tested with a fake clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .browser import FileBrowser

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..export import AnimationExport, SequenceExport
    from ..loader import Diagnostic
    from ..model import Incident

__all__ = ["SPEEDS", "AppState", "ExportDialog", "Playback"]

SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
BIG_STEP_S = 10.0


@dataclass
class Playback:
    """The playhead: time, play/pause, speed and loop, advanced by real elapsed time.

    ``tick(now)`` moves ``t`` by ``(now - last tick) × speed`` while playing, so playback
    speed does not depend on the frame rate.
    """

    start: float
    end: float
    t: float
    playing: bool = False
    speed: float = 1.0
    loop: bool = False
    _last_tick: float | None = None

    def tick(self, now: float) -> bool:
        """Advance to clock time ``now``. Returns True if ``t`` changed."""
        last, self._last_tick = self._last_tick, now
        if not self.playing or last is None:
            return False
        before = self.t
        t = self.t + max(0.0, now - last) * self.speed
        if t >= self.end:
            if self.loop and self.end > self.start:
                t = self.start + (t - self.end) % (self.end - self.start)
            else:
                t = self.end
                self.playing = False
        self.t = t
        return self.t != before

    def play(self, now: float) -> None:
        if self.t >= self.end:  # playing from the end starts over, like a video player
            self.t = self.start
        self.resume(now)

    def resume(self, now: float) -> None:
        """Play on from ``t`` as it is, timing from ``now``."""
        self.playing = True
        self._last_tick = now

    def pause(self) -> None:
        self.playing = False

    def toggle(self, now: float) -> None:
        if self.playing:
            self.pause()
        else:
            self.play(now)

    def seek(self, t: float) -> None:
        self.t = min(max(float(t), self.start), self.end)


@dataclass
class ExportDialog:
    """File ▸ Export…: the dialog's fields and the sequence or animation export in
    progress, if any."""

    folder: str = field(default_factory=lambda: str(Path.cwd()))
    open: bool = False
    size: str = "1280x720"
    scale: int = 1
    use_every: bool = False
    frames: int = 30
    every: str = "5s"
    # File ▸ Export animation: "gif" or "mp4", its frame rate and length (the replay fitted
    # into it); the file goes into ``folder`` as <incident-id>.gif, never replacing one.
    animation: str = "gif"
    fps: int = 15
    duration: str = "10s"
    message: str = ""
    job: SequenceExport | AnimationExport | None = None
    cancel: bool = False
    # The confirm step: "frame" or "sequence" while the dialog asks whether to write into
    # a folder that holds other files (``confirm`` says what is there), "" otherwise.
    confirm_kind: str = ""
    confirm: str = ""
    overwrite: bool = False  # the next sequence may replace files (the user said Replace)
    confirmed_folder: str = ""  # frames may go here without asking again


@dataclass
class AppState:
    """Everything the window shows that is not the incident itself."""

    clock: Callable[[], float] = time.monotonic
    incident: Incident | None = None
    path: Path | None = None
    playback: Playback = field(default_factory=lambda: Playback(0.0, 1.0, 0.0))
    ghost: bool = True
    hover: tuple[float, float] | None = None  # pointer over the chart, chart-logical points
    errors: tuple[Diagnostic, ...] = ()  # of the last failed load; the old incident stays
    error_source: str = ""
    show_help: bool = False
    panels: dict[str, bool] = field(
        default_factory=lambda: {
            "Timeline": True,
            "What I did": True,
            "What I learned": True,
            "Outcomes": True,
        }
    )
    status: str = ""
    browser: FileBrowser = field(default_factory=FileBrowser)
    export: ExportDialog = field(default_factory=ExportDialog)
    recent: tuple[Path, ...] = ()  # File ▸ Recent, most recent first
    _sample_times: np.ndarray = field(default_factory=lambda: np.zeros(0))

    # -- incident ----------------------------------------------------------------------

    def set_incident(self, incident: Incident, path: Path | None, *, keep_time: bool) -> None:
        """Show ``incident``; a reload keeps the playhead (clamped to the new timeline)."""
        t = self.playback.t if keep_time and self.incident is not None else incident.start
        t = min(max(t, incident.start), incident.end)
        playing = self.playback.playing and keep_time and t < incident.end
        self.incident = incident
        self.path = path
        self.playback = Playback(
            incident.start, incident.end, t, speed=self.playback.speed, loop=self.playback.loop
        )
        if playing:
            self.playback.resume(self.clock())
        self._sample_times = incident.sample_times()
        self.errors = ()
        self.error_source = ""

    def load_failed(self, diagnostics: tuple[Diagnostic, ...], source: str) -> None:
        """Keep the current incident on screen and show why the new one is not there."""
        self.errors = tuple(diagnostics)
        self.error_source = source

    # -- playback ------------------------------------------------------------------------

    @property
    def t(self) -> float:
        return self.playback.t

    def tick(self) -> bool:
        return self.playback.tick(self.clock())

    def toggle_play(self) -> None:
        self.playback.toggle(self.clock())

    def seek(self, t: float) -> None:
        self.playback.seek(t)

    def set_speed(self, speed: float) -> None:
        self.playback.speed = float(speed)

    def step(self, direction: int) -> None:
        """To the previous/next sample time of any series (or ±1 s without samples)."""
        times = self._sample_times
        t = self.playback.t
        if direction > 0:
            later = times[times > t + 1e-9]
            self.seek(later[0] if len(later) else self.playback.end)
        else:
            earlier = times[times < t - 1e-9]
            self.seek(earlier[-1] if len(earlier) else self.playback.start)

    def jump(self, seconds: float) -> None:
        self.seek(self.playback.t + seconds)

    def event(self, direction: int) -> None:
        """To the previous/next event; from between events, "previous" is the last one
        passed (like a chapter list)."""
        if self.incident is None or not self.incident.events:
            return
        times = [event.at for event in self.incident.events]
        t = self.playback.t
        if direction > 0:
            later = [x for x in times if x > t + 1e-9]
            if later:
                self.seek(later[0])
        else:
            earlier = [x for x in times if x < t - 1e-9]
            self.seek(earlier[-1] if earlier else self.playback.start)

    def home(self) -> None:
        self.seek(self.playback.start)

    def end(self) -> None:
        self.seek(self.playback.end)

    def current_event_index(self) -> int:
        return -1 if self.incident is None else self.incident.event_index_at(self.playback.t)
