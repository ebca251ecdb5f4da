"""``import datadog``: saved ``/api/v1/query`` answers — one query's series one group,
members labelled by the tags that differ, null points gaps, error answers positioned."""

from __future__ import annotations

import json
import math

import pytest

from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.datadog import series_from_datadog, split_queries
from replay_viewer.importers.json_source import JsonSource

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

PER_POD = IMPORT_DATA / "datadog_per_pod.json"
QUERY = "avg:trace.http.request.duration{service:checkout} by {pod}"


def test_one_query_is_one_group_labelled_by_the_tags_that_differ(tmp_path):
    out = tmp_path / "dd.yaml"
    stdout, incident = import_ok("datadog", str(PER_POD), "-o", str(out))
    assert stdout.splitlines()[:3] == [
        f'{out}: wrote "{QUERY}": 3 series, 0 events, T+00:00 to T+01:15, '
        "T+0 = 2025-06-03T09:40:00Z",
        f'  group "{QUERY}": 3 series',
        "  api-1       6 samples ms, 1 gap  ← avg:trace.http.request.duration"
        "{service:checkout,pod:api-1}",
    ]
    assert [(s.id, s.label, s.group, s.unit) for s in incident.series] == [
        (f"api-{i}", f"pod=api-{i}", QUERY, "ms") for i in (1, 2, 3)
    ]
    api1 = incident.series[0]
    assert api1.times.tolist() == [0, 15, 30, 45, 60, 75]
    assert [None if math.isnan(v) else v for v in api1.values] == [
        118.5, 120, None, 640, 2092.25, 812.5
    ]  # fmt: skip


def test_a_single_series_unit_and_label(tmp_path):
    _, incident = import_ok("datadog", str(IMPORT_DATA / "datadog_single.json"), "-o",
                            str(tmp_path / "s.yaml"))  # fmt: skip
    (series,) = incident.series
    # unit: [bytes, second] → B/s; labelled by its name and scope, not grouped.
    assert (series.id, series.label, series.unit, series.group) == (
        "system_net_bytes_rcvd", "system.net.bytes_rcvd{host:db-1}", "B/s", ""
    )  # fmt: skip
    assert series.values.tolist() == [1.25e6, 1.5e6, 5.5e6]


def test_label_template_top_unit_and_scale(tmp_path):
    _, incident = import_ok(
        "datadog",
        str(PER_POD),
        "--label",
        "{pod} p99",
        "--top",
        "2",
        "--unit",
        "s",
        "--scale",
        "0.001",
        "-o",
        str(tmp_path / "t.yaml"),
    )
    # --top keeps the two highest peaks (api-1: 2092, api-3: 1733), in order.
    assert [(s.label, s.unit) for s in incident.series] == [("api-1 p99", "s"), ("api-3 p99", "s")]
    assert incident.series[0].values[0] == pytest.approx(0.1185)
    stderr = import_fails("datadog", str(PER_POD), "--label", "{zone}", "-o",
                          str(tmp_path / "z.yaml"))  # fmt: skip
    assert "--label uses {zone}, and this series has no such label (its labels: " in stderr
    stderr = import_fails("datadog", str(PER_POD), "--label", "{pod!r}", "-o",
                          str(tmp_path / "r.yaml"), code=2)  # fmt: skip
    assert "--label '{pod!r}': {pod!r} is not a plain {NAME} placeholder" in stderr


def test_an_error_answer_is_its_own_error(tmp_path):
    path, out = IMPORT_DATA / "datadog_error.json", tmp_path / "e.yaml"
    stderr = import_fails("datadog", str(path), "-o", str(out))
    assert stderr == (
        f"{path}:2:13: error: status: Datadog answered an error: Error parsing query: unable "
        "to parse avg:trace.http.request.duration{service:checkout: Rule 'scope_expr' didn't "
        "match at '' (line 1, column 50).\n"
    )
    assert not out.exists()


