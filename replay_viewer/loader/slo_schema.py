"""The format's ``slo`` list: service level objectives and their error budgets.

Each item is read by the generic record reader (:meth:`~.yaml_nodes.NodeReader.record_list`)
from the field table here; what is particular to SLOs is the ``good`` rule (``below 250``,
``above 99``, ``<= 250``, ``> 99``), a percentage strictly inside (0, 100) and the series it
refers to. See docs/incident-format.md, "SLOs and error budgets".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..describe import short_duration
from ..model import DEFAULT_BURN_WINDOW, DEFAULT_SLO_WINDOW, MAX_ABS_VALUE, Slo
from .diagnostics import shorten
from .yaml_nodes import Field, Invalid, describe, suggest

if TYPE_CHECKING:
    import yaml

    from .yaml_nodes import NodeReader

__all__ = ["SloSchema", "parse_good_rule"]

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_GOOD_RE = re.compile(rf"\s*(below|above|<=|>=|≤|≥|<|>)\s*({_NUMBER})\s*")
_PERCENT_RE = re.compile(rf"\s*({_NUMBER})\s*%\s*")
# What each way of writing the rule means: (the good side, the bound itself is good).
_RULES = {
    "below": ("below", True), "<=": ("below", True), "≤": ("below", True),
    "<": ("below", False), "above": ("above", True), ">=": ("above", True),
    "≥": ("above", True), ">": ("above", False),
}  # fmt: skip
GOOD_FORMS = (
    "'below N' or 'above N', N a plain number (no unit), or '<= N', '< N', '>= N', '> N' in quotes"
)
KNOWN_LISTED = 8  # ids named in an "unknown series" message before "…"


def parse_good_rule(text: str) -> tuple[str, bool, float] | None:
    """``below 250`` → ("below", True, 250.0): the good side, whether the bound itself is
    good, the bound. None when ``text`` is not such a rule (or the number is too large)."""
    match = _GOOD_RE.fullmatch(text)
    if match is None:
        return None
    bound = float(match.group(2))
    if abs(bound) > MAX_ABS_VALUE:
        return None
    side, inclusive = _RULES[match.group(1)]
    return side, inclusive, bound


class SloSchema:
    """Reads the ``slo`` list of one incident file; ``series_ids`` are the ids the
    ``series`` list declared (read before it)."""

    def __init__(self, reader: NodeReader, series_ids: list[str]) -> None:
        r = self.reader = reader
        self.series_ids = series_ids
        self.fields = {
            "series": Field(self.series, required=True),
            "objective": Field(self.objective, required=True),
            "good": Field(self.good, required=True),
            "window": Field(self.window, default=DEFAULT_SLO_WINDOW),
            "label": Field(r.text, default=""),
            "budget_spent_before": Field(self.spent_before, default=0.0),
            "burn_window": Field(self.duration, default=DEFAULT_BURN_WINDOW),
        }

    def slo_list(self, node: yaml.Node, what: str) -> tuple[Slo, ...]:
        return self.reader.record_list(node, self.fields, _build, what=what, item="slo")

    def series(self, node: yaml.Node, what: str) -> str:
        """An id of the ``series`` list; an unknown one names the ids there are."""
        ref = self.reader.text(node, what)
        ids = self.series_ids
        if ids and ref not in ids:
            known = ", ".join(ids[:KNOWN_LISTED]) + (", …" if len(ids) > KNOWN_LISTED else "")
            self.reader.error(
                node,
                f"{what} refers to unknown series '{shorten(ref)}'{suggest(ref, ids)}; "
                f"the series are: {known}",
            )
            raise Invalid
        return ref

    def percent(self, node: yaml.Node, what: str, expected: str) -> float:
        """A percentage: a number, or a text like ``99.9%``; ``expected`` says what the
        value should be when it is neither."""
        value = self.reader.scalar(node, what)
        if isinstance(value, str):
            match = _PERCENT_RE.fullmatch(value)
            if match is not None:
                return float(match.group(1))
            if node.style or not re.fullmatch(_NUMBER, value):  # quoted, or not a number
                value = None
        if value is None or isinstance(value, bool) or not isinstance(value, int | float | str):
            self.reader.error(node, f"{what} must be {expected}, got {describe(node)}")
            raise Invalid
        return self.reader.number(node, what)

    def objective(self, node: yaml.Node, what: str) -> float:
        """The objective in percent, strictly between 0 and 100."""
        expected = "a percentage strictly between 0 and 100, like 99.9 or '99.9%'"
        objective = self.percent(node, what, expected)
        if not 0.0 < objective < 100.0:
            why = " (an objective of 100 % leaves no error budget)" if objective == 100 else ""
            got = shorten(str(node.value))
            self.reader.error(node, f"{what} must be {expected}; got {got}{why}")
            raise Invalid
        return objective

    def good(self, node: yaml.Node, what: str) -> tuple[str, bool, float]:
        """The good side and its bound: ``below 250``, ``above 99``, ``"<= 250"``."""
        value = self.reader.scalar(node, what)
        rule = parse_good_rule(value) if isinstance(value, str) else None
        if rule is None:
            self.reader.error(node, f"{what} must be {GOOD_FORMS}; got {describe(node)}")
            raise Invalid
        return rule

    def duration(self, node: yaml.Node, what: str) -> float:
        """A window: a duration longer than 0, like ``30d``, ``7d``, ``1h``, ``5m``."""
        seconds = self.reader.timecode(node, what)
        if seconds <= 0:
            self.reader.error(node, f"{what} must be a duration longer than 0, like 30d or 5m")
            raise Invalid
        return seconds

    def window(self, node: yaml.Node, what: str) -> float:
        """The SLO's window; under an hour is allowed but said (``window: 30`` is 30 s)."""
        seconds = self.duration(node, what)
        if seconds < 3600:
            self.reader.warn(node, f"{what} {short_duration(seconds)} is shorter than an hour: "
                             "an SLO's window is days (30d, 28d, 7d), and a bare number is "
                             "seconds")  # fmt: skip
        return seconds

    def spent_before(self, node: yaml.Node, what: str) -> float:
        """The percentage of the budget spent in the window before the incident: 0 or more
        (over 100: the budget was gone before it began)."""
        spent = self.percent(node, what, "a percentage of 0 or more, like 40")
        if spent < 0:
            self.reader.error(node, f"{what} must be a percentage of 0 or more, like 40")
            raise Invalid
        return spent


def _build(values: dict[str, Any]) -> Slo:
    side, inclusive, bound = values.pop("good")
    return Slo(
        series_id=values.pop("series"), good=side, inclusive=inclusive, bound=bound, **values
    )
