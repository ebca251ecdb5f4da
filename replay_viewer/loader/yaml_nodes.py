"""Typed, positioned reads of YAML nodes, and one table-driven reader for records.

:class:`NodeReader` knows YAML shapes and scalar types but nothing about incidents: it reads
text, numbers, timecodes, choices and colours, and mappings with known keys, reporting every
problem at the node as a :class:`~.diagnostics.Diagnostic`. A value that was invalid (and is
already reported) raises :class:`Invalid` so the caller skips it and reads on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import yaml

from ..model import MAX_ABS_VALUE, hex_to_rgb
from ..timecode import TimecodeError, parse_timecode
from .compose import TAG, has_standard_tag
from .diagnostics import Diagnostic, diagnostic_at, shorten, warning_at

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["Field", "Invalid", "NodeReader", "describe", "suggest"]

T = TypeVar("T")

_COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
_FLOAT_RE = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


class Invalid(Exception):  # noqa: N818 (a signal, not an error: it was already reported)
    """A value was invalid and already reported; the caller skips it."""


@dataclass(frozen=True)
class Field(Generic[T]):
    """One key of a record: how to read its value, whether it must be given, its default.

    ``read(node, label)`` gets the label ``"<record> '<key>'"`` (e.g. ``"event 2 'at'"``) to
    name the value in messages; with ``labelled=False`` it gets the record's own label.
    """

    read: Callable[[yaml.Node, str], T]
    required: bool = False
    default: T | None = None
    labelled: bool = True


def describe(node: yaml.Node) -> str:
    """What a node is, in words for a message (``a list``, ``the text 'x'``)."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.removeprefix(TAG)
    value = shorten(node.value)
    return {
        "null": "nothing (null)",
        "bool": f"a boolean ({value})",
        "int": f"a number ({value})",
        "float": f"a number ({value})",
        "timestamp": f"a date ({value})",
    }.get(tag, f"the text {value!r}")


def suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or nothing."""
    if len(word) > 100:  # no option is that long, and matching it would be slow
        return ""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class NodeReader:
    """Reads node values by type, collecting positioned diagnostics for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []  # the file loads, but says what was repaired
        self._constructor = yaml.constructor.SafeConstructor()

    def error(self, node: yaml.Node, message: str) -> None:
        self.diagnostics.append(diagnostic_at(node, message, self.path))

    def warn(self, node: yaml.Node, message: str) -> None:
        self.warnings.append(warning_at(node, message, self.path))

    # -- shapes ----------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, fields: Mapping[str, Field[Any]], what: str
    ) -> dict[str, yaml.Node] | None:
        """The value nodes of the known keys; reports unknown, duplicate and missing keys."""
        if not has_standard_tag(node):
            return None  # already reported by compose
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping of keys, got {describe(node)}")
            return None
        found: dict[str, yaml.Node] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == TAG + "merge":
                message = (
                    "YAML merge keys ('<<') are not supported; write the keys out"
                    if key_node.tag == TAG + "merge"
                    else f"keys in {what} must be plain words, got {describe(key_node)}"
                )
                self.error(key_node, message)
                continue
            key = str(key_node.value)
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.error(
                    key_node,
                    f"duplicate key '{shorten(key)}' in {what} (first given on line {line})",
                )
                continue
            first_seen[key] = key_node
            if key not in fields:
                hint = suggest(key, list(fields))
                self.error(key_node, f"unknown key '{shorten(key)}' in {what}{hint}")
                continue
            found[key] = value_node
        for key, field in fields.items():
            if field.required and key not in first_seen:
                self.error(node, f"{what} is missing the required key '{key}'")
        return found

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        """The items of a list; reports and returns None for anything else."""
        if not has_standard_tag(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list, got {describe(node)}")
            return None
        return node.value

    # -- records ---------------------------------------------------------------------

    def fields(
        self,
        found: dict[str, yaml.Node],
        fields: Mapping[str, Field[Any]],
        what: str,
        *,
        prefix: str | None = None,
    ) -> dict[str, Any]:
        """Every field of a record: its value, its default if absent, None if invalid.

        Values are labelled ``"<prefix> '<key>'"``; ``prefix`` defaults to ``what``.
        """
        prefix = what if prefix is None else prefix
        values: dict[str, Any] = {}
        for key, field in fields.items():
            if key not in found:
                values[key] = field.default
                continue
            label = f"{prefix} '{key}'".lstrip() if field.labelled else what
            try:
                values[key] = field.read(found[key], label)
            except Invalid:
                values[key] = None
        return values

    def record(
        self, node: yaml.Node, fields: Mapping[str, Field[Any]], what: str
    ) -> dict[str, Any] | None:
        """A mapping read by its field table (see :class:`Field`); None if anything in it
        was reported."""
        errors_before = len(self.diagnostics)
        found = self.mapping(node, fields, what)
        if found is None:
            return None
        values = self.fields(found, fields, what)
        return values if len(self.diagnostics) == errors_before else None

    def record_list(
        self,
        node: yaml.Node,
        fields: Mapping[str, Field[Any]],
        build: Callable[[dict[str, Any]], T],
        *,
        what: str,
        item: str,
        shorthand: Callable[[yaml.Node, str], T] | None = None,
        positioned: bool = False,
    ) -> tuple[T, ...]:
        """A list of records labelled ``"<item> <n>"``; invalid ones are reported and skipped.

        ``shorthand`` reads an item written as a single value instead of a mapping;
        ``positioned`` adds the item's ``line`` and ``column`` (1-based) to its values.
        """
        result: list[T] = []
        for index, item_node in enumerate(self.sequence(node, what) or [], 1):
            label = f"{item} {index}"
            if shorthand is not None and isinstance(item_node, yaml.ScalarNode):
                try:
                    result.append(shorthand(item_node, label))
                except Invalid:
                    pass
                continue
            values = self.record(item_node, fields, label)
            if values is not None:
                if positioned:
                    mark = item_node.start_mark
                    values.update(line=mark.line + 1, column=mark.column + 1)
                result.append(build(values))
        return tuple(result)

    def text_list(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """A list of non-empty texts (``stack``, ``actions``)."""
        result = []
        for index, item in enumerate(self.sequence(node, what) or [], 1):
            try:
                result.append(self.text(item, f"{what} item {index}"))
            except Invalid:
                pass
        return tuple(result)

    # -- scalars ---------------------------------------------------------------------

    def scalar(self, node: yaml.Node, what: str) -> Any:
        """The Python value of a scalar node (safe tags only); reports and raises if not."""
        if not has_standard_tag(node):
            raise Invalid
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be a single value, got {describe(node)}")
            raise Invalid
        try:
            # Straight to the scalar's constructor: construct_object's bookkeeping for
            # recursive collections is a third of the time of reading many samples.
            construct = self._constructor.yaml_constructors[node.tag]
            return construct(self._constructor, node)
        except Exception:
            # PyYAML's constructors assume the resolver chose the tag, so an explicit tag
            # on a value that does not fit (!!bool x, !!int "", !!timestamp x) fails with
            # KeyError, IndexError or AttributeError as well as ValueError.
            tag = node.tag.replace(TAG, "!!")
            # YAML reads a plain value shaped like a date (2025-13-45) as a timestamp: no
            # tag was written, so the advice is about the date.
            implicit = not node.style and yaml.resolver.Resolver().resolve(
                yaml.ScalarNode, node.value, (True, False)) == node.tag  # fmt: skip
            fix = ("date-time (ISO-8601, such as 2024-03-05T14:02:00Z)" if implicit
                   else f"{tag}; remove the tag or fix the value")  # fmt: skip
            self.error(
                node,
                f"{what} has the value {shorten(node.value)!r}, which is not a valid {fix}",
            )
            raise Invalid from None

    def text(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
        """A string field. Numbers and booleans are taken as written (``severity: 2``)."""
        value = self.scalar(node, what)
        if value is None:
            self.error(node, f"{what} must be text, got nothing (null)")
            raise Invalid
        text = value if isinstance(value, str) else str(node.value)
        if not allow_empty and not text.strip():
            self.error(node, f"{what} must not be empty")
            raise Invalid
        return text

    def optional_text(self, node: yaml.Node, what: str) -> str:
        """A text that may be empty."""
        return self.text(node, what, allow_empty=True)

    def number(self, node: yaml.Node, what: str) -> float:
        """A finite number within what the chart can draw."""
        value = self.scalar(node, what)
        plain = not node.style  # None (PyYAML) or "" (libyaml) for an unquoted scalar
        if isinstance(value, str) and plain and _FLOAT_RE.fullmatch(value):
            value = float(value)  # YAML 1.2 / JSON floats such as 1e6, which YAML 1.1 calls text
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node, f"{what} must be a number, got {describe(node)}")
            raise Invalid
        number = _to_float(value)
        if not math.isfinite(number):
            self.error(node, f"{what} must be a finite number, got {shorten(node.value)}")
            raise Invalid
        if abs(number) > MAX_ABS_VALUE:
            self.error(
                node,
                f"{what} {shorten(node.value)} is too large to chart (limit: ±{MAX_ABS_VALUE:.0e})",
            )
            raise Invalid
        return number

    def timecode(self, node: yaml.Node, what: str) -> float:
        """A time relative to T+0 (see :func:`~replay_viewer.timecode.parse_timecode`)."""
        value = self.scalar(node, what)
        if value is None or isinstance(value, bool | dt.date):
            self.error(node, f"{what} must be a timecode like T+01:30 or 90s, got {describe(node)}")
            raise Invalid
        if isinstance(value, int) and len(node.value) > 40:
            value = _to_float(value)  # echoed as 1e+300, not as 300 digits
        try:
            return parse_timecode(value)
        except TimecodeError as exc:
            self.error(node, f"{what}: {exc}")
            raise Invalid from None

    def boolean(self, node: yaml.Node, what: str) -> bool:
        """``true`` or ``false``."""
        value = self.scalar(node, what)
        if not isinstance(value, bool):
            self.error(node, f"{what} must be true or false, got {describe(node)}")
            raise Invalid
        return value

    def choice(self, node: yaml.Node, what: str, options: tuple[str, ...]) -> str:
        """One of ``options``, suggesting the closest on a typo."""
        value = self.text(node, what)
        if value not in options:
            listed = ", ".join(options)
            self.error(
                node,
                f"{what} must be one of {listed}, got {shorten(value)!r}{suggest(value, options)}",
            )
            raise Invalid
        return value

    def color(self, node: yaml.Node, what: str) -> tuple[float, float, float]:
        """A ``'#rrggbb'`` colour as RGB in 0..1."""
        value = self.scalar(node, what)
        if value is None:
            self.error(
                node,
                f'{what} is empty; quote it (color: "#22d3ee"): '
                "an unquoted # starts a YAML comment",
            )
            raise Invalid
        if not isinstance(value, str) or not _COLOR_RE.fullmatch(value):
            self.error(node, f"{what} must be '#rrggbb', got {shorten(node.value)!r}")
            raise Invalid
        return hex_to_rgb(value)

    def date_time(self, node: yaml.Node, what: str) -> dt.datetime:
        """An ISO-8601 date-time, plain (a YAML timestamp) or quoted."""
        value = self.scalar(node, what)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                value = None
        if isinstance(value, dt.datetime):
            return value
        self.error(
            node,
            f"{what} must be an ISO-8601 date-time such as 2024-03-05T14:02:00Z, "
            f"got {describe(node)}",
        )
        raise Invalid


def _to_float(value: float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond float's range
        return math.inf
