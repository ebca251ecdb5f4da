"""Incident metrics computed from the data: the bundled incident against the case study,
the edge cases of thresholds, and the rule for outcomes typed by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from replay_viewer.analysis import (
    compute_metrics,
    metrics_json,
    metrics_lines,
    metrics_table,
    outcome_checks,
    parse_stated_duration,
)
from replay_viewer.loader import parse_incident

from .conftest import BUNDLED, load_incident
from .test_cli import run_cli


def test_bundled_incident_matches_the_case_study():
    # Case study: deploy at T+0, p99 2,400 ms from T+00:12, alert at T+02:00, mitigation at
    # T+05:00, "p99 back under 200ms" at T+11:00, "14 minutes to all-clear".
    metrics = compute_metrics(load_incident(BUNDLED))
    assert metrics.trigger.kind == "deploy" and metrics.trigger.at == 0
    assert metrics.durations() == {
        "detection": 12.0,
        "mitigation": 300.0,
        "recovery": 660.0,
        "all-clear": 840.0,
    }
    p99, hit_rate = metrics.thresholds
    assert p99.recovered_at == 660.0  # first sample under 200 ms: 198 at T+11:00
    assert p99.first_outside == 15.0 and p99.time_outside == 645.0
    assert (p99.worst_value, p99.worst_at) == (2400.0, 15.0)
    assert hit_rate.recovered_at == 450.0  # 71.3 % at T+07:30: the 70 % warm-up gate
    assert (hit_rate.worst_value, hit_rate.worst_at) == (11.4, 80.0)
    (check,) = outcome_checks(load_incident(BUNDLED), metrics)
    assert check.outcome.label == "Total recovery time" and check.milestone == "all-clear"
    assert check.agrees


INCIDENT = """
title: t
series:
  - id: a
    samples: [[0, 1], [10, 5], [20, null], [30, 6], [40, 2], [50, 7], [60, 1]]
  - id: b
    samples: [[0, 9], [30, 9]]
thresholds:
  - {series: a, value: 4, label: a high}
  - {series: b, value: 3, label: b low, bad: below}
  - {series: b, value: 8, label: b high}
events:
  - {at: 5, kind: note, title: first}
  - {at: 45, kind: alert, title: paged}
outcomes:
  - {value: 40 s, label: Time to detect}
  - {value: 2 min, label: Time to mitigate}
  - {value: 99%, label: Availability}
"""


def test_thresholds_gaps_and_still_outside():
    # sustain 0: every sample counts on its own (the sustained rules: test_milestones.py).
    incident = parse_incident(INCIDENT)
    metrics = compute_metrics(incident, 0)
    a_high, b_low, b_high = metrics.thresholds
    # a: outside at 10 (held to the gap at 20), 30 (to 40), 50 (to 60): 30 s; the gap is
    # not outside; last outside sample 50, back inside at 60.
    assert a_high.time_outside == 30.0
    assert (a_high.first_outside, a_high.recovered_at) == (10.0, 60.0)
    assert (a_high.worst_value, a_high.worst_at) == (7.0, 50.0)
    assert not b_low.breached and b_low.recovered_at is None
    assert b_high.still_outside and b_high.recovered_at is None
    assert metrics.recovered_at is None  # b never came back above... below 8
    # No deploy: the first event is the trigger.
    assert metrics.trigger.title == "first"
    assert metrics.durations()["detection"] == 40.0
    assert metrics.durations()["mitigation"] is None
    # At the default 60 s, nothing here lasts long enough to be a breach.
    assert not any(m.breached for m in compute_metrics(incident).thresholds)


def test_outcome_rule_reports_disagreements():
    incident = parse_incident(INCIDENT)
    checks = outcome_checks(incident, compute_metrics(incident))
    assert [(c.milestone, c.stated, c.computed, c.agrees) for c in checks] == [
        ("detection", 40.0, 40.0, True),
        ("mitigation", 120.0, None, False),  # stated, but no mitigate event: disagrees
    ]
    rows = metrics_lines(incident, 0)
    warned = [row.name for row in rows if row.warn]
    assert warned == ["b high", "outcome 'Time to mitigate'"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 min", (840.0, 30.0)),
        ("2.5 min", (150.0, 3.0)),
        ("90s", (90.0, 0.5)),
        ("1 hour", (3600.0, 1800.0)),
        ("99.97%", None),
        ("−60%", None),
        ("0", None),
    ],
)
def test_stated_durations(text, expected):
    assert parse_stated_duration(text) == expected


def test_disagreement_tolerance_is_half_the_last_digit():
    text = INCIDENT.replace("{value: 40 s, label: Time to detect}", "{value: 1 min, label: detect}")
    incident = parse_incident(text)
    (check, _) = outcome_checks(incident, compute_metrics(incident))
    assert check.computed == 40.0 and check.agrees  # 40 s is "1 min" to the minute
    text = text.replace("{value: 1 min, label: detect}", "{value: 1.0 min, label: detect}")
    incident = parse_incident(text)
    (check, _) = outcome_checks(incident, compute_metrics(incident))
    assert not check.agrees  # "1.0 min" claims ±3 s


def test_validate_metrics_table_and_json():
    table = run_cli("validate", "--metrics", str(BUNDLED))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].endswith("ok (2 series, 9 events, duration T+14:00)")
    assert any("time to recovery" in line and "11:00" in line for line in lines)
    assert any("time to all-clear" in line and "14:00" in line for line in lines)
    assert table.stdout.rstrip("\n").endswith(metrics_table(load_incident(BUNDLED)))

    result = run_cli("validate", "--metrics", "--json", str(BUNDLED), "no-such.yaml")
    assert result.returncode == 1
    good, bad = json.loads(result.stdout)
    assert good["metrics"] == json.loads(json.dumps(metrics_json(load_incident(BUNDLED))))
    assert good["metrics"]["time_to_s"]["recovery"] == 660.0
    assert [slo["label"] for slo in good["metrics"]["slos"]] == ["p99 under 200 ms"]
    assert bad["ok"] is False and "no-such.yaml" in bad["errors"][0]


def test_metrics_never_change_the_model():
    incident = load_incident(BUNDLED)
    before = [s.values.copy() for s in incident.series]
    compute_metrics.cache_clear()
    compute_metrics(incident)
    assert all(np.array_equal(a, s.values) for a, s in zip(before, incident.series, strict=True))


@pytest.mark.parametrize(
    ("thresholds", "note"),
    [
        ("", "no thresholds to recover from"),  # was: "not recovered in the data"
        ("thresholds: [{series: a, value: 100, label: never}]\n", "no threshold breached"),
        ("thresholds: [{series: a, value: 1, label: always}]\n", "not recovered in the data"),
    ],
)
def test_the_recovery_row_says_why_there_is_no_recovery(thresholds, note):
    incident = parse_incident(
        "title: t\nseries: [{id: a, samples: [[0, 5], [60, 5], [600, 5]]}]\n"
        "events: [{at: 0, kind: deploy, title: d}]\n" + thresholds
    )
    (row,) = [r for r in metrics_table(incident).splitlines() if "time to recovery" in r]
    assert note in row, row
