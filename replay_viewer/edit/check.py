"""An edited text checked by the loader before the edit is accepted.

When only the events changed, and nothing whose position the incident carries (the series
and their warnings, ``started_at``, ``timezone``) comes after the edit, the new text is
parsed whole (libyaml: any YAML problem anywhere is found) and the loader reads its events
and ``duration`` again, keeping everything else of the incident: a gesture on an incident
with 45,000 inline samples costs one pass of the parser, not a second reading of the
samples. Otherwise the loader reads the whole text (data files from its cache).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from ..loader import IncidentLoadError, reread_events
from ..loader.compose import MAX_YAML_VALUES
from .layout import AliasNode, Layout, content_end, read_layout
from .problems import EditRefusedError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Incident

__all__ = ["checked"]

# Top-level keys whose reading the incident keeps positions of (warnings, data files).
_POSITIONED = ("series", "histograms", "started_at", "timezone")
_EVENT_KEYS = ("events", "duration")


def checked(
    incident: Incident, old: Layout, text: str, start: int, *,
    load: Callable[[str], Incident], path: str,
) -> tuple[Incident, Layout | None]:  # fmt: skip
    """The incident ``text`` loads as (``text`` is ``old.text`` edited from ``start`` on),
    and its layout when it was read.

    Raises
    ------
    EditRefusedError
        With the loader's reasons.
    """
    try:
        layout = read_layout(text)
    except (yaml.YAMLError, ValueError):
        layout = None  # the loader says what is wrong, where
    try:
        if layout is not None and _only_events_changed(old, layout, start):
            events, duration = layout.value("events"), layout.value("duration")
            return reread_events(incident, events, duration, path=path), layout
        return load(text), layout
    except IncidentLoadError as exc:
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        raise EditRefusedError([d.message for d in errors], exc.diagnostics) from None


def _only_events_changed(old: Layout, new: Layout, start: int) -> bool:
    if new.values > MAX_YAML_VALUES or new.flow_style != old.flow_style:
        return False
    before, after = _others(old), _others(new)
    if list(before) != list(after):
        return False
    for name, (key, value) in before.items():
        if name in _POSITIONED and key.start_mark.index >= start:
            return False
        new_key, new_value = after[name]
        if (
            old.text[key.start_mark.index : content_end(value)]
            != new.text[new_key.start_mark.index : content_end(new_value)]
        ):
            return False
    return not any(_aliases(new.value(name)) for name in _EVENT_KEYS)


def _others(layout: Layout) -> dict[str, tuple[yaml.ScalarNode, object]]:
    """The top-level keys besides the events, in file order."""
    return {key.value: (key, value) for key, value in layout.keys if key.value not in _EVENT_KEYS}


def _aliases(node: object) -> bool:
    if isinstance(node, AliasNode):
        return True
    if isinstance(node, yaml.SequenceNode):
        return any(_aliases(item) for item in node.value)
    if isinstance(node, yaml.MappingNode):
        return any(_aliases(key) or _aliases(value) for key, value in node.value)
    return False
