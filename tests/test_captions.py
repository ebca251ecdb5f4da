"""Captions without a GPU: the caption card's lines (wrapped, ellipsized, shrunk on short
charts) and its place (never over the moment, away from the data), the story on an
animation's timeline (rests, each frame's card and opacity, chapters) and the command
line's checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replay_viewer import cli
from replay_viewer.export.captions import (
    AFTER_S,
    FADE_S,
    HOLD_S,
    LEAD_S,
    MAX_HOLD_SHARE,
    caption_near,
    plan_told,
)
from replay_viewer.loader import parse_incident
from replay_viewer.render.caption_card import card_layout, fit, place_card, wrap
from replay_viewer.render.layout import compute_layout
from replay_viewer.story import Caption

from .conftest import BUNDLED, load_incident

STORY = """\
title: Story
series:
  - id: p99
    unit: ms
    samples: [[0, 80], [60, 80], [120, 900], [400, 950], [460, 90], [900, 80]]
thresholds:
  - {series: p99, value: 500, label: SLO 500 ms, sustain: 30}
events:
  - {at: 60, title: Deploy, kind: deploy}
  - {at: 200, title: Paged, kind: alert, detail: HighLatency fired}
  - {at: 300, title: Rollback, kind: mitigate}
  - {at: 520, title: Latency normal, kind: recover}
"""


def measure(font: str, size: float, text: str) -> float:
    """Half an em a character (bold a little wider): enough to test the layout's rules."""
    return len(text) * size * (0.55 if font == "bold" else 0.5)


LONG = Caption(
    t=200.0, timecode="T+03:20", wall="Mon 14 Jul 06:03:20", kind="alert",
    title="Paged: HighLatency on checkout-api in eu-west-1 and us-east-2",
    detail=" ".join(["word"] * 80), note="detected 1m 20s after the breach",
    warning="resolved while the data disagrees",
)  # fmt: skip


def test_the_card_says_the_caption_in_order_within_its_width():
    card = card_layout(LONG, measure, scale=1.0, max_width=430, max_height=1000)
    roles = [line.role for line in card.lines]
    assert roles[:2] == ["kind", "heading"]  # the heading beside the kind, on its row
    assert card.text("kind") == ["ALERT"] and card.text("heading") == [LONG.heading]
    assert 1 <= len(card.text("title")) <= 2
    detail = card.text("detail")
    assert len(detail) == 3 and detail[-1].endswith("…"), "at most three lines, cut"
    assert card.text("note") == [LONG.note] and card.text("warning") == [LONG.warning]
    assert [m.role for m in card.marks] == ["kind", "note", "warning"]
    assert card.width <= 430
    for line in card.lines:
        assert line.x + measure(line.font, line.size, line.text) <= card.width + 1e-6
        assert line.y + line.size <= card.height
    tops = [line.y for line in card.lines if line.role != "heading"]
    assert tops == sorted(tops), "one line under another"


def test_a_short_chart_drops_detail_lines_first_and_the_card_scales():
    full = card_layout(LONG, measure, scale=1.0, max_width=430, max_height=1000)
    short = card_layout(LONG, measure, scale=1.0, max_width=430, max_height=full.height - 30)
    assert len(short.text("detail")) < 3 and short.height <= full.height - 30
    assert short.text("note") == full.text("note"), "the data milestone stays"
    small = card_layout(LONG, measure, scale=0.72, max_width=430 * 0.72, max_height=1000)
    assert small.width == pytest.approx(full.width * 0.72, rel=0.05)


def test_a_plain_moment_has_its_time_as_heading_and_no_kind():
    plain = Caption(t=10.0, timecode="T+00:10", note="p99 crossed SLO 20s later")
    card = card_layout(plain, measure, scale=1.0, max_width=430, max_height=500)
    assert card.text("heading") == ["T+00:10"] and not card.text("kind")
    assert card.text("title") == [] and card.text("note") == [plain.note]


def test_wrap_and_fit_cut_at_words_with_an_ellipsis():
    assert wrap(measure, "regular", 10, "aa bb cc dd", 25, 2) == ["aa bb", "cc dd"]
    assert wrap(measure, "regular", 10, "aa bb cc dd ee", 25, 2) == ["aa bb", "cc d…"]
    assert fit(measure, "regular", 10, "checkout latency", 60) == "checkout…"
    assert fit(measure, "regular", 10, "x" * 40, 60) == "x" * 11 + "…"
    assert wrap(measure, "regular", 10, "", 25, 3) == []


@pytest.fixture(scope="module")
def story():
    return parse_incident(STORY)


def test_the_card_never_covers_its_moment_and_avoids_the_data(story):
    layout = compute_layout(story, 1280, 720, 1.0)
    pr, chart = layout.pixel_ratio, layout.chart
    for t in (60.0, 200.0, 300.0, 520.0, 880.0):
        x, y = place_card(layout, story, t, 400, 140)
        moment = layout.to_x(t) / pr
        assert not x - 20 <= moment <= x + 420, t
        assert chart.x0 <= x and x + 400 <= chart.x1 and chart.y0 <= y and y + 140 <= chart.y1
        # The line, drawn densely: little of it passes under the card (at 520 s the
        # only empty corner is where the playhead goes next: the card crosses the drop).
        times = np.linspace(story.start, story.end, 4000)
        values = np.interp(times, story.series[0].times, story.series[0].values)
        xs, ys = layout.to_x(times) / pr, layout.axis_for("p99").to_y(values) / pr
        under = (xs >= x) & (xs <= x + 400) & (ys >= y) & (ys <= y + 140)
        assert under.mean() < 0.03, (t, under.mean())


