"""YAML text to a node tree, refusing what no incident file needs before anything is read.

The text is composed into YAML *nodes* (never constructed into arbitrary Python objects),
so every value keeps its line and column and no tag can run code.
"""

from __future__ import annotations

import yaml

from .diagnostics import Diagnostic, IncidentLoadError, diagnostic_at, fail

__all__ = [
    "MAX_EXPANDED_NODES",
    "TAG",
    "check_structure",
    "children",
    "compose",
    "has_standard_tag",
]

# Aliases are fine; an alias tree that would expand past this many nodes is a YAML bomb.
MAX_EXPANDED_NODES = 2_000_000

TAG = "tag:yaml.org,2002:"
# "merge" is the standard tag of a '<<' key; the reader refuses it with its own message.
_SCALAR_TAGS = {
    TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
}
_EMPTY = "file is empty; expected an incident with 'title' and 'series'"

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, path: str) -> yaml.Node:
    """YAML text to a node tree; refuses syntax errors, several documents and YAML bombs."""
    loader = _YamlLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc.context or ""):
            problem = "several YAML documents in one file; an incident file holds one document"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        fail(line, column, f"invalid YAML: {problem}", path)
    except yaml.YAMLError as exc:
        fail(1, 1, f"invalid YAML: {exc}", path)
    except RecursionError:
        fail(1, 1, "YAML nests too deeply to be an incident file", path)
    finally:
        loader.dispose()
    if root is None:
        fail(1, 1, _EMPTY, path)
    return root


def check_structure(root: yaml.Node, path: str) -> list[Diagnostic]:
    """One pass over the node graph before any value is read.

    Refuses alias cycles and alias trees that expand past MAX_EXPANDED_NODES (raising), and
    returns a diagnostic for every non-standard tag anywhere in the document, including
    under keys the schema would reject anyway. The composer shares one node object per
    anchor, so the graph is a DAG (or has a cycle); its expanded size is counted with
    memoisation in linear time instead of being expanded.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    tag_errors: list[Diagnostic] = []
    # Iterative post-order walk: deep documents must not hit Python's recursion limit.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children(node))
            if total > MAX_EXPANDED_NODES:
                raise IncidentLoadError(
                    [
                        diagnostic_at(
                            node,
                            f"aliases expand this document past {MAX_EXPANDED_NODES:,} values; "
                            "refusing it (a YAML 'billion laughs' bomb?)",
                            path,
                        )
                    ]
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if not has_standard_tag(node):
            tag = node.tag.replace(TAG, "!!")
            tag_errors.append(
                diagnostic_at(
                    node, f"YAML tag '{tag}' is not allowed; incident files hold plain values", path
                )
            )
        in_progress.add(key)
        stack.append((node, True))
        for child in children(node):
            if id(child) in in_progress:
                raise IncidentLoadError(
                    [
                        diagnostic_at(
                            child,
                            "an alias refers to the node that contains it (recursive YAML)",
                            path,
                        )
                    ]
                )
            if id(child) not in sizes:
                stack.append((child, False))
    return tag_errors


def has_standard_tag(node: yaml.Node) -> bool:
    """True for the plain YAML tags an incident file may hold (explicit or implicit)."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag in _SCALAR_TAGS
    if isinstance(node, yaml.SequenceNode):
        return node.tag == TAG + "seq"
    return node.tag == TAG + "map"


def children(node: yaml.Node) -> list[yaml.Node]:
    """The direct children of a node (keys and values of a mapping)."""
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []
