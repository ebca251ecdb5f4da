"""``import otlp`` of exponential histograms: every point brought to one scale (buckets
merged exactly), read as explicit buckets, so the quantiles and the heatmap are those of
explicit-bucket histograms. The real file is the OpenTelemetry Python SDK's own
(make_otlp_sdk_exponential.py), checked against the true quantiles of each interval."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from replay_viewer.importers.common import ImportInputError
from replay_viewer.importers.otlp import Stream
from replay_viewer.importers.otlp_exponential import (
    MAX_BUCKETS,
    ExponentialPoint,
    to_explicit_buckets,
)

from .import_helpers import IMPORT_DATA, import_ok
from .test_import_otlp import T0, ns, read, request, write

SDK_EXPONENTIAL = IMPORT_DATA / "otlp_sdk_exponential.jsonl"
TRUTH = IMPORT_DATA / "otlp_sdk_exponential_truth.json"


class Metric:
    """What to_explicit_buckets reads and writes: a name and streams of points."""

    def __init__(self, points) -> None:
        self.name = "latency"
        self.streams = {(): Stream({}, None, ())}
        self.streams[()].values = list(points)

    def convert(self) -> str | None:
        return to_explicit_buckets(self.name, self.streams.values())


def metric_of(*points: ExponentialPoint) -> Metric:
    return Metric(points)


def test_a_lower_scale_merges_pairs_of_buckets_exactly():
    # Scale 1 (base √2): buckets 4..7 are (4, 5.66], (5.66, 8], (8, 11.3], (11.3, 16];
    # at scale 0 (base 2) they are (4, 8] and (8, 16].
    fine = ExponentialPoint(scale=1, offset=4, counts=(1, 2, 3, 4), low=5)
    coarse = ExponentialPoint(scale=0, offset=2, counts=(10, 20), low=0)
    metric = metric_of(fine, coarse)
    assert metric.convert() is None
    stream = metric.streams[()]
    assert stream.bounds[0] == stream.bounds[1] == (4.0, 8.0, 16.0)
    assert stream.values == [(5, 3, 7, 0), (0, 10, 20, 0)]  # zero bucket first, +Inf empty


def test_negative_offsets_and_a_wide_range_fit_the_bucket_limit():
    wide = ExponentialPoint(scale=8, offset=-3000, counts=(1,) + (0,) * 998 + (1,), low=0)
    metric = metric_of(wide, None)
    metric.convert()
    bounds = metric.streams[()].bounds[0]
    assert len(bounds) - 1 <= MAX_BUCKETS
    ratios = np.diff(np.log2(bounds))
    assert np.allclose(ratios, ratios[0]), "log-spaced: one base"
    assert bounds[0] <= 2 ** (-3000 / 256) and bounds[-1] >= 2 ** (-2001 / 256)
    assert metric.streams[()].values[1] is None  # a point without a value stays a gap
    assert sum(metric.streams[()].values[0]) == 2


def test_negative_observations_are_said():
    point = ExponentialPoint(scale=0, offset=0, counts=(3,), low=4, negative=2)
    warning = metric_of(point).convert()
    assert warning == (
        "latency: 2 negative observations are counted in the lowest bucket (their own "
        "buckets are not drawn)"
    )


def test_only_zeros_is_one_bucket_at_zero():
    metric = metric_of(ExponentialPoint(scale=3, offset=0, counts=(), low=7))
    metric.convert()
    assert metric.streams[()].bounds == [(0.0,)] and metric.streams[()].values == [(7, 0)]


def test_the_sdk_file_gives_the_true_quantiles(tmp_path):
    lines = [json.loads(line) for line in SDK_EXPONENTIAL.read_text("utf-8").splitlines()]
    scales = {p["scale"] for line in lines for r in line["resourceMetrics"]
              for s in r["scopeMetrics"] for m in s["metrics"]
              for p in m["exponentialHistogram"]["dataPoints"]}  # fmt: skip
    assert len(scales) >= 2, "the SDK lowered the scale mid-stream: else this proves less"
    stdout, incident = import_ok("otlp", str(SDK_EXPONENTIAL), "--quantiles", "50,99",
                                 "-o", str(tmp_path / "expo.yaml"))  # fmt: skip
    assert "exponentialHistogram" not in stdout
    series = {s.id: s for s in incident.series}
    truth = json.loads(TRUTH.read_text("utf-8"))["quantiles"]
    for route, key in (("/pay", "pay"), ("/cart", "cart")):
        expected = np.array(truth[route][1:])  # the first export has no interval before it
        for column, q in ((1, "p50"), (2, "p99")):
            found = series[f"http_server_request_duration_{q}_{key}"].values
            assert len(found) == len(expected)
            error = np.abs(found / expected[:, column] - 1)
            assert error.max() < 0.05, (route, q, error.round(3).tolist())
    pay = series["http_server_request_duration_p99_pay"].values
    assert pay.max() > 1.0 > 0.2 > pay[0], "the slowdown of /pay shows"


def test_the_sdk_file_as_a_heatmap(tmp_path):
    _, incident = import_ok("otlp", str(SDK_EXPONENTIAL), "--heatmap",
                            "-o", str(tmp_path / "heat.yaml"))  # fmt: skip
    (histogram,) = incident.histograms
    bounds = histogram.bounds[np.isfinite(histogram.bounds)]
    steps = np.diff(np.log2(bounds))
    # One base for every point (the bounds are written with 6 significant digits).
    assert np.allclose(steps, 1 / 16, atol=1e-4), "scale 4: 16 buckets an octave"
    total = np.nansum(histogram.counts, axis=1)
    assert np.allclose(total, 50, rtol=0.02), "20 + 30 requests a second, summed over routes"


def exponential(point: dict) -> dict:
    base = {"timeUnixNano": ns(T0), "startTimeUnixNano": ns(T0 - 10), "scale": 2,
            "positive": {"offset": 3, "bucketCounts": ["1", "2"]}}  # fmt: skip
    body = {"dataPoints": [base | point], "aggregationTemporality": 2}
    return request({"name": "h", "unit": "ms", "exponentialHistogram": body})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (exponential({"scale": 21}), "dataPoints[0].scale: scale 21: expected an integer from "
         "-10 to 20"),
        (exponential({"scale": "2"}), "scale '2': expected an integer"),
        (exponential({"positive": {"offset": "x"}}), "dataPoints[0].positive: expected "
         "{'offset': an integer"),
        (exponential({"positive": {"bucketCounts": ["1", "-2"]}}),
         "positive.bucketCounts[1]: expected counts as strings of digits"),
        (exponential({"zeroCount": -1}), "dataPoints[0].zeroCount: expected a count"),
        # Valid in the data model, beyond what a chart draws (and what a float holds).
        (exponential({"scale": -10, "positive": {"offset": 0, "bucketCounts": ["1"]}}),
         "dataPoints[0].positive: buckets from 2^0 to 2^1024 (scale -10, offset 0): beyond "
         "the 2^±90"),
        (exponential({"scale": 0, "positive": {"offset": 2000, "bucketCounts": ["1"]}}),
         "buckets from 2^2000 to 2^2001"),
        (exponential({"scale": -10, "positive": {"offset": -1000000, "bucketCounts": ["1"]}}),
         "beyond the 2^±90"),
    ],
)  # fmt: skip
def test_exponential_errors_are_positioned(tmp_path, document, message):
    path = write(tmp_path, document)
    with pytest.raises(ImportInputError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}:1:")
    assert message in str(caught.value)


def test_delta_points_and_a_gap(tmp_path):
    points = [{"timeUnixNano": ns(T0 + 10 * k), "startTimeUnixNano": ns(T0 + 10 * (k - 1)),
               "scale": 0, "zeroCount": "0",
               "positive": {"offset": 0, "bucketCounts": [str(c) for c in row]}}
              for k, row in enumerate([(10, 0), (0, 10), (5, 5)], start=1)]  # fmt: skip
    points[1]["flags"] = 1  # FLAG_NO_RECORDED_VALUE: a gap
    body = {"dataPoints": points, "aggregationTemporality": 1}
    path = write(tmp_path, request({"name": "h", "unit": "s", "exponentialHistogram": body}))
    (found,), warnings = read(path, quantiles=(50,))
    assert warnings == []
    # Bucket 0 is (1, 2], bucket 1 (2, 4]: the median of 10 in (1, 2] is 1.5; a gap; the
    # median of 5 + 5 is the top of the first bucket, 2.
    got = [None if math.isnan(v) else round(v, 6) for v in found.values]
    assert got == [1.5, None, 2.0]