def test_a_captioned_animation_rests_on_each_moment_and_keeps_its_length(story):
    fps = 10
    plan, track = plan_told(story, fps=fps, captions=True, duration=10.0, choice="all")
    assert len(plan.times) == 100, "--duration is kept"
    times = np.array(plan.times)
    # 4 rests of 1.2 s would be 48 % of 10 s: each shortens to 9 frames (40 % at most).
    rest = min(round(HOLD_S * fps), int(MAX_HOLD_SHARE * 99 / 4))
    assert rest == 9
    for at in (60, 200, 300, 520):
        assert (times == at).sum() >= rest, f"the playhead rests at {at}"
    assert (np.diff(times) >= 0).all() and times[0] == story.start and times[-1] == story.end
    starts = [c.start for c in track.chapters]
    assert starts[0] == 0.0 and starts == sorted(starts)
    assert [c.title for c in track.chapters] == [
        "T+01:00 Deploy",
        "T+03:20 Paged",
        "T+05:00 Rollback",
        "T+08:40 Latency normal",
    ]
    assert track.chapters[-1].end == pytest.approx(10.0)
    for chapter in track.chapters[1:]:  # each chapter starts where its moment's rest does
        assert times[math.ceil(chapter.start * fps - 1e-9)] in (200, 300, 520)
    shown = [track.at(frame) for frame in range(100)]
    paged = [f for f, s in enumerate(shown) if s and s[0].title == "Paged"]
    begin = track.chapters[1].start * fps
    # From its lead-in (or, while the card before it still shows, from its moment on)…
    assert begin - LEAD_S * fps - 1 <= min(paged) <= begin + 1
    assert max(paged) <= begin + (HOLD_S + AFTER_S) * fps + 1  # …to its reading time's end
    deploy = [shown[f][1] for f, s in enumerate(shown) if s and s[0].title == "Deploy"]
    assert deploy[0] < 1 and max(deploy) == 1.0, "the first card fades in"
    for start in starts[1:]:  # from its lead-in to the end of its reading time
        window = range(round((start - LEAD_S) * fps) + 1, round((start + HOLD_S) * fps))
        assert all(shown[f] is not None for f in window)
    assert shown[0] is None and shown[-1] is None, "far from the moments: no card"


def test_the_rests_take_at_most_their_share_and_frames_as_asked_have_none(story):
    plan, _ = plan_told(story, fps=10, captions=True, duration=2.0, hold=5.0, choice="all")
    times = np.array(plan.times)
    resting = sum((times == at).sum() - 1 for at in (60, 200, 300, 520))
    assert resting <= MAX_HOLD_SHARE * len(times)
    plan, track = plan_told(story, fps=10, captions=True, frames=50, choice="all")
    assert len(set(plan.times)) == 50, "no rests with --frames"
    assert track.shown and any(s is not None for s in track.shown)
    default, _ = plan_told(story, fps=10, captions=True, choice="all")
    assert len(default.times) == 100, "4 moments: 10 s (2.5 s a moment, at least 10 s)"


def test_captions_fade_out_before_the_next_takes_over():
    bundled = load_incident(BUNDLED)
    fps = 15
    _, track = plan_told(bundled, fps=fps, captions=True)
    opacity = [s[1] if s else 0.0 for s in track.shown]
    assert max(opacity) == 1.0 and min(opacity) == 0.0
    for before, after in zip(track.shown, track.shown[1:], strict=False):
        if before and after and before[0] != after[0]:
            continue  # the next moment takes over
        step = abs((after[1] if after else 0.0) - (before[1] if before else 0.0))
        assert step <= 1 / (FADE_S * fps) + 1e-9, "cards fade in and out, never pop"
    titles = [s[0].title for s in track.shown if s]
    assert titles[0] == "Deploy goes live" and titles[-1] == "All-clear, runbook updated"


def test_chapters_without_captions_and_none_for_evenly_spaced_moments(story):
    _, track = plan_told(story, fps=30, choice="all")
    assert len(track.chapters) == 4 and track.shown == ()
    bare = parse_incident(STORY.split("events:")[0])
    _, track = plan_told(bare, fps=30)
    assert track.chapters == ()
    _, track = plan_told(bare, fps=30, captions=True)
    assert len(track.chapters) == 6 and track.warnings, "evenly spaced moments, said so"


def test_a_frame_is_captioned_only_near_a_moment(story):
    near = caption_near(story, 205.0)
    assert near is not None and near[0].title == "Paged" and near[1] == 1.0
    assert caption_near(story, 250.0) is None
    assert caption_near(story, 250.0, choice=(250.0,))[0].timecode == "T+04:10"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--frames", "3", "--captions"], "--captions, --events and --hold are for --at"),
        (["--gif", "a.gif", "--hold", "1s"], "add --captions"),
        (["--gif", "a.gif", "--events", "all"], "add --captions"),
        (["--gif", "a.gif", "--captions", "--frames", "9", "--hold", "1s"], "no rests"),
        (["--at", "T+01:00", "--events", "all"], "add --captions"),
        (["--gif", "a.gif", "--captions", "--events", "T+99:00"], "outside the incident"),
        (["--gif", "a.gif", "--captions", "--events", "T+1x"], "'T+1x'"),
    ],
)
def test_story_options_where_they_do_nothing_are_usage_errors(args, message, tmp_path,
                                                              monkeypatch, capsys):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", str(BUNDLED), *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
