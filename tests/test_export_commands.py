"""Exports never lie and never destroy, as a user runs them: exit codes and messages of
``export``/``probe``, the folder lock across processes, and SIGKILL then ``--resume``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from replay_viewer.files import FolderLock

from .conftest import BUNDLED, REPO

SMALL = ("--size", "320x180")


def cli(*args, cwd=None, env=None, popen=False):
    # PYTHONPATH: with cwd elsewhere, ``-m replay_viewer`` would import the installed copy.
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    command = [sys.executable, "-m", "replay_viewer", *map(str, args)]
    if popen:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=cwd, env=env)  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def test_existing_png_is_not_replaced_without_overwrite(tmp_path):
    target = tmp_path / "mine.png"
    target.write_bytes(b"not even a png")
    target.chmod(0o600)
    result = cli("export", BUNDLED, "-o", target, *SMALL)
    assert result.returncode == 2, result.stderr
    assert "pass --overwrite" in result.stderr and str(target) in result.stderr
    assert target.read_bytes() == b"not even a png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.png"]


@pytest.mark.gpu
def test_overwrite_replaces_atomically_and_keeps_the_mode(tmp_path, gpu_adapter):
    target = tmp_path / "mine.png"
    target.write_bytes(b"old")
    target.chmod(0o600)
    result = cli("export", BUNDLED, "-o", target, "--overwrite", *SMALL)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG")
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.png"]


@pytest.mark.parametrize(
    ("output", "message"),
    [("missing/f.png", "folder {tmp}/missing does not exist"),
     ("afile/f.png", "{tmp}/afile is not a folder"),
     ("afile", "{tmp}/afile is not a folder")],
)  # fmt: skip
def test_unwritable_output_paths_exit_4(tmp_path, output, message):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    sequence = ("--frames", "2") if output == "afile" else ()
    result = cli("export", BUNDLED, "-o", tmp_path / output, *sequence, *SMALL)
    assert result.returncode == 4, result.stderr
    assert message.format(tmp=tmp_path) in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_backend_variable_is_a_usage_error():
    result = cli("probe", env={"REPLAY_VIEWER_BACKEND": "cuda"})
    assert result.returncode == 2, result.stderr
    assert "unknown backend 'cuda' (from REPLAY_VIEWER_BACKEND)" in result.stderr


def test_probe_prints_a_failed_stage_once_without_install_hint(gpu_adapter):
    result = cli("probe", env={"REPLAY_VIEWER_ADAPTER": "no-such-adapter"})
    assert result.returncode == 3, result.stderr
    output = result.stdout + result.stderr
    assert output.count("no WebGPU adapter with a name containing") == 1, output
    assert "FAILED" in result.stdout
    assert "apt-get" not in output, "adapters exist: installing Mesa would not help"


def test_install_hint_only_when_there_is_no_adapter_at_all(monkeypatch):
    import wgpu

    from replay_viewer.render.gpu import NoAdapterError, request_adapter

    class Adapter:
        def __init__(self) -> None:
            self.info = {"device": "llvmpipe", "adapter_type": "CPU", "backend_type": "Vulkan"}

    for adapters, hint in (([], True), ([Adapter()], False)):
        monkeypatch.setattr(wgpu.gpu, "enumerate_adapters_sync", lambda a=adapters: a)
        with pytest.raises(NoAdapterError) as caught:
            request_adapter("metal")
        assert ("install" in str(caught.value).lower()) is hint, caught.value


def test_sequence_into_a_folder_with_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    result = cli("export", BUNDLED, "--frames", "2", "-o", tmp_path, *SMALL)
    assert result.returncode == 2, result.stderr
    assert "notes.txt" in result.stderr and "--overwrite" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"], "nothing written"


def test_a_second_export_into_a_locked_folder_exits_4(tmp_path):
    lock = FolderLock(tmp_path, ".frames.lock")
    assert lock.acquire()
    try:
        result = cli("export", BUNDLED, "--frames", "2", "-o", tmp_path, *SMALL)
    finally:
        lock.release()
    assert result.returncode == 4, result.stderr
    assert "in use by another export" in result.stderr and str(os.getpid()) in result.stderr
    assert not (tmp_path / "frames.json").exists()


def _new_index_frames(folder) -> list:
    index = json.loads((folder / "frames.json").read_text(encoding="utf-8"))
    return index["frames"] if "options" in index else []  # the older index has no options


@pytest.mark.gpu
def test_sigkill_over_an_older_export_then_resume_gives_the_same_bytes(tmp_path, gpu_adapter):
    frames = ("--frames", "600")  # long enough to be killed part-way, even at full speed
    whole, part = tmp_path / "whole", tmp_path / "part"
    result = cli("export", BUNDLED, *frames, "-o", whole, *SMALL)
    assert result.returncode == 0, result.stderr
    # An older, complete export of ours in the folder the killed run writes into.
    part.mkdir()
    for name in ("frame_00000.png", "frame_00001.png"):
        (part / name).write_bytes(b"older export")
    listed = [{"frame": n, "file": f"frame_{n:05d}.png", "t": 0.0, "timecode": "x"} for n in (0, 1)]
    older = {"incident": "cache-stampede", "title": "t", "size": [320, 180], "pixel_ratio": 1.0,
             "ghost": True, "complete": True, "frames": listed}  # fmt: skip
    (part / "frames.json").write_text(json.dumps(older), encoding="utf-8")

    process = cli("export", BUNDLED, *frames, "-o", part, *SMALL, popen=True)
    deadline = time.monotonic() + 60
    # Kill once the new in-progress index lists a frame or two (it is updated every 0.5 s).
    while len(_new_index_frames(part)) < 2:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    killed = json.loads((part / "frames.json").read_text(encoding="utf-8"))
    assert killed["complete"] is False, "never complete over the new export's frames"
    for entry in killed["frames"]:
        assert (part / entry["file"]).read_bytes() == (whole / entry["file"]).read_bytes()

    result = cli("export", BUNDLED, *frames, "-o", part, *SMALL, "--resume")
    assert result.returncode == 0, result.stderr
    assert f"resumed after {len(killed['frames'])}" in result.stdout
    names = sorted(p.name for p in whole.iterdir())
    assert sorted(p.name for p in part.iterdir()) == names, "no leftovers, no lock file"
    for name in names:  # every PNG and frames.json (it has no timing fields)
        assert (part / name).read_bytes() == (whole / name).read_bytes(), name


@pytest.mark.gpu
def test_range_zooms_a_sequence_and_is_recorded(tmp_path, gpu_adapter):
    out = tmp_path / "zoomed"
    result = cli("export", BUNDLED, "--range", "T+02:00..T+05:00", "--frames", "4", "-o", out,
                 *SMALL)  # fmt: skip
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    assert [frame["t"] for frame in index["frames"]] == [120.0, 180.0, 240.0, 300.0]
    assert index["options"]["range"] == [120.0, 300.0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("T+05:00..T+02:00", "the start must be before the end"),
        ("T+02:00", "expected two times joined by '..'"),
        ("T+02:00..T+30:00", "--range end T+30:00 is outside the incident"),
    ],
)
def test_bad_ranges_are_usage_errors(value, message, tmp_path):
    result = cli("export", BUNDLED, "--range", value, "-o", tmp_path / "x.png")
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_at_outside_the_range_is_a_usage_error(tmp_path):
    # The frame would show T+03:00..T+06:00 with the header and legend at T+02:30 and no
    # playhead: refused before anything is drawn or written.
    out = tmp_path / "x.png"
    result = cli("export", BUNDLED, "--at", "T+02:30", "--range", "T+03:00..T+06:00", "-o", out)
    assert result.returncode == 2, result.stderr
    assert "--at T+02:30 is outside --range T+03:00..T+06:00" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--fps", "0"), "--fps must be between 1 and 120"),  # not quietly the default 15
        (("--duration", "1e9", "--fps", "1"),
         "--duration 1e+09s at 1 fps makes 1,000,000,000 frames; at most 100,000"),
    ],
)  # fmt: skip
def test_bad_animation_lengths_are_usage_errors(options, message, tmp_path):
    result = cli("export", BUNDLED, "--gif", tmp_path / "x.gif", *options)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "x.gif").exists()
