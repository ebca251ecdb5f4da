"""The arithmetic of ``import otlp`` against values computed by hand: per-second rates of
cumulative and delta sums (counter restarts), the counts of each interval of a cumulative
histogram, and quantiles from bucket counts as Prometheus's ``histogram_quantile`` does."""

from __future__ import annotations

import numpy as np
import pytest

from replay_viewer.importers.otlp_maths import (
    bucket_quantiles,
    cumulative_rates,
    delta_rates,
    interval_counts,
)
from replay_viewer.importers.otlp_series import readable_unit

NAN = np.nan
BOUNDS = [0.05, 0.1, 0.25, 0.5, 1.0]  # six buckets: ≤0.05, ≤0.1, ≤0.25, ≤0.5, ≤1, above


def rates(times, starts, values):
    at, per_second = cumulative_rates(np.array(times), np.array(starts), np.array(values))
    return at.tolist(), per_second.tolist()


def test_a_cumulative_sum_is_its_increase_per_second():
    # 100 → 150 in 10 s is 5/s; 150 → 250 in 10 s is 10/s. The first point has no rate.
    assert rates([0, 10, 20], [-50, -50, -50], [100, 150, 250]) == ([10, 20], [5, 10])


def test_a_drop_restarts_the_counter_from_the_new_value():
    # 150 → 30: the counter restarted; without a start time, 30 counted over the 10 s.
    assert rates([0, 10, 20, 30], [0, 0, 0, 0], [100, 150, 30, 90]) == (
        [10, 20, 30],
        [5, 3, 6],
    )


def test_a_new_start_time_counts_from_the_new_start():
    # Restarted at 14 s: 30 in the 6 s from 14 to 20 is 5/s, then (90 - 30) / 10 = 6/s.
    assert rates([0, 10, 20, 30], [-60, -60, 14, 14], [1000, 1150, 30, 90]) == (
        [10, 20, 30],
        [15, 5, 6],
    )
    # A restart that already counted more than before is seen by its start time alone:
    # 50 since 12 s is 50 / 8 = 6.25/s, not (50 - 20) / 10.
    assert rates([0, 10, 20], [-5, -5, 12], [10, 20, 50]) == ([10, 20], [1, 6.25])


def test_a_start_outside_the_interval_uses_the_time_since_the_point_before():
    # A later start time before the previous point cannot be placed: 40 over the 10 s.
    assert rates([0, 10, 20], [-9, -9, 5], [10, 20, 40]) == ([10, 20], [1, 4])


def test_gaps_and_single_points():
    at, per_second = rates([0, 10, 20], [0, 0, 0], [10, NAN, 30])
    assert at == [10, 20] and np.isnan(per_second).all()  # a point without a value
    assert rates([5], [0], [7]) == ([], [])


def test_a_delta_sum_is_its_value_over_its_interval():
    at = np.array([1010.0, 1020, 1030])
    given = delta_rates(at, np.array([1000.0, 1010, 1020]), np.array([50.0, 100, 0]))
    assert given.tolist() == [5, 10, 0]
    # Without start times (0: left out) the interval is the time since the point before.
    unknown = delta_rates(at, np.zeros(3), np.array([50.0, 100, 40]))
    assert np.isnan(unknown[0]) and unknown[1:].tolist() == [10, 4]


def test_a_cumulative_histogram_is_differenced_and_restarts():
    starts = np.array([0.0, 0, 0, 25])
    rows = np.array(
        [
            [1, 2, 3],
            [2, 4, 5],  # + [1, 2, 2]
            [0, 1, 0],  # a bucket went down: a restart, its own counts
            [3, 3, 3],  # a later start time: a restart although every count grew
        ],
        dtype=float,
    )
    index, window = interval_counts(starts, rows)
    assert index.tolist() == [1, 2, 3]
    assert window.tolist() == [[1, 2, 2], [0, 1, 0], [3, 3, 3]]


def quantile(counts, q, bounds=BOUNDS):
    return bucket_quantiles(np.array([counts], dtype=float), np.array(bounds), q)[0]


def test_quantiles_interpolate_inside_the_bucket():
    counts = [10, 20, 30, 10, 20, 10]  # cumulative: 10, 30, 60, 70, 90, 100
    # p50: rank 50 in (0.1, 0.25] holding 31st–60th: 0.1 + 0.15 × 20/30 = 0.2.
    assert quantile(counts, 0.5) == pytest.approx(0.2)
    # p75: rank 75 in (0.5, 1] holding 71st–90th: 0.5 + 0.5 × 5/20 = 0.625.
    assert quantile(counts, 0.75) == pytest.approx(0.625)
    # p90: rank 90, the top of (0.5, 1]: 1.0.
    assert quantile(counts, 0.9) == pytest.approx(1.0)


def test_the_first_bucket_starts_at_zero():
    # p50 of 50: rank 25 of the 40 in (0, 0.05]: 0.05 × 25/40 = 0.03125; p99 rank 49.5:
    # 0.05 + 0.05 × 9.5/10 = 0.0975.
    assert quantile([40, 10, 0, 0, 0, 0], 0.5) == pytest.approx(0.03125)
    assert quantile([40, 10, 0, 0, 0, 0], 0.99) == pytest.approx(0.0975)


def test_the_open_bucket_gives_the_highest_finite_bound():
    assert quantile([10, 20, 30, 10, 20, 10], 0.99) == 1.0  # rank 99 is above 1.0
    assert quantile([0, 0, 0, 0, 0, 4], 0.5) == 1.0


def test_bounds_at_or_below_zero():
    # A first bucket whose bound is not positive is its bound (no zero to start from).
    assert quantile([5, 5, 0], 0.25, bounds=[0.0, 1.0]) == 0.0
    # Inside (-1, 0]: -1 + 1 × 2/4 = -0.5.
    assert quantile([0, 4, 4, 0], 0.25, bounds=[-1.0, 0.0, 1.0]) == pytest.approx(-0.5)


def test_no_observations_is_a_gap():
    assert np.isnan(quantile([0, 0, 0, 0, 0, 0], 0.5))
    assert np.isnan(quantile([NAN] * 6, 0.5))
    assert np.isnan(quantile([7], 0.5, bounds=[]))  # only the open bucket: nothing to place


def test_rows_are_computed_together():
    counts = np.array([[10, 20, 30, 10, 20, 10], [40, 10, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]])
    got = bucket_quantiles(counts, np.array(BOUNDS), 0.5)
    assert got[:2] == pytest.approx([0.2, 0.03125]) and np.isnan(got[2])


@pytest.mark.parametrize(
    ("ucum", "readable"),
    [
        ("ms", "ms"),
        ("s", "s"),
        ("us", "\N{MICRO SIGN}s"),
        ("By", "B"),
        ("MiBy", "MiB"),
        ("By/s", "B/s"),
        ("1", ""),
        ("1/s", "/s"),
        ("%", "%"),
        ("{request}", "request"),
        ("{packet}/s", "packet/s"),
        ("Cel", "\N{DEGREE SIGN}C"),
        ("", ""),
    ],
)
def test_units_read_as_people_write_them(ucum, readable):
    assert readable_unit(ucum) == readable
