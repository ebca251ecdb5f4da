"""Add events to an existing incident file by editing its text, not by re-dumping YAML:
everything else (comments, quoting, sample layout, YAML 1.2 numbers such as ``1e6`` that a
YAML 1.1 round trip would turn into text) stays byte for byte."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from ..loader import IncidentLoadError, parse_incident
from ..loader.source import decode, read_bytes
from .common import ImportInputError

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import Incident

__all__ = ["merge_event_lines", "read_incident_text", "replace_title"]


def read_incident_text(path: Path) -> tuple[str, Incident]:
    """The incident's text and model; its own positioned errors if it does not load."""
    try:
        text = decode(read_bytes(path), str(path))
        return text, parse_incident(text, path=str(path))
    except IncidentLoadError as exc:
        raise ImportInputError(f"--into {path} is not a valid incident:\n{exc}") from None


def merge_event_lines(text: str, path: str, items: list[str]) -> str:
    """``text`` with ``items`` (one-line flow mappings such as ``{at: 12, title: x}``)
    appended to its ``events`` list, or a new ``events:`` list at the end."""
    # The file was checked by the loader (no tags, no alias bombs), and the pure-Python
    # composer gives every node its end position, which the loader's does not keep.
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = None
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if getattr(k, "value", None) == "events"), None)
    if node is None:
        block = "".join(f"  - {item}\n" for item in items)
        return text + ("" if text.endswith("\n") else "\n") + "events:\n" + block
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        close = node.end_mark.index - 1  # the ']'
        joined = ", ".join(items)
        return text[:close] + (", " if node.value else "") + joined + text[close:]
    if isinstance(node, yaml.SequenceNode) and node.value:
        first = node.value[0].start_mark
        line_start = text.rfind("\n", 0, first.index) + 1
        indent = " " * (text.index("-", line_start) - line_start)
        at = _after_line(text, _content_end(node.value[-1]))
        block = "".join(f"{indent}- {item}\n" for item in items)
        prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
        return text[:at] + prefix + block + text[at:]
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        block = "".join(f"\n  - {item}" for item in items)
        return text[: node.start_mark.index] + block + text[node.end_mark.index :]
    raise ImportInputError(f"'events' in {path} is not a list; fix it before merging")


def replace_title(text: str, title_yaml: str) -> str:
    """``text`` with its top-level ``title`` value replaced by ``title_yaml``."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "title" and isinstance(value, yaml.ScalarNode):
            return text[: value.start_mark.index] + title_yaml + text[value.end_mark.index :]
    raise ImportInputError("the incident has no title to replace")  # the loader requires one


def _content_end(node: yaml.Node) -> int:
    """Where a node's own text ends (a block collection's end mark is only found at the
    next key, after any comments between, so descend to its last scalar)."""
    while not getattr(node, "flow_style", True) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.index


def _after_line(text: str, index: int) -> int:
    """The start of the line after ``index`` when the rest of its line is blank or a
    comment; ``index`` itself if a block scalar already ended with its line."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    rest = text[index : newline if newline >= 0 else len(text)].strip()
    if rest and not rest.startswith("#"):
        return index
    return len(text) if newline < 0 else newline + 1
