"""The data's own milestones (first breach, worst point, recovery, time over) and the gaps
and contradictions between them and the declared timeline: the bundled incidents against
values computed by hand from their samples, then the rules one at a time."""

from __future__ import annotations

import json

import pytest

from replay_viewer.analysis import (
    compute_metrics,
    incident_checks,
    metrics_json,
    metrics_lines,
    threshold_gaps,
)
from replay_viewer.loader import parse_incident

from .conftest import BUNDLED, REPO, load_incident
from .test_cli import run_cli

CHECKOUT = REPO / "incidents" / "checkout-flag.yaml"


def episodes(m):
    return [(e.start, e.end, e.last_bad) for e in m.episodes]


def test_cache_stampede_milestones_by_hand():
    incident = load_incident(BUNDLED)
    metrics = compute_metrics(incident)
    p99, hit_rate = metrics.thresholds
    # p99 (bad above 200 ms, every 5 s): 79 at T+00:10, 2,400 at T+00:15, over 200 until
    # 203 at T+10:55, 198 at T+11:00 and under from there to the end.
    assert (p99.first_outside, p99.clear_until) == (15.0, 10.0)
    assert episodes(p99) == [(15.0, 660.0, 655.0)]
    assert p99.time_outside == 645.0 and (p99.worst_value, p99.worst_at) == (2400.0, 15.0)
    # Hit rate (bad below 70 %): under from T+00:20, 71.3 % at T+07:30 and above since.
    assert episodes(hit_rate) == [(20.0, 450.0, 445.0)]
    assert hit_rate.time_outside == 430.0 and hit_rate.worst_value == 11.4
    assert (metrics.breach_at, metrics.recovered_at) == (15.0, 660.0)
    gaps, found = incident_checks(incident)
    # Detected at T+00:12: 3 s before the first bad sample, after the last good one (T+00:10)
    # so within the data's resolution: a negative gap, not a contradiction. Mitigated at
    # T+05:00; the last recover event before the all-clear ("p99 back under 200ms") is at
    # T+11:00, when the data recovers.
    assert [(g.name, g.seconds, g.label) for g in gaps] == [
        ("detection", -3.0, "detected 3s before the breach"),
        ("mitigation", 285.0, "mitigated after 4m 45s"),
        ("recovery", 0.0, "declared as the data recovers"),
    ]
    assert found == ()


def test_checkout_flag_milestones_by_hand():
    incident = load_incident(CHECKOUT)
    metrics = compute_metrics(incident)
    p95, page, budget = metrics.thresholds
    # Every 10 s, a scrape gap T+01:40–T+02:00 (which pauses the clock: the runs go on
    # across it). p95 > 300: 325 at T+00:30 … 813 at T+01:30, gap, 888 at T+02:10 … 337 at
    # T+04:10, 299 at T+04:20: 7 + 13 samples of 10 s over.
    assert (p95.first_outside, p95.clear_until) == (30.0, 20.0)
    assert episodes(p95) == [(30.0, 260.0, 250.0)] and p95.time_outside == 200.0
    assert (p95.worst_value, p95.worst_at) == (946.0, 190.0)
    # 5xx > 5: 6.49 at T+00:50 … 9.95 at T+01:30 (50 s: not yet 60), gap, 13.66 at T+02:10
    # … 6.93 at T+03:30 (together 140 s), 4.97 at T+03:40.
    assert episodes(page) == [(50.0, 220.0, 210.0)] and page.time_outside == 140.0
    # 5xx > 1: 2.31 at T+00:40 … 1.31 at T+04:20, 0.94 at T+04:30.
    assert episodes(budget) == [(40.0, 270.0, 260.0)] and budget.time_outside == 200.0
    assert (budget.worst_value, budget.worst_at) == (14.46, 160.0)
    assert (metrics.breach_at, metrics.recovered_at) == (30.0, 270.0)  # 4:30
    gaps, found = incident_checks(incident)
    assert [(g.name, g.seconds) for g in gaps] == [
        ("detection", 20.0),  # detect at T+00:50
        ("mitigation", 160.0),  # flag reverted at T+03:10
        ("recovery", 90.0),  # "p95 back under SLO" declared at T+06:00
    ]
    assert [(g.name, g.seconds) for g in threshold_gaps(metrics, page)] == [
        ("detection", 0.0), ("mitigation", 140.0), ("recovery", 140.0)]  # fmt: skip
    # "Time to recovery: 9 min" while the data recovers at 4:30: a warning at the outcome.
    (warning,) = found
    assert warning.kind == "outcome" and (warning.line, warning.column) == (203, 5)
    assert warning.at == 540.0  # where the card says it recovered
    assert warning.positioned("x.yaml") == (
        "x.yaml:203:5: warning: outcome 'Time to recovery' says 9 min, but the computed "
        "time to recovery is 04:30"
    )


