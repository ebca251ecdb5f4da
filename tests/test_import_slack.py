"""``import slack``: a workspace export's pinned and reacted messages become events, their
markup plain text, merged into an incident whose every other byte is kept."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from replay_viewer.importers.slack_markup import slack_to_text
from replay_viewer.importers.writer import quote

from .import_helpers import IMPORT_DATA, import_fails, import_ok, imported_incident, only_added

EXPORT = IMPORT_DATA / "slack_export"
CHANNEL = "inc-4711-checkout"


def test_pinned_and_reacted_messages_become_events(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    stdout, _ = import_ok(
        "slack", str(EXPORT), "--into", str(incident), "--channel", CHANNEL,
        "--from", "T-10:00", "--kind-map", "rotating_light=alert,white_check_mark=resolve",
    )  # fmt: skip
    assert stdout == (
        f"{incident}: added 4 events from {EXPORT} (0 already there; kinds: alert, note, "
        "resolve)\n"
        f"  #{CHANNEL}: 4 messages of 8 pinned or with :pushpin:, :rotating_light:, "
        ":white_check_mark:\n"
    )
    # The bot's alert (its attachment's text), the pin from channels.json, a 📌 reaction,
    # and ✅ picking the kind; joins, notices and the day before (--from) are left out.
    assert only_added(before, incident.read_text(encoding="utf-8")) == (
        "events:\n"
        '  - {at: 52, kind: alert, title: "[FIRING:1] HighLatency api (page)", '
        'detail: "(alertmanager in #inc-4711-checkout)"}\n'
        '  - {at: 130, kind: note, title: "Root cause: the cache key prefix bump in v2.4.1 & '
        'no singleflight", detail: "Rolling back, @Jonas Weber please watch the hit rate '
        '(Priya in #inc-4711-checkout)"}\n'
        '  - {at: 205, kind: note, title: "Hit rate back above 70 % 📈 see #general", '
        'detail: "(Jonas Weber in #inc-4711-checkout)"}\n'
        '  - {at: 295, kind: resolve, title: "All clear ✅", '
        'detail: "(maya in #inc-4711-checkout)"}\n'
    )
    # Without --from the pin of the day before comes too; the rest is already there.
    stdout, _ = import_ok("slack", str(EXPORT), "--into", str(incident), "--channel", CHANNEL)
    assert "added 1 event from" in stdout and "3 already there" in stdout
    assert incident.read_text(encoding="utf-8").endswith(
        '  - {at: -41100, kind: note, title: "Planned: deploy v2.4.1 tomorrow 09:40 UTC", '
        'detail: "(Priya in #inc-4711-checkout)"}\n'
    )


def test_window_as_wall_clock_and_the_only_channel_by_default(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    shutil.rmtree(export / "general")
    incident = imported_incident(tmp_path)
    stdout, _ = import_ok(
        "slack", str(export), "--into", str(incident), "--reaction", ":pushpin:",
        "--from", "2025-06-03T09:42:00Z", "--to", "2025-06-03T09:44:00Z",
    )  # fmt: skip
    assert "added 2 events" in stdout  # the pinned root cause and the 📌 at T+03:25


def test_channel_choice_and_window_errors(tmp_path):
    incident = imported_incident(tmp_path)
    into = ("--into", str(incident))
    stderr = import_fails("slack", str(EXPORT), *into, code=2)
    assert "has 2 channels: pick with --channel (general, inc-4711-checkout)" in stderr
    stderr = import_fails("slack", str(EXPORT), *into, "--channel", "ops", code=2)
    assert "no channel #ops" in stderr
    stderr = import_fails("slack", str(EXPORT), *into, "--channel", "general", "--to", "noon",
                          code=2)  # fmt: skip
    assert "--to 'noon' is neither a timecode" in stderr


def test_nothing_chosen_is_an_error_and_writes_nothing(tmp_path):
    incident = imported_incident(tmp_path)
    before = incident.read_text(encoding="utf-8")
    stderr = import_fails(
        "slack", str(EXPORT), "--into", str(incident), "--channel", CHANNEL, "--from", "T+04:56"
    )
    assert stderr == (
        f"{EXPORT}: error: no message in #{CHANNEL} from T+04:56 to the end is pinned or "
        "carries :pushpin:; choose reactions with --reaction, or widen --from/--to\n"
    )
    assert incident.read_text(encoding="utf-8") == before


def broken_export(tmp_path, name: str, text: str):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    (export / name).write_text(text, encoding="utf-8")
    return export


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("users.json", '{"members": []}', "users.json:1:1: error: the top level: expected a list"),
        ("channels.json", '[{"id": "C1"}]', "channels.json:1:2: error: [0]: expected a channel"),
        (f"{CHANNEL}/2025-06-03.json", '[{"text": "x", "ts": 5}]',
         "2025-06-03.json:1:22: error: [0].ts: expected 'ts', the message's epoch time"),
        (f"{CHANNEL}/2025-06-03.json", '[{"ts": "1748943730.1", "reactions": {}}]',
         "2025-06-03.json:1:38: error: [0].reactions: expected a list of {name, users, count}"),
        (f"{CHANNEL}/2025-06-03.json",
         '[{"ts": "1748943720.0001", "pinned_to": ["C1"], "attachments": "x"}]',
         "2025-06-03.json:1:64: error: [0].attachments: expected a list of attachments"),
        (f"{CHANNEL}/2025-06-03.json",
         '[{"ts": "1748943720.0001", "pinned_to": ["C1"], "text": "hi", "files": {}}]',
         "2025-06-03.json:1:72: error: [0].files: expected a list of files"),
        (f"{CHANNEL}/2025-06-03.json", '{"ok": false}',
         "2025-06-03.json:1:1: error: the top level: expected a list of messages"),
    ],
)  # fmt: skip
def test_wrong_shapes_are_positioned(tmp_path, name, text, where):
    export = broken_export(tmp_path, name, text)
    incident = imported_incident(tmp_path)
    stderr = import_fails("slack", str(export), "--into", str(incident), "--channel", CHANNEL)
    assert stderr.startswith(f"{export}/") and where in stderr, stderr


def test_a_file_is_not_an_export(tmp_path):
    incident = imported_incident(tmp_path)
    stderr = import_fails("slack", str(EXPORT / "users.json"), "--into", str(incident))
    assert "expected the folder of an unzipped Slack export" in stderr


def test_authors_fall_back_to_the_message_profile_and_bots(tmp_path):
    export = broken_export(tmp_path, f"{CHANNEL}/2025-06-03.json", json.dumps([
        {"user": "U09GUEST", "text": "guest here", "ts": "1748943700.000100",
         "user_profile": {"display_name": "", "real_name": "Sam Guest"}, "pinned_to": ["C"]},
        {"user": "U01PRIYA", "text": "", "ts": "1748943710.000100", "pinned_to": ["C"],
         "files": [{"name": "flamegraph.svg", "title": "Flame graph <@U02JONAS>"}]},
    ]))  # fmt: skip
    incident = imported_incident(tmp_path)
    import_ok("slack", str(export), "--into", str(incident), "--channel", CHANNEL,
              "--from", "T+0")  # fmt: skip
    text = incident.read_text(encoding="utf-8")
    assert 'title: "guest here", detail: "(Sam Guest in #inc-4711-checkout)"' in text
    assert 'title: "Flame graph @Jonas Weber", detail: "(Priya in #inc-4711-checkout)"' in text


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("<@U1> and <@U2|bob>", "@Priya Raman and @bob"),
        ("<#C1|general> <#C2> <#C3>", "#general #ops #C3"),
        ("<https://x.example/a?b=1&amp;c=2|the runbook>", "the runbook"),
        ("<https://x.example/a> <mailto:oncall@x.example>", "https://x.example/a oncall@x.example"),
        ("<!here> <!channel> <!subteam^S1|@sre> <!date^1392734382^{date}|Feb 18>",
         "@here @channel @sre Feb 18"),
        (":fire: :pushpin: :+1::skin-tone-3: :not_an_emoji: at 09:41:00",
         "🔥 📌 👍 :not_an_emoji: at 09:41:00"),
        ("a &lt;b&gt; &amp;lt;c&amp;gt; &amp;amp;", "a <b> &lt;c&gt; &amp;"),
    ],
)  # fmt: skip
def test_slack_markup_to_text(markup, plain):
    users = {"U1": "Priya Raman"}
    assert slack_to_text(markup, users=users, channels={"C2": "ops"}) == plain


@pytest.mark.parametrize("text", ["📈 up", "a\\U0001F4C8b", "a\\\\📈", 'tab\t"q" \x85 🚨'])
def test_emoji_are_written_as_themselves_and_read_back(text):
    quoted = quote(text)
    assert yaml.safe_load(quoted) == text
    assert "\\U0001F" not in quoted.replace("\\\\U0001F", "")  # only the literal one
