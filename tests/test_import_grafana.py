"""``import grafana-annotations``: annotations become events merged into an incident whose
every other byte is kept."""

from __future__ import annotations

import shutil

import pytest

from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.grafana import events_from_annotations, html_to_text, parse_kind_map
from replay_viewer.importers.json_source import JsonSource
from replay_viewer.loader import load_incident

from .conftest import BUNDLED
from .import_helpers import IMPORT_DATA, import_fails, import_ok

ANNOTATIONS = IMPORT_DATA / "grafana_annotations.json"
P99 = IMPORT_DATA / "prometheus_p99.json"


@pytest.fixture
def incident_file(tmp_path):
    path = tmp_path / "checkout.yaml"
    import_ok("prometheus", str(P99), "--label", "{job} p99", "-o", str(path))
    return path


def test_annotations_merge_into_an_imported_incident(incident_file):
    before = incident_file.read_text(encoding="utf-8")
    stdout, _ = import_ok(
        "grafana-annotations",
        str(ANNOTATIONS),
        "--into",
        str(incident_file),
        "--kind-map",
        "oncall-bot=diagnose",
    )
    assert stdout == (
        f"{incident_file}: added 5 events from {ANNOTATIONS} (0 already there; kinds: alert, "
        "deploy, diagnose, mitigate, resolve)\n"
    )
    after = incident_file.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing else changed: the events were appended
    events = load_incident(incident_file).events
    assert [(e.at, e.kind) for e in events] == [
        (10, "deploy"),
        (60, "alert"),
        (95.5, "diagnose"),
        (120, "mitigate"),
        (300, "resolve"),
    ]
    assert events[0].title == "Deploy v2.4.1 (cache key prefix bumped)"
    assert events[1].title == "HighErrorBudgetBurn"  # an alert annotation: its state
    assert events[2].title == "Root cause: cache prefix bump"
    assert events[2].detail == "see runbook & the deploy diff [tags: oncall-bot]"
    assert events[3].detail.startswith("Singleflight on the canary first. (region, 4 min)")
    # Again: nothing doubles.
    stdout, _ = import_ok(
        "grafana-annotations",
        str(ANNOTATIONS),
        "--into",
        str(incident_file),
        "--kind-map",
        "oncall-bot=diagnose",
    )
    assert "added 0 events" in stdout and "5 already there" in stdout
    assert incident_file.read_text(encoding="utf-8") == after


def test_merge_keeps_comments_and_yaml12_numbers(tmp_path):
    path = tmp_path / "case.yaml"
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "      - [T+14:00, 107]", "      - [T+14:00, 1.07e2]"
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "merged.yaml"
    import_ok(
        "grafana-annotations",
        str(ANNOTATIONS),
        "--into",
        str(path),
        "-o",
        str(out),
        "--start",
        "2025-06-03T09:40:00Z",
        "--title",
        "Merged",
    )
    assert path.read_text(encoding="utf-8") == text  # -o: the original is untouched
    merged = out.read_text(encoding="utf-8")
    assert "# Cache Stampede During Deploy: the case study" in merged
    assert "# rose" in merged and "1.07e2" in merged
    incident = load_incident(out)
    assert incident.title == "Merged"
    assert len(incident.events) == 9 + 5
    assert incident.series[0].values[-1] == 107.0
    assert merged.index('kind: deploy, title: "Deploy v2.4.1') < merged.index("\nactions:")


def test_the_incident_clock_places_the_events(tmp_path, incident_file):
    # The imported file has started_at 09:40:00Z; a different --start is refused.
    stderr = import_fails(
        "grafana-annotations",
        str(ANNOTATIONS),
        "--into",
        str(incident_file),
        "--start",
        "2025-06-03T10:00:00Z",
        code=2,
    )
    assert "differs from" in stderr and "started_at" in stderr
    bare = tmp_path / "bare.yaml"
    shutil.copy(BUNDLED, bare)
    stderr = import_fails("grafana-annotations", str(ANNOTATIONS), "--into", str(bare), code=2)
    assert "has no started_at: give --start" in stderr


def test_invalid_into_and_existing_output(tmp_path, incident_file):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nseries: 3\n", encoding="utf-8")
    stderr = import_fails("grafana-annotations", str(ANNOTATIONS), "--into", str(broken))
    assert f"{broken}:2:9: error:" in stderr
    taken = tmp_path / "taken.yaml"
    taken.write_text("x\n", encoding="utf-8")
    stderr = import_fails(
        "grafana-annotations",
        str(ANNOTATIONS),
        "--into",
        str(incident_file),
        "-o",
        str(taken),
        code=2,
    )
    assert "exists; add --overwrite" in stderr


def test_html_is_reduced_to_text():
    html = "<div>Rolled <b>back</b>&nbsp;v2 &lt;fast&gt;</div><script>x()</script><ul><li>a"
    assert html_to_text(html) == "Rolled back v2 <fast>\na"  # &nbsp; collapses too


def annotations(text: str):
    return events_from_annotations(JsonSource(text, "a.json"), parse_kind_map(None))


def test_kinds_from_tags_and_the_kind_map():
    events = annotations(
        '[{"time": 0, "text": "a", "tags": ["Release"]},'
        ' {"time": 1000, "text": "b", "tags": ["misc"]},'
        ' {"time": 2000, "text": "c", "newState": "ok"}]'
    )
    assert [e.kind for e in events] == ["deploy", "note", "recover"]
    assert parse_kind_map("misc=detect")["misc"] == "detect"
    with pytest.raises(ImportInputError, match="TAG=KIND"):
        parse_kind_map("misc=boom")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"message": "Unauthorized"}', "a.json:1:1: error: the top level: Grafana answered"),
        ('[{"time": "noon", "text": "x"}]', "a.json:1:11: error: [0].time: 'time' must be"),
        ('[{"time": 1, "tags": "deploy"}]', "a.json:1:22: error: [0].tags: expected a list"),
        ("[]", "a.json:1:1: error: the top level: no annotations"),
    ],
)
def test_annotation_errors_are_positioned(text, where):
    with pytest.raises(ImportInputError) as caught:
        annotations(text)
    assert str(caught.value).startswith(where)
