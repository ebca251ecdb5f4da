"""Load incident files (format ``incident-replay/1``) into the immutable model.

The file is composed into a YAML *node* tree (never constructed into arbitrary Python
objects), so every value keeps its line and column and no tag can run code. The checker
walks the tree once and collects every problem as a :class:`Diagnostic`
(``PATH:LINE:COL: error: MESSAGE``); if there are any, :class:`IncidentLoadError` carries
all of them. See docs/incident-format.md for the format itself.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from .model import (
    EVENT_KINDS,
    MAX_SERIES,
    Event,
    Incident,
    Learning,
    Outcome,
    Series,
    Threshold,
)
from .timecode import TimecodeError, format_timecode, parse_timecode

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "FORMAT_ID",
    "Diagnostic",
    "IncidentLoadError",
    "load_incident",
    "parse_incident",
]

FORMAT_ID = "incident-replay/1"
# Inline YAML samples are meant for incidents of thousands of points, not millions; the
# limit keeps a hostile or accidental multi-GB file from being read at all.
MAX_FILE_BYTES = 64 * 1024 * 1024
# Aliases are fine; an alias tree that would expand past this many nodes is a YAML bomb.
MAX_EXPANDED_NODES = 2_000_000

# Okabe-Ito-inspired palette that stays apart on a near-black background; the first two
# match the case study (rose p99, cyan hit rate).
DEFAULT_PALETTE = (
    "#f43f5e",
    "#22d3ee",
    "#fbbf24",
    "#a78bfa",
    "#34d399",
    "#fb923c",
    "#60a5fa",
    "#e879f9",
)

_TAG = "tag:yaml.org,2002:"
# "merge" is the standard tag of a '<<' key; the checker refuses it with its own message.
_SCALAR_TAGS = {
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
}
_SERIES_ID_RE = re.compile(r"[a-z0-9_-]+")
_COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
_FLOAT_RE = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
# Values are drawn in 32-bit floats; beyond this the chart cannot place them.
MAX_ABS_VALUE = 1e30
MIN_RANGE_WIDTH = 1e-30

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in an incident file, positioned 1-based at the offending node."""

    line: int
    column: int
    message: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: error: {self.message}"


