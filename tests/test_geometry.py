"""Pure geometry: what the GPU is told, computed and checked without a GPU."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.render.columns import drawn_samples
from replay_viewer.render.geometry import RenderOptions, calibrate_spotlight, frame_uniform
from replay_viewer.render.instances import marker_instances, rule_instances
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.series_geometry import (
    head_records,
    line_point,
    normalisation,
    pack_series,
    series_colors,
)
from replay_viewer.render.style import DENSE, MARKERS, RULES, SPOTLIGHT
from replay_viewer.render.uniforms import GAP_VALUE, NO_HEAD, RULE_HOVER, RULE_PLAYHEAD

from .conftest import BUNDLED


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


@pytest.fixture(scope="module")
def layout(incident):
    return compute_layout(incident, 1280, 720)


def axes_of(incident, layout):
    return [layout.axis_for(series.id) for series in incident.series]


def drawn_of(incident, layout):
    return {
        index: drawn_samples(series.times, series.values, layout.t_start, layout.t_end,
                             layout.chart.width, has_gaps=series.has_gaps)
        for index, series in enumerate(incident.series)
    }  # fmt: skip


def test_frame_uniform_playhead_ghost_and_heads(incident, layout):
    axes = axes_of(incident, layout)
    data = frame_uniform(layout, 157.5, RenderOptions(ghost=False))
    assert data["playhead_x"] == pytest.approx(math.floor(layout.to_x(157.5)) + 0.5)
    assert data["ghost_alpha"] == 0.0
    assert data["hover_x"] < 0
    p99 = incident.series[0]
    _, value = line_point(p99.times, p99.values, 157.5)
    head = head_records(incident, layout, axes, 157.5, ())[0]
    assert head["visible"] == 1.0 and head["emphasis"] == 0.0
    assert head["position"][0] == pytest.approx(layout.to_x(157.5), abs=1e-3)
    assert head["position"][1] == pytest.approx(axes[0].to_y(value), abs=1e-2)
    ghosted = frame_uniform(layout, 157.5, RenderOptions(ghost=True))
    assert ghosted["ghost_alpha"] == pytest.approx(RULES.ghost_strength)


def test_hidden_series_have_no_head(incident):
    layout = compute_layout(incident, 1280, 720, hidden=frozenset({"p99"}))
    heads = head_records(incident, layout, axes_of(incident, layout), 157.5, ())
    assert list(heads["visible"]) == [0.0, 1.0]


def test_playhead_stays_inside_the_chart(incident, layout):
    for t in (incident.start - 100, incident.end + 100):
        x = float(frame_uniform(layout, t, RenderOptions())["playhead_x"])
        assert layout.chart.x0 < x < layout.chart.x1


def test_hover_moves_crosshair_and_spotlight_only_inside(incident, layout):
    inside = (layout.chart.x0 + 50.25, layout.chart.y0 + 20)
    data = frame_uniform(layout, 0, RenderOptions(hover=inside))
    assert data["hover_x"] == math.floor(inside[0]) + 0.5
    assert tuple(data["spot_center"]) == pytest.approx(inside)
    outside = (5.0, 5.0)
    data = frame_uniform(layout, 0, RenderOptions(hover=outside))
    assert data["hover_x"] < 0


def test_markers_series_first_events_on_their_lane(incident, layout):
    markers, series_count = marker_instances(
        incident, layout, axes_of(incident, layout), drawn_of(incident, layout),
        series_colors(incident),
    )  # fmt: skip
    events = markers[series_count:]
    assert len(events) == len(incident.events)
    assert np.all(events["position"][:, 1] == layout.event_lane_y)
    assert np.all(events["head"] == NO_HEAD)
    heads = markers[:series_count][markers[:series_count]["head"] >= 0]
    assert sorted(heads["head"]) == list(range(len(incident.series)))
    assert np.all(heads["radius"] == MARKERS.head_radius)
    assert np.isfinite(markers["position"]).all()


def test_rules_end_with_playhead_and_crosshair(incident, layout):
    rules = rule_instances(incident, layout)
    assert list(rules["flags"][-2:]) == [RULE_PLAYHEAD, RULE_HOVER]
    plain = rules[rules["flags"] == 0]
    thresholds = plain[np.isclose(plain["width"], RULES.threshold_width)]
    assert len(thresholds) == len(incident.thresholds)
    assert np.all(thresholds["dash"][:, 0] == RULES.threshold_dash[0])


def test_spotlight_scales_with_the_chart_within_bounds(incident):
    small = calibrate_spotlight(compute_layout(incident, 400, 300))
    large = calibrate_spotlight(compute_layout(incident, 4000, 2000))
    hidpi = calibrate_spotlight(compute_layout(incident, 800, 600, 2.0))
    assert small.radius_px == SPOTLIGHT.min_radius
    assert large.radius_px == SPOTLIGHT.max_radius
    assert hidpi.radius_px >= 2 * SPOTLIGHT.min_radius
    assert small.falloff == SPOTLIGHT.falloff and small.intensity == SPOTLIGHT.intensity


def test_sample_markers_only_where_samples_are_far_apart(incident):
    # The bundled incident samples every 5 s: about 6 px apart at 1280 px, so no markers;
    # zoomed to two minutes they are ~50 px apart and each sample gets one (the sparse
    # stride of about one per MARKERS.sample_spacing points is 1 there).
    wide = compute_layout(incident, 1280, 720)
    colors = series_colors(incident)
    drawn = drawn_of(incident, wide)
    markers, count = marker_instances(incident, wide, axes_of(incident, wide), drawn, colors)
    assert not (markers[:count]["head"] == NO_HEAD).any()
    zoomed = compute_layout(incident, 1280, 720, view=(60.0, 180.0))
    drawn = drawn_of(incident, zoomed)
    markers, count = marker_instances(incident, zoomed, axes_of(incident, zoomed), drawn, colors)
    samples = markers[:count][markers[:count]["head"] == NO_HEAD]
    in_view = sum(int(((s.times >= 60) & (s.times <= 180)).sum()) for s in incident.series)
    assert len(samples) == in_view
    spacing = 5 * zoomed.time_scale
    assert spacing >= DENSE.marker_min_spacing


def test_normalised_samples_keep_detail_and_mark_gaps():
    incident = parse_incident(
        "title: t\nseries:\n  - id: a\n    samples: [[0, 1000000000], [1, null], [2, 1000000100]]\n"
    )
    layout = compute_layout(incident, 640, 400)
    norm = normalisation(incident.series[0])
    assert norm.low == 1e9 and norm.span == 100
    packed = pack_series(incident, layout, axes_of(incident, layout), drawn_of(incident, layout),
                         [norm])  # fmt: skip
    points = packed.points
    assert points["v"].dtype == np.float32
    assert points["v"][1] == np.float32(GAP_VALUE)
    assert points["v"][2] == 1.0 and points["v"][0] == 0.0
    assert list(points["series"]) == [0, 0, 0]
    assert packed.ranges == {0: (0, 3)}
