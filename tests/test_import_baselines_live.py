"""``import prometheus|influxdb|victoriametrics --url … --baseline 1h``: against the real
servers (started here on 127.0.0.1, temp data), each holding the same metric at two periods
an hour apart, a normal one and the incident; the stored baseline must be the normal
period's samples, moved forward by the hour, on the series' own T axis.

The servers need the ``prometheus``, ``influxdb`` and ``victoria-metrics`` Debian packages
(``.ci/run`` installs them); without one its tests are skipped, except in CI.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from dataclasses import dataclass

import numpy as np
import pytest

from .import_helpers import import_fails, import_ok
from .live_servers import free_port, iso, need_binary, post, running
from .test_cli import run_cli

STEP = 15
COUNT = 40  # ten minutes a period
SHIFT = 3600


def normal(i: int) -> float:
    return 80.0 + (i * 3) % 7


def incident(i: int) -> float:
    return normal(i) + (900.0 if 10 <= i < 30 else 0.0)


def periods(base: int) -> dict[int, float]:
    """{epoch s: value}: the normal period an hour before the incident's (at ``base``)."""
    values = {base - SHIFT + STEP * i: normal(i) for i in range(COUNT)}
    values.update({base + STEP * i: incident(i) for i in range(COUNT)})
    return values


@dataclass
class Server:
    url: str
    base: int


def check_baseline(series, *, shift: float = SHIFT) -> None:
    """The series is the incident's samples, its baseline the normal period's, moved."""
    np.testing.assert_array_equal(series.times, STEP * np.arange(COUNT))
    np.testing.assert_array_equal(series.values, [incident(i) for i in range(COUNT)])
    baseline = series.baseline
    assert baseline is not None and baseline.shift == shift
    np.testing.assert_array_equal(baseline.times, series.times)
    np.testing.assert_array_equal(baseline.values, [normal(i) for i in range(COUNT)])


