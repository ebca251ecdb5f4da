"""``import cloudwatch``: what ``aws cloudwatch get-metric-data`` (pages merged by result Id,
newest first, PartialData, Forbidden) and ``get-metric-statistics`` print."""

from __future__ import annotations

import json
import math

import pytest

from replay_viewer.importers.cloudwatch import series_from_cloudwatch
from replay_viewer.importers.cloudwatch_stats import cloudwatch_unit
from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.json_source import JsonSource

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

PAGE1 = IMPORT_DATA / "cloudwatch_page1.json"  # newest first, PartialData, NextToken
PAGE2 = IMPORT_DATA / "cloudwatch_page2.json"  # the older half, Complete
STATS = IMPORT_DATA / "cloudwatch_statistics.json"
YEARS = "time is outside the years 1 to 9999 that a wall clock can show"


def values_of(series) -> list[float | None]:
    return [None if math.isnan(v) else v for v in series.values]


def test_two_pages_merge_by_id_into_one_group(tmp_path):
    out = tmp_path / "cw.yaml"
    stdout, incident = import_ok("cloudwatch", str(PAGE1), str(PAGE2), "--unit", "ms", "-o",
                                 str(out))  # fmt: skip
    assert stdout.splitlines() == [
        f'{out}: wrote "p99": 2 series, 0 events, T+00:00 to T+05:00, T+0 = 2025-06-03T09:40:00Z',
        '  group "p99": 2 series',
        "  api       6 samples ms, 0 gaps  ← checkout-api p99 (Id api)",
        "  web       6 samples ms, 1 gap  ← checkout-web p99 (Id web)",
    ]
    api, web = incident.series
    # Labels share "p99": the group; each member is labelled by what differs.
    assert [(s.id, s.label, s.group, s.unit) for s in incident.series] == [
        ("api", "checkout-api", "p99", "ms"),
        ("web", "checkout-web", "p99", "ms"),
    ]
    assert api.times.tolist() == [0, 60, 120, 180, 240, 300]  # oldest first now
    assert values_of(api) == [118.5, 120, 640, 2092.25, 1490, 812.5]
    # web has no data point at 09:44: a period without data is a gap.
    assert values_of(web) == [79.5, 80.25, 88, 130.5, None, 95]


