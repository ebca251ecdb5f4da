"""Values written into an incident file's text as its author would: plain where YAML reads
the plain text back as the same text, quoted otherwise, in the style the value had.

Times are written to the millisecond: as a number of seconds where the file wrote a number,
as a timecode (``T+05:00``, ``T+2d 04:05:00``) everywhere else.
"""

from __future__ import annotations

import functools
import re

import yaml

from ..importers.writer import quote
from ..timecode import format_timecode

__all__ = ["is_number", "render_bool", "render_text", "render_time"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_PRINTABLE = re.compile(r"[\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


@functools.lru_cache(maxsize=1024)
def plain_reads_back(text: str, *, flow: bool) -> bool:
    """Whether ``text`` written plain (unquoted) as a mapping's value reads back as the
    same text, in a flow mapping (``{k: …}``) or a block one (``k: …``)."""
    if not text or text != text.strip() or not _PRINTABLE.fullmatch(text):
        return False
    document = f"{{k: {text}}}" if flow else f"k: {text}\n"
    try:
        root = yaml.compose(document, Loader=_Loader)
    except yaml.YAMLError:
        return False
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return False
    value = root.value[0][1]
    return isinstance(value, yaml.ScalarNode) and value.tag == _STR and value.value == text


def render_text(text: str, *, flow: bool, like: yaml.Node | None = None) -> str:
    """``text`` as a YAML value: in the quoting of the value it replaces (``like``) when
    that still reads back, plain when it can be, double-quoted otherwise."""
    style = getattr(like, "style", None) or None
    if style == "'" and _PRINTABLE.fullmatch(text):
        return "'" + text.replace("'", "''") + "'"
    if style != '"' and plain_reads_back(text, flow=flow):
        return text
    return quote(text)


def is_number(node: yaml.Node | None) -> bool:
    """Whether the file wrote this time as a plain number of seconds (``at: 90``)."""
    return isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS and not node.style


def render_time(seconds: float, *, flow: bool, like: yaml.Node | None = None) -> str:
    """A time in the form of the value it replaces: seconds for a number, else a timecode;
    rounded to the millisecond."""
    seconds = round(seconds, 3) + 0.0  # no -0.0
    if is_number(like):
        whole = seconds == int(seconds) and abs(seconds) < 1e15
        return str(int(seconds)) if whole else repr(seconds)
    decimals = 0 if seconds == int(seconds) else 3
    text = format_timecode(seconds, decimals=decimals)
    if decimals:
        text = text.rstrip("0")
    return text if plain_reads_back(text, flow=flow) else quote(text)


def render_bool(value: bool) -> str:
    return "true" if value else "false"
