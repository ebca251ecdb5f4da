"""Write ``otlp_sdk_exponential.jsonl`` (and ``otlp_sdk_exponential_truth.json``): what the
OpenTelemetry Python SDK's JSON file exporter writes for request latency recorded into an
exponential histogram (``ExponentialBucketHistogramAggregation``, the SDK's defaults:
160 buckets, scale up to 20), and the true quantiles of each export's interval. Not run
by the tests (the SDK is no dependency of this project); run it by hand to remake them:

    python -m venv /tmp/otel && /tmp/otel/bin/pip install opentelemetry-sdk==1.45.2 \\
        opentelemetry-exporter-otlp-json-file==0.66b1
    /tmp/otel/bin/python tests/data/import/make_otlp_sdk_exponential.py

The SDK's clock is replaced by a fake one: 8 minutes of exports (one every 30 s from
2025-06-03T09:40:00Z) made in a moment. ``/pay`` slows down from T+02:00 to T+06:00 (its
range grows, so the SDK lowers the histogram's scale mid-stream: the points come at two
scales), ``/cart`` stays fast. Cumulative temporality, as the SDK exports by default.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from opentelemetry.exporter.otlp.json.file.metric_exporter import FileMetricExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics._internal import _view_instrument_match as view_match
from opentelemetry.sdk.metrics._internal import instrument, metric_reader_storage
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.metrics.view import ExponentialBucketHistogramAggregation, View
from opentelemetry.sdk.resources import Resource

HERE = Path(__file__).resolve().parent
OUT = HERE / "otlp_sdk_exponential.jsonl"
TRUTH = HERE / "otlp_sdk_exponential_truth.json"
T0_NS = 1_748_943_600 * 10**9  # 2025-06-03T09:40:00Z
clock = {"ns": T0_NS}


def fake_time_ns() -> int:
    return clock["ns"]


for module in (instrument, metric_reader_storage, view_match):
    module.time_ns = fake_time_ns


def latency(second: float, route: str, rng: random.Random) -> float:
    """Normal ~55 ms; /pay slows down from T+02:00 to T+06:00 (up to 13x)."""
    base = rng.lognormvariate(-2.9, 0.4)
    if route == "/pay" and 120 <= second < 360:
        return base * (1 + (second - 120) / 20)
    return base


def quantile(values: list[float], q: float) -> float:
    """The q-quantile of ``values`` (linear between the closest ranks, as numpy's)."""
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def main() -> None:
    OUT.unlink(missing_ok=True)
    rng = random.Random(29)
    reader = PeriodicExportingMetricReader(FileMetricExporter(OUT), export_interval_millis=10**9)
    resource = Resource.create({"service.name": "checkout", "k8s.pod.name": "checkout-5d2e"})
    view = View(instrument_name="http.server.request.duration",
                aggregation=ExponentialBucketHistogramAggregation())  # fmt: skip
    provider = MeterProvider(resource=resource, metric_readers=[reader], views=[view])
    duration = provider.get_meter("checkout", "1.4.0").create_histogram(
        "http.server.request.duration", unit="s", description="Duration of HTTP requests."
    )
    truth: dict[str, list] = {"/pay": [], "/cart": []}
    interval: dict[str, list[float]] = {"/pay": [], "/cart": []}
    for second in range(480):
        clock["ns"] = T0_NS + second * 10**9 + rng.randrange(10**6)
        for route, rate in (("/pay", 20), ("/cart", 30)):
            for _ in range(rate):
                seconds = latency(second, route, rng)
                interval[route].append(seconds)
                duration.record(seconds, {"http.route": route, "http.request.method": "POST"})
        if (second + 1) % 30 == 0:
            clock["ns"] = T0_NS + (second + 1) * 10**9 + rng.randrange(2 * 10**6)
            reader.force_flush()
            for route, seen in interval.items():
                truth[route].append([second + 1, quantile(seen, 0.5), quantile(seen, 0.99)])
                seen.clear()
    reader.shutdown()
    TRUTH.write_text(json.dumps({"t0": "2025-06-03T09:40:00Z", "quantiles": truth}, indent=1))
    print(f"{OUT}: {sum(1 for _ in OUT.open(encoding='utf-8'))} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
