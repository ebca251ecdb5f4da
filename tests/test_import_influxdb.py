"""``import influxdb`` from saved answers: 1.x ``/query`` JSON (the documented shape:
``results[].series[]`` with ``name``, ``tags``, ``columns``, ``values``) and 2.x annotated
CSV (``#group``/``#datatype``/``#default`` rows, tables). The live server is in
test_import_influxdb_live.py."""

from __future__ import annotations

import json

import numpy as np
import pytest

from replay_viewer.importers.registry import sniff_source

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

CPU = IMPORT_DATA / "influxdb_cpu.json"
FLUX = IMPORT_DATA / "influxdb_flux.csv"
YEARS = "time is outside the years 1 to 9999 that a wall clock can show"


def answer(*statements: list[dict]) -> str:
    return json.dumps(
        {"results": [{"statement_id": i, "series": s} for i, s in enumerate(statements)]}
    )


def write(tmp_path, text: str, name: str = "answer.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def samples(series) -> list[tuple[float, float | None]]:
    return [
        (t, None if np.isnan(v) else v) for t, v in zip(series.times, series.values, strict=True)
    ]


def test_a_1x_answer_is_one_group_labelled_by_the_tags_that_differ(tmp_path):
    out = tmp_path / "cpu.yaml"
    stdout, incident = import_ok("influxdb", str(CPU), "--unit", "%", "-o", str(out))
    assert incident.started_at.isoformat() == "2015-01-29T21:55:43.703000+00:00"  # to the ms
    first, second = incident.series
    assert [(s.id, s.label, s.group, s.unit) for s in incident.series] == [
        ("server01", "host=server01", "cpu_load_short.value", "%"),
        ("server02", "host=server02", "cpu_load_short.value", "%"),
    ]
    assert samples(first) == [(0, 0.55), (10, 0.64), (20, None), (30, 2)]
    assert samples(second) == [(0, 0.5), (10, 0.25), (20, 0.75), (30, 1)]
    assert 'group "cpu_load_short.value": 2 series' in stdout
    assert 'cpu_load_short.value{host="server01", region="us-west"}' in stdout


@pytest.mark.parametrize(
    ("per_second", "option"),
    [(1, []), (1_000, []), (10**9, []), (10**6, ["--epoch", "u"]), (1 / 60, ["--epoch", "m"])],
)
def test_epoch_numbers_in_any_unit(tmp_path, per_second, option):
    base = 1_700_000_040  # a whole minute
    rows = [[round((base + 60 * i) * per_second), i] for i in range(3)]
    series = [{"name": "m", "columns": ["time", "v"], "values": rows}]
    path = write(tmp_path, answer(series))
    _, incident = import_ok("influxdb", str(path), *option, "-o", str(tmp_path / "o.yaml"))
    assert incident.series[0].times.tolist() == [0, 60, 120]
    assert incident.started_at.timestamp() == base
    assert incident.series[0].label == "m.v"


def test_tags_as_columns_split_the_rows_as_group_by_would(tmp_path):
    # SELECT * FROM cpu (no GROUP BY): tags are text columns, rows of both hosts interleaved.
    series = [
        {
            "name": "cpu",
            "columns": ["time", "host", "idle", "region", "usage"],
            "values": [
                [1700000000000, "a", 98, "eu", 1.5],
                [1700000000000, "b", 97, "eu", 2.5],
                [1700000015000, "a", 96, "eu", 3.5],
                [1700000015000, "b", None, "eu", 4],
            ],
        }
    ]
    path = write(tmp_path, answer(series))
    _, incident = import_ok("influxdb", str(path), "-o", str(tmp_path / "o.yaml"))
    assert [(s.id, s.label, s.group) for s in incident.series] == [
        ("cpu_idle_a", "host=a", "cpu.idle"),
        ("cpu_idle_b", "host=b", "cpu.idle"),
        ("cpu_usage_a", "host=a", "cpu.usage"),
        ("cpu_usage_b", "host=b", "cpu.usage"),
    ]
    assert samples(incident.series[1]) == [(0, 97), (15, None)]
    assert samples(incident.series[3]) == [(0, 2.5), (15, 4)]


def test_each_statement_is_its_own_group_and_one_series_is_not_grouped(tmp_path):
    cpu = [
        {"name": "cpu", "tags": {"host": h}, "columns": ["time", "mean"],
         "values": [[1700000000, i], [1700000060, None], [1700000120, True]]}
        for i, h in enumerate("ab")
    ]  # fmt: skip
    mem = [{"name": "mem", "columns": ["time", "used"], "values": [[1700000000, 10]]}]
    path = write(tmp_path, answer(cpu, mem))
    _, incident = import_ok("influxdb", str(path), "-o", str(tmp_path / "o.yaml"))
    assert [(s.id, s.label, s.group) for s in incident.series] == [
        ("cpu_mean_a", "host=a", "cpu.mean"),
        ("cpu_mean_b", "host=b", "cpu.mean"),
        ("mem_used", "mem.used", ""),
    ]
    assert samples(incident.series[0]) == [(0, 0), (60, None), (120, 1)]  # true is 1


def test_a_chunked_answer_is_read_line_by_line_and_merged(tmp_path):
    # chunked=true&chunk_size=2: each line a partial answer; a series continues on the next.
    def part(host, rows, partial):
        series = {"name": "cpu", "tags": {"host": host}, "columns": ["time", "usage"],
                  "values": rows} | ({"partial": True} if partial else {})  # fmt: skip
        return json.dumps({"results": [{"statement_id": 0, "series": [series]}]})

    text = "\n".join([
        part("a", [[1700000000000, 1], [1700000015000, 2]], True),
        part("a", [[1700000030000, 3]], False),
        part("b", [[1700000000000, 4], [1700000015000, "x"]], False),
    ])  # fmt: skip
    path = write(tmp_path, text)
    stderr = import_fails("influxdb", str(path), "-o", str(tmp_path / "o.yaml"))
    assert stderr.startswith(f"{path}:3:")  # the line that holds the bad value
    assert "results[0].series[0].values[1][1]: a column holding both numbers and text" in stderr
    path.write_text(text.replace('"x"', "5"), encoding="utf-8")
    _, incident = import_ok("influxdb", str(path), "-o", str(tmp_path / "o.yaml"))
    assert [(s.label, samples(s)) for s in incident.series] == [
        ("host=a", [(0, 1), (15, 2), (30, 3)]),
        ("host=b", [(0, 4), (15, 5)]),
    ]


def test_rows_out_of_order_are_sorted_with_a_positioned_warning(tmp_path):
    series = [{"name": "m", "columns": ["time", "v"],
               "values": [[1700000000, 1], [1700000030, 3], [1700000015, 2]]}]  # fmt: skip
    path = write(tmp_path, answer(series))
    result = run_cli("import", "influxdb", str(path), "-o", str(tmp_path / "o.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"{path}:1:")
    assert "warning: results[0].series[0].values[2][0]: 1 sample is earlier" in result.stderr


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"hello": 1}', "1:1", "expected 'results' (an InfluxDB 1.x /query answer"),
        ('{"error": "error parsing query: found SELEC"}', "1:11",
         "error: InfluxDB answered: error parsing query: found SELEC"),
        ('{"results": [{"statement_id": 0, "error": "database not found: nodb"}]}', "1:43",
         "results[0].error: InfluxDB answered: database not found: nodb"),
        ('{"results": [{"series": [{"name": "x", "columns": ["value"], "values": [[1]]}]}]}',
         "1:51", "expected 'time' as the first column"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[1, 2, 3]]}]}]}',
         "1:64", "values[0]: expected a row of 2 values"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[1, 2], [2, "x"]]}]}]}',
         "1:76", "a column holding both numbers and text"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [["2025-13-01", 1]]}]}]}',
         "1:65", "time '2025-13-01' is not an ISO-8601 date-time"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[true, 1]]}]}]}',
         "1:65", "time True is neither an epoch number nor RFC3339 text"),
        ('{"results": [', "1:14", "invalid JSON"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[1, 2], [2, []]]}]}]}',
         "1:76", "values[1][1]: expected a number, got a list"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[1, {"a": 1}]]}]}]}',
         "1:68", "values[0][1]: expected a number, got an object"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[1, BIG]]}]}]}',
         "1:68", "values[0][1]: expected a number, got one beyond ±1.8e308"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[-BIG, 1]]}]}]}',
         "1:65", f"values[0][0]: {YEARS}"),
        ('{"results": [{"series": [{"columns": ["time", "v"], "values": [[1e308, 1]]}]}]}',
         "1:65", f"values[0][0]: {YEARS}"),
    ],
)  # fmt: skip
def test_bad_answers_are_positioned_errors(tmp_path, text, where, message):
    path = write(tmp_path, text.replace("BIG", str(10**400)))  # an integer beyond any float
    out = tmp_path / "o.yaml"
    stderr = import_fails("influxdb", str(path), "-o", str(out))
    assert stderr.startswith(f"{path}:{where}: error: "), stderr
    assert message in stderr
    assert not out.exists()


