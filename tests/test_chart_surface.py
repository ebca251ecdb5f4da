"""The window's chart shows a scrub in the same frame: the GUI pass changes the state, then
the chart is rendered for it before anything is presented (no frame of lag)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replay_viewer.app.chart_surface import ChartSurface
from replay_viewer.app.state import AppState
from replay_viewer.app.viewer import gui_viewer
from replay_viewer.render.boot import prepare_renderer
from replay_viewer.render.targets import read_pixels

from .gui_driver import GuiDriver, RecordingActions

pytestmark = pytest.mark.gpu


def playhead_columns(pixels: np.ndarray, layout) -> set[int]:
    """Columns of the chart that are nearly white over most of its height."""
    chart = layout.chart
    inner = pixels[chart.y0 : chart.y1, chart.x0 : chart.x1, :3].astype(int)
    bright = (inner.min(axis=2) > 200).mean(axis=0) > 0.8
    return {chart.x0 + int(x) for x in np.flatnonzero(bright)}


def test_a_click_on_the_chart_shows_in_the_same_frame(booted):
    incident = booted.incident
    state = AppState(clock=lambda: 0.0)
    state.set_incident(incident, None, keep_time=False)
    renderer = prepare_renderer(booted.device, incident, 64, 64, 1.0, quality="standard")
    shown = []
    surface = ChartSurface(renderer, shown.append)
    gui = GuiDriver(size=(1200, 760))
    actions = RecordingActions()
    textures = []

    def draw():
        gui_viewer(state, gui.ui, actions)

    def after_gui_pass():  # what the window does between the GUI pass and presenting
        surface.update(state, gui.ui, 1.0, "standard")
        textures.append(read_pixels(booted.device, shown[-1]))

    try:
        gui.frame(draw)
        after_gui_pass()
        layout = gui.ui.chart_layout
        before = playhead_columns(textures[-1], layout)
        assert before == {math.floor(layout.to_x(incident.start))}
        x = layout.chart.x0 + 0.7 * layout.chart.width
        point = (gui.ui.chart_origin[0] + x, gui.ui.chart_origin[1] + layout.chart.y0 + 30)
        gui.frame(draw, mouse=point)
        after_gui_pass()
        gui.frame(draw, button=True)  # the press: this GUI pass scrubs…
        assert state.t == pytest.approx(layout.to_t(x), abs=1 / layout.time_scale)
        after_gui_pass()  # …and this frame's chart already shows it
        columns = playhead_columns(textures[-1], layout)
        assert math.floor(layout.to_x(state.t)) in columns
        assert not before & columns
    finally:
        gui.destroy()


def test_window_exports_show_what_the_window_shows(booted, tmp_path):
    from PIL import Image

    from replay_viewer.app.export_control import WindowExport
    from replay_viewer.export import EXPORT_QUALITY
    from replay_viewer.render.geometry import RenderOptions

    state = AppState(clock=lambda: 0.0)
    state.set_incident(booted.incident, None, keep_time=False)
    state.seek(200.0)
    state.select_view(120.0, 300.0)
    state.toggle_series("hit_rate")
    state.export.folder, state.export.size = str(tmp_path), "640x360"
    written = WindowExport(booted.device).export_frame(state)
    assert written is not None and written.parent == tmp_path
    reference = prepare_renderer(booted.device, booted.incident, 640, 360, 1.0,
                                 quality=EXPORT_QUALITY, view=(120.0, 300.0), autoscale=True,
                                 hidden=frozenset({"hit_rate"}))  # fmt: skip
    expected = reference.render(200.0, RenderOptions(quality=EXPORT_QUALITY))[..., :3]
    assert np.array_equal(np.asarray(Image.open(written).convert("RGB")), expected)
