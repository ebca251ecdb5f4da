"""The CLI as a user runs it: a real subprocess, exit codes, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import BUNDLED, DATA


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "replay_viewer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_validate_ok():
    result = run_cli("validate", str(BUNDLED))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{BUNDLED}: ok (2 series, 9 events, duration T+14:00)\n"


def test_validate_reports_each_bad_file_and_exits_1():
    bad = sorted((DATA / "bad").glob("*.yaml"))
    result = run_cli("validate", str(BUNDLED), *map(str, bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for path in bad:
        assert f"{path}:" in result.stderr
    assert ": ok (" in result.stdout
    for line in result.stderr.splitlines():
        assert ": error: " in line, line


def test_python_tag_file_is_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        f"title: t\nseries: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    result = run_cli("validate", str(evil))
    assert result.returncode == 1
    assert "is not allowed" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    "args", [["validate"], ["export"], ["frobnicate", "--x"], ["export", "f.yaml", "--at", "soon"]]
)
def test_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("replay-viewer 0.")
    for command in ("validate", "export", "probe", "open"):
        result = run_cli(command, "--help")
        assert result.returncode == 0
        assert "usage: replay-viewer " + command in result.stdout


def test_validate_warns_when_one_axis_would_flatten_a_series(tmp_path):
    forced = tmp_path / "forced.yaml"
    forced.write_text(
        "title: t\nseries:\n"
        "  - {id: errors, unit: ratio, samples: [[0, 0.1], [60, 35]]}\n"
        "  - {id: iops, unit: ratio, samples: [[0, 150000], [60, 200000]]}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(forced), str(BUNDLED))
    assert result.returncode == 0
    assert f"{forced}: warning: series 'errors' (up to 35.0) and 'iops' (up to 200,000)" in (
        result.stderr
    )
    assert "cache-stampede.yaml: warning" not in result.stderr


def test_warnings_go_to_stderr_and_strict_makes_them_errors():
    unsorted = DATA / "times" / "unsorted.yaml"
    result = run_cli("validate", str(unsorted))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{unsorted}: ok (3 series, 0 events, duration T+01:00)\n"
    warnings = result.stderr.splitlines()
    assert len(warnings) == 4 and all(": warning: " in line for line in warnings)
    assert warnings[0].startswith(f"{DATA}/times/unsorted.csv:12:1: warning: 1 row is earlier")

    strict = run_cli("validate", "--strict", str(unsorted), str(BUNDLED))
    assert strict.returncode == 1
    assert strict.stdout == f"{BUNDLED}: ok (2 series, 9 events, duration T+14:00)\n"
    assert strict.stderr.splitlines() == [
        *warnings,
        f"{unsorted}: error: 4 warnings above, and --strict makes them errors",
    ]
    assert "Traceback" not in strict.stderr

    as_json = run_cli("validate", "--strict", "--json", str(unsorted))
    assert as_json.returncode == 1
    import json

    (entry,) = json.loads(as_json.stdout)
    # --strict turns the warnings into errors: listed as such, as the text output says
    assert entry["ok"] is False and entry["warnings"] == []
    assert entry["errors"] == [w.replace(": warning: ", ": error: ", 1) for w in warnings]
    assert len(entry["errors"]) == 4 and all(": error: " in e for e in entry["errors"])


def test_export_prints_the_warnings_of_what_it_loads(tmp_path):
    taken = tmp_path / "taken.png"
    taken.write_bytes(b"x")
    result = run_cli("export", str(DATA / "times" / "repeated.yaml"), "-o", str(taken))
    assert result.returncode == 2  # refuses to replace the file, after loading
    assert "repeated.csv:15:1: warning: 11 rows repeat the time of the row before" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("group_mixed_units.yaml", "group_mixed_units.yaml:5:43: error: series 'api_3'"),
        ("timezone_unknown.yaml", "timezone_unknown.yaml:2:11: error: 'timezone': time zone"),
        ("too_many_series.yaml", "too_many_series.yaml:1004:5: error: too many series"),
        ("data_time_text.yaml", "data_time_text.csv:4:1: error: time 'ten past' is not a"),
    ],
)
def test_bad_groups_zones_counts_and_time_text_exit_1(name, where):
    result = run_cli("validate", str(DATA / "bad" / name))
    assert result.returncode == 1
    assert f"{DATA}/bad/{where}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_negative_value_reaches_its_own_check_not_argparses():
    # argparse reads "-5s" as another option ("expected one argument"); the value's own
    # check says what is wrong with it.
    result = run_cli("validate", str(BUNDLED), "--metrics", "--sustain", "-5s")
    assert result.returncode == 2
    assert "'-5s' is negative" in result.stderr, result.stderr
    assert "expected one argument" not in result.stderr


def test_joining_negative_values_leaves_other_words_alone():
    from replay_viewer.cli.parser import build_parser, joined_negative_values

    parser = build_parser()
    argv = ["export", "a.yaml", "--at", "-00:30", "--live", "-o", "-1.png", "--size", "640x360"]
    assert joined_negative_values(parser, argv) == [
        "export", "a.yaml", "--at=-00:30", "--live", "-o", "-1.png", "--size", "640x360",
    ]  # fmt: skip
    assert joined_negative_values(parser, ["validate", "--metrics", "-5"]) == [
        "validate", "--metrics", "-5",
    ]  # fmt: skip
