"""``import csv``: a wide CSV round-trips an incident's series; bad cells are positioned."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from replay_viewer.loader import load_incident

from .conftest import BUNDLED, REPO
from .import_helpers import import_fails, import_ok
from .test_cli import run_cli

YEARS = "time is outside the years 1 to 9999 that a wall clock can show"


def write_wide_csv(incident, path, *, time_format) -> None:
    """One row per sample time of any series, a column per series: an empty cell where a
    series has no sample at that time, as Grafana writes joined series."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Time", *(s.label for s in incident.series)])
        for t in incident.sample_times():
            row = [time_format(float(t))]
            for series in incident.series:
                index = series.index_at(t)
                hit = index >= 0 and series.times[index] == t
                value = float(series.values[index]) if hit else None
                row.append("" if value is None else "null" if math.isnan(value) else repr(value))
            writer.writerow(row)


@pytest.mark.parametrize("incident_path", [BUNDLED, REPO / "incidents" / "checkout-flag.yaml"])
def test_csv_round_trips_an_incident(tmp_path, incident_path):
    original = load_incident(incident_path)
    path = tmp_path / "export.csv"
    write_wide_csv(original, path, time_format=repr)
    out = tmp_path / "back.yaml"
    stdout, back = import_ok("csv", str(path), "--time-column", "time", "-o", str(out))
    assert [s.label for s in back.series] == [s.label for s in original.series]
    for before, after in zip(original.series, back.series, strict=True):
        assert np.array_equal(before.times, after.times)
        assert np.array_equal(before.values, after.values, equal_nan=True)
    assert back.started_at is None  # seconds from T+0 carry no wall clock
    assert f'{out}: wrote "export": {len(original.series)} series' in stdout


def test_csv_with_wall_clock_times(tmp_path):
    original = load_incident(REPO / "incidents" / "checkout-flag.yaml")  # has started_at
    path = tmp_path / "grafana.csv"
    write_wide_csv(
        original, path, time_format=lambda t: original.wall_clock(t).strftime("%Y-%m-%d %H:%M:%S")
    )
    _, back = import_ok(
        "csv",
        str(path),
        "--time-column",
        "Time",
        "--columns",
        "p95 latency",
        "--unit",
        "ms",
        "--title",
        "From Grafana",
        "--start",
        original.started_at.isoformat(),
        "-o",
        str(tmp_path / "g.yaml"),
    )
    (series,) = back.series
    assert back.title == "From Grafana" and series.unit == "ms"
    assert back.started_at == original.started_at
    assert np.array_equal(series.times, original.series[0].times)
    assert np.array_equal(series.values, original.series[0].values, equal_nan=True)


def test_epoch_milliseconds_and_gaps(tmp_path):
    path = tmp_path / "ms.csv"
    path.write_text(
        'sep=,\n"Time","a b","c"\n1748943600000,1,\n1748943615000,,5\n1748943630000,3,6\n',
        encoding="utf-8",
    )
    _, back = import_ok("csv", str(path), "--time-column", "Time", "-o", str(tmp_path / "m.yaml"))
    a, c = back.series
    assert back.started_at.isoformat() == "2025-06-03T09:40:00+00:00"
    assert a.times.tolist() == [0, 15, 30] and np.isnan(a.values[1])  # inside: a gap
    assert c.times.tolist() == [15, 30]  # empty before its first value: no sample


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("Time,a\n1,2\n2,x\n", [], ":3:3: error: value 'x' in column 'a' is not a number"),
        ("Time,a\n1,2\nsoon,3\n", [], ":3:1: error: time 'soon' is neither"),
        ("Time,a\n1,2,3\n", [], ":2:1: error: 3 fields, and the header has 2"),
        ("Time,a\n1748943600,2\n1e300,3\n", [], f":3:1: error: {YEARS}"),
        ("Time,a\n1748943600,2\ninf,3\n", [], ":3:1: error: time is not a finite number"),
        ("Time,a\n1,2\n", ["--columns", "b"], "error: --columns: no column 'b'"),
        (
            "Time,a\n1,2\n2,NaN\n3,\n4,1e400\n",
            [],
            ":5:3: error: value '1e400' in column 'a' "
            "is not a finite number (an empty cell or NaN is a gap)",
        ),
        ("Time,a\n2,-inf\n1,2\n", [], ":2:3: error: value '-inf' in column 'a' is not a finite"),
        (
            "sep=,\nTime,a\n1,2\n2," + "9" * 140_000 + "\n",
            [],
            ":4:1: error: a field of more than 131,072 characters: expected times and numbers",
        ),
    ],
)
def test_csv_errors_are_positioned(tmp_path, text, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    stderr = import_fails(
        "csv", str(path), "--time-column", "Time", *args, "-o", str(tmp_path / "x.yaml")
    )
    assert stderr.startswith(str(path)) and message in stderr, stderr


def test_unordered_and_repeated_rows_are_sorted_with_warnings(tmp_path):
    path = tmp_path / "shards.csv"
    # Two shards appended one after the other, one time written twice.
    path.write_text("Time,a,b\n0,1,10\n20,3,30\n20,4,40\n10,2,20\n30,5,\n", encoding="utf-8")
    out = tmp_path / "o.yaml"
    result = run_cli("import", "csv", str(path), "--time-column", "Time", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}:5:1: warning: 1 row is earlier than the row before; sorted by time",
        f"{path}:4:1: warning: 1 row repeats the time of the row before; kept in file order",
    ]
    a, b = load_incident(out).series
    assert a.times.tolist() == [0, 10, 20, 20, 30] and a.values.tolist() == [1, 2, 3, 4, 5]
    assert b.times.tolist() == [0, 10, 20, 20] and b.values.tolist() == [10, 20, 30, 40]
    assert a.group == b.group == ""  # a wide CSV's columns are different metrics


def test_group_option_makes_the_columns_one_group(tmp_path):
    path = tmp_path / "pods.csv"
    path.write_text("Time,api-1,api-2,api-3\n0,1,2,3\n15,4,5,6\n", encoding="utf-8")
    out = tmp_path / "o.yaml"
    stdout, incident = import_ok(
        "csv", str(path), "--time-column", "Time", "--group", "p99 per pod", "--unit", "ms",
        "-o", str(out),
    )  # fmt: skip
    assert [(s.label, s.group, s.unit) for s in incident.series] == [
        (f"api-{i}", "p99 per pod", "ms") for i in (1, 2, 3)
    ]
    assert 'group "p99 per pod": 3 series' in stdout
    assert out.read_text(encoding="utf-8").count('    group: "p99 per pod"\n') == 3
