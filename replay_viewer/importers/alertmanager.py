"""Prometheus Alertmanager → ``alert`` spans: webhook payloads (``version: "4"``, one per
notification, or a list of them) and ``GET /api/v2/alerts`` answers (a list of alerts).

Each firing of an alert (its fingerprint, or its labels, and its ``startsAt``) is one
event spanning ``startsAt`` to ``endsAt``, however many payloads mention it: the one that
says it resolved gives the end. An alert still firing (webhook ``status: firing``, whose
``endsAt`` Alertmanager leaves at ``0001-01-01T00:00:00Z``; every alert of ``/api/v2/alerts``,
whose ``endsAt`` is only when it would time out) spans to ``open_until``, the incident's end.
Titles are the ``alertname`` plus the labels that differ between the alerts of that name
(``HighLatency pod=api-7``); details are the ``summary`` and ``description`` annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .common import ImportedEvent, iso_time

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = ["events_from_alerts"]

_SHAPE = (
    "expected an Alertmanager webhook payload (an object with 'alerts'), a list of them, "
    "or a /api/v2/alerts answer (a list of alerts with 'labels' and 'startsAt')"
)
_FIRING_STATES = {"active", "suppressed", "unprocessed"}  # /api/v2/alerts status.state


@dataclass
class _Firing:
    """One alert from its start, as the payloads that mention it say (the last one wins)."""

    labels: dict[str, str]
    annotations: dict[str, str]
    starts: float
    ends: float | None = None  # None: still firing
    muted: str = ""  # "silenced", "inhibited" (a suppressed alert in /api/v2/alerts)


def events_from_alerts(docs: list[JsonSource], *, open_until: float) -> list[ImportedEvent]:
    """Every alert of ``docs`` → an ``alert`` event (epoch seconds), sorted by time; an
    alert still firing spans to ``open_until`` (``extra["firing"]`` is set)."""
    firings: dict[tuple, _Firing] = {}
    for doc in docs:
        for where, alert in _alerts_of(doc):
            _add(doc, where, alert, firings)
    if not firings:
        raise docs[0].error(
            (), "no alerts in this input: save a payload that has some, or widen the filter"
        )
    names = _differing_labels(list(firings.values()))
    events = [_event(firing, names, open_until) for firing in firings.values()]
    return sorted(events, key=lambda e: (e.at, e.title))


def _alerts_of(doc: JsonSource) -> list[tuple[tuple, Any]]:
    """``(JSON path, alert)`` for every alert in a payload, a list of payloads, or a
    ``/api/v2/alerts`` list."""
    data = doc.data
    if isinstance(data, str):  # Alertmanager's API answers errors as a JSON string
        raise doc.error((), f"Alertmanager answered an error: {data}")
    if isinstance(data, dict) and "alerts" not in data and "message" in data:
        raise doc.error((), f"Alertmanager answered an error: {data['message']}")
    if isinstance(data, dict):
        items = [((), data)]
    elif isinstance(data, list):
        items = [((i,), item) for i, item in enumerate(data)]
    else:
        raise doc.error((), _SHAPE)
    found = []
    for where, item in items:
        if where and not (isinstance(item, dict) and "alerts" in item):
            found.append((where, item))  # an alert of a /api/v2/alerts list
            continue
        listed = item.get("alerts")
        if not isinstance(listed, list):
            raise doc.error((*where, "alerts") if "alerts" in item else where, _SHAPE)
        found += [((*where, "alerts", i), alert) for i, alert in enumerate(listed)]
    return found


def _add(doc: JsonSource, where: tuple, alert: Any, firings: dict[tuple, _Firing]) -> None:
    if not isinstance(alert, dict):
        raise doc.error(where, "expected an alert (an object with 'labels' and 'startsAt')")
    labels = _text_map(doc, where, alert, "labels", required=True)
    annotations = _text_map(doc, where, alert, "annotations", required=False)
    starts = _time(doc, where, alert, "startsAt")
    if starts is None:
        raise doc.error((*where, "startsAt"), "'startsAt' is the zero time: when did it start?")
    ends = None if alert.get("endsAt") is None else _time(doc, where, alert, "endsAt")
    resolved, muted = _state(doc, where, alert, ends)
    fingerprint = alert.get("fingerprint")
    identity = fingerprint if isinstance(fingerprint, str) and fingerprint else _labels_key(labels)
    firing = firings.setdefault((identity, starts), _Firing(labels, annotations, starts))
    firing.annotations, firing.muted = annotations or firing.annotations, muted
    if resolved:  # a resolved payload ends it, whatever came before or after
        firing.ends = max(ends, firing.ends or ends)


def _labels_key(labels: dict[str, str]) -> tuple:
    return tuple(sorted(labels.items()))


def _state(doc: JsonSource, where: tuple, alert: dict, ends: float | None) -> tuple[bool, str]:
    """(resolved?, why it is muted) from a webhook alert's ``status`` text, a
    ``/api/v2/alerts`` alert's ``status.state``, or (no status) its ``endsAt``."""
    status = alert.get("status")
    if status is None:
        return ends is not None, ""
    if isinstance(status, dict):
        state = status.get("state")
        if not isinstance(state, str) or state not in _FIRING_STATES:
            raise doc.error(
                (*where, "status", "state") if "state" in status else (*where, "status"),
                f"expected 'state' to be one of {', '.join(sorted(_FIRING_STATES))}, got {state!r}",
            )
        muted = ""
        if state == "suppressed":
            muted = "silenced" if status.get("silencedBy") else "inhibited"
        return False, muted
    if status not in ("firing", "resolved"):
        raise doc.error((*where, "status"), f"expected 'firing' or 'resolved', got {status!r}")
    if status == "resolved" and ends is None:
        raise doc.error(
            (*where, "endsAt") if "endsAt" in alert else where,
            "a resolved alert needs its 'endsAt' (when it resolved)",
        )
    return status == "resolved", ""


