"""The bundled incident reproduces the case study it grew from, text and numbers."""

from __future__ import annotations

import numpy as np
import pytest

from replay_viewer._resources import bundled_incident
from replay_viewer.loader import load_incident
from replay_viewer.timecode import parse_timecode

from .conftest import BUNDLED

# (time, title, detail) exactly as the case study's timeline shows them.
CASE_STUDY_TIMELINE = [
    ("T+00:00", "Deploy goes live",
     "Service rev v2.4.1 ships. Cache key prefix was bumped as part of the schema change."),
    ("T+00:12", "p99 jumps 80ms → 2,400ms",
     "Every request becomes a cache miss. Backend pool starts saturating."),
    ("T+00:45", "Cache hit rate 94% → 12%",
     "Coalescing isn't in place — N concurrent misses → N upstream calls per key."),
    ("T+02:00", "PagerDuty: HighErrorBudgetBurn",
     "Burn rate alert fires. I'm on the bridge with the deploy lead inside 90s."),
    ("T+03:30", "Root cause confirmed",
     "Key prefix bump in the deploy config invalidated the entire cache namespace."),
    ("T+05:00", "Mitigation rolled",
     "Pushed singleflight coalescing + a synchronous warm-up step on the canary pod."),
    ("T+07:00", "Hit rate climbing through 60%",
     "Coalescing is doing its job — one backend hit per key per concurrent burst."),
    ("T+11:00", "p99 back under 200ms",
     "Below SLO. Auth, search and feed dashboards all green."),
    ("T+14:00", "All-clear, runbook updated",
     "Cache-prefix changes added to the migrations checklist; coalescing standardized in "
     "service template."),
]  # fmt: skip


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


def test_packaged_path_is_the_repository_file():
    assert bundled_incident().resolve() == BUNDLED.resolve()


def test_header(incident):
    assert incident.title == "Cache Stampede During Deploy"
    assert incident.subtitle == "14 minutes to all-clear"
    assert incident.summary.startswith("A routine deploy bumped a cache key prefix.")
    assert "p99 latency ran from 80ms to 2,400ms" in incident.summary
    assert incident.summary.endswith("Here's the play-by-play.")
    assert (incident.severity, incident.role) == ("SEV-2", "SRE on-call")
    assert incident.stack == ("k8s", "Redis", "Go", "Prometheus")
    assert (incident.start, incident.end) == (-60, 840)


def test_timeline(incident):
    got = [(e.at, e.title, e.detail) for e in incident.events]
    want = [(parse_timecode(t), title, detail) for t, title, detail in CASE_STUDY_TIMELINE]
    assert got == want
    kinds = [e.kind for e in incident.events]
    assert kinds[0] == "deploy" and kinds[3] == "alert" and kinds[-1] == "resolve"


def test_actions_learnings_outcomes(incident):
    assert len(incident.actions) == 4
    assert incident.actions[0].startswith("Shipped singleflight request coalescing")
    assert "hit rate ≥ 70%" in incident.actions[1]
    assert incident.actions[2].startswith("Lowered the error-budget burn alert from 5m to 2m")
    assert (
        incident.actions[3]
        == "Wrote and dry-ran the runbook: prefix-bump diagnosis in under 60 seconds."
    )
    assert [lr.title for lr in incident.learnings] == [
        "Cache prefix changes are deploys disguised as config.",
        "Coalescing is cheaper than scaling.",
        "Synthetic monitoring should include cache hit rate, not just latency.",
    ]
    assert (
        incident.learnings[2].detail
        == "Latency tells you something's wrong; hit rate tells you what."
    )
    assert [(o.value, o.label, o.note) for o in incident.outcomes] == [
        ("14 min", "Total recovery time", "SLO target: <15 min"),
        ("0", "Customer-facing errors", "Graceful degrade held"),
        ("\u221260%", "Similar incidents (6mo)", "After coalescing rollout"),
        ("99.97%", "Quarterly availability", "Within error budget"),
    ]  # fmt: skip


def test_series_shape(incident):
    p99, hit = incident.series
    assert (p99.id, p99.unit, p99.axis, p99.color_hex) == ("p99", "ms", "left", "#f43f5e")
    assert (hit.id, hit.unit, hit.axis, hit.color_hex) == ("hit_rate", "%", "right", "#22d3ee")
    assert hit.range == (0, 100)
    for series in (p99, hit):
        np.testing.assert_array_equal(series.times, np.arange(-60, 841, 5))
        assert np.isfinite(series.values).all()
    thresholds = {(t.series_id, t.value, t.bad) for t in incident.thresholds}
    assert thresholds == {("p99", 200, "above"), ("hit_rate", 70, "below")}


def test_numbers_match_the_narrative(incident):
    p99, hit = incident.series
    # p99 80 ms before the jump, 2,400 ms at the first sample after T+00:12 (and its peak).
    before = p99.values[p99.times <= 10]
    assert np.all(np.abs(before - 80) <= 3)
    first_after_jump = p99.values[np.searchsorted(p99.times, 12)]
    assert first_after_jump == 2400 == p99.values.max()
    # Hit rate 94% before the deploy, 12% at T+00:45.
    assert hit.value_at(0) == pytest.approx(94, abs=0.5)
    assert hit.value_at(45) == 12
    # Hit rate climbs through 60% at T+07:00: below it one sample before, above it then.
    assert hit.value_at(415) < 60 <= hit.value_at(420)
    # Warm-up gate (70%) is crossed after the mitigation, and hit rate is still low before it.
    assert hit.values[(hit.times >= 45) & (hit.times <= 300)].max() < 15
    # p99 back under 200 ms at T+11:00, and stays there; still above just before.
    assert p99.value_at(655) >= 200
    assert np.all(p99.values[p99.times >= 660] < 200)
    # Saturated (over 2 s) from the jump until the mitigation at T+05:00.
    assert np.all(p99.values[(p99.times >= 15) & (p99.times <= 300)] > 2000)
