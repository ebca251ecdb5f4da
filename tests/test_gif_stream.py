"""The GIF encoder streams (no GPU): frames are written as they arrive, cropped to what
changed, and decode back to exactly the quantized input with their delays, the loop and
the comment; memory holds one frame whatever the length."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

from replay_viewer.errors import OutputError
from replay_viewer.export.gif import GifEncoder, changed_box, gif_delays_ms

KEYS = [(0xF4, 0x3F, 0x5E), (0x22, 0xD3, 0xEE), (0xFB, 0xBF, 0x24)]


def frame(n: int, width: int = 320, height: int = 180) -> np.ndarray:
    """A dark chart-like frame with a rose bar that moves and a cyan box that appears."""
    pixels = np.zeros((height, width, 4), np.uint8)
    pixels[..., :3] = (6, 8, 12)
    pixels[::20, :, :3] = (40, 48, 60)  # grid rows
    x = (n * 7) % (width - 10)
    pixels[40:140, x : x + 6, :3] = KEYS[0]
    if n % 4 >= 2:
        pixels[10:30, 200:260, :3] = KEYS[1]
    return pixels


def decode(path) -> tuple[list[np.ndarray], list[int], dict]:
    gif = Image.open(path)
    frames, delays = [], []
    for n in range(gif.n_frames):
        gif.seek(n)
        frames.append(np.asarray(gif.convert("RGB")))
        delays.append(gif.info["duration"])
    gif.seek(0)
    return frames, delays, dict(gif.info)


def test_a_streamed_gif_decodes_to_the_quantized_frames(tmp_path):
    path = tmp_path / "a.gif"
    encoder = GifEncoder(path, 15, frame(3), KEYS, comment="Story (replay-viewer)")
    inputs = [frame(n) for n in range(12)]
    inputs[6] = inputs[5].copy()  # an unchanged frame lengthens the one before it
    for pixels in inputs:
        encoder.add(pixels)
    assert not any(isinstance(v, list) for v in vars(encoder).values()), "no list of frames"
    assert path.exists() is False, "nothing at the destination before close"
    encoder.close()
    frames, delays, info = decode(path)
    assert len(frames) == 11 and encoder.written == 11 and encoder.frames == 12
    expected = gif_delays_ms(12, 15)
    assert delays == [*expected[:5], expected[5] + expected[6], *expected[7:]]
    assert info["loop"] == 0 and info["comment"] == b"Story (replay-viewer)"
    palette = encoder.palette
    for got, pixels in zip(frames, [*inputs[:6], *inputs[7:]], strict=True):
        rgb = Image.fromarray(np.ascontiguousarray(pixels[..., :3]))
        want = rgb.quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB")
        assert np.array_equal(got, np.asarray(want))
        assert np.array_equal(got, pixels[..., :3]), "a flat frame's colours are exact"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]


def test_only_the_changed_box_is_written():
    a, b = np.zeros((50, 80), np.uint8), np.zeros((50, 80), np.uint8)
    assert changed_box(a, b) is None
    b[10, 20] = b[30, 5] = 1
    assert changed_box(a, b) == (5, 10, 21, 31)


def test_an_aborted_or_empty_gif_leaves_nothing(tmp_path):
    encoder = GifEncoder(tmp_path / "a.gif", 10, frame(0), KEYS)
    encoder.add(frame(0))
    encoder.abort()
    assert list(tmp_path.iterdir()) == []
    empty = GifEncoder(tmp_path / "b.gif", 10, frame(0), KEYS)
    with pytest.raises(OutputError, match="no frames"):
        empty.close()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="flock tells a dead writer's file apart")
def test_a_killed_exports_temporary_file_goes_and_a_live_ones_stays(tmp_path):
    import subprocess
    import sys

    # A writer killed with SIGKILL leaves its hidden .c.gif.XXXX.tmp (17 MB at 400 frames);
    # the next export of c.gif removes it, as a sequence removes its own leftovers, but
    # never the file of an export still writing (it holds a lock on it).
    dead = tmp_path / ".c.gif.deadbeef.tmp"
    dead.write_bytes(b"GIF89a half")
    writing = GifEncoder(tmp_path / "c.gif", 10, frame(0), KEYS)
    live = {p.name for p in tmp_path.iterdir()} - {dead.name}
    assert not dead.exists(), "a file nobody holds is a dead export's"
    in_other_process = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from replay_viewer.files import held_temp; held_temp(Path(sys.argv[1]))",
         str(tmp_path / "c.gif")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert in_other_process.returncode == 0, in_other_process.stderr
    assert live <= {p.name for p in tmp_path.iterdir()}, "the live export's file was kept"
    writing.add(frame(0))
    writing.close()
    assert (tmp_path / "c.gif").exists()


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads Linux's /proc")
def test_memory_stays_flat_over_200_frames_at_1280x720(tmp_path):
    # The encoder Pillow's save_all needed kept every frame: 200 × 0.9 MB = 176 MB here.
    source = frame(0, 1280, 720)
    encoder = GifEncoder(tmp_path / "long.gif", 15, source, KEYS)
    frames = [frame(n, 1280, 720) for n in range(8)]  # inputs reused: only the encoder grows
    encoder.add(frames[0])
    before, peak = _rss_mb(), 0.0
    for n in range(1, 200):
        encoder.add(frames[n % 8])
        peak = max(peak, _rss_mb())
    encoder.close()
    assert peak - before < 40, f"RSS grew {peak - before:.0f} MB over 200 frames"
