"""``import csv``: a wide CSV round-trips an incident's series; bad cells are positioned."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from replay_viewer.loader import load_incident

from .conftest import BUNDLED, REPO
from .import_helpers import import_fails, import_ok


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
        ("Time,a\n1,2\n1,3\n", [], ":3:1: error: times must increase"),
        ("Time,a\n1,2\nsoon,3\n", [], ":3:1: error: time 'soon' is neither"),
        ("Time,a\n1,2,3\n", [], ":2:1: error: 3 fields, and the header has 2"),
        ("Time,a\n1,2\n", ["--columns", "b"], "error: --columns: no column 'b'"),
    ],
)
def test_csv_errors_are_positioned(tmp_path, text, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    stderr = import_fails(
        "csv", str(path), "--time-column", "Time", *args, "-o", str(tmp_path / "x.yaml")
    )
    assert stderr.startswith(str(path)) and message in stderr, stderr
