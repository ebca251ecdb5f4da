"""Histograms without a GPU: the quantiles (against hand-computed values), the loader's
forms and positioned errors, the heatmap pane's log axis, the cells per pixel column, the
tooltip's words and the colour ramp."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replay_viewer.analysis.histograms import (
    decumulate,
    first_decrease,
    first_not_increasing,
    histogram_quantile,
    quantile_name,
)
from replay_viewer.describe import count_reading, heat_cell_reading
from replay_viewer.loader import IncidentLoadError, load_incident
from replay_viewer.model import Histogram
from replay_viewer.render.heatmap_axis import bucket_edges
from replay_viewer.render.heatmap_colors import heat_scale, ramp_colors
from replay_viewer.render.heatmap_geometry import (
    GAP_FLAG,
    cell_at,
    column_counts,
    heat_rows,
    pack_heatmaps,
)
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.style import relative_luminance
from replay_viewer.render.themes import palette_for

BOUNDS = np.array([0.1, 0.25, 0.5, 1.0, np.inf])


def histogram(counts, bounds=BOUNDS, times=None) -> Histogram:
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    times = np.arange(len(counts), dtype=float) if times is None else times
    return Histogram("lat", "Latency", "s", "req/s", times, bounds, counts)


# -- quantiles ------------------------------------------------------------------------------


def test_quantiles_by_hand():
    # Own counts 10, 40, 40, 9, 1 (cumulative 10, 50, 90, 99, 100).
    h = histogram([[10, 40, 40, 9, 1]])
    # p50: rank 50 is the end of (0.1, 0.25]: 0.25. p90: rank 90 ends (0.25, 0.5]: 0.5.
    assert histogram_quantile(h, 50)[0] == pytest.approx(0.25)
    assert histogram_quantile(h, 90)[0] == pytest.approx(0.5)
    # p75: rank 75 is 25 into the 40 of (0.25, 0.5]: 0.25 + 0.25 × 25/40.
    assert histogram_quantile(h, 75)[0] == pytest.approx(0.25 + 0.25 * 25 / 40)
    # p5: rank 5 inside the first bucket, from 0: 0.1 × 5/10.
    assert histogram_quantile(h, 5)[0] == pytest.approx(0.05)
    # p99.5: rank 99.5 lies in +Inf: the highest finite bound, as Prometheus answers.
    assert histogram_quantile(h, 99.5)[0] == pytest.approx(1.0)


def test_quantiles_of_a_finite_top_and_of_nothing():
    h = histogram([[2, 2, 0, 0], [0, 0, 0, 0], [np.nan] * 4], bounds=np.array([1, 2, 4, 8.0]))
    got = histogram_quantile(h, 50)
    assert got[0] == pytest.approx(1.0)  # rank 2 ends (0, 1]
    assert math.isnan(got[1]) and math.isnan(got[2])  # no observations; a gap


def test_quantile_names():
    assert [quantile_name(p) for p in (50, 99, 99.9)] == ["p50", "p99", "p99_9"]


def test_decumulate_repairs_a_dip_and_keeps_gaps():
    got = decumulate(np.array([[1, 3, 2, 6], [np.nan, np.nan, np.nan, np.nan]]))
    assert got[0].tolist() == [1, 2, 0, 3]  # 2 < 3 counts as 3
    assert np.isnan(got[1]).all()


def test_checks_of_bounds_and_cumulative_counts():
    assert first_not_increasing(np.array([0.1, 0.5, 0.5, 1])) == 2
    assert first_not_increasing(np.array([0.1, 0.5, np.inf])) == -1
    assert first_decrease(np.array([[1, 2, 3], [1, 4, 3]])) == (1, 2)
    assert first_decrease(np.array([[1, np.nan, 3]])) is None


# -- the loader -----------------------------------------------------------------------------

INCIDENT = """\
title: Heat
histograms:
  - id: latency
    label: Request latency
    unit: s
    counts: req/s
    file: {file}
{extra}thresholds:
  - {{series: latency_p99, value: 0.5, label: SLO}}
