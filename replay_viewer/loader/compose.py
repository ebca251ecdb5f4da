"""YAML text to a node tree, refusing what no incident file needs before anything is read.

The text is composed into YAML *nodes* (never constructed into arbitrary Python objects),
so every value keeps its line and column and no tag can run code. The composer is ours,
driven by the parser's events (libyaml's when available), so that it can count nodes and
depth *while* composing and stop a huge or hostile file early instead of building millions
of nodes first.
"""

from __future__ import annotations

import gc
from typing import NoReturn

import yaml

from .diagnostics import Diagnostic, diagnostic_at, fail, shorten
from .source import char_at

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "MAX_YAML_VALUES",
    "TAG",
    "compose",
    "has_standard_tag",
]

# Plain size: every scalar, list and mapping written in the file (a [time, value] sample
# is 3). 150,000 is 50,000 inline samples, well above hand-written incidents (tens of
# thousands), and loads in under a second in ~90 MB; see docs/reliability.md.
MAX_YAML_VALUES = 150_000
# Alias expansion: aliases are fine, but a document that would expand past this many
# values when read is a YAML bomb. Counted on the composed graph without expanding it.
MAX_EXPANDED_NODES = 2_000_000
# An incident file nests 6 levels (incident, series list, series, samples, pair, value).
MAX_DEPTH = 50

TAG = "tag:yaml.org,2002:"
# "merge" is the standard tag of a '<<' key; the reader refuses it with its own message.
_SCALAR_TAGS = {
    TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
}
_EMPTY = "file is empty; expected an incident with 'title' and 'series'"
_FLOW_CONTEXTS = {"while parsing a flow sequence", "while parsing a flow mapping"}

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, path: str) -> tuple[yaml.Node, list[Diagnostic]]:
    """YAML text to a node tree, and a diagnostic for every non-standard tag in it.

    Raises :class:`IncidentLoadError` for syntax errors, several documents, files too large
    or too deep, alias bombs and alias cycles.
    """
    loader = _YamlLoader(text)
    # Millions of new container objects would make the cyclic GC rescan the growing tree
    # again and again (two thirds of the time); the tree is freed by reference counting.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        composer = _Composer(loader, path)
        root = composer.document()
    except yaml.MarkedYAMLError as exc:
        _fail_syntax(exc, text, path)
    except yaml.YAMLError as exc:
        fail(1, 1, f"invalid YAML: {' '.join(str(exc).split())}", path)
    finally:
        if gc_was_enabled:
            gc.enable()
        loader.dispose()
    if root is None:
        fail(1, 1, _EMPTY, path)
    return root, composer.tag_errors


def _fail_syntax(exc: yaml.MarkedYAMLError, text: str, path: str) -> None:
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if char_at(text, line, column) == "\t":
        problem = "found a tab character; indent with spaces"
    elif exc.context in _FLOW_CONTEXTS and exc.context_mark and exc.context_mark.line + 1 < line:
        # The parser notices an unclosed '[' or '{' only where the next key starts; the
        # place to fix is where it opened.
        opened = exc.context_mark
        bracket = char_at(text, opened.line + 1, opened.column + 1)
        problem = (
            f"this '{bracket}' is never closed ({problem} before line {line}, column {column})"
        )
        line, column = opened.line + 1, opened.column + 1
    fail(line, column, f"invalid YAML: {problem}", path)


