"""Animated files from rendered frames: GIF through Pillow (streamed: :mod:`.gif`),
H.264 MP4 through PyAV, with one chapter per told moment.

Both write beside the destination under a temporary name and rename on :meth:`close`, as
PNGs do (:func:`~replay_viewer.files.atomic_write`): an interrupted export leaves no
half-written file, and an existing file is replaced only when the caller allowed it.
PyAV is the optional extra ``replay-viewer[video]``; :func:`require_pyav` says how to
install it.
"""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError, UsageError
from ..files import FILE_MODE, describe_os_error, held_temp
from .gif import GifEncoder, gif_delays_ms, key_colors

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

__all__ = ["GifEncoder", "Mp4Encoder", "gif_delays_ms", "key_colors", "require_pyav"]

VIDEO_EXTRA = "pip install 'replay-viewer[video]'  (PyAV: H.264 through FFmpeg's libraries)"
# libx264's "veryfast": ~3× faster than its default "medium" on a chart (flat colour, thin
# lines) for a file a few percent larger; crf 20 keeps 1-px grid lines and small text.
H264_OPTIONS = {"preset": "veryfast", "crf": "20"}


def require_pyav():
    """The ``av`` module, or a UsageError (exit 2) that says how to install it."""
    try:
        import av
    except ImportError:
        raise UsageError(f"MP4 export needs PyAV, which is not installed: {VIDEO_EXTRA}") from None
    return av


class Mp4Encoder:
    """H.264 (yuv420p, ``H264_OPTIONS``) in an MP4 at a constant frame rate, streamed to a
    temporary file beside ``path`` and renamed into place by :meth:`close`. ``chapters``
    are (start, end, title) in seconds of video: a player's chapter list (the muxer
    writes them as a QuickTime chapter track and a Nero ``chpl`` box)."""

    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        fps: int,
        *,
        title: str = "",
        chapters: Sequence[tuple[float, float, str]] = (),
    ) -> None:
        av = require_pyav()
        if width % 2 or height % 2:
            raise UsageError(f"MP4 needs an even width and height; {width}×{height} is not")
        self.path = Path(path)
        try:
            # PyAV writes the file by its name; this fd only holds its lock until the end.
            self._held, self._temp = held_temp(self.path)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {describe_os_error(exc)}") from None
        self._container = av.open(self._temp, "w", format="mp4")
        if title:
            self._container.metadata["title"] = title
        if chapters:  # before the first frame: the muxer plans its chapter track then
            self._container.set_chapters([
                {"id": index + 1, "start": round(start * 1000), "end": round(end * 1000),
                 "time_base": Fraction(1, 1000), "metadata": {"title": name}}
                for index, (start, end, name) in enumerate(chapters)
            ])  # fmt: skip
        stream = self._container.add_stream("libx264", rate=int(fps), options=H264_OPTIONS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        self._stream, self._av, self.frames = stream, av, 0

    def add(self, pixels: np.ndarray) -> None:
        frame = self._av.VideoFrame.from_ndarray(pixels, format="rgba")
        frame.pts = self.frames
        self._container.mux(self._stream.encode(frame))
        self.frames += 1

    def close(self) -> None:
        try:
            self._container.mux(self._stream.encode(None))  # flush delayed frames
            self._container.close()
            with open(self._temp, "rb") as out:
                os.fsync(out.fileno())
            os.chmod(self._temp, FILE_MODE)
            os.replace(self._temp, self.path)
            os.close(self._held)
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError):
                raise OutputError(f"cannot write {self.path}: {describe_os_error(exc)}") from None
            raise

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._container.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._temp)
        with contextlib.suppress(OSError):
            os.close(self._held)
