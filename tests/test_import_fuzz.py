"""Fuzzing the importers: every saved answer of tests/data/import, edited at random (a value
swapped for another type, a huge number, a bad time, a key dropped, items repeated or
shuffled), goes through the import command in-process. The only outcomes allowed are an
incident written (exit 0) or a clear error (exit 1) that says where: never an internal error
(exit 70), a usage error, or an exception. The edits that once crashed an importer are kept
below as examples of their own."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replay_viewer.cli import main

from .import_helpers import IMPORT_DATA

EXAMPLES = int(os.environ.get("REPLAY_VIEWER_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=max(10, EXAMPLES // 3),  # per saved answer: 20 × 17 answers by default
    deadline=None,
    derandomize=EXAMPLES <= 60,  # CI is reproducible; long runs explore new inputs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
TIMELINES = {"alertmanager", "pagerduty", "grafana-annotations"}
ANSWERS = {
    "alertmanager_v2_alerts.json": "alertmanager",
    "alertmanager_webhook.json": "alertmanager",
    "cloudwatch_page1.json": "cloudwatch",
    "cloudwatch_partial.json": "cloudwatch",
    "cloudwatch_statistics.json": "cloudwatch",
    "datadog_per_pod.json": "datadog",
    "datadog_single.json": "datadog",
    "grafana_annotations.json": "grafana-annotations",
    "influxdb_cpu.json": "influxdb",
    "otlp_checkout.json": "otlp",
    "otlp_collector.jsonl": "otlp",
    "otlp_sdk_exponential.jsonl": "otlp",
    "pagerduty_log_entries.json": "pagerduty",
    "prometheus_buckets.json": "prometheus",
    "prometheus_p99.json": "prometheus",
    "prometheus_vector.json": "prometheus",
    "victoriametrics_up.jsonl": "victoriametrics",
}
ODD = [None, "", "x", 0, -1, 1.5, 1e308, -1e308, 10**30, 2**63, True, [], {}, [[1]], {"a": 1},
       "NaN", "1e999", "-1", "2025-13-45T99:99:99Z", "9999-12-31T23:59:59Z", "\u0000",
       "🔥"]  # fmt: skip


def _documents(name: str) -> list:
    text = (IMPORT_DATA / name).read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [json.loads(text)]


def _paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*here, index))


def _at(node, path):
    for step in path:
        node = node[step]
    return node


edits = st.lists(
    st.tuples(st.integers(0, 10**6), st.sampled_from(["odd", "drop", "repeat", "reverse"]),
              st.sampled_from(ODD)),
    min_size=1, max_size=3,
)  # fmt: skip


def _edited(documents: list, which: int, changes) -> list:
    documents = copy.deepcopy(documents)
    doc = documents[which % len(documents)]
    for where, how, odd in changes:
        every = [path for path in _paths(doc) if path]
        if not every:
            break
        path = every[where % len(every)]
        parent, key = _at(doc, path[:-1]), path[-1]
        if how == "odd":
            parent[key] = copy.deepcopy(odd)
        elif how == "drop":
            del parent[key]
        elif how == "repeat" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif how == "reverse" and isinstance(parent, list):
            parent.reverse()
    return documents


def run_import(*args: str) -> tuple[int, str]:
    """``replay-viewer import …`` in this process: (exit code, stderr)."""
    stderr = io.StringIO()
    sigterm = signal.getsignal(signal.SIGTERM)  # the command turns SIGTERM into Ctrl+C
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["import", *args])
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    return code, stderr.getvalue()


@pytest.fixture(scope="module")
def base_incident(tmp_path_factory):
    """An incident for the timeline importers' --into (the p99 answer imported)."""
    path = tmp_path_factory.mktemp("base") / "checkout.yaml"
    code, stderr = run_import(
        "prometheus", str(IMPORT_DATA / "prometheus_p99.json"), "-o", str(path)
    )
    assert code == 0, stderr
    return path


def check_import(source: str, answer, folder, base_incident) -> None:
    """Import ``answer`` (the path of a saved file); exit 0 or a positioned exit 1 only."""
    shutil.rmtree(folder / "out.data", ignore_errors=True)
    for made in ("out.yaml", "into.yaml"):
        (folder / made).unlink(missing_ok=True)
    if source in TIMELINES:
        shutil.copy(base_incident, folder / "into.yaml")
        target = ["--into", str(folder / "into.yaml")]
    else:
        target = ["-o", str(folder / "out.yaml")]
    code, stderr = run_import(source, str(answer), *target)
    assert code in (0, 1), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    if code == 1:
        assert "error: " in stderr, stderr
    else:
        written = folder / ("into.yaml" if source in TIMELINES else "out.yaml")
        assert written.exists(), stderr


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_edited_answers_import_or_fail_clearly(name, tmp_path, base_incident):
    documents = _documents(name)
    suffix = ".jsonl" if name.endswith(".jsonl") else ".json"

    @FUZZ
    @given(which=st.integers(0, 100), changes=edits)
    def check(which, changes):
        edited = _edited(documents, which, changes)
        answer = tmp_path / f"answer{suffix}"
        if suffix == ".jsonl":
            answer.write_text("\n".join(json.dumps(doc) for doc in edited) + "\n")
        else:
            answer.write_text(json.dumps(edited[0], indent=1))
        check_import(ANSWERS[name], answer, tmp_path, base_incident)

    check()


@pytest.mark.parametrize(
    ("name", "path", "odd"),
    [
        # A /api/v2/alerts alert whose status.state is an object (was: unhashable type).
        ("alertmanager_v2_alerts.json", (0, "status", "state"), {"a": 1}),
        # An annotation time too large for numpy's int64 (was: a ufunc TypeError).
        ("grafana_annotations.json", (0, "time"), 10**30),
    ],
)
def test_edits_that_once_crashed_an_importer(name, path, odd, tmp_path, base_incident):
    (doc,) = _documents(name)
    _at(doc, path[:-1])[path[-1]] = odd
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(doc, indent=1))
    shutil.copy(base_incident, tmp_path / "into.yaml")
    code, stderr = run_import(ANSWERS[name], str(answer), "--into", str(tmp_path / "into.yaml"))
    assert code == 1 and f"{answer}:" in stderr and ": error: " in stderr, stderr
