"""``import alertmanager``: webhook payloads and /api/v2/alerts answers become alert spans
merged into an incident whose every other byte is kept."""

from __future__ import annotations

import difflib

import pytest

from replay_viewer.importers.alertmanager import events_from_alerts
from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.json_source import JsonSource
from replay_viewer.loader import load_incident

from .conftest import BUNDLED
from .import_helpers import IMPORT_DATA, import_fails, import_ok, imported_incident, only_added

WEBHOOK = IMPORT_DATA / "alertmanager_webhook.json"
V2 = IMPORT_DATA / "alertmanager_v2_alerts.json"


def test_webhook_payloads_become_one_span_per_firing(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    stdout, _ = import_ok("alertmanager", str(WEBHOOK), "--into", str(incident))
    assert stdout == (
        f"{incident}: added 3 events from {WEBHOOK} (0 already there; kinds: alert)\n"
        "  1 still firing when saved: drawn to the incident's end (T+05:00)\n"
    )
    # Three payloads, four alert mentions: api-7 firing then resolved is one span.
    assert only_added(before, incident.read_text(encoding="utf-8")) == (
        "events:\n"
        '  - {at: 20, kind: alert, title: "CacheHitRateLow", '
        'detail: "cache hit rate under 70 %", until: 180}\n'
        '  - {at: 45.5, kind: alert, title: "HighLatency pod=api-7", '
        'detail: "p99 above 2 s on api-7 — p99 latency has been above 2 s for 30 s.", '
        "until: 270}\n"
        '  - {at: 60, kind: alert, title: "HighLatency pod=api-8", '
        'detail: "p99 above 2 s on api-8 (still firing)", until: 300}\n'
    )
    events = load_incident(incident).events
    assert [(e.at, e.until) for e in events] == [(20, 180), (45.5, 270), (60, 300)]
    # Again: nothing doubles, the file is not touched.
    after = incident.read_text(encoding="utf-8")
    stdout, _ = import_ok("alertmanager", str(WEBHOOK), "--into", str(incident))
    assert "added 0 events" in stdout and "3 already there" in stdout
    assert incident.read_text(encoding="utf-8") == after


def test_api_v2_alerts_are_still_firing(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    out = tmp_path / "with-alerts.yaml"
    stdout, _ = import_ok("alertmanager", str(V2), "--into", str(incident), "-o", str(out))
    assert "2 still firing when saved" in stdout
    assert incident.read_text(encoding="utf-8") == before  # -o: the original is untouched
    # endsAt of a listed alert is when it would time out, not an end: to the incident's end.
    assert only_added(before, out.read_text(encoding="utf-8")) == (
        "events:\n"
        '  - {at: 60, kind: alert, title: "HighLatency", '
        'detail: "p99 above 2 s on api-8 (still firing)", until: 300}\n'
        '  - {at: 150, kind: alert, title: "DiskFillingUp", detail: "disk on db-1 full '
        'within 4 h — Predicted from the last hour of writes. (still firing, silenced)", '
        "until: 300}\n"
    )


def test_merge_into_a_hand_written_incident_keeps_it(tmp_path):
    out = tmp_path / "merged.yaml"
    original = BUNDLED.read_text(encoding="utf-8")
    import_ok(
        "alertmanager", str(WEBHOOK), "--into", str(BUNDLED), "-o", str(out),
        "--start", "2025-06-03T09:40:00Z",
    )  # fmt: skip
    merged = out.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(original.splitlines(), merged.splitlines(), n=0))
    changed = [line for line in diff[2:] if not line.startswith("@@")]
    assert len(changed) == 3 and all(line.startswith("+  - {at: ") for line in changed)
    assert BUNDLED.read_text(encoding="utf-8") == original
    incident = load_incident(out)
    assert len(incident.events) == 9 + 3
    # The bundled incident runs to T+14:00: the alert still firing spans to there.
    firing = next(e for e in incident.events if e.title == "HighLatency pod=api-8")
    assert (firing.at, firing.until) == (60, 840)


def alerts(text: str, open_until: float = 2e9):
    return events_from_alerts([JsonSource(text, "a.json")], open_until=open_until)


def test_titles_name_the_labels_that_differ_per_alertname():
    at = '"startsAt": "2025-06-03T09:00:00Z"'
    events = alerts(
        f'[{{"labels": {{"alertname": "A", "pod": "p1", "zone": "x"}}, {at}}},'
        f' {{"labels": {{"alertname": "A", "pod": "p2", "zone": "x"}}, {at}}},'
        ' {"labels": {"alertname": "B", "pod": "p3"}, "startsAt": "2025-06-03T09:01:00Z",'
        '  "endsAt": "2025-06-03T09:02:00Z"}]'
    )
    assert [(e.title, e.until) for e in events] == [
        ("A pod=p1", 2e9),
        ("A pod=p2", 2e9),
        ("B", 1748941320),
    ]


def test_a_firing_that_starts_after_the_end_is_a_point():
    payload = (
        '{"version": "4", "status": "firing", "alerts": [{"status": "firing", "labels": '
        '{"alertname": "Late"}, "startsAt": "2025-06-03T10:00:00Z", '
        '"endsAt": "0001-01-01T00:00:00Z"}]}'
    )
    (event,) = alerts(payload, open_until=0.0)
    assert event.until is None and event.detail == "(still firing)"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"receiver": "x"}', "a.json:1:1: error: the top level: expected an Alertmanager webhook"),
        ('"bad matcher"', "a.json:1:1: error: the top level: Alertmanager answered an error: bad"),
        ('{"alerts": {}}', "a.json:1:12: error: alerts: expected an Alertmanager webhook payload"),
        ('{"alerts": [3]}', "a.json:1:13: error: alerts[0]: expected an alert"),
        ('[{"labels": "x", "startsAt": "2025-06-03T09:00:00Z"}]',
         "a.json:1:13: error: [0].labels: expected the alert's 'labels'"),
        ('[{"labels": {}, "startsAt": "noon"}]',
         "a.json:1:29: error: [0].startsAt: 'startsAt' must be an RFC 3339 time"),
        ('{"alerts": [{"labels": {}, "startsAt": "2025-06-03T09:00:00Z", "status": "gone"}]}',
         "a.json:1:74: error: alerts[0].status: expected 'firing' or 'resolved', got 'gone'"),
        ('{"alerts": [{"labels": {}, "startsAt": "2025-06-03T09:00:00Z", "status": "resolved",'
         ' "endsAt": "0001-01-01T00:00:00Z"}]}',
         "a.json:1:96: error: alerts[0].endsAt: a resolved alert needs its 'endsAt'"),
        ('[{"labels": {}, "startsAt": "2025-06-03T09:00:00Z", "status": {"state": "x"}}]',
         "a.json:1:73: error: [0].status.state: expected 'state' to be one of active"),
        ('{"version": "4", "alerts": []}', "a.json:1:1: error: the top level: no alerts"),
        ("[]", "a.json:1:1: error: the top level: no alerts"),
    ],
)  # fmt: skip
def test_wrong_shapes_are_positioned(text, where):
    with pytest.raises(ImportInputError) as caught:
        alerts(text)
    assert str(caught.value).startswith(where)


def test_empty_input_writes_nothing(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text('{"version": "4", "status": "resolved", "alerts": []}\n', encoding="utf-8")
    stderr = import_fails("alertmanager", str(empty), "--into", str(incident))
    assert stderr.startswith(f"{empty}:1:1: error: the top level: no alerts in this input")
    assert incident.read_text(encoding="utf-8") == before


def test_without_fingerprints_the_labels_tell_alerts_apart():
    alert = '"labels": {"alertname": "A", "pod": "p1"}, "startsAt": "2025-06-03T09:00:00Z"'
    events = alerts(
        f'[{{"alerts": [{{{alert}, "status": "firing", "fingerprint": 7, "endsAt": null}}]}},'
        f' {{"alerts": [{{{alert}, "status": "resolved", "endsAt": "2025-06-03T09:05:00Z"}}]}}]'
    )
    assert [(e.title, e.at, e.until, e.detail) for e in events] == [
        ("A", 1748941200, 1748941500, "")
    ]
