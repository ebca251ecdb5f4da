"""Captions on a real adapter: the card changes a frame only inside its rectangle (at
every size and at --scale 2); captioned GIF and MP4 frames show it near the told moments
and not far from them; an MP4 has one chapter per moment (PyAV and ffprobe agree); the
command line burns it into --at's PNG."""

from __future__ import annotations

import dataclasses
import json
import subprocess

import numpy as np
import pytest
from PIL import Image

from replay_viewer.export import AnimationExport, ExportSettings
from replay_viewer.export.captions import caption_near, plan_told
from replay_viewer.render.boot import prepare_renderer
from replay_viewer.render.caption_card import card_scale
from replay_viewer.render.renderer import RenderOptions

from .conftest import BUNDLED, load_incident
from .live_servers import need_binary
from .test_export_commands import cli

pytestmark = pytest.mark.gpu

SETTINGS = ExportSettings(size=(640, 360))
LISTED = (300.0, 660.0)  # T+05:00 (Mitigation rolled) and T+11:00 (p99 back under 200ms)


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


@pytest.fixture(scope="module")
def medium(booted, incident):
    width, height = SETTINGS.pixel_size
    return prepare_renderer(booted.device, incident, width, height, 1.0, quality="standard")


def card_box(renderer, pixels: np.ndarray) -> tuple[int, int, int, int]:
    """The card's rectangle in pixels, grown by its shadow (3 points and 2 down) and a
    pixel of antialiasing."""
    pr, scale = renderer.layout.pixel_ratio, card_scale(renderer.layout)
    x0, y0, x1, y1 = renderer.text.card
    grow = (3 * scale + 1) * pr
    h, w = pixels.shape[:2]
    return (max(0, int(x0 * pr - grow)), max(0, int(y0 * pr - grow)),
            min(w, int(np.ceil(x1 * pr + grow))),
            min(h, int(np.ceil(y1 * pr + grow + 2 * scale * pr))))  # fmt: skip


@pytest.mark.parametrize(("size", "scale"), [((640, 360), 1), ((1280, 720), 1), ((960, 540), 2)])
def test_the_card_changes_the_frame_only_inside_its_rectangle(booted, incident, size, scale):
    renderer = prepare_renderer(booted.device, incident, size[0] * scale, size[1] * scale,
                                float(scale), quality="standard")  # fmt: skip
    renderer.use_layer_cache = False  # the same pixels for the same frame, twice
    shown = caption_near(incident, 300.0)
    plain = renderer.render(300.0, RenderOptions(quality="standard"))
    assert renderer.text.card is None
    captioned = renderer.render(300.0, RenderOptions(quality="standard", caption=shown))
    x0, y0, x1, y1 = card_box(renderer, captioned)
    changed = (plain != captioned).any(-1)
    assert changed[y0:y1, x0:x1].mean() > 0.3, "the card is drawn"
    changed[y0:y1, x0:x1] = False
    assert not changed.any(), f"pixels outside the card changed: {np.argwhere(changed)[:5]}"
    faded = renderer.render(300.0, RenderOptions(quality="standard", caption=(shown[0], 0.4)))
    inside = (slice(y0, y1), slice(x0, x1))
    assert (
        0
        < np.abs(faded[inside].astype(int) - plain[inside]).mean()
        < np.abs(captioned[inside].astype(int) - plain[inside]).mean()
    ), "a fading card is fainter"


def decode_gif(path) -> list[tuple[float, np.ndarray]]:
    """(start in seconds, RGB) of each stored frame."""
    gif, frames, start = Image.open(path), [], 0.0
    for n in range(gif.n_frames):
        gif.seek(n)
        frames.append((start, np.asarray(gif.convert("RGB"))))
        start += gif.info["duration"] / 1000
    return frames


def run(job) -> dict:
    while not job.step():
        pass
    summary = job.finish()
    assert summary["complete"]
    return summary


def differs_in_card(frame: np.ndarray, reference: np.ndarray, box) -> float:
    x0, y0, x1, y1 = box
    return float(np.abs(frame[y0:y1, x0:x1].astype(int) - reference[y0:y1, x0:x1]).mean())


