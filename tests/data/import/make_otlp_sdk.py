"""Write ``otlp_python_sdk.jsonl``: what the OpenTelemetry Python SDK's JSON file exporter
writes for a small checkout incident. Not run by the tests (the SDK is no dependency of
this project); run it by hand to remake the fixture:

    python -m venv /tmp/otel && /tmp/otel/bin/pip install opentelemetry-sdk==1.45.2 \\
        opentelemetry-exporter-otlp-json-file==0.66b1
    /tmp/otel/bin/python tests/data/import/make_otlp_sdk.py

The SDK's clock is replaced by a fake one, so the file holds 12 minutes of exports (one
every 30 s from 2025-06-03T09:40:00Z) made in a moment: request latency per route (a
histogram in seconds), orders (a counter), requests in flight (an up-down counter) and
CPU utilisation (an observable gauge). The process crashes after T+06:00 and a new one
starts at T+07:00: the counter and histogram restart (a new start time, counts from 0).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from opentelemetry.exporter.otlp.json.file.metric_exporter import FileMetricExporter
from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics._internal import _view_instrument_match as view_match
from opentelemetry.sdk.metrics._internal import instrument, metric_reader_storage
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource

OUT = Path(__file__).resolve().parent / "otlp_python_sdk.jsonl"
T0_NS = 1_748_943_600 * 10**9  # 2025-06-03T09:40:00Z
BOUNDS = [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]
clock = {"ns": T0_NS}


def fake_time_ns() -> int:
    return clock["ns"]


for module in (instrument, metric_reader_storage, view_match):
    module.time_ns = fake_time_ns


def latency(second: float, route: str, rng: random.Random) -> float:
    """Normal ~60 ms; /pay slows down from T+02:00 until the crash (a lock convoy)."""
    base = rng.lognormvariate(-2.9, 0.4)
    if route == "/pay" and 120 <= second < 360:
        return base * (1 + (second - 120) / 20)
    return base


def process(start_s: int, end_s: int, exporter_path: Path, rng: random.Random) -> None:
    clock["ns"] = T0_NS + start_s * 10**9
    reader = PeriodicExportingMetricReader(
        FileMetricExporter(exporter_path), export_interval_millis=10**9
    )
    resource = Resource.create(
        {
            "service.name": "checkout",
            "service.instance.id": "checkout-7f9c",
            "k8s.pod.name": "checkout-7f9c",
        }
    )
    meter = MeterProvider(resource=resource, metric_readers=[reader]).get_meter("checkout", "1.4.0")
    duration = meter.create_histogram(
        "http.server.request.duration", unit="s", description="Duration of HTTP requests.",
        explicit_bucket_boundaries_advisory=BOUNDS,
    )  # fmt: skip
    orders = meter.create_counter("checkout.orders", unit="{order}", description="Orders.")
    active = meter.create_up_down_counter("http.server.active_requests", unit="{request}")
    busy = {"value": 0.2}
    meter.create_observable_gauge(
        "process.cpu.utilization", unit="1",
        callbacks=[lambda _options: [Observation(busy["value"])]],
    )  # fmt: skip
    in_flight = 0
    for second in range(start_s, end_s):
        clock["ns"] = T0_NS + second * 10**9 + rng.randrange(10**6)
        for route, rate in (("/pay", 4), ("/cart", 10)):
            for _ in range(rate):
                seconds = latency(second, route, rng)
                duration.record(seconds, {"http.route": route, "http.request.method": "POST"})
        orders.add(4 if second < 120 or second >= 420 else 2)
        target = 3 + (int((second - 120) / 10) if 120 <= second < 360 else 0)
        active.add(target - in_flight)
        in_flight = target
        busy["value"] = min(0.95, 0.2 + max(0, second - 120) / 300) if second < 360 else 0.25
        if (second + 1) % 30 == 0:
            clock["ns"] = T0_NS + (second + 1) * 10**9 + rng.randrange(2 * 10**6)
            reader.force_flush()
    reader.shutdown()


def main() -> None:
    OUT.unlink(missing_ok=True)
    rng = random.Random(17)
    process(0, 360, OUT, rng)  # crashes after the export at T+06:00
    process(420, 720, OUT, rng)  # the new process, from T+07:00
    print(f"{OUT}: {sum(1 for _ in OUT.open(encoding='utf-8'))} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
