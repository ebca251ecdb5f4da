"""Layout and tick maths (pure Python, no GPU)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.render.layout import compute_layout, format_value, nice_step, nice_ticks

from .conftest import BUNDLED


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


@pytest.mark.parametrize(
    ("span", "intervals", "step"),
    [(2400, 5, 500), (100, 5, 20), (1, 4, 0.25), (7, 10, 1), (0.03, 3, 0.01), (1e6, 4, 250000)],
)
def test_nice_step(span, intervals, step):
    assert nice_step(span, intervals) == pytest.approx(step)


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e6, allow_nan=False),
    st.integers(min_value=2, max_value=12),
)
def test_nice_ticks_cover_the_range(low, span, intervals):
    high = low + span
    nice_low, nice_high, step = nice_ticks(low, high, intervals)
    # Float noise within a millionth of a step does not earn an extra tick.
    assert nice_low <= low + step * 1e-6 and nice_high >= high - step * 1e-6
    assert (nice_high - nice_low) / step <= intervals + 2  # never absurdly many ticks
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (2500, 500, "2,500"),
        (0.25, 0.25, "0.25"),
        (12.5, 2.5, "12.5"),
        (-0.0, 1, "0"),
        (80, 20, "80"),
    ],
)
def test_format_value(value, step, text):
    assert format_value(value, step) == text


def test_bundled_layout_1280x720(incident):
    layout = compute_layout(incident, 1280, 720, 1.0)
    chart = layout.chart
    assert chart.x0 < chart.x1 <= 1280 and chart.y0 < chart.y1 <= 720
    # Time maps the whole incident onto the chart.
    assert layout.to_x(incident.start) == pytest.approx(chart.x0)
    assert layout.to_x(incident.end) == pytest.approx(chart.x1)
    assert layout.to_t(layout.to_x(123.4)) == pytest.approx(123.4)
    labels = [tick.label for tick in layout.time_ticks]
    assert labels[0] == "T+00:00" and labels[-1] == "T+14:00"
    # p99 on the left from 0, hit rate on the right, 0–100 as the file asks.
    left, right = layout.axes["left"], layout.axes["right"]
    assert left.series_ids == ("p99",) and left.unit == "ms"
    assert left.low == 0 and left.high >= 2400
    assert (right.low, right.high, right.unit) == (0, 100, "%")
    # The right axis follows the left's intervals, so labels share grid lines.
    assert [t.pos for t in left.ticks] == [t.pos for t in right.ticks]
    assert left.to_y(left.low) == pytest.approx(chart.y1)
    assert right.to_y(100) == pytest.approx(chart.y0)


def test_ticks_are_pixel_snapped_and_on_the_grid(incident):
    for size, ratio in (((1280, 720), 1.0), ((2560, 1440), 2.0), ((1000, 600), 1.0)):
        layout = compute_layout(incident, *size, ratio)
        grid = layout.grid_x
        for tick in layout.time_ticks:
            assert isinstance(tick.pos, int)
            k = round((layout.to_x(tick.value) - grid.origin) / grid.spacing)
            assert k % grid.major_every == 0, "every time tick is a major grid line"
            assert tick.pos == min(math.floor(grid.origin + k * grid.spacing), layout.chart.x1 - 1)


def test_hidpi_doubles_pixels(incident):
    one = compute_layout(incident, 1280, 720, 1.0)
    two = compute_layout(incident, 2560, 1440, 2.0)
    assert two.chart.x0 == 2 * one.chart.x0 and two.chart.y1 == 2 * one.chart.y1
    assert [t.label for t in two.time_ticks] == [t.label for t in one.time_ticks]


@pytest.mark.parametrize("size", [(160, 120), (320, 200), (4000, 300), (300, 2000)])
def test_small_and_odd_sizes_still_have_a_chart(incident, size):
    layout = compute_layout(incident, *size, 1.0)
    assert layout.chart.width >= 8 and layout.chart.height >= 8
    assert layout.chart.x1 <= size[0] and layout.chart.y1 <= size[1]
    assert len(layout.time_ticks) >= 2


def test_auto_range_includes_thresholds_and_negative_values():
    incident = parse_incident(
        "title: t\nseries:\n  - id: a\n    samples: [[0, -5], [10, 20]]\n"
        "thresholds: [{series: a, value: 30, label: max}]\n"
    )
    axis = compute_layout(incident, 1280, 720).axes["left"]
    assert axis.low <= -5 and axis.high >= 30


def test_constant_series_gets_a_range():
    incident = parse_incident("title: t\nseries:\n  - id: a\n    samples: [[0, 7], [10, 7]]\n")
    axis = compute_layout(incident, 800, 600).axes["left"]
    assert axis.low < 7 < axis.high


@pytest.mark.parametrize(
    ("duration", "first_labels"),
    [("48h", ["T+0", "T+6h"]), ("30d", None), ("365d", None), ("3000d", None)],
)
def test_long_incidents_get_few_readable_time_ticks(duration, first_labels):
    hours = {"48h": 48, "30d": 720, "365d": 8760, "3000d": 72000}[duration]
    incident = parse_incident(
        f"title: t\nduration: {hours}h\nseries: [{{id: a, samples: [[0, 1], [3600, 2]]}}]\n"
    )
    layout = compute_layout(incident, 1280, 720)
    labels = [tick.label for tick in layout.time_ticks]
    assert 2 <= len(labels) <= 14
    xs = [tick.pos for tick in layout.time_ticks]
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 60, "labels do not overlap"
    if first_labels:
        assert labels[:2] == first_labels
    if hours >= 720:
        assert all(label.endswith("d") for label in labels)


def test_large_values_with_small_variation_terminate():
    # value += step would never move past 1e16 with a step of 0.5 (float spacing is 2).
    incident = parse_incident(
        "title: t\nseries: [{id: a, samples: [[0, 10000000000000000], [10, 10000000000000002]]}]\n"
    )
    axis = compute_layout(incident, 1280, 720).axes["left"]
    assert 2 <= len(axis.ticks) <= 64


def _thirty_series():
    series = ", ".join(f"{{id: s{k}, label: series number {k}, samples: [[0, {k}], [60, 1]]}}"
                       for k in range(30))  # fmt: skip
    return parse_incident(f"title: t\nseries: [{series}]\n")


@pytest.mark.parametrize("scrolls", [True, False])
def test_a_long_legend_says_how_to_see_the_rest(scrolls):
    # The window's legend scrolls (the wheel); an exported frame cannot, so it says how many
    # entries it leaves out instead of offering to scroll.
    from types import SimpleNamespace

    from replay_viewer.render.legend_labels import legend_scroll_hint

    incident = _thirty_series()
    layout = compute_layout(incident, 1280, 720, legend_scrolls=scrolls)
    shown, rows_shown = len(layout.legend), len({cell.y for cell in layout.legend})
    assert layout.legend_rows > rows_shown and shown < 30, "else this test proves nothing"
    said = []
    placer = SimpleNamespace(
        layout=layout, fonts=SimpleNamespace(regular="regular"), x1=1200.0,
        text=lambda font, size, pos, color, text, **kw: said.append(text),
    )  # fmt: skip
    legend_scroll_hint(placer, len(incident.entries) - shown)
    hint = f"rows 1–{rows_shown} of {layout.legend_rows} ⇅" if scrolls else (
        f"+{30 - shown} entries not shown")  # fmt: skip
    assert said == [hint]
