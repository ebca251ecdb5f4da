"""Heatmaps drawn: the pane and its cells (brighter with more counts on the dark theme,
darker on the light one), the quantile lines over them, the ghost after the playhead, the
data layer's composite, scrubbing that writes no data, a sequence export and the tooltip
over a cell."""

from __future__ import annotations

import json

import numpy as np
import pytest

from replay_viewer.app.state import AppState
from replay_viewer.app.viewer import gui_viewer
from replay_viewer.loader import load_incident
from replay_viewer.render.geometry import RenderOptions
from replay_viewer.render.heatmap_axis import bucket_edges
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.style import relative_luminance

from .gui_driver import GuiDriver, RecordingActions
from .test_cli import run_cli

pytestmark = pytest.mark.gpu

OWN = (1, 4, 16, 64, 100)  # each bucket's count at every time
BOUNDS = (0.01, 0.1, 1, 10, 100)
INCIDENT = """\
title: Heat
histograms:
  - {{id: lat, label: Latency, unit: ms, counts: req/s, file: lat.csv, cumulative: false}}
events:
  - {{at: 300, kind: mitigate, title: Rolled back}}
"""


TIMES = np.arange(0.0, 601.0, 10.0)


def write_incident(folder, times=TIMES):
    rows = [",".join(["time", *(f"{b:g}" for b in BOUNDS)])]
    rows += [",".join([f"{t:g}", *(str(c) for c in OWN)]) for t in times]
    (folder / "lat.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "heat.yaml").write_text(INCIDENT.format(), encoding="utf-8")
    return folder / "heat.yaml"


@pytest.fixture(scope="module")
def incident(tmp_path_factory):
    return load_incident(write_incident(tmp_path_factory.mktemp("heat")))


def renderer_for(booted, incident, theme="dark", size=(1280, 720)):
    from replay_viewer.render.boot import prepare_renderer

    return prepare_renderer(booted.device, incident, *size, 1.0, quality="standard",
                            theme=theme)  # fmt: skip


def bucket_centre(layout, bucket: int) -> float:
    (axis,) = layout.axes.values()
    ys = axis.offset + bucket_edges(np.array(BOUNDS, dtype=float)) * axis.scale
    return (ys[bucket] + ys[bucket + 1]) / 2


def pixel(pixels, x: float, y: float) -> np.ndarray:
    return pixels[int(y), int(x), :3].astype(float) / 255


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_cells_shade_with_their_count(booted, incident, theme):
    renderer = renderer_for(booted, incident, theme)
    layout = renderer.layout
    (axis,) = layout.axes.values()
    assert axis.log, "the heatmap's pane has a log axis of its buckets"
    pixels = renderer.render(500.0, RenderOptions(quality="standard"))
    x = layout.to_x(100.0)
    shades = [relative_luminance(tuple(pixel(pixels, x, bucket_centre(layout, b))))
              for b in range(len(OWN))]  # fmt: skip
    background = relative_luminance(layout.palette.background[:3])
    away = [abs(shade - background) for shade in shades]
    assert away == sorted(away) and away[-1] - away[0] > 0.2, (theme, shades)


def test_quantile_lines_are_drawn_over_the_cells(booted, incident):
    renderer = renderer_for(booted, incident)
    layout = renderer.layout
    pixels = renderer.render(500.0, RenderOptions(quality="standard"))
    p50 = incident.series_by_id("lat_p50")
    assert p50.values[0] == pytest.approx(10 + 90 * 7.5 / 100)  # rank 92.5 of 185
    color = np.array(layout.palette.series_color(p50.color))
    x, y = layout.to_x(100.0), layout.axis_for("lat_p50").to_y(p50.values[0])
    window = pixels[int(y) - 3 : int(y) + 4, int(x) - 3 : int(x) + 4, :3] / 255
    nearest = np.min(np.linalg.norm(window - color, axis=-1))
    assert nearest < 0.15, "the p50 line in its colour where its value is"


def test_cells_after_the_playhead_are_ghosted(booted, incident):
    renderer = renderer_for(booted, incident)
    layout = renderer.layout
    x, y = layout.to_x(400.0), bucket_centre(layout, 4)
    background = np.array(layout.palette.background[:3])
    past = pixel(renderer.render(550.0, RenderOptions(quality="standard")), x, y)
    future = pixel(renderer.render(200.0, RenderOptions(quality="standard")), x, y)
    hidden = pixel(renderer.render(200.0, RenderOptions(quality="standard", ghost=False)), x, y)
    assert np.linalg.norm(future - background) < 0.7 * np.linalg.norm(past - background)
    assert np.linalg.norm(hidden - background) < 0.05, "no ghost: the cell is not drawn"


def test_the_data_layer_holds_the_heatmap(booted, tmp_path):
    # 1,000 times: the quantile lines pass the layer cache's threshold; a composited frame
    # must show what a direct one does.
    incident = load_incident(write_incident(tmp_path, np.arange(0.0, 1000.0)))
    renderer = renderer_for(booted, incident)
    options = RenderOptions(quality="standard")
    renderer.use_layer_cache = False
    direct = renderer.render(700.0, options).astype(int)
    renderer.use_layer_cache = True
    renderer.render(100.0, options)
    cached = renderer.render(700.0, options).astype(int)
    assert renderer.layer_cache.builds >= 1
    assert np.abs(direct - cached).max() <= 3


def test_scrubbing_writes_no_heatmap_data(booted, incident, monkeypatch):
    renderer = renderer_for(booted, incident)
    writes = []
    queue = renderer.device.queue
    original = queue.write_buffer

    def counting_write(buffer, *args, **kwargs):
        writes.append(buffer.label)
        return original(buffer, *args, **kwargs)

    monkeypatch.setattr(queue, "write_buffer", counting_write)
    for i in range(20):
        renderer.render_texture(30.0 * i, RenderOptions(quality="standard"))
    assert not {"heatmaps", "cells", "rows"} & set(writes)
    assert writes.count("frame uniform") == 20


def test_a_sequence_with_a_heatmap_exports(tmp_path):
    path = write_incident(tmp_path)
    out = tmp_path / "frames"
    result = run_cli("export", str(path), "--frames", "4", "-o", str(out), "--size", "640x360",
                     "--theme", "light")  # fmt: skip
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    assert index["complete"] is True and len(index["frames"]) == 4
    from PIL import Image

    first, last = (np.asarray(Image.open(out / index["frames"][k]["file"])) for k in (0, -1))
    assert first.shape == (360, 640, 3) and np.abs(first.astype(int) - last).max() > 50


def test_the_tooltip_names_the_cell_under_the_pointer(incident):
    state = AppState(clock=lambda: 50.0)
    state.set_incident(incident, None, keep_time=False)
    state.seek(450.0)
    gui, actions = GuiDriver(), RecordingActions()
    try:

        def draw():
            gui_viewer(state, gui.ui, actions)

        gui.frame(draw)
        width, height = gui.ui.chart_size
        layout = compute_layout(incident, int(width), int(height), chrome=False)
        gui.ui.chart_layout = layout
        ox, oy = gui.ui.chart_origin
        x, y = layout.to_x(205.0), bucket_centre(layout, 2)  # (0.1, 1]: 16 req/s
        for _ in range(3):
            gui.frame(draw, mouse=(ox + x, oy + y))
        assert "le 1 ms: 16 req/s at T+03:20" in gui.ui.tooltip
    finally:
        gui.destroy()
