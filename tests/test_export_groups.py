"""Exports of grouped incidents from the command line: ``--hide`` and ``--highlight`` take
series ids or a group's name (an unknown one is a usage error naming the close ones), a
highlighted member changes the picture, and a sequence records both in frames.json (so
``--resume`` refuses other ones)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from replay_viewer.errors import UsageError
from replay_viewer.options import parse_series

from .fleet_data import fleet_incident, write_fleet
from .test_export_commands import cli

SMALL = ("--size", "640x360")


def test_series_options_take_ids_and_group_names():
    incident = fleet_incident()
    assert parse_series(incident, "pod-7, hit_rate", "--hide") == {"pod-7", "hit_rate"}
    assert len(parse_series(incident, "p99 by pod", "--hide")) == 40
    assert parse_series(incident, None, "--hide") == frozenset()
    with pytest.raises(UsageError, match=r"--highlight: no series or group 'pod7'.*pod-7"):
        parse_series(incident, "pod7", "--highlight")


def test_a_comparisons_groups_by_their_own_names():
    from replay_viewer.compare import overlay

    incident = fleet_incident()
    both = overlay(incident, incident)
    a_group = parse_series(both, "p99 by pod", "--hide")  # A's, as "p99" would be A's series
    assert a_group == parse_series(both, "A: p99 by pod", "--hide") and len(a_group) == 40
    b_group = parse_series(both, "B: p99 by pod", "--hide")
    assert len(b_group) == 40 and not a_group & b_group


def test_an_unknown_series_is_a_usage_error(tmp_path):
    incident = write_fleet(tmp_path)
    result = cli("export", incident, "--highlight", "pod-77", "-o", tmp_path / "f.png")
    assert result.returncode == 2, result.stderr
    assert "no series or group 'pod-77'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "f.png").exists()


@pytest.mark.gpu
def test_highlight_and_hide_draw_and_are_recorded(tmp_path, gpu_adapter):
    incident = write_fleet(tmp_path)
    at = ("--at", "T+07:30", *SMALL)
    plain = cli("export", incident, *at, "-o", tmp_path / "plain.png")
    starred = cli("export", incident, *at, "--highlight", "pod-7", "-o", tmp_path / "star.png")
    hidden = cli("export", incident, *at, "--hide", "p99 by pod", "-o", tmp_path / "hid.png")
    for result in (plain, starred, hidden):
        assert result.returncode == 0, result.stderr
    one, two, three = (np.asarray(Image.open(tmp_path / f).convert("RGB")).astype(int)
                       for f in ("plain.png", "star.png", "hid.png"))  # fmt: skip
    assert (np.abs(one - two).max(axis=-1) > 40).sum() > 200, "pod-7 drawn bright, labelled"
    rose = np.array([244, 63, 94])
    assert (np.abs(three - rose).max(axis=-1) < 60).sum() < (np.abs(one - rose).max(axis=-1)
                                                             < 60).sum() / 10  # fmt: skip
    folder = tmp_path / "seq"
    sequence = cli("export", incident, "--frames", "2", *SMALL, "--highlight", "pod-7",
                   "--hide", "hit_rate", "-o", folder)  # fmt: skip
    assert sequence.returncode == 0, sequence.stderr
    options = json.loads((folder / "frames.json").read_text(encoding="utf-8"))["options"]
    assert options["highlight"] == ["pod-7"] and options["hidden"] == ["hit_rate"]
    again = cli("export", incident, "--frames", "2", *SMALL, "--resume", "-o", folder)
    assert again.returncode == 2 and "Traceback" not in again.stderr
