"""``import prometheus --url`` of histogram buckets against a real Prometheus started here:
a backfilled histogram (every imported rate checked exactly), and Prometheus' own
``prometheus_http_request_duration_seconds_bucket``, scraped from itself every second
(its handlers summed by le)."""

from __future__ import annotations

import json
import math
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

import numpy as np
import pytest

from .import_helpers import import_ok
from .live_servers import free_port, iso, need_binary, running

STEP = 15
BOUNDS = ("0.1", "0.5", "1", "+Inf")
COUNT = 20


def own_counts(i: int) -> list[int]:
    """Each bucket's own observations up to sample ``i`` (counters grow with i)."""
    return [10 * i, 3 * i, i, max(0, i - 10)]


def openmetrics(base: int) -> str:
    lines = ["# TYPE demo_request_duration_seconds histogram"]
    for i in range(COUNT):
        t, total = base + STEP * i, 0
        for le, own in zip(BOUNDS, own_counts(i), strict=True):
            total += own
            lines.append(f'demo_request_duration_seconds_bucket{{job="api",le="{le}"}} {total} {t}')
        lines.append(f'demo_request_duration_seconds_count{{job="api"}} {total} {t}')
        lines.append(f'demo_request_duration_seconds_sum{{job="api"}} {total * 0.1} {t}')
    return "\n".join(lines) + "\n# EOF\n"


@dataclass
class Server:
    url: str
    base: int


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    import subprocess

    binary = need_binary("prometheus", "prometheus")
    promtool = need_binary("promtool", "prometheus")
    folder = tmp_path_factory.mktemp("prometheus_histogram")
    base = (int(time.time()) // 3600 - 3) * 3600  # older than the head block
    (folder / "data.om").write_text(openmetrics(base), encoding="utf-8")
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics",
                    str(folder / "data.om"), str(folder / "tsdb")],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    port = free_port()
    config = (
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{port}']}}]\n"
    )
    (folder / "prometheus.yml").write_text(config, encoding="utf-8")
    url = f"http://127.0.0.1:{port}"
    command = [
        binary,
        f"--config.file={folder / 'prometheus.yml'}",
        f"--storage.tsdb.path={folder / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    with running(command, f"{url}/-/ready", folder / "prometheus.log"):  # fmt: skip
        yield Server(url, base)


def test_backfilled_bucket_counters_import_as_exact_rates(prometheus, tmp_path):
    start, end = prometheus.base, prometheus.base + (COUNT - 1) * STEP
    out = tmp_path / "live.yaml"
    stdout, incident = import_ok(
        "prometheus", "--url", prometheus.url,
        "--query", "demo_request_duration_seconds_bucket",
        "--start", iso(start), "--end", iso(end), "--step", f"{STEP}s", "-o", str(out),
    )  # fmt: skip
    (h,) = incident.histograms
    assert (h.label, h.unit, h.count_unit) == ("demo_request_duration_seconds", "s", "/s")
    assert h.bounds.tolist() == [0.1, 0.5, 1.0, math.inf]
    # Rates from the counters: the first sample (T+0, --start) has none.
    assert incident.started_at.timestamp() == start
    assert h.times.tolist() == [STEP * i for i in range(1, COUNT)]
    expected = np.diff([own_counts(i) for i in range(COUNT)], axis=0) / STEP
    assert np.allclose(h.counts, expected)
    p50 = incident.series_by_id("demo_request_duration_seconds_p50")
    assert p50.values[0] == pytest.approx(0.1 * 7 / 10)  # rank 7 of 14: 7 into the first 10
    assert "demo_request_duration_seconds_bucket (4 buckets)" in stdout


def _instant(url: str, query: str) -> list:
    address = f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(address, timeout=5) as answer:
        return json.load(answer)["data"]["result"]


def test_prometheus_own_request_durations_import_as_one_heatmap(prometheus, tmp_path):
    query = "prometheus_http_request_duration_seconds_bucket"
    deadline = time.monotonic() + 20
    while True:  # scraped every second: wait for a few scrapes
        found = _instant(prometheus.url, "count_over_time(up{job='self'}[1m])")
        if found and float(found[0]["value"][1]) >= 4:
            break
        assert time.monotonic() < deadline, "Prometheus did not scrape itself"
        time.sleep(0.5)
    now = time.time()
    out = tmp_path / "self.yaml"
    stdout, incident = import_ok(
        "prometheus", "--url", prometheus.url, "--query", query,
        "--start", iso(now - 4), "--end", iso(now), "--step", "1s", "-o", str(out),
    )  # fmt: skip
    (h,) = incident.histograms
    assert (h.label, h.unit) == ("prometheus_http_request_duration_seconds", "s")
    assert h.bounds[-1] == math.inf and np.all(np.diff(h.bounds) > 0)
    assert len(h.times) >= 2 and np.nanmin(h.counts) >= 0
    assert "summed by le over handler" in stdout
    assert [s.id for s in incident.series][-1] == "prometheus_http_request_duration_seconds_p99"
