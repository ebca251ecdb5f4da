"""A real VictoriaMetrics started here on 127.0.0.1 (temp ``-storageDataPath``,
``-retentionPeriod 100y`` so the 2023 samples are kept), filled through ``/api/v1/import``
(JSON lines), then read back three ways, every sample checked: ``import prometheus --url``
(its ``query_range``), ``import victoriametrics --url`` (``/api/v1/export``) and a saved
export.

The server needs the ``victoria-metrics`` Debian package (``.ci/run`` installs it); without
it these tests are skipped, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass

import numpy as np
import pytest

from .import_helpers import import_fails, import_ok
from .live_servers import free_port, iso, need_binary, post, running

BASE = 1_699_999_200  # 2023-11-14T22:00:00Z
STEP = 15
PODS = ("api-0", "api-1", "api-2")
HOLE = range(40, 48)  # api-1 was not scraped for two minutes
END = BASE + 79 * STEP


def latency(pod: int, i: int) -> float:
    return 100 + 10 * pod + (i * 7) % 13 + (0.25 if i % 2 else 0) + (900 if 10 <= i < 30 else 0)


def points() -> dict[str, dict[int, float]]:
    return {
        pod: {BASE + STEP * i: latency(n, i) for i in range(80) if not (n == 1 and i in HOLE)}
        for n, pod in enumerate(PODS)
    }


def export_lines() -> str:
    lines = []
    for pod, samples in points().items():
        metric = {"__name__": "vm_latency_ms", "job": "api", "pod": pod}
        times = [t * 1000 for t in samples]
        lines.append(json.dumps({"metric": metric, "values": list(samples.values()),
                                 "timestamps": times}))  # fmt: skip
    return "\n".join(lines) + "\n"


@dataclass
class Server:
    url: str


@pytest.fixture(scope="module")
def victoria(tmp_path_factory):
    binary = need_binary("victoria-metrics", "victoria-metrics")
    folder = tmp_path_factory.mktemp("victoria")
    url = f"http://127.0.0.1:{free_port()}"
    command = [
        binary,
        f"-storageDataPath={folder / 'data'}",
        "-retentionPeriod=100y",
        f"-httpListenAddr={url.removeprefix('http://')}",
    ]
    with running(command, f"{url}/health", folder / "log.txt"):
        assert post(f"{url}/api/v1/import", export_lines().encode()) == 204
        with urllib.request.urlopen(f"{url}/internal/force_flush", timeout=10):
            pass  # the samples are searchable from here on
        yield Server(url)


def samples(series) -> list[tuple[float, float | None]]:
    return [
        (t, None if np.isnan(v) else v) for t, v in zip(series.times, series.values, strict=True)
    ]


def raw_expected(pod: str) -> list[tuple[float, float | None]]:
    """The samples as written, one gap one step after the last before the hole."""
    rows: list[tuple[float, float | None]] = []
    for t, value in points()[pod].items():
        if rows and t - BASE - rows[-1][0] > 1.5 * STEP:
            rows.append((rows[-1][0] + STEP, None))
        rows.append((t - BASE, value))
    return rows


def range_expected(pod: str) -> list[tuple[float, float | None]]:
    """What query_range answers at each 15 s step (the latest sample at most one step old,
    as VictoriaMetrics looks back), with the importer's one gap per run of empty steps."""
    written = points()[pod]
    rows: list[tuple[float, float | None]] = []
    for t in range(BASE, END + 1, STEP):
        found = [written[s] for s in (t, t - STEP) if s in written]
        if found:
            rows.append((t - BASE, found[0]))
        elif rows and rows[-1][1] is not None:
            rows.append((t - BASE, None))
    return rows


def test_import_prometheus_reads_victoriametrics(victoria, tmp_path):
    out = tmp_path / "range.yaml"
    stdout, incident = import_ok(
        "prometheus", "--url", victoria.url, "--query", "vm_latency_ms", "--start", iso(BASE),
        "--end", iso(END), "--step", f"{STEP}s", "--unit", "ms", "-o", str(out),
    )  # fmt: skip
    assert incident.started_at.timestamp() == BASE
    assert [(s.id, s.label, s.group, s.unit) for s in incident.series] == [
        (pod, f"pod={pod}", "vm_latency_ms", "ms") for pod in PODS
    ]
    for series, pod in zip(incident.series, PODS, strict=True):
        assert samples(series) == range_expected(pod)
    assert 'group "vm_latency_ms": 3 series' in stdout


def test_import_victoriametrics_exports_the_raw_samples(victoria, tmp_path):
    out = tmp_path / "export.yaml"
    stdout, incident = import_ok(
        "victoriametrics", "--url", victoria.url, "--match", 'vm_latency_ms{job="api"}',
        "--start", iso(BASE), "--end", iso(END), "-o", str(out),
    )  # fmt: skip
    assert incident.started_at.timestamp() == BASE
    assert [(s.label, s.group) for s in incident.series] == [
        (f"pod={pod}", "vm_latency_ms") for pod in PODS
    ]
    for series, pod in zip(incident.series, PODS, strict=True):
        assert samples(series) == raw_expected(pod)
    assert f'{out}: wrote "vm_latency_ms{{job=\\"api\\"}}": 3 series' in stdout


def test_a_saved_export_imports_like_the_live_one(victoria, tmp_path):
    params = urllib.parse.urlencode({"match[]": "vm_latency_ms", "start": BASE, "end": END})
    with urllib.request.urlopen(f"{victoria.url}/api/v1/export?{params}", timeout=10) as answer:
        (tmp_path / "saved.jsonl").write_bytes(answer.read())
    _, saved = import_ok("victoriametrics", str(tmp_path / "saved.jsonl"), "-o",
                         str(tmp_path / "s.yaml"))  # fmt: skip
    assert [samples(s) for s in saved.series] == [raw_expected(pod) for pod in PODS]


def test_victoriametrics_errors_are_its_messages(victoria, tmp_path):
    out = tmp_path / "x.yaml"
    window = ("--start", iso(BASE), "--end", iso(END), "-o", str(out))
    bad_query = import_fails("prometheus", "--url", victoria.url, "--query",
                             "rate(vm_latency_ms[", *window)  # fmt: skip
    assert bad_query.startswith(
        f"{victoria.url}/api/v1/query_range: error: HTTP 422 Unprocessable Entity: error when "
        'executing query="rate(vm_latency_ms["'
    )
    bad_match = import_fails("victoriametrics", "--url", victoria.url, "--match", "x{",
                             *window)  # fmt: skip
    assert bad_match.startswith(
        f"{victoria.url}/api/v1/export: error: HTTP 400 Bad Request: cannot parse"
    )
    assert "remoteAddr" not in bad_match
    empty = import_fails("victoriametrics", "--url", victoria.url, "--match", "nothing_here",
                         *window)  # fmt: skip
    assert empty == (
        f"{victoria.url}: error: the export holds no series (does --match select series "
        "between --start and --end?); nothing written\n"
    )
    assert not out.exists()


def test_connection_refused(tmp_path):
    stderr = import_fails(
        "victoriametrics", "--url", f"http://127.0.0.1:{free_port()}", "--match", "up",
        "--start", iso(BASE), "--end", iso(END), "-o", str(tmp_path / "x.yaml"),
    )  # fmt: skip
    assert "connection refused: is VictoriaMetrics running there" in stderr
