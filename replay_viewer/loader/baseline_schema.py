"""A series' ``baseline:`` (the same metric from a normal period) and ``baseline_shift:``.

``baseline:`` is written like the series' own data: a list of ``[time, value]`` pairs, or a
mapping with ``samples:`` or ``file:`` (and ``columns``, ``time``, ``timezone``), read by
the same readers with the same positioned errors and the same handling of repeated or
unordered times. Its times are on the incident's T axis (a baseline from a week earlier
is stored shifted forward by the week). ``baseline_shift: 1w`` says how far back it was
taken; without ``baseline:`` it means the series' own samples from that long before (a
series that holds a day of history compares each moment with the same moment a day
earlier).

A baseline that starts later or ends earlier than its series (or the other way round) is
drawn where the two overlap, with a warning at ``baseline:``: the model keeps only the
baseline's samples inside its series' span.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from ..model import Baseline
from ..timecode import TimecodeError, format_timecode, parse_shift
from .series_files import series_data
from .yaml_nodes import Invalid, describe

if TYPE_CHECKING:
    from .series_files import DataContext
    from .yaml_nodes import Field, NodeReader

__all__ = ["BaselineSchema", "overlap_note", "within"]

# A baseline's span may differ from its series' by this many sample intervals before the
# loader says so (scrapes of two periods rarely start on the same second).
SPAN_SLACK_STEPS = 1.5
DATA_KEYS = ("samples", "file", "columns", "time", "timezone")


class BaselineSchema:
    """Reads ``baseline`` and ``baseline_shift`` of one series (for :mod:`.series_schema`).

    ``fields`` is the series' field table: its data keys read a baseline's mapping, and
    its ``samples`` reader (``samples(node, what, key=…)``) an inline list.
    """

    def __init__(
        self, reader: NodeReader, data: DataContext, fields: dict[str, Field[Any]]
    ) -> None:
        self.reader = reader
        self.data = data
        # The series' own data keys (samples, file, columns, time, timezone), read alike.
        self.fields = {key: fields[key] for key in DATA_KEYS}
        self.samples = fields["samples"].read

    def shift(self, node: yaml.Node, what: str) -> float:
        """``baseline_shift``: a positive duration (``1w``, ``1d``, ``6h``)."""
        value = self.reader.scalar(node, what)
        try:
            if value is None or isinstance(value, bool):
                raise TimecodeError(f"expected a duration like 1w, 1d or 6h, got {node.value!r}")
            return parse_shift(str(node.value))
        except TimecodeError as exc:
            self.reader.error(node, f"{what}: {exc}")
            raise Invalid from None

    def baseline(
        self,
        found: dict[str, yaml.Node],
        values: dict[str, Any],
        data: tuple[np.ndarray, np.ndarray],
        what: str,
    ) -> Baseline | None:
        """The series' baseline (None when it has none); raises :class:`Invalid` when
        ``baseline`` or ``baseline_shift`` was invalid (and reported)."""
        shift = values.get("baseline_shift")
        if "baseline_shift" in found and shift is None:
            raise Invalid
        node = found.get("baseline")
        if node is None:
            if shift is None:
                return None
            times, samples = data  # the series' own samples, ``shift`` later
            if not len(times) or times[-1] - times[0] < shift:
                self.reader.warn(found["baseline_shift"], f"{what} 'baseline_shift' without "
                                 "'baseline' compares the series with its own samples from "
                                 "that long before, and it spans less than that: nothing to "
                                 "compare (give 'baseline:' samples or a file)")  # fmt: skip
            return Baseline(*within(times + shift, samples, times), shift)
        times, samples = self.samples_of(node, f"{what} 'baseline'")
        note = overlap_note(data[0], times)
        if note:
            self.reader.warn(node, f"{what} 'baseline' {note}")
        return Baseline(*within(times, samples, data[0]), shift)

    def samples_of(self, node: yaml.Node, what: str) -> tuple[np.ndarray, np.ndarray]:
        r = self.reader
        if isinstance(node, yaml.SequenceNode):
            return self.samples(node, what, key="")
        if not isinstance(node, yaml.MappingNode):
            r.error(node, f"{what} must be [time, value] pairs or a mapping with 'samples' or "
                    f"'file', got {describe(node)}")  # fmt: skip
            raise Invalid
        found = r.mapping(node, self.fields, what)
        if found is None:
            raise Invalid
        values = r.fields(found, self.fields, what)
        data = series_data(r, node, found, values, what, self.data)
        if data is None:
            raise Invalid
        return data


def within(
    times: np.ndarray, values: np.ndarray, span: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The samples (``times`` sorted) from the first to the last time of ``span``: a
    baseline is drawn and read only where its series has data too."""
    if not len(span):
        return times[:0], values[:0]
    first = int(np.searchsorted(times, span[0], side="left"))
    last = int(np.searchsorted(times, span[-1], side="right"))
    return times[first:last], values[first:last]


def overlap_note(series: np.ndarray, baseline: np.ndarray) -> str:
    """What to say when ``baseline`` (times) does not cover the same span as ``series``
    (times): "" when it does, give or take a sample interval or so."""
    if not len(series) or not len(baseline):
        return ""
    s0, s1 = float(series[0]), float(series[-1])
    b0, b1 = float(baseline[0]), float(baseline[-1])
    steps = [float(np.median(np.diff(t))) for t in (series, baseline) if len(t) > 1]
    slack = SPAN_SLACK_STEPS * max(steps, default=0.0)
    if abs(b0 - s0) <= slack and abs(b1 - s1) <= slack:
        return ""
    spans = f"covers {_span(b0, b1)} and the series {_span(s0, s1)}"
    low, high = max(s0, b0), min(s1, b1)
    if low > high:
        return f"{spans}: they do not overlap, so the baseline is not drawn"
    return f"{spans}: the baseline is drawn where both have data ({_span(low, high)})"


def _span(start: float, end: float) -> str:
    return f"{format_timecode(start)} to {format_timecode(end)}"
