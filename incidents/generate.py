"""Generate the data files of the bundled incidents.

    python incidents/generate.py            # writes incidents/dense-scrape-p99.npy
                                            # and incidents/latency-heatmap.csv

The output is deterministic (a seeded generator). The dense scrape is git-ignored (too
large to commit): the test session runs this on first use, so `replay-viewer validate
incidents/dense-scrape.yaml` works after `pytest` or after running this script once. The
heatmap's CSV (a few hundred rows) is committed; this script is how it was made.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DENSE_SCRAPE = HERE / "dense-scrape-p99.npy"
# 10 Hz p99 latency scrape over about 28 hours: 1,008,000 samples, from T-24:00:00 (a day
# of baseline) to T+4:00:00.
RATE_HZ = 10
START_S = -24 * 3600
END_S = 4 * 3600


def dense_scrape(seed: int = 20250603) -> np.ndarray:
    """(N, 2) float64: time (s from T+0) and p99 latency (ms); NaN = a scrape gap."""
    rng = np.random.default_rng(seed)
    times = np.arange(START_S * RATE_HZ, END_S * RATE_HZ) / RATE_HZ
    daily = 6.0 * np.sin(2 * np.pi * (times / 86_400 + 0.3))  # a day's traffic swell
    noise = rng.gamma(shape=4.0, scale=2.0, size=times.size)  # right-skewed, as latency is
    p99 = 120.0 + daily + noise
    # T+0: a bad deploy. p99 climbs to ~900 ms in 3 minutes, plateaus, and recovers after
    # the rollback at T+47:00 over about 15 minutes.
    rise = np.clip(times / 180.0, 0, 1)
    recovery = np.clip((times - 47 * 60) / 900.0, 0, 1)
    spike = np.where(times >= 0, 780.0 * rise * (1 - recovery), 0.0)
    p99 += spike * (1 + 0.08 * rng.standard_normal(times.size))
    # A scraper restart at T+20:00 loses 45 s of samples.
    p99[(times >= 1200) & (times < 1245)] = np.nan
    return np.column_stack([times, np.round(p99, 2)])


LATENCY_HEATMAP = HERE / "latency-heatmap.csv"
# Exponential buckets (factor ~1.5, two significant digits, as a client library's
# ExponentialBuckets(0.002, 1.5, 20) rounded), then +Inf.
LATENCY_BOUNDS = (0.002, 0.003, 0.0045, 0.0068, 0.01, 0.015, 0.023, 0.034, 0.051, 0.077,
                  0.12, 0.17, 0.26, 0.39, 0.58, 0.87, 1.3, 2.0, 2.9, 4.4)  # fmt: skip


def latency_histogram(seed: int = 20250917) -> tuple[np.ndarray, np.ndarray]:
    """(times, cumulative rates: times × (bounds + +Inf)) of a checkout service's request
    latency, every 5 s from T-10:00 to T+30:00: ~40 ms at ~1,200 req/s; at T+0 a cache
    node fails and a growing share of requests (misses) take 0.4-1.5 s, until the node is
    replaced (T+08:00) and the cache warms (by ~T+14:00)."""
    rng = np.random.default_rng(seed)
    times = np.arange(-600, 1801, 5, dtype=np.float64)
    edges = np.log(np.array((1e-4, *LATENCY_BOUNDS, 60.0)))
    rate = 1200 + 120 * np.sin(times / 900) + rng.normal(0, 15, times.size)
    miss = np.clip(times / 120, 0, 1) * 0.35 * (1 - np.clip((times - 480) / 360, 0, 1))
    miss = np.where(times >= 0, miss, 0.0) + 0.004  # a few misses always

    def mass(median: float, sigma: np.ndarray | float) -> np.ndarray:
        z = (edges[None, :] - np.log(median)) / (np.sqrt(2) * np.atleast_1d(sigma)[:, None])
        cdf = 0.5 * (1 + np.vectorize(math.erf)(z))
        return np.diff(cdf, axis=1)

    fast = mass(0.04, np.full(times.size, 0.45))
    slow_median = 0.55 + 0.35 * np.clip(times / 300, 0, 1)
    slow = np.concatenate([mass(m, 0.5) for m in slow_median])
    expected = rate[:, None] * ((1 - miss)[:, None] * fast + miss[:, None] * slow)
    counts = rng.poisson(expected * 5) / 5  # a 5 s rate window's noise
    return times, np.round(np.cumsum(counts, axis=1), 1)


def latency_heatmap_text() -> str:
    """The CSV of :func:`latency_histogram`: a time column, then a column per bucket."""
    times, cumulative = latency_histogram()
    header = ",".join(["time", *(f"{b:g}" for b in LATENCY_BOUNDS), "+Inf"])
    rows = [",".join([f"{t:g}", *(f"{v:g}" for v in row)])
            for t, row in zip(times, cumulative, strict=True)]  # fmt: skip
    return "\n".join([header, *rows]) + "\n"


def write_latency_heatmap() -> None:
    text = latency_heatmap_text()
    partial = LATENCY_HEATMAP.with_suffix(".partial.csv")
    partial.write_text(text, encoding="utf-8")
    partial.replace(LATENCY_HEATMAP)
    print(
        f"{LATENCY_HEATMAP}: {text.count(chr(10)) - 1:,} times × {len(LATENCY_BOUNDS) + 1} buckets"
    )


def main() -> int:
    data = dense_scrape()
    # Beside the destination, then renamed: an interrupted run leaves no half file.
    partial = DENSE_SCRAPE.with_suffix(".partial.npy")
    np.save(partial, data)
    partial.replace(DENSE_SCRAPE)
    print(f"{DENSE_SCRAPE}: {len(data):,} samples")
    write_latency_heatmap()
    return 0


if __name__ == "__main__":
    sys.exit(main())
