"""Animated GIFs written as frames arrive: the header, the one global palette, the loop
and the comment first, then each frame as it comes (only the box that changed since the
previous frame, left in place for the next), so memory holds one frame whatever the
length (600 frames at 1280×720: docs/performance.md).

The file is GIF89a written to a temporary file beside the destination and renamed into
place on :meth:`GifEncoder.close`, as every export is. Pillow quantizes each frame to the
palette and LZW-encodes its box (``GifImagePlugin.getdata``, its documented one-frame
encoder); the blocks around it are written here.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import OutputError
from ..files import FILE_MODE, describe_os_error, held_temp

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..render.style import Palette

__all__ = ["GifEncoder", "gif_delays_ms", "key_colors"]

MAX_DELAY_CS = 0xFFFF  # a frame's delay field (1/100 s)
DISPOSAL_KEEP = 1  # "do not dispose": the next frame draws over this one


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


def gif_palette(palette_source: np.ndarray, keys: list[tuple[int, int, int]]) -> np.ndarray:
    """256 × 3 colours: the key colours exactly (at most 64), then an adaptive palette
    of ``palette_source`` (a frame that shows everything) for the rest."""
    from PIL import Image

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
    return palette


def changed_box(previous: np.ndarray, current: np.ndarray) -> tuple[int, int, int, int] | None:
    """The smallest box (x0, y0, x1, y1) holding every pixel that changed; None: none."""
    changed = previous != current
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(changed[rows[0] : rows[-1] + 1].any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _subblocks(data: bytes) -> bytes:
    """``data`` as GIF data sub-blocks (≤ 255 bytes each) and the block terminator."""
    parts = [bytes((len(data[i : i + 255]),)) + data[i : i + 255] for i in range(0, len(data), 255)]
    return b"".join(parts) + b"\0"


class GifEncoder:
    """An animated GIF with one palette for all frames (:func:`gif_palette`), streamed:
    :meth:`add` quantizes a frame (no dithering: a chart is flat colour) and writes the
    previous one, cropped to what changed; an unchanged frame only lengthens the one
    before it. Holds the last frame's palette indices (~0.9 MB at 1280×720), never a
    list of frames."""

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
        colors = gif_palette(palette_source, keys)
        self.palette = Image.new("P", (1, 1))
        self.palette.putpalette(colors.reshape(-1).tolist())
        self._colors = colors.tobytes()
        self.frames = 0  # frames added
        self.written = 0  # frames written (unchanged frames merge into the one before)
        self._previous: np.ndarray | None = None  # the last frame's palette indices
        self._pending: tuple[bytes, int] | None = None  # its encoded box and delay (cs)
        try:
            handle, self._temp = held_temp(self.path)  # locked while the file is open
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {describe_os_error(exc)}") from None
        self._file = os.fdopen(handle, "wb")

    def _delay_cs(self) -> int:
        """Frame n lasts from round(n × 100 / fps) to round((n + 1) × 100 / fps) cs."""
        n = self.frames
        return max(1, round((n + 1) * 100 / self.fps) - round(n * 100 / self.fps))

    def add(self, pixels: np.ndarray) -> None:
        from PIL import GifImagePlugin, Image

        height, width = pixels.shape[:2]
        rgb = Image.frombytes("RGB", (width, height), pixels, "raw", "RGBX")
        frame = rgb.quantize(palette=self.palette, dither=Image.Dither.NONE)
        indices = np.asarray(frame)
        delay = self._delay_cs()
        self.frames += 1
        if self._previous is None:
            self._write(self._header(width, height))
            box = (0, 0, width, height)
        else:
            box = changed_box(self._previous, indices)
            if box is None and self._pending[1] + delay <= MAX_DELAY_CS:
                self._pending = (self._pending[0], self._pending[1] + delay)
                return
            box = box or (0, 0, 1, 1)
        self._flush()
        blocks = GifImagePlugin.getdata(frame.crop(box), offset=box[:2])
        self._pending = (b"".join(blocks), delay)
        self._previous = indices

    def _header(self, width: int, height: int) -> bytes:
        """Signature, screen (a 256-colour global table), the palette, loop forever, and
        the comment."""
        header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + self._colors
        header += b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\0"
        if self.comment:
            header += b"!\xfe" + _subblocks(self.comment.encode("utf-8"))
        return header

    def _flush(self) -> None:
        """Write the pending frame: its graphic control extension (delay, keep it under
        the next frame) and its image (descriptor and LZW data, from Pillow)."""
        if self._pending is None:
            return
        image, delay = self._pending
        control = struct.pack("<BBBBHBB", 0x21, 0xF9, 4, DISPOSAL_KEEP << 2, delay, 0, 0)
        self._write(control + image)
        self._pending = None
        self.written += 1

    def _write(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {describe_os_error(exc)}") from None

    def close(self) -> None:
        if self._pending is None:
            self.abort()
            raise OutputError(f"{self.path}: no frames to write")
        try:
            self._flush()
            self._write(b";")
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.chmod(self._temp, FILE_MODE)
            os.replace(self._temp, self.path)
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError):
                raise OutputError(f"cannot write {self.path}: {describe_os_error(exc)}") from None
            raise
        self._previous = None

    def abort(self) -> None:
        self._previous = self._pending = None
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._temp)