def _text_map(doc: JsonSource, where: tuple, alert: dict, key: str, *, required: bool) -> dict:
    value = alert.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise doc.error(
            (*where, key) if key in alert else where,
            f"expected the alert's '{key}' (an object of names to text)",
        )
    return value


def _time(doc: JsonSource, where: tuple, alert: dict, key: str) -> float | None:
    """Epoch seconds of an RFC 3339 time; None for Go's zero time (not set)."""
    value = alert.get(key)
    if isinstance(value, str) and value.startswith("0001-01-01"):
        return None
    seconds = iso_time(value)
    if seconds is None:
        raise doc.error(
            (*where, key) if key in alert else where,
            f"'{key}' must be an RFC 3339 time such as 2025-06-03T09:40:45Z, got {value!r}",
        )
    return seconds


def _differing_labels(firings: list[_Firing]) -> dict[str, list[str]]:
    """Per alertname, the label names whose values differ between its alerts."""
    by_name: dict[str, list[dict]] = {}
    for firing in firings:
        by_name.setdefault(firing.labels.get("alertname", ""), []).append(firing.labels)
    differing = {}
    for name, label_sets in by_name.items():
        keys = sorted({k for labels in label_sets for k in labels} - {"alertname"})
        differing[name] = [k for k in keys if len({labels.get(k, "") for labels in label_sets}) > 1]
    return differing


def _event(firing: _Firing, differing: dict[str, list[str]], open_until: float) -> ImportedEvent:
    name = firing.labels.get("alertname", "")
    shown = [f"{k}={firing.labels[k]}" for k in differing[name] if firing.labels.get(k)]
    title = " ".join([name or "Alert", ", ".join(shown)]).strip()
    notes = firing.annotations
    detail = [text for text in (notes.get("summary"), notes.get("description")) if text]
    if len(detail) == 2 and detail[0].strip() in detail[1]:
        detail = detail[1:]
    detail = [" ".join(" — ".join(detail).split())] if detail else []
    until, state = firing.ends, [firing.muted] if firing.muted else []
    if until is None:
        state.insert(0, "still firing")
        until = open_until if open_until > firing.starts else None
    if state:
        detail.append(f"({', '.join(state)})")
    extra = {"firing": firing.ends is None}
    return ImportedEvent(firing.starts, "alert", title, " ".join(detail), extra, until)