@pytest.mark.parametrize("kind", ["gif", "mp4"])
def test_captioned_frames_show_the_card_near_each_moment_only(tmp_path, medium, incident, kind):
    if kind == "mp4":
        av = pytest.importorskip("av")
    fps = 10
    plan, track = plan_told(incident, fps=fps, choice=LISTED, captions=True, duration=6.0)
    path = tmp_path / f"a.{kind}"
    run(AnimationExport(medium, incident, plan, path, SETTINGS, kind=kind, fps=fps, story=track))
    if kind == "gif":
        stored = decode_gif(path)
        frames = [next(rgb for start, rgb in reversed(stored) if start <= f / fps + 1e-6)
                  for f in range(len(plan.times))]  # fmt: skip
    else:
        with av.open(str(path)) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == len(plan.times) == 60
    options = SETTINGS.render_options()
    near = [f for f, s in enumerate(track.shown) if s is not None and s[1] == 1.0]
    far = [f for f, s in enumerate(track.shown) if s is None]
    assert len(near) >= 20 and len(far) >= 10
    close = 2 if kind == "gif" else 6  # the palette; H.264's chroma
    for f in near[::4] + far[::4]:
        plain = medium.render(plan.times[f], options)[..., :3]
        shown = dataclasses.replace(options, caption=track.at(f))
        reference = medium.render(plan.times[f], shown)[..., :3]
        assert np.abs(frames[f].astype(int) - reference).mean() < close, f
        if f in near:
            box = card_box(medium, reference)
            assert differs_in_card(frames[f], plain, box) > 12, f
        else:
            assert medium.text.card is None and np.array_equal(reference, plain)


def test_an_mp4_has_a_chapter_per_moment(tmp_path, medium, incident):
    av = pytest.importorskip("av")
    ffprobe = need_binary("ffprobe", "ffmpeg", tests="the MP4 chapter tests")
    fps = 10
    plan, track = plan_told(incident, fps=fps, choice="all", duration=4.0)
    path = tmp_path / "a.mp4"
    run(AnimationExport(medium, incident, plan, path, SETTINGS, kind="mp4", fps=fps, story=track))
    titles = [c.title for c in track.chapters]
    assert titles[0] == "T+00:00 Deploy goes live" and titles[5] == "T+05:00 Mitigation rolled"
    starts = [round(c.start * 1000) for c in track.chapters]
    assert starts[0] == 0 and starts == sorted(starts) and len(set(starts)) == 9
    with av.open(str(path)) as container:
        read = container.chapters()
    assert [c["metadata"]["title"] for c in read] == titles
    assert [c["start"] for c in read] == starts
    assert read[-1]["end"] == 4000
    probe = subprocess.run([ffprobe, "-v", "error", "-show_chapters", "-of", "json", str(path)],
                           capture_output=True, text=True, check=True)  # fmt: skip
    chapters = json.loads(probe.stdout)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == titles
    assert [round(float(c["start_time"]) * 1000) for c in chapters] == starts
    assert [p.name for p in tmp_path.iterdir()] == ["a.mp4"], "no temporary file left"


def test_export_at_with_captions_burns_the_card_into_the_png(tmp_path, gpu_adapter):
    plain, captioned = tmp_path / "plain.png", tmp_path / "captioned.png"
    args = ("export", BUNDLED, "--at", "T+05:00", "--size", "640x360")
    assert cli(*args, "-o", plain).returncode == 0
    result = cli(*args, "-o", captioned, "--captions")
    assert result.returncode == 0, result.stderr
    a, b = np.asarray(Image.open(plain)), np.asarray(Image.open(captioned))
    assert (a != b).any(-1).mean() > 0.02
    far = cli("export", BUNDLED, "--at", "T+09:00", "--size", "640x360", "--captions", "-o",
              tmp_path / "far.png")  # fmt: skip
    assert far.returncode == 0 and "no told moment is near T+09:00" in far.stderr
