"""``replay-viewer event add|list|rm|star`` end to end: a real subprocess, the file's diff,
exit codes and messages."""

from __future__ import annotations

import difflib
import json
import shutil

import pytest

from .conftest import REPO
from .test_cli import run_cli

CHECKOUT = REPO / "incidents" / "checkout-flag.yaml"


@pytest.fixture
def incident(tmp_path):
    path = tmp_path / "checkout.yaml"
    shutil.copy(CHECKOUT, path)
    return path


def changed_lines(path) -> list[str]:
    before = CHECKOUT.read_text(encoding="utf-8").splitlines()
    after = path.read_text(encoding="utf-8").splitlines()
    diff = difflib.unified_diff(before, after, lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def test_add_list_star_and_rm(incident):
    added = run_cli("event", "add", str(incident), "--at", "T+05:00", "--kind", "mitigate",
                    "--title", "Flag reverted: for real", "--until", "T+07:30",
                    "--star")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout == (f"{incident}:193:5: added mitigate 'Flag reverted: for real' at "
                            "T+05:00 until T+07:30 (starred)\n")  # fmt: skip
    assert changed_lines(incident) == [
        '+  - {at: T+05:00, kind: mitigate, title: "Flag reverted: for real", until: T+07:30, '
        "star: true}"
    ]
    listed = run_cli("event", "list", str(incident))
    assert listed.returncode == 0
    assert f"{incident}:193:5:   T+05:00 * mitigate Flag reverted: for real until T+07:30\n" \
        in listed.stdout  # fmt: skip
    rows = json.loads(run_cli("event", "list", str(incident), "--json").stdout)["events"]
    assert rows[6] == {
        "at": 300.0, "at_text": "T+05:00", "kind": "mitigate", "title": "Flag reverted: for real",
        "detail": "", "until": 450.0, "until_text": "T+07:30", "star": True, "line": 193,
        "column": 5,
    }  # fmt: skip
    unstarred = run_cli("event", "star", str(incident), "--at", "300", "--off")
    assert unstarred.returncode == 0, unstarred.stderr
    assert "unstarred" in unstarred.stdout and "star: true" not in incident.read_text("utf-8")
    removed = run_cli("event", "rm", str(incident), "--at", "5m")
    assert removed.returncode == 0, removed.stderr
    assert changed_lines(incident) == []
    assert [p.name for p in incident.parent.iterdir()] == ["checkout.yaml"]  # no temp files


def test_an_ambiguous_rm_lists_the_candidates(incident):
    for title in ("One", "Two"):
        assert run_cli("event", "add", str(incident), "--at", "T+05:00", "--title", title) \
            .returncode == 0  # fmt: skip
    ambiguous = run_cli("event", "rm", str(incident), "--at", "T+05:00")
    assert ambiguous.returncode == 2
    assert ambiguous.stderr == (
        "replay-viewer: error: 2 events at T+05:00; choose one with --title:\n"
        f"  {incident}:193:5: note 'One' at T+05:00\n"
        f"  {incident}:194:5: note 'Two' at T+05:00\n"
    )
    assert run_cli("event", "rm", str(incident), "--at", "T+05:00", "--title", "two") \
        .returncode == 0  # fmt: skip
    missing = run_cli("event", "rm", str(incident), "--at", "T+04:00")
    assert missing.returncode == 2
    assert missing.stderr == (
        "replay-viewer: error: no event at T+04:00; the nearest:\n"
        f"  {incident}:191:5: diagnose 'Fan-out found' at T+02:40\n"
        f"  {incident}:192:5: mitigate 'Flag reverted' at T+03:10\n"
        f"  {incident}:193:5: note 'One' at T+05:00\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "T+5:xx", "--title", "x"],
         "replay-viewer: error: --at 'T+5:xx' is not a timecode; use seconds (90), T+MM:SS, "
         "T-MM:SS, H:MM:SS, days (T+2d 04:05:00, T+2d) or units (90s, 14m, 1h2m3s, 2d4h)\n"),
        (["--at", "1e12", "--title", "x"],
         "replay-viewer: error: --at '1e12': timecode '1e12' is too far from T+0 "
         "(limit: 1e+09 s)\n"),
        (["--at", "60", "--title", "x", "--kind", "mitgate"],
         "replay-viewer: error: --kind 'mitgate' is not an event kind (did you mean 'mitigate'?); "
         "use one of deploy, detect, alert, diagnose, mitigate, recover, resolve, note\n"),
        (["--at", "60", "--title", "x", "--until", "soon"],
         "replay-viewer: error: --until 'soon' is not a timecode; use seconds (90), T+MM:SS, "
         "T-MM:SS, H:MM:SS, days (T+2d 04:05:00, T+2d) or units (90s, 14m, 1h2m3s, 2d4h)\n"),
    ],
)  # fmt: skip
def test_a_bad_time_or_kind_is_a_usage_error(incident, args, message):
    result = run_cli("event", "add", str(incident), *args)
    assert (result.returncode, result.stderr) == (2, message)
    assert changed_lines(incident) == []


def test_an_event_the_file_would_not_load_with_is_refused_positioned(incident):
    result = run_cli("event", "add", str(incident), "--at", "T+05:00", "--title", "x",
                     "--until", "T+01:00")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"{incident}:193:48: error: event 'x' 'until' T+01:00 is before its 'at' T+05:00; a "
        "span ends after it starts\n"
        f"replay-viewer: error: event not added: {incident} would not load so; nothing was "
        "written\n"
    )
    assert changed_lines(incident) == []
    empty = run_cli("event", "add", str(incident), "--at", "T+05:00", "--title", "")
    assert empty.returncode == 1 and "'title' must not be empty" in empty.stderr


def test_an_invalid_or_read_only_file(tmp_path, incident):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\n", encoding="utf-8")
    result = run_cli("event", "add", str(bad), "--at", "0", "--title", "x")
    assert result.returncode == 1
    assert result.stderr == f"{bad}:1:1: error: the incident is missing the required key 'series'\n"
    incident.chmod(0o444)
    result = run_cli("event", "add", str(incident), "--at", "0", "--title", "x")
    incident.chmod(0o644)
    assert result.returncode == 4
    assert result.stderr == (
        f"replay-viewer: error: {incident} is read-only; the event was not saved, the file is "
        "unchanged\n"
    )  # not the window's "your edits are kept: save them as another file"
    assert changed_lines(incident) == []


def test_an_event_listed_twice_through_an_alias_is_named_as_such(tmp_path):
    # --title cannot tell the two apart: they are one node of the YAML.
    path = tmp_path / "alias.yaml"
    path.write_text(
        "title: anchors\nseries: [{id: a, samples: [[0, 1], [600, 2]]}]\nevents:\n"
        "  - &e {at: 60, kind: deploy, title: d}\n  - *e\n",
        encoding="utf-8",
    )
    before = path.read_text(encoding="utf-8")
    result = run_cli("event", "rm", str(path), "--at", "60", "--title", "d")
    assert result.returncode == 2
    assert result.stderr == (
        f"replay-viewer: error: {path}:4:5: the event at T+01:00 is listed 2 times through a "
        "YAML alias; edit the file by hand\n"
    )
    assert path.read_text(encoding="utf-8") == before
