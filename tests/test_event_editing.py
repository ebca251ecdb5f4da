"""Editing the timeline in the window's GUI, headless: a real Session and EditSession on a
copy of the bundled incident, ImGui run for real with synthetic input. The inline editor
(E, Enter, a refused edit with its reason), the event lane's gestures (click, drag to move,
double-click to edit, Alt+drag for a span), Delete / * / undo / redo / save through the
keymap, the title's unsaved mark, and every question: unsaved edits before quitting, the
file changed on disk, a read-only file (Save As), restoring a crash's edits."""

from __future__ import annotations

import difflib
import os
import shutil

import pytest
from imgui_bundle import imgui

from replay_viewer.app.chart_view import gui_chart
from replay_viewer.app.event_editor import gui_event_editor, gui_prompt
from replay_viewer.app.keymap import dispatch_key
from replay_viewer.app.session import Session
from replay_viewer.app.state import AppState
from replay_viewer.app.window import window_title
from replay_viewer.loader import load_incident
from replay_viewer.render.instances import event_clusters
from replay_viewer.render.layout import compute_layout

from .conftest import BUNDLED
from .gui_driver import GuiDriver


class _Renderer:
    def set_incident(self, incident) -> None:
        self.incident = incident


class _Chart:
    def invalidate(self) -> None:
        pass


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "stampede.yaml"
    shutil.copy(BUNDLED, path)
    state = AppState(clock=lambda: 0.0)
    state.set_incident(load_incident(path), path, keep_time=False)
    quits = []
    session = Session(state, path, request_draw=lambda: None, quit=lambda: quits.append(1),
                      background=False)  # fmt: skip
    session.attach(_Renderer(), _Chart(), None)
    gui = GuiDriver()
    yield state, session, gui, path, quits
    gui.destroy()


def draw_for(state, session, gui):
    def draw():
        imgui.begin("chart")
        gui_chart(state, gui.ui, session, 1200, 600)
        imgui.end()
        gui_event_editor(state, gui.ui, session)
        gui_prompt(state, gui.ui, session)

    return draw


def lay_out(state, gui) -> None:
    width, height = gui.ui.chart_size
    gui.ui.chart_layout = compute_layout(state.incident, int(width), int(height), chrome=False)


def key(state, session, name: str, *modifiers: str) -> None:
    dispatch_key(name, modifiers, state, session)


def test_e_adds_an_event_at_the_playhead_and_ctrl_s_saves_only_its_lines(app):
    state, session, gui, path, _ = app
    before = path.read_text(encoding="utf-8")
    state.seek(300.0)
    key(state, session, "e")
    draw = draw_for(state, session, gui)
    gui.frame(draw)
    assert state.edits.editor.open and "editor-title" in gui.ui.rects
    assert state.edits.editor.fields.at == "T+05:00"
    gui.frame(draw)  # the title field asks for the keyboard (not on the first frame: the
    gui.frame(draw)  # E that opened it is still queued) and has it on the next
    # The title field has the keyboard: typing goes there, Enter confirms.
    io = imgui.get_io()
    for character in "Flag reverted":
        io.add_input_character(ord(character))
    gui.frame(draw)
    io.add_key_event(imgui.Key.enter, True)
    gui.frame(draw)
    io.add_key_event(imgui.Key.enter, False)
    gui.frame(draw)
    assert not state.edits.editor.open, state.edits.editor.error
    added = [e for e in state.incident.events if e.title == "Flag reverted"]
    assert len(added) == 1 and added[0].at == 300.0
    assert (
        state.edits.dirty
        and "● " in window_title(state)
        and "(unsaved edits)" in (window_title(state))
    )
    key(state, session, "s", "Control")
    assert not state.edits.dirty and "●" not in window_title(state)
    after = path.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    changed = [line for line in diff[2:] if not line.startswith("@@")]
    assert changed == ["+  - at: T+05:00", "+    kind: note", "+    title: Flag reverted"]
    assert all(line in after for line in before.splitlines() if line.startswith("#"))


def test_an_invalid_edit_is_refused_in_the_editor_with_the_reason(app):
    state, session, gui, path, _ = app
    draw = draw_for(state, session, gui)
    state.edits.editor.start_add(120.0)
    fields = state.edits.editor.fields
    fields.title, fields.until = "Backwards", "T+01:00"
    gui.frame(draw)
    gui.frame(draw)  # an auto-sized window takes its size (and place) on its second frame
    gui.click(draw, gui.center("editor-ok"))
    gui.frame(draw)
    assert state.edits.editor.open, "a refused edit keeps the editor open"
    assert "is before its 'at'" in gui.ui.texts["editor-error"]
    assert not state.edits.dirty and path.read_text(encoding="utf-8") == BUNDLED.read_text(
        encoding="utf-8"
    )
    fields.title = ""
    fields.until = ""
    gui.click(draw, gui.center("editor-ok"))
    assert state.edits.editor.error == "an event needs a title"


def _glyph_point(state, gui, title: str):
    layout = gui.ui.chart_layout
    ox, oy = gui.ui.chart_origin
    pr = layout.pixel_ratio
    for x, events in event_clusters(state.incident, layout):
        if events[0].title == title:
            return ox + x / pr, oy + layout.event_lane_y / pr
    raise AssertionError(title)


