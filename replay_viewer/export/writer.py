"""Encode and write frames on a worker thread while the next frame renders.

A thread is enough: the PNG deflate (ISA-L, zlib), numpy's copies, the file write and
fsync, Pillow's GIF quantizer and PyAV's H.264 encoder all release the GIL, so rendering
frame k+1 on the main thread overlaps encoding frame k. The queue is bounded (``depth``
frames in flight), so a slow disk holds back rendering instead of filling memory; results
come back in submission order, so a sequence's index lists only frames that are on disk.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

__all__ = ["PIPELINE_DEPTH", "OrderedWriter"]

# Two frames in flight: one encoding, one waiting. More buys nothing on two cores (the
# encoder is faster than the renderer) and holds 3.7 MB more per frame at 1280×720.
PIPELINE_DEPTH = 2


class OrderedWriter:
    """Runs jobs one at a time on one worker thread, in order, at most ``depth`` pending
    (``depth`` 0: each job runs in :meth:`submit` itself, as before pipelining).

    :meth:`submit` blocks while ``depth`` jobs are pending; :meth:`finished` returns the
    results of jobs done so far (in order) without waiting; :meth:`drain` waits for all.
    A job's exception is raised from the call that collects its result; jobs after a
    failed one still run (each writes its own file), but their results are dropped.
    """

    def __init__(self, depth: int = PIPELINE_DEPTH) -> None:
        self.depth = max(0, depth)
        self._pool = None  # a ThreadPoolExecutor, from the first threaded submit
        self._pending: collections.deque[Future] = collections.deque()
        self._ready: list[Any] = []  # results collected but not yet handed out

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, job: Callable[[], Any]) -> list[Any]:
        """Queue ``job``; returns the results that finished meanwhile (waiting for the
        oldest while the queue is full)."""
        if self.depth == 0:
            return [job()]
        done = self._ready
        while len(self._pending) >= self.depth:
            # Kept before it leaves the queue: a Ctrl+C / SIGTERM between the two may repeat
            # a result (callers dedupe) but never loses one.
            done.append(self._pending[0].result())
            self._pending.popleft()
        if self._pool is None:
            # Imported here: a single-frame export never starts the worker (~5 ms of boot).
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-writer")
        self._pending.append(self._pool.submit(job))
        return self.finished()

    def finished(self) -> list[Any]:
        """Results of the leading jobs that are done, without waiting (and any collected
        by a call that an interrupt cut short)."""
        while self._pending and self._pending[0].done():
            self._ready.append(self._pending[0].result())
            self._pending.popleft()
        done, self._ready = self._ready, []
        return done

    def drain(self) -> list[Any]:
        """Wait for every pending job; their results in order. The first failure is
        raised after all pending jobs have ended (none is left writing)."""
        error = None
        while self._pending:
            future = self._pending[0]
            try:
                result = future.result()
            except BaseException as exc:
                if not future.done():
                    raise  # interrupted while waiting: the job goes on and stays queued
                error = error or exc
            else:
                if error is None:
                    self._ready.append(result)
            self._pending.popleft()
        if error is not None:
            raise error
        done, self._ready = self._ready, []
        return done

    def close(self) -> None:
        """Wait for pending jobs (ignoring their results) and stop the worker."""
        try:
            self.drain()
        except BaseException:  # the caller is already ending on an error of its own
            pass
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
