"""Exports never lie and never destroy, without a GPU: atomic writes, the folder lock, the
folder rules, the in-progress index, resume, and the export dialog's confirm step.

A fake renderer (pixels from t) stands in for the GPU, so the sequence logic is tested
frame by frame with a fake clock."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from replay_viewer.errors import OutputError, UsageError
from replay_viewer.export import (
    ExportSettings,
    SequenceExport,
    check_folder,
    export_conflict,
    export_sequence,
    plan_sequence,
    write_png_atomic,
)
from replay_viewer.export.folder import LOCK_NAME, resume_point
from replay_viewer.files import FILE_MODE, FolderLock, atomic_write
from replay_viewer.loader import load_incident

from .conftest import BUNDLED

SETTINGS = ExportSettings(size=(160, 120))


class FakeRenderer:
    """Pixels that depend on t only (as the real renderer's do), and a hook run before each
    frame so a test can look at the folder just before a frame is written."""

    def __init__(self, before=None) -> None:
        self.before = before
        self.rendered: list[float] = []

    def render(self, t, options):
        if self.before is not None:
            self.before(len(self.rendered))
        self.rendered.append(t)
        pixels = np.zeros((120, 160, 4), np.uint8)
        pixels[..., 0] = int(abs(t)) % 256
        pixels[: int(abs(t)) % 120, :, 1] = 200
        return pixels


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


def read_index(folder):
    return json.loads((folder / "frames.json").read_text(encoding="utf-8"))


def run(incident, folder, frames, *, stop_after=None, **kwargs):
    plan = plan_sequence(incident, frames=frames)
    calls = []

    def should_stop():
        calls.append(1)
        return stop_after is not None and len(calls) > stop_after

    return export_sequence(FakeRenderer(), incident, plan, folder, SETTINGS,
                           should_stop=should_stop, **kwargs)  # fmt: skip


# -- atomic writes ---------------------------------------------------------------------------


def test_replacing_a_file_keeps_its_permission_bits(tmp_path):
    private = tmp_path / "private.png"
    private.write_bytes(b"mine")
    private.chmod(0o600)
    atomic_write(private, lambda out: out.write(b"new"))
    assert private.read_bytes() == b"new"
    assert private.stat().st_mode & 0o777 == 0o600, "0600 stays 0600"
    fresh = tmp_path / "fresh.png"
    atomic_write(fresh, lambda out: out.write(b"x"))
    assert fresh.stat().st_mode & 0o777 == FILE_MODE


def test_write_errors_name_the_users_path_not_the_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "frame.png"

    def full_disk(source, destination):
        raise OSError(28, "No space left on device", str(source))

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OutputError) as caught:
        write_png_atomic(target, np.zeros((4, 4, 4), np.uint8))
    message = str(caught.value)
    assert str(target) in message and "No space left on device" in message
    assert ".tmp" not in message
    assert list(tmp_path.iterdir()) == [], "the temp file is gone"
    monkeypatch.undo()
    with pytest.raises(OutputError, match=r"cannot write .*missing/f\.png: No such file"):
        atomic_write(tmp_path / "missing" / "f.png", lambda out: None)


# -- the folder lock ---------------------------------------------------------------------


def test_folder_lock_is_exclusive_and_leaves_no_file(tmp_path):
    first, second = FolderLock(tmp_path), FolderLock(tmp_path)
    assert first.acquire()
    assert not second.acquire(), "a second holder is refused"
    assert second.holder() == str(os.getpid())
    first.release()
    assert not (tmp_path / LOCK_NAME).exists()
    assert second.acquire(), "free again after release"
    second.release()


def test_an_export_that_writes_nothing_leaves_no_folder_it_made(tmp_path, incident):
    from replay_viewer.export import ReportExport
    from replay_viewer.story import story_moments

    plan = plan_sequence(incident, frames=3)
    SequenceExport(FakeRenderer(), incident, plan, tmp_path / "new", SETTINGS).finish()
    assert not (tmp_path / "new").exists(), "a boot that failed: no empty folder left"
    ReportExport(incident, story_moments(incident), tmp_path / "report").close()
    assert not (tmp_path / "report").exists()
    (tmp_path / "mine").mkdir()
    SequenceExport(FakeRenderer(), incident, plan, tmp_path / "mine", SETTINGS).finish()
    assert (tmp_path / "mine").is_dir(), "a folder the user made stays"
    job = SequenceExport(FakeRenderer(), incident, plan, tmp_path / "done", SETTINGS)
    while job.done < job.total:
        job.step()
    job.finish()
    assert len(list((tmp_path / "done").glob("*.png"))) == 3


def test_second_export_into_the_same_folder_is_refused(tmp_path, incident):
    plan = plan_sequence(incident, frames=3)
    job = SequenceExport(FakeRenderer(), incident, plan, tmp_path, SETTINGS)
    with pytest.raises(OutputError, match="is in use by another export"):
        SequenceExport(FakeRenderer(), incident, plan, tmp_path, SETTINGS)
    job.finish()
    SequenceExport(FakeRenderer(), incident, plan, tmp_path, SETTINGS).finish()  # free again


# -- what may be written where -----------------------------------------------------------


def test_folder_rules(tmp_path):
    assert check_folder(tmp_path / "new").others == []
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "frame_00000.png").write_bytes(b"someone else's")  # no index of ours
    with pytest.raises(UsageError, match="--overwrite") as caught:
        check_folder(tmp_path)
    assert "notes.txt" in str(caught.value) and "frame_00000.png" in str(caught.value)
    assert check_folder(tmp_path, overwrite=True).others == ["frame_00000.png", "notes.txt"]
    with pytest.raises(UsageError, match=r"no frames\.json"):
        check_folder(tmp_path, resume=True)
    (tmp_path / "frames.json").write_text("[1, 2]", encoding="utf-8")  # not our index
    assert "frames.json" in check_folder(tmp_path, overwrite=True).others
    with pytest.raises(OutputError, match=r"notes\.txt is not a folder"):
        check_folder(tmp_path / "notes.txt")
    with pytest.raises(OutputError, match=r"notes\.txt is not a folder"):
        check_folder(tmp_path / "notes.txt" / "sub")


def test_our_previous_export_is_replaced_without_asking(tmp_path, incident):
    run(incident, tmp_path, 6)
    index = run(incident, tmp_path, 3)  # no --overwrite needed: the folder holds only ours
    assert index["complete"] and len(index["frames"]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "frame_00000.png", "frame_00001.png", "frame_00002.png", "frames.json"
    ]  # fmt: skip


def test_overwrite_replaces_our_files_and_leaves_others(tmp_path, incident):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError):
        run(incident, tmp_path, 2)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"], "nothing written"
    index = run(incident, tmp_path, 2, overwrite=True)
    assert index["complete"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_leftover_temp_files_of_a_killed_run_are_removed(tmp_path, incident):
    run(incident, tmp_path, 2)
    leftovers = [".frame_00001.png.k2j3h4.tmp", ".frames.json.abc123.tmp"]
    for name in leftovers:
        (tmp_path / name).write_bytes(b"partial")
    run(incident, tmp_path, 2)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- the index is the truth ----------------------------------------------------------------


def test_index_says_in_progress_before_the_first_frame_over_an_older_export(tmp_path, incident):
    run(incident, tmp_path, 6)
    assert read_index(tmp_path)["complete"] is True
    seen = []

    def before_frame(number):
        index = read_index(tmp_path)
        seen.append((number, index["complete"], len(index["frames"])))
        if number == 0:  # stale frames of the older export are gone before any new frame
            assert sorted(p.name for p in tmp_path.glob("frame_*.png")) == [
                f"frame_{n:05d}.png" for n in range(3)
            ]

    plan = plan_sequence(incident, frames=3)
    job = SequenceExport(FakeRenderer(before_frame), incident, plan, tmp_path, SETTINGS)
    while not job.step():
        pass
    assert seen[0] == (0, False, 0), "in progress, nothing listed, before frame 0 is written"
    assert all(complete is False for _, complete, _ in seen)
    index = job.finish()
    assert index["complete"] is True and read_index(tmp_path) == index


def test_index_records_hash_and_options_and_keeps_the_old_fields(tmp_path, incident):
    import hashlib

    index = run(incident, tmp_path, 3)
    assert list(index)[:7] == ["incident", "title", "size", "pixel_ratio", "ghost",
                               "complete", "frames"]  # fmt: skip
    assert index["size"] == [160, 120] and index["pixel_ratio"] == 1.0
    assert index["incident_sha256"] == hashlib.sha256(BUNDLED.read_bytes()).hexdigest()
    assert index["options"] == {
        "size": [160, 120], "scale": 1, "ghost": True,
        "plan": {"frames": 3, "every": None, "count": 3},
    }  # fmt: skip
    assert index["frames"][1] == {"frame": 1, "file": "frame_00001.png", "t": 390.0,
                                  "timecode": "T+06:30"}  # fmt: skip


def test_index_updates_are_throttled(tmp_path, incident):
    clock = FakeClock()
    plan = plan_sequence(incident, frames=10)
    job = SequenceExport(
        FakeRenderer(), incident, plan, tmp_path, SETTINGS, clock=clock, pipeline_depth=0
    )
    job.step()  # in-progress index + frame 0
    assert job.index_writes == 1 and read_index(tmp_path)["frames"] == []
    clock.now = 0.2
    job.step()
    assert job.index_writes == 1, "not every frame"
    clock.now = 0.6
    job.step()
    assert job.index_writes == 2 and len(read_index(tmp_path)["frames"]) == 3
    while not job.step():
        pass
    job.finish()
    assert job.index_writes == 3 and read_index(tmp_path)["complete"] is True


def test_a_cancel_before_the_first_frame_leaves_the_old_index(tmp_path, incident):
    run(incident, tmp_path, 4)
    before = (tmp_path / "frames.json").read_bytes()
    run(incident, tmp_path, 2, stop_after=0)
    assert (tmp_path / "frames.json").read_bytes() == before


def test_resume_finishes_with_the_same_bytes(tmp_path, incident):
    whole, part = tmp_path / "whole", tmp_path / "part"
    run(incident, whole, 6)
    stopped = run(incident, part, 6, stop_after=2)
    assert stopped["complete"] is False and len(stopped["frames"]) == 2
    (part / "frame_00005.png").write_bytes(b"garbage a kill left unlisted")
    index = run(incident, part, 6, resume=True)
    assert index["complete"] is True
    for name in sorted(p.name for p in whole.iterdir()):
        assert (part / name).read_bytes() == (whole / name).read_bytes(), name
    assert sorted(p.name for p in part.iterdir()) == sorted(p.name for p in whole.iterdir())


def test_resume_refuses_another_export(tmp_path, incident):
    run(incident, tmp_path, 4, stop_after=1)
    with pytest.raises(UsageError, match="other options"):
        run(incident, tmp_path, 5, resume=True)
    previous = read_index(tmp_path)
    names = plan_sequence(incident, frames=4).names()
    other_file = {**previous, "incident_sha256": "0" * 64}
    with pytest.raises(UsageError, match="another incident file"):
        resume_point(other_file, previous, tmp_path, names)
    legacy = {k: previous[k] for k in ("incident", "title", "size", "pixel_ratio", "ghost",
                                       "complete", "frames")}  # fmt: skip
    with pytest.raises(UsageError, match="older replay-viewer"):
        resume_point(legacy, previous, tmp_path, names)
    (tmp_path / "frame_00000.png").unlink()
    assert resume_point(previous, previous, tmp_path, names) == 0, "a missing frame is redone"


# -- the window's export dialog ---------------------------------------------------------------


def test_export_conflict_says_what_is_there(tmp_path):
    assert export_conflict(tmp_path / "missing", sequence=True) is None
    assert export_conflict(tmp_path, sequence=True) is None
    (tmp_path / "frames.json").write_text(json.dumps({"incident": "x", "frames": []}),
                                          encoding="utf-8")  # fmt: skip
    assert "earlier export" in export_conflict(tmp_path, sequence=True)
    assert export_conflict(tmp_path, sequence=False) is None
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert "notes.txt" in export_conflict(tmp_path, sequence=False)


@pytest.fixture
def dialog_gui(incident):
    from replay_viewer.app.state import AppState

    from .gui_driver import GuiDriver

    state = AppState(clock=lambda: 50.0)
    state.set_incident(incident, BUNDLED, keep_time=False)
    state.export.open = True
    driver = GuiDriver()
    yield state, driver
    driver.destroy()


def _dialog(state, gui, actions):
    from replay_viewer.app.dialogs import gui_overlays

    def draw():
        gui_overlays(state, gui.ui, actions)

    gui.frame(draw)
    gui.frame(draw)  # the dialog appears and settles
    return draw


def test_dialog_asks_before_a_sequence_into_a_folder_with_other_files(dialog_gui, tmp_path):
    from .gui_driver import RecordingActions

    state, gui = dialog_gui
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    state.export.folder = str(tmp_path)
    actions = RecordingActions()
    draw = _dialog(state, gui, actions)
    gui.click(draw, gui.center("export-sequence"))
    assert actions.calls == [], "nothing exported yet"
    assert state.export.confirm_kind == "sequence" and "notes.txt" in state.export.confirm
    gui.frame(draw)
    gui.click(draw, gui.center("export-keep"))  # Cancel
    assert actions.calls == [] and state.export.confirm_kind == ""
    assert not state.export.overwrite
    gui.frame(draw)
    gui.click(draw, gui.center("export-sequence"))
    gui.frame(draw)
    gui.click(draw, gui.center("export-replace"))
    assert actions.names() == ["start_sequence_export"]
    assert state.export.overwrite, "the export this click starts may replace files"


def test_dialog_frame_export_asks_once_per_folder(dialog_gui, tmp_path):
    from .gui_driver import RecordingActions

    state, gui = dialog_gui
    actions = RecordingActions()
    state.export.folder = str(tmp_path / "empty")
    draw = _dialog(state, gui, actions)
    gui.click(draw, gui.center("export-frame"))
    assert actions.names() == ["export_frame"], "a missing or empty folder: no question"
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    state.export.folder = str(tmp_path)
    gui.frame(draw)
    gui.click(draw, gui.center("export-frame"))
    assert actions.names() == ["export_frame"] and state.export.confirm_kind == "frame"
    gui.frame(draw)
    gui.click(draw, gui.center("export-replace"))
    gui.frame(draw)
    gui.click(draw, gui.center("export-frame"))
    assert actions.names() == ["export_frame"] * 3, "asked once for this folder"


def test_a_slow_index_update_waits_longer(tmp_path, incident, monkeypatch):
    from replay_viewer.export import sequence

    clock = FakeClock()
    real_write = sequence.write_json_atomic

    def slow_write(path, data):  # a long list: each update takes 0.2 s
        clock.now += 0.2
        real_write(path, data)

    monkeypatch.setattr(sequence, "write_json_atomic", slow_write)
    plan = plan_sequence(incident, frames=10)
    job = SequenceExport(FakeRenderer(), incident, plan, tmp_path, SETTINGS, clock=clock)
    job.step()  # the in-progress index: next update not before 0.2 + 10 × 0.2 s
    clock.now = 1.0
    job.step()
    assert job.index_writes == 1, "0.5 s passed, but the update costs 0.2 s: wait 2 s"
    clock.now = 2.3
    job.step()
    assert job.index_writes == 2
    job.finish()
