"""Animated exports (GIF, MP4): the replay as one file, one frame per :meth:`step`, for
the window and the command line.

Frames are the sequence's (:func:`~.plan.plan_sequence`: ``--frames`` or ``--every``), or
``duration × fps`` frames evenly over the replay (``--duration``, default 10 s), shown at
``fps``. Each frame is the same render a PNG export makes at the same options (plus, with
captions, the caption card of :mod:`.captions`' track); encoding runs on the writer thread
while the next frame renders (:mod:`.writer`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError, UsageError
from ..timecode import format_timecode
from .encoders import GifEncoder, Mp4Encoder, key_colors, require_pyav
from .frame import render_export_frame
from .plan import DEFAULT_DURATION_S, plan_animation
from .writer import PIPELINE_DEPTH, OrderedWriter

if TYPE_CHECKING:
    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from .captions import StoryTrack
    from .frame import ExportSettings
    from .plan import ExportPlan

__all__ = [
    "ANIMATION_FORMATS",
    "DEFAULT_DURATION_S",
    "DEFAULT_FPS",
    "AnimationExport",
    "animation_path",
    "plan_animation",
]

ANIMATION_FORMATS = ("gif", "mp4")
# GIF delays are in 1/100 s and every frame is a full palette image: 15 fps keeps files
# and memory moderate; MP4 plays 30 fps smoothly at a few MB.
DEFAULT_FPS = {"gif": 15, "mp4": 30}


def animation_path(out: Path, kind: str, *, overwrite: bool = False) -> Path:
    """Check where an animation goes, as a single PNG's path is checked: the right
    suffix, an existing folder, and no existing file unless ``overwrite``."""
    if out.suffix.lower() != f".{kind}":
        raise UsageError(f"--{kind} {out}: the file name must end in .{kind}")
    if not out.parent.is_dir():
        raise OutputError(f"--{kind} {out}: folder {out.parent} does not exist")
    if out.exists() and not overwrite:
        raise UsageError(f"--{kind} {out}: the file exists; pass --overwrite to replace it")
    return out


class AnimationExport:
    """Render the plan's frames into one GIF or MP4 at ``path``.

    The interface is :class:`~.sequence.SequenceExport`'s (``step``, ``finish``, ``done``,
    ``total``), so the window's progress and Cancel serve both. Nothing is written before
    the first :meth:`step`; :meth:`finish` after the last frame renames the file into
    place, and after a cancel or an error removes what was written. ``story`` (from
    :func:`.captions.plan_told`) gives each frame's caption card and the MP4's chapters.
    """

    def __init__(
        self,
        renderer: ChartRenderer | None,
        incident: Incident,
        plan: ExportPlan,
        path: Path,
        settings: ExportSettings,
        *,
        kind: str,
        fps: float,
        story: StoryTrack | None = None,
        pipeline_depth: int = PIPELINE_DEPTH,
    ) -> None:
        if kind not in ANIMATION_FORMATS:
            raise ValueError(f"animation format {kind!r}: expected gif or mp4")
        if kind == "mp4":
            require_pyav()  # before any rendering: exit 2 with the install line
        self.renderer, self.incident, self.plan = renderer, incident, plan
        self.path, self.settings, self.kind, self.fps = Path(path), settings, kind, fps
        self.folder = self.path  # what the window's progress line names
        self.story = story
        self.done = 0
        self.finished = False
        self._submitted = 0
        self._encoder = None
        self._writer = OrderedWriter(pipeline_depth)

    @property
    def total(self) -> int:
        return len(self.plan.times)

    def _options(self, frame: int | None):
        """The render options of ``frame`` (its caption card); None: the palette frame's,
        which shows the last caption (so the card's colours are in the GIF's palette)."""
        options = self.settings.render_options()
        shown = self.story.shown if self.story is not None else ()
        if not shown:
            return options
        if frame is None:
            last = next((s for s in reversed(shown) if s is not None), None)
            caption = (last[0], 1.0) if last is not None else None
        else:
            caption = shown[frame]
        return dataclasses.replace(options, caption=caption)

    def _open(self) -> None:
        title = f"{self.incident.title} (replay-viewer)"
        if self.kind == "gif":
            # The palette comes from the last frame: every series drawn, nothing ghosted.
            last = render_export_frame(self.renderer, self.incident.end, self.settings,
                                       self._options(None))  # fmt: skip
            hexes = (series.color_hex for series in self.incident.series)
            keys = key_colors(hexes, self.renderer.layout.palette)  # the theme's colours
            self._encoder = GifEncoder(self.path, self.fps, last, keys, comment=title)
        else:
            width, height = self.settings.pixel_size
            told = self.story.chapters if self.story is not None else ()
            chapters = [(c.start, c.end, c.title) for c in told]
            self._encoder = Mp4Encoder(self.path, width, height, self.fps, title=title,
                                       chapters=chapters)  # fmt: skip

    def step(self) -> bool:
        """Render the next frame and hand it to the encoder; True when every frame is
        encoded (the file is written by :meth:`finish`)."""
        if self._encoder is None:
            self._open()
        if self._submitted < self.total:
            t = self.plan.times[self._submitted]
            pixels = render_export_frame(self.renderer, t, self.settings,
                                         self._options(self._submitted))  # fmt: skip
            self.done += len(self._writer.submit(lambda: self._encoder.add(pixels)))
            self._submitted += 1
        if self._submitted >= self.total:
            self.done += len(self._writer.drain())
        return self.done >= self.total

    def finish(self) -> dict:
        """Write the file if every frame is encoded, else remove what was written; a
        summary of what happened."""
        complete = False
        try:
            try:
                self.done += len(self._writer.drain())
            finally:
                self._writer.close()
            complete = self._encoder is not None and self.done >= self.total
            if complete:
                self._encoder.close()
        finally:
            if self._encoder is not None and not complete:
                self._encoder.abort()
            self.finished = True
        return {
            "file": str(self.path),
            "complete": complete,
            "frames": self.done,
            "fps": self.fps,
            "span": [format_timecode(self.plan.times[0]), format_timecode(self.plan.times[-1])],
        }
