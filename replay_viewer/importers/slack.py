"""A Slack workspace export (the unzipped folder: ``channels.json``, ``users.json``, and a
folder per channel of ``YYYY-MM-DD.json`` day files) → events from the messages that matter.

A message becomes an event when it is pinned (its ``pinned_to``, or the channel's ``pins``
in ``channels.json``) or carries one of the chosen reactions; its kind comes from the first
of its reactions named in the kind map (else ``note``). The title is the first line of its
text with Slack's markup made plain (:mod:`.slack_markup`), the detail the rest and who
wrote it where: ``(Priya Raman in #inc-checkout)``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .common import ImportedEvent, ImportInputError, split_title
from .json_source import JsonSource
from .slack_markup import slack_to_text

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Choice", "SlackExport", "events_from_channel", "read_export"]

_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")
# Slack's own notices ("joined", "pinned a message"): never the message that matters.
_NOTICES = {"channel_join", "channel_leave", "pinned_item", "unpinned_item", "channel_topic",
            "channel_purpose", "channel_name", "bot_add", "bot_remove"}  # fmt: skip
_DAY = 86400.0


@dataclass
class SlackExport:
    root: Path
    users: dict[str, str]  # id → the name people see
    channels: dict[str, str]  # id → name
    pins: dict[str, set[str]] = field(default_factory=dict)  # name → pinned messages' ts


@dataclass(frozen=True)
class Choice:
    """Which messages become events: pinned ones, those with a reaction in ``reactions``
    or in ``kinds`` (reaction → event kind), between ``since`` and ``until`` (epoch s)."""

    reactions: frozenset[str]
    kinds: dict[str, str]
    since: float | None = None
    until: float | None = None

    def wanted(self, reaction: str) -> bool:
        return reaction in self.reactions or reaction in self.kinds


def read_export(root: Path) -> SlackExport:
    """The export's people and channels (``org_users.json`` in an Enterprise Grid export;
    private channels from ``groups.json`` when there)."""
    users_file = root / "users.json"
    if not users_file.exists() and (root / "org_users.json").exists():
        users_file = root / "org_users.json"
    export = SlackExport(root, {}, {})
    for record, where, doc in _records(users_file):
        export.users[_id(doc, where, record)] = _person(record)
    for name in ("channels.json", "groups.json"):
        if name == "channels.json" or (root / name).exists():
            for record, where, doc in _records(root / name):
                channel = record.get("name")
                if not isinstance(channel, str) or not channel:
                    raise doc.error(where, "expected a channel with its 'name'")
                export.channels[_id(doc, where, record)] = channel
                pins = record.get("pins") if isinstance(record.get("pins"), list) else []
                export.pins[channel] = {str(p.get("id")) for p in pins if isinstance(p, dict)}
    return export


def _records(path: Path) -> list[tuple[dict, tuple, JsonSource]]:
    doc = JsonSource.read(path)
    if not isinstance(doc.data, list):
        raise doc.error((), f"expected a list of records (Slack's {path.name})")
    for index, record in enumerate(doc.data):
        if not isinstance(record, dict):
            raise doc.error((index,), "expected an object with 'id' and 'name'")
    return [(record, (index,), doc) for index, record in enumerate(doc.data)]


def _id(doc: JsonSource, where: tuple, record: dict) -> str:
    value = record.get("id")
    if not isinstance(value, str) or not value:
        raise doc.error((*where, "id") if "id" in record else where, "expected its 'id' (text)")
    return value


def _person(record: dict) -> str:
    """``profile.display_name``, else the real name, else the user name."""
    profile = record.get("profile") if isinstance(record.get("profile"), dict) else {}
    for value in (profile.get("display_name"), profile.get("real_name"), record.get("real_name")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(record.get("name") or record.get("id"))


def events_from_channel(
    export: SlackExport, channel: str, choice: Choice
) -> tuple[list[ImportedEvent], int]:
    """The chosen messages of ``channel`` as events (sorted by time), and how many messages
    were read."""
    folder = export.root / channel
    if not folder.is_dir():
        raise ImportInputError(f"no folder for #{channel} in this export", str(export.root))
    events, read = [], 0
    for path in sorted(folder.iterdir()):
        if not _day_in_range(path.name, choice):
            continue
        doc = JsonSource.read(path)
        if not isinstance(doc.data, list):
            raise doc.error((), "expected a list of messages (a day of a Slack channel)")
        for index, message in enumerate(doc.data):
            read += 1
            event = _event(export, channel, doc, (index,), message, choice)
            if event is not None:
                events.append(event)
    return sorted(events, key=lambda e: e.at), read


def _day_in_range(name: str, choice: Choice) -> bool:
    """A day file that can hold messages in range (a day's margin: the export's days are
    in the exporting workspace's zone)."""
    match = _DAY_FILE.match(name)
    try:
        day = dt.datetime.fromisoformat(match.group(1)).replace(tzinfo=dt.UTC).timestamp()
    except (AttributeError, ValueError):  # not a day file (no match, or no such date)
        return False
    return not (
        (choice.since is not None and day + 2 * _DAY < choice.since)
        or (choice.until is not None and day - _DAY > choice.until)
    )


def _event(
    export: SlackExport, channel: str, doc: JsonSource, where: tuple, message: Any, choice: Choice
) -> ImportedEvent | None:
    if not isinstance(message, dict):
        raise doc.error(where, "expected a message (an object with 'ts' and 'text')")
    subtype = message.get("subtype")
    if isinstance(subtype, str) and subtype in _NOTICES:
        return None
    at = _ts(doc, where, message)
    if (choice.since is not None and at < choice.since) or (
        choice.until is not None and at > choice.until
    ):
        return None
    reactions = _reactions(doc, where, message)
    pinned = bool(message.get("pinned_to")) or message.get("ts") in export.pins.get(channel, ())
    if not pinned and not any(choice.wanted(name) for name in reactions):
        return None
    kind = next((choice.kinds[name] for name in reactions if name in choice.kinds), "note")
    text = message.get("text")
    if text is not None and not isinstance(text, str):
        raise doc.error((*where, "text"), "expected the message's 'text' (text)")
    attached = _attachment_text(doc, where, message)  # checked even when there is text
    plain = text or attached
    title, rest = split_title(slack_to_text(plain, users=export.users, channels=export.channels))
    who = f"({_author(export, message)} in #{channel})"
    return ImportedEvent(at, kind, title or "(no text)", f"{rest} {who}".strip())


def _ts(doc: JsonSource, where: tuple, message: dict) -> float:
    value = message.get("ts")
    try:
        seconds = float(value) if isinstance(value, str) else None
    except ValueError:
        seconds = None
    if seconds is None or not 0 < seconds < 1e11:
        raise doc.error(
            (*where, "ts") if "ts" in message else where,
            f"expected 'ts', the message's epoch time as text (\"1748943645.000200\"), got "
            f"{value!r}",
        )
    return math.floor(seconds * 1000) / 1000  # whole ms: the rest only keeps ts unique


def _reactions(doc: JsonSource, where: tuple, message: dict) -> list[str]:
    """Reaction names, skin tones dropped (``+1::skin-tone-2`` → ``+1``)."""
    reactions = message.get("reactions")
    if reactions is None:
        return []
    if not isinstance(reactions, list) or not all(
        isinstance(r, dict) and isinstance(r.get("name"), str) for r in reactions
    ):
        raise doc.error((*where, "reactions"), "expected a list of {name, users, count}")
    return [r["name"].split("::", 1)[0].lower() for r in reactions]


def _author(export: SlackExport, message: dict) -> str:
    user = message.get("user")
    if isinstance(user, str) and user in export.users:
        return export.users[user]
    profile = message.get("user_profile") or message.get("bot_profile")
    profile = profile if isinstance(profile, dict) else {}
    for value in (profile.get("display_name"), profile.get("real_name"), profile.get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(message.get("username") or user or "someone")


def _attachment_text(doc: JsonSource, where: tuple, message: dict) -> str:
    """For a message with no text of its own: its first attachment's or file's words."""
    items = []
    for key in ("attachments", "files"):
        found = message.get(key)
        if found is not None and not isinstance(found, list):
            raise doc.error((*where, key), f"expected a list of {key} (objects)")
        items += found or []
    for item in items:
        if isinstance(item, dict):
            for key in ("fallback", "title", "name"):
                if isinstance(item.get(key), str) and item[key].strip():
                    return item[key]
    return ""
