"""Y axes follow the zoom (issue 20): zoomed with autoscale, each value axis fits the data
in view (thresholds kept, a pinned ``range:`` kept, percentages up to 100, hidden series
left out), moving there over 150 ms; ``A`` and View ▸ Autoscale toggle it; ``export
--range`` fits too, ``--no-autoscale`` keeps the whole incident's axes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from replay_viewer.app.axis_motion import AXIS_MOTION_S, AxisMotion
from replay_viewer.app.keymap import dispatch_key
from replay_viewer.app.state import AppState
from replay_viewer.export import ExportSettings
from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.model import Incident, Series
from replay_viewer.render.axis_fit import BLOCK, fit_window, window_extent
from replay_viewer.render.layout import compute_layout

from .conftest import BUNDLED
from .gui_driver import RecordingActions
from .test_export_commands import SMALL, cli


@pytest.fixture(scope="module")
def stampede():
    return load_incident(BUNDLED)


def ranges(layout) -> dict:
    return {name: (axis.low, axis.high) for name, axis in layout.axes.items()}


def labels(layout, name="left") -> list[str]:
    return [tick.label for tick in layout.axes[name].ticks]


# -- the fit (pure) -------------------------------------------------------------------------


def test_a_window_extent_is_its_samples_and_the_line_at_its_edges():
    series = Series("a", "a", "ms", (1, 0, 0), "left", None, [0, 10, 20, 30], [0, 100, 50, 0])
    assert window_extent(series, 10, 20) == (50, 100)
    assert window_extent(series, 5, 15) == (50, 100), "the line at 5 s is 50, at 15 s 75"
    assert window_extent(series, 2, 4) == (20, 40), "between two samples: the line only"
    assert window_extent(series, 40, 50) is None and window_extent(series, 20, 10) is None
    gap = Series("g", "g", "ms", (1, 0, 0), "left", None, [0, 10, 20], [1, np.nan, 3])
    assert window_extent(gap, 9, 11) is None, "in a gap nothing is drawn"


def test_the_block_index_agrees_with_a_scan():
    rng = np.random.default_rng(7)
    count = 40 * BLOCK + 123
    values = np.cumsum(rng.normal(0, 1, count))
    values[rng.integers(0, count, 500)] = np.nan
    values[5 * BLOCK : 7 * BLOCK] = np.nan  # whole blocks of gaps
    times = np.arange(count, dtype=float)
    series = Series("d", "d", "ms", (1, 0, 0), "left", None, times, values)
    for _ in range(30):
        a, b = sorted(rng.uniform(0, count, 2))
        inside = values[(times >= a) & (times <= b)]
        low, high = window_extent(series, a, b)
        assert low <= np.nanmin(inside) and high >= np.nanmax(inside)
        assert low >= np.nanmin(inside) - 5 and high <= np.nanmax(inside) + 5  # the edges


def test_the_window_is_the_zoom_with_autoscale_and_the_past_in_live_view():
    full, view = (0.0, 100.0), (20.0, 40.0)
    assert fit_window(full, view, autoscale=False, live=None) is None
    assert fit_window(full, view, autoscale=True, live=None) == view
    assert fit_window(full, None, autoscale=True, live=None) is None
    assert fit_window(full, view, autoscale=True, live=30.0) == (20.0, 30.0)
    assert fit_window(full, view, autoscale=False, live=30.0) == (0.0, 30.0)


def test_zoomed_axes_fit_the_data_in_view(stampede):
    whole = compute_layout(stampede, 1280, 720, view=(660.0, 840.0))
    fitted = compute_layout(stampede, 1280, 720, view=(660.0, 840.0), autoscale=True)
    assert ranges(whole)["left"] == (0.0, 2500.0), "without autoscale: the whole incident's"
    low, high = ranges(fitted)["left"]
    p99 = stampede.series_by_id("p99")
    visible = p99.values[(p99.times >= 660) & (p99.times <= 840)]
    assert low <= visible.min() and visible.max() <= high and high - low < 200
    assert labels(fitted) != labels(whole)
    assert fitted.autoscale and not whole.autoscale
    unzoomed = compute_layout(stampede, 1280, 720, autoscale=True)
    assert ranges(unzoomed) == ranges(compute_layout(stampede, 1280, 720)), "not zoomed: as ever"


def test_thresholds_stay_in_view_and_a_pinned_range_stays(stampede):
    calm = compute_layout(stampede, 1280, 720, view=(-60.0, 0.0), autoscale=True)
    _low, high = ranges(calm)["left"]
    assert high >= 200 > 100, "p99 is ~80 ms before the deploy; its 200 ms threshold stays"
    assert high < 400
    assert ranges(calm)["right"] == (0.0, 100.0), "hit rate's range: [0, 100] is pinned"


def test_percentages_stop_at_100_and_hidden_series_leave_the_fit():
    incident = parse_incident(
        "title: t\nseries:\n"
        "  - {id: cpu, unit: '%', samples: [[0, 40], [10, 96], [20, 99.5], [30, 50]]}\n"
        "  - {id: mem, unit: '%', samples: [[0, 20], [10, 21], [20, 22], [30, 23]]}\n"
    )
    zoomed = compute_layout(incident, 1280, 720, view=(10.0, 20.0), autoscale=True)
    low, high = ranges(zoomed)["left"]
    assert high == 100.0 and low <= 21
    alone = compute_layout(incident, 1280, 720, view=(10.0, 20.0), autoscale=True,
                           hidden=frozenset({"mem"}))  # fmt: skip
    low, high = ranges(alone)["left"]
    assert 90 <= low < 96 and high == 100.0, "mem hidden: the axis fits cpu alone"


def test_stacked_panes_fit_each_pane():
    incident = parse_incident(
        "title: t\nseries:\n"
        "  - {id: a, unit: ms, samples: [[0, 10], [10, 1000], [20, 12], [30, 11]]}\n"
        "  - {id: b, unit: rps, samples: [[0, 5], [10, 6], [20, 500], [30, 7]]}\n"
        "  - {id: c, unit: '%', samples: [[0, 50], [30, 60]]}\n"
    )
    whole = compute_layout(incident, 1280, 720)
    zoomed = compute_layout(incident, 1280, 720, view=(25.0, 30.0), autoscale=True)
    assert set(zoomed.axes) == {"pane0", "pane1", "pane2"}
    assert zoomed.axes["pane0"].high < whole.axes["pane0"].high / 10, "a's spike is out of view"
    assert zoomed.axes["pane1"].high < whole.axes["pane1"].high, "b falls from 500 to 7"


def test_given_ranges_replace_the_fit(stampede):
    layout = compute_layout(stampede, 1280, 720, ranges={"left": (0.0, 1234.0)})
    assert ranges(layout)["left"] == (0.0, 1234.0)
    assert ranges(layout)["right"] == (0.0, 100.0)
    assert all(0 <= tick.value <= 1234 for tick in layout.axes["left"].ticks)


# -- moving there (app state, injected clock) --------------------------------------------


def test_the_axes_move_over_150_ms_with_an_ease_out():
    motion = AxisMotion()
    motion.aim({"left": (0.0, 2500.0)}, None, 10.0, animate=True)
    assert motion.ranges(10.0) is None, "nothing shown yet: straight there"
    motion.aim({"left": (0.0, 500.0)}, {"left": (0.0, 2500.0)}, 20.0, animate=True)
    assert motion.moving(20.0) and motion.ranges(20.0) == {"left": (0.0, 2500.0)}
    middle = motion.ranges(20.0 + AXIS_MOTION_S / 2)["left"][1]
    assert 500 < middle < 1500, "past half way at half time (ease-out)"
    assert motion.ranges(20.0 + AXIS_MOTION_S + 1e-6) is None and not motion.moving(20.2)
    assert motion.target == {"left": (0.0, 500.0)}
    # A new aim while moving sets out from where the axes are.
    motion.aim({"left": (0.0, 200.0)}, {"left": (0.0, 1000.0)}, 30.0, animate=True)
    assert motion.ranges(30.0) == {"left": (0.0, 1000.0)}
    motion.aim({"left": (0.0, 900.0)}, {"left": (0.0, 200.0)}, 40.0, animate=False)
    assert motion.ranges(40.0) is None and motion.target == {"left": (0.0, 900.0)}


def test_a_and_v_toggle_autoscale_and_live_view(stampede):
    state = AppState(clock=lambda: 5.0)
    state.set_incident(stampede, BUNDLED, keep_time=False)
    assert state.autoscale and not state.live
    actions = RecordingActions()
    assert dispatch_key("a", (), state, actions).keys == "A"
    assert not state.autoscale and "Autoscale off" in state.status_now()
    assert dispatch_key("v", (), state, actions).keys == "V"
    assert state.live and "Live view" in state.status_now()
    assert actions.calls == []


# -- exports --------------------------------------------------------------------------------


def test_export_settings_carry_autoscale_to_the_layout(stampede):
    zoom = (360.0, 720.0)
    on = ExportSettings(view=zoom).layout_options()
    off = ExportSettings(view=zoom, autoscale=False).layout_options()
    assert on["autoscale"] and not off["autoscale"] and "live" not in on
    fitted, whole = (compute_layout(stampede, 1280, 720, **options) for options in (on, off))
    assert labels(whole) == ["0", "500", "1,000", "1,500", "2,000", "2,500"]
    assert labels(fitted) != labels(whole) and fitted.axes["left"].high < 2500


@pytest.mark.gpu
def test_export_range_fits_the_axes_unless_no_autoscale(tmp_path, gpu_adapter):
    outputs = {}
    for name, extra in (("fitted", ()), ("whole", ("--no-autoscale",))):
        out = tmp_path / f"{name}.png"
        result = cli("export", BUNDLED, "--range", "T+06:00..T+12:00", "--at", "T+09:00",
                     "-o", out, *extra, *SMALL)  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs[name] = np.asarray(Image.open(out).convert("RGB")).astype(int)
    fitted, whole = outputs["fitted"], outputs["whole"]
    assert fitted.shape == whole.shape
    # The left axis' labels differ (0…2,500 against the range's own), the rest of the
    # frame's chrome (header, time axis) is the same.
    width = fitted.shape[1]
    left_labels = np.abs(fitted[:, : width // 12] - whole[:, : width // 12]).sum(axis=2) > 60
    assert left_labels.sum() > 50
    header = np.abs(fitted[:20] - whole[:20]).max()
    assert header == 0


@pytest.mark.gpu
def test_a_sequence_index_records_autoscale_with_a_range(tmp_path, gpu_adapter):
    out = tmp_path / "seq"
    result = cli("export", BUNDLED, "--range", "T+06:00..T+12:00", "--frames", "2",
                 "--no-autoscale", "-o", out, *SMALL)  # fmt: skip
    assert result.returncode == 0, result.stderr
    options = json.loads((out / "frames.json").read_text(encoding="utf-8"))["options"]
    assert options["range"] == [360.0, 720.0] and options["autoscale"] is False
    resumed = cli("export", BUNDLED, "--range", "T+06:00..T+12:00", "--frames", "2",
                  "-o", out, "--resume", *SMALL)  # fmt: skip
    assert resumed.returncode == 2 and "autoscale" in resumed.stderr, "other axes: refused"


# -- the window's chart (GPU): the axes move, the series' drawing is kept --------------------


@pytest.mark.gpu
def test_the_window_moves_the_axes_and_keeps_the_series_drawing(booted):
    from replay_viewer.app.chart_surface import ChartSurface
    from replay_viewer.render.boot import prepare_renderer

    from .gui_driver import GuiDriver

    now = [100.0]
    state = AppState(clock=lambda: now[0])
    state.set_incident(booted.incident, None, keep_time=False)
    renderer = prepare_renderer(booted.device, booted.incident, 64, 64, 1.0, quality="standard")
    surface = ChartSurface(renderer, lambda texture: None)
    gui = GuiDriver(size=(1000, 600))
    gui.ui.chart_size = (900, 500)
    surface.update(state, gui.ui, 1.0, "standard")
    assert ranges(renderer.layout)["left"] == (0.0, 2500.0)
    state.select_view(660.0, 840.0)
    surface.update(state, gui.ui, 1.0, "standard")
    assert renderer.layout.view == (660.0, 840.0)
    assert ranges(renderer.layout)["left"] == (0.0, 2500.0), "the zoom's first frame: as was"
    drawn = renderer.series.drawn
    now[0] += AXIS_MOTION_S / 2
    surface.update(state, gui.ui, 1.0, "standard")
    halfway = ranges(renderer.layout)["left"]
    assert 220 < halfway[1] < 2500 and 0 < halfway[0] < 100
    assert renderer.series.drawn is drawn, "moving axes draw no envelopes again"
    now[0] += AXIS_MOTION_S
    surface.update(state, gui.ui, 1.0, "standard")
    target = ranges(compute_layout(booted.incident, 900, 500, chrome=False, view=(660.0, 840.0),
                                   autoscale=True))["left"]  # fmt: skip
    assert ranges(renderer.layout)["left"] == target and not state.axes.moving(now[0])
    assert renderer.series.drawn is drawn
    state.toggle_autoscale()  # A: back to the whole incident's axes, moving there too
    surface.update(state, gui.ui, 1.0, "standard")
    assert state.axes.moving(now[0]) and state.axes.target["left"] == (0.0, 2500.0)


def test_a_dense_series_fits_without_a_pass_over_it():
    count = 2_000_000
    times = np.arange(count, dtype=float)
    values = np.sin(times / 5000.0) * 100
    series = Series("d", "d", "ms", (1, 0, 0), "left", None, times, values)
    incident = Incident("d", "d", (series,), 0.0, float(count - 1))
    layout = compute_layout(incident, 1280, 720, view=(0.0, 2000.0), autoscale=True)
    _low, high = ranges(layout)["left"]
    assert high < 50, "the first 2,000 samples reach sin(0.4) * 100 = 39"
