"""``--baseline 1w`` of the live importers: the same query run again that long earlier, its
times moved forward by the shift, stored as each series' ``baseline:`` (with
``baseline_shift:``), so the chart draws the incident against a normal period.

A series' baseline is the earlier run's series with the same label (and group): one query's
results are told apart by their labels, and those stay the same a week apart. A series
without one says so on stderr; an earlier series without an incident series is dropped.
Saved answers hold one period only: ``--baseline`` needs ``--url``.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

import numpy as np

from ..errors import UsageError
from ..timecode import TimecodeError, format_shift, parse_shift

if TYPE_CHECKING:
    from .common import ImportedSeries

__all__ = [
    "add_baseline_option",
    "attach_baselines",
    "baseline_lines",
    "baseline_rows",
    "check_baseline",
]


def _shift_arg(text: str) -> float:
    try:
        return parse_shift(text)
    except TimecodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_baseline_option(live: argparse._ArgumentGroup) -> None:
    live.add_argument(
        "--baseline", type=_shift_arg, metavar="SHIFT",
        help="also run the query SHIFT earlier (1w, 1d, 6h) and store the answer, moved "
        "forward by SHIFT, as each series' baseline (a normal period to compare with)",
    )  # fmt: skip


def check_baseline(args: argparse.Namespace) -> None:
    """``--baseline`` goes with ``--url`` (a saved answer cannot be asked again)."""
    if getattr(args, "baseline", None) is not None and not args.url:
        raise UsageError(
            "--baseline runs the query again on the server, earlier: it needs --url (a saved "
            "answer holds one period only; import the normal period from the server, or "
            "write 'baseline:' into the incident by hand)"
        )


def attach_baselines(
    series: list[ImportedSeries], earlier: list[ImportedSeries], shift: float
) -> None:
    """Give each of ``series`` the one of ``earlier`` (the same query, ``shift`` seconds
    earlier) with its label and group as its baseline, its times moved forward by
    ``shift``; a warning on the series where there is none."""
    by_key = {(item.group, item.label): item for item in earlier}
    by_label: dict[str, ImportedSeries] = {}
    for item in earlier:
        by_label.setdefault(item.label, item)
    for item in series:
        found = by_key.get((item.group, item.label)) or by_label.get(item.label)
        if found is None or not len(found.times):
            item.warnings.append(
                f"replay-viewer: warning: {item.label!r} has no baseline: the query answered "
                f"nothing for it {format_shift(shift)} earlier"
            )
            continue
        item.baseline = (found.times + shift, found.values)
        item.baseline_shift = shift


def baseline_rows(item: ImportedSeries, origin: float) -> np.ndarray:
    """The baseline as an ``(N, 2)`` array of [seconds from T+0, value] (a data file's)."""
    times, values = item.baseline
    rows = np.empty((len(times), 2), dtype=np.float64)
    rows[:, 0] = np.round(times - origin, 6)  # as the series' own times are written
    rows[:, 1] = values
    return rows


def baseline_lines(item: ImportedSeries, origin: float, file: str | None) -> list[str]:
    """The series' ``baseline_shift:`` and ``baseline:`` lines (inline samples, or ``file``:
    the quoted data-file path); none without a baseline."""
    if item.baseline is None:
        return []
    lines = [f"    baseline_shift: {format_shift(item.baseline_shift)}"]
    if file is not None:
        return [*lines, f"    baseline: {{file: {file}, time: seconds}}"]
    rows = baseline_rows(item, origin)
    lines.append("    baseline:")
    lines += [f"      - [{_number(t)}, {'null' if math.isnan(v) else _number(v)}]"
              for t, v in rows.tolist()]  # fmt: skip
    return lines


def _number(value: float) -> str:
    """As :mod:`.writer` writes numbers: integers without a point, else the shortest text."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
