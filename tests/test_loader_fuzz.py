"""Fuzzing the loader: whatever the input, a model or positioned IncidentLoadError, quickly.

Bounded and reproducible in CI (``derandomize=True``); set REPLAY_VIEWER_FUZZ_EXAMPLES to run
each property with more examples, e.g. ``REPLAY_VIEWER_FUZZ_EXAMPLES=20000``.
"""

from __future__ import annotations

import io
import os
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replay_viewer.loader import IncidentLoadError, load_incident, parse_incident
from replay_viewer.model import Incident

from .conftest import REPO

EXAMPLES = int(os.environ.get("REPLAY_VIEWER_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed below with our own, stricter-for-big-inputs bound
    derandomize=EXAMPLES <= 60,  # CI is reproducible; long runs explore new inputs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
# Beside the bundled incidents, so the data files they name (a histogram CSV) are found.
FUZZ_PATH = str(REPO / "incidents" / "fuzz.yaml")
MAX_SECONDS = 2.0
MAX_BYTES = 200 * 2**20
VALID = [
    (REPO / "incidents" / name).read_text(encoding="utf-8")
    for name in ("cache-stampede.yaml", "checkout-flag.yaml", "latency-heatmap.yaml")
]


def check_outcome(source: bytes | str) -> None:
    """The only allowed outcomes, within time and memory."""
    tracemalloc.start()
    begin = time.perf_counter()
    try:
        result = parse_incident(source, path=FUZZ_PATH)
    except IncidentLoadError as exc:
        assert exc.diagnostics, "an error names at least one problem"
        for diagnostic in exc.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
            assert "\n" not in diagnostic.message, diagnostic
            assert len(diagnostic.message) < 400, diagnostic
    else:
        assert isinstance(result, Incident)
    finally:
        elapsed = time.perf_counter() - begin
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # tracemalloc slows Python down ~2x, so the time bound holds with room to spare.
    assert elapsed < MAX_SECONDS * 2, f"{elapsed:.2f} s for {len(source)} bytes"
    assert peak < MAX_BYTES, f"{peak / 2**20:.0f} MB for {len(source)} bytes"


# -- random trees of the format's shape ------------------------------------------------

KEYS = [
    "format",
    "title",
    "subtitle",
    "summary",
    "severity",
    "role",
    "stack",
    "started_at",
    "duration",
    "series",
    "thresholds",
    "events",
    "actions",
    "learnings",
    "outcomes",
    "id",
    "label",
    "unit",
    "color",
    "axis",
    "range",
    "samples",
    "series",
    "value",
    "bad",
    "at",
    "detail",
    "kind",
    "note",
    "<<",
    "evnets",
    "",
    # what later releases added: groups, time zones, spans, SLOs, baselines, histograms
    "group",
    "timezone",
    "until",
    "star",
    "sustain",
    "slo",
    "objective",
    "good",
    "window",
    "budget_spent_before",
    "baseline",
    "baseline_shift",
    "histograms",
    "buckets",
    "counts",
    "cumulative",
    "quantiles",
    "file",
    "columns",
    "time",
]
TAGS = ["", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!binary "]
WORDS = [
    "0",
    "-1",
    "1e6",
    "1e400",
    ".nan",
    ".inf",
    "T+01:30",
    "90s",
    "T-1:75",
    "#22d3ee",
    "red",
    "null",
    "~",
    "yes",
    "x",
    '""',
    "'#fff'",
    "2024-03-05T14:02:00Z",
    "2024-99-99",
    "left",
    "above",
    "below 250",
    "above 99",
    "99.9",
    "100",
    "30d",
    "1w",
    "-1w",
    "Europe/Berlin",
    "Mars/Base",
    "p99.npy",
    "../x.csv",
    "[0.1, 1, +Inf]",
    "deploy",
    "incident-replay/1",
    "a",
    "p99",
    "&a x",
    "*a",
    "9" * 60,
]

scalars = st.builds(lambda tag, word: tag + word, st.sampled_from(TAGS), st.sampled_from(WORDS))
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=6).map(
            lambda mapping: "{" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + "}"
        ),
    ),
    max_leaves=40,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), trees, max_size=10))
def test_random_trees_of_the_format(document):
    check_outcome("\n".join(f"{key}: {value}" for key, value in document.items()) + "\n")


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check_outcome(data)


