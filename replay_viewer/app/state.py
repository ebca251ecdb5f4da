"""The window's state: one object, changed only by the GUI functions and shortcuts.

Pure Python (no window, no GPU), with an injected clock, so playback, stepping, event
navigation and reload behaviour are unit-tested with a fake clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from . import zoom
from .axis_motion import AxisMotion
from .browser import FileBrowser
from .edit_state import TimelineEdits
from .presenter_state import PresenterState
from .series_view import MemberList, toggled

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..loader import Diagnostic
    from ..model import Incident
    from ..timecode import ClockMode

__all__ = ["FIT_SECONDS", "SPEEDS", "AppState", "ExportDialog", "Playback"]

SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
FIT_SECONDS = (10.0, 30.0, 60.0, 120.0)  # "play the whole incident in N s"
BIG_STEP_SAMPLES = 10  # Shift+←/→: ten samples…
BIG_STEP_SHARE = 0.01  # …or 1 % of the incident, whichever is longer
STATUS_SECONDS = 8.0  # a status message shows this long


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


AnimationKind = Literal["gif", "mp4"]
StoryKind = Literal["storyboard", "report"]
ConfirmKind = Literal["", "frame", "sequence"]


@dataclass(frozen=True)
class ExportProgress:
    """How far the export in progress is: frames done of the total, and where they go."""

    done: int
    total: int
    target: str  # the folder or file written


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
    animation: AnimationKind = "gif"
    fps: int = 15
    duration: str = "10s"
    captions: bool = False  # burn each told moment's caption card into the animation
    theme: str = "dark"  # the exports' colours: "dark" (the window's) or "light" (white pages)
    # File ▸ Export storyboard / report: written on the next frame, after this one says so.
    pending: StoryKind | Literal[""] = ""
    message: str = ""
    # The export in progress (the window's export controller holds the job itself): how far
    # it is, for the progress bar; None when none runs. ``cancel`` asks it to stop.
    progress: ExportProgress | None = None
    cancel: bool = False
    # The confirm step: "frame" or "sequence" while the dialog asks whether to write into
    # a folder that holds other files (``confirm`` says what is there), "" otherwise.
    confirm_kind: ConfirmKind = ""
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
    view: tuple[float, float] | None = None  # the time range shown (zoom); None: all of it
    # View ▸ Autoscale (A): zoomed, the value axes fit the data in view, moving there.
    autoscale: bool = True
    axes: AxisMotion = field(default_factory=AxisMotion)
    # View ▸ Live view (V): only what was known at the playhead, as the on-call saw it.
    live: bool = False
    hidden: frozenset[str] = frozenset()  # series switched off in the legend
    highlight: frozenset[str] = frozenset()  # group members highlighted by the user
    hover_series: str = ""  # the series whose line is under the pointer (named, bright)
    legend_first_row: int = 0  # a long legend scrolls
    members: MemberList = field(default_factory=MemberList)  # a group's member list
    edits: TimelineEdits = field(default_factory=TimelineEdits)  # editing the timeline
    presenter: PresenterState = field(default_factory=PresenterState)  # F5
    # View ▸ Clock: times on the axis and in the readouts relative to T+0, or on the wall
    # clock (needs started_at; ``clock`` is the injected time source, hence the name).
    clock_mode: ClockMode = "relative"
    chart_drag: tuple[str, float] | None = None  # ("select" | "pan", time where it began)
    errors: tuple[Diagnostic, ...] = ()  # of the last failed load; the old incident stays
    error_source: str = ""
    error_path: Path | None = None  # the file that failed: watched, and retried by Ctrl+R
    warnings_dismissed: bool = False  # the open incident's load warnings were closed
    show_help: bool = False
    panels: dict[str, bool] = field(
        default_factory=lambda: {
            "Timeline": True,
            "What I did": True,
            "What I learned": True,
            "Outcomes": True,
            "Metrics": True,
        }
    )
    status: str = ""
    status_at: float = 0.0  # clock time the status was set (it expires)
    last_export: Path | None = None  # the last PNG written from the window (copy its path)
    loading: str = ""  # what is loading in the background ("Loading x.yaml"), if anything
    browser: FileBrowser = field(default_factory=FileBrowser)
    export: ExportDialog = field(default_factory=ExportDialog)
    recent: tuple[Path, ...] = ()  # File ▸ Recent, most recent first
    _sample_times: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def sample_times(self) -> np.ndarray:
        """Every distinct sample time of every series, sorted (stepping and snapping)."""
        return self._sample_times

    def say(self, message: str) -> None:
        """Show ``message`` in the status bar (it expires after STATUS_SECONDS)."""
        self.status, self.status_at = message, self.clock()

    @property
    def clock_shown(self) -> ClockMode:
        """The clock the window shows: the wall clock only when asked for and the incident
        has a ``started_at`` (the choice is kept for the next incident that has one)."""
        has_wall = self.incident is not None and self.incident.started_at is not None
        return "wall" if self.clock_mode == "wall" and has_wall else "relative"

    def status_now(self) -> str:
        """The status message, or "" once it is older than STATUS_SECONDS."""
        fresh = self.clock() - self.status_at < STATUS_SECONDS
        return self.status if self.status and fresh else ""

    # -- incident ----------------------------------------------------------------------

    def set_incident(self, incident: Incident, path: Path | None, *, keep_time: bool) -> None:
        """Show ``incident``; a reload keeps the playhead (clamped to the new timeline)."""
        t = self.playback.t if keep_time and self.incident is not None else incident.start
        t = min(max(t, incident.start), incident.end)
        playing = self.playback.playing and keep_time and t < incident.end
        same_series = self.incident is not None and incident.series == self.incident.series
        self.incident = incident
        self.path = path
        self.playback = Playback(
            incident.start, incident.end, t, speed=self.playback.speed, loop=self.playback.loop
        )
        if playing:
            self.playback.resume(self.clock())
        if not same_series:  # an edit of the events keeps the series (millions of samples)
            self._sample_times = incident.sample_times()
        if not keep_time:  # another incident: its whole range, every series
            self.view, self.hidden, self.highlight = None, frozenset(), frozenset()
            self.legend_first_row, self.members = 0, MemberList()
        self.view = self.view and zoom.select((incident.start, incident.end), *self.view)
        ids = {s.id for s in incident.series}
        self.hidden, self.highlight = frozenset(self.hidden & ids), frozenset(self.highlight & ids)
        self.errors = ()
        self.error_source = ""
        self.error_path = None
        self.warnings_dismissed = False

    def load_failed(
        self, diagnostics: tuple[Diagnostic, ...], source: str, path: Path | None = None
    ) -> None:
        """Keep the current incident on screen and show why the new one is not there."""
        self.errors = tuple(diagnostics)
        self.error_source = source
        self.error_path = path

    # -- playback ------------------------------------------------------------------------

    @property
    def t(self) -> float:
        return self.playback.t

    def tick(self) -> bool:
        changed = self.playback.tick(self.clock())
        if changed:  # playback scrolls a zoomed view to keep the playhead in it
            self.view = zoom.follow(self.view, self._full, self.playback.t)
        return changed

    # -- the view: zoom and pan on time, series shown ------------------------------------

    @property
    def _full(self) -> tuple[float, float]:
        return (self.playback.start, self.playback.end)

    def zoom(self, factor: float, around: float | None = None) -> None:
        """Zoom by ``factor`` (< 1: in) around ``around`` (default: the playhead)."""
        around = self.playback.t if around is None else around
        self.view = zoom.zoom(self.view, self._full, around, factor)

    def pan(self, seconds: float) -> None:
        self.view = zoom.pan(self.view, self._full, seconds)

    def select_view(self, t0: float, t1: float) -> None:
        self.view = zoom.select(self._full, t0, t1)

    def reset_view(self) -> None:
        self.view = None

    def toggle_autoscale(self) -> None:
        self.autoscale = not self.autoscale
        self.say("Autoscale on: zoomed, the axes fit the data in view" if self.autoscale
                 else "Autoscale off: the axes keep the whole incident's range")  # fmt: skip

    def toggle_live(self) -> None:
        self.live = not self.live
        self.say("Live view: only what was known at the playhead" if self.live
                 else "Live view off: the whole incident")  # fmt: skip

    def toggle_series(self, *series_ids: str, isolate: bool = False) -> None:
        """Hide or show series (one, or a group's members); ``isolate`` shows only them (or
        all again if they already were all that showed). Never hides every series."""
        ids = {s.id for s in self.incident.series}
        self.hidden = toggled(ids, self.hidden, set(series_ids), isolate=isolate)

    def toggle_play(self) -> None:
        self.playback.toggle(self.clock())

    def seek(self, t: float) -> None:
        self.playback.seek(t)

    def set_speed(self, speed: float) -> None:
        self.playback.speed = float(speed)

    def change_speed(self, direction: int) -> None:
        """To the next faster (1) or slower (-1) of SPEEDS."""
        speed = self.playback.speed
        if direction > 0:
            faster = [s for s in SPEEDS if s > speed * 1.0001]
            self.set_speed(faster[0] if faster else SPEEDS[-1])
        else:
            slower = [s for s in SPEEDS if s < speed * 0.9999]
            self.set_speed(slower[-1] if slower else SPEEDS[0])

    def fit(self, seconds: float) -> None:
        """A speed that plays the whole incident in ``seconds``."""
        self.set_speed((self.playback.end - self.playback.start) / seconds)

    def toggle_loop(self) -> None:
        self.playback.loop = not self.playback.loop

    def _sample_after(self, direction: int, count: int = 1) -> float:
        """The ``count``-th sample time (of any series) after or before the playhead; the
        incident's end or start when there are fewer."""
        times, t = self._sample_times, self.playback.t
        if direction > 0:
            index = int(np.searchsorted(times, t + 1e-9, side="right")) + count - 1
            return float(times[index]) if index < len(times) else self.playback.end
        index = int(np.searchsorted(times, t - 1e-9, side="left")) - count
        return float(times[index]) if index >= 0 else self.playback.start

    def step(self, direction: int) -> None:
        """To the previous/next sample time of any series."""
        self.seek(self._sample_after(direction))

    def big_step(self, direction: int) -> None:
        """Ten samples or 1 % of the incident, whichever is longer."""
        by_samples = abs(self._sample_after(direction, BIG_STEP_SAMPLES) - self.playback.t)
        share = BIG_STEP_SHARE * (self.playback.end - self.playback.start)
        self.jump(direction * max(by_samples, share))

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
