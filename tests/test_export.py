"""Export: frame planning and atomic writes (pure), and the export/probe commands (GPU)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from replay_viewer.export import (
    ExportSettings,
    default_png_name,
    export_sequence,
    plan_sequence,
    write_png_atomic,
)
from replay_viewer.files import write_json_atomic
from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.render.boot import STAGE_NAMES

from .conftest import BUNDLED, DATA, REPO


def run_cli(*args, cwd=None, timeout=300, env=None):
    # PYTHONPATH: with cwd elsewhere, ``-m replay_viewer`` would import the installed copy.
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "replay_viewer", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
    )


def test_default_png_name():
    incident = load_incident(BUNDLED)
    assert default_png_name(incident, 300) == "cache-stampede_T+0500.png"
    assert default_png_name(incident, -60) == "cache-stampede_T-0100.png"


def test_plan_frames_and_every():
    incident = load_incident(BUNDLED)  # T-01:00 .. T+14:00
    plan = plan_sequence(incident, frames=31)
    assert len(plan.times) == 31 and plan.times[0] == -60 and plan.times[-1] == 840
    assert plan.names()[:2] == ["frame_00000.png", "frame_00001.png"]
    every = plan_sequence(incident, every=5)
    assert len(every.times) == 181 and every.times[-1] == 840
    assert len(plan_sequence(incident, every=7).times) == 129  # 900 s / 7 s, end not on a step
    for bad in ({"frames": 0}, {"every": 0}, {"every": 0.001}):
        with pytest.raises(ValueError):
            plan_sequence(incident, **bad)


def test_atomic_png_write_leaves_nothing_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "frame.png"
    pixels = np.zeros((10, 20, 4), np.uint8)
    write_png_atomic(target, pixels, text={"Title": "x"})
    good = target.read_bytes()
    assert target.stat().st_mode & 0o777 == 0o666 & ~_current_umask(), "normal permissions"
    assert Image.open(target).size == (20, 10)

    def interrupted_fsync(fd):  # Ctrl+C after the new bytes are written, before the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_png_atomic(target, pixels)
    assert target.read_bytes() == good, "the old file is untouched"
    assert list(tmp_path.iterdir()) == [target], "no temp file left behind"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_json(tmp_path):
    write_json_atomic(tmp_path / "a.json", {"x": [1, 2]})
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == {"x": [1, 2]}


# -- GPU: the commands as a user runs them ---------------------------------------------


@pytest.mark.gpu
def test_export_single_frame(tmp_path, gpu_adapter):
    result = run_cli("export", BUNDLED, "--at", "T+05:00", "-o", tmp_path / "f.png")
    assert result.returncode == 0, result.stderr
    image = Image.open(tmp_path / "f.png")
    assert image.size == (1280, 720)
    assert "T+05:00" in image.text["Title"]
    result = run_cli("export", BUNDLED, "--at", "T+05:00", "--scale", "2", "--no-ghost",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert Image.open(tmp_path / "cache-stampede_T+0500.png").size == (2560, 1440)


@pytest.mark.gpu
def test_export_frames_sequence(tmp_path, gpu_adapter):
    out = tmp_path / "out"
    result = run_cli("export", BUNDLED, "--frames", "30", "-o", out, "--size", "640x360")
    assert result.returncode == 0, result.stderr
    pngs = sorted(out.glob("frame_*.png"))
    assert len(pngs) == 30
    index = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    assert index["complete"] is True and len(index["frames"]) == 30
    assert index["frames"][0]["timecode"] == "T-01:00"
    assert index["frames"][-1]["timecode"] == "T+14:00"
    assert Image.open(pngs[0]).size == (640, 360)
    # A shorter export into the same folder removes the frames it no longer lists.
    result = run_cli("export", BUNDLED, "--every", "5m", "-o", out, "--size", "640x360")
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("frame_*.png"))) == 4  # T-01:00, T+04:00, T+09:00, T+14:00


@pytest.mark.gpu
def test_export_sequence_interrupted_keeps_index(tmp_path, booted):
    incident = booted.incident
    plan = plan_sequence(incident, frames=5)
    calls = []

    def stop_after_two():
        calls.append(1)
        return len(calls) > 2

    index = export_sequence(booted.renderer, incident, plan, tmp_path, ExportSettings(),
                            should_stop=stop_after_two)  # fmt: skip
    assert index["complete"] is False and len(index["frames"]) == 2
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["frame_00000.png", "frame_00001.png"]
    assert json.loads((tmp_path / "frames.json").read_text(encoding="utf-8")) == index


def test_export_invalid_incident_exits_1():
    result = run_cli("export", DATA / "bad" / "axis_invalid.yaml")
    assert result.returncode == 1
    assert "axis_invalid.yaml:4:11: error:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["--at", "T+20:00"], ["--size", "12x12"], ["--frames", "0", "-o", "x"], ["-o", "f.txt"]],
)
def test_export_usage_errors_exit_2(args, tmp_path):
    result = run_cli("export", BUNDLED, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "replay-viewer: error:" in result.stderr
    assert not list(tmp_path.iterdir()), "nothing written"


@pytest.mark.gpu
def test_probe_prints_six_stages_in_order(gpu_adapter):
    result = run_cli("probe")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("]", 1)[0] + "]" for line in lines[:6]] == [f"[{i}/6]" for i in range(1, 7)]
    for line, name in zip(lines, STAGE_NAMES, strict=False):
        assert name in line and " ms" in line
    assert lines[6].startswith("total ")


def test_probe_without_matching_backend_exits_3():
    result = run_cli("probe", "--backend", "d3d12")
    assert result.returncode == 3
    assert "no WebGPU adapter with backend D3D12" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.gpu
def test_shader_compile_error_names_file_and_line(gpu_adapter, monkeypatch):
    from replay_viewer.render import shaders

    broken = shaders.ComposedShader(
        "grid.wgsl",
        "// common\nfn ok() {}\n// grid\nfn broken( {\n",
        ((1, "common.wgsl", 2), (3, "grid.wgsl", 2)),
    )
    monkeypatch.setattr(shaders, "compose", lambda name: broken)
    device = gpu_adapter.request_device_sync()
    with pytest.raises(shaders.ShaderCompileError, match=r"shaders/grid\.wgsl:2:\d+: error:"):
        shaders.compile_shader(device, "grid.wgsl")


def test_parse_incident_without_gpu_needs_no_wgpu():
    # The pure tiers must not import wgpu (fast start, and usable without a GPU stack).
    code = (
        "import sys, replay_viewer.loader, replay_viewer.render.layout\n"
        "print('wgpu' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
    assert parse_incident("title: t\nseries: [{id: a, samples: [[0, 1]]}]").title == "t"


@pytest.mark.gpu
def test_sigterm_during_a_sequence_keeps_the_index_and_no_partial_file(tmp_path, gpu_adapter):
    import signal
    import time

    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "replay_viewer", "export", str(BUNDLED), "--frames", "400",
         "-o", str(out), "--size", "640x360"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(list(out.glob("frame_*.png"))) < 3:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    index = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    assert index["complete"] is False
    assert sorted(p.name for p in out.glob("frame_*.png")) == [f["file"] for f in index["frames"]]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")], "no partial file left"