"""

CSV = "time,0.1,0.25,0.5,1,+Inf\n0,10,50,90,99,100\n10,10,40,80,99,100\n5,0,0,0,0,0\n20,,,,,\n"


def write(tmp_path, *, data=CSV, file="lat.csv", extra=""):
    if isinstance(data, np.ndarray):
        np.save(tmp_path / file, data)
    else:
        (tmp_path / file).write_text(data, encoding="utf-8")
    path = tmp_path / "incident.yaml"
    path.write_text(INCIDENT.format(file=file, extra=extra), encoding="utf-8")
    return path


def errors(path) -> list[str]:
    with pytest.raises(IncidentLoadError) as caught:
        load_incident(path)
    return [str(d) for d in caught.value.diagnostics]


def test_a_csv_histogram_loads_with_its_quantiles(tmp_path):
    incident = load_incident(write(tmp_path))
    (h,) = incident.histograms
    assert (h.id, h.label, h.unit, h.count_unit) == ("latency", "Request latency", "s", "req/s")
    assert h.bounds.tolist() == [0.1, 0.25, 0.5, 1.0, math.inf]
    assert h.times.tolist() == [0, 5, 10, 20]  # sorted, with a warning
    assert h.counts[0].tolist() == [10, 40, 40, 9, 1]  # de-cumulated
    assert np.isnan(h.counts[3]).all()  # empty fields: a gap
    assert [s.id for s in incident.series] == ["latency_p50", "latency_p90", "latency_p99"]
    p50 = incident.series[0]
    assert (p50.label, p50.unit, p50.histogram) == ("Request latency p50", "s", "latency")
    assert p50.values[0] == pytest.approx(0.25)
    assert incident.thresholds[0].series_id == "latency_p99"
    assert incident.warnings == (
        f"{tmp_path}/lat.csv:4:1: warning: 1 row is earlier than the row before; sorted by "
        f"time (histogram 'latency' 'file' at {tmp_path}/incident.yaml:7:11)",
    )


def test_a_npy_histogram_takes_its_buckets_from_the_yaml(tmp_path):
    rows = np.array([[0, 1, 2, 3], [10, 0, 0, 4]], dtype=float)
    extra = "    buckets: [0.5, 1, +Inf]\n    cumulative: false\n    quantiles: [50, 99]\n"
    incident = load_incident(write(tmp_path, data=rows, file="lat.npy", extra=extra))
    (h,) = incident.histograms
    assert h.bounds.tolist() == [0.5, 1.0, math.inf]
    assert h.counts.tolist() == [[1, 2, 3], [0, 0, 4]]  # as they are: not cumulative
    assert [s.id for s in incident.series] == ["latency_p50", "latency_p99"]


def test_bounds_that_do_not_increase_are_positioned_in_the_header(tmp_path):
    data = "time,0.1,0.5,0.25,+Inf\n0,1,2,3,4\n"
    assert errors(write(tmp_path, data=data)) == [
        f"{tmp_path}/lat.csv:1:14: error: bucket bound 0.25 is not above the one before it "
        f"(0.5); bounds must increase from left to right (histogram 'latency' 'file' at "
        f"{tmp_path}/incident.yaml:7:11)"
    ]


def test_bounds_that_do_not_increase_are_positioned_in_the_yaml(tmp_path):
    rows = np.array([[0, 1, 2, 3]], dtype=float)
    extra = "    buckets: [0.5, 0.5, +Inf]\n"
    path = write(tmp_path, data=rows, file="lat.npy", extra=extra)
    assert errors(path) == [
        f"{path}:8:20: error: histogram 'latency' 'buckets': bucket bound 0.5 is not above "
        "the one before it (0.5); bounds must increase from left to right"
    ]


def test_counts_that_are_not_cumulative_are_positioned_at_the_cell(tmp_path):
    data = "time,0.1,0.25,0.5,+Inf\n0,1,2,3,4\n10,1,5,3,6\n"
    (message,) = errors(write(tmp_path, data=data))
    assert message.startswith(
        f"{tmp_path}/lat.csv:3:8: error: count 3 is below the bucket before it (5), and the "
        "buckets are cumulative"
    )
    rows = np.array([[0, 1, 2, 3], [10, 1, 1, 0.5]], dtype=float)
    (message,) = errors(write(tmp_path, data=rows, file="lat.npy",
                              extra="    buckets: [0.1, 0.5, +Inf]\n"))  # fmt: skip
    assert message.startswith(f"{tmp_path}/lat.npy:2:4: error: row 2 (index 1): count 0.5 is")


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        ("time,0.1,+Inf\n0,1,-2\n", "2:5", "count -2 is negative"),
        ("time,0.1,+Inf\n0,1\n", "2:1", "row has 2 fields; the header names 3"),
        ("time,0.1,+Inf\n0,1,x\n", "2:5", "count 'x' is not a number"),
        ("time,fast,+Inf\n0,1,2\n", "1:6", "column header 'fast' is not a bucket's upper bound"),
        ("time,0.1,+Inf\nten,1,2\n", "2:1", "time 'ten' is not a timecode"),
        ("time,+Inf,1\n0,1,2\n", "1:11", "bucket bound 1 is not above the one before it"),
        # The log axis's limits (values' ±1e30): beyond them exports could not lay it out.
        ("time,1e30,1e300,+Inf\n0,1,2,3\n", "1:11", "bucket bound 1e+300 is beyond ±1e+30"),
        ("time,1e-300,1\n0,1,2\n", "1:6", "bucket bound 1e-300 is too close to 0 for the log"),
    ],
)
def test_other_data_file_errors(tmp_path, data, where, message):
    (found,) = errors(write(tmp_path, data=data))
    assert found.startswith(f"{tmp_path}/lat.csv:{where}: error: "), found
    assert message in found


def test_keys_that_do_not_fit_the_file(tmp_path):
    path = write(tmp_path, extra="    buckets: [1]\n")
    assert "histogram 'latency': 'buckets' applies to .npy files" in errors(path)[0]
    rows = np.array([[0, 1]], dtype=float)
    path = write(tmp_path, data=rows, file="lat.npy")
    assert "a .npy file needs 'buckets'" in errors(path)[0]


def test_ids_that_clash(tmp_path):
    text = INCIDENT.format(file="lat.csv", extra="") + (
        "series:\n  - {id: latency_p90, samples: [[0, 1]]}\n"
    )
    (tmp_path / "lat.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "incident.yaml").write_text(text, encoding="utf-8")
    (message,) = errors(tmp_path / "incident.yaml")
    assert "draws its p90 as series 'latency_p90', and a series already has that id" in message


# -- the pane, the cells, the tooltip ------------------------------------------------------


def heat_incident(tmp_path):
    return load_incident(write(tmp_path))


def test_the_heatmap_has_its_own_pane_with_a_log_axis(tmp_path):
    incident = heat_incident(tmp_path)
    layout = compute_layout(incident, 1280, 720)
    (axis,) = layout.axes.values()
    assert axis.log and layout.panes
    assert axis.series_ids == ("latency_p50", "latency_p90", "latency_p99")
    assert [t.label for t in axis.ticks] == ["0.1", "0.25", "0.5", "1", "+Inf"]
    ys = [axis.to_y(v) for v in (0.1, 0.25, 0.5, 1.0)]
    assert ys == sorted(ys, reverse=True)  # up the pane
    # Log spacing: 0.25 → 0.5 is as tall as 0.5 → 1.
    assert ys[1] - ys[2] == pytest.approx(ys[2] - ys[3])
    edges = bucket_edges(incident.histograms[0].bounds)
    assert len(edges) == 6 and np.all(np.diff(edges) > 0)


def test_rows_and_columns_of_the_cells(tmp_path):
    incident = heat_incident(tmp_path)
    layout = compute_layout(incident, 1280, 720)
    (axis,) = layout.axes.values()
    h = incident.histograms[0]
    rows = heat_rows(h.bounds, axis)
    assert len(rows) == axis.y1 - axis.y0
    shown = rows[rows >= 0] & (GAP_FLAG - 1)
    assert shown[0] == 4 and shown[-1] == 0  # +Inf at the top, the first bucket at the bottom
    assert ((rows >= 0) & (rows & GAP_FLAG > 0)).sum() == 4  # a line between each two
    columns = column_counts(h, 0.0, 20.0, 4)  # 5 s a column: each time its own
    assert columns[0].tolist() == h.counts[0].tolist()
    assert columns[1].tolist() == h.counts[1].tolist()
    dense = column_counts(histogram(np.arange(30.0).reshape(10, 3), np.array([1, 2.0, 3])),
                          0.0, 10.0, 3)  # fmt: skip
    assert dense[0].tolist() == [4.5, 5.5, 6.5]  # the mean of times 0…3
    packed = pack_heatmaps(incident, layout)
    assert packed.records["buckets"][0] == 5
    assert packed.cells.size == layout.chart.width * 5
    assert packed.rows.size == axis.y1 - axis.y0


def test_cell_under_the_pointer_and_its_words(tmp_path):
    incident = heat_incident(tmp_path)
    layout = compute_layout(incident, 1280, 720)
    (axis,) = layout.axes.values()
    y = (axis.to_y(0.25) + axis.to_y(0.5)) / 2  # inside (0.25, 0.5]
    cell = cell_at(incident, layout, layout.to_x(1.0), y)
    assert (cell.bucket, cell.row, cell.count, cell.bound) == (2, 0, 40.0, "0.5")
    words = heat_cell_reading(incident, cell.histogram, cell.bucket, cell.row)
    assert words == "le 0.5 s: 40 req/s at T+00:00"
    assert cell_at(incident, layout, layout.chart.x0 - 5, y) is None


def test_count_words():
    assert count_reading(1204, "req/s") == "1,204 req/s"
    assert count_reading(3.5, "req/s") == "3.50 req/s"
    assert count_reading(12.25, "/s") == "12.2/s"
    assert count_reading(7, "") == "7"


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_ramp_moves_away_from_the_background(theme):
    palette = palette_for(theme)
    colors = ramp_colors(palette, np.linspace(0, 1, 9))
    background = relative_luminance(palette.background[:3])
    distance = [abs(relative_luminance(tuple(c)) - background) for c in colors]
    assert distance == sorted(distance), "more counts, further from the page"


def test_the_scale_is_a_square_root_of_the_highest_count():
    scale = heat_scale(np.array([[0.0, 25.0], [100.0, np.nan]]))
    assert scale.high == 100.0
    assert scale.position(np.array([0.0, 25.0, 100.0])).tolist() == [0.0, 0.5, 1.0]
    assert scale.count_at(0.5) == pytest.approx(25.0)


def test_the_bundled_heatmap_incident():
    import importlib.util

    from .conftest import REPO
    from .test_cli import run_cli

    path = REPO / "incidents" / "latency-heatmap.yaml"
    spec = importlib.util.spec_from_file_location("generate", REPO / "incidents" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    committed = (REPO / "incidents" / "latency-heatmap.csv").read_text(encoding="utf-8")
    assert generate.latency_heatmap_text() == committed, "run python incidents/generate.py"
    incident = load_incident(path)
    (h,) = incident.histograms
    assert h.counts.shape == (481, 21) and h.bounds[-1] == math.inf
    assert np.nanmin(h.counts) >= 0
    result = run_cli("validate", str(path))
    assert result.stdout == f"{path}: ok (4 series, 1 histogram, 6 events, duration T+30:00)\n"
