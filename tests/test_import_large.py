"""Any size imports: a long series goes to a data file beside the incident (``OUT.data``),
written all or nothing; a million-point import validates and exports like any incident."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from replay_viewer.errors import OutputError
from replay_viewer.importers import staging
from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.staging import write_with_data
from replay_viewer.importers.writer import DATA_DIR
from replay_viewer.loader import load_incident

from .import_helpers import import_fails, import_ok
from .large_import_data import GAP_EVERY, write_datadog, write_prometheus
from .test_cli import run_cli

MILLION = 1_000_000


@pytest.fixture(scope="module")
def million_datadog(tmp_path_factory):
    path = tmp_path_factory.mktemp("dd") / "checkout-p99.json"
    write_datadog(path, MILLION)
    return path


def check_million(incident_path, unit: str) -> None:
    (series,) = load_incident(incident_path).series
    assert len(series.times) == MILLION and series.unit == unit
    assert series.times[0] == 0 and series.times[-1] == MILLION - 1
    assert int(np.isnan(series.values).sum()) == len(range(0, MILLION, GAP_EVERY))
    assert np.nanmax(series.values) == 4_800.0


def validate_and_export(incident_path, tmp_path) -> None:
    result = run_cli("validate", str(incident_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{incident_path}: ok (1 series, 0 events, duration ")
    png = tmp_path / "frame.png"
    exported = subprocess.run(
        [sys.executable, "-m", "replay_viewer", "export", str(incident_path), "--at",
         "T+138:53:20", "--size", "640x360", "-o", str(png)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_million_datadog_points_import_to_a_data_file(million_datadog, tmp_path):
    out = tmp_path / "checkout.yaml"
    stdout, _ = import_ok("datadog", str(million_datadog), "-o", str(out))
    assert (
        f"checkout_p99  1,000,000 samples ms, {len(range(0, MILLION, GAP_EVERY))} gaps → "
        "checkout.data/checkout_p99.npy"
    ) in stdout
    assert 'file: "checkout.data/checkout_p99.npy"' in out.read_text(encoding="utf-8")
    rows = np.load(tmp_path / "checkout.data" / "checkout_p99.npy")
    assert rows.dtype == np.float64 and rows.shape == (MILLION, 2)
    check_million(out, "ms")


@pytest.mark.gpu
def test_a_million_point_import_validates_and_exports(million_datadog, tmp_path, gpu_adapter):
    out = tmp_path / "checkout.yaml"
    import_ok("datadog", str(million_datadog), "-o", str(out))
    validate_and_export(out, tmp_path)


@pytest.mark.gpu
def test_a_million_prometheus_samples_as_csv_validate_and_export(tmp_path, gpu_adapter):
    answer, out = tmp_path / "p99.json", tmp_path / "p99.yaml"
    write_prometheus(answer, MILLION)
    stdout, _ = import_ok("prometheus", str(answer), "--unit", "ms", "--data-format", "csv",
                          "-o", str(out))  # fmt: skip
    assert "→ p99.data/checkout_p99_ms.csv" in stdout
    check_million(out, "ms")
    validate_and_export(out, tmp_path)


def test_a_long_csv_column_goes_to_a_data_file(tmp_path):
    table, out = tmp_path / "wide.csv", tmp_path / "wide.yaml"
    rows = "\n".join(f"{i},{i % 10},{i % 3}" for i in range(6_000))
    table.write_text("time,a,b\n" + rows + "\n", encoding="utf-8")
    stdout, incident = import_ok("csv", str(table), "-o", str(out))
    assert "→ wide.data/a.npy" in stdout and "→ wide.data/b.npy" in stdout
    assert [len(s.times) for s in incident.series] == [6_000, 6_000]


def many_short_series(tmp_path, pods: int = 30, points: int = 2_000):
    import json

    results = [{"metric": {"pod": f"p{i}"}, "values": [[t, str(t % 7)] for t in range(points)]}
               for i in range(pods)]  # fmt: skip
    path = tmp_path / "pods.json"
    answer = {"status": "success", "data": {"resultType": "matrix", "result": results}}
    path.write_text(json.dumps(answer), encoding="utf-8")
    return path


def test_inline_samples_stay_under_the_loader_limit(tmp_path):
    # 30 × 2,000 samples: each short, but 60,000 inline would pass the loader's limit.
    out = tmp_path / "pods.yaml"
    stdout, incident = import_ok("prometheus", str(many_short_series(tmp_path)), "-o", str(out))
    in_files = stdout.count("→ pods.data/")
    assert 0 < in_files < 30 and 2_000 * (30 - in_files) <= 49_000
    assert len(incident.series) == 30


def test_an_existing_data_folder_is_replaced_only_with_overwrite(tmp_path):
    out, folder, answer = tmp_path / "c.yaml", tmp_path / "c.data", tmp_path / "long.json"
    write_datadog(answer, 6_000)
    folder.mkdir()
    (folder / "mine.txt").write_text("precious\n", encoding="utf-8")
    stderr = import_fails("datadog", str(answer), "-o", str(out), code=2)
    assert f"{folder} exists; add --overwrite to replace it" in stderr
    assert not out.exists() and (folder / "mine.txt").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    import_ok("datadog", str(answer), "-o", str(out), "--overwrite")
    assert sorted(p.name for p in folder.iterdir()) == ["checkout_p99.npy"]
    # A smaller import over it needs no data folder: the old one goes with the old file.
    import_ok("datadog", str(_small(tmp_path)), "-o", str(out), "--overwrite")
    assert not folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "long.json", "small.json"]


def _small(tmp_path):
    path = tmp_path / "small.json"
    write_datadog(path, 10)
    return path


def rows(count: int) -> np.ndarray:
    return np.column_stack((np.arange(count, dtype=float), np.ones(count)))


TEXT = f"""format: incident-replay/1
title: t
series:
  - id: a
    file: "{DATA_DIR}/a.npy"
    time: seconds