def test_validate_prints_the_contradiction_at_the_outcome_and_strict_fails():
    result = run_cli("validate", str(CHECKOUT))
    assert result.returncode == 0
    assert result.stderr == (
        f"{CHECKOUT}:203:5: warning: outcome 'Time to recovery' says 9 min, but the computed "
        "time to recovery is 04:30\n"
    )
    strict = run_cli("validate", "--strict", str(CHECKOUT))
    assert strict.returncode == 1
    assert "1 warning above, and --strict makes them errors" in strict.stderr
    assert run_cli("validate", "--strict", str(BUNDLED)).returncode == 0  # agrees with its data


SHAPES = """
title: t
series:
  - id: a
    samples: {a}
thresholds:
  - {{series: a, value: 10, label: a high{extra}}}
"""


def milestones(samples, extra="", sustain=None):
    incident = parse_incident(SHAPES.format(a=samples, extra=extra))
    return compute_metrics(incident, sustain).thresholds[0]


def test_sustain_a_blip_is_no_breach_and_a_dip_no_recovery():
    # Over for 30 s (a blip), over for 80 s, under for 20 s (a dip, not a recovery), over
    # for 50 s (still the same breach), under for 60 s (a recovery), over for 70 s (a second
    # breach, open at the end).
    samples = ("[[0, 1], [10, 20], [40, 1], [100, 20], [180, 1], [200, 20], [250, 1], "
               "[310, 20], [380, 20]]")  # fmt: skip
    m = milestones(samples)
    assert m.first_outside == 10.0 and m.clear_until == 0.0
    assert episodes(m) == [(100.0, 250.0, 200.0), (310.0, None, 380.0)]
    assert m.still_outside and m.recovered_at is None and m.breach_at == 100.0
    assert m.time_outside == 30 + 80 + 50 + 70
    # The threshold's own sustain: 20 s makes the blip a breach and the dip a recovery.
    short = milestones(samples, extra=", sustain: 20s")
    assert short.sustain == 20.0
    assert [e.start for e in short.episodes] == [10.0, 100.0, 200.0, 310.0]
    # … and it wins over the default given for the others (validate --sustain).
    assert milestones(samples, extra=", sustain: 20s", sustain=600).sustain == 20.0
    assert milestones(samples, sustain=600).episodes == ()
    # A run of the same side across its own 60 s is one run, however many samples.
    assert episodes(milestones("[[0, 20], [30, 20], [60, 20], [61, 1], [200, 1]]")) == [
        (0.0, 61.0, 60.0)]  # fmt: skip


def test_gaps_pause_the_clock_and_are_not_good():
    # Over for 40 s, a gap of 10 min, over for 30 s: one breach of 70 s (the gap counts for
    # nothing). Then under for 20 s, a gap, under for 50 s: recovered, at the first sample
    # under; the gap is not good time, so a data that ends in a gap has not recovered.
    samples = ("[[0, 20], [40, null], [640, 20], [670, 5], [690, null], [900, 5], "
               "[950, 5]]")  # fmt: skip
    m = milestones(samples)
    assert episodes(m) == [(0.0, 670.0, 640.0)] and m.time_outside == 70.0
    ends_in_a_gap = milestones("[[0, 20], [90, 5], [100, null], [2000, null]]")
    assert episodes(ends_in_a_gap) == [(0.0, None, 0.0)]
    assert not ends_in_a_gap.recovered and not ends_in_a_gap.still_outside


