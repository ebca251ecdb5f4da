"""Add series and events to an existing incident file by editing its text, not by
re-dumping YAML: everything else (comments, quoting, sample layout, YAML 1.2 numbers such
as ``1e6`` that a YAML 1.1 round trip would turn into text) stays byte for byte."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import yaml

from ..errors import UsageError
from ..loader import IncidentLoadError, parse_incident
from ..loader.source import decode, read_bytes
from .common import ImportInputError

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import Incident

__all__ = [
    "after_line",
    "content_end",
    "merge_event_lines",
    "merge_lines",
    "read_incident_text",
    "replace_title",
]


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
    return merge_lines(text, path, events=items)


def merge_lines(text: str, path: str, *, series: list[str] = (), events: list[str] = ()) -> str:
    """``text`` with ``series`` (block-sequence lines as the writer renders them, ``  - id:
    …`` and their continuation lines) appended to its ``series`` list and ``events`` (one-line
    flow mappings) to its ``events`` list (or a new one at the end)."""
    # The file was checked by the loader (no tags, no alias bombs), and the pure-Python
    # composer gives every node its end position, which the loader's does not keep.
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits = []  # (start, order at the same start, end, new text): applied from the back
    if series:
        edits.append((*_series_edit(root, text, path, list(series)), 0))
    if events:
        edits.append((*_events_edit(root, text, path, list(events)), 1))
    for start, end, new, _ in sorted(edits, key=lambda e: (e[0], e[3]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _top_level(root: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    return next((v for k, v in root.value if getattr(k, "value", None) == key), None)


def _events_edit(root, text: str, path: str, items: list[str]) -> tuple[int, int, str]:
    node = _top_level(root, "events")
    if node is None:
        block = "".join(f"  - {item}\n" for item in items)
        return len(text), len(text), ("" if text.endswith("\n") else "\n") + "events:\n" + block
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        close = node.end_mark.index - 1  # the ']'
        return close, close, (", " if node.value else "") + ", ".join(items)
    if isinstance(node, yaml.SequenceNode) and node.value:
        indent, at, prefix = _block_end(text, node)
        return at, at, prefix + "".join(f"{indent}- {item}\n" for item in items)
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        block = "".join(f"\n  - {item}" for item in items)
        return node.start_mark.index, node.end_mark.index, block
    raise ImportInputError(f"'events' in {path} is not a list; fix it before merging")


def _series_edit(root, text: str, path: str, lines: list[str]) -> tuple[int, int, str]:
    node = _top_level(root, "series")
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        raise ImportInputError(
            f"'series' in {path} is not a block list (one '- id: …' item per line); "
            "write it as one to merge into it"
        )
    indent, at, prefix = _block_end(text, node)
    shift = len(indent) - 2  # the writer indents items by two spaces
    moved = [" " * shift + line if shift >= 0 else line[-shift:] for line in lines]
    return at, at, prefix + "".join(f"{line}\n" for line in moved)


def _block_end(text: str, node: yaml.SequenceNode) -> tuple[str, int, str]:
    """A block sequence's item indent, where a new item goes (after its last item's
    line), and the line break needed before it."""
    first = node.value[0].start_mark
    line_start = text.rfind("\n", 0, first.index) + 1
    indent = " " * (text.index("-", line_start) - line_start)
    at = after_line(text, content_end(node.value[-1]))
    prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
    return indent, at, prefix


def replace_title(text: str, title_yaml: str) -> str:
    """``text`` with its top-level ``title`` value replaced by ``title_yaml``."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "title" and isinstance(value, yaml.ScalarNode):
            return text[: value.start_mark.index] + title_yaml + text[value.end_mark.index :]
    raise ImportInputError("the incident has no title to replace")  # the loader requires one


def content_end(node: yaml.Node) -> int:
    """Where a node's own text ends (a block collection's end mark is only found at the
    next key, after any comments between, so descend to its last scalar)."""
    while not getattr(node, "flow_style", True) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.index


def after_line(text: str, index: int) -> int:
    """The start of the line after ``index`` when the rest of its line is blank or a
    comment; ``index`` itself if a block scalar already ended with its line."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    rest = text[index : newline if newline >= 0 else len(text)].strip()
    if rest and not rest.startswith("#"):
        return index
    return len(text) if newline < 0 else newline + 1


def incident_clock(incident: Incident, path: Path, start: float | None) -> float | None:
    """Epoch seconds of ``incident``'s T+0: its ``started_at`` (no offset means UTC), or
    ``start`` (``--start``) when it has none; a ``--start`` that disagrees with its
    ``started_at`` is a usage error. None when neither is known."""
    if incident.started_at is None:
        return start
    moment = incident.started_at
    if moment.tzinfo is None:  # the format: no offset means UTC, not the machine's zone
        moment = moment.replace(tzinfo=dt.UTC)
    clock = moment.timestamp()
    if start is not None and abs(start - clock) > 1e-3:
        raise UsageError(
            f"--start differs from {path}'s started_at ({incident.started_at}); leave "
            "--start out to place what is imported by the incident's clock"
        )
    return clock
