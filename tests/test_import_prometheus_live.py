"""``import prometheus --url``: against a real Prometheus started here on a TSDB backfilled
with known samples (so every imported value is checked exactly), and against a tiny
stand-in server for authentication, HTTP errors and timeouts.

The real server needs the ``prometheus`` Debian package (``.ci/run`` installs it); without
it these tests are skipped, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from replay_viewer.loader import load_incident

from .import_helpers import import_fails, import_ok
from .test_cli import run_cli

STEP = 15
LOOKBACK = 30  # --query.lookback-delta: a sample answers for 30 s, then steps are empty


def latency_samples(base: int) -> dict[int, float]:
    """demo_latency_ms: every 15 s for 20 min; NaN at i=20; no samples for i in 48..55."""
    samples = {}
    for i in range(80):
        if 48 <= i < 56:
            continue
        spike = 2000 if 10 <= i < 30 else 0
        samples[base + STEP * i] = float("nan") if i == 20 else 80 + (i * 7) % 13 + spike
    return samples


def hit_samples(base: int) -> dict[int, float]:
    return {
        base + STEP * i: round(0.94 - (0.8 if 10 <= i < 40 else 0) + i / 10000, 4)
        for i in range(80)
    }


def openmetrics(base: int) -> str:
    lines = ["# TYPE demo_latency_ms gauge"]
    for t, v in latency_samples(base).items():
        lines.append(f'demo_latency_ms{{job="api",quantile="0.99"}} {v} {t}')
    lines.append("# TYPE demo_hit_ratio gauge")
    lines += [f'demo_hit_ratio{{job="api"}} {v} {t}' for t, v in hit_samples(base).items()]
    return "\n".join(lines).replace(" nan ", " NaN ") + "\n# EOF\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    base: int


def _need_prometheus() -> tuple[str, str]:
    prometheus, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if prometheus and promtool:
        return prometheus, promtool
    why = "the prometheus binary is not installed (apt-get install prometheus)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}, and CI must run the live import test: see .ci/run")
    pytest.skip(why)


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    binary, promtool = _need_prometheus()
    folder = tmp_path_factory.mktemp("prometheus")
    # Three hours back, whole hours: older than the head block, so the backfilled blocks
    # are queried from startup without waiting for a compaction.
    base = (int(time.time()) // 3600 - 3) * 3600
    (folder / "data.om").write_text(openmetrics(base), encoding="utf-8")
    subprocess.run(
        [
            promtool,
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            str(folder / "data.om"),
            str(folder / "tsdb"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (folder / "prometheus.yml").write_text("global:\n  scrape_interval: 1m\n", encoding="utf-8")
    port = free_port()
    with open(folder / "prometheus.log", "wb") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={folder / 'prometheus.yml'}",
                f"--storage.tsdb.path={folder / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                f"--query.lookback-delta={LOOKBACK}s",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log_text = (folder / "prometheus.log").read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"prometheus did not become ready:\n{log_text[-2000:]}")
            time.sleep(0.1)
        yield Server(url, base)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat().replace("+00:00", "Z")


def expected(samples: dict[int, float], start: int, end: int) -> list[tuple[int, float | None]]:
    """What a range query returns at each step (latest sample within the lookback), with the
    importer's rule: NaN and empty steps are gaps, one null per run of empty steps."""
    times = np.array(sorted(samples))
    rows: list[tuple[int, float | None]] = []
    for t in range(start, end + 1, STEP):
        index = int(np.searchsorted(times, t, side="right")) - 1
        found = index >= 0 and t - times[index] <= LOOKBACK  # Prometheus 2.x: inclusive
        value = samples[int(times[index])] if found else None
        if value is not None and np.isnan(value):
            value = None
        if value is None and rows and rows[-1][1] is None:
            continue
        if value is None and not found and not rows:
            continue
        rows.append((t - start, value))
    return rows


def test_live_import_gets_exact_samples(prometheus, tmp_path):
    out = tmp_path / "live.yaml"
    start, end = prometheus.base, prometheus.base + 79 * STEP
    began = time.perf_counter()
    stdout, incident = import_ok(
        "prometheus",
        "--url",
        prometheus.url,
        "--query",
        "demo_latency_ms",
        "--query",
        "demo_hit_ratio * 100",
        "--start",
        iso(start),
        "--end",
        iso(end),
        "--step",
        f"{STEP}s",
        "--label",
        "{job}",
        "--title",
        "Live",
        "-o",
        str(out),
    )
    assert time.perf_counter() - began < 10
    assert incident.title == "Live"
    assert incident.started_at.timestamp() == start
    latency, hits = incident.series
    assert (latency.id, hits.id) == ("api", "api_2")
    got = [
        (t, None if np.isnan(v) else v) for t, v in zip(latency.times, latency.values, strict=True)
    ]
    want = expected(latency_samples(start), start, end)
    assert got == want
    assert sum(v is None for _, v in want) == 2  # the NaN and the hole
    want_hits = [(t, v * 100) for t, v in expected(hit_samples(start), start, end)]
    assert hits.times.tolist() == [t for t, _ in want_hits]
    assert hits.values.tolist() == pytest.approx([v for _, v in want_hits], rel=1e-12)
    assert f'{out}: wrote "Live": 2 series, 0 events, T+00:00 to T+19:45' in stdout
    assert run_cli("validate", str(out)).returncode == 0