"""


def test_a_failed_write_puts_the_old_data_folder_back(tmp_path, monkeypatch):
    out, folder = tmp_path / "x.yaml", tmp_path / "x.data"
    write_with_data(TEXT, {"a.npy": rows(10)}, out, "x.data", overwrite=False)
    before = (out.read_text(encoding="utf-8"), np.load(folder / "a.npy"))

    def fail(*_args, **_kwargs):
        raise OutputError(f"cannot write {out}: No space left on device")

    monkeypatch.setattr(staging, "atomic_write", fail)
    with pytest.raises(OutputError):
        write_with_data(TEXT, {"a.npy": rows(20)}, out, "x.data", overwrite=True)
    assert out.read_text(encoding="utf-8") == before[0]
    assert np.array_equal(np.load(folder / "a.npy"), before[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.data", "x.yaml"]


def test_data_the_loader_refuses_writes_nothing(tmp_path):
    out = tmp_path / "x.yaml"
    bad = rows(10)
    bad[3, 1] = np.inf
    with pytest.raises(ImportInputError) as caught:
        write_with_data(TEXT, {"a.npy": bad}, out, "x.data", overwrite=False)
    assert "x.data/a.npy:4:2: error: row 4 (index 3): value inf is not finite" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_into_counts_the_incident_s_own_inline_samples(tmp_path):
    # An incident near the inline limit: what --into adds goes to data files.
    out = tmp_path / "pods.yaml"
    import_ok("prometheus", str(many_short_series(tmp_path)), "-o", str(out))
    more = tmp_path / "more"
    more.mkdir()
    stdout, _ = import_ok("prometheus", str(many_short_series(more, pods=5)), "--into", str(out))
    assert stdout.count("→ pods.data/") == 5
    assert len(load_incident(out).series) == 35
