"""Histograms imported: a saved Prometheus answer of buckets (``rate(x_bucket[1m])`` by
handler, as ``query_range`` returns it), raw bucket counters, and OTLP explicit-bucket
histograms (``import otlp --heatmap``, shaped as the OTLP/JSON encoding documents them).
Each becomes one histogram with its data file, and loads with its quantile lines."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from replay_viewer.loader import load_incident

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

BUCKETS = IMPORT_DATA / "prometheus_buckets.json"
T0 = 1748943600  # 2025-06-03T09:40:00Z


def test_a_saved_answer_of_buckets_is_one_histogram(tmp_path):
    out = tmp_path / "lat.yaml"
    stdout, incident = import_ok("prometheus", str(BUCKETS), "--unit", "s", "--label",
                                 "Checkout latency", "-o", str(out))  # fmt: skip
    (h,) = incident.histograms
    # Named by --label (an answer of rate() has no metric name).
    assert (h.id, h.label, h.unit, h.count_unit) == ("checkout_latency", "Checkout latency",
                                                     "s", "/s")  # fmt: skip
    assert h.bounds.tolist() == [0.05, 0.1, 0.25, 0.5, 1.0, math.inf]
    assert h.times.tolist() == [15.0 * i for i in range(9)]
    # The two handlers' rates summed by le, then each bucket's own: /checkout's own
    # 2, 4, 2, 1, .5, .5 and /search's 1, 1, .5, .25, .25, 0.
    assert h.counts[0].tolist() == [3, 5, 2.5, 1.25, 0.75, 0.5]
    assert h.counts[4].tolist() == [3, 5, 5.5, 1.25, 0.75, 0.5]  # /checkout's third grew
    assert h.counts[6].tolist() == [2, 4, 5, 1, 0.5, 0.5]  # /search had no sample then
    p50 = incident.series_by_id("checkout_latency_p50")
    assert p50.values[0] == pytest.approx(0.05 + 0.05 * 3.5 / 5)  # rank 6.5 of 13
    assert incident.started_at.timestamp() == T0
    assert "12 series summed by le over handler" in stdout
    assert (tmp_path / "lat.data" / "checkout_latency.npy").exists()
    text = out.read_text(encoding="utf-8")
    assert "buckets: [0.05, 0.1, 0.25, 0.5, 1, +Inf]" in text and "cumulative: false" in text


def test_import_file_recognises_an_answer_of_buckets(tmp_path):
    out = tmp_path / "lat.yaml"
    result = run_cli("import", str(BUCKETS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "reading it as `import prometheus`" in result.stderr
    histograms = load_incident(out).histograms
    assert len(histograms) == 1 and histograms[0].unit == ""


def answer(results) -> dict:
    return {"status": "success", "data": {"resultType": "matrix", "result": results}}


def test_raw_bucket_counters_become_rates(tmp_path):
    # http_request_duration_seconds_bucket as scraped: counters, cumulative in le; a reset.
    counters = {"0.1": [10, 40, 70, 20], "1": [15, 60, 105, 30], "+Inf": [15, 61, 107, 31]}
    results = [
        {"metric": {"__name__": "http_request_duration_seconds_bucket", "le": le},
         "values": [[T0 + 10 * i, str(v)] for i, v in enumerate(values)]}
        for le, values in counters.items()
    ]  # fmt: skip
    path = tmp_path / "raw.json"
    path.write_text(json.dumps(answer(results)), encoding="utf-8")
    _, incident = import_ok("prometheus", str(path), "-o", str(tmp_path / "raw.yaml"))
    (h,) = incident.histograms
    assert (h.label, h.unit) == ("http_request_duration_seconds", "s")
    assert h.times.tolist() == [0, 10, 20]  # a rate needs the sample before: T+0 is T0 + 10
    # Increases per 10 s: 30, 30, reset (20); 45, 45, 30; 46, 46, 31; then each bucket's own.
    assert np.allclose(h.counts, [[3, 1.5, 0.1], [3, 1.5, 0.1], [2, 1, 0.1]])


def test_buckets_mixed_with_other_series_are_refused(tmp_path):
    results = [
        {"metric": {"le": "0.1"}, "values": [[T0, "1"]]},
        {"metric": {"job": "api"}, "values": [[T0, "1"]]},
    ]
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(answer(results), indent=1), encoding="utf-8")
    stderr = import_fails("prometheus", str(path), "-o", str(tmp_path / "x.yaml"))
    assert f"{path}:" in stderr and "this series has no 'le' label" in stderr


def test_into_does_not_take_histograms(tmp_path):
    target = tmp_path / "t.yaml"
    import_ok("prometheus", str(IMPORT_DATA / "prometheus_p99.json"), "-o", str(target))
    stderr = import_fails("prometheus", str(BUCKETS), "--into", str(target), code=2)
    assert "--into adds series and events, not histograms yet" in stderr


# -- OTLP -----------------------------------------------------------------------------------


def ns(seconds: float) -> str:
    return str(int(seconds * 10**9))


def otlp_histogram(points_by_route: dict, *, temporality: int = 2) -> dict:
    """An ExportMetricsServiceRequest with one explicit-bucket histogram, a stream per
    route: ``(t, bucketCounts)`` points, cumulative from T0 - 60."""
    data_points = [
        {
            "attributes": [{"key": "http.route", "value": {"stringValue": route}}],
            "startTimeUnixNano": ns(T0 - 60),
            "timeUnixNano": ns(T0 + t),
            "count": str(sum(counts)),
            "sum": 1.5,
            "bucketCounts": [str(c) for c in counts],
            "explicitBounds": [0.1, 0.5, 1.0],
        }
        for route, points in points_by_route.items()
        for t, counts in points
    ]
    metric = {
        "name": "http.server.request.duration",
        "unit": "s",
        "histogram": {"dataPoints": data_points, "aggregationTemporality": temporality},
    }
    scope = {"scope": {"name": "io.opentelemetry.http"}, "metrics": [metric]}
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]}
    return {"resourceMetrics": [{"resource": resource, "scopeMetrics": [scope]}]}


def test_otlp_histograms_become_a_heatmap(tmp_path):
    doc = otlp_histogram({
        "/pay": [(0, [0, 0, 0, 0]), (10, [20, 10, 0, 0]), (20, [40, 30, 10, 0])],
        "/cart": [(0, [0, 0, 0, 0]), (10, [10, 0, 0, 0]), (20, [10, 0, 0, 10])],
    })  # fmt: skip
    path = tmp_path / "otlp.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "otlp.yaml"
    stdout, incident = import_ok("otlp", str(path), "--heatmap", "-o", str(out))
    (h,) = incident.histograms
    assert (h.label, h.unit, h.count_unit) == ("http.server.request.duration", "s", "/s")
    assert h.bounds.tolist() == [0.1, 0.5, 1.0, math.inf]
    assert h.times.tolist() == [0, 10]  # T+0: the first interval's end
    # Per 10 s, summed over the routes: (20 + 10, 10, 0, 0) / 10, then (20, 20, 10, 10) / 10.
    assert h.counts.tolist() == [[3, 1, 0, 0], [2, 2, 1, 1]]
    assert [s.id for s in incident.series] == [f"http_server_request_duration_p{q}"
                                               for q in (50, 90, 99)]  # fmt: skip
    assert "2 streams summed" in stdout
    # Without --heatmap: quantile series per route, as before.
    _, plain = import_ok("otlp", str(path), "-o", str(tmp_path / "plain.yaml"))
    assert not plain.histograms and len(plain.series) == 6


def test_otlp_delta_histograms(tmp_path):
    doc = otlp_histogram({"/pay": [(10, [5, 5, 0, 0]), (20, [10, 0, 0, 0])]}, temporality=1)
    for point in doc["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["histogram"][
        "dataPoints"
    ]:
        point["startTimeUnixNano"] = ns(T0 + int(point["timeUnixNano"]) / 1e9 - T0 - 10)
    path = tmp_path / "delta.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _, incident = import_ok("otlp", str(path), "--heatmap", "-o", str(tmp_path / "d.yaml"))
    (h,) = incident.histograms
    assert np.allclose(h.counts, [[0.5, 0.5, 0, 0], [1, 0, 0, 0]])