def test_live_bad_query_shows_prometheus_error(prometheus, tmp_path):
    stderr = import_fails(
        "prometheus",
        "--url",
        prometheus.url,
        "--query",
        "rate(demo_latency_ms[",
        "--start",
        iso(prometheus.base),
        "--end",
        iso(prometheus.base + 600),
        "-o",
        str(tmp_path / "x.yaml"),
    )
    assert stderr.startswith(f"{prometheus.url}/api/v1/query_range: error: HTTP 400 Bad Request")
    assert "bad_data" in stderr and "parse error" in stderr


def test_live_connection_refused(tmp_path):
    stderr = import_fails(
        "prometheus",
        "--url",
        f"http://127.0.0.1:{free_port()}",
        "--query",
        "up",
        "--start",
        "2025-06-03T09:40:00Z",
        "--end",
        "2025-06-03T10:00:00Z",
        "-o",
        str(tmp_path / "x.yaml"),
    )
    assert "connection refused" in stderr


# -- a stand-in server: what it was sent, and answers Prometheus gives --------------------

ANSWER = (
    b'{"status":"success","data":{"resultType":"matrix","result":['
    b'{"metric":{},"values":[[1748943600,"1"],[1748943615,"2"]]}]}}'
)

# A per-pod query whose answer lists each pod's samples newest first; pod i peaks at i.
PODS = json.dumps(
    {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [
                {
                    "metric": {"pod": f"api-{i}", "job": "api"},
                    "values": [[1748943615, str(i)], [1748943600, "0"]],
                }
                for i in range(3)
            ],
        },
    }
).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list = []  # noqa: RUF012 (one list for the class: the tests read it)
    mode = "ok"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.seen.append((self.path, self.headers.get("Authorization"), self.rfile.read(length)))
        if self.mode == "slow":
            time.sleep(2)
            return  # the client gave up; nothing to answer
        status, body = (401, b"Unauthorized") if self.mode == "deny" else (200, ANSWER)
        body = PODS if self.mode == "pods" else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.seen.clear()
    _Handler.mode = "ok"
    yield server
    server.shutdown()
    server.server_close()


def stand_in_import(server, tmp_path, *extra, env=None, url_user=""):
    port = server.server_address[1]
    args = [
        "import",
        "prometheus",
        "--url",
        f"http://{url_user}127.0.0.1:{port}/prom/",
        "--query",
        "up",
        "--start",
        "2025-06-03T09:40:00Z",
        "--end",
        "2025-06-03T09:45:00Z",
        "-o",
        str(tmp_path / "s.yaml"),
        "--overwrite",
        *extra,
    ]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REPLAY_VIEWER_PROM")}
    return subprocess.run(
        [os.sys.executable, "-m", "replay_viewer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment, **(env or {})},
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_basic_auth_password_from_the_environment(stand_in, tmp_path):
    secret = "s3cret-Pa55"
    result = stand_in_import(
        stand_in, tmp_path, "--user", "alice", env={"REPLAY_VIEWER_PROM_PASSWORD": secret}
    )
    assert result.returncode == 0, result.stderr
    path, auth, body = _Handler.seen[0]
    assert path == "/prom/api/v1/query_range"
    assert auth == "Basic " + base64.b64encode(f"alice:{secret}".encode()).decode()
    assert b"query=up" in body and b"step=1" in body  # 5 min at most 1000 points: 1 s
    _Handler.mode = "deny"
    denied = stand_in_import(
        stand_in, tmp_path, "--user", "alice", env={"REPLAY_VIEWER_PROM_PASSWORD": secret}
    )
    assert denied.returncode == 1
    assert "HTTP 401" in denied.stderr and "REPLAY_VIEWER_PROM_PASSWORD" in denied.stderr
    assert secret not in denied.stderr + denied.stdout


def test_bearer_token_and_password_in_url_never_shown(stand_in, tmp_path):
    token = "tok-0123456789"
    result = stand_in_import(stand_in, tmp_path, env={"REPLAY_VIEWER_PROM_TOKEN": token})
    assert result.returncode == 0, result.stderr
    assert _Handler.seen[0][1] == f"Bearer {token}"
    assert token not in result.stdout
    _Handler.mode = "deny"
    denied = stand_in_import(stand_in, tmp_path, url_user="bob:hunter2@")
    assert _Handler.seen[-1][1] == "Basic " + base64.b64encode(b"bob:hunter2").decode()
    assert denied.returncode == 1 and "HTTP 401" in denied.stderr
    assert "hunter2" not in denied.stderr and "bob:" not in denied.stderr


def test_timeout_is_an_error_not_a_hang(stand_in, tmp_path):
    _Handler.mode = "slow"
    result = stand_in_import(stand_in, tmp_path, "--timeout", "0.5")
    assert result.returncode == 1
    assert "no answer within 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr


def test_live_query_with_several_results_is_one_group_sorted_with_warnings(stand_in, tmp_path):
    _Handler.mode = "pods"
    result = stand_in_import(stand_in, tmp_path, "--top", "2", "--unit", "ms", "--step", "15s")
    assert result.returncode == 0, result.stderr
    source = f"http://127.0.0.1:{stand_in.server_address[1]}/prom/api/v1/query_range (up)"
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2  # one per kept series, at its first sample out of order
    for index, warning in zip((1, 2), warnings, strict=True):
        assert warning.startswith(f"{source}:1:")
        assert warning.endswith(
            f"warning: data.result[{index}].values[1][0]: 1 sample is earlier than the sample "
            "before; sorted by time"
        )
    incident = load_incident(tmp_path / "s.yaml")
    assert [(s.label, s.group, s.unit) for s in incident.series] == [
        ("pod=api-1", "up", "ms"),
        ("pod=api-2", "up", "ms"),
    ]
    assert [s.values.tolist() for s in incident.series] == [[0, 1], [0, 2]]