def test_repeated_times_hold_for_no_time():
    # Two samples at 60: the second (under) is what the series says from 60 on.
    m = milestones("[[0, 20], [60, 20], [60, 5], [130, 5]]")
    assert episodes(m) == [(0.0, 60.0, 60.0)] and m.time_outside == 60.0


def test_a_threshold_whose_bad_side_is_below():
    incident = parse_incident("""
title: t
series:
  - {id: hit, unit: "%", samples: [[0, 94], [30, 40], [60, 12], [120, 69.9], [180, 70],
                                    [240, 71]]}
thresholds:
  - {series: hit, value: 70, label: gate, bad: below}
""")
    (m,) = compute_metrics(incident).thresholds
    # Under 70 from 30 to 180 (70 itself is on the good side), worst: the lowest.
    assert episodes(m) == [(30.0, 180.0, 120.0)] and m.time_outside == 150.0
    assert (m.worst_value, m.worst_at) == (12.0, 60.0)


GROUP = """
title: t
series:
  - {id: a, label: pod=a, group: p99 per pod, unit: ms, samples: [[0, 10], [60, 10], [300, 10]]}
  - {id: b, label: pod=b, group: p99 per pod, unit: ms,
     samples: [[0, 10], [30, 500], [90, null], [150, 900], [210, 20], [300, 20]]}
  - {id: c, label: other, unit: ms, samples: [[0, 1000], [300, 1000]]}
thresholds:
  - {series: a, value: 100, label: pod p99 SLO}
"""


def test_a_threshold_on_a_group_member_applies_to_its_worst_member():
    (m,) = compute_metrics(parse_incident(GROUP)).thresholds
    # b is over from 30 to 90 and from 150 to 210; in b's gap (90–150) the group is a
    # alone, which is under: 60 s under is a recovery at 90, then a second breach. c is not
    # in the group and never counts.
    assert m.group == "p99 per pod"
    assert episodes(m) == [(30.0, 90.0, 60.0), (150.0, 210.0, 150.0)]
    assert m.time_outside == 60 + 60
    assert (m.worst_value, m.worst_at, m.worst_series) == (900.0, 150.0, "b")


TIMELINE = """
title: t
series:
  - id: a
    samples: [[0, 1], [60, 1], [90, 20], [300, 20], [400, 1], [600, 1]]
thresholds:
  - {series: a, value: 10, label: a high}
events:
  - {at: 0, kind: deploy, title: go}
  - {at: 30, kind: alert, title: early page}
  - {at: 200, kind: mitigate, title: fix}
  - {at: 250, kind: resolve, title: done too soon}
outcomes:
  - {value: 5 min, label: Time to detect}
"""


def test_contradictions_resolved_while_breaching_and_detected_before_it():
    incident = parse_incident(TIMELINE)
    gaps, found = incident_checks(incident)
    assert [(g.name, g.seconds) for g in gaps] == [
        ("detection", -60.0), ("mitigation", 110.0), ("recovery", -150.0)]  # fmt: skip
    assert [(c.kind, c.at, c.line) for c in found] == [
        ("resolved", 250.0, 12),
        ("detected", 30.0, 10),  # a is still under 10 at 60, after the page at 30
        ("outcome", 300.0, 14),
    ]
    assert found[0].message == (
        "resolved at T+04:10 while the data disagrees: 'a high' still breaches until T+06:40"
    )
    assert found[1].message == (
        "alert 'early page' at T+00:30 is before anything breached: 'a high' is still inside "
        "at T+01:00 (first crossed at T+01:30)"
    )
    assert found[2].message == (
        "outcome 'Time to detect' says 5 min, but the computed time to detection is 00:30"
    )
    rows = metrics_lines(incident)
    assert [(r.value, r.note) for r in rows if r.name == "warning"] == [
        ("resolved too soon", found[0].message),
        ("detected too early", found[1].message),
    ]
    # A page within the data's resolution (after the last sample inside) is fine.
    later = parse_incident(TIMELINE.replace("{at: 30,", "{at: 75,"))
    assert [c.kind for c in incident_checks(later)[1]] == ["resolved", "outcome"]