class _Composer:
    """Parser events to nodes, like PyYAML's Composer, but checking as it goes.

    It counts the values written (MAX_YAML_VALUES) and the depth, and for every node the
    number of values it expands to through aliases (MAX_EXPANDED_NODES): an anchored node
    is composed once and shared, so its expanded size is remembered, never expanded. It
    also refuses alias cycles and collects a diagnostic for every non-standard tag. Nodes
    keep only their start mark (also as end mark): the loader never reads the end, and
    marks are a third of the memory of a large tree.
    """

    def __init__(self, loader: yaml.SafeLoader, path: str) -> None:
        self.loader = loader
        self.path = path
        self.anchors: dict[str, tuple[yaml.Node, int]] = {}
        self.open_anchors: set[str] = set()
        self.count = 0
        self.tag_errors: list[Diagnostic] = []

    def document(self) -> yaml.Node | None:
        loader = self.loader
        loader.get_event()  # stream start
        root = None
        if not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()  # document start
            root = self.node(1)[0]
            loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            self.fail(
                loader.get_event(),
                "invalid YAML: several YAML documents in one file; "
                "an incident file holds one document",
            )
        return root

    def fail(self, at: yaml.Event | yaml.Node, message: str) -> NoReturn:
        fail(at.start_mark.line + 1, at.start_mark.column + 1, message, self.path)

    def node(self, depth: int) -> tuple[yaml.Node, int]:
        """The next node and the number of values it expands to."""
        event = self.loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event)
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            self.fail(
                event,
                f"this file has more than {MAX_YAML_VALUES:,} YAML values (about "
                f"{MAX_YAML_VALUES // 3:,} samples); incident files are limited to that so "
                "they load in seconds: put large series in a data file (file: p99.csv, see "
                "docs/incident-format.md) or thin them out",
            )
        if depth > MAX_DEPTH:
            self.fail(
                event, f"YAML nests more than {MAX_DEPTH} levels deep; an incident file needs 6"
            )
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            mark = event.start_mark
            node: yaml.Node = yaml.ScalarNode(tag, event.value, mark, mark, style=event.style)
            size = 1
        else:
            node, size = self.collection(event, depth)
        if not has_standard_tag(node):
            tag = shorten(node.tag.replace(TAG, "!!"))
            self.tag_errors.append(
                diagnostic_at(
                    node,
                    f"YAML tag '{tag}' is not allowed; incident files hold plain values",
                    self.path,
                )
            )
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, size)
            self.open_anchors.discard(event.anchor)
        return node, size

    def alias(self, event: yaml.AliasEvent) -> tuple[yaml.Node, int]:
        if event.anchor in self.open_anchors:
            self.fail(
                self.anchors[event.anchor][0],
                "an alias refers to the node that contains it (recursive YAML)",
            )
        if event.anchor not in self.anchors:
            self.fail(event, f"invalid YAML: found undefined alias '{shorten(event.anchor)}'")
        return self.anchors[event.anchor]

    def collection(self, event: yaml.Event, depth: int) -> tuple[yaml.Node, int]:
        """A list or mapping and its children, up to and including its end event."""
        is_list = isinstance(event, yaml.SequenceStartEvent)
        kind = yaml.SequenceNode if is_list else yaml.MappingNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, None, event.implicit)
        children: list[yaml.Node] = []
        mark = event.start_mark
        node = kind(tag, children, mark, mark, flow_style=event.flow_style)
        if event.anchor is not None:
            # Known (and open) before the children, so that an alias inside is a cycle.
            self.anchors[event.anchor] = (node, 1)
            self.open_anchors.add(event.anchor)
        size = 1
        end = yaml.SequenceEndEvent if is_list else yaml.MappingEndEvent
        while not self.loader.check_event(end):
            child, child_size = self.node(depth + 1)
            children.append(child)
            size += child_size
        self.loader.get_event()
        if size > MAX_EXPANDED_NODES:
            self.fail(
                node,
                f"aliases expand this document past {MAX_EXPANDED_NODES:,} values; "
                "refusing it (a YAML 'billion laughs' bomb?)",
            )
        if not is_list:
            node.value = list(zip(children[::2], children[1::2], strict=True))
        return node, size


def has_standard_tag(node: yaml.Node) -> bool:
    """True for the plain YAML tags an incident file may hold (explicit or implicit)."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag in _SCALAR_TAGS
    if isinstance(node, yaml.SequenceNode):
        return node.tag == TAG + "seq"
    return node.tag == TAG + "map"
