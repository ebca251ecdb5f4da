"""``import victoriametrics`` from saved ``/api/v1/export`` JSON lines (the documented
shape: ``{"metric": {…}, "values": […], "timestamps": [ms…]}`` a line). The live server
is in test_import_victoriametrics_live.py."""

from __future__ import annotations

import json

import numpy as np
import pytest

from replay_viewer.importers.json_lines import JsonLine
from replay_viewer.importers.registry import sniff_source
from replay_viewer.loader import load_incident

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

UP = IMPORT_DATA / "victoriametrics_up.jsonl"
YEARS = "time is outside the years 1 to 9999 that a wall clock can show"


def line(name: str | None, values: list, times: list, **labels: str) -> str:
    metric = ({"__name__": name} if name else {}) | labels
    return json.dumps({"metric": metric, "values": values, "timestamps": times})


def write(tmp_path, *lines: str, name: str = "export.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def samples(series) -> list[tuple[float, float | None]]:
    return [
        (t, None if np.isnan(v) else v) for t, v in zip(series.times, series.values, strict=True)
    ]


def test_lines_of_one_metric_are_one_group_and_split_lines_one_series(tmp_path):
    out = tmp_path / "up.yaml"
    stdout, incident = import_ok("victoriametrics", str(UP), "-o", str(out))
    assert incident.started_at.isoformat() == "2019-02-11T13:24:32.010000+00:00"
    assert [(s.id, s.label, s.group) for s in incident.series] == [
        ("host2_9100", "instance=host2:9100", "up"),  # two lines, one series
        ("localhost_9100", "instance=localhost:9100", "up"),  # sorted by labels
    ]
    assert samples(incident.series[0]) == [(0, 1), (15.714, 1), (31.428, 0)]
    assert samples(incident.series[1]) == [(0, 0), (15.714, 0), (31.428, 0)]
    assert 'group "up": 2 series' in stdout
    assert 'up{instance="host2:9100", job="node_exporter"}' in stdout


def test_several_metrics_and_a_series_without_a_name(tmp_path):
    path = write(
        tmp_path,
        line("latency", [1, 2], [1700000000000, 1700000015000], pod="a"),
        line("latency", [3, 4], [1700000000000, 1700000015000], pod="b"),
        line("errors", [0, 5], [1700000000000, 1700000015000], pod="a"),
        line(None, [7], [1700000000000], pod="a"),
        name="checkout.jsonl",
    )
    _, incident = import_ok("victoriametrics", str(path), "--unit", "ms", "-o",
                            str(tmp_path / "o.yaml"))  # fmt: skip
    assert [(s.id, s.label, s.group, s.unit) for s in incident.series] == [
        ("checkout", 'checkout{pod="a"}', "", "ms"),  # named after the file
        ("errors", 'errors{pod="a"}', "", "ms"),
        ("latency_a", "pod=a", "latency", "ms"),  # metrics by name, series by labels
        ("latency_b", "pod=b", "latency", "ms"),
    ]


def test_several_files_merge_and_disorder_is_a_positioned_warning(tmp_path):
    first = write(tmp_path, line("x", [1, 3], [1700000000000, 1700000030000]), name="a.jsonl")
    second = write(tmp_path, line("x", [2], [1700000015000]), name="b.jsonl")
    out = tmp_path / "o.yaml"
    result = run_cli("import", "victoriametrics", str(first), str(second), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"{second}:1:61: warning: timestamps[0]: 1 sample is earlier than the sample "
        "before; sorted by time\n"
    )
    incident = load_incident(out)
    assert samples(incident.series[0]) == [(0, 1), (15, 2), (30, 3)]


def test_non_finite_values_and_holes_are_gaps(tmp_path):
    # VictoriaMetrics writes Go's +Inf, -Inf and NaN as bare words.
    times = [1700000000000 + 15000 * i for i in (0, 1, 2, 3, 10, 11)]
    text = line("x", [1, 2, 3, 4, 5, 6], times).replace("[1, 2, 3, 4,", "[1, +Inf, 3, NaN,")
    path = write(tmp_path, text)
    _, incident = import_ok("victoriametrics", str(path), "-o", str(tmp_path / "o.yaml"))
    assert samples(incident.series[0]) == [
        (0, 1), (15, None), (30, 3), (45, None), (60, None), (150, 5), (165, 6)
    ]  # fmt: skip


def test_positions_after_an_infinity_are_the_written_ones():
    text = '{"metric":{},"values":[-Inf,"x"],"timestamps":[1,2]}'
    doc = JsonLine(text, "f.jsonl", 7)
    column = text.index('"x"') + 1
    assert doc.where(("values", 1)) == f"f.jsonl:7:{column}"


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        (['{"metric":{"__name__":"x"},"values":[1,"a"],"timestamps":[1,2]}'], "1:40",
         "values[1]: 'a' is not a number"),
        (["", '{"metric":{"__name__":"x"},"values":[1,2],"timestamps":[1]}'], "2:56",
         "timestamps: 1 timestamps for 2 values; they go in pairs"),
        (['{"metric":{"__name__":"x"},"values":[1,2],"timestamps":[1,2]'], "1:61",
         "invalid JSON: Expecting ',' delimiter"),
        (['{"metric":{"__name__":"x"},"valuez":[1],"timestamps":[1]}'], "1:1",
         "expected an object with 'metric', 'values' and 'timestamps' (a line of "
         "VictoriaMetrics' /api/v1/export)"),
        (['{"metric":{"__name__":1},"values":[1],"timestamps":[1]}'], "1:11",
         "metric: expected an object of labels"),
        (['{"metric":{},"values":[1],"timestamps":["2025-06-03"]}'], "1:41",
         "timestamps[0]: '2025-06-03' is not a time (epoch milliseconds)"),
        (['{"metric":{},"values":1,"timestamps":[1]}'], "1:23", "values: expected a list"),
        (["", '{"metric":{},"values":[1],"timestamps":[-' + "9" * 5000 + "]}"], "2:41",
         "invalid JSON: a number of thousands of digits"),
        (['{"metric":{},"values":[1,2],"timestamps":[1,1e308]}'], "1:45",
         f"timestamps[1]: {YEARS} (epoch milliseconds)"),
        (['{"metric":{},"values":[[1],[2]],"timestamps":[1,2]}'], "1:24",
         "values[0]: [1] is not a number"),
    ],
)  # fmt: skip
def test_bad_lines_are_positioned_errors(tmp_path, lines, where, message):
    path = write(tmp_path, *lines)
    out = tmp_path / "o.yaml"
    stderr = import_fails("victoriametrics", str(path), "-o", str(out))
    assert stderr.startswith(f"{path}:{where}: error: "), stderr
    assert message in stderr
    assert not out.exists()


def test_an_empty_export_writes_nothing(tmp_path):
    path = write(tmp_path, "")
    out = tmp_path / "o.yaml"
    stderr = import_fails("victoriametrics", str(path), "-o", str(out))
    assert stderr == f"{path}: error: the export holds no series; nothing written\n"
    assert not out.exists()


def test_an_export_is_recognised(tmp_path):
    assert sniff_source(UP).name == "victoriametrics"
    result = run_cli("import", str(UP), "-o", str(tmp_path / "o.yaml"))
    assert result.returncode == 0, result.stderr
    assert "reading it as `import victoriametrics`" in result.stderr
