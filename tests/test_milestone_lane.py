"""The milestone lane under the event lane: its room in the layout, what it places (the
data's milestones hollow, the declared ones filled, brackets for the gaps, warning badges),
its instances, and the window's hover over it."""

from __future__ import annotations

import numpy as np
import pytest

from replay_viewer.app.chart_input import milestones_at
from replay_viewer.loader import parse_incident
from replay_viewer.render.burn_lane import burn_rule_instances
from replay_viewer.render.instances import ALWAYS, layout_instances, milestone_instances
from replay_viewer.render.layout import MILESTONE_LANE_PT, burn_lane_points, compute_layout
from replay_viewer.render.milestone_lane import milestone_lane
from replay_viewer.render.style import CIRCLE, DIAMOND, HEXAGON, MILESTONES, TRIANGLE

from .conftest import REPO, load_incident

CHECKOUT = REPO / "incidents" / "checkout-flag.yaml"
NO_THRESHOLDS = """
title: t
series:
  - {id: a, samples: [[0, 1], [60, 5]]}
events:
  - {at: 10, kind: detect, title: seen}
"""


@pytest.fixture(scope="module")
def checkout():
    return load_incident(CHECKOUT)


def test_the_lane_takes_room_only_with_thresholds(checkout):
    with_lane = compute_layout(checkout, 1280, 720)
    top, bottom = with_lane.milestone_lane
    assert bottom - top == MILESTONE_LANE_PT
    assert top > with_lane.event_lane_y  # right under the event lane, the same time axis
    plain = parse_incident(NO_THRESHOLDS)
    layout = compute_layout(plain, 1280, 720)
    assert layout.milestone_lane is None and milestone_lane(plain, layout) is None
    assert [len(a) for a in milestone_instances(plain, layout)] == [0, 0]
    # Without a lane the chart keeps the height it had before lanes existed (checkout-flag
    # also has SLOs: the budget-burn lane under this one).
    assert layout.chart.y1 - with_lane.chart.y1 == MILESTONE_LANE_PT + burn_lane_points(checkout)
    small = compute_layout(checkout, 800, 500, chrome=False)
    assert small.milestone_lane[1] <= 500


def test_what_the_lane_places_for_checkout_flag(checkout):
    layout = compute_layout(checkout, 1280, 720)
    lane = milestone_lane(checkout, layout)
    hollow = [(item.t, item.shape) for item in lane.items if item.hollow]
    # Per threshold (p95, page, budget): first breach, worst point, recovery.
    assert hollow == [(30.0, TRIANGLE), (190.0, DIAMOND), (260.0, CIRCLE),
                      (50.0, TRIANGLE), (160.0, DIAMOND), (220.0, CIRCLE),
                      (40.0, TRIANGLE), (160.0, DIAMOND), (270.0, CIRCLE)]  # fmt: skip
    filled = [(i.t, i.shape) for i in lane.items if not i.hollow and not i.warning]
    assert filled == [
        (50.0, DIAMOND),
        (190.0, HEXAGON),
        (360.0, CIRCLE),
    ]  # detect, mitigate, recover
    (badge,) = [item for item in lane.items if item.warning]
    assert badge.t == 540.0 and "says 9 min" in badge.text
    assert all(item.y == lane.glyph_y for item in lane.items if not item.warning)
    rows = {b.gap.name: (b.y, b.align, b.label_x) for b in lane.brackets}
    # The detection gap (20 s) is too short for its label: beside it, on the first row; the
    # mitigation gap overlaps it, so on the second row, its label on the line; the recovery
    # gap is clear of the first row's.
    assert rows["detection"][1] == 0.0 and rows["mitigation"][1] == 0.5
    assert rows["detection"][0] == rows["recovery"][0] < rows["mitigation"][0]
    assert rows["detection"][2] > layout.to_x(50.0)
    (detection,) = [b for b in lane.brackets if b.gap.name == "detection"]
    assert (detection.x0, detection.x1) == (layout.to_x(30.0), layout.to_x(50.0))