def doc(data: object) -> JsonSource:
    return JsonSource(json.dumps(data, indent=1), "dd.json")


def answer(*series: dict, **top) -> dict:
    return {"status": "ok", "query": "avg:m{*} by {pod}", "series": list(series), **top}


def points(*pairs) -> dict:
    return {"metric": "m", "pointlist": [list(p) for p in pairs], "tag_set": ["pod:a"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"data": []}, "dd.json:1:1: error: expected 'series' (a Datadog /api/v1/query answer)"),
        ({"errors": ["Forbidden"]}, "dd.json:2:12: error: errors: Datadog answered an error: "
         "Forbidden"),
        (answer(from_date=1748943600000, to_date=1748947200000),
         "series: the query returned no series from 2025-06-03T09:40:00Z to "
         "2025-06-03T10:40:00Z"),
        (answer(points([1, 2], [2, "x"])), "series[0].pointlist[1][1]: value 'x' is not a number"),
        (answer(points([1, 2], [2])), "series[0].pointlist[1]: expected a [milliseconds, value]"),
        (answer(points([None, 2])), "pointlist[0][0]: time is not a finite number (epoch "
         "milliseconds)"),
        (answer(points([1, 2], [-1e308, 1])), "dd.json:13:6: error: series[0].pointlist[1][0]: "
         "time is outside the years 1 to 9999 that a wall clock can show (epoch milliseconds)"),
        (answer(from_date=-1e308, to_date=1748947200000),
         "series: the query returned no series: check the query"),
        (answer({"metric": "m", "pointlist": []}), "series[0].pointlist: expected a non-empty"),
        (answer({"metric": "m", "pointlist": [[1, 1]], "unit": "ms"}),
         "series[0].unit: expected a list of up to two unit objects"),
    ],
)  # fmt: skip
def test_positioned_errors(data, message):
    with pytest.raises(ImportInputError) as caught:
        series_from_datadog(doc(data))
    assert message in str(caught.value)


def test_unordered_points_are_sorted_with_a_warning():
    (series,) = series_from_datadog(doc(answer(points([2000, 2], [1000, 1], [3000, None]))))
    assert series.times.tolist() == [1, 2, 3]
    assert series.values[:2].tolist() == [1, 2] and math.isnan(series.values[2])
    assert series.warnings == [
        "dd.json:13:6: warning: series[0].pointlist[1][0]: 1 sample is earlier than the sample "
        "before; sorted by time"
    ]


def test_several_queries_in_one_request_are_one_group_each():
    def pod(name: str, index: int) -> dict:
        return {**points([0, 1], [1000, 2]), "tag_set": [f"pod:{name}"], "query_index": index}

    data = answer(pod("a", 0), pod("b", 0), pod("a", 1), pod("b", 1))
    data["query"] = "avg:x{*} by {pod},max:y{env:prod,team:z} by {pod}"
    assert split_queries(data["query"]) == ["avg:x{*} by {pod}", "max:y{env:prod,team:z} by {pod}"]
    series = series_from_datadog(doc(data))
    assert [s.group for s in series] == ["avg:x{*} by {pod}"] * 2 + [
        "max:y{env:prod,team:z} by {pod}"
    ] * 2


def test_sniffed_without_naming_the_source(tmp_path):
    result = run_cli("import", str(PER_POD), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 0, result.stderr
    assert "reading it as `import datadog`" in result.stderr


def test_no_series_is_a_clear_error_and_no_file(tmp_path):
    path, out = tmp_path / "none.json", tmp_path / "none.yaml"
    path.write_text(json.dumps(answer(from_date=1748943600000, to_date=1748947200000)),
                    encoding="utf-8")  # fmt: skip
    stderr = import_fails("datadog", str(path), "-o", str(out))
    assert stderr == (
        f"{path}:1:58: error: series: the query returned no series from 2025-06-03T09:40:00Z "
        "to 2025-06-03T10:40:00Z: check the query, its tags and the time range\n"
    )
    assert not out.exists()
