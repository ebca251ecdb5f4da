"""Where things are in an incident file's text: its top-level keys, and its ``events``
list as YAML nodes that know where they start *and* end.

The loader's composer keeps only start marks (a large file's marks are a third of its
memory); an edit needs both ends of every value it touches. :func:`read_layout` walks the
parser's events once (libyaml's when available), builds nodes for ``events`` only and just
measures every other top-level value, so a file with 50,000 inline samples is not composed
twice per edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from ..importers.merge import content_end as node_content_end

if TYPE_CHECKING:
    from yaml.error import Mark

__all__ = [
    "AliasNode",
    "Layout",
    "Measured",
    "content_end",
    "dash_column",
    "read_layout",
    "value_end",
]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_VALUES = (yaml.ScalarEvent, *_STARTS)


@dataclass(frozen=True)
class Measured:
    """A value that was only measured: where it starts, where its own text ends (for a
    block collection, its last value, not the next key), and its first item's start."""

    start_mark: Mark
    end: int
    flow_style: bool
    first_item: Mark | None


@dataclass(frozen=True)
class AliasNode:
    """``*name`` in the events list: an edit there would change the anchored value too."""

    start_mark: Mark
    end_mark: Mark
    anchor: str
    flow_style: bool = True
    value: None = None


@dataclass(frozen=True)
class Layout:
    """The top-level mapping of a file: its keys in file order with their values."""

    text: str
    flow_style: bool  # written as {title: …, series: …}
    start_mark: Mark
    end_mark: Mark
    keys: tuple[tuple[yaml.ScalarNode, object], ...]
    values: int  # every scalar, list and mapping written (what the loader limits)

    def value(self, name: str) -> object | None:
        return next((value for key, value in self.keys if key.value == name), None)

    def key(self, name: str) -> yaml.ScalarNode | None:
        return next((key for key, _ in self.keys if key.value == name), None)


def read_layout(text: str, build: tuple[str, ...] = ("events", "duration")) -> Layout:
    """The layout of ``text``, with nodes for the keys in ``build``.

    Raises
    ------
    yaml.YAMLError
        The text is not YAML.
    ValueError
        Its top level is not a mapping.
    """
    loader = _Loader(text)
    counter = _Counter()
    try:
        loader.get_event()  # stream start
        loader.get_event()  # document start
        start = loader.get_event()
        if not isinstance(start, yaml.MappingStartEvent):
            raise ValueError("the incident is not a mapping")
        keys = []
        while not loader.check_event(yaml.MappingEndEvent):
            event = loader.get_event()
            if not isinstance(event, yaml.ScalarEvent):
                _measure(loader, event, counter)
                _measure(loader, loader.get_event(), counter)
                continue
            key = yaml.ScalarNode("", event.value, event.start_mark, event.end_mark)
            value_event = loader.get_event()
            read = _node if event.value in build else _measure
            keys.append((key, read(loader, value_event, counter)))
        end = loader.get_event()
        if not isinstance(loader.get_event(), yaml.DocumentEndEvent):
            raise ValueError("the incident is not one mapping")
        if not loader.check_event(yaml.StreamEndEvent):
            raise ValueError("several YAML documents in one file")
    finally:
        loader.dispose()
    values = counter.count + 1 + len(keys)
    return Layout(text, bool(start.flow_style), start.start_mark, end.end_mark, tuple(keys), values)


class _Counter:
    """The values (scalars, lists, mappings) met so far."""

    count = 0


def _node(loader: yaml.SafeLoader, event: yaml.Event, counter: _Counter) -> object:
    """The node starting with ``event``, with start and end marks, children included."""
    if isinstance(event, yaml.AliasEvent):
        return AliasNode(event.start_mark, event.end_mark, event.anchor)
    counter.count += 1
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        return yaml.ScalarNode(
            tag, event.value, event.start_mark, event.end_mark, style=event.style or None
        )
    is_list = isinstance(event, yaml.SequenceStartEvent)
    end_type = yaml.SequenceEndEvent if is_list else yaml.MappingEndEvent
    children = []
    while not loader.check_event(end_type):
        children.append(_node(loader, loader.get_event(), counter))
    end = loader.get_event()
    if is_list:
        return yaml.SequenceNode(
            "tag:yaml.org,2002:seq", children, event.start_mark, end.end_mark,
            flow_style=bool(event.flow_style),
        )  # fmt: skip
    pairs = list(zip(children[::2], children[1::2], strict=True))
    return yaml.MappingNode(
        "tag:yaml.org,2002:map", pairs, event.start_mark, end.end_mark,
        flow_style=bool(event.flow_style),
    )  # fmt: skip


def _measure(loader: yaml.SafeLoader, event: yaml.Event, counter: _Counter) -> Measured:
    """Read past the value starting with ``event``, noting only where it is."""
    if not isinstance(event, _STARTS):
        counter.count += isinstance(event, yaml.ScalarEvent)
        return Measured(event.start_mark, event.end_mark.index, True, None)
    flows = [bool(event.flow_style)]
    first, end, count = None, event.end_mark.index, 1
    while flows:
        child = loader.get_event()
        count += isinstance(child, _VALUES)
        if first is None and len(flows) == 1 and not isinstance(child, _ENDS):
            first = child.start_mark
        if isinstance(child, _STARTS):
            flows.append(bool(child.flow_style))
        elif isinstance(child, _ENDS):
            if flows.pop():  # a block collection ends at the next token; its text earlier
                end = child.end_mark.index
        else:
            end = child.end_mark.index
    counter.count += count
    return Measured(event.start_mark, end, bool(event.flow_style), first)


def content_end(node: object) -> int:
    """Where a value's own text ends: a block collection's at its last value (its end mark
    is at the next key, after comments); a block scalar's after its line."""
    if isinstance(node, Measured):
        return node.end
    return node_content_end(node)


def value_end(text: str, node: object) -> int:
    """Where a value's text ends, for replacing it or the lines it is on: a ``|`` or ``>``
    scalar's end mark (also as a collection's last value) is past the blank lines after
    it, which stay."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = content_end(node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        start = node.start_mark.index
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
    return end


def dash_column(text: str, item: object) -> int:
    """The column of the ``-`` that starts a block list's ``item``."""
    index = item.start_mark.index
    line_start = text.rfind("\n", 0, index) + 1
    return text.rfind("-", line_start, index) - line_start
