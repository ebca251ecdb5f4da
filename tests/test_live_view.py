"""Live view (issue 20), the chart as the on-call saw it: only what was known at the
playhead exists. The data after it is not drawn (not even ghosted), the value axes fit the
data seen so far, events, spans and milestones appear when they become known, the text
does not give the end away, and a counter per threshold says how long it has been crossed
so far. The window's View ▸ Live view (V) and ``export --live`` (every kind of export)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from PIL import Image

from replay_viewer.analysis import compute_metrics
from replay_viewer.analysis.so_far import time_outside_until
from replay_viewer.describe import incident_facts
from replay_viewer.export import ExportSettings, render_export_frame
from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.render.geometry import RenderOptions, frame_uniform
from replay_viewer.render.instances import (
    layout_instances,
    milestone_instances,
    span_rule_instances,
    visible_events,
)
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.live import counter_lines, known_count, live_layout_holds
from replay_viewer.render.milestone_lane import milestone_lane
from replay_viewer.render.uniforms import RULE_CUT

from .conftest import BUNDLED, REPO
from .fleet_data import fleet_incident
from .test_export_commands import SMALL, cli

SPANS = """\
title: Spans
series:
  - id: p99
    unit: ms
    samples: [[-60, 80], [0, 80], [12, 2400], [300, 2300], [420, 900], [660, 190]]
thresholds:
  - {series: p99, value: 500, label: p99 SLO 500 ms}
events:
  - {at: 0, title: Deploy v2.4.1, kind: deploy, until: '01:30'}
  - {at: 100, title: HighErrorBudgetBurn, kind: alert, until: '11:10'}
  - {at: '05:00', title: Coalescing rollout, kind: mitigate, until: '07:00'}
  - {at: '09:00', title: Dashboards checked}
