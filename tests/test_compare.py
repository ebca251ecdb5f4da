"""``compare A B`` and ``export A --compare B``: the overlay as a pure function (aligned times,
renamed series, colour families, B's events faint and out of A's milestones, units), the
exports drawing it, and the baseline's ghost line and worse band in rendered pixels."""

from __future__ import annotations

import colorsys
import dataclasses

import numpy as np
import pytest
from PIL import Image

from replay_viewer.analysis import compute_metrics
from replay_viewer.compare import overlay
from replay_viewer.errors import UsageError
from replay_viewer.loader import load_incident
from replay_viewer.render.value_axes import axis_groups

from .conftest import DATA, REPO
from .test_export_commands import cli

FIRST = REPO / "incidents" / "checkout-flag.yaml"
AGAIN = DATA / "compare" / "checkout-recurrence.yaml"


@pytest.fixture(scope="module")
def pair():
    return load_incident(FIRST), load_incident(AGAIN)


def hue(color) -> float:
    return colorsys.rgb_to_hls(*color)[0] * 360


def test_overlay_at_t0_renames_and_colours_by_incident(pair):
    a, b = pair
    both = overlay(a, b)
    assert [s.id for s in both.series] == ["p95", "errors", "b-p95", "b-errors"]
    assert [s.label for s in both.series] == [
        "A: p95 latency", "A: 5xx rate", "B: p95 latency", "B: 5xx rate"
    ]  # fmt: skip
    assert both.series[2].times is b.series[0].times  # T+0 on T+0: nothing moved
    warm = [hue(s.color) for s in both.series[:2]]
    cool = [hue(s.color) for s in both.series[2:]]
    assert all(h > 330 or h < 40 for h in warm), warm  # rose to orange
    assert all(170 < h < 240 for h in cool), cool  # cyan to blue
    assert both.thresholds == a.thresholds and both.title == a.title
    assert both.subtitle == "vs Checkout latency again (flag v2) (15 Jul 2025) · aligned at T+0"
    assert both.series[0].baseline is a.series[0].baseline  # A's baseline kept
    assert AGAIN.resolve() in [p.resolve() for p in both.data_files]  # a window watches B


def test_b_events_are_faint_renamed_and_not_a_milestones(pair):
    a, b = pair
    both = overlay(a, b)
    mine = [e for e in both.events if not e.dim]
    theirs = [e for e in both.events if e.dim]
    assert mine == list(a.events) and len(theirs) == len(b.events)
    assert all(e.title.startswith("B: ") and e.line == 0 for e in theirs)
    assert [e.at for e in both.events] == sorted(e.at for e in both.events)
    assert compute_metrics(both).detection == compute_metrics(a).detection


def test_align_at_the_first_detect_or_deploy(pair):
    a, b = pair
    moved = overlay(a, b, "detect")  # A detects at T+00:50, B at T+01:10
    np.testing.assert_array_equal(moved.series[2].times, b.series[0].times - 20)
    detects = [e.at for e in moved.events if e.kind == "detect"]
    assert detects == [50.0, 50.0]
    assert moved.subtitle.endswith("aligned at the first detect (B 20s earlier)")
    assert moved.start == -140.0  # B's data from T-02:20 now
    assert overlay(a, b, "deploy").series[2].times is b.series[0].times  # both at T+0
    quiet = dataclasses.replace(b, events=tuple(e for e in b.events if e.kind != "deploy"))
    with pytest.raises(UsageError, match=r"--align deploy: B \(checkout-recurrence.yaml\) has "
                       r"no 'deploy' event to line up on; use --align t0"):  # fmt: skip
        overlay(a, quiet, "deploy")


def test_units_that_differ_get_their_own_axes_with_a_note(pair):
    a, b = pair
    seconds = dataclasses.replace(b, series=(dataclasses.replace(b.series[0], unit="s"),))
    both = overlay(dataclasses.replace(a, series=a.series[:1], thresholds=()), seconds)
    assert both.warnings[-1] == (
        "compare: 'p95' is in ms in A and in s in B: each is drawn on its own axis"
    )
    groups = {name: [s.unit for s in members] for name, members in axis_groups(both)}
    assert groups == {"left": ["ms"], "right": ["s"]}


def test_histograms_of_both_come_along_renamed_and_moved():
    from replay_viewer.compare import alignment_offset

    first, heat = load_incident(FIRST), load_incident(REPO / "incidents" / "latency-heatmap.yaml")
    later = tuple(dataclasses.replace(e, at=60.0) if e.kind == "deploy" else e
                  for e in heat.events)  # fmt: skip
    heat = dataclasses.replace(heat, events=later)  # its deploy a minute after T+0
    both = overlay(first, heat, "deploy")  # B has the heatmap, A none
    offset = alignment_offset(first, heat, "deploy")
    assert offset == -60.0
    (b_heat,) = both.histograms
    assert b_heat.id == f"b-{heat.histograms[0].id}" and b_heat.label.startswith("B: ")
    np.testing.assert_array_equal(b_heat.times, heat.histograms[0].times + offset)
    quantiles = [s for s in both.series if s.histogram]
    assert quantiles and all(s.histogram == b_heat.id for s in quantiles)
    twice = overlay(heat, heat)
    ids = [h.id for h in twice.histograms]
    assert ids == [heat.histograms[0].id, f"b-{heat.histograms[0].id}"]
    assert {s.histogram for s in twice.series if s.histogram} == set(ids)
    assert len(axis_groups(twice)) == len(axis_groups(heat)) + 1  # B's heatmap: its own pane