def test_dragging_a_glyph_moves_its_event_and_undo_puts_it_back(app):
    state, session, gui, _path, _ = app
    draw = draw_for(state, session, gui)
    gui.frame(draw)
    lay_out(state, gui)
    x, y = _glyph_point(state, gui, "Root cause confirmed")  # T+03:30
    gui.frame(draw, mouse=(x, y))
    gui.frame(draw, button=True)
    layout = gui.ui.chart_layout
    target = x + (layout.to_x(240.0) - layout.to_x(210.0)) / layout.pixel_ratio  # +30 s
    for step in range(1, 6):
        gui.frame(draw, mouse=(x + (target - x) * step / 5, y))
    gui.frame(draw, button=False)
    moved = next(e for e in state.incident.events if e.title == "Root cause confirmed")
    assert abs(moved.at - 240.0) < 2.0, moved.at
    assert state.edits.undo_label is not None
    key(state, session, "z", "Control")
    back = next(e for e in state.incident.events if e.title == "Root cause confirmed")
    assert back.at == 210.0 and not state.edits.dirty
    key(state, session, "y", "Control")
    assert state.edits.dirty


def test_double_click_edits_a_glyph_and_a_click_selects_it_for_delete_and_star(app):
    state, session, gui, _path, _ = app
    draw = draw_for(state, session, gui)
    gui.frame(draw)
    lay_out(state, gui)
    point = _glyph_point(state, gui, "Mitigation rolled")
    gui.click(draw, point)
    assert state.edits.selected.title == "Mitigation rolled" and state.t == 300.0
    key(state, session, "*", "Shift")
    assert next(e for e in state.incident.events if e.title == "Mitigation rolled").star
    gui.frame(draw, mouse=point)
    for _ in range(2):  # a double-click: two presses in quick succession
        gui.frame(draw, button=True)
        gui.frame(draw, button=False)
    assert state.edits.editor.open and state.edits.editor.event.title == "Mitigation rolled"
    state.edits.editor.close()
    key(state, session, "Delete")
    assert "Mitigation rolled" not in [e.title for e in state.incident.events]


def test_alt_drag_on_the_lane_drags_out_a_span(app):
    state, session, gui, _path, _ = app
    draw = draw_for(state, session, gui)
    gui.frame(draw)
    lay_out(state, gui)
    layout = gui.ui.chart_layout
    ox, oy = gui.ui.chart_origin
    pr = layout.pixel_ratio
    y = oy + layout.event_lane_y / pr
    x0, x1 = (ox + layout.to_x(t) / pr for t in (400.0, 460.0))
    io = imgui.get_io()
    gui.frame(draw, mouse=(x0, y))
    io.add_key_event(imgui.Key.mod_alt, True)
    gui.frame(draw, button=True)
    for step in range(1, 5):
        gui.frame(draw, mouse=(x0 + (x1 - x0) * step / 4, y))
    gui.frame(draw, button=False)
    io.add_key_event(imgui.Key.mod_alt, False)
    editor = state.edits.editor
    assert editor.open and editor.event is None
    fields = editor.fields.parsed()
    assert abs(fields["at"] - 400) < 3 and abs(fields["until"] - 460) < 3


def test_quitting_with_unsaved_edits_asks_and_each_answer_does_what_it_says(app):
    state, session, gui, path, quits = app
    draw = draw_for(state, session, gui)
    session.edit_event("star", state.incident.events[0])
    session.quit()
    assert state.edits.prompt.kind == "unsaved" and quits == []
    gui.frame(draw)
    assert "unsaved edits before quitting" in gui.ui.texts["prompt-detail"]
    gui.click(draw, gui.center("answer-cancel"))
    assert quits == [] and state.edits.dirty
    session.quit()
    gui.frame(draw)
    gui.click(draw, gui.center("answer-save"))
    assert quits == [1] and not state.edits.dirty
    assert "star: true" in path.read_text(encoding="utf-8")


def test_a_file_changed_on_disk_with_unsaved_edits_is_a_choice(app):
    state, session, _gui, path, _ = app
    session.edit_event("star", state.incident.events[0])
    theirs = path.read_text(encoding="utf-8").replace("title: Cache Stampede During Deploy",
                                                      "title: Theirs")  # fmt: skip
    path.write_text(theirs, encoding="utf-8")
    os.utime(path, (1, 1))  # a different mtime whatever the clock's resolution
    session.check_file()
    assert state.edits.prompt.kind == "conflict", "never a silent reload over my edits"
    assert state.incident.title == "Cache Stampede During Deploy"
    session.answer("save_as")
    assert state.edits.prompt.kind == "save_as" and state.edits.prompt.path.endswith(
        "stampede-mine.yaml"
    )
    session.answer("save_as")
    mine = path.with_name("stampede-mine.yaml")
    assert "star: true" in mine.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == theirs, "theirs untouched"
    assert state.path == mine


def test_a_read_only_file_offers_save_as_and_keeps_the_edits(app):
    state, session, _gui, path, _ = app
    session.edit_event("star", state.incident.events[0])
    path.chmod(0o444)
    try:
        assert not session.save()
        assert state.edits.prompt.kind == "save_failed" and state.edits.dirty
        session.answer("save_as")
        saved = path.with_name("stampede-edited.yaml")
        assert "star: true" in saved.read_text(encoding="utf-8")
    finally:
        path.chmod(0o644)


def test_a_crashed_sessions_edits_are_offered_back(app, tmp_path):
    state, session, _gui, path, _ = app
    session.edit_event("star", state.incident.events[0])
    session.edit_event("remove", state.incident.events[-1])
    # The window dies without saving: a new one on the same file finds the edits.
    again = AppState(clock=lambda: 0.0)
    again.set_incident(load_incident(path), path, keep_time=False)
    second = Session(again, path, request_draw=lambda: None, quit=lambda: None,
                     background=False)  # fmt: skip
    second.attach(_Renderer(), _Chart(), None)
    assert again.edits.prompt.kind == "restore"
    assert "2 unsaved edits" in again.edits.prompt.detail
    second.answer("restore")
    assert again.incident.events[0].star and again.edits.dirty
    assert len(again.incident.events) == len(state.incident.events)
