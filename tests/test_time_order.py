"""Sorting messy time columns: what is counted, and that every path is numpy's stable sort."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

time_order = importlib.import_module("replay_viewer.loader.time_order")
check_order, sort_by_time = time_order.check_order, time_order.sort_by_time


def reference(times: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(times, kind="stable")
    return times[order], values[order]


def test_counts_repeats_and_rows_earlier_than_the_row_before():
    order = check_order(np.array([0.0, 10, 5, 10, 10, 3, 20]))
    assert (order.repeats, order.first_repeat) == (1, 4)
    assert (order.earlier, order.first_earlier) == (2, 2)
    assert order.messages() == [
        (2, "2 rows are earlier than the row before; sorted by time"),
        (4, "1 row repeats the time of the row before; kept in file order"),
    ]
    assert check_order(np.array([0.0, 1, 2])).increasing
    assert check_order(np.array([5.0])).increasing
    assert check_order(np.zeros(0)).increasing


def test_counts_across_the_slices_it_reads_in():
    times = np.arange(3_000_000, dtype=np.float64)
    times[1 << 20] = times[(1 << 20) - 1]  # the first row of the second slice repeats
    times[2_500_000] = 0.0
    order = check_order(times)
    assert (order.repeats, order.first_repeat) == (1, 1 << 20)
    assert (order.earlier, order.first_earlier) == (1, 2_500_000)


def test_repeats_alone_are_kept_as_they_are_without_a_copy():
    times, values = np.array([0.0, 1, 1, 2]), np.array([4.0, 5, 6, 7])
    got = sort_by_time(times, values, check_order(times))
    assert got[0] is times and got[1] is values


@pytest.mark.parametrize(
    "shape", ["shuffled", "descending", "descending with ties", "few swaps", "coarse"]
)
def test_every_sort_path_equals_numpy_stable_argsort(shape):
    rng = np.random.default_rng(7)
    n = 20_000
    times = {
        "shuffled": rng.permutation(n).astype(np.float64) * 0.1,
        "descending": np.arange(n, 0, -1, dtype=np.float64),
        "descending with ties": np.repeat(np.arange(n // 4, 0, -1), 4).astype(np.float64),
        "few swaps": np.arange(n, dtype=np.float64),
        "coarse": rng.integers(0, 50, n).astype(np.float64),  # many equal times
    }[shape]
    if shape == "few swaps":
        swap = rng.integers(0, n - 1, 40)
        times[swap], times[swap + 1] = times[swap + 1].copy(), times[swap].copy()
    values = rng.random(n)
    got_times, got_values = sort_by_time(times, values, check_order(times))
    want_times, want_values = reference(times, values)
    assert np.array_equal(got_times, want_times)
    assert np.array_equal(got_values, want_values)  # equal times keep their file order


def test_times_that_share_a_bucket_of_the_packed_sort_are_repaired():
    # Distinct times 1e-9 s apart beside one far away: the packed keys cannot tell them
    # apart (one bucket), so the sort comes out in file order and the repair must fix it.
    rng = np.random.default_rng(3)
    cluster = 1000.0 + rng.permutation(5000) * 1e-9
    times = np.concatenate(([0.0, 1e9], cluster))
    values = np.arange(len(times), dtype=np.float64)
    unrepaired = times[time_order._packed_order(times)]
    assert (np.diff(unrepaired) < 0).any(), "the case must hit a shared bucket"
    got = sort_by_time(times, values, check_order(times))
    want = reference(times, values)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_columns_of_one_array_are_sorted_by_rows_too():
    rng = np.random.default_rng(5)
    pairs = np.column_stack([rng.permutation(1000) * 1.0, rng.random(1000)])
    got = sort_by_time(pairs[:, 0], pairs[:, 1], check_order(pairs[:, 0]))
    want = reference(pairs[:, 0].copy(), pairs[:, 1].copy())
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert not np.shares_memory(got[0], pairs)  # the file's array is left as it was


@pytest.mark.parametrize("layout", ["columns of one array", "two arrays"])
def test_large_gathers_on_two_threads_equal_the_reference(layout):
    rng = np.random.default_rng(9)
    n = 2 * time_order._THREADED + 3  # over the threshold, odd halves
    times, values = rng.permutation(n) * 0.5, rng.random(n)
    if layout == "columns of one array":
        pairs = np.column_stack([times, values])
        times, values = pairs[:, 0], pairs[:, 1]
    got = sort_by_time(times, values, check_order(times))
    want = reference(np.ascontiguousarray(times), np.ascontiguousarray(values))
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
