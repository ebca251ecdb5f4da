"""Grafana ``/api/annotations`` responses → events, and merging events into an incident
file without touching anything else in it (comments and layout included).

Tags pick the event's kind (the first tag that names one wins; ``--kind-map`` adds
names); alert annotations without such a tag map their state (alerting → alert, ok →
recover). The format has no event end yet, so a region annotation keeps its length in the
detail text: ``(region, 4 min)``. HTML in ``text`` is reduced to plain text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from ..model import EVENT_KINDS
from .common import OUTSIDE_THE_YEARS, WALL_CLOCK_SECONDS, ImportedEvent, kind_pairs

if TYPE_CHECKING:
    from .json_source import JsonSource

__all__ = ["DEFAULT_KIND_MAP", "events_from_annotations", "html_to_text", "parse_kind_map"]

# Tag (lowercase) → event kind, beyond the kinds' own names.
DEFAULT_KIND_MAP = {
    **{kind: kind for kind in EVENT_KINDS},
    "deployment": "deploy",
    "release": "deploy",
    "alerting": "alert",
    "page": "alert",
    "rollback": "mitigate",
    "resolved": "resolve",
}
_ALERT_STATES = {"alerting": "alert", "pending": "alert", "ok": "recover", "normal": "recover"}
_TITLE_LIMIT = 100


def parse_kind_map(text: str | None) -> dict[str, str]:
    """``'deploy-bot=deploy,oncall=alert'`` → the default map extended by those pairs."""
    return kind_pairs(text, DEFAULT_KIND_MAP, what="TAG")


class _TextOnly(HTMLParser):
    """Collects text; block elements and <br> become line breaks."""

    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an annotation's HTML: tags dropped, entities decoded, whitespace
    collapsed within lines, empty lines removed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _duration_words(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h" + (f" {round(rest / 60)} min" if rest >= 30 else "")


def _kind(item: dict, tags: list[str], kinds: dict[str, str]) -> str:
    for tag in tags:
        if tag.lower() in kinds:
            return kinds[tag.lower()]
    state = str(item.get("newState") or "").lower()
    return _ALERT_STATES.get(state, "note")


def _epoch_ms(doc: JsonSource, item: dict, key: str, where: tuple) -> float | None:
    value = item.get(key)
    if value is None and key == "timeEnd":
        return None
    # abs() < 1e300, not np.isfinite: also false for NaN and ±inf, and an int too large for
    # numpy (or for a float) compares without overflowing.
    if isinstance(value, bool) or not isinstance(value, int | float) or not abs(value) < 1e300:
        raise doc.error(
            (*where, key) if key in item else where,
            f"'{key}' must be epoch milliseconds (a number), got {value!r}",
        )
    seconds = float(value) / 1000.0
    low, high = WALL_CLOCK_SECONDS
    if not low <= seconds <= high:
        raise doc.error((*where, key), f"'{key}' ({value!r} ms) is {OUTSIDE_THE_YEARS}")
    return seconds


def events_from_annotations(doc: JsonSource, kinds: dict[str, str]) -> list[ImportedEvent]:
    data = doc.data
    if isinstance(data, dict) and "message" in data:  # Grafana's error answer
        raise doc.error((), f"Grafana answered an error: {data['message']}")
    if not isinstance(data, list):
        raise doc.error((), "expected a list of annotations (the /api/annotations answer)")
    events = []
    for index, item in enumerate(data):
        where = (index,)
        if not isinstance(item, dict):
            raise doc.error(where, "expected an annotation object with 'time' and 'text'")
        start = _epoch_ms(doc, item, "time", where)
        end = _epoch_ms(doc, item, "timeEnd", where)
        tags = item.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise doc.error((*where, "tags"), "expected a list of tag strings")
        text = item.get("text") or ""
        if not isinstance(text, str):
            raise doc.error((*where, "text"), "expected the annotation's text")
        plain = html_to_text(text)
        title, _, rest = plain.partition("\n")
        title = title or str(item.get("alertName") or "") or ", ".join(tags) or "Annotation"
        if len(title) > _TITLE_LIMIT:
            title, rest = title[: _TITLE_LIMIT - 1] + "…", plain
        detail = [rest.replace("\n", " ")] if rest else []
        if end is not None and end > start:
            detail.append(f"(region, {_duration_words(end - start)})")
        if tags:
            detail.append(f"[tags: {', '.join(tags)}]")
        events.append(ImportedEvent(start, _kind(item, tags, kinds), title, " ".join(detail)))
    if not events:
        raise doc.error((), "no annotations in this answer: widen the time range or the tags")
    return events
