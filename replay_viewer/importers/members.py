"""What the readers of raw samples (InfluxDB, VictoriaMetrics) share: the series of one
query or metric named as a group's members by the labels that differ, and holes in raw
samples shown as gaps.

Prometheus answers are on a step; these are not, so a hole is judged against each
series' own rhythm: a time between samples longer than 1.5 × its median interval is a
hole, and one gap (``null``) is written there so the chart breaks the line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .common import mark_missing_steps, slug, sorted_samples
from .prometheus import default_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from .common import ImportedSeries

    # A part of a series (samples in one line, table or answer): its times, values, and a
    # positioned warning at one of its samples (by index in it) saying the text given.
    Part = tuple[np.ndarray, np.ndarray, Callable[[int, str], str]]

__all__ = ["mark_holes", "merged_samples", "name_members", "varying_keys"]


def varying_keys(labels: list[dict[str, str]]) -> list[str]:
    """The label names whose values differ between the series (what tells them apart),
    sorted."""
    keys = sorted({key for item in labels for key in item})
    return [key for key in keys if len({str(item.get(key, "")) for item in labels}) > 1]


def name_members(
    series: list[ImportedSeries],
    labels: list[dict[str, str]],
    *,
    name: str,
    group: str,
    id_prefix: str = "",
) -> None:
    """Label, id and group for the series of one query or metric (``labels``: each one's
    tags). Several are one group (``group``), each labelled by the labels that differ
    (``host=a, region=eu``) with an id from their values (after ``id_prefix``); one is
    labelled as Prometheus shows a series (``name{host="a"}``) and not grouped."""
    if len(series) == 1:
        item = series[0]
        item.label = default_label({"__name__": name, **labels[0]})
        item.id = slug(name)
        return
    varying = varying_keys(labels)
    for index, (item, tags) in enumerate(zip(series, labels, strict=True)):
        parts = [f"{key}={tags[key]}" for key in varying if tags.get(key)]
        values = [str(tags[key]) for key in varying if tags.get(key)]
        item.label = ", ".join(parts) or f"{name} #{index + 1}"
        item.id = slug("_".join([id_prefix, *values] if id_prefix else values) or item.label)
        item.group = group


def mark_holes(series: ImportedSeries) -> None:
    """One gap after every sample followed by a hole (longer than 1.5 × the series'
    median interval)."""
    times = series.times
    if len(times) < 3:
        return
    steps = np.diff(times)
    steps = steps[steps > 0]
    if len(steps):
        step = float(np.median(steps))
        series.times, series.values = mark_missing_steps(times, series.values, step)


def merged_samples(parts: list[Part]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The parts of one series as one, sorted by time (stably), and a warning per kind of
    disorder at its first sample, in the part that holds it."""
    times = np.concatenate([part[0] for part in parts])
    values = np.concatenate([part[1] for part in parts])
    times, values, notes = sorted_samples(times, values)
    ends = np.cumsum([len(part[0]) for part in parts])
    warnings = []
    for index, text in notes:
        number = int(np.searchsorted(ends, index, side="right"))
        first = index - (int(ends[number - 1]) if number else 0)
        warnings.append(parts[number][2](first, text))
    return times, values, warnings
