"""``import influxdb --url``: against a real InfluxDB 1.x started here on 127.0.0.1 (temp
data, meta and WAL folders, free ports, reporting off), with known points written through
``/write``, so every imported sample is checked exactly; and against a stand-in server for
authentication and a 5xx answer.

The real server needs the ``influxdb`` Debian package (``.ci/run`` installs it); without it
these tests are skipped, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import base64
import http.server
import os
import subprocess
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from .import_helpers import import_fails, import_ok
from .live_servers import free_port, iso, need_binary, post, running

BASE = 1_699_999_200  # 2023-11-14T22:00:00Z
STEP = 15
HOSTS = ("api-0", "api-1", "api-2")
HOLE = range(40, 48)  # api-1 sent nothing for these two minutes


def usage(host: int, i: int) -> float:
    return 20 + 10 * host + (i * 7) % 13 + (0.25 if i % 2 else 0) + (50 if 10 <= i < 30 else 0)


def points() -> dict[str, dict[int, float]]:
    """host → {epoch s: usage}: every 15 s for 20 minutes."""
    return {
        host: {BASE + STEP * i: usage(n, i) for i in range(80) if not (n == 1 and i in HOLE)}
        for n, host in enumerate(HOSTS)
    }


def line_protocol() -> str:
    lines = []
    for host, samples in points().items():
        for t, value in samples.items():
            idle = 100 - value
            lines.append(f"cpu,host={host},region=eu usage={value!r},idle={idle!r} {t}")
    return "\n".join(lines) + "\n"


@dataclass
class Server:
    url: str


@pytest.fixture(scope="module")
def influxdb(tmp_path_factory):
    binary = need_binary("influxd", "influxdb")
    folder = tmp_path_factory.mktemp("influxdb")
    port = free_port()
    config = folder / "influxdb.conf"
    config.write_text(
        "reporting-disabled = true\n"
        f'bind-address = "127.0.0.1:{free_port()}"\n'
        f'[meta]\n  dir = "{folder / "meta"}"\n'
        f'[data]\n  dir = "{folder / "data"}"\n  wal-dir = "{folder / "wal"}"\n'
        "  query-log-enabled = false\n"
        "[monitor]\n  store-enabled = false\n"
        f'[http]\n  bind-address = "127.0.0.1:{port}"\n  log-enabled = false\n'
        "[continuous_queries]\n  enabled = false\n",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}"
    with running([binary, "run", "-config", str(config)], f"{url}/ping", folder / "log.txt"):
        form = "application/x-www-form-urlencoded"
        post(f"{url}/query", b"q=CREATE+DATABASE+demo", form)
        assert post(f"{url}/write?db=demo&precision=s", line_protocol().encode()) == 204
        yield Server(url)


def samples(series) -> list[tuple[float, float | None]]:
    return [
        (t, None if np.isnan(v) else v) for t, v in zip(series.times, series.values, strict=True)
    ]


def raw_expected(host: str) -> list[tuple[float, float | None]]:
    """The points as written, one gap one step after the last before the hole."""
    rows: list[tuple[float, float | None]] = []
    for t, value in points()[host].items():
        if rows and t - BASE - rows[-1][0] > 1.5 * STEP:
            rows.append((rows[-1][0] + STEP, None))
        rows.append((t - BASE, value))
    return rows


def live(server: Server, query: str, out: Path, *extra: str, db: str = "demo"):
    return (
        "influxdb", "--url", server.url, "--db", db, "--query", query, "--start", iso(BASE),
        "--end", iso(BASE + 79 * STEP), "-o", str(out), *extra,
    )  # fmt: skip


def test_raw_points_come_back_exactly(influxdb, tmp_path):
    out = tmp_path / "raw.yaml"
    query = "SELECT usage FROM cpu WHERE $timeFilter GROUP BY host"
    stdout, incident = import_ok(*live(influxdb, query, out, "--unit", "%", "--title", "CPU"))
    assert incident.title == "CPU"
    assert incident.started_at.timestamp() == BASE
    assert [(s.id, s.label, s.group, s.unit) for s in incident.series] == [
        (host, f"host={host}", "cpu.usage", "%") for host in HOSTS
    ]
    for series, host in zip(incident.series, HOSTS, strict=True):
        assert samples(series) == raw_expected(host)
    assert f'{out}: wrote "CPU": 3 series, 0 events, T+00:00 to T+19:45' in stdout
    assert 'api-1      73 samples %, 1 gap  ← cpu.usage{host="api-1"}' in stdout


def test_an_aggregate_over_interval_buckets(influxdb, tmp_path):
    out = tmp_path / "mean.yaml"
    query = "SELECT mean(usage) FROM cpu WHERE $timeFilter GROUP BY time($__interval), host"
    _, incident = import_ok(*live(influxdb, query, out, "--step", "1m"))
    assert [s.group for s in incident.series] == ["cpu.mean"] * 3
    for series, host in zip(incident.series, HOSTS, strict=True):
        written = points()[host]
        want = []
        for minute in range(20):
            found = [written[t] for t in range(BASE + 60 * minute, BASE + 60 * (minute + 1), 15)
                     if t in written]  # fmt: skip
            want.append((60 * minute, float(np.mean(found)) if found else None))
        got = samples(series)
        assert [t for t, _ in got] == [t for t, _ in want]
        assert [v is None for _, v in got] == [v is None for _, v in want]
        assert [v for _, v in got if v is not None] == pytest.approx(
            [v for _, v in want if v is not None], rel=1e-12
        )
    assert samples(incident.series[1])[10:12] == [(600, None), (660, None)]  # the hole


def test_a_saved_answer_imports_like_the_live_one(influxdb, tmp_path):
    # As curl -G …/query?pretty=true saves it: RFC3339 times (no epoch), indented.
    query = f"SELECT usage FROM cpu WHERE time >= {BASE}s GROUP BY host"
    params = urllib.parse.urlencode({"db": "demo", "q": query, "pretty": "true"})
    with urllib.request.urlopen(f"{influxdb.url}/query?{params}", timeout=10) as answer:
        (tmp_path / "saved.json").write_bytes(answer.read())
    _, saved = import_ok("influxdb", str(tmp_path / "saved.json"), "-o", str(tmp_path / "s.yaml"))
    live_query = "SELECT usage FROM cpu WHERE $timeFilter GROUP BY host"
    _, fetched = import_ok(*live(influxdb, live_query, tmp_path / "l.yaml"))
    assert [samples(s) for s in saved.series] == [samples(s) for s in fetched.series]
    # chunked=true: an answer a line, a series in parts of 50 rows.
    params = urllib.parse.urlencode({"db": "demo", "q": query, "epoch": "ms",
                                     "chunked": "true", "chunk_size": 50})  # fmt: skip
    with urllib.request.urlopen(f"{influxdb.url}/query?{params}", timeout=10) as answer:
        (tmp_path / "chunked.json").write_bytes(answer.read())
    assert (tmp_path / "chunked.json").read_text(encoding="utf-8").count("\n") == 6
    _, chunked = import_ok("influxdb", str(tmp_path / "chunked.json"), "-o",
                           str(tmp_path / "c.yaml"))  # fmt: skip
    assert [samples(s) for s in chunked.series] == [samples(s) for s in fetched.series]


def test_influxdb_errors_are_its_messages(influxdb, tmp_path):
    out = tmp_path / "x.yaml"
    missing = import_fails(*live(influxdb, "SELECT usage FROM cpu WHERE $timeFilter", out,
                                 db="nope"))  # fmt: skip
    assert missing.startswith(f"{influxdb.url}/query (SELECT usage FROM cpu WHERE time >= ")
    assert "error: results[0].error: InfluxDB answered: database not found: nope" in missing
    bad = import_fails(*live(influxdb, "SELEC usage FROM cpu WHERE $timeFilter", out))
    assert bad.startswith(f"{influxdb.url}/query: error: HTTP 400 Bad Request: error parsing query")
    empty = import_fails(*live(influxdb, "SELECT usage FROM nothing WHERE $timeFilter", out))
    assert (
        empty == f"{influxdb.url}: error: the answer holds no series (no data); nothing written\n"
    )
    no_range = import_fails(*live(influxdb, "SELECT usage FROM cpu", out), code=2)
    assert "has no $timeFilter" in no_range
    assert not out.exists()


def test_connection_refused(tmp_path):
    server = Server(f"http://127.0.0.1:{free_port()}")
    stderr = import_fails(*live(server, "SELECT usage FROM cpu WHERE $timeFilter", tmp_path / "x"))
    assert "connection refused: is InfluxDB running there" in stderr


# -- a stand-in server: authentication and a 5xx answer -----------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list = []  # noqa: RUF012 (one list for the class: the tests read it)
    status = 401

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.seen.append((self.path, self.headers.get("Authorization"), self.rfile.read(length)))
        body = b'{"error":"authorization failed"}' if self.status == 401 else b"shard is busy\n"
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Handler.seen.clear()
    yield Server(f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


def run_with_env(args: tuple, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("REPLAY_VIEWER_")}
    return subprocess.run(
        [os.sys.executable, "-m", "replay_viewer", "import", *args],
        capture_output=True, text=True, timeout=60, env={**keep, **env},
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip


def test_basic_auth_from_the_environment_and_a_401(stand_in, tmp_path):
    secret = "s3cret-Pa55"
    args = live(stand_in, "SELECT usage FROM cpu WHERE $timeFilter", tmp_path / "x.yaml",
                "--user", "alice")  # fmt: skip
    result = run_with_env(args, {"REPLAY_VIEWER_INFLUX_PASSWORD": secret})
    assert result.returncode == 1
    path, auth, body = _Handler.seen[0]
    assert path == "/query"
    assert auth == "Basic " + base64.b64encode(f"alice:{secret}".encode()).decode()
    form = urllib.parse.parse_qs(body.decode())
    assert form["db"] == ["demo"] and form["epoch"] == ["ms"]
    assert form["q"] == [f"SELECT usage FROM cpu WHERE time >= {BASE}000ms AND time <= "
                         f"{BASE + 79 * STEP}000ms"]  # fmt: skip
    assert result.stderr == (
        f"{stand_in.url}/query: error: HTTP 401 Unauthorized: not allowed; check --user and "
        "REPLAY_VIEWER_INFLUX_PASSWORD, or REPLAY_VIEWER_INFLUX_TOKEN\n"
    )
    assert secret not in result.stderr + result.stdout


def test_a_server_error_is_its_message(stand_in, tmp_path):
    _Handler.status = 500
    try:
        stderr = import_fails(*live(stand_in, "SELECT usage FROM cpu WHERE $timeFilter",
                                    tmp_path / "x.yaml"))  # fmt: skip
    finally:
        _Handler.status = 401
    assert stderr == f"{stand_in.url}/query: error: HTTP 500 Internal Server Error: shard is busy\n"
    assert not (tmp_path / "x.yaml").exists()
