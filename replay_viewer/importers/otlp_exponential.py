"""OTLP exponential histograms → the explicit buckets everything else reads.

An exponential histogram point has a ``scale`` and buckets by index: at scale ``s`` the
base is ``2 ** 2 ** -s`` and bucket ``i`` holds the observations in ``(base ** i,
base ** (i + 1)]``; ``positive.offset`` is the index of its first count, ``zeroCount`` the
observations at (or within ``zeroThreshold`` of) zero, ``negative`` the buckets of
negative observations. An SDK lowers a stream's scale when its range grows, so the points
of one metric come at several scales and index ranges.

Lowering the scale by one merges each pair of buckets (index ``i`` → ``i >> 1``) with no
loss beyond the resolution, so every point of a metric is brought to one scale: the
lowest any point has, lowered further until the metric's index range fits
:data:`MAX_BUCKETS` (the SDKs' default size, so a heatmap's rows stay readable). The
metric then reads as an explicit-bucket histogram with the bounds ``base ** lo … base **
(hi + 1)``: its first bucket (at or below ``base ** lo``) holds the zero bucket, the last
(above the highest bound) is empty. Its quantiles (``histogram_quantile``) and heatmap
(``--heatmap``) are then computed as for explicit buckets; cumulative points difference
exactly, whatever scale each was sent at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "MAX_BUCKETS",
    "MAX_OCTAVES",
    "ExponentialPoint",
    "PointStream",
    "out_of_range",
    "to_explicit_buckets",
]

MAX_BUCKETS = 160  # the OpenTelemetry SDKs' default max_size of an exponential histogram
MIN_SCALE, MAX_SCALE = -10, 20  # what the data model allows
# Buckets beyond 2^±90 are refused when read: merged to a coarser scale they stay within
# ±1e30 (2^99.7), the values a chart draws (and the bounds a histogram may have).
MAX_OCTAVES = 90


class PointStream(Protocol):
    """One stream's points (:class:`.otlp.Stream`): values, and each one's bounds."""

    values: list
    bounds: list


@dataclass(frozen=True)
class ExponentialPoint:
    """One point's buckets as sent: ``counts[k]`` is bucket ``offset + k`` at ``scale``;
    ``low`` counts the zero bucket and every negative observation."""

    scale: int
    offset: int
    counts: tuple[int, ...]
    low: int
    negative: int = 0


def out_of_range(scale: int, offset: int, counts: tuple[int, ...]) -> str | None:
    """Why a point's used buckets are beyond what this reads (2^±:data:`MAX_OCTAVES`), if
    they are: the error to give at its ``positive`` buckets."""
    used = [k for k, count in enumerate(counts) if count]
    if not used:
        return None
    low, high = (offset + used[0]) * 2.0**-scale, (offset + used[-1] + 1) * 2.0**-scale
    if -MAX_OCTAVES <= low and high <= MAX_OCTAVES:
        return None
    return (f"buckets from 2^{low:g} to 2^{high:g} (scale {scale}, offset {offset}): beyond "
            f"the 2^±{MAX_OCTAVES} this reads (values beyond ±1e30 are not drawn)")  # fmt: skip


def _bucket_range(point: ExponentialPoint, scale: int) -> tuple[int, int] | None:
    """The first and last index with a count, at ``scale`` (<= the point's)."""
    used = [k for k, count in enumerate(point.counts) if count]
    if not used:
        return None
    shift = point.scale - scale
    return (point.offset + used[0]) >> shift, (point.offset + used[-1]) >> shift


def _common_grid(points: list[ExponentialPoint]) -> tuple[int, int, int] | None:
    """(scale, lo, hi): one scale for every point, lowered until its range fits."""
    scale = min(point.scale for point in points)
    ranges = [r for r in (_bucket_range(p, scale) for p in points) if r is not None]
    if not ranges:
        return None
    lo, hi = min(r[0] for r in ranges), max(r[1] for r in ranges)
    while hi - lo + 1 > MAX_BUCKETS and scale > MIN_SCALE:
        scale, lo, hi = scale - 1, lo >> 1, hi >> 1
    return scale, lo, hi


def _row(point: ExponentialPoint, scale: int, lo: int, hi: int) -> tuple[int, ...]:
    """The point's counts in the grid's explicit buckets (zero bucket first, +Inf last)."""
    row = [0] * (hi - lo + 3)
    row[0] = point.low
    shift = point.scale - scale
    for k, count in enumerate(point.counts):
        if count:
            row[1 + ((point.offset + k) >> shift) - lo] += count
    return tuple(row)


def to_explicit_buckets(name: str, streams: Iterable[PointStream]) -> str | None:
    """Turn the exponential points of metric ``name``'s ``streams`` into explicit bounds
    and counts, in place; returns a warning to give, if any."""
    streams = list(streams)
    points = [v for s in streams for v in s.values if v is not None]
    grid = _common_grid(points) if points else None
    if grid is None:  # nothing but the zero bucket: one bound at 0
        scale, lo, hi = 0, 0, -1
        bounds: tuple[float, ...] = (0.0,)
    else:
        scale, lo, hi = grid
        base_power = 2.0**-scale  # bucket i's upper bound is 2 ** ((i + 1) * base_power)
        bounds = tuple(2.0 ** (index * base_power) for index in range(lo, hi + 2))
    for stream in streams:
        rows = []
        for value in stream.values:
            if value is None:
                rows.append(None)
            elif grid is None:
                rows.append((value.low, 0))
            else:
                rows.append(_row(value, scale, lo, hi))
        stream.values = rows
        stream.bounds = [bounds] * len(rows)
    negative = sum(p.negative for p in points)
    if negative:
        return (
            f"{name}: {negative} negative observations are counted in the lowest "
            "bucket (their own buckets are not drawn)"
        )
    return None