def test_pages_in_any_order_give_the_same_incident(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    import_ok("cloudwatch", str(PAGE1), str(PAGE2), "-o", str(a))
    import_ok("cloudwatch", str(PAGE2), str(PAGE1), "-o", str(b))
    assert a.read_text(encoding="utf-8").split("\n", 1)[1].replace(
        "cloudwatch_page1.json cloudwatch_page2.json", ""
    ) == b.read_text(encoding="utf-8").split("\n", 1)[1].replace(
        "cloudwatch_page2.json cloudwatch_page1.json", ""
    )


def test_partial_data_without_the_rest_is_a_positioned_warning(tmp_path):
    out = tmp_path / "p.yaml"
    result = run_cli("import", "cloudwatch", str(IMPORT_DATA / "cloudwatch_partial.json"),
                     "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"{IMPORT_DATA / 'cloudwatch_partial.json'}:14:27: warning: "
        "MetricDataResults[0].StatusCode: result 'errors' is PartialData: CloudWatch returned "
        "part of the range; fetch the rest with the answer's NextToken and import all pages "
        "together\n"
    )
    assert out.exists()
    # With its last page (Complete), the first page's PartialData is no news: no warning.
    result = run_cli("import", "cloudwatch", str(PAGE1), str(PAGE2), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 0 and result.stderr == ""


def test_forbidden_is_an_error_quoting_the_messages(tmp_path):
    path = IMPORT_DATA / "cloudwatch_forbidden.json"
    stderr = import_fails("cloudwatch", str(path), "-o", str(tmp_path / "x.yaml"))
    assert stderr == (
        f"{path}:21:27: error: MetricDataResults[1].StatusCode: CloudWatch answered Forbidden "
        "for result 'db' (DatabaseConnections): Forbidden: not authorized to read metrics of "
        "account 210987654321 (no cross-account sharing); check the IAM permissions "
        "(cloudwatch:GetMetricData) and the account\n"
    )
    assert not (tmp_path / "x.yaml").exists()


def test_statistics_give_one_series_per_statistic_with_the_unit_mapped(tmp_path):
    out = tmp_path / "s.yaml"
    _, incident = import_ok("cloudwatch", str(STATS), "-o", str(out))
    assert [(s.label, s.unit, s.group) for s in incident.series] == [
        ("TargetResponseTime Average", "s", ""),
        ("TargetResponseTime Maximum", "s", ""),
        ("TargetResponseTime p99", "s", ""),
    ]
    average = incident.series[0]
    # Datapoints come in no order (as documented): sorted, without a warning.
    assert average.times.tolist() == [0, 60, 120, 180]
    assert average.values.tolist() == [0.12, 0.13, 0.41, 0.2]
    _, incident = import_ok("cloudwatch", str(STATS), "--statistic", "p99", "--scale", "1000",
                            "--unit", "ms", "-o", str(tmp_path / "p99.yaml"))  # fmt: skip
    (p99,) = incident.series
    assert (p99.label, p99.unit) == ("TargetResponseTime p99", "ms")
    assert p99.values.tolist() == pytest.approx([310, 350, 1950, 740])
    stderr = import_fails("cloudwatch", str(STATS), "--statistic", "p90", "-o",
                          str(tmp_path / "no.yaml"))  # fmt: skip
    assert "--statistic p90: the datapoints have no such statistic (they have: Average, " in (
        stderr
    )


@pytest.mark.parametrize(
    ("unit", "short"),
    [("Milliseconds", "ms"), ("Percent", "%"), ("Count/Second", "/s"), ("Bytes", "B"),
     ("Bytes/Second", "B/s"), ("Microseconds", "\u00b5s"), ("Count", ""), ("None", "")],
)  # fmt: skip
def test_cloudwatch_units(unit, short):
    assert cloudwatch_unit(unit) == short


def doc(data: object) -> JsonSource:
    return JsonSource(json.dumps(data, indent=1), "cw.json")


def result(rid: str, times: list[str], values: list, **extra) -> dict:
    return {"Id": rid, "Label": rid, "Timestamps": times, "Values": values, **extra}


def ts(second: int) -> str:
    return f"2025-06-03T09:40:{second:02d}Z"


def test_overlapping_pages_keep_repeated_times_with_a_warning():
    one = doc({"MetricDataResults": [result("m1", [ts(20), ts(10)], [2, 1])]})
    two = doc({"MetricDataResults": [result("m1", [ts(10), ts(0)], [5, 0])]})
    (series,) = series_from_cloudwatch([one, two])
    assert series.values.tolist() == [0, 1, 5, 2]  # the repeat kept, in page order
    assert series.warnings == [
        "cw.json:7:5: warning: MetricDataResults[0].Timestamps[0]: 1 sample repeats the time "
        "of a sample in another page (the pages overlap); kept in the order the pages were given"
    ]


def test_a_page_in_no_order_is_sorted_with_a_warning():
    page = doc({"MetricDataResults": [result("m1", [ts(10), ts(20), ts(0)], [1, 3, 0])]})
    (series,) = series_from_cloudwatch([page])
    assert series.values.tolist() == [0, 1, 3]
    assert len(series.warnings) == 1 and "in no order" in series.warnings[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"Metrics": []}, "cw.json:1:1: error: expected 'MetricDataResults' (an AWS CloudWatch "
         "GetMetricData answer) or 'Datapoints' (a GetMetricStatistics answer)"),
        ({"MetricDataResults": []}, "cw.json:2:23: error: MetricDataResults: no results"),
        ({"MetricDataResults": [result("m1", [], [])]}, "no data points in any result"),
        ({"MetricDataResults": [result("m1", [ts(0)], [1, 2])]},
         "MetricDataResults[0].Values: 2 values for 1 timestamps"),
        ({"MetricDataResults": [result("m1", ["yesterday"], [1])]},
         "MetricDataResults[0].Timestamps[0]: timestamp 'yesterday' is not an ISO-8601"),
        ({"MetricDataResults": [result("m1", [ts(0)], ["1"])]},
         "MetricDataResults[0].Values[0]: value '1' is not a number"),
        ({"MetricDataResults": [result("m1", [ts(0)], [1], StatusCode="InternalError")]},
         "CloudWatch answered InternalError for result 'm1' (m1): no Messages; retry"),
        ({"Label": "x", "Datapoints": []}, "cw.json:3:16: error: Datapoints: no datapoints"),
        ({"MetricDataResults": [result("m1", [-1e308], [1])]},
         f"cw.json:7:5: error: MetricDataResults[0].Timestamps[0]: {YEARS}"),
        ({"MetricDataResults": [result("m1", ["9999-12-31T23:59:59-01:00"], [1])]},
         f"MetricDataResults[0].Timestamps[0]: {YEARS}"),
        ({"Label": "x", "Datapoints": [{"Timestamp": -1e308, "Average": 1}]},
         f"cw.json:5:17: error: Datapoints[0].Timestamp: {YEARS}"),
    ],
)  # fmt: skip
def test_positioned_errors(data, message):
    with pytest.raises(ImportInputError) as caught:
        series_from_cloudwatch([doc(data)])
    assert message in str(caught.value)


def test_an_empty_answer_writes_nothing(tmp_path):
    path, out = tmp_path / "empty.json", tmp_path / "e.yaml"
    path.write_text('{"MetricDataResults": [], "Messages": []}', encoding="utf-8")
    stderr = import_fails("cloudwatch", str(path), "-o", str(out))
    assert stderr.startswith(f"{path}:1:23: error: MetricDataResults: no results")
    assert not out.exists()


def test_the_cli_s_own_paging_repeats_an_id_in_one_file():
    # The AWS CLI follows NextToken itself and concatenates the pages' results.
    both = doc({"MetricDataResults": [
        result("m1", [ts(30), ts(20)], [3, 2], StatusCode="PartialData"),
        result("m2", [ts(30), ts(20)], [30, 20], StatusCode="PartialData"),
        result("m1", [ts(10), ts(0)], [1, 0], StatusCode="Complete"),
        result("m2", [ts(10), ts(0)], [10, 0], StatusCode="Complete"),
    ]})  # fmt: skip
    series = series_from_cloudwatch([both], fallback_group="p99")
    assert [(s.id, s.values.tolist(), s.warnings) for s in series] == [
        ("m1", [0, 1, 2, 3], []),
        ("m2", [0, 10, 20, 30], []),
    ]
    assert {s.group for s in series} == {"p99"}  # labels m1, m2 share nothing: the fallback