@FUZZ
@given(st.text(max_size=500))
def test_random_text(text):
    check_outcome(text)


# -- the bundled incidents, edited and truncated -----------------------------------------


@FUZZ
@given(
    st.sampled_from(VALID),
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 8), st.sampled_from([*WORDS, "\t", "[", "{"])),
        max_size=6,
    ),
)
def test_bundled_incidents_with_random_edits(text, edits):
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    check_outcome(text)


@FUZZ
@given(st.sampled_from(VALID), st.floats(0, 1), st.booleans())
def test_bundled_incidents_truncated(text, where, as_bytes):
    cut = text[: int(where * len(text))]
    check_outcome(cut.encode()[: int(where * len(cut.encode()))] if as_bytes else cut)


def test_bundled_incidents_load_unedited():
    for text in VALID:
        assert isinstance(parse_incident(text, path=FUZZ_PATH), Incident)


# -- worst cases under 1 MB ----------------------------------------------------------------


def test_dense_one_megabyte_files_stay_within_bounds():
    # The densest YAML: two bytes per value (refused by the value limit), and a file of
    # plain samples just under the limit (loaded).
    dense = "title: t\nseries: [{id: a, samples: [[0, 1]]}]\nx: [" + "0," * 500_000 + "0]\n"
    pairs = ",".join(f"[{i},1]" for i in range(48_000))
    samples = f"title: t\nseries: [{{id: a, samples: [{pairs}]}}]\n"
    assert len(dense) < 2**20 + 100 and len(samples) < 2**20 + 100
    begin = time.perf_counter()
    with pytest.raises(IncidentLoadError) as refused:
        parse_incident(dense)
    assert time.perf_counter() - begin < MAX_SECONDS
    (diagnostic,) = refused.value.diagnostics
    assert "YAML values" in diagnostic.message and diagnostic.line == 3
    begin = time.perf_counter()
    loaded = parse_incident(samples)
    assert time.perf_counter() - begin < MAX_SECONDS
    (series,) = loaded.series
    assert len(series.times) == 48_000 and series.times[-1] == 47_999
    assert (series.values == 1).all() and loaded.warnings == ()


# -- data files: random bytes, truncated files -------------------------------------------

DATA_INCIDENT = "title: t\nstarted_at: 2025-06-03T09:41:00Z\nseries:\n  - id: a\n    file: {}\n"
VALID_CSV = b"time,p99\n-1,5\nT+00:00,6\n\n2,\n3,7.5\n"


def check_data_file(folder, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    check_outcome_at(folder, DATA_INCIDENT.format(name))


def check_outcome_at(folder, text: str) -> None:
    path = folder / "incident.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        result = load_incident(path)
    except IncidentLoadError as exc:
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
            assert "\n" not in diagnostic.message, diagnostic
    else:
        assert isinstance(result, Incident)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["a.csv", "a.npy"]))
def test_random_bytes_as_data_files(tmp_path_factory, data, name):
    check_data_file(tmp_path_factory.mktemp("fuzz"), name, data)


@FUZZ
@given(st.floats(0, 1), st.sampled_from(["a.csv", "a.npy"]))
def test_truncated_data_files(tmp_path_factory, where, name):
    if name.endswith(".csv"):
        data = VALID_CSV
    else:
        buffer = io.BytesIO()
        np.save(buffer, np.array([[0, 1], [1, np.nan], [2, 3]]))
        data = buffer.getvalue()
    check_data_file(tmp_path_factory.mktemp("fuzz"), name, data[: int(where * len(data))])


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "0",
                "-1",
                "1e400",
                "nan",
                "inf",
                "T+01:30",
                "90s",
                "1:75",
                "",
                " ",
                '"',
                "2025-06-03T09:41:00Z",
                "NaT",
                "now",
                "1748943660000",
                "x,y",
                "٣",
                "\u00e9",
                "1e9",
                "99999999999",
            ]
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["auto", "seconds", "timecode", "iso", "epoch_s", "epoch_ms"]),
)
def test_random_csv_cells(tmp_path_factory, cells, mode):
    rows = [f"{cells[i]},{cells[(i + 1) % len(cells)]}" for i in range(len(cells))]
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a.csv").write_text("t,v\n" + "\n".join(rows) + "\n", encoding="utf-8")
    check_outcome_at(folder, DATA_INCIDENT.format("a.csv") + f"    time: {mode}\n")
