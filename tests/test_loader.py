"""The loader on valid and invalid incident files: values, defaults, positioned errors."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import time
from pathlib import Path

import numpy as np
import pytest

from replay_viewer.loader import IncidentLoadError, load_incident, parse_incident

from .conftest import DATA

BAD = DATA / "bad"
# The modules themselves (the package re-exports a function named like the first).
compose_module = importlib.import_module("replay_viewer.loader.compose")
source_module = importlib.import_module("replay_viewer.loader.source")

# file, then every expected "LINE:COL: error: MESSAGE" (the path prefix is added below).
BAD_CASES = {
    "axis_invalid.yaml": [
        "4:11: error: series 'a' 'axis' must be one of left, right, got 'centre'"
    ],
    "billion_laughs.yaml": [
        "9:5: error: aliases expand this document past 2,000,000 values; "
        "refusing it (a YAML 'billion laughs' bomb?)"
    ],
    "color_not_hex.yaml": ["4:12: error: series 'a' 'color' must be '#rrggbb', got 'red'"],
    "color_unquoted_hash.yaml": [
        "4:11: error: series 'a' 'color' is empty; quote it (color: \"#22d3ee\"): "
        "an unquoted # starts a YAML comment"
    ],
    "duplicate_key.yaml": [
        "5:1: error: duplicate key 'title' in the incident (first given on line 1)"
    ],
    "duration_too_short.yaml": [
        "5:11: error: 'duration' T+00:03 ends before the last sample or event at T+00:05"
    ],
    "empty.yaml": ["1:1: error: file is empty; expected an incident with 'title' and 'series'"],
    "empty_series_list.yaml": ["2:9: error: 'series' must list at least one series"],
    "event_kind_typo.yaml": [
        "8:11: error: event 1 'kind' must be one of deploy, detect, alert, diagnose, mitigate, "
        "recover, resolve, note, got 'deploi' (did you mean 'deploy'?)"
    ],
    "event_missing_title.yaml": ["6:5: error: event 1 is missing the required key 'title'"],
    "format_version.yaml": [
        "1:9: error: unsupported format 'incident-replay/2'; this version reads 'incident-replay/1'"
    ],
    "learning_bad_shape.yaml": ["6:5: error: learning 1 must be a mapping of keys, got a list"],
    "merge_key.yaml": [
        "2:1: error: unknown key 'defaults' in the incident",
        "4:5: error: YAML merge keys ('<<') are not supported; write the keys out",
    ],
    "missing_series.yaml": ["1:1: error: the incident is missing the required key 'series'"],
    "missing_title.yaml": ["1:1: error: the incident is missing the required key 'title'"],
    "not_a_mapping.yaml": ["1:1: error: the incident must be a mapping of keys, got a list"],
    "not_utf8.yaml": ["1:11: error: file is not valid UTF-8 (byte 0xe9); save it as UTF-8"],
    "nul_byte.yaml": ["2:8: error: file contains a NUL byte; is it a binary file?"],
    "outcome_missing_label.yaml": ["6:5: error: outcome 1 is missing the required key 'label'"],
    "python_tag.yaml": [
        "5:10: error: YAML tag '!!python/object/apply:os.system' is not allowed; "
        "incident files hold plain values"
    ],
    "range_inverted.yaml": ["4:12: error: series 'a' 'range' min must be below max, got [100, 0]"],
    "recursive_alias.yaml": [
        "2:9: error: an alias refers to the node that contains it (recursive YAML)"
    ],
    "sample_not_pair.yaml": [
        "5:9: error: series 'a' sample 1 must be a [time, value] pair, got 3 values"
    ],
    "sample_value_nan.yaml": [
        "5:13: error: series 'a' sample 1 value must be finite, got .nan; "
        "write null for a gap in the data"
    ],
    "sample_value_text.yaml": [
        "5:13: error: series 'a' sample 1 value must be a number, got the text 'fast'"
    ],
    "samples_not_list.yaml": [
        "4:14: error: series 'a' 'samples' must be a list, got a number (42)"
    ],
    "series_id_duplicate.yaml": ["5:9: error: duplicate series id 'a' (first used on line 3)"],
    "series_id_invalid.yaml": [
        "3:9: error: series id 'P99 Latency' may only use a-z, 0-9, '_' and '-' "
        "(e.g. 'p99_latency')"
    ],
    "started_at_invalid.yaml": [
        "5:13: error: 'started_at' must be an ISO-8601 date-time such as 2024-03-05T14:02:00Z, "
        "got the text 'yesterday afternoon'"
    ],
    "tab_indent.yaml": ["3:1: error: invalid YAML: found a tab character; indent with spaces"],
    "threshold_unknown_series.yaml": ["6:13: error: threshold 1 refers to unknown series 'b'"],
    "threshold_value_text.yaml": [
        "7:12: error: threshold 1 'value' must be a number, got the text 'high'"
    ],
    "timecode_invalid.yaml": [
        "5:10: error: series 'a' sample 1 time: invalid timecode 'T+1:75'; use seconds (90), "
        "T+MM:SS, T-MM:SS, H:MM:SS, days (T+2d 04:05:00, T+2d) or units (90s, 14m, 1h2m3s, "
        "2d4h)"
    ],
    "span_ends_before_start.yaml": [
        "6:59: error: event 'HighLatency' 'until' T+00:10 is before its 'at' T+00:30; a span "
        "ends after it starts"
    ],
    "too_many_series.yaml": [
        "1004:5: error: too many series: 1,001 listed, and an incident holds at most 1,000; "
        "split it, or import fewer (import prometheus --top K)"
    ],
    "two_documents.yaml": [
        "5:1: error: invalid YAML: several YAML documents in one file; "
        "an incident file holds one document"
    ],
    "unknown_key_typo.yaml": [
        "5:1: error: unknown key 'evnets' in the incident (did you mean 'events'?)"
    ],
    "yaml_syntax.yaml": [
        "2:10: error: invalid YAML: this '{' is never closed "
        "(did not find expected ',' or '}' before line 3, column 1)"
    ],
    # Part B (issue 8): hardening.
    "tag_value_mismatch.yaml": [
        "1:8: error: 'title' has the value 'x', which is not a valid !!bool; "
        "remove the tag or fix the value",
        "2:11: error: 'subtitle' has the value 'x', which is not a valid !!timestamp; "
        "remove the tag or fix the value",
        "3:10: error: 'summary' has the value '', which is not a valid !!int; "
        "remove the tag or fix the value",
        "6:19: error: series 'a' sample 1 value has the value 'x', which is not a valid "
        "!!float; remove the tag or fix the value",
        "6:32: error: series 'a' sample 2 time has the value '', which is not a valid !!int; "
        "remove the tag or fix the value",
        "7:12: error: series 'a' 'color' has the value 'maybe', which is not a valid !!bool; "
        "remove the tag or fix the value",
    ],
    "control_character.yaml": [
        "3:10: error: file contains U+0007 (a control character), which YAML does not allow; "
        'remove it (write it as an escape such as "\\a" inside double quotes if you need it)'
    ],
    "not_utf8_after_accents.yaml": [
        "2:15: error: file is not valid UTF-8 (byte 0xff); save it as UTF-8"
    ],
    "unclosed_bracket.yaml": [
        "4:14: error: invalid YAML: this '[' is never closed "
        "(did not find expected ',' or ']' before line 5, column 1)"
    ],
    "threshold_on_broken_series.yaml": [
        "5:29: error: series 'p95' sample 1 value must be a number, got the text 'slow'"
    ],
    "long_values.yaml": [
        "3:1: error: unknown key '" + "k" * 39 + "…' in the incident",
        "6:12: error: series 'a' 'color' must be '#rrggbb', got '" + "r" * 39 + "…'",
    ],
    "too_deep.yaml": ["3:53: error: YAML nests more than 50 levels deep; an incident file needs 6"],
    "undefined_alias.yaml": ["2:9: error: invalid YAML: found undefined alias 'nothing'"],
    # Issue 16: groups, time zones, data files with text for a time.
    "group_mixed_units.yaml": [
        "5:43: error: series 'api_3' has the unit 's', and its group 'p99 per pod' has the "
        "unit 'ms' (series 'api_1', line 3); members of a group share a unit: give it "
        "another group or convert it",
        "6:24: error: series 'api_4' has no unit, and its group 'p99 per pod' has the unit "
        "'ms' (series 'api_1', line 3); members of a group share a unit: give it another "
        "group or convert it",
    ],
    "timezone_unknown.yaml": [
        "2:11: error: 'timezone': time zone 'Europe/Berln' does not exist (did you mean "
        "'Europe/Berlin'?); give an IANA name such as Europe/Berlin, America/New_York or UTC",
        "9:15: error: series 'b' 'timezone': time zone 'berlin' does not exist (did you mean "
        "'Europe/Berlin'?); give an IANA name such as Europe/Berlin, America/New_York or UTC",
    ],
}

# Problems positioned in a data file the bad incident names (file, then LINE:COL: …).
BAD_DATA_CASES = {
    "data_time_text.yaml": [
        (
            "data_time_text.csv",
            "4:1: error: time 'ten past' is not a number (series 'p99' 'file' at {incident}:4:11)",
        )
    ],
}


def test_corpus_is_complete():
    on_disk = {path.name for path in BAD.glob("*.yaml")}
    expected = set(BAD_CASES) | set(BAD_DATA_CASES)
    assert on_disk == expected, "every bad input has an expectation, and vice versa"
    assert len(on_disk) >= 20


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input_positioned_errors(name):
    path = BAD / name
    with pytest.raises(IncidentLoadError) as info:
        load_incident(path)
    got = [str(d) for d in info.value.diagnostics]
    assert got == [f"{path}:{line}" for line in BAD_CASES[name]]


@pytest.mark.parametrize("name", sorted(BAD_DATA_CASES))
def test_bad_data_files_positioned_errors(name):
    path = BAD / name
    with pytest.raises(IncidentLoadError) as info:
        load_incident(path)
    got = [str(d) for d in info.value.diagnostics]
    expected = BAD_DATA_CASES[name]
    assert got == [f"{BAD / data}:{line.format(incident=path)}" for data, line in expected]
    assert info.value.data_files == tuple((BAD / data).resolve() for data, _ in expected)


def test_python_tag_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    source = f"title: t\nseries: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(IncidentLoadError, match="is not allowed"):
        parse_incident(source)
    assert not marker.exists()


def test_billion_laughs_is_refused_quickly():
    begin = time.perf_counter()
    with pytest.raises(IncidentLoadError, match="billion laughs"):
        load_incident(BAD / "billion_laughs.yaml")
    # Refused by counting, not by expanding 387 million strings (which takes minutes).
    assert time.perf_counter() - begin < 5


def test_all_problems_reported_at_once():
    source = (
        "title: t\n"
        "colour: red\n"
        "series:\n"
        "  - id: a\n"
        "    axis: up\n"
        "    samples: [[0, x]]\n"
        "events:\n"
        "  - {at: soon, title: e}\n"
    )
    with pytest.raises(IncidentLoadError) as info:
        parse_incident(source, path="multi.yaml")
    lines = [(d.line, d.column) for d in info.value.diagnostics]
    assert lines == [(2, 1), (5, 11), (6, 19), (8, 10)]
    assert "did you mean 'title'?" not in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(IncidentLoadError, match=r"nope\.yaml:1:1: error: cannot read file"):
        load_incident(tmp_path / "nope.yaml")
    with pytest.raises(IncidentLoadError, match="is a directory"):
        load_incident(tmp_path)


MINIMAL = """\
title: Minimal
series:
  - id: lat
    unit: ms
    samples: [[T-00:10, 5], [0, 7], [T+00:05, null], [10s, 9]]
  - id: errors
    unit: req/s
    samples: [[0, 1], [10, 2]]
  - id: lat2
    unit: ms
    samples: [[0, 1]]
