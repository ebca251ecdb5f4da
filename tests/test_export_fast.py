"""The fast export path on a real adapter: the cached grid gives the full pass's pixels,
one readback buffer serves every frame, the same options give the same bytes on every
path, and GIF/MP4 decode back to the PNG path's frames."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from replay_viewer.export import (
    AnimationExport,
    ExportSettings,
    SequenceExport,
    export_frame,
    plan_animation,
    plan_sequence,
)
from replay_viewer.render.boot import prepare_renderer
from replay_viewer.render.renderer import RenderOptions
from replay_viewer.render.targets import read_pixels

from .conftest import BUNDLED, load_incident

pytestmark = pytest.mark.gpu

SETTINGS = ExportSettings(size=(320, 180))
ROSE, CYAN, AMBER = (0xF4, 0x3F, 0x5E), (0x22, 0xD3, 0xEE), (0xFB, 0xBF, 0x24)


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


@pytest.fixture(scope="module")
def small(booted, incident):
    """An export renderer at 320×180 on the booted device (as the window makes one)."""
    width, height = SETTINGS.pixel_size
    return prepare_renderer(booted.device, incident, width, height, 1.0, quality="standard")


def test_cached_grid_gives_the_full_pass_pixels(booted, incident):
    renderer = booted.renderer
    renderer.resize(1280, 720)
    cases = [RenderOptions(quality="standard")]
    cases.append(RenderOptions(quality="standard", hover=(300.0, 200.0)))
    cases.append(RenderOptions(quality="standard", ghost=False))
    renderer.use_layer_cache = False  # exact equality; the data layer: test_layer_cache.py
    try:
        for options in cases:
            for t in (incident.start, 0.0, 333.3, incident.end):
                renderer.use_grid_cache = True
                cached = renderer.render(t, options)
                renderer.use_grid_cache = False
                full = renderer.render(t, options)
                assert np.array_equal(cached, full), (t, options)
    finally:
        renderer.use_grid_cache = renderer.use_layer_cache = True
    builds = renderer.grid_cache.builds
    for t in np.linspace(incident.start, incident.end, 5):
        renderer.render_texture(float(t), RenderOptions(quality="standard"))
    assert renderer.grid_cache.builds == builds, "scrubbing never redraws the cached grid"
    renderer.resize(640, 360)
    renderer.render(0.0, RenderOptions(quality="standard"))
    assert renderer.grid_cache.builds == builds + 1, "a new layout does"


def test_readback_reuses_one_buffer_and_matches_read_texture(small):
    first = small.render(100.0, SETTINGS.render_options())
    buffer = small._readback._buffer
    second = small.render(200.0, SETTINGS.render_options())
    assert small._readback._buffer is buffer
    assert not np.shares_memory(first, second)
    expected = read_pixels(small.device, small.render_texture(200.0, SETTINGS.render_options()))
    assert np.array_equal(second, expected)
    assert not np.array_equal(first, second)


def test_same_options_same_bytes_single_sequence_and_pipelined(tmp_path, small, incident):
    plan = plan_sequence(incident, frames=5)
    outputs = {}
    for depth in (0, 2):
        folder = tmp_path / f"depth{depth}"
        job = SequenceExport(small, incident, plan, folder, SETTINGS, pipeline_depth=depth)
        while not job.step():
            pass
        index = job.finish()
        assert index["complete"] and [e["frame"] for e in index["frames"]] == list(range(5))
        assert json.loads((folder / "frames.json").read_text(encoding="utf-8")) == index
        outputs[depth] = [(folder / e["file"]).read_bytes() for e in index["frames"]]
    assert outputs[0] == outputs[2]
    single = tmp_path / "single.png"
    export_frame(small, incident, plan.times[3], single, SETTINGS)
    assert single.read_bytes() == outputs[2][3]
    png = Image.open(single)
    assert png.text["Title"].startswith(incident.title) and png.size == (320, 180)


def _reference(small, incident, t):
    return small.render(t, SETTINGS.render_options())[..., :3]


def test_gif_decodes_to_the_png_frames(tmp_path, small, incident):
    plan = plan_animation(incident, fps=10, duration=0.6)
    path = tmp_path / "a.gif"
    job = AnimationExport(small, incident, plan, path, SETTINGS, kind="gif", fps=10)
    while not job.step():
        pass
    assert job.finish()["complete"]
    gif = Image.open(path)
    assert gif.n_frames == 6 and gif.size == (320, 180)
    durations = []
    for n in range(gif.n_frames):
        gif.seek(n)
        durations.append(gif.info["duration"])
    assert sum(durations) == 600
    gif.seek(3)
    frame = np.asarray(gif.convert("RGB"))
    reference = _reference(small, incident, plan.times[3])
    assert np.abs(frame.astype(int) - reference).mean() < 2.0
    for color in (ROSE, CYAN):
        exact = (reference == color).all(-1)
        assert exact.any(), f"{color} is drawn"
        assert (frame[exact] == color).all(), f"{color} stays exact in the palette"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"], "no temporary file left"


def test_mp4_decodes_to_the_png_frames(tmp_path, small, incident):
    av = pytest.importorskip("av")
    plan = plan_animation(incident, fps=24, duration=0.5)
    path = tmp_path / "a.mp4"
    job = AnimationExport(small, incident, plan, path, SETTINGS, kind="mp4", fps=24)
    while not job.step():
        pass
    assert job.finish()["complete"]
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.average_rate == 24
        assert (stream.codec_context.width, stream.codec_context.height) == (320, 180)
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 12
    reference = _reference(small, incident, plan.times[6])
    # H.264 in yuv420p: chroma at half resolution, so thin coloured lines blur; the frame
    # as a whole stays close, and the right frame is closer than its neighbours' frames.
    errors = [np.abs(f.astype(int) - reference).mean() for f in frames]
    difference = np.abs(frames[6].astype(int) - reference)
    assert np.median(difference) <= 3 and errors[6] < 6.0
    assert errors[6] == min(errors) and errors[6] < 0.6 * max(errors[5], errors[7])


def test_a_cancelled_animation_leaves_nothing(tmp_path, small, incident):
    plan = plan_animation(incident, fps=10, duration=1)
    path = tmp_path / "a.gif"
    job = AnimationExport(small, incident, plan, path, SETTINGS, kind="gif", fps=10)
    job.step()
    job.step()
    summary = job.finish()
    assert summary["complete"] is False and summary["frames"] == 2
    assert list(tmp_path.iterdir()) == []


def test_window_exports_an_animation_with_progress(tmp_path, booted, incident):
    from replay_viewer.app.export_control import WindowExport
    from replay_viewer.app.state import AppState

    state = AppState(clock=lambda: 0.0)
    state.set_incident(incident, BUNDLED, keep_time=False)
    dialog = state.export
    dialog.folder, dialog.size, dialog.fps, dialog.duration = str(tmp_path), "320x180", 5, "1s"
    (tmp_path / f"{incident.id}.gif").write_bytes(b"mine")
    exporter = WindowExport(booted.device)
    exporter.start_animation(state)
    assert dialog.progress is not None and dialog.progress.total == 5, dialog.message
    assert exporter.running
    seen = []
    while dialog.progress is not None:
        exporter.step(state)
        seen.append(dialog.progress.done if dialog.progress else None)
    done = [d for d in seen if d is not None]
    assert done == sorted(done) and done[-1] > 0 and seen[-1] is None, "the dialog's bar moves"
    assert not exporter.running
    assert "Wrote" in dialog.message
    assert (tmp_path / f"{incident.id}.gif").read_bytes() == b"mine", "never replaced"
    assert Image.open(tmp_path / f"{incident.id}-2.gif").n_frames == 5


@pytest.mark.parametrize("fmt", ["rgba8unorm", "bgra8unorm"])
def test_readback_of_an_unaligned_width_and_bgra(booted, incident, fmt):
    # 333 px × 4 bytes is not a multiple of 256: the buffer's rows are padded.
    renderer = prepare_renderer(booted.device, incident, 333, 177, 1.0, quality="standard",
                                target_format=fmt)  # fmt: skip
    renderer.use_layer_cache = False  # the same pixels twice (not the composited layer's)
    options = RenderOptions(quality="standard")
    pixels = renderer.render(100.0, options)
    assert pixels.shape == (177, 333, 4)
    assert np.array_equal(
        pixels, read_pixels(booted.device, renderer.render_texture(100.0, options))
    )


def _window_state(incident, folder):
    from replay_viewer.app.state import AppState

    state = AppState(clock=lambda: 0.0)
    state.set_incident(incident, BUNDLED, keep_time=False)
    state.export.folder = str(folder)
    return state


def test_window_writes_a_storyboard_and_a_report_on_the_next_frame(tmp_path, booted, incident):
    from replay_viewer.app.export_control import WindowExport

    state = _window_state(incident, tmp_path)
    state.export.theme = "light"
    (tmp_path / f"{incident.id}-storyboard.png").write_bytes(b"mine")
    exporter = WindowExport(booted.device)
    exporter.ask_story(state, "storyboard")
    assert state.export.message.startswith("Writing the storyboard")
    assert not list(tmp_path.glob("*-2.png")), "nothing is written in the frame that asks"
    exporter.step(state)
    written = tmp_path / f"{incident.id}-storyboard-2.png"
    assert (tmp_path / f"{incident.id}-storyboard.png").read_bytes() == b"mine", "never replaced"
    assert state.last_export == written and f"Wrote {written}" in state.export.message
    image = Image.open(written)
    assert image.size == (1920, 1080)
    corner = np.asarray(image.convert("RGB"))[4, 4]
    assert corner.min() > 200, "the dialog's Light colours: a white page"
    exporter.ask_story(state, "report")
    exporter.step(state)
    report = tmp_path / f"{incident.id}-report"
    assert state.last_export == report / "report.html", state.export.message
    files = {p.name for p in report.iterdir()}
    assert {"report.md", "report.html", "storyboard.png", "chart.png", "report.json"} <= files
    assert json.loads((report / "report.json").read_text())["options"]["theme"] == "light"


def test_window_story_exports_tell_what_the_window_starred(tmp_path, booted, incident):
    import dataclasses

    from replay_viewer.app.export_control import WindowExport

    events = list(incident.events)
    events[1] = dataclasses.replace(events[1], star=True)  # as * in the window does
    starred = dataclasses.replace(incident, events=tuple(events))
    state = _window_state(starred, tmp_path)
    exporter = WindowExport(booted.device)
    exporter.ask_story(state, "report")
    exporter.step(state)
    index = json.loads((tmp_path / f"{incident.id}-report" / "report.json").read_text())
    assert index["options"]["events"] == "starred events"
    assert index["options"]["moments"] == [events[1].at]


def test_window_story_refuses_a_missing_folder_and_a_running_export(tmp_path, booted, incident):
    from replay_viewer.app.export_control import WindowExport

    state = _window_state(incident, tmp_path / "gone")
    exporter = WindowExport(booted.device)
    exporter.ask_story(state, "storyboard")
    exporter.step(state)
    assert "was not written" in state.export.message and "does not exist" in state.export.message
    state.export.folder, state.export.size, state.export.duration = str(tmp_path), "320x180", "1s"
    exporter.start_animation(state)
    exporter.ask_story(state, "report")
    assert "running" in state.export.message and not state.export.pending
    exporter.finish(state, note="cancelled")


def test_window_animation_has_chapters_and_captions(tmp_path, booted, incident):
    from replay_viewer.app.export_control import WindowExport

    state = _window_state(incident, tmp_path)
    dialog = state.export
    dialog.size, dialog.fps, dialog.duration, dialog.captions = "320x180", 5, "4s", True
    exporter = WindowExport(booted.device)
    exporter.start_animation(state)
    job = exporter.job
    assert job.story is not None and job.story.chapters, "each told moment is a chapter"
    shown = [job.story.at(k) for k in range(job.total)]
    assert any(s is not None for s in shown), "captions are burnt into some frames"
    exporter.finish(state, note="cancelled")


def test_window_exports_follow_the_colours_chosen_between_them(tmp_path, booted, incident):
    from replay_viewer.app.export_control import WindowExport

    state = _window_state(incident, tmp_path)
    state.export.size = "320x180"
    exporter = WindowExport(booted.device)
    dark = exporter.export_frame(state)
    state.export.theme = "light"
    state.seek(state.t - 1)  # another file name
    light = exporter.export_frame(state)
    corners = [np.asarray(Image.open(p).convert("RGB"))[2, 2] for p in (dark, light)]
    assert corners[0].max() < 60 and corners[1].min() > 200, corners


def test_window_story_exports_say_why_not_and_drop_a_zoom_that_hides_a_moment(
    tmp_path, booted, incident
):
    from replay_viewer.app.export_control import WindowExport

    state = _window_state(incident, tmp_path)
    state.export.size = "12x"
    exporter = WindowExport(booted.device)
    exporter.ask_story(state, "report")
    exporter.step(state)
    assert state.export.message.startswith("The report was not written: --size")
    assert not state.export.pending and not list(tmp_path.iterdir())
    state.export.size = "640x360"
    state.view = (500.0, 600.0)  # a zoom that leaves most told moments out
    exporter.ask_story(state, "report")
    exporter.step(state)
    assert (tmp_path / f"{incident.id}-report" / "storyboard.png").exists(), state.export.message
    from replay_viewer.app.story_export import _telling
    from replay_viewer.export import ExportSettings

    zoomed = ExportSettings(view=(500.0, 600.0))
    assert _telling(zoomed, (0.0, 550.0)).view is None, "a moment outside: the whole timeline"
    assert _telling(zoomed, (520.0, 550.0)).view == (500.0, 600.0), "all inside: the zoom"
    # A dotted id's second report: "-2" after the whole name, not inside it.
    from replay_viewer.export import unused_path

    (tmp_path / "2024-06-03.checkout-report").mkdir()
    assert unused_path(tmp_path / "2024-06-03.checkout-report", folder=True).name == (
        "2024-06-03.checkout-report-2"
    )
