"""Animated files from rendered frames: GIF through Pillow, H.264 MP4 through PyAV.

Both write beside the destination under a temporary name and rename on :meth:`close`, as
PNGs do (:func:`~replay_viewer.files.atomic_write`): an interrupted export leaves no
half-written file, and an existing file is replaced only when the caller allowed it.
PyAV is the optional extra ``replay-viewer[video]``; :func:`require_pyav` says how to
install it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import OutputError, UsageError
from ..files import FILE_MODE, atomic_write, describe_os_error

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..render.style import Palette

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


def gif_delays_ms(count: int, fps: float) -> list[int]:
    """Per-frame GIF delays in ms. GIF counts in 1/100 s, so 30 fps cannot be one delay
    (3.33 cs); delays alternate 30/40 ms so frame n starts at round(n × 100 / fps) cs and
    the whole animation lasts count / fps seconds (to the centisecond)."""
    starts = [round(n * 100 / fps) for n in range(count + 1)]
    return [max(1, b - a) * 10 for a, b in itertools.pairwise(starts)]


def key_colors(
    series_hex: Iterable[str], palette: Palette | None = None
) -> list[tuple[int, int, int]]:
    """Colours the GIF palette must hold exactly: the series' own, the default series
    colours (rose, cyan, amber …) and the event markers', each as ``palette`` (the theme's:
    render/themes.py; default the dark one) draws it."""
    from ..model import DEFAULT_SERIES_COLORS, hex_to_rgb
    from ..render.style import PALETTE

    palette = palette or PALETTE
    colors = [palette.series_color(hex_to_rgb(c)) for c in (*series_hex, *DEFAULT_SERIES_COLORS)]
    colors += [palette.event(kind).color[:3] for kind, _ in palette.events]
    found: list[tuple[int, int, int]] = []
    for color in colors:
        rgb = tuple(round(c * 255) for c in color)
        if rgb not in found:
            found.append(rgb)
    return found


class GifEncoder:
    """An animated GIF with one palette for all frames: the key colours exactly (so rose,
    cyan and amber never merge) plus an adaptive palette of ``palette_source`` (a frame
    that shows everything, e.g. the last one) for the rest. No dithering: a chart is flat
    colour, and dithering would speckle it and grow the file.

    Pillow writes an animation in one call, so frames are kept (as 1-byte palette images,
    ~0.9 MB each at 1280×720) until :meth:`close`.
    """

    def __init__(
        self,
        path: Path,
        fps: float,
        palette_source: np.ndarray,
        keys: list[tuple[int, int, int]],
        *,
        comment: str = "",
    ) -> None:
        from PIL import Image

        self.path, self.fps, self.comment = Path(path), fps, comment
        self.frames: list[Image.Image] = []
        keys = keys[:64]
        source = Image.fromarray(np.ascontiguousarray(palette_source[..., :3]), "RGB")
        adaptive = source.quantize(256 - len(keys), method=Image.Quantize.MEDIANCUT)
        colors = np.array(adaptive.getpalette()[: 3 * (256 - len(keys))], np.uint8)
        colors = colors.reshape(-1, 3).astype(int)
        # Pillow maps pixels to the palette through a coarse (5-6-5 bit) cache, so an
        # adaptive colour next to a key colour could take the key's pixels: drop those.
        near = (np.abs(colors[:, None, :] - np.array(keys)[None]).max(-1) <= 12).any(1)
        colors = colors[~near].astype(np.uint8)
        palette = np.zeros((256, 3), np.uint8)
        palette[: len(keys)] = keys
        palette[len(keys) : len(keys) + len(colors)] = colors
        self.palette = Image.new("P", (1, 1))
        self.palette.putpalette(palette.reshape(-1).tolist())

    def add(self, pixels: np.ndarray) -> None:
        from PIL import Image

        rgb = Image.frombytes("RGB", (pixels.shape[1], pixels.shape[0]), pixels, "raw", "RGBX")
        self.frames.append(rgb.quantize(palette=self.palette, dither=Image.Dither.NONE))

    def close(self) -> None:
        if not self.frames:
            raise OutputError(f"{self.path}: no frames to write")
        first, rest = self.frames[0], self.frames[1:]
        extra = {"comment": self.comment.encode("utf-8")} if self.comment else {}
        delays = gif_delays_ms(len(self.frames), self.fps)
        atomic_write(
            self.path,
            lambda out: first.save(
                out, format="GIF", save_all=True, append_images=rest, duration=delays,
                loop=0, optimize=False, **extra,
            ),
        )  # fmt: skip
        self.frames = []

    def abort(self) -> None:
        self.frames = []


class Mp4Encoder:
    """H.264 (yuv420p, ``H264_OPTIONS``) in an MP4 at a constant frame rate, streamed to a
    temporary file beside ``path`` and renamed into place by :meth:`close`."""

    def __init__(self, path: Path, width: int, height: int, fps: int, *, title: str = "") -> None:
        av = require_pyav()
        if width % 2 or height % 2:
            raise UsageError(f"MP4 needs an even width and height; {width}×{height} is not")
        self.path = Path(path)
        try:
            handle, self._temp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            os.close(handle)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {describe_os_error(exc)}") from None
        self._container = av.open(self._temp, "w", format="mp4")
        if title:
            self._container.metadata["title"] = title
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