# -- Prometheus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    binary = need_binary("prometheus", "prometheus")
    promtool = need_binary("promtool", "prometheus")
    folder = tmp_path_factory.mktemp("prometheus")
    base = (int(time.time()) // 3600 - 3) * 3600  # older than the head block: queryable now
    lines = ["# TYPE demo_latency_ms gauge"]
    lines += [f'demo_latency_ms{{job="api"}} {v} {t}' for t, v in periods(base).items()]
    lines += ["# TYPE demo_new gauge", *(f"demo_new 1 {base + STEP * i}" for i in range(COUNT))]
    (folder / "data.om").write_text("\n".join(lines) + "\n# EOF\n", encoding="utf-8")
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics",
                    str(folder / "data.om"), str(folder / "tsdb")],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    (folder / "prometheus.yml").write_text("global:\n  scrape_interval: 1m\n", encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"
    command = [binary, f"--config.file={folder / 'prometheus.yml'}",
               f"--storage.tsdb.path={folder / 'tsdb'}",
               f"--web.listen-address={url.removeprefix('http://')}",
               "--query.lookback-delta=30s"]  # fmt: skip
    with running(command, f"{url}/-/ready", folder / "log.txt"):
        yield Server(url, base)


def prom_args(server: Server, out, *extra: str) -> tuple[str, ...]:
    return (
        "prometheus", "--url", server.url, "--query", "demo_latency_ms", "--start",
        iso(server.base), "--end", iso(server.base + STEP * (COUNT - 1)), "--step", f"{STEP}s",
        "--unit", "ms", "-o", str(out), *extra,
    )  # fmt: skip


def test_prometheus_baseline_is_the_query_an_hour_earlier(prometheus, tmp_path):
    out = tmp_path / "prom.yaml"
    stdout, imported = import_ok(*prom_args(prometheus, out, "--baseline", "1h"))
    check_baseline(imported.series[0])
    text = out.read_text(encoding="utf-8")
    assert "--baseline 1h" in text.splitlines()[0]
    assert "    baseline_shift: 1h\n    baseline:\n      - [0, 80]\n" in text
    assert "baseline 1h earlier" in stdout


def test_prometheus_series_without_a_baseline_is_said(prometheus, tmp_path):
    out = tmp_path / "new.yaml"
    args = list(prom_args(prometheus, out, "--baseline", "1h"))
    args[args.index("demo_latency_ms")] = "demo_new"
    result = run_cli("import", *args)
    assert result.returncode == 0, result.stderr
    assert "has no baseline: the query answered nothing for it 1h earlier" in result.stderr
    assert "baseline" not in out.read_text(encoding="utf-8").split("series:")[1]


def test_a_saved_answer_cannot_be_asked_for_its_baseline(tmp_path):
    saved = tmp_path / "saved.json"
    saved.write_text('{"status":"success","data":{"resultType":"matrix","result":[]}}',
                     encoding="utf-8")  # fmt: skip
    stderr = import_fails("prometheus", str(saved), "--baseline", "1w", "-o",
                          str(tmp_path / "x.yaml"), code=2)  # fmt: skip
    assert "--baseline runs the query again on the server, earlier: it needs --url" in stderr


# -- InfluxDB 1.x ------------------------------------------------------------------------------

INFLUX_BASE = 1_699_999_200  # 2023-11-14T22:00:00Z


@pytest.fixture(scope="module")
def influxdb(tmp_path_factory):
    binary = need_binary("influxd", "influxdb")
    folder = tmp_path_factory.mktemp("influxdb")
    port = free_port()
    config = folder / "influxdb.conf"
    config.write_text(
        f'reporting-disabled = true\nbind-address = "127.0.0.1:{free_port()}"\n'
        f'[meta]\n  dir = "{folder / "meta"}"\n'
        f'[data]\n  dir = "{folder / "data"}"\n  wal-dir = "{folder / "wal"}"\n'
        "  query-log-enabled = false\n[monitor]\n  store-enabled = false\n"
        f'[http]\n  bind-address = "127.0.0.1:{port}"\n  log-enabled = false\n'
        "[continuous_queries]\n  enabled = false\n",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}"
    with running([binary, "run", "-config", str(config)], f"{url}/ping", folder / "log.txt"):
        post(f"{url}/query", b"q=CREATE+DATABASE+demo", "application/x-www-form-urlencoded")
        body = "".join(f"latency,host=api-0 p99={v!r} {t}\n"
                       for t, v in periods(INFLUX_BASE).items())  # fmt: skip
        assert post(f"{url}/write?db=demo&precision=s", body.encode()) == 204
        yield Server(url, INFLUX_BASE)


def test_influxdb_baseline_is_the_query_an_hour_earlier(influxdb, tmp_path):
    out = tmp_path / "influx.yaml"
    _, imported = import_ok(
        "influxdb", "--url", influxdb.url, "--db", "demo", "--query",
        "SELECT p99 FROM latency WHERE $timeFilter GROUP BY host", "--start", iso(INFLUX_BASE),
        "--end", iso(INFLUX_BASE + STEP * (COUNT - 1)), "--baseline", "60m", "-o", str(out),
    )  # fmt: skip
    check_baseline(imported.series[0])


# -- VictoriaMetrics ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def victoria(tmp_path_factory):
    binary = need_binary("victoria-metrics", "victoria-metrics")
    folder = tmp_path_factory.mktemp("victoria")
    url = f"http://127.0.0.1:{free_port()}"
    command = [binary, f"-storageDataPath={folder / 'data'}", "-retentionPeriod=100y",
               f"-httpListenAddr={url.removeprefix('http://')}"]  # fmt: skip
    with running(command, f"{url}/health", folder / "log.txt"):
        samples = periods(INFLUX_BASE)
        metric = {"__name__": "vm_latency_ms", "job": "api"}
        line = json.dumps({"metric": metric, "values": list(samples.values()),
                           "timestamps": [t * 1000 for t in samples]})  # fmt: skip
        assert post(f"{url}/api/v1/import", line.encode()) == 204
        with urllib.request.urlopen(f"{url}/internal/force_flush", timeout=10):
            pass
        yield Server(url, INFLUX_BASE)


def test_victoriametrics_baseline_is_the_export_an_hour_earlier(victoria, tmp_path):
    out = tmp_path / "vm.yaml"
    _, imported = import_ok(
        "victoriametrics", "--url", victoria.url, "--match", 'vm_latency_ms{job="api"}',
        "--start", iso(INFLUX_BASE), "--end", iso(INFLUX_BASE + STEP * (COUNT - 1)),
        "--baseline", "1h", "-o", str(out),
    )  # fmt: skip
    check_baseline(imported.series[0])
