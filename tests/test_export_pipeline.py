"""The fast export path without a GPU: the PNG writer, the ordered writer thread, the
animation plan and paths, the cached grid's arithmetic, the progress bar and the missing
PyAV message."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
from PIL import Image

from replay_viewer.errors import UsageError
from replay_viewer.export import animation_path, encode_png, plan_animation
from replay_viewer.export.encoders import gif_delays_ms, key_colors
from replay_viewer.export.writer import OrderedWriter
from replay_viewer.render.grid_cache import past_columns

from .conftest import BUNDLED, load_incident


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


@pytest.mark.parametrize("preset", ["fast", "small"])
def test_png_round_trips_pixels_and_metadata(preset):
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (37, 53, 4), dtype=np.uint8)
    text = {"Title": "Cache Stampede at T+08:00 — ü", "Software": "replay-viewer x"}
    data = encode_png(pixels, text=text, preset=preset)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.mode == "RGB" and image.size == (53, 37)
    assert np.array_equal(np.asarray(image), pixels[..., :3])
    assert image.text == text


def test_png_presets_trade_size_for_time():
    # A chart-like frame: flat background, lines.
    pixels = np.full((180, 320, 4), (11, 13, 18, 255), np.uint8)
    pixels[::20] = (60, 70, 90, 255)
    pixels[:, ::32] = (60, 70, 90, 255)
    assert len(encode_png(pixels, preset="small")) < len(encode_png(pixels, preset="fast"))
    with pytest.raises(ValueError, match="expected one of fast, small"):
        encode_png(pixels, preset="tiny")


def test_writer_keeps_order_bounds_the_queue_and_reports_errors():
    gate = threading.Event()
    writer = OrderedWriter(depth=2)
    started = []

    def job(n, wait=False):
        def run():
            started.append(n)
            if wait:
                gate.wait(5)
            return n

        return run

    assert writer.submit(job(0, wait=True)) == []
    assert writer.submit(job(1)) == []
    assert writer.pending == 2
    threading.Timer(0.05, gate.set).start()
    assert writer.submit(job(2))[:1] == [0], "a full queue waits for the oldest"
    assert writer.drain()[-1] == 2
    assert started == [0, 1, 2]

    def fail():
        raise OSError("disk full")

    writer.submit(fail)
    writer.submit(job(3))
    with pytest.raises(OSError, match="disk full"):
        writer.drain()
    assert writer.pending == 0, "nothing is left writing after a failure"
    writer.close()


def test_writer_depth_zero_runs_inline():
    writer = OrderedWriter(depth=0)
    thread = []
    assert writer.submit(lambda: thread.append(threading.current_thread()) or 5) == [5]
    assert thread == [threading.main_thread()]


def test_animation_plan(incident):
    assert len(plan_animation(incident, fps=30).times) == 300, "10 s at 30 fps by default"
    plan = plan_animation(incident, fps=12, duration=2.5)
    assert len(plan.times) == 30
    assert plan.times[0] == incident.start and plan.times[-1] == incident.end
    assert len(plan_animation(incident, fps=30, frames=7).times) == 7
    with pytest.raises(ValueError, match="--duration"):
        plan_animation(incident, fps=30, frames=7, duration=2)
    with pytest.raises(ValueError, match="--fps"):
        plan_animation(incident, fps=0)


@pytest.mark.parametrize(("count", "fps"), [(300, 30), (45, 15), (7, 24), (10, 100)])
def test_gif_delays_add_up_to_the_duration(count, fps):
    delays = gif_delays_ms(count, fps)
    assert len(delays) == count and all(d % 10 == 0 and d >= 10 for d in delays)
    assert abs(sum(delays) - count * 1000 / fps) <= 10
    assert max(delays) - min(delays) <= 10


def test_key_colors_hold_rose_cyan_amber():
    keys = key_colors(["#f43f5e", "#123456"])
    assert keys[:2] == [(0xF4, 0x3F, 0x5E), (0x12, 0x34, 0x56)]
    assert {(0x22, 0xD3, 0xEE), (0xFB, 0xBF, 0x24)} <= set(keys)
    assert len(keys) == len(set(keys))


def test_animation_path_rules(tmp_path):
    existing = tmp_path / "a.gif"
    existing.write_bytes(b"mine")
    with pytest.raises(UsageError, match="pass --overwrite"):
        animation_path(existing, "gif")
    assert animation_path(existing, "gif", overwrite=True) == existing
    with pytest.raises(UsageError, match=r"must end in \.mp4"):
        animation_path(tmp_path / "a.gif", "mp4")
    from replay_viewer.errors import OutputError

    with pytest.raises(OutputError, match="does not exist"):
        animation_path(tmp_path / "missing" / "a.mp4", "mp4")


def test_past_columns_match_the_shaders_comparison():
    # playhead_x is always floor(x) + 0.5: columns 0..floor(x) are the past.
    assert past_columns(100.5, 1280) == 101
    assert past_columns(0.5, 1280) == 1
    assert past_columns(-1e9, 1280) == 0
    assert past_columns(1e9, 1280) == 1280
    assert past_columns(np.float32(639.5), 1280) == 640


def test_progress_bar_is_silent_when_stderr_is_not_a_terminal(capsys):
    from replay_viewer.cli.interrupts import progress_bar

    update, close = progress_bar("export x", 10)
    for done in range(1, 11):
        update(done, 10)
    close()
    assert capsys.readouterr().err == ""


def test_mp4_without_pyav_is_a_usage_error_before_any_rendering(tmp_path, monkeypatch, capsys):
    import sys

    from replay_viewer import cli

    monkeypatch.setitem(sys.modules, "av", None)  # import av → ImportError
    code = cli.main(["export", str(BUNDLED), "--mp4", str(tmp_path / "a.mp4")])
    assert code == 2
    err = capsys.readouterr().err
    assert "PyAV" in err and "replay-viewer[video]" in err
    assert list(tmp_path.iterdir()) == []


def test_a_sigterm_whose_interrupt_was_lost_still_stops_the_next_step():
    # SIGTERM raises KeyboardInterrupt wherever Python is; inside a finaliser (a wgpu
    # object's __del__) Python prints "Exception ignored" and runs on. The export loop asks
    # raise_if_terminated() before each frame, so the command still stops.
    import os
    import signal

    from replay_viewer.cli import interrupts

    before = signal.getsignal(signal.SIGTERM)
    try:
        interrupts.terminate_as_interrupt()
        interrupts.raise_if_terminated()  # nothing received yet: no-op
        lost = False
        try:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs at the next bytecodes
            for _ in range(10_000):
                pass
        except KeyboardInterrupt:
            lost = True  # swallowed here, as a finaliser would
        assert lost
        with pytest.raises(KeyboardInterrupt):
            interrupts.raise_if_terminated()
    finally:
        signal.signal(signal.SIGTERM, before)
        interrupts._received.clear()
