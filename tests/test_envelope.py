"""Dense series draw as their per-column min-max envelope with a line through the column
means (render/columns.py); sparse ones as a line through every sample. The numbers are
checked against a per-column brute force; the picture on the GPU: band and mean line reach
each column's extremes (within 1.5 px in 98 % of columns) and pass them only by what the
2-px mean line between column centres can (its neighbours' extremes and 2.5 px), a single
spike in 200,000 samples and a gap stay where they are, and the mean line is drawn in the
series' colour."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replay_viewer.model import Incident, Series
from replay_viewer.render.columns import drawn_samples
from replay_viewer.render.geometry import RenderOptions
from replay_viewer.render.style import DENSE

COUNT = 200_000
SPIKE = 123_457
GAP = slice(150_000, 152_000)


def dense_incident() -> Incident:
    rng = np.random.default_rng(7)
    times = np.arange(COUNT, dtype=np.float64) * 0.5
    values = 100 + np.cumsum(rng.normal(0, 1, COUNT))
    values[SPIKE] = values.max() + 400  # one sample far above everything
    values[GAP] = np.nan
    series = Series("dense", "dense", "ms", (0.957, 0.247, 0.369), "left", None, times, values)
    return Incident("dense", "Dense", (series,), start=0.0, end=float(times[-1]))


def brute_force(times, values, t_start, t_end, columns):
    width = (t_end - t_start) / columns
    column = np.clip(((times - t_start) // width).astype(int), 0, columns - 1)
    low, high, mean = [], [], []
    for k in np.unique(column):
        chunk = values[column == k]
        finite = chunk[np.isfinite(chunk)]
        low.append(finite.min() if len(finite) else np.nan)
        high.append(finite.max() if len(finite) else np.nan)
        mean.append(finite.mean() if len(finite) else np.nan)
    return np.array(low), np.array(high), np.array(mean)


def test_envelope_columns_are_each_columns_extremes_and_mean():
    series = dense_incident().series[0]
    drawn = drawn_samples(series.times, series.values, 0.0, series.times[-1], 900,
                          has_gaps=True)  # fmt: skip
    assert drawn.dense and drawn.samples_in_view == COUNT
    centres, low, high = drawn.envelope
    assert len(centres) == 900
    expected = brute_force(series.times, series.values, 0.0, series.times[-1], 900)
    # Each column reaches its predecessor's last sample (as a line through all would).
    column = np.clip((series.times // (series.times[-1] / 900)).astype(int), 0, 899)
    last = np.array([series.values[column == k][-1] for k in range(899)])
    with np.errstate(invalid="ignore"):
        want_low = np.concatenate([expected[0][:1], np.fmin(expected[0][1:], last)])
        want_high = np.concatenate([expected[1][:1], np.fmax(expected[1][1:], last)])
    np.testing.assert_allclose(low, want_low, equal_nan=True)
    np.testing.assert_allclose(high, want_high, equal_nan=True)
    np.testing.assert_allclose(drawn.values, expected[2], equal_nan=True)
    assert np.nanmax(high) == series.values[SPIKE], "the spike is its column's high"
    gap_columns = np.isnan(high)
    assert gap_columns.sum() >= 1, "a column inside the gap is a gap"
    # The mean line passes through each column's centre.
    assert np.all(np.diff(centres) > 0) and np.array_equal(drawn.times, centres)


def test_isolated_missing_samples_do_not_blank_their_columns():
    times = np.arange(100_000, dtype=np.float64)
    values = np.sin(times / 5000)
    values[::997] = np.nan  # a flaky scrape: one sample in a thousand missing
    drawn = drawn_samples(times, values, 0, times[-1], 500, has_gaps=True)
    assert np.isfinite(drawn.envelope[2]).all()


def test_sparse_and_zoomed_series_draw_every_sample_in_view():
    times = np.arange(1000, dtype=np.float64)
    sparse = drawn_samples(times, times, 0, 999, 900, has_gaps=False)
    assert not sparse.dense and len(sparse.times) == 1000
    # 10,000 samples over 900 columns are dense; zoomed to 1,000 of them (plus one on each
    # side, so the line reaches the edges) they are drawn one by one.
    times = np.arange(10_000, dtype=np.float64)
    assert drawn_samples(times, times, 0, 9999, 900, has_gaps=False).dense
    zoomed = drawn_samples(times, times, 5000, 5999, 900, has_gaps=False)
    assert not zoomed.dense and zoomed.times[0] == 4999 and zoomed.times[-1] == 6000
    assert DENSE.envelope_above * 900 >= len(zoomed.times)


def test_repeated_times_stay_in_order_in_the_line():
    times = np.array([0.0, 1.0, 1.0, 1.0, 2.0])
    values = np.array([1.0, 2.0, 5.0, 3.0, 4.0])
    drawn = drawn_samples(times, values, 0, 2, 900, has_gaps=False)
    assert list(drawn.values) == [1.0, 2.0, 5.0, 3.0, 4.0]  # a vertical step, in file order


@pytest.mark.gpu
def test_envelope_picture_spans_each_columns_extremes(gpu_adapter):
    from replay_viewer.render.boot import Boot

    incident = dense_incident()
    options = RenderOptions(quality="high")
    t = incident.end * 0.8
    renderer = Boot(incident, 960, 540, 1.0, start_time=t, frame_options=options).run()
    assert renderer.series.band_count == renderer.layout.chart.width
    pixels = renderer.render(t, options)
    layout = renderer.layout
    chart, axis = layout.chart, layout.axes["left"]
    rose = np.array([244, 63, 94])
    background = pixels[chart.y0 + 5, chart.x1 - 5, :3].astype(int)
    past = slice(chart.x0 + 2, math.floor(layout.to_x(t)) - 3)
    region = pixels[chart.y0 : chart.y1, past, :3].astype(int)
    series = incident.series[0]
    _, low, high = drawn_samples(series.times, series.values, layout.t_start, layout.t_end,
                                 chart.width, has_gaps=True).envelope  # fmt: skip
    columns = np.arange(past.start, past.stop) - chart.x0
    with np.errstate(invalid="ignore"):
        want_top, want_bottom = axis.to_y(high[columns]), axis.to_y(low[columns])
    red = region[..., 0] - background[0]
    tinted = (red > 25) & (region[..., 0] > region[..., 2] + 20)  # band or mean line
    drawn = tinted.any(axis=0)
    top = np.where(drawn, tinted.argmax(axis=0), -1) + chart.y0
    bottom = np.where(drawn, tinted.shape[0] - 1 - tinted[::-1].argmax(axis=0), -1) + chart.y0
    check = drawn & np.isfinite(want_top)
    # Every column shows its extremes (a spike is never lost)…
    reach = (top <= want_top + 1.5) & (bottom >= want_bottom - 1.5)
    assert reach[check].mean() >= 0.98, f"{1 - reach[check].mean():.1%} of columns fall short"
    # …and nothing beyond them but the 2-px mean line, which joins column centres: where it
    # is steep, its round caps reach two columns sideways (so: within the extremes of the
    # columns k-2..k+2, plus its half width and anti-aliasing).
    k = columns
    with np.errstate(invalid="ignore"):
        y_high, y_low = axis.to_y(high), axis.to_y(low)
        bound_top = np.min([y_high[k + d] for d in range(-2, 3)], axis=0)
        bound_bottom = np.max([y_low[k + d] for d in range(-2, 3)], axis=0)
    within = (top >= bound_top - 2.5) & (bottom <= bound_bottom + 2.5)
    check &= np.isfinite(bound_top) & np.isfinite(bound_bottom)
    assert within[check].mean() >= 0.98, f"{1 - within[check].mean():.1%} of columns overshoot"
    # The spike: a thin spire up to its value.
    spike_x = math.floor(layout.to_x(SPIKE * 0.5))
    spike_y = math.floor(axis.to_y(series.values[SPIKE]))
    window = pixels[spike_y - 2 : spike_y + 4, spike_x - 2 : spike_x + 3, :3].astype(int)
    assert (window[..., 0] - background[0] > 25).any(), "the spike is drawn"
    # The gap stays empty.
    gap_x = math.floor(layout.to_x((GAP.start + GAP.stop) / 2 * 0.5))
    column = pixels[chart.y0 : chart.y1, gap_x, :3].astype(int)
    tinted = (column[..., 0] - background[0] > 25) & (column[..., 0] > column[..., 2] + 20)
    assert not tinted.any(), "the gap stays empty"
    # The mean line is opaque rose somewhere in most past columns.
    solid = (np.abs(region - rose).max(axis=-1) < 50).any(axis=0)
    assert solid.mean() > 0.9


@pytest.mark.gpu
def test_the_bundled_dense_incident_draws_from_its_data_file(booted):
    # A data file's series are columns of one (N, 2) array: not contiguous. They must draw.
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer

    from .conftest import REPO

    incident = load_incident(REPO / "incidents" / "dense-scrape.yaml")
    assert len(incident.series[0].times) >= 1_000_000
    renderer = prepare_renderer(booted.device, incident, 960, 540, 1.0, quality="standard")
    assert renderer.series.drawn[0].dense
    assert renderer.series.ranges[0][1] <= renderer.layout.chart.width
    # …and its baseline (itself a day earlier) draws a column's mean per column too.
    assert renderer.series.baselines[0].dense
    assert renderer.series.point_count <= 2 * renderer.layout.chart.width
    pixels = renderer.render(incident.end / 2, RenderOptions(quality="standard"))
    chart = renderer.layout.chart
    plot = pixels[chart.y0 : chart.y1, chart.x0 : chart.x1, :3].astype(int)
    rose = np.array([244, 63, 94])
    assert (np.abs(plot - rose).max(axis=-1) < 40).sum() > 500, "the series is drawn"
