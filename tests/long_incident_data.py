"""The data file of ``tests/data/shapes/sixty_two_days.yaml``: 62 days of 5-minute CPU
samples (17,856 rows) with a daily and a weekly shape, written deterministically.

    python -m tests.long_incident_data      # rewrites tests/data/shapes/sixty_two_days_cpu.npy

The file is committed (float32, ~140 KB) so the incident opens without running anything;
``tests/test_long_incidents.py`` checks it still equals what this module generates.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

SIXTY_TWO_DAYS = Path(__file__).resolve().parent / "data" / "shapes" / "sixty_two_days_cpu.npy"
STEP_S = 300
DAYS = 62
# T+0 is 06:00 local on a Monday (started_at 2025-09-01T06:00:00+02:00).
LOCAL_HOUR_AT_T0 = 6.0


def sixty_two_days(seed: int = 20250901) -> np.ndarray:
    """(N, 2) float32: time (s from T+0) and CPU (%); NaN = a collector gap.

    Weekdays swell to a peak around 14:00 local, weekends stay low, a Sunday-night batch
    job grows week by week, the base load creeps up; in week 9 the fleet saturates from
    T+57d 01:00 (a Tuesday, 07:00 local) until a scale-out at T+57d 05:30."""
    rng = np.random.default_rng(seed)
    t = np.arange(0, DAYS * 86400 + 1, STEP_S, dtype=np.float64)[: DAYS * 288]
    local_hours = t / 3600 + LOCAL_HOUR_AT_T0
    hour, day = local_hours % 24, np.floor(local_hours / 24)
    weekday = day % 7  # 0 = Monday
    week = np.floor(day / 7)
    business = np.exp(-(((hour - 14) / 3.5) ** 2))
    weekend = weekday >= 5
    cpu = 16 + 0.3 * day + business * np.where(weekend, 10, 34)
    batch = (weekday == 6) & (hour >= 2) & (hour < 4.5)  # Sunday night
    cpu += np.where(batch, 14 + 4 * week, 0)
    incident = (t >= 57 * 86400 + 1 * 3600) & (t < 57 * 86400 + 5.5 * 3600)
    cpu = np.where(incident, 96 + 1.5 * np.sin(t / 900), cpu)
    after = (t >= 57 * 86400 + 5.5 * 3600) & (t < 58 * 86400)
    cpu = np.where(after, cpu * 0.7, cpu)  # the scale-out spreads the load
    cpu = np.clip(cpu + rng.normal(0, 2.0, t.size), 0, 100)
    cpu[(t >= 20 * 86400 + 3 * 3600) & (t < 20 * 86400 + 9 * 3600)] = np.nan  # collector down
    return np.column_stack([t, np.round(cpu, 1)]).astype(np.float32)


def main() -> int:
    data = sixty_two_days()
    np.save(SIXTY_TWO_DAYS, data)
    print(f"{SIXTY_TWO_DAYS}: {len(data):,} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
