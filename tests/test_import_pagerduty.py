"""``import pagerduty``: an incident's log entries become its timeline, merged into an
incident whose every other byte is kept."""

from __future__ import annotations

import json

import pytest

from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.json_source import JsonSource
from replay_viewer.importers.pagerduty import events_from_log_entries

from .import_helpers import IMPORT_DATA, import_fails, import_ok, imported_incident, only_added

LOG = IMPORT_DATA / "pagerduty_log_entries.json"


def test_log_entries_become_the_timeline(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    stdout, _ = import_ok("pagerduty", str(LOG), "--into", str(incident))
    assert stdout == (
        f"{incident}: added 5 events from {LOG} (0 already there; kinds: alert, detect, note, "
        "resolve)\n"
        "  skipped 3 log entries: 1 assign_log_entry, 1 escalate_log_entry, 1 notify_log_entry "
        "(--routing adds escalations, assignments, notifications)\n"
    )
    assert only_added(before, incident.read_text(encoding="utf-8")) == (
        "events:\n"
        '  - {at: 50, kind: alert, title: "Triggered through the API", detail: "[#4711] '
        'HighLatency api: [FIRING:1] HighLatency api (page) (by Checkout API)"}\n'
        '  - {at: 100, kind: detect, title: "Acknowledged by Priya Raman"}\n'
        '  - {at: 130, kind: note, title: "Cache key prefix bump in v2.4.1 is the trigger; '
        'rolling back", detail: "(by Priya Raman)"}\n'
        '  - {at: 200, kind: note, title: "Rollback done", '
        'detail: "hit rate recovering, watching p99 (by Jonas Weber)"}\n'
        '  - {at: 290, kind: resolve, title: "Resolved by Priya Raman"}\n'
    )
    # Again, with the routing entries: only those are new.
    stdout, _ = import_ok("pagerduty", str(LOG), "--into", str(incident), "--routing")
    assert "added 3 events" in stdout and "5 already there" in stdout
    assert "skipped" not in stdout
    added = only_added(before, incident.read_text(encoding="utf-8"))
    assert added.endswith(
        '  - {at: 50, kind: note, title: "Assigned to Priya Raman", detail: "(by Checkout API)"}\n'
        '  - {at: 51, kind: note, title: "Notified Priya Raman by push notification"}\n'
        '  - {at: 80, kind: note, title: "Escalated to Jonas Weber"}\n'
    )


def test_pages_merge_and_an_entry_on_two_pages_counts_once(tmp_path):
    entries = json.loads(LOG.read_text(encoding="utf-8"))["log_entries"]
    first, second = tmp_path / "page1.json", tmp_path / "page2.json"
    first.write_text(json.dumps({"log_entries": entries[:5], "more": True}), encoding="utf-8")
    second.write_text(json.dumps(entries[4:]), encoding="utf-8")  # a bare list; [4] again
    incident = imported_incident(tmp_path)
    stdout, _ = import_ok("pagerduty", str(first), str(second), "--into", str(incident))
    assert stdout.startswith(f"{incident}: added 5 events from {first}, {second} (0 already")


def entries(text: str, routing: bool = False):
    return events_from_log_entries([JsonSource(text, "pd.json")], routing=routing)


def test_a_note_is_titled_by_its_text_and_an_unknown_type_is_skipped():
    events, skipped = entries(
        '[{"type": "annotate_log_entry", "created_at": "2025-06-03T09:41:00Z", '
        '"summary": "Note added", "channel": {"type": "note", "content": "DB failover\\nok"}},'
        ' {"type": "priority_change_log_entry", "created_at": "2025-06-03T09:42:00Z"}]'
    )
    assert [(e.kind, e.title, e.detail) for e in events] == [("note", "DB failover", "ok")]
    assert skipped == {"priority_change_log_entry": 1}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"incidents": []}', "pd.json:1:1: error: the top level: expected PagerDuty log entries"),
        ('{"log_entries": 3}', "pd.json:1:17: error: log_entries: expected PagerDuty log entries"),
        ('{"error": {"message": "Not Found", "code": 2100}}',
         "pd.json:1:11: error: error: PagerDuty answered an error: Not Found"),
        ("[7]", "pd.json:1:2: error: [0]: expected a log entry"),
        ('[{"created_at": "2025-06-03T09:41:00Z"}]', "pd.json:1:2: error: [0]: expected the log"),
        ('[{"type": "trigger_log_entry", "created_at": 5}]',
         "pd.json:1:46: error: [0].created_at: 'created_at' must be an ISO-8601 time"),
        ('[{"type": "trigger_log_entry", "created_at": "2025-06-03T09:41:00Z", "summary": 1}]',
         "pd.json:1:81: error: [0].summary: expected the log entry's 'summary'"),
        ('{"log_entries": []}', "pd.json:1:1: error: the top level: no log entries"),
        ('[{"type": "notify_log_entry", "created_at": "2025-06-03T09:41:00Z"}]',
         "pd.json:1:1: error: the top level: none of the 1 log entries is a trigger"),
    ],
)  # fmt: skip
def test_wrong_shapes_are_positioned(text, where):
    with pytest.raises(ImportInputError) as caught:
        entries(text)
    assert str(caught.value).startswith(where)


def test_empty_input_writes_nothing(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text('{"log_entries": [], "more": false}\n', encoding="utf-8")
    stderr = import_fails("pagerduty", str(empty), "--into", str(incident))
    assert stderr.startswith(f"{empty}:1:1: error: the top level: no log entries in this answer")
    assert incident.read_text(encoding="utf-8") == before