def test_an_answer_without_series_writes_nothing(tmp_path):
    path = write(tmp_path, '{"results":[{"statement_id":0}]}')
    out = tmp_path / "o.yaml"
    stderr = import_fails("influxdb", str(path), "-o", str(out))
    assert stderr == f"{path}: error: the answer holds no series (no data); nothing written\n"
    assert not out.exists()


# -- 2.x annotated CSV --------------------------------------------------------------------


def test_an_annotated_csv_is_one_group_per_field(tmp_path):
    _, incident = import_ok("influxdb", str(FLUX), "-o", str(tmp_path / "o.yaml"))
    assert incident.started_at.isoformat() == "2023-01-01T00:52:00+00:00"
    assert [(s.id, s.label, s.group) for s in incident.series] == [
        ("m_mem_a", "host=A", "m.mem"),
        ("m_mem_b", "host=B", "m.mem"),
        ("m_mem_c", "host=C", "m.mem"),
        ("http_errors", 'http.errors{host="A"}', ""),
    ]
    assert [samples(s) for s in incident.series] == [
        [(0, 15.43), (10, 16.5)],
        [(0, 59.25), (10, None)],  # an empty _value is a gap
        [(0, 52.62), (10, 50)],
        [(0, 3), (10, 7)],
    ]


def test_pivoted_tables_and_tables_split_by_window_are_merged(tmp_path):
    text = (
        "#group,false,false,true,false,false,false\n"
        "#datatype,string,long,string,dateTime:RFC3339,double,long\n"
        "#default,_result,,,,,\n"
        ",result,table,host,_time,usage,idle\n"
        ",,0,a,2023-01-01T00:00:00Z,1.5,98\n"
        ",,1,a,2023-01-01T00:00:30Z,2.5,97\n"
        ",,2,b,2023-01-01T00:00:00Z,3.5,96\n"
    )
    path = write(tmp_path, text, "pivot.csv")
    _, incident = import_ok("influxdb", str(path), "-o", str(tmp_path / "o.yaml"))
    assert [(s.label, s.group, samples(s)) for s in incident.series] == [
        ("host=a", "usage", [(0, 1.5), (30, 2.5)]),
        ("host=b", "usage", [(0, 3.5)]),
        ("host=a", "idle", [(0, 98), (30, 97)]),
        ("host=b", "idle", [(0, 96)]),
    ]


