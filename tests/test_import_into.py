"""``--into INCIDENT.yaml`` for every importer: series (and events) added to an existing
incident's text, placed by its ``started_at``, ids that clash renamed, comments kept."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from replay_viewer.errors import UsageError
from replay_viewer.importers.cli_common import write_draft
from replay_viewer.importers.common import ImportedEvent, ImportedSeries
from replay_viewer.importers.writer import IncidentDraft
from replay_viewer.loader import load_incident

from .import_helpers import IMPORT_DATA, import_fails, import_ok

P99 = IMPORT_DATA / "prometheus_p99.json"
PER_POD = IMPORT_DATA / "datadog_per_pod.json"
CW1, CW2 = IMPORT_DATA / "cloudwatch_page1.json", IMPORT_DATA / "cloudwatch_page2.json"

HAND_WRITTEN = """\
# Checkout incident, written by hand: keep this comment
format: incident-replay/1
title: Checkout p99   # and this one
started_at: 2025-06-03T09:41:00Z
series:
- id: api
  label: api p99
  unit: ms
  samples:
  - [0, 120]   # the deploy
  - [60, 1e3]
events:
- {at: 30, kind: deploy, title: Deploy v2.4.1}
# trailing comment
"""


def test_datadog_series_merge_into_a_prometheus_import(tmp_path):
    incident = tmp_path / "checkout.yaml"
    import_ok("prometheus", str(P99), "--label", "{job} p99", "-o", str(incident))
    before = incident.read_text(encoding="utf-8")
    stdout, _ = import_ok("datadog", str(PER_POD), "--into", str(incident))
    assert stdout.splitlines()[0] == (
        f"{incident}: added 3 series and 0 events (replay-viewer import datadog "
        "datadog_per_pod.json)"
    )
    after = incident.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: nothing else changed
    merged = load_incident(incident)
    assert [s.id for s in merged.series] == ["api_p99", "web_p99", "api-1", "api-2", "api-3"]
    # Both start at 09:40:00Z, the incident's started_at: the pods' times start at 0.
    assert merged.series[2].times.tolist() == [0, 15, 30, 45, 60, 75]


def test_comments_kept_ids_renamed_times_by_started_at(tmp_path):
    incident = tmp_path / "hand.yaml"
    incident.write_text(HAND_WRITTEN, encoding="utf-8")
    stdout, _ = import_ok("cloudwatch", str(CW1), str(CW2), "--unit", "ms", "--into",
                          str(incident))  # fmt: skip
    assert "  already taken, renamed: api → api-2" in stdout
    text = incident.read_text(encoding="utf-8")
    for kept in (
        "keep this comment",
        "# and this one",
        "# the deploy",
        "[60, 1e3]",
        "# trailing comment",
        "{at: 30, kind: deploy, title: Deploy v2.4.1}",
    ):
        assert kept in text  # fmt: skip
    merged = load_incident(incident)
    assert [s.id for s in merged.series] == ["api", "api-2", "web"]
    assert merged.series[0].values.tolist() == [120, 1000]  # 1e3 still a number
    # CloudWatch's first sample is 09:40:00, a minute before the incident's T+0.
    assert merged.series[1].times[0] == -60
    assert [e.title for e in merged.events] == ["Deploy v2.4.1"]


def test_into_needs_started_at_and_an_agreeing_start(tmp_path):
    incident = tmp_path / "noclock.yaml"
    incident.write_text(HAND_WRITTEN.replace("started_at: 2025-06-03T09:41:00Z\n", ""),
                        encoding="utf-8")  # fmt: skip
    before = incident.read_text(encoding="utf-8")
    stderr = import_fails("datadog", str(PER_POD), "--into", str(incident), code=2)
    assert "has no started_at" in stderr
    incident.write_text(HAND_WRITTEN, encoding="utf-8")
    stderr = import_fails("datadog", str(PER_POD), "--into", str(incident), "--start",
                          "2025-06-03T09:40:00Z", code=2)  # fmt: skip
    assert "--start differs from" in stderr
    assert "needs" not in before and incident.read_text(encoding="utf-8") == HAND_WRITTEN


def test_output_with_into_leaves_the_original_untouched(tmp_path):
    incident, copy = tmp_path / "hand.yaml", tmp_path / "copy.yaml"
    incident.write_text(HAND_WRITTEN, encoding="utf-8")
    import_ok("datadog", str(PER_POD), "--into", str(incident), "-o", str(copy),
              "--title", "Checkout, with pods")  # fmt: skip
    assert incident.read_text(encoding="utf-8") == HAND_WRITTEN
    assert load_incident(copy).title == "Checkout, with pods"
    stderr = import_fails("datadog", str(PER_POD), "--into", str(incident), "-o", str(copy),
                          code=2)  # fmt: skip
    assert "exists; add --overwrite" in stderr


def test_neither_output_nor_into_is_a_usage_error(tmp_path):
    stderr = import_fails("datadog", str(PER_POD), code=2)
    assert "give -o OUT.yaml (a new incident) or --into INCIDENT.yaml" in stderr


def test_a_group_already_there_is_not_joined(tmp_path):
    # Another source's pods are not members of the incident's group of the same name.
    incident = tmp_path / "hand.yaml"
    query = "avg:trace.http.request.duration{service:checkout} by {pod}"
    incident.write_text(HAND_WRITTEN.replace("  unit: ms\n", f"  unit: s\n  group: '{query}'\n"),
                        encoding="utf-8")  # fmt: skip
    stdout, _ = import_ok("datadog", str(PER_POD), "--into", str(incident))
    assert f'already taken, renamed: group "{query}" → "{query} (2)"' in stdout
    assert {s.group for s in load_incident(incident).series} == {query, f"{query} (2)"}


def test_an_invalid_merge_writes_nothing(tmp_path):
    # -o in another folder: the incident's data file is no longer beside it.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    incident, copy = tmp_path / "a" / "hand.yaml", tmp_path / "b" / "copy.yaml"
    (tmp_path / "a" / "db.csv").write_text("time,value\n0,1\n60,2\n", encoding="utf-8")
    incident.write_text(HAND_WRITTEN.replace("events:", "- {id: db, file: db.csv}\nevents:"),
                        encoding="utf-8")  # fmt: skip
    load_incident(incident)
    stderr = import_fails("datadog", str(PER_POD), "--into", str(incident), "-o", str(copy))
    assert f"merging would make {copy} invalid, so nothing was written" in stderr
    assert "db.csv" in stderr
    assert list((tmp_path / "b").iterdir()) == []


def big_answer(path, pods: int, points: int) -> None:
    t0 = 1748943600000
    series = [
        {"metric": "m", "tag_set": [f"pod:p{i}"], "query_index": 0,
         "pointlist": [[t0 + 1000 * k, float(k % 50 + i)] for k in range(points)]}
        for i in range(pods)
    ]  # fmt: skip
    path.write_text(json.dumps({"status": "ok", "query": "m by {pod}", "series": series}),
                    encoding="utf-8")  # fmt: skip


def test_long_series_merged_go_to_the_incident_data_folder(tmp_path):
    incident, big = tmp_path / "hand.yaml", tmp_path / "big.json"
    incident.write_text(HAND_WRITTEN, encoding="utf-8")
    big_answer(big, pods=2, points=6_000)
    stdout, _ = import_ok("datadog", str(big), "--into", str(incident))
    assert "6,000 samples, 0 gaps → hand.data/p0.npy" in stdout
    # Again: the same ids are taken now, and so are the file names.
    stdout, _ = import_ok("datadog", str(big), "--into", str(incident), "--data-format", "csv")
    assert (
        'already taken, renamed: p0 → p0-2, p1 → p1-2, group "m by {pod}" → "m by {pod} (2)"'
    ) in stdout
    assert sorted(p.name for p in (tmp_path / "hand.data").iterdir()) == [
        "p0-2.csv", "p0.npy", "p1-2.csv", "p1.npy"
    ]  # fmt: skip
    merged = load_incident(incident)
    assert [s.id for s in merged.series] == ["api", "p0", "p1", "p0-2", "p1-2"]
    assert np.array_equal(merged.series[1].values, merged.series[3].values)
    assert merged.series[4].times[-1] == 5_999 - 60  # placed by started_at (09:41)


def test_write_draft_merges_events_with_spans(tmp_path):
    # What the timeline importers rely on: a draft of events only, --into an incident.
    incident = tmp_path / "hand.yaml"
    incident.write_text(HAND_WRITTEN, encoding="utf-8")
    t0 = 1748943660.0  # 09:41:00Z
    events = [
        ImportedEvent(t0 + 90, "alert", "HighErrorBudgetBurn", "p99 over SLO", until=t0 + 340),
        ImportedEvent(t0 + 30, "deploy", "Deploy v2.4.1"),  # already there: not doubled
    ]
    args = argparse.Namespace(into=incident, output=None, overwrite=False, title=None,
                              start=None, data_format="npy")  # fmt: skip
    draft = IncidentDraft("alerts", [], events=events, made_by="test")
    report = write_draft(draft, args)
    assert report.startswith(f"{incident}: added 0 series and 1 event (1 already there)")
    merged = load_incident(incident)
    assert [(e.at, e.kind, e.title, e.until) for e in merged.events] == [
        (30, "deploy", "Deploy v2.4.1", None),
        (90, "alert", "HighErrorBudgetBurn", 340),
    ]
    assert "# trailing comment" in incident.read_text(encoding="utf-8")


def test_write_draft_merges_series_with_relative_times(tmp_path):
    incident = tmp_path / "hand.yaml"
    incident.write_text(HAND_WRITTEN.replace("started_at: 2025-06-03T09:41:00Z\n", ""),
                        encoding="utf-8")  # fmt: skip
    series = [ImportedSeries("queue depth", [0, 30, 60], [1, 5, 2], id="queue")]
    args = argparse.Namespace(into=incident, output=None, overwrite=False, title=None,
                              start=None, data_format="npy")  # fmt: skip
    write_draft(IncidentDraft("q", series, relative=True, made_by="test"), args)
    assert load_incident(incident).series[1].times.tolist() == [0, 30, 60]


def test_events_alone_need_an_incident_to_go_into(tmp_path):
    args = argparse.Namespace(into=None, output=tmp_path / "e.yaml", overwrite=False,
                              title=None, start=None, data_format="npy")  # fmt: skip
    draft = IncidentDraft("alerts", [], events=[ImportedEvent(0, "alert", "x")], made_by="t")
    with pytest.raises(UsageError, match="add these events to one with --into"):
        write_draft(draft, args)
    assert not args.output.exists()
