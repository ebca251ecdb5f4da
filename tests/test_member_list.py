"""Groups in the window's GUI, headless: the group's legend entry opens its member list;
the list sorts by value at the playhead (worst first) or by name, filters, and shows,
hides, isolates and highlights members; hovering a line names its member. Pure helpers of
app/series_view.py are checked directly."""

from __future__ import annotations

import numpy as np
import pytest

from replay_viewer.app.member_list import gui_member_list
from replay_viewer.app.series_view import MemberList, member_rows, toggled
from replay_viewer.app.state import AppState
from replay_viewer.app.viewer import gui_viewer
from replay_viewer.groups import group_reading, member_values, worst_members
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.series_geometry import line_point
from replay_viewer.timecode import parse_timecode

from .fleet_data import fleet_incident
from .gui_driver import GuiDriver, RecordingActions


@pytest.fixture
def state():
    state = AppState(clock=lambda: 50.0)
    state.set_incident(fleet_incident(), None, keep_time=False)
    state.seek(450.0)
    return state


@pytest.fixture
def gui():
    driver = GuiDriver()
    yield driver
    driver.destroy()


def draw_all(state, gui, actions):
    def draw():
        gui_viewer(state, gui.ui, actions)
        gui_member_list(state, gui.ui)

    return draw


def lay_out(state, gui):
    width, height = gui.ui.chart_size
    gui.ui.chart_layout = compute_layout(state.incident, int(width), int(height), chrome=False,
                                         hidden=state.hidden)  # fmt: skip


def test_worst_members_and_the_groups_reading(state):
    incident, entry = state.incident, state.incident.entries[0]
    values = member_values(incident, entry.members, 450.0)
    worst = worst_members(incident, entry, 450.0)
    assert len(worst) == 3
    assert [values[entry.members.index(i)] for i in worst] == sorted(values, reverse=True)[:3]
    reading = group_reading(incident, entry, 450.0)
    low, middle, high = np.min(values), np.median(values), np.max(values)
    assert reading == f"min {low:.0f} · med {middle:.0f} · max {high:.0f} ms"
    hidden = frozenset(incident.series[i].id for i in worst)
    assert not set(worst) & set(worst_members(incident, entry, 450.0, hidden=hidden))


def test_member_rows_sort_and_filter(state):
    incident, entry = state.incident, state.incident.entries[0]
    rows = member_rows(incident, entry, 450.0, MemberList(), frozenset(), frozenset())
    values = [row.value for row in rows]
    assert values == sorted(values, reverse=True) and len(rows) == 40
    by_name = member_rows(incident, entry, 450.0, MemberList(sort="name", descending=False),
                          frozenset(), frozenset())  # fmt: skip
    assert [row.label for row in by_name] == sorted(row.label for row in rows)
    filtered = member_rows(incident, entry, 450.0, MemberList(filter="API-3"), frozenset(),
                           frozenset())  # fmt: skip
    assert {row.label for row in filtered} == {"pod=api-3"} | {f"pod=api-3{k}" for k in range(10)}


def test_toggling_never_hides_everything():
    ids = {"a", "b", "c"}
    assert toggled(ids, frozenset(), {"a", "b"}, isolate=False) == {"a", "b"}
    assert toggled(ids, frozenset({"a", "b"}), {"a", "b"}, isolate=False) == frozenset()
    assert toggled(ids, frozenset({"c"}), {"a", "b"}, isolate=False) == frozenset()
    assert toggled(ids, frozenset(), {"a"}, isolate=True) == {"b", "c"}
    assert toggled(ids, frozenset({"b", "c"}), {"a"}, isolate=True) == frozenset()


def test_the_group_legend_entry_opens_its_member_list(state, gui):
    actions = RecordingActions()
    draw = draw_all(state, gui, actions)
    gui.frame(draw)
    lay_out(state, gui)
    layout = gui.ui.chart_layout
    cell = layout.legend[0]
    assert state.incident.entries[cell.entry].grouped
    ox, oy = gui.ui.chart_origin
    gui.click(draw, (ox + cell.x + 30, oy + cell.y))
    assert state.members.group == "p99 by pod"
    assert state.hidden == frozenset(), "a group's click opens its list, hides nothing"
    gui.frame(draw)
    assert "members" in gui.ui.rects and len(gui.ui.shown_rows) == 40
    # Worst first: the list's first rows are the highlighted three.
    worst = worst_members(state.incident, state.incident.entries[0], state.t)
    assert gui.ui.shown_rows[:3] == [state.incident.series[i].label for i in worst]

    # Star a member: it is highlighted (drawn bright, labelled) beside the worst three.
    ranked = worst_members(state.incident, state.incident.entries[0], state.t, count=5)
    fourth, fifth = (state.incident.series[i].id for i in ranked[3:])
    gui.click(draw, gui.center(f"member-star:{fourth}"))
    assert state.highlight == {fourth}
    # Untick one: hidden, and the legend counts what shows.
    gui.click(draw, gui.center(f"member-shown:{fifth}"))
    assert state.hidden == {fifth}
    # "Show only these" with everything listed: the group alone (the hit rate hides).
    gui.click(draw, gui.center("members-only"))
    assert state.hidden == {"hit_rate"}
    gui.click(draw, gui.center("members-clear"))
    assert state.highlight == frozenset()


def test_hovering_a_line_names_its_member(state, gui):
    actions = RecordingActions()
    draw = draw_all(state, gui, actions)
    gui.frame(draw)
    lay_out(state, gui)
    layout = gui.ui.chart_layout
    incident = state.incident
    pr = layout.pixel_ratio

    def y_at(index, t):
        series = incident.series[index]
        return layout.axis_for(series.id).to_y(line_point(series.times, series.values, t)[1])

    # A time where the highest pod's line stands 12 points clear of every other line.
    members = incident.entries[0].members
    for t in np.arange(300.0, 900.0, 7.0):
        ys = sorted((y_at(i, t), i) for i in members)
        if (ys[1][0] - ys[0][0]) / pr > 12:
            break
    else:
        pytest.fail("no time where one line stands apart")
    y, index = ys[0]
    series = incident.series[index]
    x, y = layout.to_x(t) / pr, y / pr
    ox, oy = gui.ui.chart_origin
    for _ in range(3):
        gui.frame(draw, mouse=(ox + x, oy + y))
    assert state.hover_series == series.id
    assert abs(parse_timecode(gui.ui.tooltip.split()[0]) - t) <= 2, "the crosshair's time"
