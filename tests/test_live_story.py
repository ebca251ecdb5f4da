"""Live view and autoscale with the story and SLO features: the rule flags (two bits added
on two branches), the budget-burn lane in live view (bars cut at the playhead under an
opaque veil), live captions (only what was known at the moment, never before it), the
presenter in live view, where a live card goes, the storyboard's shared range with
autoscale, and what a storyboard or a report refuses (live view)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from replay_viewer.app import presenter
from replay_viewer.app.presenter_view import gui_presenter
from replay_viewer.app.state import AppState
from replay_viewer.export import ExportSettings
from replay_viewer.export.captions import caption_near, plan_told
from replay_viewer.export.storyboard import StoryboardSettings
from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.render.burn_lane import burn_rule_instances
from replay_viewer.render.caption_card import place_card
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.uniforms import (
    RULE_AFTER_PLAYHEAD,
    RULE_CUT,
    RULE_HOVER,
    RULE_PLAYHEAD,
    wgsl_declarations,
)
from replay_viewer.story import caption_for, story_moments

from .conftest import BUNDLED, REPO
from .gui_driver import GuiDriver, RecordingActions
from .test_captions import STORY
from .test_export_commands import cli

CHECKOUT = REPO / "incidents" / "checkout-flag.yaml"


@pytest.fixture(scope="module")
def checkout():
    return load_incident(CHECKOUT)


@pytest.fixture(scope="module")
def story():
    return parse_incident(STORY)


def test_the_rule_flags_are_distinct_bits():
    flags = (RULE_PLAYHEAD, RULE_HOVER, RULE_AFTER_PLAYHEAD, RULE_CUT)
    assert all(f and f & (f - 1) == 0 for f in flags) and len(set(flags)) == 4
    assert RULE_PLAYHEAD | RULE_HOVER | RULE_AFTER_PLAYHEAD | RULE_CUT == 15
    wgsl = wgsl_declarations()
    assert f"RULE_AFTER_PLAYHEAD: u32 = {RULE_AFTER_PLAYHEAD}u" in wgsl
    assert f"RULE_CUT: u32 = {RULE_CUT}u" in wgsl


# -- the budget-burn lane in live view --------------------------------------------------------


def test_live_burn_lane_stops_at_the_playhead(checkout):
    live = compute_layout(checkout, 1280, 720, live=120.0)
    assert live.burn_lane is not None
    rules = burn_rule_instances(checkout, live)
    assert not (rules["flags"] & RULE_AFTER_PLAYHEAD).any(), "no veil: nothing is after it"
    assert (rules["flags"] == RULE_CUT).all(), "bars, baselines and marks end at the playhead"
    bars = rules[rules["p0"][:, 0] == rules["p1"][:, 0]]  # vertical: the bars
    assert len(bars) > 3
    whole = burn_rule_instances(checkout, compute_layout(checkout, 1280, 720))
    assert not (whole["flags"] & RULE_CUT).any(), "outside live view nothing is cut"
    assert whole[-1]["flags"] == RULE_AFTER_PLAYHEAD, "the veil fades what is after it"


@pytest.mark.gpu
def test_a_live_frame_shows_no_burn_after_the_playhead(gpu_adapter, checkout):
    """Live at T+02:00 the lane up to the playhead is the ordinary frame's; after it, only
    the backdrop the chart shows there too (the bars there, burning hot in the ordinary
    frame, are not drawn, nor a veil that would darken the spotlight's glow)."""
    from replay_viewer.render.boot import Boot

    t = 120.0

    def render(**layout_options):
        settings = ExportSettings(size=(960, 540), **layout_options)
        boot = Boot(checkout, 960, 540, 1.0, start_time=t, frame_options=settings.render_options(),
                    layout_options=settings.layout_options(at=t))  # fmt: skip
        boot.run()
        return boot.renderer.layout, boot.frame0[..., :3].astype(int)

    layout, live = render(live=True)
    _, ghosted = render()
    _, plain = render(ghost=False)
    top, bottom = layout.burn_lane
    chart = layout.chart
    x = round(layout.to_x(t))
    band = slice(top + 1, bottom - 1)
    after = slice(x + 3, chart.x1 - round(chart.width * 0.62))  # left of the "so far" plates
    backdrop = live[top - 3, after]  # the same columns just above the lane
    assert (np.abs(live[band, after] - backdrop).max(axis=-1) <= 4).all()
    assert np.abs(ghosted[band, after] - backdrop).max() > 20, "ghosted: bars under a veil"
    background = np.array(layout.palette.background[:3]) * 255
    assert (np.abs(plain[band, after] - background).max(axis=-1) <= 3).all(), (
        "--no-ghost (not live): the opaque veil hides the bars"
    )
    before = slice(chart.x0, x - 2)
    assert np.abs(live[band, before] - ghosted[band, before]).max() <= 3


# -- live captions ----------------------------------------------------------------------------


def test_a_live_caption_names_only_what_was_known_at_its_moment(story, checkout):
    deploy, paged = story_moments(story, "all").moments[:2]
    assert caption_for(story, deploy).note == "p99 crossed SLO 500 ms 1m later"
    assert caption_for(story, deploy, live=True).note == ""  # the crossing was to come
    # The breach (T+02:00, sustain 30 s) was certain at T+02:30, before the page at T+03:20.
    assert caption_for(story, paged, live=True).note == "detected 1m 20s after the breach"
    moments = {m.event.title: m for m in story_moments(checkout, "all").moments}
    fan_out = moments["Fan-out found"]
    assert caption_for(checkout, fan_out).note.startswith("worst 5xx rate")
    assert caption_for(checkout, fan_out, live=True).note == ""  # the worst is known later
    # p95 breached at T+00:30 for a minute: not yet certain when the alert fired at T+00:50.
    fired = caption_for(checkout, moments["p95 over SLO"], live=True)
    assert "after the breach" not in fired.note and "later" not in fired.note
    for moment in moments.values():
        live = caption_for(checkout, moment, live=True)
        assert "later" not in live.note and live.warning == ""


def test_live_view_captions_no_moment_before_it_happens(story):
    assert caption_near(story, 195.0)[0].title == "Paged"
    assert caption_near(story, 195.0, live=True) is None
    assert caption_near(story, 205.0, live=True)[0].title == "Paged"
    for frames in (None, 60):
        plan, track = plan_told(story, fps=10, captions=True, choice="all", live=True,
                                frames=frames)  # fmt: skip
        shown = [(t, s) for t, s in zip(plan.times, track.shown, strict=True) if s]
        assert shown and all(caption.t <= t for t, (caption, _) in shown)
        titles = {caption.title for _, (caption, _) in shown}
        assert titles == {"Deploy", "Paged", "Rollback", "Latency normal"}


def test_the_presenter_in_live_view_tells_only_the_past(checkout):
    now = [100.0]
    state = AppState(clock=lambda: now[0])
    state.set_incident(checkout, CHECKOUT, keep_time=False)
    state.presenter.choice = "all"
    presenter.enter(state)
    moments = presenter.story_plan(state).moments
    index = next(i for i, m in enumerate(moments) if m.event.title == "Fan-out found")
    presenter.jump(state, index)
    assert presenter.caption_shown(state)[0].note.startswith("worst")
    state.toggle_live()
    assert presenter.caption_shown(state)[0].note == "", "a live caption of its own"
    driver = GuiDriver((1280, 800))
    try:
        driver.frame(lambda: gui_presenter(state, driver.ui, RecordingActions()))
        assert driver.ui.texts["presenter-next"] == "Next moment"  # the title tells it
    finally:
        driver.destroy()


# -- the storyboard and the report --------------------------------------------------------------


def test_a_storyboards_shared_range_fits_its_axes_with_autoscale():
    incident = load_incident(BUNDLED)
    plan = story_moments(incident, (600.0, 700.0))  # the recovery: lower values
    fitted = StoryboardSettings().for_plan(incident, plan)
    assert fitted.view is not None and fitted.autoscale
    kept = StoryboardSettings(autoscale=False).for_plan(incident, plan)
    layouts = [compute_layout(incident, 600, 300, **s.panel_layout_options())
               for s in (fitted, kept)]  # fmt: skip
    assert layouts[0].autoscale and layouts[0].burn_lane is None
    assert layouts[0].axis_ranges != layouts[1].axis_ranges
    assert layouts[1].axis_ranges == compute_layout(incident, 600, 300, milestones=False,
                                                    chrome=False).axis_ranges  # fmt: skip
    # Over the whole incident autoscale changes nothing.
    whole = StoryboardSettings(view=(incident.start, incident.end))
    assert (compute_layout(incident, 600, 300, **whole.panel_layout_options()).axis_ranges
            == layouts[1].axis_ranges)  # fmt: skip
    report = StoryboardSettings.from_export(ExportSettings(autoscale=False), (1240, 1754))
    assert not report.autoscale


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--storyboard", "s.png", "--live"), "leave out --live"),
     (("--report", "out", "--live"), "leave out --live")],
)  # fmt: skip
def test_a_storyboard_and_a_report_are_never_live(tmp_path, args, message):
    result = cli("export", BUNDLED, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_live_card_goes_where_nothing_is_drawn_yet():
    """Live, the data after the moment is not drawn: the card may sit over it (here the
    empty right half), and where it goes does not depend on that data."""
    before = [[0, 0], [100, 100], [110, 50], [600, 50]]
    after = [[600 + 10 * k, 100 * (k % 2)] for k in range(1, 60)]  # the chart's height, later
    incident = parse_incident(f"title: t\nseries:\n  - id: a\n    samples: {before + after}\n")
    t = 600.0
    live = compute_layout(incident, 1280, 720, live=t)
    x, y = place_card(live, incident, t, 330, 150)
    assert x > live.to_x(t), "in the empty future"
    assert place_card(compute_layout(incident, 1280, 720), incident, t, 330, 150)[0] < x
    series = incident.series[0]
    known = dataclasses.replace(incident, series=(dataclasses.replace(
        series, values=np.where(series.times > t, np.nan, series.values)),))  # fmt: skip
    assert place_card(compute_layout(known, 1280, 720, live=t), known, t, 330, 150) == (x, y)