HEAD = "#datatype,string,long,dateTime:RFC3339,double\n#group,false,false,false,false\n"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "#datatype,string,string\n#group,true,true\n#default,,\n,error,reference\n"
            ',"failed to initialize execute state: could not find bucket ""nope""",897\n',
            "5:2", 'InfluxDB answered: failed to initialize execute state: could not find '
            'bucket "nope"',
        ),
        (HEAD + ",result,table,_time,_value\n,,0,2023-01-01T00:52:00Z,abc\n", "4:26",
         "_value 'abc' is not a number"),
        (HEAD.replace("double", "string") + ",result,table,_time,_value\n", "3:21",
         "_value is string (#datatype): only numbers can be replayed"),
        (HEAD + ",result,table,_time,_value\n,,0,2023-01-01T0:52:00Z,1\n", "4:5",
         "_time: time '2023-01-01T0:52:00Z' is not an ISO-8601 date-time"),
        (HEAD + ",result,table,_time,_value\n,,0,-1e300,1\n", "4:5", f"_time: {YEARS}"),
        (HEAD + ",result,table,_time,_value\n,,0,nan,1\n", "4:5",
         "_time: time is not a finite number"),
        (HEAD + ",result,table,time,_value\n,,0,2023-01-01T00:52:00Z,1\n", "3:1",
         "no _time column: expected an InfluxDB 2.x annotated CSV"),
        (HEAD + ",result,table,_time,_value\n,,0,2023-01-01T00:52:00Z," + "1" * 140_000, "4:1",
         "a field of more than 131,072 characters"),
        (HEAD + ",result,table,_time,_value\n,,0,2023-01-01T00:52:00Z\n", "4:1",
         "4 cells, and the header has 5"),
    ],
)  # fmt: skip
def test_bad_tables_are_positioned_errors(tmp_path, text, where, message):
    path = write(tmp_path, text, "flux.csv")
    out = tmp_path / "o.yaml"
    stderr = import_fails("influxdb", str(path), "-o", str(out))
    assert stderr.startswith(f"{path}:{where}: error: "), stderr
    assert message in stderr
    assert not out.exists()


def test_both_shapes_are_recognised(tmp_path):
    assert sniff_source(CPU).name == "influxdb"
    assert sniff_source(FLUX).name == "influxdb"
    bare = write(tmp_path, ",result,table,_time,_value\n,_result,0,2023-01-01T00:52:00Z,1\n")
    assert sniff_source(bare).name == "influxdb"  # without annotations: not a plain CSV
    result = run_cli("import", str(FLUX), "-o", str(tmp_path / "o.yaml"))
    assert result.returncode == 0, result.stderr
    assert "reading it as `import influxdb`" in result.stderr
