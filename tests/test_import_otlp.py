"""``import otlp``: OTLP/JSON metrics (one request per file, or a Collector file exporter's
JSON lines) → series: gauges, rates of sums, quantiles of histograms, groups per metric, and
a positioned error (or warning) for everything that cannot become a series."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.json_lines import read_documents
from replay_viewer.importers.otlp import read_metrics
from replay_viewer.importers.otlp_series import series_from_metrics

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

CHECKOUT = IMPORT_DATA / "otlp_checkout.json"
COLLECTOR = IMPORT_DATA / "otlp_collector.jsonl"
SDK = IMPORT_DATA / "otlp_python_sdk.jsonl"
T0 = 1748943600  # 2025-06-03T09:40:00Z
BOUNDS = [0.05, 0.1, 0.25, 0.5, 1.0]


def values(series) -> list[float | None]:
    return [None if math.isnan(v) else round(v, 9) for v in series.values]


def by_id(incident) -> dict:
    return {s.id: s for s in incident.series}


def test_a_request_becomes_an_incident(tmp_path):
    out = tmp_path / "checkout.yaml"
    stdout, incident = import_ok("otlp", str(CHECKOUT), "-o", str(out))
    assert incident.started_at.isoformat() == "2025-06-03T09:40:00+00:00"
    series = by_id(incident)
    # The histogram: one group per quantile, members told apart by their route.
    p50 = series["http_server_request_duration_p50_pay"]
    assert (p50.label, p50.group, p50.unit) == (
        "http.route=/pay",
        "http.server.request.duration p50",
        "s",
    )
    # T+10: the counts since T+0 are [10, 20, 30, 10, 20, 10] (see test_import_otlp_maths);
    # T+20: a restart (new start time, fewer counts): its own [40, 10, 0, 0, 0, 0].
    assert p50.times.tolist() == [10, 20]
    assert values(p50) == [0.2, 0.03125]
    assert values(series["http_server_request_duration_p90_pay"]) == [1.0, 0.075]
    assert values(series["http_server_request_duration_p99_pay"]) == [1.0, 0.0975]
    # /cart: four requests above the highest bound (1 s), then none (a gap).
    assert values(series["http_server_request_duration_p99_cart"]) == [1.0, None]
    # The counter: 1000 → 1150 in 10 s, then a restart at T+14 (30 by T+20), then +60.
    orders = series["checkout_orders"]
    assert (orders.label, orders.unit, orders.group) == ("checkout.orders", "order/s", "")
    assert orders.times.tolist() == [10, 20, 30] and values(orders) == [15, 5, 6]
    memory = series["process_memory_usage"]
    assert memory.unit == "B" and values(memory)[2] == 512_000_000
    # intValue attributes ("0", "1") label the members.
    cpus = [series["system_cpu_utilization_0"], series["system_cpu_utilization_1"]]
    assert [(s.label, s.group, s.unit) for s in cpus] == [
        ("cpu=0", "system.cpu.utilization", ""),
        ("cpu=1", "system.cpu.utilization", ""),
    ]
    assert stdout.startswith(f'{out}: wrote "otlp_checkout": 10 series, 0 events')
    assert 'group "http.server.request.duration p99": 2 series' in stdout
    assert "← rate(checkout.orders)" in stdout
    assert (
        '← histogram_quantile(0.99, http.server.request.duration{http.request.method="POST", '
        'http.route="/pay"})' in stdout
    )


def test_collector_json_lines_are_one_request_per_line(tmp_path):
    out = tmp_path / "shop.yaml"
    _, incident = import_ok("otlp", str(COLLECTOR), "-o", str(out))
    series = by_id(incident)
    # Resource attributes label the members: service.name is what differs.
    payments = [series["shop_payments_checkout"], series["shop_payments_cart"]]
    assert [(s.label, s.group, s.unit) for s in payments] == [
        ("service.name=checkout", "shop.payments", "payment/s"),
        ("service.name=cart", "shop.payments", "payment/s"),
    ]
    # 120 → 180 → 420 payments, 15 s apart: 4/s then 16/s.
    assert payments[0].times.tolist() == [15, 30] and values(payments[0]) == [4, 16]
    assert values(payments[1]) == [2, 2]
    # Requests in flight: a non-monotonic sum is a level, kept as it is.
    active = series["http_server_active_requests_checkout"]
    assert active.unit == "request" and values(active) == [2, 3, 9]


def test_as_is_keeps_the_cumulative_values(tmp_path):
    out = tmp_path / "raw.yaml"
    _, incident = import_ok("otlp", str(COLLECTOR), "--as-is", "--metric", "shop.*", "-o", str(out))
    assert [s.id for s in incident.series] == ["shop_payments_checkout", "shop_payments_cart"]
    assert values(incident.series[0]) == [120, 180, 420]
    assert incident.series[0].unit == "payment"


def test_quantiles_are_chosen(tmp_path):
    out = tmp_path / "p75.yaml"
    _, incident = import_ok(
        "otlp", str(CHECKOUT), "--metric", "http.server.request.duration", "--quantiles", "75",
        "-o", str(out),
    )  # fmt: skip
    assert [s.id for s in incident.series] == [
        "http_server_request_duration_p75_pay",
        "http_server_request_duration_p75_cart",
    ]
    # Rank 75 of [10, 20, 30, 10, 20, 10]: 0.5 + 0.5 × 5/20; of [40, 10, …]: 0.05 × 37.5/40.
    assert values(incident.series[0]) == [0.625, 0.046875]


def test_a_real_sdk_file(tmp_path):
    """What the OpenTelemetry Python SDK's JSON file exporter wrote (make_otlp_sdk.py): a
    process that slows down, crashes after T+06:00 and restarts at T+07:00."""
    out = tmp_path / "sdk.yaml"
    stdout, incident = import_ok(
        "otlp", str(SDK), "--start", "2025-06-03T09:40:00Z", "-o", str(out)
    )
    series = by_id(incident)
    assert len(series) == 9
    orders = series["checkout_orders"]
    rate = dict(zip(orders.times.round().tolist(), orders.values.tolist(), strict=True))
    assert rate[60] == pytest.approx(4, abs=0.01) and rate[150] == pytest.approx(2, abs=0.01)
    # The first export of the new process counts from its start (T+07:00), not from 0.
    assert rate[450] == pytest.approx(4, abs=0.01)
    assert math.isnan(rate[390])  # the export missed while it was down: a gap
    p99 = series["http_server_request_duration_p99_pay"]
    assert np.nanmax(p99.values) > 1.0 and p99.values[0] < 0.3
    assert np.nanmax(series["http_server_request_duration_p99_cart"].values) < 0.3
    assert series["process_cpu_utilization"].unit == ""
    assert "← rate(checkout.orders)" in stdout


def write(tmp_path, document, name="m.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), "utf-8")
    return str(path)


def ns(seconds: float) -> str:
    return str(int(seconds * 10**9))


def request(*metrics, resource=()) -> dict:
    attributes = [{"key": k, "value": {"stringValue": v}} for k, v in resource]
    scope = {"scope": {"name": "s"}, "metrics": list(metrics)}
    return {"resourceMetrics": [{"resource": {"attributes": attributes}, "scopeMetrics": [scope]}]}


def counter(points, *, temporality=2, monotonic=True, name="c") -> dict:
    data = [{"startTimeUnixNano": ns(T0 - 60), "timeUnixNano": ns(T0 + t), "asInt": str(v)}
            for t, v in points]  # fmt: skip
    body = {"dataPoints": data, "isMonotonic": monotonic}
    if temporality is not None:
        body["aggregationTemporality"] = temporality
    return {"name": name, "unit": "{request}", "sum": body}


def read(path: str, **options):
    """The series of one file and every warning, as the command gets them."""
    found = read_metrics(read_documents(Path(path)))
    series, warnings = series_from_metrics(found.metrics, **options)
    return series, found.warnings + warnings


def test_a_rate_beyond_a_float_is_refused_without_numpy_warnings(tmp_path):
    metric = counter([(0, 0), (1, 1), (2, 2)])
    values = (-1.7e308, 1.7e308, 1.7e308)
    for point, value in zip(metric["sum"]["dataPoints"], values, strict=True):
        point.pop("asInt")
        point["asDouble"] = value
    path = write(tmp_path, request(metric))
    stderr = import_fails("otlp", path, "-o", str(tmp_path / "o.yaml"))
    assert stderr == (
        "replay-viewer: error: 'c' has a value too large for a float, beyond ±1e+30 (what the "
        "chart's 32-bit floats can place); rescale it with --scale\n"
    )


def test_wrong_shape_names_what_was_expected(tmp_path):
    stderr = import_fails(
        "otlp", str(IMPORT_DATA / "prometheus_p99.json"), "-o", str(tmp_path / "x.yaml")
    )
    assert stderr == (
        f"{IMPORT_DATA / 'prometheus_p99.json'}:1:1: error: expected 'resourceMetrics' (an "
        "OTLP/JSON metrics export)\n"
    )
    spans = write(tmp_path, {"resourceSpans": []})
    assert "this is an OTLP traces export ('resourceSpans')" in import_fails(
        "otlp", spans, "-o", str(tmp_path / "x.yaml")
    )
    assert not (tmp_path / "x.yaml").exists()


def test_empty_is_said_and_nothing_written(tmp_path):
    empty = write(tmp_path, {"resourceMetrics": []})
    stderr = import_fails("otlp", empty, "-o", str(tmp_path / "x.yaml"))
    assert stderr == (
        f"{empty}: error: nothing to import: no gauge, sum, histogram or summary data points\n"
    )
    assert not (tmp_path / "x.yaml").exists()


def test_a_type_not_read_is_a_warning_and_skipped(tmp_path):
    # A kind this reader does not know (a newer data model's): said once, at the metric.
    unknown = {"name": "latency", "unit": "ms", "futureKind": {"dataPoints": []}}
    path = write(tmp_path, json.dumps(request(unknown, counter([(0, 1), (10, 11)])), indent=1))
    out = tmp_path / "x.yaml"
    result = run_cli("import", "otlp", path, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"{path}:13:7: warning: resourceMetrics[0].scopeMetrics[0].metrics[0]: latency: "
        "no gauge, sum, histogram or summary; skipped\n"
    )
    # In JSON lines, once for the metric, not once per request.
    lines = [json.dumps(request(unknown, counter([(t, t)]))) for t in (0, 10, 20)]
    _, warnings = read(write(tmp_path, "\n".join(lines), "m.jsonl"))
    assert len(warnings) == 1 and warnings[0].startswith(f"{tmp_path / 'm.jsonl'}:1:")
    assert "c  " in result.stdout  # the counter was imported
    only = write(tmp_path, request(unknown), "only.json")
    stderr = import_fails("otlp", only, "-o", str(tmp_path / "y.yaml"))
    assert "no gauge, sum, histogram or summary; skipped" in stderr
    assert "nothing to import" in stderr and "(see the warnings above)" in stderr
    assert not (tmp_path / "y.yaml").exists()


def bad_point(**changes) -> dict:
    """A gauge with one point, changed (``None``: left out)."""
    point = {"timeUnixNano": ns(T0), "asInt": "5"} | changes
    point = {key: value for key, value in point.items() if value is not None}
    return request({"name": "g", "gauge": {"dataPoints": [point]}})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (bad_point(timeUnixNano="soon"), "dataPoints[0].timeUnixNano: timeUnixNano 'soon': "
         "expected nanoseconds since 1970 as a string of digits"),
        (bad_point(timeUnixNano="0"), "dataPoints[0]: no timeUnixNano"),
        (bad_point(timeUnixNano="9" * 30), "dataPoints[0].timeUnixNano: timeUnixNano '999"),
        (bad_point(timeUnixNano=1e300), "timeUnixNano 1e+300: expected nanoseconds since 1970"),
        (bad_point(timeUnixNano="9" * 5000), "(64 bits: before 2554)"),
        (bad_point(asInt="5.5"), "dataPoints[0].asInt: asInt '5.5': expected an integer"),
        (bad_point(asInt=None, asDouble="x"), "dataPoints[0].asDouble: asDouble 'x' is not"),
        (bad_point(attributes={"k": "v"}), "dataPoints[0].attributes: expected a list"),
        (request({"name": "g", "gauge": []}), "metrics[0].gauge: expected an object with"),
        (request({"unit": "s", "gauge": {}}), "metrics[0]: expected the metric's 'name'"),
        ({"resourceMetrics": {}}, "resourceMetrics: expected a list"),
    ],
)  # fmt: skip
def test_positioned_errors(tmp_path, document, message):
    path = write(tmp_path, document)
    with pytest.raises(ImportInputError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}:1:")
    assert message in str(caught.value)


def histogram(counts, bounds, *, temporality=2) -> dict:
    point = {"timeUnixNano": ns(T0), "startTimeUnixNano": ns(T0 - 10),
             "bucketCounts": counts, "explicitBounds": bounds}  # fmt: skip
    body = {"dataPoints": [point], "aggregationTemporality": temporality}
    return request({"name": "h", "unit": "ms", "histogram": body})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (histogram(["1", "2"], [1, 2]), "bucketCounts: 2 bucket counts for 2 explicitBounds: "
         "expected 3 (one more, for the bucket above the highest bound)"),
        (histogram(["1", "2", "3"], [2, 1]), "explicitBounds: the bounds must increase"),
        (histogram(["1", "x", "3"], [1, 2]), "bucketCounts[1]: expected counts as strings"),
        (histogram(["1", "2", "3"], [1, 2], temporality=7), "aggregationTemporality 7: "
         "expected 1 (DELTA) or 2 (CUMULATIVE)"),
    ],
)  # fmt: skip
def test_histogram_errors(tmp_path, document, message):
    with pytest.raises(ImportInputError) as caught:
        read(write(tmp_path, document))
    assert message in str(caught.value)


def test_json_lines_errors_are_on_their_line(tmp_path):
    lines = [json.dumps(request(counter([(0, 1)]))), json.dumps(request(counter([(10, "x")])))]
    path = write(tmp_path, "\n".join(lines) + "\n", "m.jsonl")
    with pytest.raises(ImportInputError) as caught:
        read(path)
    column = lines[1].index('"asInt"') + len('"asInt": ') + 1
    assert str(caught.value).startswith(f"{path}:2:{column}: error: resourceMetrics[0].")
    cut = lines[0][:-1]  # the last "}" missing: the object ends unclosed at the line's end
    broken = write(tmp_path, f"{lines[0]}\n{cut}\n", "b.jsonl")
    with pytest.raises(ImportInputError) as caught:
        read(broken)
    assert str(caught.value).startswith(f"{broken}:2:{len(cut) + 1}: error: invalid JSON")


def test_a_sum_needs_its_temporality_to_be_a_rate(tmp_path):
    path = write(tmp_path, request(counter([(0, 1), (10, 11)], temporality=None)))
    stderr = import_fails("otlp", path, "-o", str(tmp_path / "x.yaml"))
    assert stderr.startswith(f"{path}:1:")
    assert "scopeMetrics[0].metrics[0].sum: c: no aggregationTemporality" in stderr
    assert "--as-is" in stderr
    import_ok("otlp", path, "--as-is", "-o", str(tmp_path / "x.yaml"))


def test_temporality_by_name_and_delta_sums(tmp_path):
    named = counter([(0, 1), (10, 11)], temporality="AGGREGATION_TEMPORALITY_CUMULATIVE")
    (series,), _ = read(write(tmp_path, request(named)))
    assert values(series) == [1]
    delta = counter([(10, 30), (20, 60)], temporality=1)
    for point, start in zip(delta["sum"]["dataPoints"], (0, 10), strict=True):
        point["startTimeUnixNano"] = ns(T0 + start)  # each covers the 10 s before it
    (series,), _ = read(write(tmp_path, request(delta), "d.json"))
    assert series.times.tolist() == [T0 + 10, T0 + 20] and values(series) == [3, 6]


def test_one_point_has_no_rate(tmp_path):
    path = write(tmp_path, request(counter([(0, 5)]), counter([(0, 1), (10, 2)], name="d")))
    series, _ = read(path)
    out = tmp_path / "x.yaml"
    result = run_cli("import", "otlp", path, "-o", str(out))
    assert result.returncode == 0
    assert "c: one point, and a rate needs two; skipped (--as-is keeps the value)" in (
        result.stderr
    )
    assert [s.label for s in series] == ["d"]


def test_points_in_any_order_and_repeated(tmp_path):
    lines = [request(counter([(t, v)])) for t, v in ((20, 30), (0, 10), (10, 20), (10, 20))]
    path = write(tmp_path, "\n".join(json.dumps(line) for line in lines), "m.jsonl")
    (series,), warnings = read(path)
    assert series.times.tolist() == [T0 + 10, T0 + 20] and values(series) == [1, 1]
    lines[3] = request(counter([(10, 25)]))  # the same time, another value: the last wins
    path = write(tmp_path, "\n".join(json.dumps(line) for line in lines), "m.jsonl")
    (series,), warnings = read(path)
    assert values(series) == [1.5, 0.5]
    assert warnings[0].startswith(f"{path}:1:")
    assert (
        "1 point of this stream repeats the time of another with a different value" in warnings[0]
    )


def test_summaries_old_senders_and_points_without_a_value(tmp_path):
    summary = {"name": "rpc.duration", "unit": "ms", "summary": {"dataPoints": [
        {"timeUnixNano": ns(T0 + t), "count": "10", "sum": 50, "quantileValues": [
            {"quantile": 0.5, "value": 4 + t}, {"quantile": 0.99, "value": 9 + t},
            {"value": 1}]}
        for t in (0, 10)]}}  # fmt: skip
    gauge = {"name": "g", "gauge": {"dataPoints": [
        {"timeUnixNano": ns(T0), "asDouble": 1.5},
        {"timeUnixNano": ns(T0 + 10), "asDouble": 2.5, "flags": 1},  # no recorded value
        {"timeUnixNano": ns(T0 + 20), "asDouble": "NaN"}]}}  # fmt: skip
    old = {"resourceMetrics": [{"instrumentationLibraryMetrics": [
        {"instrumentationLibrary": {"name": "lib"}, "metrics": [summary, gauge]}]}]}  # fmt: skip
    series, _ = read(write(tmp_path, old))
    assert [(s.label, s.unit) for s in series] == [
        ("rpc.duration min", "ms"),
        ("rpc.duration p50", "ms"),
        ("rpc.duration p99", "ms"),
        ("g", ""),
    ]
    assert values(series[1]) == [4, 14] and values(series[2]) == [9, 19]
    assert values(series[3]) == [1.5, None, None]


def test_usage_errors(tmp_path):
    out = str(tmp_path / "x.yaml")
    assert "--quantiles '0,99'" in import_fails("otlp", str(CHECKOUT), "--quantiles", "0,99",
                                                "-o", out, code=2)  # fmt: skip
    stderr = import_fails("otlp", str(CHECKOUT), "--metric", "http.client.*", "-o", out, code=2)
    assert "--metric 'http.client.*' matches none of the metrics (checkout.orders, " in stderr
    assert "one --unit" in import_fails(
        "otlp", str(CHECKOUT), "--unit", "a", "--unit", "b", "-o", out, code=2
    )


def histogram_points(rows, *, temporality) -> dict:
    """A histogram of ``(t, start, counts, bounds)`` points."""
    points = [{"timeUnixNano": ns(T0 + t), "startTimeUnixNano": ns(T0 + start),
               "bucketCounts": counts, "explicitBounds": bounds}
              for t, start, counts, bounds in rows]  # fmt: skip
    body = {"dataPoints": points, "aggregationTemporality": temporality}
    return request({"name": "h", "unit": "ms", "histogram": body})


def test_delta_histograms_and_counts_as_numbers(tmp_path):
    # Delta: each point's counts are its interval's. JSON numbers are read as counts too.
    rows = [(10, 0, [10, 20, 30, 10, 20, 10], BOUNDS), (20, 10, [40, 10, 0, 0, 0, 0], BOUNDS)]
    series, _ = read(write(tmp_path, histogram_points(rows, temporality=1)), quantiles=(50.0,))
    assert [s.label for s in series] == ["h p50"]
    assert series[0].times.tolist() == [T0 + 10, T0 + 20] and values(series[0]) == [0.2, 0.03125]


def test_new_bounds_start_the_counts_afresh(tmp_path):
    # Cumulative; at T+20 the bounds change, so its counts cannot be differenced from
    # T+10's: they count from the start (all 4 observations in (1, 2]: p50 = 1.5).
    rows = [(0, -10, ["1", "1", "0"], [1, 2]), (10, -10, ["2", "3", "0"], [1, 2]),
            (20, -10, ["0", "4", "0"], [2, 4])]  # fmt: skip
    series, _ = read(write(tmp_path, histogram_points(rows, temporality=2)), quantiles=(50.0,))
    # T+10: [1, 2, 0] in this interval: rank 1.5 in (1, 2]: 1 + 1 × 0.5/2 = 1.25.
    # T+20: [0, 4, 0] with bounds (2, 4]: rank 2 in (2, 4]: 2 + 2 × 2/4 = 3.
    assert series[0].times.tolist() == [T0 + 10, T0 + 20] and values(series[0]) == [1.25, 3]


def test_one_cumulative_histogram_point_has_no_interval(tmp_path):
    path = write(tmp_path, histogram_points([(0, -10, ["1", "1", "0"], [1, 2])], temporality=2))
    series, warnings = read(path)
    assert series == [] and "h: one point, and a cumulative histogram's intervals" in warnings[0]
    (p50,), _ = read(path, as_is=True, quantiles=(50.0,))
    assert values(p50) == [1]  # rank 1 of [1, 1, 0]: the top of the first bucket


def test_a_count_that_is_not_a_count(tmp_path):
    rows = [(0, -10, ["1", True, "0"], [1, 2])]
    with pytest.raises(ImportInputError) as caught:
        read(write(tmp_path, histogram_points(rows, temporality=2)))
    assert "dataPoints[0].bucketCounts[1]: expected counts as strings of digits" in str(
        caught.value
    )


def test_json_lines_after_blank_lines(tmp_path):
    lines = [json.dumps(request(counter([(t, t)]))) for t in (0, 10, 20)]
    path = write(tmp_path, "\n\n" + "\n".join(lines) + "\n\n", "m.jsonl")
    (series,), _ = read(path)
    assert values(series) == [1, 1]
