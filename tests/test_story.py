"""The story model: which moments are told (starred, every event, listed, evenly spaced),
their captions (the data milestone near each, checked by hand against the bundled
incidents' data) and the presenter's eased steps between them."""

from __future__ import annotations

import pytest

from replay_viewer.errors import UsageError
from replay_viewer.loader import parse_incident
from replay_viewer.story import (
    Caption,
    CaptionTrack,
    Tour,
    caption_for,
    parse_event_choice,
    story_moments,
)
from replay_viewer.story.tour import ease_in_out

from .conftest import REPO, load_incident

SERIES = """\
title: Story
series:
  - id: p99
    unit: ms
    samples: [[0, 80], [60, 80], [120, 900], [400, 950], [460, 90], [900, 80]]
thresholds:
  - {series: p99, value: 500, label: SLO 500 ms, sustain: 30}
"""


def incident_with(events: str = ""):
    return parse_incident(SERIES + (f"events:\n{events}" if events else ""))


def test_starred_events_tell_the_story_when_any_is_starred():
    incident = incident_with(
        "  - {at: 60, title: Deploy, kind: deploy}\n"
        "  - {at: 200, title: Paged, kind: alert, star: true}\n"
        "  - {at: 300, title: Rollback, kind: mitigate, star: true}\n"
    )
    plan = story_moments(incident)
    assert plan.chosen == "starred events"
    assert [m.event.title for m in plan.moments] == ["Paged", "Rollback"]
    assert story_moments(incident, "all").times == (60, 200, 300)
    assert plan.warnings == ()


def test_starred_asked_for_without_stars_tells_every_event_and_says_so():
    incident = incident_with("  - {at: 60, title: Deploy, kind: deploy}\n")
    plan = story_moments(incident, "starred")
    assert plan.times == (60,)
    assert "no event is starred" in plan.warnings[0]


def test_more_than_twelve_keeps_the_first_twelve_with_a_warning():
    events = "".join(f"  - {{at: {10 * k}, title: E{k}, star: true}}\n" for k in range(15))
    plan = story_moments(incident_with(events))
    assert [m.event.title for m in plan.moments] == [f"E{k}" for k in range(12)]
    assert plan.warnings == (
        "15 starred events to tell; showing the first 12 (star the ones that matter, or "
        "list them with --events T1,T2,…)",
    )


def test_every_event_counted_in_words_and_a_compared_incidents_events_left_out():
    import dataclasses

    events = "".join(f"  - {{at: {10 * k}, title: E{k}}}\n" for k in range(13))
    incident = incident_with(events)
    plan = story_moments(incident)
    assert plan.warnings[0].startswith("13 events to tell; showing the first 12")
    # B's events in a comparison (dim) are B's story, not this one's.
    dim = tuple(dataclasses.replace(e, dim=True) for e in incident.events[:5])
    compared = dataclasses.replace(incident, events=(*dim, *incident.events[5:]))
    assert story_moments(compared).times == tuple(float(10 * k) for k in range(5, 13))


def test_no_events_gives_evenly_spaced_moments_and_says_so():
    plan = story_moments(incident_with())
    assert plan.times == pytest.approx([0, 180, 360, 540, 720, 900])
    assert all(m.event is None for m in plan.moments)
    assert plan.chosen == "evenly spaced moments"
    assert "no events" in plan.warnings[0]


def test_listed_times_take_the_event_there_and_refuse_times_outside():
    incident = incident_with("  - {at: 200, title: Paged, kind: alert}\n")
    choice = parse_event_choice("T+05:00, 03:20")
    assert choice == (300.0, 200.0)
    plan = story_moments(incident, choice)
    assert [(m.t, m.event and m.event.title) for m in plan.moments] == [
        (200, "Paged"),
        (300, None),
    ]
    with pytest.raises(UsageError, match="outside the incident"):
        story_moments(incident, parse_event_choice("T+20:00"))
    with pytest.raises(UsageError, match="'T\\+5x'"):
        parse_event_choice("T+01:00,T+5x")


