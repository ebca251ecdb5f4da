"""PagerDuty incident log entries (``GET /incidents/{id}/log_entries``, saved; one file per
page) → events.

``trigger_log_entry`` → ``alert``, ``acknowledge_log_entry`` → ``detect``,
``resolve_log_entry`` → ``resolve``, ``annotate_log_entry`` (a note) → ``note`` titled by
the note's text. Escalations, assignments and notifications are PagerDuty routing its
pages: skipped (and counted) unless ``routing=True`` makes them notes; any other type is
skipped and counted. Titles are the entry's ``summary`` (``Acknowledged by Priya Raman``),
details name the agent (the person, service or integration that acted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .common import ImportedEvent, iso_time, split_title

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = ["KINDS", "ROUTING", "events_from_log_entries"]

KINDS = {
    "trigger_log_entry": "alert",
    "acknowledge_log_entry": "detect",
    "resolve_log_entry": "resolve",
    "annotate_log_entry": "note",
}
ROUTING = ("escalate_log_entry", "assign_log_entry", "notify_log_entry")
_SHAPE = (
    "expected PagerDuty log entries: the GET /incidents/{id}/log_entries answer (an object "
    "with 'log_entries') or a list of log entries"
)


def events_from_log_entries(
    docs: list[JsonSource], *, routing: bool = False
) -> tuple[list[ImportedEvent], dict[str, int]]:
    """The events of every page, sorted by time (an entry on two pages counts once), and
    how many entries of each skipped type there were."""
    events: list[ImportedEvent] = []
    skipped: dict[str, int] = {}
    seen: set[str] = set()
    total = 0
    for doc in docs:
        entries = _entries_of(doc)
        if _newest_first(entries):  # the API's order: keep same-second entries in theirs
            entries.reverse()
        for where, entry in entries:
            total += 1
            if not isinstance(entry, dict):
                raise doc.error(where, "expected a log entry (an object with 'type')")
            key = entry.get("id") if isinstance(entry.get("id"), str) else f"{doc.name}{where}"
            if key in seen:
                continue
            seen.add(key)
            kind = _kind(doc, where, entry, routing)
            if kind is None:
                skipped[entry["type"]] = skipped.get(entry["type"], 0) + 1
                continue
            events.append(_event(doc, where, entry, kind))
    if not total:
        raise docs[0].error((), "no log entries in this answer: is it the right incident?")
    if not events:
        raise docs[0].error(
            (),
            f"none of the {total} log entries is a trigger, acknowledgement, resolve or note "
            "(--routing adds escalations, assignments and notifications)",
        )
    return sorted(events, key=lambda e: e.at), skipped


def _entries_of(doc: JsonSource) -> list[tuple[tuple, Any]]:
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("error"), dict):  # PagerDuty's error
        error = data["error"]
        more = "; ".join(str(e) for e in error.get("errors") or [])
        raise doc.error(
            ("error",), f"PagerDuty answered an error: {error.get('message', '')} {more}".strip()
        )
    if isinstance(data, dict) and isinstance(data.get("log_entries"), list):
        return [(("log_entries", i), e) for i, e in enumerate(data["log_entries"])]
    if isinstance(data, list):
        return [((i,), e) for i, e in enumerate(data)]
    where = ("log_entries",) if isinstance(data, dict) and "log_entries" in data else ()
    raise doc.error(where, _SHAPE)


def _newest_first(entries: list[tuple[tuple, Any]]) -> bool:
    times = [iso_time(e.get("created_at")) for _, e in entries if isinstance(e, dict)]
    times = [t for t in times if t is not None]
    return len(times) > 1 and times[0] > times[-1]


def _kind(doc: JsonSource, where: tuple, entry: dict, routing: bool) -> str | None:
    kind = entry.get("type")
    if not isinstance(kind, str) or not kind:
        raise doc.error(
            (*where, "type") if "type" in entry else where,
            "expected the log entry's 'type' (trigger_log_entry, annotate_log_entry, …)",
        )
    if kind in KINDS:
        return KINDS[kind]
    return "note" if routing and kind in ROUTING else None


def _event(doc: JsonSource, where: tuple, entry: dict, kind: str) -> ImportedEvent:
    at = iso_time(entry.get("created_at"))
    if at is None:
        raise doc.error(
            (*where, "created_at") if "created_at" in entry else where,
            f"'created_at' must be an ISO-8601 time such as 2025-06-03T09:41:00Z, got "
            f"{entry.get('created_at')!r}",
        )
    summary = _text(doc, where, entry, "summary")
    title, rest = split_title(summary)
    title = title.removesuffix(".")  # "Acknowledged by Priya Raman."
    if entry["type"] == "annotate_log_entry":
        note = _note(entry.get("channel"))
        if note:
            title, rest = split_title(note)
    detail = [rest] if rest else []
    if entry["type"] == "trigger_log_entry":
        detail += _trigger_details(entry, summary)
    agent = entry.get("agent")
    name = agent.get("summary") if isinstance(agent, dict) else None
    if isinstance(name, str) and name.strip() and name.strip() not in title:
        detail.append(f"(by {name.strip()})")
    return ImportedEvent(at, kind, title or entry["type"], " ".join(detail))


def _trigger_details(entry: dict, summary: str) -> list[str]:
    """What triggered it: the incident's title and the event's description."""
    found = []
    for holder, key in (("incident", "summary"), ("event_details", "description")):
        value = entry.get(holder)
        text = value.get(key) if isinstance(value, dict) else None
        if isinstance(text, str) and text.strip() and text != summary:
            found.append(" ".join(text.split()))
    if len(found) == 2 and found[1] in found[0]:
        found.pop()
    return [": ".join(found)] if found else []


def _text(doc: JsonSource, where: tuple, entry: dict, key: str) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise doc.error((*where, key), f"expected the log entry's '{key}' (text)")
    return value


def _note(channel: object) -> str:
    """A note's text: ``channel.summary`` (what the API writes), else its ``content``."""
    if not isinstance(channel, dict):
        return ""
    for key in ("summary", "content", "notes"):
        if isinstance(channel.get(key), str) and channel[key].strip():
            return channel[key]
    return ""
