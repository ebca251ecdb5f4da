"""``export --clock`` and long incidents' exported names and messages, as a user runs them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from .conftest import BUNDLED, DATA
from .test_export_commands import cli

LONG = DATA / "shapes" / "sixty_two_days.yaml"
SMALL = ("--size", "640x360")


def test_wall_clock_without_started_at_is_a_usage_error(tmp_path):
    result = cli("export", BUNDLED, "--clock", "wall", "-o", tmp_path / "f.png")
    assert result.returncode == 2, result.stderr
    assert "--clock wall" in result.stderr and "no started_at" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_clock_is_a_usage_error():
    result = cli("export", LONG, "--clock", "utc")
    assert result.returncode == 2 and "invalid choice: 'utc'" in result.stderr


@pytest.mark.gpu
def test_export_clock_wall_names_and_draws_the_day(tmp_path, gpu_adapter):
    at = ("--at", "T+57d 03:00:00")
    relative = cli("export", LONG, *at, *SMALL, cwd=tmp_path)
    assert relative.returncode == 0, relative.stderr
    name = "sixty_two_days_T+57d030000.png"
    assert relative.stdout.startswith(f"{name}: T+57d 03:00:00 (640×360)")
    wall = cli("export", LONG, *at, *SMALL, "--clock", "wall", "-o", "wall.png", cwd=tmp_path)
    assert wall.returncode == 0, wall.stderr
    one, two = (np.asarray(Image.open(tmp_path / f)) for f in (name, "wall.png"))
    differs = np.any(one != two, axis=-1)
    # The same data; the text (readout, time labels, the footer's time) and the vertical
    # grid lines (Mondays at midnight instead of T+0d, T+14d, …) differ.
    assert 0 < differs.mean() < 0.25
    rows = np.flatnonzero(differs.any(axis=1))
    assert rows.min() < 60 and rows.max() > 300  # the header and the time axis


@pytest.mark.gpu
def test_sequence_records_the_clock(tmp_path, gpu_adapter):
    out = tmp_path / "frames"
    result = cli("export", LONG, "--frames", "2", *SMALL, "--clock", "wall", "-o", out)
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "frames.json").read_text(encoding="utf-8"))
    assert index["options"]["clock"] == "wall"
    assert [frame["timecode"] for frame in index["frames"]] == ["T+00:00", "T+62d 00:00:00"]
    again = cli("export", LONG, "--frames", "2", *SMALL, "-o", out, "--resume")
    assert again.returncode == 2 and "other options" in again.stderr