def test_validate_positions_each_warning_and_json_carries_everything(tmp_path):
    path = tmp_path / "timeline.yaml"
    path.write_text(TIMELINE, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert [line.split(": warning:")[0] for line in result.stderr.splitlines()] == [
        f"{path}:12:5", f"{path}:10:5", f"{path}:14:5"]  # fmt: skip
    as_json = run_cli("validate", "--metrics", "--json", "--sustain", "90s", str(path))
    (entry,) = json.loads(as_json.stdout)
    metrics = entry["metrics"]
    assert len(entry["warnings"]) == 3 and metrics["sustain_s"] == 90.0
    assert metrics["breach_at"] == 90.0 and metrics["recovered_at"] == 400.0
    assert metrics["gaps_s"] == {"detection": -60.0, "mitigation": 110.0, "recovery": -150.0}
    (threshold,) = metrics["thresholds"]
    assert threshold == {
        "series": "a", "group": None, "label": "a high", "value": 10.0, "bad": "above",
        "sustain_s": 90.0, "first_outside": 90.0, "breach_at": 90.0, "recovered_at": 400.0,
        "still_outside": False, "time_outside_s": 310.0, "worst_value": 20.0,
        "worst_at": 90.0, "worst_series": "a",
        "episodes": [{"start": 90.0, "end": 400.0, "last_bad": 300.0}],
        "gaps_s": {"detection": -60.0, "mitigation": 110.0, "recovery": -150.0},
    }  # fmt: skip
    assert [w["kind"] for w in metrics["warnings"]] == ["resolved", "detected", "outcome"]
    assert metrics["warnings"][0] == {
        "kind": "resolved", "at": 250.0, "line": 12, "column": 5,
        "message": entry["warnings"][0].split(": warning: ")[1]}  # fmt: skip
    assert metrics == json.loads(json.dumps(metrics_json(parse_incident(TIMELINE), 90.0)))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5s", "threshold 1 'sustain' must be a duration of 0 s or more, like 90s or 2m"),
        ("soon", "threshold 1 'sustain': "),
    ],
)
def test_bad_sustain_is_a_positioned_error(tmp_path, value, message):
    path = tmp_path / "bad.yaml"
    path.write_text(SHAPES.format(a="[[0, 1]]", extra=f", sustain: {value}"), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:7:") and message in result.stderr
    usage = run_cli("validate", "--sustain=-1m", str(path))
    assert usage.returncode == 2 and "negative" in usage.stderr


def test_a_group_too_big_is_read_on_an_even_grid(monkeypatch):
    from replay_viewer.analysis import thresholds

    exact = compute_metrics(parse_incident(GROUP)).thresholds[0]
    # 7 distinct times × 2 members is over a budget of 10: read at 5 even times over 0–300.
    monkeypatch.setattr(thresholds, "GROUP_BUDGET", 10)
    compute_metrics.cache_clear()
    coarse = compute_metrics(parse_incident(GROUP)).thresholds[0]
    compute_metrics.cache_clear()
    # Grid 0, 75, 150, 225, 300: b is over at 75 (held from 30) and at 150; a in b's gap at 90
    # is not on the grid, so the two breaches read as one.
    assert [e.start for e in exact.episodes] == [30.0, 150.0]
    assert episodes(coarse) == [(75.0, 225.0, 150.0)]
    assert coarse.worst_series == "b"