"""


def test_minimal_defaults():
    incident = parse_incident(MINIMAL, incident_id="minimal")
    lat, errors, lat2 = incident.series
    assert (lat.label, lat.axis, errors.axis, lat2.axis) == ("lat", "left", "right", "left")
    assert lat.color_hex == "#f43f5e" and errors.color_hex == "#22d3ee"
    assert lat.range is None
    np.testing.assert_array_equal(lat.times, [-10, 0, 5, 10])
    assert np.isnan(lat.values[2])
    assert (incident.start, incident.end) == (-10, 10)
    assert lat.value_at(7) is None, "a null sample is a gap, not a value"
    assert lat.value_at(10) == 9
    assert lat.value_at(-11) is None
    assert incident.events == () and incident.started_at is None


def test_model_is_immutable():
    incident = parse_incident(MINIMAL)
    with pytest.raises(ValueError, match="read-only"):
        incident.series[0].values[0] = 1
    with pytest.raises(AttributeError):
        incident.title = "changed"


def test_events_sorted_stably_and_learning_forms():
    source = MINIMAL + (
        "events:\n"
        "  - {at: 8, title: late}\n"
        "  - {at: 2, title: first at two, kind: alert}\n"
        "  - {at: 2, title: second at two}\n"
        "learnings:\n"
        "  - plain text\n"
        "  - {title: With detail, detail: more}\n"
        "started_at: 2024-03-05T14:02:00Z\n"
        "duration: 1m\n"
    )
    incident = parse_incident(source)
    assert [e.title for e in incident.events] == ["first at two", "second at two", "late"]
    assert incident.events[0].kind == "alert" and incident.events[1].kind == "note"
    assert [(lr.title, lr.detail) for lr in incident.learnings] == [
        ("plain text", ""),
        ("With detail", "more"),
    ]
    assert incident.end == 60
    assert incident.wall_clock(60) == dt.datetime(2024, 3, 5, 14, 3, tzinfo=dt.UTC)
    assert incident.event_index_at(1.9) == -1
    assert incident.event_index_at(2) == 1


def test_starred_events_and_their_positions_in_the_file():
    source = MINIMAL + (
        "events:\n"
        "  - {at: 8, title: late, star: true}\n"
        "  - at: 2\n"
        "    title: early\n"
        "    star: false\n"
    )
    incident = parse_incident(source)
    early, late = incident.events
    assert (early.title, early.star, early.line, early.column) == ("early", False, 14, 5)
    assert (late.title, late.star, late.line, late.column) == ("late", True, 13, 5)
    # Positions are where the event is, not what it is.
    assert late == type(late)(at=8, title="late", star=True)


def test_star_must_be_a_boolean():
    with pytest.raises(IncidentLoadError) as caught:
        parse_incident(MINIMAL + "events:\n  - {at: 8, title: late, star: maybe}\n")
    assert [str(d) for d in caught.value.diagnostics] == [
        "<string>:13:32: error: event 1 'star' must be true or false, got the text 'maybe'"
    ]


def test_a_data_cache_reuses_unchanged_data_files(tmp_path: Path):
    from replay_viewer.loader import DataCache

    np.save(tmp_path / "p99.npy", np.array([[0.0, 1.0], [10.0, 2.0]]))
    text = "title: t\nseries:\n  - {id: p99, file: p99.npy}\n"
    path = tmp_path / "i.yaml"
    path.write_text(text, encoding="utf-8")
    cache = DataCache()
    first = load_incident(path, data_cache=cache)
    second = parse_incident(text + "events: []\n", path=str(path), data_cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    assert second.series[0].times is first.series[0].times
    np.save(tmp_path / "p99.npy", np.array([[0.0, 1.0], [10.0, 3.0], [20.0, 4.0]]))
    os.utime(tmp_path / "p99.npy", ns=(1, 1))  # a new mtime even on a coarse clock
    assert len(load_incident(path, data_cache=cache).series[0].times) == 3
    assert cache.misses == 2


def test_started_at_as_quoted_string_and_bom(tmp_path: Path):
    path = tmp_path / "with-bom.yml"
    path.write_bytes(("\ufeff" + MINIMAL + 'started_at: "2024-03-05T14:02:00+01:00"\n').encode())
    incident = load_incident(path)
    assert incident.id == "with-bom"
    assert incident.started_at.utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("started_at", "side"), [("9999-12-31T23:59:59Z", "end"), ("0001-01-01T00:00:05Z", "start")]
)
def test_a_wall_clock_beyond_the_calendar_is_refused(started_at, side):
    # The timeline runs T-00:10 to T+00:10: its times must have dates (the wall clock,
    # --clock wall, exported file names), or exports fail where validate passed.
    with pytest.raises(IncidentLoadError) as info:
        parse_incident(MINIMAL + f"started_at: {started_at}\n")
    (found,) = [str(d) for d in info.value.diagnostics]
    assert found.endswith(f"error: 'started_at' puts the timeline's {side} outside the years "
                          "1 to 9999 a wall clock can show")  # fmt: skip


def test_an_impossible_date_is_a_date_error_not_a_tag_error():
    with pytest.raises(IncidentLoadError) as info:
        parse_incident(MINIMAL + "started_at: 2025-13-45T09:00:00\n")
    assert str(info.value.diagnostics[0]).endswith(
        "error: 'started_at' has the value '2025-13-45T09:00:00', which is not a valid "
        "date-time (ISO-8601, such as 2024-03-05T14:02:00Z)"
    )


def test_numbers_as_text_are_kept_as_written():
    incident = parse_incident(MINIMAL + "severity: 2\noutcomes: [{value: 0, label: errors}]\n")
    assert incident.severity == "2"
    assert incident.outcomes[0].value == "0"


def test_documented_example_is_valid():
    doc = (DATA.parent.parent / "docs" / "incident-format.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    incident = parse_incident(example)
    assert [s.axis for s in incident.series] == ["left", "right"]
    assert incident.end == 540 and incident.start == -60


def test_yaml_12_scientific_notation_is_a_number():
    incident = parse_incident(
        "title: t\nseries: [{id: a, samples: [[0, 1e6], [1, 2.5E-3], [2, -4e+2]]}]\n"
        "thresholds: [{series: a, value: 1e5, label: x}]\n"
    )
    assert list(incident.series[0].values) == [1e6, 2.5e-3, -400.0]
    with pytest.raises(IncidentLoadError, match="got the text '1e6'"):
        parse_incident("title: t\nseries: [{id: a, samples: [[0, '1e6']]}]\n")


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("[0, " + "9" * 400 + "]", "value must be a finite number"),
        ("[0, 1.7e308]", "value 1.7e308 is too large to chart"),
        ("[" + "9" * 400 + ", 1]", "time: timecode must be a finite number"),
        ("['" + "9" * 400 + ":00:00', 1]", r"is too far from T\+0"),
        ("['T+" + "9" * 400 + "', 1]", r"is too far from T\+0"),
        ("[1e12, 1]", r"is too far from T\+0"),
    ],
)
def test_huge_numbers_are_positioned_errors_not_crashes(sample, message):
    with pytest.raises(IncidentLoadError, match=message) as info:
        parse_incident(f"title: t\nseries: [{{id: a, samples: [{sample}]}}]\n")
    assert all(len(d.message) < 300 for d in info.value.diagnostics), "long input is shortened"


def test_series_id_with_trailing_newline_is_refused():
    with pytest.raises(IncidentLoadError, match="may only use a-z"):
        parse_incident('title: t\nseries: [{id: "a\\n", samples: [[0, 1]]}]\n')


def test_too_narrow_range_is_refused():
    with pytest.raises(IncidentLoadError, match="too narrow to chart"):
        parse_incident("title: t\nseries: [{id: a, range: [1e-300, 2e-300], samples: [[0, 1]]}]")


def test_timeline_always_contains_t0():
    incident = parse_incident("title: t\nseries: [{id: a, samples: [[-120, 1], [-60, 2]]}]\n")
    assert (incident.start, incident.end) == (-120, 0)


# -- Part B (issue 8): hardening ---------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "title: !!bool x\nseries: [{id: a, samples: [[0, 1]]}]\n",
        "title: !!timestamp x\nseries: [{id: a, samples: [[0, 1]]}]\n",
        'title: !!int ""\nseries: [{id: a, samples: [[0, 1]]}]\n',
        'title: t\nseries: [{id: a, samples: [[!!float "", !!bool x]]}]\n',
        "title: t\nstarted_at: !!timestamp 2024-99-99\nseries: [{id: a, samples: [[0, 1]]}]\n",
        "title: t\nseries: [{id: a, samples: [[0, 1]]}]\nduration: !!merge x\n",
    ],
)
def test_explicit_tags_that_do_not_fit_are_positioned_errors(source):
    for given in (source, source.encode()):
        with pytest.raises(IncidentLoadError) as info:
            parse_incident(given)
        assert all(d.line >= 1 and d.column >= 1 for d in info.value.diagnostics)
        # (a value shaped like a date reads as one, tagged or not: the advice is the date's)
        assert "not a valid !!" in str(info.value) or "not a valid date-time" in str(info.value)


def test_devices_and_fifos_are_refused_without_reading(tmp_path):
    with pytest.raises(IncidentLoadError, match="is not a regular file"):
        load_incident("/dev/zero")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    begin = time.perf_counter()
    with pytest.raises(IncidentLoadError, match=r"pipe\.yaml:1:1: error: is not a regular file"):
        load_incident(fifo)  # opened without blocking, though nobody writes to it
    assert time.perf_counter() - begin < 1


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_size_limit_is_enforced_while_reading(monkeypatch):
    # /proc files claim st_size 0: only the bounded read can refuse them.
    monkeypatch.setattr(source_module, "MAX_FILE_BYTES", 16)
    with pytest.raises(IncidentLoadError, match="incident files are limited to"):
        load_incident("/proc/self/maps")


def test_nul_in_path_is_a_positioned_error():
    with pytest.raises(IncidentLoadError, match="path contains a NUL"):
        load_incident("bad\x00name.yaml")


def test_lone_surrogate_in_text_is_named():
    with pytest.raises(IncidentLoadError) as info:
        parse_incident("title: t\nsubtitle: a\ud800\nseries: [{id: a, samples: [[0, 1]]}]\n")
    assert [str(d) for d in info.value.diagnostics] == [
        "<string>:2:12: error: file contains U+D800 (a lone surrogate), which YAML does not "
        'allow; remove it (write it as an escape such as "\\a" inside double quotes if you '
        "need it)"
    ]


def test_control_character_after_crlf_and_wide_characters():
    source = "title: t\r\nsubtitle: 日本\x1b\r\nseries: [{id: a, samples: [[0, 1]]}]\r\n"
    with pytest.raises(IncidentLoadError, match=r"^<string>:2:13: error: file contains U\+001B"):
        parse_incident(source)


def _samples_file(count: int) -> str:
    pairs = ", ".join(f"[{i}, {i % 97}]" for i in range(count))
    return f"title: t\nseries: [{{id: a, samples: [{pairs}]}}]\n"


def test_large_plain_file_loads_and_larger_is_refused_early():
    limit = compose_module.MAX_YAML_VALUES
    incident = parse_incident(_samples_file(limit // 3 - 10))
    assert len(incident.series[0].times) == limit // 3 - 10
    begin = time.perf_counter()
    with pytest.raises(IncidentLoadError) as info:
        parse_incident(_samples_file(limit))  # no aliases: not a "billion laughs" bomb
    message = str(info.value)
    assert f"more than {limit:,} YAML values" in message and "file: p99.csv" in message
    assert "billion laughs" not in message
    assert time.perf_counter() - begin < 10


def test_many_events_are_refused_by_plain_size_quickly():
    events = "".join(f"  - {{at: {i}, title: e}}\n" for i in range(200_000))
    begin = time.perf_counter()
    with pytest.raises(IncidentLoadError, match="YAML values") as info:
        parse_incident("title: t\nseries: [{id: a, samples: [[0, 1]]}]\nevents:\n" + events)
    assert len(info.value.diagnostics) == 1
    assert time.perf_counter() - begin < 10


def test_groups_are_read_and_members_share_a_unit():
    incident = parse_incident(
        "title: t\nseries:\n"
        "  - {id: api-1, group: p99 per pod, unit: ms, samples: [[0, 1]]}\n"
        "  - {id: api-2, group: p99 per pod, unit: ms, samples: [[0, 2]]}\n"
        "  - {id: errors, unit: req/s, samples: [[0, 3]]}\n"
    )
    assert [(s.id, s.group) for s in incident.series] == [
        ("api-1", "p99 per pod"),
        ("api-2", "p99 per pod"),
        ("errors", ""),
    ]
    with pytest.raises(IncidentLoadError) as info:
        parse_incident("title: t\nseries: [{id: a, group: '', samples: [[0, 1]]}]\n")
    assert [str(d) for d in info.value.diagnostics] == [
        "<string>:2:25: error: series 'a' 'group' must not be empty"
    ]


def test_a_thousand_series_load_and_data_files_are_listed(tmp_path: Path):
    rows = "\n".join(f"  - {{id: s{i}, group: g, samples: [[0, {i}]]}}" for i in range(1000))
    incident = parse_incident(f"title: t\nseries:\n{rows}\n")
    assert len(incident.series) == 1000 and incident.data_files == ()
    (tmp_path / "a.csv").write_text("t,v\n0,1\n", encoding="utf-8")
    path = tmp_path / "i.yaml"
    path.write_text(
        "title: t\nseries:\n  - {id: a, file: a.csv}\n  - {id: b, file: a.csv}\n",
        encoding="utf-8",
    )
    assert load_incident(path).data_files == ((tmp_path / "a.csv").resolve(),)


def test_a_series_id_that_is_also_a_group_name_is_warned_at_the_id():
    incident = parse_incident(
        "title: a\nseries:\n"
        "  - {id: a, group: g, unit: ms, samples: [[0, 1], [60, 2]]}\n"
        "  - {id: g, unit: ms, samples: [[0, 5], [60, 5]]}\n",
        path="x.yaml",
    )
    (warning,) = incident.warnings
    assert warning.startswith("x.yaml:4:10: warning: series id 'g' is also the name of a group")
    assert "rename one" in warning