def test_lane_instances_hollow_rings_and_brackets(checkout):
    layout = compute_layout(checkout, 1280, 720)
    markers, rules = milestone_instances(checkout, layout)
    lane = milestone_lane(checkout, layout)
    assert len(markers) == len(lane.items)
    rings = markers["ring"]
    assert np.count_nonzero(rings) == 9  # the data's
    assert set(rings[rings > 0]) == {np.float32(MILESTONES.ring_width)}
    assert markers["time"][-1] == np.float32(ALWAYS)  # the warning, on top, never ghosted
    # A line and two ticks per bracket.
    assert len(rules) == 3 * len(lane.brackets) == 9
    everything, series_markers, all_rules, under = layout_instances(
        checkout, layout, [layout.axis_for(s.id) for s in checkout.series], {},
        [s.color for s in checkout.series])  # fmt: skip
    assert series_markers == 0 and under == 0  # nothing drawn, no panes, no spans
    assert np.array_equal(everything[-len(markers) :], markers)
    burn = burn_rule_instances(checkout, layout)  # checkout-flag's SLOs: the lane under it
    assert np.array_equal(all_rules[len(all_rules) - len(burn) - len(rules) : -len(burn)], rules)
    assert np.array_equal(all_rules[-len(burn) :], burn)


def test_a_zoomed_view_clips_brackets_and_drops_what_is_outside(checkout):
    layout = compute_layout(checkout, 1280, 720, view=(100.0, 300.0))
    lane = milestone_lane(checkout, layout)
    assert all(100.0 <= item.t <= 300.0 for item in lane.items)
    (mitigation,) = [b for b in lane.brackets if b.gap.name == "mitigation"]
    assert mitigation.x0 == layout.chart.x0  # the breach (T+00:30) is left of the view
    assert mitigation.ticks == (layout.to_x(190.0),)  # one tick: at the mitigation


def test_hovering_the_lane_names_the_glyph_and_warning(checkout):
    layout = compute_layout(checkout, 1280, 720)
    lane = milestone_lane(checkout, layout)
    pr = layout.pixel_ratio
    recovery = layout.to_x(360.0) / pr, lane.glyph_y / pr
    (item,) = milestones_at(checkout, layout, recovery)
    assert item.text == "recover 'p95 back under SLO': the declared recovery"
    names = [i.text for i in milestones_at(checkout, layout, (layout.to_x(30.0) / pr, recovery[1]))]
    assert names[0] == "p95 SLO 300 ms: first breach (over for 1m or more)"
    (badge,) = [i for i in lane.items if i.warning]
    (hit,) = milestones_at(checkout, layout, (badge.x / pr, badge.y / pr))
    assert hit.warning and hit.text.startswith("outcome 'Time to recovery' says 9 min")
    assert milestones_at(checkout, layout, (recovery[0], layout.event_lane_y / pr)) == []


def test_the_window_tooltip_tells_the_warning_and_a_click_jumps(checkout):
    from replay_viewer.app.state import AppState
    from replay_viewer.app.viewer import gui_viewer

    from .gui_driver import GuiDriver, RecordingActions

    state = AppState(clock=lambda: 50.0)
    state.set_incident(checkout, CHECKOUT, keep_time=False)
    gui = GuiDriver()
    try:

        def draw():
            gui_viewer(state, gui.ui, RecordingActions())

        def lay_out():
            width, height = gui.ui.chart_size
            gui.ui.chart_layout = compute_layout(checkout, int(width), int(height), chrome=False)

        gui.frame(draw)
        lay_out()
        layout = gui.ui.chart_layout
        (badge,) = [i for i in milestone_lane(checkout, layout).items if i.warning]
        ox, oy = gui.ui.chart_origin
        point = (ox + badge.x / layout.pixel_ratio, oy + badge.y / layout.pixel_ratio)
        for _ in range(2):
            gui.frame(draw, mouse=point)
        assert "outcome 'Time to recovery' says 9 min" in gui.ui.tooltip
        gui.click(draw, point, after=lay_out)
        assert state.t == 540.0
    finally:
        gui.destroy()
