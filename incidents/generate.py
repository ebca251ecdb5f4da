"""Generate the data files of the bundled incidents that are too large to commit.

    python incidents/generate.py            # writes incidents/dense-scrape-p99.npy

The output is deterministic (a seeded generator) and git-ignored; the test session runs
this on first use, so `replay-viewer validate incidents/dense-scrape.yaml` works after
`pytest` or after running this script once.
"""

from __future__ import annotations

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


def main() -> int:
    data = dense_scrape()
    # Beside the destination, then renamed: an interrupted run leaves no half file.
    partial = DENSE_SCRAPE.with_suffix(".partial.npy")
    np.save(partial, data)
    partial.replace(DENSE_SCRAPE)
    print(f"{DENSE_SCRAPE}: {len(data):,} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
