"""The round-trip writer: an event added, changed, moved or removed in the text, and nothing
else touched (comments, key order, quoting, layout), in every layout of the events list."""

from __future__ import annotations

import difflib
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replay_viewer.edit import EditRefusedError, EditSession, EventFields
from replay_viewer.edit.writer import EventWriter
from replay_viewer.loader import parse_incident

from .conftest import REPO

HEAD = "title: Writer  # the title\nseries:\n  - id: a\n    samples: [[0, 1], [600, 2]]\n"
FLAG = EventFields(at=300, title="Flag reverted", kind="mitigate")


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(tmp_path / "state"))


def session_on(tmp_path, text: str, name: str = "i.yaml") -> EditSession:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return EditSession.open(path)


def diff(before: str, after: str) -> list[str]:
    """The changed lines, ``-old`` and ``+new``, without context."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("---", "+++")]


# -- adding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "added"),
    [
        # block mappings: the new event's keys in the file's order and indentation
        ("cache-stampede.yaml", ["+  - at: T+05:00", "+    kind: mitigate",
                                 "+    title: Flag reverted"]),
        # one-line flow mappings
        ("checkout-flag.yaml", ["+  - {at: T+05:00, kind: mitigate, title: Flag reverted}"]),
        ("dense-scrape.yaml", ["+  - {at: T+05:00, kind: mitigate, title: Flag reverted}"]),
    ],
)  # fmt: skip
def test_adding_an_event_to_a_bundled_incident_adds_only_its_lines(tmp_path, name, added):
    text = (REPO / "incidents" / name).read_text(encoding="utf-8")
    if name == "dense-scrape.yaml":  # its data file stays where it is
        shutil.copy(REPO / "incidents" / "dense-scrape-p99.npy", tmp_path)
    session = session_on(tmp_path, text, name)
    event = session.add(FLAG)
    session.save()
    after = (tmp_path / name).read_text(encoding="utf-8")
    assert diff(text, after) == added
    # In time order: after the last event before T+05:00.
    before = [e for e in session.incident.events if e.at < 300][-1]
    assert event.line > before.line
    assert session.incident.events[len([e for e in session.incident.events if e.at <= 300]) - 1] \
        == event  # fmt: skip


LAYOUTS = {
    "comments kept": (
        HEAD + "\nevents:  # the timeline\n"
        "  - {at: T+00:00, kind: deploy, title: Flag pushed}  # first\n"
        "  # the revert, later\n"
        "  - {at: T+08:00, kind: mitigate, title: 'Flag off'}\n\n"
        "outcomes:\n  - {value: 9 min, label: TTR}  # declared\n",
        ["+  - {at: T+05:00, kind: mitigate, title: Flag reverted}"],
    ),
    "indentless block mappings": (
        HEAD + "events:\n- at: 10\n  title: first\n  detail: |\n    line one\n\n"
        "- title: second\n  at: 500\n",
        ["+- at: 300", "+  title: Flag reverted", "+  kind: mitigate"],  # its neighbour's order
    ),
    "wide block mappings": (
        HEAD + "events:\n    -   at: 10\n        title: first\n",
        ["+    -   at: 300", "+        title: Flag reverted", "+        kind: mitigate"],
    ),
    "one-line flow list": (
        HEAD + "events: [{at: 1, title: a}, {at: 500, title: b}]\n",
        ["-events: [{at: 1, title: a}, {at: 500, title: b}]",
         "+events: [{at: 1, title: a}, {at: 300, title: Flag reverted, kind: mitigate}, "
         "{at: 500, title: b}]"],
    ),
    "flow list over lines": (
        HEAD + "events: [\n    {at: 1, title: a},\n    {at: 500, title: b}\n]\n",
        ["+    {at: 300, title: Flag reverted, kind: mitigate},"],
    ),
    "empty flow list": (
        HEAD + "events: []  # none yet\n",
        ["-events: []  # none yet",
         "+events: [{at: T+05:00, kind: mitigate, title: Flag reverted}]  # none yet"],
    ),
    "no events yet": (
        HEAD + "\nactions:\n  - Reverted it.\n# the end\n",
        ["+", "+events:", "+  - {at: T+05:00, kind: mitigate, title: Flag reverted}"],
    ),
    "no events, no final line break": (
        HEAD.rstrip("\n"),
        ["+events:", "+  - {at: T+05:00, kind: mitigate, title: Flag reverted}"],
    ),
    "a flow mapping for the whole incident": (
        "{title: t, series: [{id: a, samples: [[0, 1]]}]}\n",
        ["-{title: t, series: [{id: a, samples: [[0, 1]]}]}",
         "+{title: t, series: [{id: a, samples: [[0, 1]]}], events: [{at: T+05:00, kind: "
         "mitigate, title: Flag reverted}]}"],
    ),
    "events out of time order": (
        HEAD + "events:\n  - {at: 500, title: late}\n  - {at: 10, title: early}\n",
        ["+  - {at: 300, title: Flag reverted, kind: mitigate}"],  # at the end
    ),
}  # fmt: skip


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_adding_keeps_every_layout(tmp_path, layout):
    text, expected = LAYOUTS[layout]
    session = session_on(tmp_path, text)
    event = session.add(FLAG)
    assert diff(text, session.text) == expected
    assert (event.at, event.title, event.kind) == (300, "Flag reverted", "mitigate")
    if layout == "events out of time order":
        assert session.text.endswith("  - {at: 300, title: Flag reverted, kind: mitigate}\n")
    assert session.undo() == "Add event 'Flag reverted'"
    assert session.text == text


def test_crlf_files_stay_crlf(tmp_path):
    text = HEAD.replace("\n", "\r\n") + "events:\r\n  - at: 1\r\n    title: a\r\n"
    session = session_on(tmp_path, text)
    event = session.add(EventFields(at=2, title="b", detail="more", star=True))
    assert session.text == text + "  - at: 2\r\n    title: b\r\n    kind: note\r\n" \
        "    detail: more\r\n    star: true\r\n"  # fmt: skip
    session.update(event, detail="", until=5)
    assert "\n" not in session.text.replace("\r\n", "")


# -- changing -------------------------------------------------------------------------------

BLOCK = HEAD + (
    "events:\n"
    "  # deploys\n"
    "  - at: T+00:00  # the push\n"
    "    kind: deploy\n"
    '    title: "Flag pushed"\n'
    "    detail: >\n"
    "      pricing.fanout=2\n"
    "      to all of checkout\n"
    "\n"
    "  - at: T+03:10\n"
    "    title: Flag reverted\n"
)
FLOW = HEAD + (
    "events:\n"
    "  - {at: 0, kind: deploy, title: 'Flag pushed', detail: pricing.fanout=2}  # push\n"
    "  - {at: 190, title: Flag reverted}\n"
)


@pytest.mark.parametrize(
    ("layout", "changes", "expected"),
    [
        (BLOCK, {"title": "Flag pushed to 100%"}, ['-    title: "Flag pushed"',
                                                  '+    title: "Flag pushed to 100%"']),
        (BLOCK, {"at": 5.5}, ["-  - at: T+00:00  # the push", "+  - at: T+00:05.5  # the push"]),
        (BLOCK, {"detail": "one line"}, ["-    detail: >", "-      pricing.fanout=2",
                                         "-      to all of checkout", "+    detail: one line"]),
        (BLOCK, {"detail": ""}, ["-    detail: >", "-      pricing.fanout=2",
                                 "-      to all of checkout"]),
        (BLOCK, {"kind": "alert", "until": 60, "star": True},
         ["-    kind: deploy", "+    kind: alert", "+    until: T+01:00", "+    star: true"]),
        (FLOW, {"title": "it's pushed"}, [
            "-  - {at: 0, kind: deploy, title: 'Flag pushed', detail: pricing.fanout=2}  # push",
            "+  - {at: 0, kind: deploy, title: 'it''s pushed', detail: pricing.fanout=2}  # push"]),
        (FLOW, {"detail": "", "at": 12, "star": True}, [
            "-  - {at: 0, kind: deploy, title: 'Flag pushed', detail: pricing.fanout=2}  # push",
            "+  - {at: 12, kind: deploy, title: 'Flag pushed', star: true}  # push"]),
        (FLOW, {"kind": "note"}, [
            "-  - {at: 0, kind: deploy, title: 'Flag pushed', detail: pricing.fanout=2}  # push",
            "+  - {at: 0, kind: note, title: 'Flag pushed', detail: pricing.fanout=2}  # push"]),
    ],
)  # fmt: skip
def test_changing_an_event_changes_only_its_values(tmp_path, layout, changes, expected):
    session = session_on(tmp_path, layout)
    pushed = session.incident.events[0]
    changed = session.update(pushed, **changes)
    assert diff(layout, session.text) == expected
    for key, value in changes.items():
        assert getattr(changed, key) == value
    assert (changed.line, changed.column) == (pushed.line, pushed.column)
    session.undo()
    assert session.text == layout


def test_a_key_on_the_dash_line_can_go(tmp_path):
    text = HEAD + "events:\n  - detail: first\n    at: 1\n    title: a\n"
    session = session_on(tmp_path, text)
    session.update(session.incident.events[0], detail="")
    assert diff(text, session.text) == ["-  - detail: first", "-    at: 1", "+  - at: 1"]


def test_moving_a_span_keeps_its_length_and_stars_toggle(tmp_path):
    session = session_on(tmp_path, HEAD + "events:\n  - {at: 60, title: span, until: 120}\n")
    moved = session.move(session.incident.events[0], 90)
    assert (moved.at, moved.until) == (90, 150)
    starred = session.toggle_star(moved)
    assert starred.star and session.text.endswith("{at: 90, title: span, until: 150, star: true}\n")
    assert not session.toggle_star(starred).star
    assert session.text.endswith("{at: 90, title: span, until: 150}\n")
    assert [session.undo() for _ in range(3)] == [
        "Unstar event 'span'", "Star event 'span'", "Move event 'span'"
    ]  # fmt: skip


# -- removing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BLOCK, ["-  - at: T+03:10", "-    title: Flag reverted"]),
        (FLOW, ["-  - {at: 190, title: Flag reverted}"]),
        (HEAD + "events: [{at: 1, title: a}, {at: 190, title: Flag reverted}]\n",
         ["-events: [{at: 1, title: a}, {at: 190, title: Flag reverted}]",
          "+events: [{at: 1, title: a}]"]),
        (HEAD + "events:  # kept\n  - {at: 190, title: Flag reverted}  # gone\n",
         ["-  - {at: 190, title: Flag reverted}  # gone", "+  []"]),
        (HEAD + "events: [{at: 190, title: Flag reverted}]\n",
         ["-events: [{at: 190, title: Flag reverted}]", "+events: []"]),
    ],
)  # fmt: skip
def test_removing_takes_out_only_the_event(tmp_path, text, expected):
    session = session_on(tmp_path, text)
    reverted = next(e for e in session.incident.events if e.title == "Flag reverted")
    session.remove(reverted)
    assert diff(text, session.text) == expected
    assert "Flag reverted" not in [e.title for e in session.incident.events]
    if expected[-1] == "+  []":  # and the next one goes where the last one was
        session.add(FLAG)
        assert session.text.endswith("events:  # kept\n  - {at: T+05:00, kind: mitigate, "
                                     "title: Flag reverted}\n")  # fmt: skip
        session.undo()
    session.undo()
    assert session.text == text


# -- undo and redo --------------------------------------------------------------------------


def test_undo_and_redo_give_back_the_identical_text(tmp_path):
    text = (REPO / "incidents" / "cache-stampede.yaml").read_text(encoding="utf-8")
    session = session_on(tmp_path, text)
    versions = [session.text]
    event = session.add(EventFields(at=61.25, title="Cache warmed: 40%", detail="by hand"))
    versions.append(session.text)
    for change in ({"star": True}, {"until": 120.5}, {"title": "Cache warmed"},
                   {"detail": ""}, {"kind": "recover"}):  # fmt: skip
        event = session.update(event, **change)
        versions.append(session.text)
    session.move(event, 30)
    versions.append(session.text)
    session.remove(session.incident.events[0])
    versions.append(session.text)
    for expected in reversed(versions[:-1]):
        session.undo()
        assert session.text == expected
    assert not session.can_undo and not session.dirty
    for expected in versions[1:]:
        session.redo()
        assert session.text == expected
    assert session.redo() is None and session.dirty


# -- refused edits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"until": 10}, "event 'Flag reverted' 'until' T+00:10 is before its 'at' T+03:10; "
                        "a span ends after it starts"),
        ({"kind": "mitgate"}, "event 2 'kind' must be one of deploy, detect, alert, diagnose, "
                              "mitigate, recover, resolve, note, got 'mitgate' (did you mean "
                              "'mitigate'?)"),
        ({"title": " "}, "event 2 'title' must not be empty"),
        ({"at": 3600}, "'duration' T+20:00 ends before the last sample or event at T+1:00:00"),
        ({"at": float("nan")}, "event 'at' must be a time in seconds, got nan"),
        ({"colour": "red"}, "an event has no field 'colour'; it has at, kind, title, detail, "
                            "until, star"),
    ],
)  # fmt: skip
def test_an_edit_that_would_make_the_file_invalid_is_refused_with_the_reason(
    tmp_path, change, reason
):
    text = BLOCK + "duration: 20m\n"
    session = session_on(tmp_path, text)
    event = session.incident.events[1]
    with pytest.raises(EditRefusedError) as refused:
        session.update(event, **change)
    assert refused.value.reasons == [reason]
    assert session.text == text and not session.dirty and not session.can_undo
    if "colour" not in change:
        with pytest.raises(EditRefusedError):
            session.add(EventFields.of(event).changed(**change))
        assert session.text == text


def test_aliased_events_are_refused_not_rewritten(tmp_path):
    text = HEAD + "events:\n  - &push {at: 1, title: push}\n  - *push\n"
    session = session_on(tmp_path, text)
    with pytest.raises(EditRefusedError, match="anchor"):
        session.update(session.incident.events[0], title="x")


# -- any text round-trips -------------------------------------------------------------------

TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXTS.filter(str.strip), detail=TEXTS)
def test_any_title_and_detail_read_back_as_written(title, detail):
    for text in (FLOW, BLOCK):
        writer = EventWriter(text)
        splice, _ = writer.add(EventFields(at=42, title=title, detail=detail))
        added = [e for e in parse_incident(splice.apply(text)).events if e.at == 42]
        assert [(e.title, e.detail) for e in added] == [(title, detail)]


@pytest.mark.parametrize(
    "title",
    ["yes", "null", "~", "404", "1e3", "#tag", "a: b", "- item", "[x]", "{x}", "x # y",
     "'quoted'", '"double"', "tab\there", "line\nbreak", "emoji 📈", "T+05:00", "&anchor",
     "*alias", "!tag", "%percent", "@at", "`tick", "trailing space "],
)  # fmt: skip
def test_awkward_titles_read_back(title):
    for text in (FLOW, BLOCK, HEAD + "events: [{at: 1, title: a}]\n"):
        splice, _ = EventWriter(text).add(EventFields(at=42, title=title))
        added = [e for e in parse_incident(splice.apply(text)).events if e.at == 42]
        assert [e.title for e in added] == [title]
