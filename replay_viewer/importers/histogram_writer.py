"""Imported histograms → the incident's ``histograms:`` items and their data files.

Each histogram goes to a data file ``OUT.data/ID.npy`` (whatever ``--data-format``: a CSV
of a histogram would need its own header), an ``(N, 1 + B)`` array of the time (seconds
from T+0) and each bucket's own count, with its bounds in ``buckets:`` and
``cumulative: false``; its quantile lines are the loader's (p50, p90, p99).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..describe import bound_label
from .common import ImportInputError, quote, slug

if TYPE_CHECKING:
    from .common import ImportedHistogram

__all__ = ["histogram_report", "render_histograms"]


def render_histograms(
    histograms: list[ImportedHistogram],
    origin: float,
    taken: set[str],
    data_dir: str,
    names: set[str] = frozenset(),
) -> tuple[list[str], dict[str, np.ndarray], dict[str, str]]:
    """``histograms:`` items, the data files they name and which histogram went where;
    ids are made unique among themselves and ``taken`` (the series' ids), file names
    among themselves and ``names`` (the data folder's other files)."""
    lines, files, placed = ["histograms:"], {}, {}
    for item in histograms:
        item.id = _free_id(slug(item.id or item.label), taken)
        taken.add(item.id)
        name, number = f"{item.id}.npy", 2
        while name in files or name in names:
            name, number = f"{item.id}-{number}.npy", number + 1
        files[name] = _rows(item, origin)
        placed[item.id] = name
        bounds = ", ".join(bound_label(float(b)) for b in item.bounds)
        lines += [f"  - id: {item.id}", f"    label: {quote(item.label)}"]
        if item.unit:
            lines.append(f"    unit: {quote(item.unit)}")
        if item.count_unit:
            lines.append(f"    counts: {quote(item.count_unit)}")
        lines += [
            f"    file: {quote(f'{data_dir}/{name}')}",
            "    time: seconds",
            f"    buckets: [{bounds}]",
            "    cumulative: false",
        ]
    return lines, files, placed


def _free_id(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    # Its quantile series (ID_p50…) must not clash with a series either.
    while candidate in taken or any(t.startswith(f"{candidate}_p") for t in taken):
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def _rows(item: ImportedHistogram, origin: float) -> np.ndarray:
    if not len(item.times):
        raise ImportInputError(f"histogram {item.label!r} has no samples")
    rows = np.empty((len(item.times), 1 + len(item.bounds)), dtype=np.float64)
    rows[:, 0] = np.round(item.times - origin, 6)
    rows[:, 1:] = item.counts
    return rows


def histogram_report(histograms: list[ImportedHistogram], placed: dict, folder: str) -> list[str]:
    """One line per histogram: its id, times × buckets, units, data file and source."""
    lines = []
    for item in histograms:
        where = f" → {folder}/{placed[item.id]}" if item.id in placed else ""
        units = f", bounds in {item.unit}" if item.unit else ""
        lines.append(
            f"  histogram {item.id}  {len(item.times):,} times × {len(item.bounds)} buckets"
            f"{units}{where}  ← {item.source or item.label}"
        )
    return lines
