"""Events with durations (``until``): read and checked by the loader, drawn as a band over
the chart in their kind's colour with the title at its top edge, listed with their
duration in the Timeline panel, and named in the readouts while open at the playhead."""

from __future__ import annotations

import numpy as np
import pytest

from replay_viewer.app.side_panels import gui_timeline
from replay_viewer.app.state import AppState
from replay_viewer.describe import event_heading, open_spans_line, short_duration
from replay_viewer.loader import parse_incident
from replay_viewer.render.geometry import RenderOptions
from replay_viewer.render.instances import span_rule_instances, visible_spans
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.style import EVENT_STYLE

from .gui_driver import GuiDriver

INCIDENT = """\
title: Spans
series:
  - id: p99
    unit: ms
    samples: [[-60, 80], [0, 80], [12, 2400], [300, 2300], [420, 900], [660, 190]]
events:
  - {at: 0, title: Deploy v2.4.1, kind: deploy, until: '01:30'}
  - {at: 100, title: HighErrorBudgetBurn, kind: alert, until: '11:10'}
  - {at: '05:00', title: Coalescing rollout, kind: mitigate, until: '07:00'}
  - {at: '09:00', title: Dashboards checked}
"""


@pytest.fixture(scope="module")
def incident():
    return parse_incident(INCIDENT)


def test_spans_are_read_and_extend_the_timeline(incident):
    deploy, alert, mitigate, note = incident.events
    assert (deploy.until, alert.until, mitigate.until, note.until) == (90.0, 670.0, 420.0, None)
    assert incident.end == 670.0, "the replay runs to the last span's end"
    assert [e.title for e in incident.spans_open_at(310)] == ["HighErrorBudgetBurn",
                                                              "Coalescing rollout"]  # fmt: skip
    assert incident.spans_open_at(670) == [], "a span is open up to, not at, its end"


def test_the_readout_names_the_open_spans(incident):
    assert short_duration(250) == "4m 10s" and short_duration(3 * 86400 + 3600) == "3d 01h"
    assert open_spans_line(incident, 350) == (
        "firing: HighErrorBudgetBurn (4m 10s) · mitigating: Coalescing rollout (50s)"
    )
    assert open_spans_line(incident, 660) == "firing: HighErrorBudgetBurn (9m 20s)"
    assert open_spans_line(incident, -10) == ""


def test_span_bands_sit_under_the_data_in_the_kinds_colour(incident):
    layout = compute_layout(incident, 1280, 720)
    spans = visible_spans(incident, layout)
    assert [e.title for _, _, e in spans] == ["Deploy v2.4.1", "HighErrorBudgetBurn",
                                              "Coalescing rollout"]  # fmt: skip
    rules = span_rule_instances(incident, layout)
    bands = rules[::2]
    assert np.allclose(bands["width"], [x1 - x0 for x0, x1, _ in spans])
    alert = EVENT_STYLE["alert"].color
    assert np.allclose(bands["color"][1][:3], alert[:3]) and bands["color"][1][3] < 0.2
    zoomed = compute_layout(incident, 1280, 720, view=(200.0, 280.0))
    assert [e.title for _, _, e in visible_spans(incident, zoomed)] == ["HighErrorBudgetBurn"]


@pytest.mark.gpu
def test_a_span_tints_its_band_and_draws_its_title(booted, incident):
    from replay_viewer.render.boot import prepare_renderer

    renderer = prepare_renderer(booted.device, incident, 960, 540, 1.0, quality="standard")
    pixels = renderer.render(350.0, RenderOptions(quality="standard"))[..., :3].astype(int)
    layout = renderer.layout
    chart = layout.chart
    y = (chart.y0 + chart.y1) // 2 + 60
    inside = pixels[y, round(layout.to_x(200)) : round(layout.to_x(280))].mean(axis=0)
    outside = pixels[y, round(layout.to_x(-50)) : round(layout.to_x(-10))].mean(axis=0)
    assert inside[0] > outside[0] + 3, "the alert's band tints the chart toward its red"
    # Its title on the band's top edge: bright text pixels there, none where no span is.
    x0, x1 = round(layout.to_x(100)), round(layout.to_x(250))
    title_box = pixels[chart.y0 + 2 : chart.y0 + 18, x0:x1]
    assert (title_box.max(axis=-1) > 150).sum() > 40
    empty_box = pixels[
        chart.y0 + 2 : chart.y0 + 18, round(layout.to_x(-55)) : round(layout.to_x(-5))
    ]
    assert (empty_box.max(axis=-1) > 150).sum() < 5


def test_the_timeline_panel_shows_a_spans_duration(incident):
    state = AppState(clock=lambda: 0.0)
    state.set_incident(incident, None, keep_time=False)
    gui = GuiDriver()
    try:
        from imgui_bundle import imgui

        def draw():
            imgui.begin("t")
            gui_timeline(state, gui.ui)
            imgui.end()

        gui.frame(draw)
        draw_data = gui.frame(draw)
        assert draw_data.total_vtx_count > 0
        assert "event1" in gui.ui.rects
        assert event_heading(incident.events[0]) == "Deploy v2.4.1  (1m 30s)"
        assert event_heading(incident.events[3]) == "Dashboards checked"
    finally:
        gui.destroy()
