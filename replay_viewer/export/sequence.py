"""A frame sequence export, one frame per step, with its ``frames.json`` index (see
:mod:`.folder` for what the index promises). Frame k is encoded and written on a worker
thread while frame k+1 renders (:mod:`.writer`); the index lists a frame once its file is
in place."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_json_atomic
from ..timecode import format_timecode
from .folder import INDEX_NAME, claim_folder, incident_sha256, index_header, resume_point
from .frame import render_export_frame, write_frame_png
from .plan import FRAME_PATTERN
from .writer import PIPELINE_DEPTH, OrderedWriter

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Incident
    from ..render.renderer import ChartRenderer
    from .frame import ExportSettings
    from .plan import ExportPlan

__all__ = ["INDEX_COST_FACTOR", "INDEX_INTERVAL_S", "SequenceExport", "export_sequence"]

# How often the in-progress index is rewritten while frames finish: every 0.5 s bounds what
# a killed export re-renders on --resume to half a second's worth. An update is an fsync'd
# rewrite of the whole list (~7 ms at 1,000 frames, ~0.66 s at 100,000), so the wait is also
# at least INDEX_COST_FACTOR × the last update's cost: index upkeep stays under ~10 % of
# the export however long the list grows (figures: docs/reliability.md).
INDEX_INTERVAL_S = 0.5
INDEX_COST_FACTOR = 10.0


class SequenceExport:
    """A frame sequence export, one frame per :meth:`step`, so the window can run it
    between UI frames (and the CLI in a loop: :func:`export_sequence`).

    Creating it claims the folder (lock, checks, leftovers; see
    :func:`~.folder.claim_folder`) but writes nothing. The first :meth:`step` writes the
    index as in progress, then removes the frames of an earlier export of ours that this
    one will not write, then the first frame. :meth:`finish` writes the final index (also
    after a cancel or an error, listing the finished frames) and releases the lock.

    ``renderer`` may be attached later (the CLI claims the folder before it boots the GPU).
    With ``resume``, the frames an interrupted export of the same incident file, options and
    plan finished are kept and the rest written; otherwise the export starts over.
    ``pipeline_depth`` frames may be encoding on the writer thread while the next renders
    (0: write each frame before :meth:`step` returns).
    """

    def __init__(
        self,
        renderer: ChartRenderer | None,
        incident: Incident,
        plan: ExportPlan,
        folder: Path,
        settings: ExportSettings,
        *,
        overwrite: bool = False,
        resume: bool = False,
        clock: Callable[[], float] = time.monotonic,
        index_interval_s: float = INDEX_INTERVAL_S,
        pipeline_depth: int = PIPELINE_DEPTH,
    ) -> None:
        self.renderer = renderer
        self.incident = incident
        self.plan = plan
        self.folder = Path(folder)
        self.settings = settings
        self.clock = clock
        self.index_interval_s = index_interval_s
        self.index_writes = 0
        self._index_path = self.folder / INDEX_NAME
        self._names = plan.names()
        self._header = index_header(incident, settings, plan, incident_sha256(incident))
        self._lock, contents = claim_folder(self.folder, overwrite=overwrite, resume=resume)
        self._previous = contents.index
        self.entries: list[dict] = []
        try:
            if resume:
                done = resume_point(self._previous, self._header, self.folder, self._names)
                self.entries = [dict(entry) for entry in self._previous["frames"][:done]]
        except BaseException:
            self._lock.release()
            raise
        self.resumed_from = len(self.entries)
        self._submitted = len(self.entries)
        self._writer = OrderedWriter(pipeline_depth)
        self._rows = None  # the worker's scanline buffer, reused frame after frame
        self._started = False
        self._next_index = 0.0
        self.finished = False

    @property
    def total(self) -> int:
        return len(self.plan.times)

    @property
    def done(self) -> int:
        return len(self.entries)

    def index(self, *, complete: bool = False) -> dict:
        return {**self._header, "complete": complete, "frames": self.entries}

    def _write_index(self, *, complete: bool = False) -> dict:
        index = self.index(complete=complete)
        begin = self.clock()
        write_json_atomic(self._index_path, index)
        self.index_writes += 1
        end = self.clock()
        self._next_index = end + max(self.index_interval_s, INDEX_COST_FACTOR * (end - begin))
        return index

    def _start(self) -> None:
        """Before the first frame: the index says "in progress" (so a kill from here on never
        leaves an older index saying complete over new frames), then stale frames go."""
        self._write_index()
        self._started = True
        if self._previous is None:
            return
        keep = set(self._names)
        previous = {entry["file"] for entry in self._previous["frames"]}
        count = (self._previous.get("options") or {}).get("plan", {}).get("count", 0)
        previous.update(f"frame_{n:05d}.png" for n in range(int(count or 0)))
        for name in previous - keep:
            # Only ever delete files that look like our own frames.
            if isinstance(name, str) and FRAME_PATTERN.fullmatch(name):
                (self.folder / name).unlink(missing_ok=True)

    def _write(self, number: int, pixels) -> dict:
        """On the worker: encode and write frame ``number``; its index entry."""
        t, name = self.plan.times[number], self._names[number]
        if self._rows is None:
            from .png import rgb_rows

            self._rows = rgb_rows(pixels)
        write_frame_png(self.folder / name, pixels, self.incident, t, preset=self.settings.png,
                        rows=self._rows, theme=self.settings.theme)  # fmt: skip
        timecode = format_timecode(t, decimals=3 if t % 1 else 0)
        return {"frame": number, "file": name, "t": round(t, 6), "timecode": timecode}

    def _add(self, entries: list[dict]) -> None:
        """Index entries of written frames, in order, each once (an interrupt can make the
        writer hand one out twice, never lose one)."""
        listed = {entry["frame"] for entry in self.entries}
        self.entries += [entry for entry in entries if entry["frame"] not in listed]

    def step(self) -> bool:
        """Render the next frame and hand it to the writer; True when all frames are
        written (the last step waits for the writer)."""
        if not self._started:
            self._start()
        number = self._submitted
        if number < self.total:
            t = self.plan.times[number]
            pixels = render_export_frame(self.renderer, t, self.settings)
            self._add(self._writer.submit(lambda: self._write(number, pixels)))
            self._submitted += 1
        if self._submitted >= self.total:
            self._add(self._writer.drain())
        finished = len(self.entries) >= self.total
        if not finished and self.clock() >= self._next_index:
            self._write_index()
        return finished

    def finish(self) -> dict:
        """Write the final index (complete only when every frame is written) and release
        the folder. An export that never started leaves the folder's index as it was.
        Frames already handed to the writer are finished first; a frame that failed to
        write is raised after the index (listing the frames before it) is written."""
        error = None
        try:
            try:
                self._add(self._writer.drain())
            except Exception as exc:
                error = exc
            finally:
                self._writer.close()
            if not self._started and self.done < self.total:
                return self.index()
            index = self._write_index(complete=self.done >= self.total)
            if error is not None:
                raise error
            return index
        finally:
            self.finished = True
            self._lock.release()


def export_sequence(
    renderer: ChartRenderer,
    incident: Incident,
    plan: ExportPlan,
    folder: Path,
    settings: ExportSettings,
    *,
    overwrite: bool = False,
    resume: bool = False,
    job: SequenceExport | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Render every frame of ``plan`` into ``folder`` with a ``frames.json`` index (see
    :class:`SequenceExport`, or pass one already claimed as ``job``); stops early when
    ``should_stop()`` says so."""
    if job is None:
        job = SequenceExport(
            renderer, incident, plan, folder, settings, overwrite=overwrite, resume=resume
        )
    job.renderer = renderer
    try:
        while job.done < job.total:
            if should_stop is not None and should_stop():
                break
            job.step()
            if on_progress is not None:
                on_progress(job.done, job.total)
    finally:
        index = job.finish()
    return index
