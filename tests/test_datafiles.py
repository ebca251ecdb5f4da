"""Series data from files: CSV and .npy, time columns, path rules, positioned errors."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from replay_viewer.loader import IncidentLoadError, load_incident, parse_incident
from replay_viewer.timecode import parse_timecode

from .conftest import REPO

arrow_csv = importlib.import_module("replay_viewer.loader.arrow_csv")
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None


@pytest.fixture(params=["numpy", "pyarrow"])
def parser(request, monkeypatch):
    """Every CSV test runs with numpy's reader and, where installed, pyarrow's."""
    if request.param == "pyarrow" and not HAS_PYARROW:
        pytest.skip("pyarrow is not installed (the optional 'data' extra)")
    monkeypatch.setattr(arrow_csv, "available", lambda: request.param == "pyarrow")
    return request.param


def incident(
    tmp_path: Path,
    data: str | bytes | np.ndarray,
    name: str = "p99.csv",
    extra: str = "",
    header: str = "",
) -> Path:
    """An incident in tmp_path whose series 'p99' reads ``data`` from ``name``."""
    target = tmp_path / name
    if isinstance(data, np.ndarray):
        np.save(target, data)
    else:
        target.write_bytes(data.encode() if isinstance(data, str) else data)
    path = tmp_path / "incident.yaml"
    path.write_text(
        f"title: t\n{header}series:\n  - id: p99\n    file: {name}\n{extra}", encoding="utf-8"
    )
    return path


def errors(path: Path, **options) -> list[str]:
    with pytest.raises(IncidentLoadError) as info:
        load_incident(path, **options)
    return [str(d) for d in info.value.diagnostics]


# -- CSV ---------------------------------------------------------------------------------


def test_two_column_csv_whatever_the_names_with_gaps(tmp_path, parser):
    path = incident(tmp_path, "when,latency (ms)\n-1.5,10\n0,\n2.25,30\n\n3,nan\n")
    series = load_incident(path).series[0]
    assert series.times.tolist() == [-1.5, 0, 2.25, 3]
    assert np.isnan(series.values[[1, 3]]).all() and series.values[[0, 2]].tolist() == [10, 30]


def test_wider_csv_names_its_columns(tmp_path, parser):
    data = "host,t,p50,p99\na,0,1,10\na,1,2,\na,2,3,30\n"
    series = load_incident(incident(tmp_path, data, extra="    columns: [t, p99]\n")).series[0]
    assert series.times.tolist() == [0, 1, 2]
    assert series.values[0] == 10 and np.isnan(series.values[1])
    got = errors(incident(tmp_path, data))
    assert got == [
        f"{tmp_path}/p99.csv:1:1: error: has 4 columns ('host', 't', 'p50', 'p99'); name the "
        "time and value columns in the series, e.g. columns: [time, p99] (series 'p99' 'file' "
        "at " + f"{tmp_path}/incident.yaml:4:11)"
    ]
    got = errors(incident(tmp_path, data, extra="    columns: [t, p95]\n"))
    assert "has no column 'p95'; its columns are 'host', 't', 'p50', 'p99'" in got[0]


def test_timecode_column_means_what_parse_timecode_says(tmp_path, parser):
    written = [
        "T-1:00:00",
        "-00:30",
        "T+00:00",
        "T+00:01.25",
        "+1:30",
        "02:00.5",
        "180",
        "t+1:00:00",
        "T+27:46:40",
    ]
    data = "time,v\n" + "".join(f"{t},1\n" for t in written)
    series = load_incident(incident(tmp_path, data)).series[0]
    assert series.times.tolist() == [parse_timecode(t) for t in written]
    for bad in ("T+1:75", "90s", "T12", "1:2:3:4", "x", "1:٣0"):
        got = errors(incident(tmp_path, f"time,v\nT+00:00,1\n{bad},2\n"))
        assert got[0].startswith(f"{tmp_path}/p99.csv:3:1: error: time '{bad}' is not a timecode")


def test_iso_times_relative_to_started_at(tmp_path, parser):
    data = (
        "time,v\n2025-06-03T09:40:00Z,1\n2025-06-03 11:41:00+02:00,2\n"
        "2025-06-03T09:41:30.5,3\n2025-06-03T04:42:00-05:00,4\n"
    )
    header = "started_at: 2025-06-03T09:41:00Z\n"
    series = load_incident(incident(tmp_path, data, header=header)).series[0]
    assert series.times.tolist() == [-60, 0, 30.5, 60]
    got = errors(incident(tmp_path, data))
    assert got[0].startswith(
        f"{tmp_path}/p99.csv:2:1: error: times are ISO-8601 date-times, "
        "which need the incident's 'started_at'"
    )
    bad = "time,v\n2025-06-03T09:40:00Z,1\n2025-06-03T09:99:00Z,2\n"
    got = errors(incident(tmp_path, bad, header=header))
    assert "p99.csv:3:1: error: time '2025-06-03T09:99:00Z' is not an ISO-8601" in got[0]


def test_epoch_seconds_and_milliseconds_detected(tmp_path, parser):
    start = dt.datetime(2025, 6, 3, 9, 41, tzinfo=dt.UTC).timestamp()
    header = "started_at: 2025-06-03T09:41:00Z\n"
    seconds = f"t,v\n{start - 60},1\n{start},2\n{start + 0.5},3\n"
    millis = f"t,v\n{int(start * 1000) - 60_000},1\n{int(start * 1000) + 1},2\n"
    assert load_incident(incident(tmp_path, seconds, header=header)).series[0].times.tolist() == [
        -60,
        0,
        0.5,
    ]
    assert load_incident(incident(tmp_path, millis, header=header)).series[0].times.tolist() == [
        -60,
        0.001,
    ]
    # Explicit: small numbers read as epoch seconds need started_at; seconds stay seconds.
    early = "started_at: 1970-01-01T00:00:10Z\n"
    forced = incident(tmp_path, "t,v\n0,1\n", header=early, extra="    time: epoch_s\n")
    assert load_incident(forced).series[0].times[0] == -10
    got = errors(incident(tmp_path, seconds))
    assert (
        "times are epoch timestamps in seconds, which need the incident's 'started_at'" in (got[0])
    )


def test_csv_errors_name_file_row_and_column(tmp_path, parser):
    cases = {
        "t,v\n0,1\n13,2\n\nabc,3\n": "p99.csv:5:1: error: time 'abc' is not a number",
        "t,v\n0,1\n13,2\n\n2e9,3\n": "p99.csv:5:1: error: time 2e+09 s is too far from T+0",
        "t,v\n0,1\n1,fast\n": "p99.csv:3:3: error: value 'fast' is not a number",
        "t,v\n0,1\n1,inf\n": "p99.csv:3:3: error: value inf is not finite; leave the field "
        "empty for a gap",
        "t,v\n0,1\n1,1e31\n": "p99.csv:3:3: error: value 1e+31 is too large to chart",
        "t,v\n0,1\n,2\n": "p99.csv:3:1: error: time is missing or not a number",
        "t,v\n0,1\n1\n": "p99.csv:3:1: error: row has 1 field(s); expected at least 2",
        "t,v\n": "p99.csv:1:1: error: has a header but no rows",
        "": "p99.csv:1:1: error: is empty; expected a header row and rows of data",
        "t,v\n0,1\n1,\xe9\n": "p99.csv:3:3: error: value '\ufffd' is not a number",
    }
    for data, expected in cases.items():
        got = errors(incident(tmp_path, data.encode("latin-1")))
        assert len(got) == 1 and got[0].startswith(f"{tmp_path}/{expected}"), (data, got)
        assert got[0].endswith(f"(series 'p99' 'file' at {tmp_path}/incident.yaml:4:11)")


def test_first_bad_row_in_a_long_file(tmp_path, parser):
    rows = [f"{t},1" for t in range(300_000)]
    rows[234_567] = "T+65:09:27,1"  # a timecode among numbers: text in the time column
    got = errors(incident(tmp_path, "t,v\n" + "\n".join(rows) + "\n"))
    assert got == [
        f"{tmp_path}/p99.csv:{234_567 + 2}:1: error: time 'T+65:09:27' is not a number "
        f"(series 'p99' 'file' at {tmp_path}/incident.yaml:4:11)"
    ]


def test_time_and_value_problems_reported_together(tmp_path, parser):
    got = errors(incident(tmp_path, "t,v\n0,1\n2e9,2\n3,-inf\n"))
    assert [line.split(": error")[0].rsplit(":", 2)[1:] for line in got] == [["3", "1"], ["4", "3"]]


# -- .npy --------------------------------------------------------------------------------


def test_npy_float64_float32_and_integers(tmp_path):
    data = np.array([[0, 1], [1, np.nan], [2.5, 3]])
    for array in (data, data.astype(np.float32)):
        series = load_incident(incident(tmp_path, array, "p99.npy")).series[0]
        assert series.times.tolist() == [0, 1, 2.5] and np.isnan(series.values[1])
    ints = np.array([[1_748_943_600_000, 5], [1_748_943_601_000, 6]], dtype=np.int64)
    header = "started_at: 2025-06-03T09:40:00Z\n"
    series = load_incident(incident(tmp_path, ints, "p99.npy", header=header)).series[0]
    assert series.times.tolist() == [0, 1]  # epoch milliseconds, detected


def test_npy_errors(tmp_path):
    where = f"(series 'p99' 'file' at {tmp_path}/incident.yaml:4:11)"
    cases = {
        "shape": (np.zeros((3, 3)), "1:1: error: holds an array of shape (3, 3); expected (N, 2)"),
        "dtype": (np.array([["a", "b"]]), "1:1: error: holds <U1 values; expected floats"),
        "empty": (np.zeros((0, 2)), "1:1: error: holds no rows"),
        "time": (
            np.array([[0, 1], [2e9, 1], [1, 1]]),
            "2:1: error: row 2 (index 1): time 2e+09 s is too far from T+0",
        ),
        "value": (np.array([[0, 1], [1, np.inf]]), "2:2: error: row 2 (index 1): value inf"),
    }
    for name, (array, expected) in cases.items():
        got = errors(incident(tmp_path, array, "p99.npy"))
        assert got[0].startswith(f"{tmp_path}/p99.npy:{expected}"), (name, got)
        assert got[0].endswith(where)
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}, None], dtype=object))
    pickled = (tmp_path / "obj.npy").read_bytes()
    for data in (pickled, b"not numpy at all", np.lib.format.MAGIC_PREFIX + b"\x01\x00"):
        got = errors(incident(tmp_path, data, "p99.npy"))
        assert got[0].startswith(f"{tmp_path}/p99.npy:1:1: error: not a valid .npy file")
    valid = tmp_path / "v.npy"
    np.save(valid, np.zeros((100, 2)))
    got = errors(incident(tmp_path, valid.read_bytes()[:-8], "p99.npy"))
    assert "not a valid .npy file" in got[0]


# -- paths -------------------------------------------------------------------------------


def test_paths_outside_the_incident_folder_are_refused_unless_allowed(tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("t,v\n0,1\n", encoding="utf-8")
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "link.csv").symlink_to(outside)
    for value, reason in (
        ("../secret.csv", "leaves the incident's folder"),
        (str(outside), "is an absolute path"),
        ("link.csv", "leaves the incident's folder"),
    ):
        path = folder / "incident.yaml"
        path.write_text(f"title: t\nseries:\n  - id: a\n    file: {value}\n", encoding="utf-8")
        got = errors(path)
        assert got[0].startswith(f"{path}:4:11: error: series 'a' 'file': "), got
        assert reason in got[0] and "--allow-outside-paths" in got[0]
        assert load_incident(path, allow_outside_paths=True).series[0].values.tolist() == [1]
    (folder / "inside").mkdir()
    (folder / "inside" / "ok.csv").symlink_to(folder / "link.csv")  # a link inside: fine
    (folder / "real.csv").write_text("t,v\n0,2\n", encoding="utf-8")
    (folder / "inside" / "ok2.csv").symlink_to(folder / "real.csv")
    path.write_text("title: t\nseries:\n  - id: a\n    file: inside/ok2.csv\n", encoding="utf-8")
    assert load_incident(path).series[0].values.tolist() == [2]


def test_missing_directory_and_wrong_suffix_at_the_file_key(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    for name, message in (
        ("nope.csv", "cannot read 'nope.csv': No such file or directory"),
        ("dir.csv", "'dir.csv' is a directory, not a data file"),
        ("p99.json", "'p99.json' must end in .csv or .npy"),
    ):
        path = tmp_path / "incident.yaml"
        path.write_text(f"title: t\nseries:\n  - id: a\n    file: {name}\n", encoding="utf-8")
        assert message in errors(path)[0] and errors(path)[0].startswith(f"{path}:4:11: ")


def test_parse_incident_without_a_path(tmp_path, monkeypatch):
    source = "title: t\nseries:\n  - id: a\n    file: p.csv\n"
    with pytest.raises(IncidentLoadError, match="given without a path"):
        parse_incident(source)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.csv").write_text("t,v\n0,1\n", encoding="utf-8")
    assert parse_incident(source, allow_outside_paths=True).series[0].values.tolist() == [1]


def test_samples_or_file_exactly_one(tmp_path):
    both = "title: t\nseries:\n  - id: a\n    samples: [[0, 1]]\n    file: a.csv\n"
    with pytest.raises(IncidentLoadError, match="5:11: error: series 'a' gives both"):
        parse_incident(both, path=str(tmp_path / "i.yaml"))
    neither = "title: t\nseries:\n  - id: a\n    time: iso\n"
    with pytest.raises(IncidentLoadError) as info:
        parse_incident(neither, path="i.yaml")
    assert [str(d) for d in info.value.diagnostics] == [
        "i.yaml:3:5: error: series 'a' needs 'samples' (inline) or 'file' (a data file)",
        "i.yaml:4:11: error: series 'a' 'time' applies to a data file ('file')",
    ]


def test_inline_limit_points_to_data_files():
    pairs = ",".join(f"[{i},1]" for i in range(60_000))
    with pytest.raises(IncidentLoadError, match=r"put large series in a data file \(file: p99"):
        parse_incident(f"title: t\nseries: [{{id: a, samples: [{pairs}]}}]\n")


# -- the bundled example, the docs and the CLI ---------------------------------------------


def test_bundled_dense_incident_has_a_million_samples():
    incident = load_incident(REPO / "incidents" / "dense-scrape.yaml")
    series = incident.series[0]
    assert len(series.times) >= 1_000_000
    assert series.value_at(-3600) < 200 < 700 < series.value_at(30 * 60)
    assert series.value_at(20 * 60 + 10) is None  # the scraper's gap
    assert series.value_at(2 * 3600) < 200


def test_documented_data_file_example(tmp_path):
    doc = (REPO / "docs" / "incident-format.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in doc.split("```yaml\n")[1:]]
    example = next(block for block in blocks if "file: p99.csv" in block)
    csv_text = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    (tmp_path / "p99.csv").write_text(csv_text, encoding="utf-8")
    path = tmp_path / "incident.yaml"
    path.write_text(example, encoding="utf-8")
    series = load_incident(path).series[0]
    assert series.times.tolist()[:2] == [-60, 0] and np.isnan(series.values).any()
    # The groups example: two members of one group beside an ungrouped series.
    grouped = next(block for block in blocks if "group: p99 per pod" in block)
    for name in ("api-1.csv", "api-2.csv"):
        (tmp_path / name).write_text("t,v\n0,0.1\n60,0.2\n", encoding="utf-8")
    path.write_text("title: t\n" + grouped, encoding="utf-8")
    assert [(s.group, s.unit) for s in load_incident(path).series] == [
        ("p99 per pod", "s"),
        ("p99 per pod", "s"),
        ("", "req/s"),
    ]


def test_cli_allow_outside_paths(tmp_path):
    (tmp_path / "d.csv").write_text("t,v\n0,1\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "i.yaml"
    path.write_text("title: t\nseries:\n  - id: a\n    file: ../d.csv\n", encoding="utf-8")
    run = [sys.executable, "-m", "replay_viewer", "validate", str(path)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    refused = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert refused.returncode == 1 and "leaves the incident's folder" in refused.stderr
    allowed = subprocess.run(
        [*run, "--allow-outside-paths"], capture_output=True, text=True, env=env, check=False
    )
    assert allowed.returncode == 0, allowed.stderr