"""


@pytest.fixture(scope="module")
def stampede():
    return load_incident(BUNDLED)


@pytest.fixture(scope="module")
def spans():
    return parse_incident(SPANS)


# -- what exists at t (pure) ----------------------------------------------------------------


def test_nothing_after_the_playhead_is_laid_out(spans):
    t = 350.0
    layout = compute_layout(spans, 1280, 720, live=t)
    assert [e.title for e in visible_events(spans, layout)] == [
        "Deploy v2.4.1", "HighErrorBudgetBurn", "Coalescing rollout"]  # fmt: skip
    markers, series_markers, _rules, _ = layout_instances(spans, layout, [layout.axis_for("p99")],
                                                         {}, [(1, 0, 0)])  # fmt: skip
    glyphs = markers[series_markers:]
    assert len(glyphs) and (glyphs["time"] <= t).all(), "no event glyph after the playhead"
    bands = span_rule_instances(spans, layout)
    assert len(bands) == 6 and (bands["flags"] & RULE_CUT).all(), "spans stop at the playhead"
    assert not (span_rule_instances(spans, compute_layout(spans, 1280, 720))["flags"]
                & RULE_CUT).any(), "outside live view nothing is cut"  # fmt: skip
    lane = milestone_lane(spans, layout)
    assert all(item.t <= t for item in lane.items)
    assert frame_uniform(layout, t, RenderOptions(ghost=True))["ghost_alpha"] == 0.0


def test_milestones_appear_once_they_are_certain(spans):
    metrics = compute_metrics(spans)
    breach = metrics.thresholds[0].breach_at
    sustain = metrics.thresholds[0].sustain
    assert breach == 12.0

    def data_glyphs(t):
        lane = milestone_lane(spans, compute_layout(spans, 1280, 720, live=t))
        return [item.t for item in lane.items if item.hollow]

    assert data_glyphs(breach + sustain - 1) == [], "a breach is a breach once it has lasted"
    assert data_glyphs(breach + sustain) == [breach]
    checkout = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    after = milestone_lane(checkout, compute_layout(checkout, 1280, 720))
    late = milestone_lane(checkout, compute_layout(checkout, 1280, 720, live=checkout.end))
    assert any(item.warning for item in after.items)
    assert not any(item.warning for item in late.items), "warnings compare with all the data"
    markers, _ = milestone_instances(spans, compute_layout(spans, 1280, 720, live=30.0))
    assert len(markers) == 0 or (markers["time"] <= 30.0).all()


def test_the_axes_fit_the_data_seen_so_far(stampede):
    before = compute_layout(stampede, 1280, 720, live=10.0)
    after = compute_layout(stampede, 1280, 720, live=40.0)
    assert before.axes["left"].high == 250.0, "p99 ~80 ms and its 200 ms threshold so far"
    assert after.axes["left"].high == 2500.0, "the spike to 2,400 ms at T+00:15 is seen"
    assert before.axes["right"].low == 0 and before.axes["right"].high == 100, "pinned"
    assert before.live == 10.0 and compute_layout(stampede, 1280, 720).live is None


def test_a_live_layout_holds_until_something_becomes_known(stampede):
    layout = compute_layout(stampede, 1280, 720, live=100.0)
    assert live_layout_holds(stampede, layout, 100.0)
    assert live_layout_holds(stampede, layout, 101.0)
    next_event = next(e.at for e in stampede.events if e.at > 100.0)
    assert known_count(stampede, next_event) > known_count(stampede, 100.0)
    assert not live_layout_holds(stampede, layout, next_event)
    assert not live_layout_holds(stampede, layout, 5.0), "scrubbing back: the spike unseen"
    assert not live_layout_holds(stampede, compute_layout(stampede, 1280, 720), 100.0)


def test_the_counters_say_how_long_each_threshold_is_crossed_so_far(stampede):
    assert [line for line, _ in counter_lines(stampede, 0.0)] == [
        "p99 latency over 200 ms: not yet",
        "cache hit rate under 70.0 %: not yet",
    ]
    assert [line for line, _ in counter_lines(stampede, 120.0)] == [
        "p99 latency over 200 ms for 1m 45s so far",
        "cache hit rate under 70.0 % for 1m 40s so far",
    ]
    assert counter_lines(stampede, 120.0, frozenset({"p99"}))[0][0].startswith("cache hit")
    for m in compute_metrics(stampede).thresholds:  # at the end: the analysis' time over
        assert time_outside_until(stampede, m.threshold, stampede.end) == m.time_outside


def test_a_group_counter_reads_its_worst_member():
    fleet = fleet_incident()
    metrics = compute_metrics(fleet)
    for m in metrics.thresholds:
        assert time_outside_until(fleet, m.threshold, fleet.end) == pytest.approx(m.time_outside)
        assert time_outside_until(fleet, m.threshold, fleet.start) == 0.0
    line, _ = counter_lines(fleet, 600.0)[0]
    assert line.startswith("p99 by pod over")


def test_the_header_does_not_give_the_end_away(stampede):
    assert any(f.startswith("Duration") for f in incident_facts(stampede))
    live = incident_facts(stampede, live=True)
    assert not any(f.startswith("Duration") for f in live) and "Live view" in live[-1]


def test_live_export_settings_hide_the_ghost_and_lay_out_at_the_time():
    settings = ExportSettings(live=True)
    assert settings.render_options().ghost is False
    assert settings.layout_options(at=42.0)["live"] == 42.0
    assert "live" not in ExportSettings().layout_options(at=42.0)


# -- drawn (GPU) ------------------------------------------------------------------------------


def _future_removed(incident, t):
    """The incident as it was known at ``t``: the samples after it gaps, the events after
    it gone (same timeline and extents, so only the future differs)."""
    series = tuple(dataclasses.replace(s, values=np.where(s.times > t, np.nan, s.values))
                   for s in incident.series)  # fmt: skip
    events = tuple(e for e in incident.events if e.at <= t)
    return dataclasses.replace(incident, series=series, events=events)


@pytest.mark.gpu
def test_a_live_frame_does_not_depend_on_the_future(booted):
    from replay_viewer.render.boot import prepare_renderer

    incident, t = booted.incident, 130.0
    known = _future_removed(incident, t)
    frames = []
    for shown in (incident, known):
        renderer = prepare_renderer(booted.device, shown, 960, 540, 1.0, quality="standard",
                                    live=t)  # fmt: skip
        frames.append(renderer.render(t, RenderOptions(quality="standard"))[..., :3].astype(int))
    live, as_known = frames
    differ = np.abs(live - as_known).max(axis=2) > 3
    assert differ.mean() < 0.001, f"{differ.sum()} pixels depend on what came later"
    # Right of the playhead (and of the heads on it), the chart is background and grid:
    # no series colour there but the thresholds' dashed lines, which are known in advance.
    layout = renderer.layout
    x = int(layout.to_x(t)) + 16
    future = live[:, x : layout.chart.x1 - 140]
    rows = np.zeros(len(live), dtype=bool)
    rows[layout.chart.y0 + 2 : layout.chart.y1 - 2] = True
    for threshold in incident.thresholds:
        y = round(layout.axis_for(threshold.series_id).to_y(threshold.value))
        rows[y - 3 : y + 4] = False
    for series in incident.series:
        color = np.array(layout.palette.series_color(series.color)) * 255
        assert (np.abs(future[rows] - color).max(axis=-1) < 40).sum() == 0, series.id


@pytest.mark.gpu
def test_a_live_animation_lays_out_again_only_when_needed(booted):
    from replay_viewer.render.boot import prepare_renderer

    settings = ExportSettings(size=(480, 270), live=True)
    options = settings.layout_options(at=-60.0)
    renderer = prepare_renderer(booted.device, booted.incident, 480, 270, 1.0,
                                quality="standard", **options)  # fmt: skip
    layouts = set()
    for t in np.linspace(-60.0, 840.0, 40):
        render_export_frame(renderer, float(t), settings)
        layouts.add(id(renderer.layout))
        assert renderer.layout.live <= t
    assert 3 <= len(layouts) <= 30, "a layout per new known moment or axis fit, not per frame"


@pytest.mark.gpu
def test_export_live_for_a_frame_and_a_sequence(tmp_path, gpu_adapter):
    out = tmp_path / "live.png"
    result = cli("export", BUNDLED, "--live", "--at", "T+00:10", "-o", out, *SMALL)
    assert result.returncode == 0, result.stderr
    normal = tmp_path / "normal.png"
    assert cli("export", BUNDLED, "--at", "T+00:10", "-o", normal, *SMALL).returncode == 0
    live, ghosted = (np.asarray(Image.open(p).convert("RGB")).astype(int) for p in (out, normal))
    assert np.abs(live - ghosted).max() > 60, "the axes and the future differ"
    folder = tmp_path / "seq"
    result = cli("export", BUNDLED, "--live", "--frames", "3", "-o", folder, *SMALL)
    assert result.returncode == 0, result.stderr
    index = json.loads((folder / "frames.json").read_text(encoding="utf-8"))
    assert index["options"]["live"] is True and index["complete"]


@pytest.mark.gpu
def test_the_window_exports_live_view_as_it_shows_it(booted, tmp_path):
    from replay_viewer.app.export_control import WindowExport
    from replay_viewer.app.state import AppState
    from replay_viewer.export import EXPORT_QUALITY
    from replay_viewer.render.boot import prepare_renderer

    state = AppState(clock=lambda: 0.0)
    state.set_incident(booted.incident, None, keep_time=False)
    state.seek(200.0)
    state.toggle_live()
    state.export.folder, state.export.size = str(tmp_path), "640x360"
    written = WindowExport(booted.device).export_frame(state)
    assert written is not None
    reference = prepare_renderer(booted.device, booted.incident, 640, 360, 1.0,
                                 quality=EXPORT_QUALITY, live=200.0)  # fmt: skip
    expected = reference.render(200.0, RenderOptions(ghost=False, quality=EXPORT_QUALITY))
    assert np.array_equal(np.asarray(Image.open(written).convert("RGB")), expected[..., :3])
