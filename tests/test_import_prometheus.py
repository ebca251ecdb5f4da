"""``import prometheus`` from saved query_range answers: series, gaps, labels, units, and a
positioned error for everything that cannot become an incident."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from replay_viewer.importers.common import ImportedSeries, ImportInputError
from replay_viewer.importers.json_source import JsonSource
from replay_viewer.importers.prometheus import label_from_template, series_from_response
from replay_viewer.importers.writer import IncidentDraft, render_incident
from replay_viewer.loader import load_incident

from .import_helpers import IMPORT_DATA, import_fails, import_ok
from .test_cli import run_cli

P99 = IMPORT_DATA / "prometheus_p99.json"
T0 = 1748943600  # 2025-06-03T09:40:00Z, the first sample


def expected_api_values() -> list[float | None]:
    """The api series as written in the saved answer, in ms, with its gaps."""
    raw = json.loads(P99.read_text(encoding="utf-8"))["data"]["result"][0]["values"]
    by_time = {t: float(v) for t, v in raw}
    values = []
    for i in range(21):
        value = by_time.get(T0 + 15 * i)
        values.append(None if value is None or not math.isfinite(value) else value * 1000)
    return values


def test_saved_answer_becomes_an_incident(tmp_path):
    out = tmp_path / "p99.yaml"
    stdout, incident = import_ok(
        "prometheus",
        str(P99),
        "--title",
        "Checkout p99",
        "--label",
        "{job} p99",
        "--unit",
        "ms",
        "--scale",
        "1000",
        "-o",
        str(out),
    )
    assert incident.title == "Checkout p99"
    assert incident.started_at.isoformat() == "2025-06-03T09:40:00+00:00"
    assert [s.id for s in incident.series] == ["api_p99", "web_p99"]
    assert [s.label for s in incident.series] == ["api p99", "web p99"]
    assert {s.unit for s in incident.series} == {"ms"}
    api = incident.series[0]
    # "NaN" (T+01:00), the missing step (T+02:30) and "+Inf" (T+03:00) are all gaps.
    assert np.array_equal(api.times, np.arange(21) * 15.0)
    got = [None if math.isnan(v) else v for v in api.values]
    assert got == pytest.approx(expected_api_values())
    assert [t for t, v in zip(api.times, api.values, strict=True) if math.isnan(v)] == [
        60,
        150,
        180,
    ]
    assert stdout.startswith(f'{out}: wrote "Checkout p99": 2 series, 0 events')
    assert "api_p99      21 samples ms, 3 gaps" in stdout


def test_default_labels_ids_and_start(tmp_path):
    out = tmp_path / "p.yaml"
    _, incident = import_ok(
        "prometheus", str(P99), "--start", "2025-06-03T09:41:00Z", "-o", str(out)
    )
    assert incident.title == "prometheus_p99"
    assert [s.id for s in incident.series] == ["api", "web"]  # what tells them apart
    # One query's results: one group named after it, members labelled by what differs.
    assert [(s.label, s.group) for s in incident.series] == [
        ("job=api", "prometheus_p99"),
        ("job=web", "prometheus_p99"),
    ]
    assert incident.series[0].times[0] == -60.0  # 09:40:00 is a minute before T+0
    assert incident.series[0].values[0] == 0.08


def test_never_overwrites_without_overwrite(tmp_path):
    out = tmp_path / "p.yaml"
    out.write_text("precious\n", encoding="utf-8")
    stderr = import_fails("prometheus", str(P99), "-o", str(out), code=2)
    assert "exists; add --overwrite" in stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    import_ok("prometheus", str(P99), "-o", str(out), "--overwrite")
    assert out.read_text(encoding="utf-8").startswith("# replay-viewer import prometheus")


def test_error_answer_shows_prometheus_own_error(tmp_path):
    stderr = import_fails(
        "prometheus", str(IMPORT_DATA / "prometheus_error.json"), "-o", str(tmp_path / "x.yaml")
    )
    assert stderr == (
        f"{IMPORT_DATA / 'prometheus_error.json'}:2:13: error: status: Prometheus answered "
        "bad_data: 1:14: parse error: unclosed left parenthesis\n"
    )
    assert not (tmp_path / "x.yaml").exists()


def test_instant_vector_is_refused_clearly(tmp_path):
    stderr = import_fails(
        "prometheus", str(IMPORT_DATA / "prometheus_vector.json"), "-o", str(tmp_path / "x.yaml")
    )
    assert ":4:19: error: data.resultType: resultType is 'vector'" in stderr
    assert "query_range" in stderr


def doc(text: str) -> JsonSource:
    return JsonSource(text, "r.json")


def matrix(values: str, metric: str = '{"job": "a"}') -> str:
    return (
        '{"status": "success", "data": {"resultType": "matrix", "result": [\n'
        f'  {{"metric": {metric}, "values": {values}}}\n]}}}}'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"status": "success",\n "data": [}', "r.json:2:11: error: invalid JSON: Expecting value"),
        (
            matrix('[[1, "1"], [2, "x"]]'),
            "r.json:2:53: error: data.result[0].values[1][1]: value 'x' is not a number",
        ),
        (
            matrix('[[1, "1"], [2, 3]]'),
            "r.json:2:53: error: data.result[0].values[1][1]: value 3 must be a string",
        ),
        (
            matrix('[[1, "1"], [2]]'),
            'r.json:2:49: error: data.result[0].values[1]: expected a [time, "value"] pair',
        ),
        (matrix("[]"), "r.json:2:38: error: data.result[0].values: expected a non-empty list"),
        (
            matrix('[[1, "1"]]', metric="[]"),
            "r.json:2:14: error: data.result[0].metric: expected an object of labels",
        ),
        ("[1, 2]", "r.json:1:1: error: the top level: expected a Prometheus API response"),
        (
            matrix(f'[[1, "1"], [{"9" * 5000}, "2"]]'),
            "r.json:2:50: error: invalid JSON: a number of thousands of digits",
        ),
        (
            matrix('[[1, "1"], [1e308, "2"]]'),
            "r.json:2:50: error: data.result[0].values[1][0]: time is outside the years 1 to "
            "9999 that a wall clock can show",
        ),
    ],
)
def test_positioned_errors(text, message):
    with pytest.raises(ImportInputError) as caught:
        series_from_response(doc(text))
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("metric", ["5", "true", '"le"', '["le"]', "null"])
def test_labels_that_are_not_an_object_are_refused_before_the_buckets_check(tmp_path, metric):
    path = tmp_path / "m.json"
    path.write_text(matrix('[[1, "1"]]', metric=metric), encoding="utf-8")
    stderr = import_fails("prometheus", str(path), "-o", str(tmp_path / "m.yaml"))
    assert f"{path}:2:14: error: data.result[0].metric: expected an object of labels" in stderr


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("1e300", "--start '1e300': time is outside the years 1 to 9999"),
        ("nan", "--start 'nan': time is not a finite number"),
        ("9999-12-31T23:59:59-01:00", "--start '9999-12-31T23:59:59-01:00': time is outside"),
    ],
)
def test_a_start_off_the_wall_clock_is_refused(tmp_path, start, message):
    stderr = import_fails("prometheus", str(P99), "--start", start, "-o", str(tmp_path / "s.yaml"))
    assert stderr == f"replay-viewer: error: {message}" + stderr.split(message, 1)[1]
    assert not (tmp_path / "s.yaml").exists()


def test_a_draft_whose_t0_is_off_the_wall_clock_is_refused_before_writing():
    series = ImportedSeries("a", [1e300], [1.0])
    with pytest.raises(ImportInputError, match=r"T\+0 \(1e\+300 epoch seconds\) is outside"):
        render_incident(IncidentDraft("t", [series]))


def test_values_beyond_a_float_are_refused_without_numpy_warnings(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(matrix('[[1, "1e308"], [2, "-1e308"]]'), encoding="utf-8")
    stderr = import_fails(
        "prometheus", str(path), "--scale", "1000", "-o", str(tmp_path / "b.yaml")
    )
    assert stderr == (
        "replay-viewer: error: 'big{job=\"a\"}' has a value too large for a float, beyond "
        "±1e+30 (what the chart's 32-bit floats can place); rescale it with --scale\n"
    )
    buckets = tmp_path / "buckets.json"  # cumulative counts ±1.7e308 apart
    buckets.write_text(
        '{"status": "success", "data": {"resultType": "matrix", "result": ['
        '{"metric": {"le": "1"}, "values": [[1, "-1.7e308"]]},'
        '{"metric": {"le": "+Inf"}, "values": [[1, "1.7e308"]]}]}}',
        encoding="utf-8",
    )
    stderr = import_fails("prometheus", str(buckets), "-o", str(tmp_path / "h.yaml"))
    assert "RuntimeWarning" not in stderr and stderr.startswith("replay-viewer: error: ")


def test_missing_steps_use_the_step_implied_by_the_data():
    text = matrix('[[0, "1"], [10, "2"], [40, "3"], [50, "4"]]')
    (series,) = series_from_response(doc(text))
    assert series.times.tolist() == [0, 10, 20, 40, 50]
    assert np.isnan(series.values).tolist() == [False, False, True, False, False]


def test_a_long_series_goes_to_a_data_file_beside_the_incident(tmp_path):
    pairs = ", ".join(f'[{i}, "{i % 7}"]' for i in range(50_000))
    big = tmp_path / "big.json"
    big.write_text(matrix(f"[{pairs}]"), encoding="utf-8")
    out = tmp_path / "big.yaml"
    stdout, incident = import_ok("prometheus", str(big), "-o", str(out))
    assert "50,000 samples, 0 gaps → big.data/big_job_a.npy" in stdout
    assert 'file: "big.data/big_job_a.npy"' in out.read_text(encoding="utf-8")
    (series,) = incident.series
    assert series.times.tolist() == list(range(50_000))
    assert series.values[:8].tolist() == [0, 1, 2, 3, 4, 5, 6, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.data", "big.json", "big.yaml"]


def per_pod(path, pods: int, samples: int = 1) -> None:
    """A saved answer of a per-pod query: pod i peaks at i."""
    results = [
        {
            "metric": {"pod": f"api-{i}", "job": "api"},
            "values": [[t * 15, str(i * (t % 2))] for t in range(samples)],
        }
        for i in range(pods)
    ]
    answer = {"status": "success", "data": {"resultType": "matrix", "result": results}}
    path.write_text(json.dumps(answer), encoding="utf-8")


def test_more_than_max_series_is_refused_at_the_result_that_overflows(tmp_path):
    path = tmp_path / "many.json"
    per_pod(path, 1001)
    stderr = import_fails("prometheus", str(path), "-o", str(tmp_path / "m.yaml"))
    assert stderr.startswith(f"{path}:1:")
    assert "data.result[1000]: this is series 1,001, and an incident holds at most 1,000" in (
        stderr
    )
    assert not (tmp_path / "m.yaml").exists()


def test_top_keeps_the_members_with_the_highest_peak(tmp_path):
    path, out = tmp_path / "p99-per-pod.json", tmp_path / "p.yaml"
    per_pod(path, 40, samples=4)
    stdout, incident = import_ok(
        "prometheus", str(path), "--top", "5", "--unit", "s", "-o", str(out)
    )
    assert [s.label for s in incident.series] == [f"pod=api-{i}" for i in range(35, 40)]
    assert {s.group for s in incident.series} == {"p99-per-pod"}
    assert [s.id for s in incident.series] == [f"api-{i}" for i in range(35, 40)]
    assert 'group "p99-per-pod": 5 series' in stdout
    stderr = import_fails("prometheus", str(path), "--top", "0", "-o", str(out), code=2)
    assert "--top must be at least 1" in stderr


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("{job:d}", "{job:d}"),
        ("{job!r:>99999999}", "{job!r:>99999999}"),  # hung: a 99999999-character label
        ("x {job:>1000000}", "{job:>1000000}"),  # wrote a 2 MB incident
        ("{job!s}", "{job!s}"),
        ("{} p99", "{}"),
    ],
)
def test_label_templates_take_only_plain_names(tmp_path, template, shown):
    for source in (P99, IMPORT_DATA / "prometheus_buckets.json"):  # series and a histogram
        out = tmp_path / "l.yaml"
        stderr = import_fails("prometheus", str(source), "--label", template, "-o", str(out),
                              code=2)  # fmt: skip
        assert stderr.startswith(f"replay-viewer: error: --label {template!r}: {shown} is not "
                                 "a plain {NAME} placeholder")  # fmt: skip
        assert not out.exists()


def test_label_templates_keep_doubled_braces_and_dotted_names():
    metric = {"job": "api", "k8s.pod": "api-7"}
    text = "{job} {{p99}} on {k8s.pod}"
    assert label_from_template(text, metric, doc(matrix('[[1, "1"]]')), ()) == "api {p99} on api-7"


def test_unordered_and_repeated_samples_are_sorted_with_a_warning(tmp_path):
    path, out = tmp_path / "r.json", tmp_path / "r.yaml"
    path.write_text(
        '{"status": "success", "data": {"resultType": "matrix", "result": [\n'
        '{"metric": {"job": "api"}, "values": [[30, "3"], [0, "0"], [15, "1"], [15, "2"]]}]}}',
        encoding="utf-8",
    )
    result = run_cli("import", "prometheus", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}:2:51: warning: data.result[0].values[1][0]: 1 sample is earlier than the "
        "sample before; sorted by time",
        f"{path}:2:72: warning: data.result[0].values[3][0]: 1 sample repeats the time of the "
        "sample before; kept in file order",
    ]
    (series,) = load_incident(out).series
    assert series.times.tolist() == [0, 15, 15, 30] and series.values.tolist() == [0, 1, 2, 3]


def test_usage_errors(tmp_path):
    assert "needs FILE.json" in import_fails("prometheus", "-o", str(tmp_path / "x.yaml"), code=2)
    stderr = import_fails("prometheus", str(P99), "--url", "http://h:9090", "-o", "x.yaml", code=2)
    assert "not both" in stderr
    for factor in ("nan", "inf", "-Infinity"):  # nan made every sample a gap
        out = tmp_path / "s.yaml"
        stderr = import_fails("prometheus", str(P99), f"--scale={factor}", "-o", str(out), code=2)
        assert f"argument --scale: {factor!r}: the factor must be a finite number" in stderr
        assert not out.exists()


@pytest.mark.gpu
def test_imported_incident_exports_a_frame(tmp_path, gpu_adapter):
    incident_path = tmp_path / "checkout.yaml"
    import_ok(
        "prometheus",
        str(P99),
        "--label",
        "{job} p99",
        "--unit",
        "ms",
        "--scale",
        "1000",
        "-o",
        str(incident_path),
    )
    import_ok(
        "grafana-annotations",
        str(IMPORT_DATA / "grafana_annotations.json"),
        "--into",
        str(incident_path),
    )
    png = tmp_path / "f.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "replay_viewer",
            "export",
            str(incident_path),
            "--at",
            "T+02:00",
            "--size",
            "640x360",
            "-o",
            str(png),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{png}: T+02:00 (640×360)")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