def test_align_needs_compare(tmp_path):
    result = cli("export", FIRST, "--align", "detect", "-o", tmp_path / "x.png")
    assert result.returncode == 2 and "give --compare B.yaml" in result.stderr


# -- rendered -----------------------------------------------------------------------------------


@pytest.mark.gpu
def test_export_compare_draws_both_incidents(tmp_path, gpu_adapter):
    out = tmp_path / "both.png"
    result = cli("export", FIRST, "--compare", AGAIN, "--align", "detect", "--at", "T+03:00",
                 "--size", "960x540", "-o", out)  # fmt: skip
    assert result.returncode == 0, result.stderr
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    cyan = np.array([34, 211, 238])  # B's family
    assert (np.abs(pixels - cyan).max(axis=-1) < 50).sum() > 300
    folder = tmp_path / "frames"
    sequence = cli("export", FIRST, "--compare", AGAIN, "--frames", "2", "--size", "480x270",
                   "-o", folder)  # fmt: skip
    assert sequence.returncode == 0, sequence.stderr
    assert len(list(folder.glob("*.png"))) == 2
    # B with a heatmap (its histograms came along): a frame, not an internal error.
    heat = cli("export", FIRST, "--compare", REPO / "incidents" / "latency-heatmap.yaml",
               "--size", "480x270", "-o", tmp_path / "heat.png")  # fmt: skip
    assert heat.returncode == 0, heat.stderr


@pytest.mark.gpu
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_baseline_line_and_worse_band_in_pixels(booted, theme):
    from replay_viewer.render.boot import prepare_renderer
    from replay_viewer.render.renderer import RenderOptions

    incident = load_incident(FIRST)
    bare = dataclasses.replace(incident, series=tuple(
        dataclasses.replace(s, baseline=None) for s in incident.series))  # fmt: skip
    frames = []
    for each in (incident, bare):
        renderer = prepare_renderer(booted.device, each, 1280, 720, 1.0, quality="high",
                                    theme=theme)  # fmt: skip
        frames.append(renderer.render(300.0, RenderOptions(quality="high"))[..., :3].astype(int))
    layout, axis = renderer.layout, renderer.layout.axis_for("p95")
    with_baseline, without = frames
    changed = np.abs(with_baseline - without).max(axis=-1) > 24
    # The ghost line along the baseline (about 112 ms) from T-01:30 to T+00:20, dashed: some
    # columns changed and some not.
    row = round(axis.to_y(112.0))
    columns = slice(round(layout.to_x(-90.0)), round(layout.to_x(20.0)))
    along = changed[row - 3 : row + 4, columns].any(axis=0)
    assert 0.3 < along.mean() < 0.95, along.mean()
    # The band where p95 is over its baseline: at T+02:40 (p95 919 ms) from 150 to 850 ms.
    x = round(layout.to_x(160.0))
    band = changed[round(axis.to_y(850.0)) : round(axis.to_y(150.0)), x - 2 : x + 3]
    assert band.mean() > 0.9
    # …and none before the push, where p95 sits on its baseline, far above it.
    x = round(layout.to_x(-60.0))
    assert not changed[round(axis.to_y(900.0)) : round(axis.to_y(300.0)), x].any()


def test_the_crosshair_tooltip_reads_vs_baseline():
    from replay_viewer.app.state import AppState
    from replay_viewer.app.viewer import gui_viewer
    from replay_viewer.render.layout import compute_layout

    from .gui_driver import GuiDriver, RecordingActions

    state = AppState(clock=lambda: 50.0)
    state.set_incident(load_incident(FIRST), None, keep_time=False)
    state.seek(160.0)
    gui = GuiDriver()
    try:
        actions = RecordingActions()
        gui.frame(lambda: gui_viewer(state, gui.ui, actions))
        width, height = gui.ui.chart_size
        gui.ui.chart_layout = layout = compute_layout(state.incident, int(width), int(height),
                                                      chrome=False)  # fmt: skip
        x = layout.to_x(165.0) / layout.pixel_ratio + gui.ui.chart_origin[0]
        y = (layout.chart.y0 + layout.chart.y1) / 2 / layout.pixel_ratio + gui.ui.chart_origin[1]
        for _ in range(3):
            gui.frame(lambda: gui_viewer(state, gui.ui, actions), mouse=(x, y))
    finally:
        gui.destroy()
    # At T+02:45 p95 is 919 ms (the sample at T+02:40) against 115 ms a week earlier.
    assert "p95 latency: 919 ms  vs baseline: +804 ms (×8.0)" in gui.ui.tooltip
    assert "5xx rate: 14.5 req/s" in gui.ui.tooltip and "5xx rate: 14.5 req/s  vs" not in (
        gui.ui.tooltip
    )
