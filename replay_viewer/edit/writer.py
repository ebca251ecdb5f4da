"""The round-trip writer: an event added, changed or removed in an incident file's TEXT.

Only the text of the event concerned changes; comments, key order, quoting and layout of
everything else stay byte for byte, so ``git diff`` after adding an event shows that
event's lines. A new event takes the form of the events around it (one-line ``- {at: …}``
mappings or block mappings, a flow list ``[{…}, {…}]``, times as numbers or timecodes, the
keys in their order); an incident without ``events:`` gets the list after its last key.
Each edit is one :class:`~.history.Splice`; the session checks its result with the loader.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..importers.merge import after_line
from .history import Splice, splice_covering
from .layout import AliasNode, Measured, content_end, dash_column, read_layout, value_end
from .problems import EditRefusedError
from .scalars import render_bool, render_text, render_time

if TYPE_CHECKING:
    from ..model import Event
    from .layout import Layout

__all__ = ["EDITABLE", "EventFields", "EventWriter"]

# The keys an edit may set, in the order a new event writes them.
EDITABLE = ("at", "kind", "title", "detail", "until", "star")


@dataclass(frozen=True)
class EventFields:
    """What an event says (an :class:`~replay_viewer.model.Event` without its place)."""

    at: float
    title: str
    kind: str = "note"
    detail: str = ""
    until: float | None = None
    star: bool = False

    @classmethod
    def of(cls, event: Event | EventFields) -> EventFields:
        return cls(event.at, event.title, event.kind, event.detail, event.until, event.star)

    def written(self) -> dict[str, Any]:
        """The keys a new event writes: the optional ones only when they say something."""
        keys = {"at": self.at, "kind": self.kind, "title": self.title}
        if self.detail:
            keys["detail"] = self.detail
        if self.until is not None:
            keys["until"] = self.until
        if self.star:
            keys["star"] = True
        return keys

    def changed(self, **changes: Any) -> EventFields:
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            fields = ", ".join(EDITABLE)
            raise EditRefusedError([f"an event has no field {unknown[0]!r}; it has {fields}"])
        return dataclasses.replace(self, **changes)


def _absent(key: str, value: Any) -> bool:
    """Whether the key is best left out of the file for this value (its default)."""
    return (key == "detail" and value == "") or (key in ("until", "star") and not value)


def _render(key: str, value: Any, *, flow: bool, like: yaml.Node | None = None) -> str:
    if key in ("at", "until"):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise EditRefusedError([f"event {key!r} must be a time in seconds, got {value!r}"])
        return render_time(float(value), flow=flow, like=like)
    if key == "star":
        return render_bool(bool(value))
    if not isinstance(value, str):
        raise EditRefusedError([f"event {key!r} must be text, got {value!r}"])
    return render_text(value, flow=flow, like=like)


class EventWriter:
    """Text edits of one version of an incident file's events (read once, used once)."""

    def __init__(self, text: str, layout: Layout | None = None) -> None:
        self.text = text
        self.layout = layout if layout is not None else read_layout(text)
        self.newline = "\r\n" if "\r\n" in text else "\n"

    # -- finding ----------------------------------------------------------------------

    def events_node(self) -> yaml.SequenceNode | None:
        node = self.layout.value("events")
        if isinstance(node, AliasNode):
            raise EditRefusedError(["'events' is a YAML alias (*name); edit the list it names"])
        if node is not None and not isinstance(node, yaml.SequenceNode):
            raise EditRefusedError(["'events' is not a list"])
        return node

    def items(self) -> list[Any]:
        node = self.events_node()
        return list(node.value) if node is not None else []

    def item_at(self, line: int, column: int) -> Any | None:
        """The events list item whose value starts at ``line``:``column`` (1-based)."""
        for item in self.items():
            mark = item.start_mark
            if (mark.line + 1, mark.column + 1) == (line, column):
                return item
        return None

    def _mapping(self, item: Any) -> yaml.MappingNode:
        if isinstance(item, AliasNode):
            raise EditRefusedError(["this event is a YAML alias (*name); edit the event it names"])
        if self.text[item.start_mark.index] in "&!":
            raise EditRefusedError(["this event carries a YAML anchor or tag; edit it in the file"])
        if not isinstance(item, yaml.MappingNode):
            raise EditRefusedError(["this event is not a mapping"])
        return item

    # -- adding -------------------------------------------------------------------------

    def add(self, fields: EventFields, index: int | None = None) -> tuple[Splice, int]:
        """``fields`` as a new item before item ``index`` (default: the end); the splice
        and where the new event's mapping starts in the text after it."""
        node = self.events_node()
        if node is None:
            at, end, new, anchor = self._new_events_key(fields)
        else:
            count = len(node.value)
            index = count if index is None else max(0, min(index, count))
            add = self._add_to_flow_list if node.flow_style else self._add_to_block_list
            at, end, new, anchor = add(node, fields, index)
        return Splice(at, self.text[at:end], new), at + anchor

    def _pairs(self, fields: EventFields, neighbour: Any, *, flow: bool) -> list[str]:
        """``key: value`` texts of a new event, in its neighbour's key order and style."""
        written = fields.written()
        likes = {}
        if isinstance(neighbour, yaml.MappingNode):
            likes = {key.value: value for key, value in neighbour.value}
        order = [key for key in likes if key in written]
        order += [key for key in EDITABLE if key in written and key not in order]
        likes.setdefault("until", likes.get("at"))
        return [
            f"{key}: {_render(key, written[key], flow=flow, like=likes.get(key))}" for key in order
        ]

    def _flow_item(self, fields: EventFields, neighbour: Any) -> str:
        return "{" + ", ".join(self._pairs(fields, neighbour, flow=True)) + "}"

    def _add_to_block_list(
        self, node: yaml.SequenceNode, fields: EventFields, index: int
    ) -> tuple[int, int, str, int]:
        text, items, nl = self.text, node.value, self.newline
        neighbour = items[index - 1] if index else items[0]
        dash = dash_column(text, items[0])
        if isinstance(neighbour, yaml.MappingNode) and not neighbour.flow_style:
            key_column = dash + neighbour.start_mark.column - dash_column(text, neighbour)
            pairs = self._pairs(fields, neighbour, flow=False)
            body = (nl + " " * key_column).join(pairs)
        else:
            key_column, body = dash + 2, self._flow_item(fields, neighbour)
        line = " " * dash + "-" + " " * (key_column - dash - 1) + body + nl
        if index:  # after the item before it (before any comment above the next one)
            at = after_line(text, value_end(text, items[index - 1]))
        else:
            at = text.rfind("\n", 0, items[0].start_mark.index) + 1
        prefix = nl if at > 0 and text[at - 1] != "\n" else ""
        return at, at, prefix + line, len(prefix) + key_column

    def _add_to_flow_list(
        self, node: yaml.SequenceNode, fields: EventFields, index: int
    ) -> tuple[int, int, str, int]:
        text, items = self.text, node.value
        item = self._flow_item(fields, items[index - 1] if index else (items or [None])[0])
        opening = node.start_mark.index
        if not items:
            line_start = text.rfind("\n", 0, opening) + 1
            alone = not text[line_start:opening].strip() and text[opening : opening + 2] == "[]"
            if alone and not self.layout.flow_style:  # `[]` on its own line (all removed)
                return opening, opening + 2, "- " + item, 2
            return opening + 1, opening + 1, item, 0
        lines = {node.start_mark.line} | {i.start_mark.line for i in items}
        multi = len(lines) > 1
        if index == len(items):
            last = items[-1]
            sep = "," + self.newline + " " * last.start_mark.column if multi else ", "
            end = content_end(last)
            return end, end, sep + item, len(sep)
        following = items[index]
        sep = "," + self.newline + " " * following.start_mark.column if multi else ", "
        return following.start_mark.index, following.start_mark.index, item + sep, 0

    def _new_events_key(self, fields: EventFields) -> tuple[int, int, str, int]:
        text, layout, nl = self.text, self.layout, self.newline
        item = self._flow_item(fields, None)
        last_key, last_value = layout.keys[-1]
        if layout.flow_style:  # {title: …, series: […]}
            head, end = ", events: [", content_end(last_value)
            return end, end, head + item + "]", len(head)
        at = after_line(text, value_end(text, last_value))
        key_column = layout.keys[0][0].start_mark.column
        indent = key_column + 2
        series = layout.value("series")
        if isinstance(series, Measured) and not series.flow_style and series.first_item:
            first = series.first_item.index
            line_start = text.rfind("\n", 0, first) + 1
            indent = max(text.rfind("-", line_start, first) - line_start, key_column)
        key_line = text.rfind("\n", 0, last_key.start_mark.index) + 1
        above = text[text.rfind("\n", 0, max(key_line - 1, 0)) + 1 : max(key_line - 1, 0)]
        prefix = nl if at > 0 and text[at - 1] != "\n" else ""
        if key_line > 0 and not above.strip():
            prefix += nl  # the file leaves a blank line between its sections
        head = prefix + " " * key_column + "events:" + nl + " " * indent + "- "
        return at, at, head + item + nl, len(head)

    # -- changing -----------------------------------------------------------------------

    def update(self, item: Any, changes: dict[str, Any]) -> Splice:
        """``changes`` (key → new value; a default value removes an optional key) made to
        the event ``item``; its mapping keeps its start."""
        mapping = self._mapping(item)
        pairs = {key.value: (key, value) for key, value in mapping.value}
        replaced: dict[str, str] = {}
        removed: set[str] = set()
        added: list[str] = []
        for key, value in changes.items():
            if key not in EDITABLE:
                raise EditRefusedError([f"an event has no field {key!r}"])
            present = pairs.get(key)
            if _absent(key, value) or (key == "kind" and value == "note" and not present):
                if present:
                    removed.add(key)
                continue
            like = present[1] if present else pairs.get("at", (None, None))[1]
            rendered = _render(key, value, flow=mapping.flow_style, like=like)
            if present:
                replaced[key] = rendered
            else:
                added.append(f"{key}: {rendered}")
        edit = self._flow_update if mapping.flow_style else self._block_update
        return splice_covering(self.text, edit(mapping, replaced, removed, added))

    def _value_span(self, value: Any) -> tuple[int, int]:
        return value.start_mark.index, value_end(self.text, value)

    def _flow_update(self, mapping, replaced, removed, added) -> list[tuple[int, int, str]]:
        """A flow mapping's pairs written again: untouched ones as they were, with the
        separators that were between them."""
        text, pairs = self.text, mapping.value
        pieces, kept = [], []
        for number, (key, value) in enumerate(pairs):
            if number:
                before = pairs[number - 1][1]
                separator = text[content_end(before) : key.start_mark.index]
            else:
                separator = ""
            if key.value in removed:
                continue
            start, end = self._value_span(value)
            own = text[key.start_mark.index : start] + replaced.get(key.value, text[start:end])
            pieces.append((separator or ", ", own))
            kept.append(key.value)
        body = "".join(sep + own if index else own for index, (sep, own) in enumerate(pieces))
        body += "".join(", " + pair for pair in added)
        first, last = pairs[0][0].start_mark.index, content_end(pairs[-1][1])
        return [(first, last, body)]

    def _block_update(self, mapping, replaced, removed, added) -> list[tuple[int, int, str]]:
        text, nl, pairs = self.text, self.newline, mapping.value
        edits = []
        leading = 0  # removed pairs at the start: the first kept one moves up to their line
        while leading < len(pairs) and pairs[leading][0].value in removed:
            leading += 1
        if leading and leading < len(pairs):
            edits.append((pairs[0][0].start_mark.index, pairs[leading][0].start_mark.index, ""))
        for number, (key, value) in enumerate(pairs):
            if number < leading:
                continue
            if key.value in removed:
                line_start = text.rfind("\n", 0, key.start_mark.index) + 1
                edits.append((line_start, after_line(text, value_end(text, value)), ""))
            elif key.value in replaced:
                start, end = self._value_span(value)
                new = replaced[key.value]
                edits.append((start, end, " " + new if start == end else new))
        if added:
            at = after_line(text, value_end(text, pairs[-1][1]))
            prefix = nl if at > 0 and text[at - 1] != "\n" else ""
            column = mapping.start_mark.column
            edits.append((at, at, prefix + "".join(" " * column + p + nl for p in added)))
        return edits

    # -- removing -----------------------------------------------------------------------

    def remove(self, item: Any) -> Splice:
        """The event ``item`` taken out of its list (a block list's last item leaves
        ``[]`` on its line; a flow list's its brackets)."""
        node, text = self.events_node(), self.text
        items = node.value
        number = next(i for i, other in enumerate(items) if other is item)
        if node.flow_style:
            if len(items) == 1:
                edit = (item.start_mark.index, content_end(item), "")
            elif number + 1 < len(items):
                edit = (item.start_mark.index, items[number + 1].start_mark.index, "")
            else:
                edit = (content_end(items[number - 1]), content_end(item), "")
            return splice_covering(text, [edit])
        dash = dash_column(text, item)
        line_start = text.rfind("\n", 0, item.start_mark.index) + 1
        end = after_line(text, value_end(text, item))
        new = ""
        if len(items) == 1:
            key = self.layout.key("events")
            indent = dash if dash > key.start_mark.column else key.start_mark.column + 2
            new = " " * indent + "[]" + (self.newline if end > 0 and text[end - 1] == "\n" else "")
        return splice_covering(text, [(line_start, end, new)])