class IncidentLoadError(Exception):
    """An incident file is invalid; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def load_incident(path: str | Path) -> Incident:
    """Read and validate an incident file.

    Raises
    ------
    IncidentLoadError
        With every problem found, each positioned ``PATH:LINE:COL``.
    """
    path = Path(path)
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IncidentLoadError(
                [
                    Diagnostic(
                        1,
                        1,
                        f"file is {size / 2**20:.0f} MiB; incident files are limited to "
                        f"{MAX_FILE_BYTES // 2**20} MiB",
                        shown,
                    )
                ]
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise IncidentLoadError([Diagnostic(1, 1, "is a directory, not a file", shown)]) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise IncidentLoadError([Diagnostic(1, 1, f"cannot read file: {reason}", shown)]) from None
    return parse_incident(data, path=shown, incident_id=_incident_id(path))


def parse_incident(
    source: bytes | str, *, path: str = "<string>", incident_id: str = "incident"
) -> Incident:
    """Validate incident YAML given as bytes or text (see :func:`load_incident`)."""
    text = _decode(source, path)
    root = _compose(text, path)
    checker = _Checker(path)
    checker.diagnostics.extend(_check_structure(root, path))
    incident = checker.incident(root, incident_id, Path(path) if path != "<string>" else None)
    if checker.diagnostics or incident is None:
        raise IncidentLoadError(checker.diagnostics)
    return incident


def _incident_id(path: Path) -> str:
    stem = path.name
    for suffix in (".yaml", ".yml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "incident"


def _decode(source: bytes | str, path: str) -> str:
    if isinstance(source, str):
        text = source
    else:
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = source.count(b"\n", 0, exc.start) + 1
            column = exc.start - (source.rfind(b"\n", 0, exc.start) + 1) + 1
            bad = source[exc.start : exc.start + 1].hex()
            raise IncidentLoadError(
                [
                    Diagnostic(
                        line,
                        column,
                        f"file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8",
                        path,
                    )
                ]
            ) from None
    if not text.strip():
        raise IncidentLoadError(
            [
                Diagnostic(
                    1, 1, "file is empty; expected an incident with 'title' and 'series'", path
                )
            ]
        )
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise IncidentLoadError(
            [Diagnostic(line, column, "file contains a NUL byte; is it a binary file?", path)]
        )
    return text


def _compose(text: str, path: str) -> yaml.Node:
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
        raise IncidentLoadError(
            [Diagnostic(line, column, f"invalid YAML: {problem}", path)]
        ) from None
    except yaml.YAMLError as exc:
        raise IncidentLoadError([Diagnostic(1, 1, f"invalid YAML: {exc}", path)]) from None
    except RecursionError:
        raise IncidentLoadError(
            [Diagnostic(1, 1, "YAML nests too deeply to be an incident file", path)]
        ) from None
    finally:
        loader.dispose()
    if root is None:
        raise IncidentLoadError(
            [
                Diagnostic(
                    1, 1, "file is empty; expected an incident with 'title' and 'series'", path
                )
            ]
        )
    return root


def _check_structure(root: yaml.Node, path: str) -> list[Diagnostic]:
    """One pass over the node graph before any value is read.

    Refuses alias cycles and alias trees that expand past MAX_EXPANDED_NODES (raising), and
    returns a diagnostic for every non-standard tag anywhere in the document, including
    under keys the checker would reject anyway. The composer shares one node object per
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
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_EXPANDED_NODES:
                raise IncidentLoadError(
                    [
                        _at(
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
        if not _has_standard_tag(node):
            tag = node.tag.replace(_TAG, "!!")
            tag_errors.append(
                _at(
                    node, f"YAML tag '{tag}' is not allowed; incident files hold plain values", path
                )
            )
        in_progress.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in in_progress:
                raise IncidentLoadError(
                    [
                        _at(
                            child,
                            "an alias refers to the node that contains it (recursive YAML)",
                            path,
                        )
                    ]
                )
            if id(child) not in sizes:
                stack.append((child, False))
    return tag_errors


def _at(node: yaml.Node, message: str, path: str) -> Diagnostic:
    mark = node.start_mark
    return Diagnostic(mark.line + 1, mark.column + 1, message, path)


def _has_standard_tag(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.tag in _SCALAR_TAGS
    if isinstance(node, yaml.SequenceNode):
        return node.tag == _TAG + "seq"
    return node.tag == _TAG + "map"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.removeprefix(_TAG)
    return {
        "null": "nothing (null)",
        "bool": f"a boolean ({node.value})",
        "int": f"a number ({node.value})",
        "float": f"a number ({node.value})",
        "timestamp": f"a date ({node.value})",
    }.get(tag, f"the text {node.value!r}")


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass(frozen=True)
class _Key:
    required: bool = False


_TOP_KEYS = {
    "format": _Key(),
    "title": _Key(required=True),
    "subtitle": _Key(),
    "summary": _Key(),
    "severity": _Key(),
    "role": _Key(),
    "stack": _Key(),
    "started_at": _Key(),
    "duration": _Key(),
    "series": _Key(required=True),
    "thresholds": _Key(),
    "events": _Key(),
    "actions": _Key(),
    "learnings": _Key(),
    "outcomes": _Key(),
}
_SERIES_KEYS = {
    "id": _Key(required=True),
    "label": _Key(),
    "unit": _Key(),
    "color": _Key(),
    "axis": _Key(),
    "range": _Key(),
    "samples": _Key(required=True),
}
_THRESHOLD_KEYS = {
    "series": _Key(required=True),
    "value": _Key(required=True),
    "label": _Key(required=True),
    "bad": _Key(),
}
_EVENT_KEYS = {
    "at": _Key(required=True),
    "title": _Key(required=True),
    "detail": _Key(),
    "kind": _Key(),
}
_LEARNING_KEYS = {"title": _Key(required=True), "detail": _Key()}
_OUTCOME_KEYS = {"value": _Key(required=True), "label": _Key(required=True), "note": _Key()}


class _Checker:
    """Walks the node tree, building model values and collecting diagnostics."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self._constructor = yaml.constructor.SafeConstructor()

    # -- reporting -------------------------------------------------------------------

    def error(self, node: yaml.Node, message: str) -> None:
        self.diagnostics.append(_at(node, message, self.path))

    # -- generic shapes --------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, keys: dict[str, _Key], what: str
    ) -> dict[str, yaml.Node] | None:
        if not self.standard_tag(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping of keys, got {_describe(node)}")
            return None
        found: dict[str, yaml.Node] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                message = (
                    "YAML merge keys ('<<') are not supported; write the keys out"
                    if key_node.tag == _TAG + "merge"
                    else f"keys in {what} must be plain words, got {_describe(key_node)}"
                )
                self.error(key_node, message)
                continue
            key = str(key_node.value)
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.error(
                    key_node, f"duplicate key '{key}' in {what} (first given on line {line})"
                )
                continue
            first_seen[key] = key_node
            if key not in keys:
                self.error(key_node, f"unknown key '{key}' in {what}{_suggest(key, list(keys))}")
                continue
            found[key] = value_node
        for key, spec in keys.items():
            if spec.required and key not in found and key not in first_seen:
                self.error(node, f"{what} is missing the required key '{key}'")
        return found

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not self.standard_tag(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list, got {_describe(node)}")
            return None
        return node.value

    @staticmethod
    def standard_tag(node: yaml.Node) -> bool:
        """False for a non-standard tag (already reported by _check_structure)."""
        return _has_standard_tag(node)

    def scalar(self, node: yaml.Node, what: str) -> Any:
        """The Python value of a scalar node (safe tags only); reports and raises if not."""
        if not self.standard_tag(node):
            raise _AlreadyReportedError
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be a single value, got {_describe(node)}")
            raise _AlreadyReportedError
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            self.error(node, f"{what} has an unreadable value {node.value!r}")
            raise _AlreadyReportedError from None

    def text(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
        """A string field. Numbers and booleans are taken as written (``severity: 2``)."""
        value = self.scalar(node, what)
        if value is None:
            self.error(node, f"{what} must be text, got nothing (null)")
            raise _AlreadyReportedError
        text = value if isinstance(value, str) else str(node.value)
        if not allow_empty and not text.strip():
            self.error(node, f"{what} must not be empty")
            raise _AlreadyReportedError
        return text

    def number(self, node: yaml.Node, what: str) -> float:
        value = self.scalar(node, what)
        plain = not node.style  # None (PyYAML) or "" (libyaml) for an unquoted scalar
        if isinstance(value, str) and plain and _FLOAT_RE.fullmatch(value):
            value = float(value)  # YAML 1.2 / JSON floats such as 1e6, which YAML 1.1 calls text
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node, f"{what} must be a number, got {_describe(node)}")
            raise _AlreadyReportedError
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.error(node, f"{what} must be a finite number, got {_short(node.value)}")
            raise _AlreadyReportedError
        if abs(number) > MAX_ABS_VALUE:
            self.error(
                node,
                f"{what} {_short(node.value)} is too large to chart (limit: ±{MAX_ABS_VALUE:.0e})",
            )
            raise _AlreadyReportedError
        return number

    def timecode(self, node: yaml.Node, what: str) -> float:
        value = self.scalar(node, what)
        if value is None or isinstance(value, bool | dt.date):
            self.error(
                node, f"{what} must be a timecode like T+01:30 or 90s, got {_describe(node)}"
            )
            raise _AlreadyReportedError
        try:
            return parse_timecode(value)
        except TimecodeError as exc:
            self.error(node, f"{what}: {exc}")
            raise _AlreadyReportedError from None

    def optional(self, found: dict[str, yaml.Node], key: str, read: Callable[[yaml.Node], Any]):
        """Read ``found[key]`` with ``read`` if present; None if absent or invalid."""
        if key not in found:
            return None
        try:
            return read(found[key])
        except _AlreadyReportedError:
            return None

    def text_list(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        items = self.sequence(node, what) or []
        result = []
        for index, item in enumerate(items, 1):
            try:
                result.append(self.text(item, f"{what} item {index}"))
            except _AlreadyReportedError:
                pass
        return tuple(result)

    # -- the incident ------------------------------------------------------------------

    def incident(self, root: yaml.Node, incident_id: str, source: Path | None) -> Incident | None:
        found = self.mapping(root, _TOP_KEYS, "the incident")
        if found is None:
            return None

        def read_format(node: yaml.Node) -> str:
            value = self.text(node, "'format'")
            if value != FORMAT_ID:
                self.error(node, f"unsupported format {value!r}; this version reads '{FORMAT_ID}'")
            return value

        self.optional(found, "format", read_format)
        title = self.optional(found, "title", lambda n: self.text(n, "'title'"))
        strings = {
            key: self.optional(
                found, key, lambda n, k=key: self.text(n, f"'{k}'", allow_empty=True)
            )
            or ""
            for key in ("subtitle", "summary", "severity", "role")
        }
        stack = self.optional(found, "stack", lambda n: self.text_list(n, "'stack'")) or ()
        started_at = self.optional(found, "started_at", self.started_at)
        duration = self.optional(found, "duration", lambda n: self.timecode(n, "'duration'"))

        series = self.optional(found, "series", self.series_list) or ()
        series_ids = [s.id for s in series]
        thresholds = self.optional(found, "thresholds", lambda n: self.thresholds(n, series_ids))
        events = self.optional(found, "events", self.events) or ()
        actions = self.optional(found, "actions", lambda n: self.text_list(n, "'actions'")) or ()
        learnings = self.optional(found, "learnings", self.learnings) or ()
        outcomes = self.optional(found, "outcomes", self.outcomes) or ()

        times = [float(s.times[0]) for s in series if len(s.times)]
        times += [float(s.times[-1]) for s in series if len(s.times)]
        times += [e.at for e in events]
        # The timeline always contains T+0: from min(0, earliest) to duration (default:
        # max(0, latest)), so an incident with only a baseline still has its trigger.
        start = min([0.0, *times])
        latest = max([0.0, *times])
        if duration is not None:
            if duration <= 0:
                self.error(found["duration"], "'duration' must be after T+00:00")
            elif duration < latest:
                self.error(
                    found["duration"],
                    f"'duration' {format_timecode(duration)} ends before the last sample or "
                    f"event at {format_timecode(latest, decimals=3 if latest % 1 else 0)}",
                )
            end = duration
        else:
            end = latest
        if end <= start:
            end = start + 1.0  # a single instant still gets a one-second timeline

        if self.diagnostics or title is None or not series:
            return None
        return Incident(
            id=incident_id,
            title=title,
            series=tuple(series),
            start=start,
            end=end,
            stack=stack,
            started_at=started_at,
            thresholds=thresholds or (),
            events=events,
            actions=actions,
            learnings=learnings,
            outcomes=outcomes,
            source=source,
            **strings,
        )

    def started_at(self, node: yaml.Node) -> dt.datetime:
        value = self.scalar(node, "'started_at'")
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                value = None
        if isinstance(value, dt.datetime):
            return value
        self.error(
            node,
            "'started_at' must be an ISO-8601 date-time such as 2024-03-05T14:02:00Z, "
            f"got {_describe(node)}",
        )
        raise _AlreadyReportedError

    def series_list(self, node: yaml.Node) -> tuple[Series, ...]:
        items = self.sequence(node, "'series'")
        if items is None:
            return ()
        if not items:
            self.error(node, "'series' must list at least one series")
            return ()
        if len(items) > MAX_SERIES:
            self.error(items[MAX_SERIES], f"too many series: at most {MAX_SERIES} are shown")
        result: list[Series] = []
        seen: dict[str, yaml.Node] = {}
        first_unit: str | None = None
        for index, item in enumerate(items[:MAX_SERIES]):
            series = self.one_series(item, index, seen, first_unit)
            if series is not None:
                if first_unit is None:
                    first_unit = series.unit
                result.append(series)
        return tuple(result)

    def one_series(
        self, node: yaml.Node, index: int, seen: dict[str, yaml.Node], first_unit: str | None
    ) -> Series | None:
        what = f"series {index + 1}"
        found = self.mapping(node, _SERIES_KEYS, what)
        if found is None:
            return None

        def read_id(id_node: yaml.Node) -> str:
            series_id = self.text(id_node, f"{what} 'id'")
            if not _SERIES_ID_RE.fullmatch(series_id):
                self.error(
                    id_node,
                    f"series id {series_id!r} may only use a-z, 0-9, '_' and '-' "
                    f"(e.g. {re.sub(r'[^a-z0-9_-]+', '_', series_id.lower())!r})",
                )
                raise _AlreadyReportedError
            if series_id in seen:
                line = seen[series_id].start_mark.line + 1
                self.error(
                    id_node, f"duplicate series id '{series_id}' (first used on line {line})"
                )
                raise _AlreadyReportedError
            seen[series_id] = id_node
            return series_id

        series_id = self.optional(found, "id", read_id)
        if series_id:
            what = f"series '{series_id}'"
        label = self.optional(found, "label", lambda n: self.text(n, f"{what} 'label'"))
        unit = self.optional(
            found, "unit", lambda n: self.text(n, f"{what} 'unit'", allow_empty=True)
        )
        color = self.optional(found, "color", lambda n: self.color(n, what))
        axis = self.optional(
            found, "axis", lambda n: self.choice(n, f"{what} 'axis'", ("left", "right"))
        )
        value_range = self.optional(found, "range", lambda n: self.value_range(n, what))
        samples = self.optional(found, "samples", lambda n: self.samples(n, what))
        if series_id is None or samples is None:
            return None
        unit = unit or ""
        if axis is None:
            axis = "left" if first_unit is None or unit == first_unit else "right"
        times, values = samples
        return Series(
            id=series_id,
            label=label or series_id,
            unit=unit,
            color=color or _hex_to_rgb(DEFAULT_PALETTE[index % len(DEFAULT_PALETTE)]),
            axis=axis,
            range=value_range,
            times=times,
            values=values,
        )

    def choice(self, node: yaml.Node, what: str, options: tuple[str, ...]) -> str:
        value = self.text(node, what)
        if value not in options:
            listed = ", ".join(options)
            self.error(
                node, f"{what} must be one of {listed}, got {value!r}{_suggest(value, options)}"
            )
            raise _AlreadyReportedError
        return value

    def color(self, node: yaml.Node, what: str) -> tuple[float, float, float]:
        value = self.scalar(node, f"{what} 'color'")
        if value is None:
            self.error(
                node,
                f"{what} 'color' is empty; quote it (color: \"#22d3ee\"): "
                "an unquoted # starts a YAML comment",
            )
            raise _AlreadyReportedError
        if not isinstance(value, str) or not _COLOR_RE.fullmatch(value):
            self.error(node, f"{what} 'color' must be '#rrggbb', got {node.value!r}")
            raise _AlreadyReportedError
        return _hex_to_rgb(value)

    def value_range(self, node: yaml.Node, what: str) -> tuple[float, float]:
        items = self.sequence(node, f"{what} 'range'")
        if items is None:
            raise _AlreadyReportedError
        if len(items) != 2:
            self.error(node, f"{what} 'range' must be [min, max], got {len(items)} values")
            raise _AlreadyReportedError
        low = self.number(items[0], f"{what} 'range' min")
        high = self.number(items[1], f"{what} 'range' max")
        if not low < high:
            self.error(node, f"{what} 'range' min must be below max, got [{low:g}, {high:g}]")
            raise _AlreadyReportedError
        if high - low < max(MIN_RANGE_WIDTH, 1e-9 * max(abs(low), abs(high))):
            self.error(node, f"{what} 'range' [{low:g}, {high:g}] is too narrow to chart")
            raise _AlreadyReportedError
        return (low, high)

    def samples(self, node: yaml.Node, what: str) -> tuple[np.ndarray, np.ndarray]:
        items = self.sequence(node, f"{what} 'samples'")
        if items is None:
            raise _AlreadyReportedError
        if not items:
            self.error(node, f"{what} 'samples' must hold at least one [time, value] pair")
            raise _AlreadyReportedError
        times = np.empty(len(items), dtype=np.float64)
        values = np.empty(len(items), dtype=np.float64)
        ok = True
        previous: tuple[float, yaml.Node] | None = None
        for index, item in enumerate(items):
            if not isinstance(item, yaml.SequenceNode) or len(item.value) != 2:
                shown = (
                    f"{len(item.value)} values"
                    if isinstance(item, yaml.SequenceNode)
                    else _describe(item)
                )
                self.error(
                    item, f"{what} sample {index + 1} must be a [time, value] pair, got {shown}"
                )
                ok = False
                continue
            time_node, value_node = item.value
            try:
                t = self.timecode(time_node, f"{what} sample {index + 1} time")
                if previous is not None and t <= previous[0]:
                    self.error(
                        time_node,
                        f"{what} sample time {_fmt(t)} is not after the previous sample's "
                        f"{_fmt(previous[0])} (line {previous[1].start_mark.line + 1}); "
                        "sample times must be strictly increasing",
                    )
                    ok = False
                previous = (t, time_node)
                times[index] = t
            except _AlreadyReportedError:
                ok = False
            try:
                raw = self.scalar(value_node, f"{what} sample {index + 1} value")
                if raw is None:
                    values[index] = np.nan  # null marks a gap in the data
                elif isinstance(raw, float) and not math.isfinite(raw):
                    self.error(
                        value_node,
                        f"{what} sample {index + 1} value must be finite, "
                        f"got {_short(value_node.value)}; "
                        "write null for a gap in the data",
                    )
                    ok = False
                else:
                    values[index] = self.number(value_node, f"{what} sample {index + 1} value")
            except _AlreadyReportedError:
                ok = False
        if not ok:
            raise _AlreadyReportedError
        return times, values

    def thresholds(self, node: yaml.Node, series_ids: list[str]) -> tuple[Threshold, ...]:
        result = []
        for index, item in enumerate(self.sequence(node, "'thresholds'") or [], 1):
            what = f"threshold {index}"
            found = self.mapping(item, _THRESHOLD_KEYS, what)
            if found is None:
                continue

            def read_series(n: yaml.Node, what: str = what) -> str:
                ref = self.text(n, f"{what} 'series'")
                if series_ids and ref not in series_ids:
                    self.error(
                        n, f"{what} refers to unknown series '{ref}'{_suggest(ref, series_ids)}"
                    )
                    raise _AlreadyReportedError
                return ref

            series_id = self.optional(found, "series", read_series)
            value = self.optional(found, "value", lambda n, w=what: self.number(n, f"{w} 'value'"))
            label = self.optional(found, "label", lambda n, w=what: self.text(n, f"{w} 'label'"))
            bad = self.optional(
                found, "bad", lambda n, w=what: self.choice(n, f"{w} 'bad'", ("above", "below"))
            )
            if series_id is not None and value is not None and label is not None:
                result.append(Threshold(series_id, value, label, bad or "above"))
        return tuple(result)

    def events(self, node: yaml.Node) -> tuple[Event, ...]:
        result = []
        for index, item in enumerate(self.sequence(node, "'events'") or [], 1):
            what = f"event {index}"
            found = self.mapping(item, _EVENT_KEYS, what)
            if found is None:
                continue
            at = self.optional(found, "at", lambda n, w=what: self.timecode(n, f"{w} 'at'"))
            title = self.optional(found, "title", lambda n, w=what: self.text(n, f"{w} 'title'"))
            detail = self.optional(
                found, "detail", lambda n, w=what: self.text(n, f"{w} 'detail'", allow_empty=True)
            )
            kind = self.optional(
                found, "kind", lambda n, w=what: self.choice(n, f"{w} 'kind'", EVENT_KINDS)
            )
            if at is not None and title is not None:
                result.append(Event(at, title, detail or "", kind or "note"))
        # Stable: events at the same time keep their order from the file.
        return tuple(sorted(result, key=lambda event: event.at))

    def learnings(self, node: yaml.Node) -> tuple[Learning, ...]:
        result = []
        for index, item in enumerate(self.sequence(node, "'learnings'") or [], 1):
            what = f"learning {index}"
            if isinstance(item, yaml.ScalarNode):
                try:
                    result.append(Learning(self.text(item, what)))
                except _AlreadyReportedError:
                    pass
                continue
            found = self.mapping(item, _LEARNING_KEYS, what)
            if found is None:
                continue
            title = self.optional(found, "title", lambda n, w=what: self.text(n, f"{w} 'title'"))
            detail = self.optional(
                found, "detail", lambda n, w=what: self.text(n, f"{w} 'detail'", allow_empty=True)
            )
            if title is not None:
                result.append(Learning(title, detail or ""))
        return tuple(result)

    def outcomes(self, node: yaml.Node) -> tuple[Outcome, ...]:
        result = []
        for index, item in enumerate(self.sequence(node, "'outcomes'") or [], 1):
            what = f"outcome {index}"
            found = self.mapping(item, _OUTCOME_KEYS, what)
            if found is None:
                continue
            value = self.optional(found, "value", lambda n, w=what: self.text(n, f"{w} 'value'"))
            label = self.optional(found, "label", lambda n, w=what: self.text(n, f"{w} 'label'"))
            note = self.optional(
                found, "note", lambda n, w=what: self.text(n, f"{w} 'note'", allow_empty=True)
            )
            if value is not None and label is not None:
                result.append(Outcome(value, label, note or ""))
        return tuple(result)


class _AlreadyReportedError(Exception):
    """Internal: a value was invalid and already reported; skip it."""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(t: float) -> str:
    return format_timecode(t, decimals=3 if t % 1 else 0)


def _hex_to_rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