def test_a_caption_names_the_gap_its_event_declares():
    incident = incident_with(
        "  - {at: 60, title: Deploy, kind: deploy}\n"
        "  - {at: 200, title: Paged, kind: alert, detail: HighLatency fired}\n"
        "  - {at: 300, title: Rollback, kind: mitigate}\n"
        "  - {at: 520, title: Latency normal, kind: recover}\n"
    )
    captions = [caption_for(incident, m) for m in story_moments(incident).moments]
    # The breach: 900 ms from 120 s on (sustained 30 s); recovery: 90 ms from 460 s.
    assert captions[0].note == "p99 crossed SLO 500 ms 1m later"
    assert captions[1] == Caption(
        t=200, timecode="T+03:20", kind="alert", title="Paged",
        detail="HighLatency fired", note="detected 1m 20s after the breach",
    )  # fmt: skip
    assert captions[2].note == "mitigated 3m after the breach"
    assert captions[3].note == "declared 1m after the data recovered"


def test_a_resolve_while_still_breaching_is_the_captions_warning():
    incident = incident_with("  - {at: 200, title: All clear, kind: resolve}\n")
    caption = caption_for(incident, story_moments(incident).moments[0])
    assert "still" in caption.warning and "breach" in caption.warning


def test_bundled_incidents_captions_against_hand_computed_gaps():
    stampede = load_incident(REPO / "incidents" / "cache-stampede.yaml")
    notes = {c.title: c.note for c in map(lambda m: caption_for(stampede, m),
                                          story_moments(stampede, "all").moments)}  # fmt: skip
    # p99 first over 200 ms at T+00:15 and holds; the rollout lands at T+05:00.
    assert notes["Mitigation rolled"] == "mitigated 4m 45s after the breach"
    assert notes["p99 back under 200ms"] == "declared as the data recovered"
    checkout = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    captions = [caption_for(checkout, m) for m in story_moments(checkout, "all").moments]
    flag = next(c for c in captions if c.title == "Flag reverted")
    assert flag.heading == "T+03:10 · 09:44:10"  # started_at 09:41:00
    assert flag.note == "mitigated 2m 40s after the breach"  # p95 over 300 ms at T+00:30


def test_a_caption_track_shows_the_moment_near_the_playhead_and_fades():
    first, second = Caption(100, "T+01:40"), Caption(130, "T+02:10")
    track = CaptionTrack((first, second), before=5, after=30, fade=5)
    assert track.at(90) is None
    assert track.at(97.5) == (first, 0.5)
    assert track.at(110) == (first, 1.0)
    assert track.at(126) == (first, 0.8)  # still first: the second has not begun
    assert track.at(131) == (second, 1.0)
    assert track.at(158) == (second, pytest.approx(0.4))
    assert track.at(161) is None


def test_a_tour_step_takes_the_pace_whatever_the_gap_and_eases():
    tour = Tour((60.0, 200.0, 7200.0), pace=3.0)
    assert tour.step(0.0, now=10.0, direction=1)
    assert tour.position(10.0, 0.0) == 0.0
    assert tour.position(11.5, 0.0) == pytest.approx(30.0)  # halfway in time and place
    assert 0 < tour.position(10.3, 0.0) < 60 * 0.1 / 1  # slow start
    assert tour.position(13.0, 0.0) == 60.0
    assert not tour.settle(13.0)
    assert tour.step(60.0, now=20.0, direction=1) and tour.target == 200.0
    assert tour.step(200.0, now=21.0, direction=1)  # pressed again mid-move: on to the next
    assert tour.target == 7200.0 and tour.begin == pytest.approx(tour.position(21.0, 0))
    assert tour.position(24.0, 0.0) == 7200.0  # 7,000 s of incident in the same 3 s
    assert not tour.step(7200.0, now=30.0, direction=1)  # nothing after the last
    assert tour.step(7200.0, now=30.0, direction=-1) and tour.target == 200.0
    assert ease_in_out(0.5) == pytest.approx(0.5) and ease_in_out(2) == 1.0


def test_the_bundled_files_parse_with_every_choice():
    for path in sorted((REPO / "incidents").glob("*.yaml")):
        incident = load_incident(path)
        for choice in ("auto", "all", "starred"):
            plan = story_moments(incident, choice)
            assert 0 < len(plan.moments) <= 12
            assert [caption_for(incident, m).t for m in plan.moments] == list(plan.times)
