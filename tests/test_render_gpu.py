"""Rendering on a real WebGPU adapter (llvmpipe/lavapipe in CI): pixel facts and goldens."""

from __future__ import annotations

import math

import numpy as np
import pytest

from replay_viewer.render.layout import compute_layout
from replay_viewer.render.renderer import RenderOptions
from replay_viewer.render.style import PALETTE, RULES

pytestmark = pytest.mark.gpu

ROSE = (244, 63, 94)
CYAN = (34, 211, 238)


def mask(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    """Pixels within ``tolerance`` (per channel) of a colour."""
    return np.all(np.abs(pixels[..., :3].astype(int) - np.array(rgb)) <= tolerance, axis=-1)


def ghost(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    background = np.array(PALETTE.background[:3]) * 255
    return tuple(int(v) for v in background + (np.array(rgb) - background) * RULES.ghost_mix)


@pytest.fixture(scope="module")
def renderer(booted):
    return booted.renderer


def chart_halves(renderer, pixels, t):
    """The chart left and right of the playhead, without the threshold lines and labels
    (drawn in the series colours on purpose)."""
    layout = renderer.layout
    chart = layout.chart
    x = math.floor(layout.to_x(t))
    inner = pixels[chart.y0 : chart.y1].copy()
    for threshold in renderer.incident.thresholds:
        row = math.floor(layout.axis_for(threshold.series_id).to_y(threshold.value)) - chart.y0
        inner[max(0, row - 14) : row + 15] = 0
    return inner[:, chart.x0 : x - 3], inner[:, x + 4 : chart.x1], x


@pytest.mark.parametrize("t", [150.0, 300.0, 600.0])
def test_traces_full_before_playhead_ghost_after(renderer, t):
    pixels = renderer.render(t, RenderOptions(ghost=True))
    past, future, _ = chart_halves(renderer, pixels, t)
    for color in (ROSE, CYAN):
        assert mask(past, color, 30).sum() > 150, "full-strength trace left of the playhead"
        assert mask(future, color, 30).sum() < 15, "no full-strength trace right of it"
        assert mask(future, ghost(color), 22).sum() > 100, "but a ghost of it"


def test_no_ghost_hides_the_future(renderer):
    t = 300.0
    pixels = renderer.render(t, RenderOptions(ghost=False))
    past, future, _ = chart_halves(renderer, pixels, t)
    for color in (ROSE, CYAN):
        assert mask(past, color, 30).sum() > 150
        assert mask(future, color, 30).sum() + mask(future, ghost(color), 22).sum() < 15


def test_playhead_column(renderer):
    layout = renderer.layout
    for t in (0.0, 420.0, 839.0):
        pixels = renderer.render(t, RenderOptions())
        x = math.floor(layout.to_x(t))
        column = pixels[layout.chart.y0 : layout.chart.y1, x, :3].astype(int)
        bright = (column.min(axis=1) > 200).mean()
        assert bright > 0.8, f"playhead at x={x} for t={t}"
        # …and not a column further out.
        side = pixels[layout.chart.y0 : layout.chart.y1, x + 6, :3].astype(int)
        assert (side.min(axis=1) > 200).mean() < 0.2


def test_threshold_line_at_predicted_row(renderer):
    layout = renderer.layout
    pixels = renderer.render(840.0, RenderOptions())
    chart = layout.chart
    slo_row = math.floor(layout.axes["left"].to_y(200))
    gate_row = math.floor(layout.axes["right"].to_y(70))
    for row, color in ((slo_row, ROSE), (gate_row, CYAN)):
        band = pixels[row - 1 : row + 2, chart.x0 : chart.x1]
        on_line = mask(band, color, 60).any(axis=0).mean()
        assert on_line > 0.35, f"dashed line along y={row}"
        # Dashed: both on and off runs along the line.
        assert on_line < 0.95
        away = pixels[row + 8, chart.x0 : chart.x1]
        assert mask(away, color, 60).mean() < 0.2


def test_legend_and_readout_text_present_and_changing(renderer):
    layout = renderer.layout
    chart = layout.chart
    early = renderer.render(0.0, RenderOptions())
    late = renderer.render(600.0, RenderOptions())
    legend = (slice(chart.y0 - 28, chart.y0 - 4), slice(chart.x0, chart.x0 + 500))
    readout = (slice(0, 45), slice(layout.width - 220, layout.width))
    for region in (legend, readout):
        text_pixels = early[region][..., :3].max(axis=-1) > 120
        assert text_pixels.sum() > 150, "text drawn there"
        assert np.abs(early[region].astype(int) - late[region].astype(int)).max() > 100, (
            "values follow the playhead"
        )
    title = early[5:40, 60:400, :3].max(axis=-1) > 180
    assert title.sum() > 300, "title text"


def test_deterministic(renderer):
    a = renderer.render(333.0, RenderOptions())
    b = renderer.render(333.0, RenderOptions())
    assert np.array_equal(a, b)


def test_hover_draws_crosshair_and_moves_spotlight(renderer):
    layout = renderer.layout
    plain = renderer.render(300.0, RenderOptions())
    hover_pt = (layout.chart.x0 + 700, layout.chart.y0 + 200)
    hovered = renderer.render(300.0, RenderOptions(hover=hover_pt))
    column = hovered[layout.chart.y0 : layout.chart.y1, hover_pt[0]]
    before = plain[layout.chart.y0 : layout.chart.y1, hover_pt[0]]
    assert (
        column[..., :3].astype(int).sum(-1) > before[..., :3].astype(int).sum(-1) + 60
    ).sum() > 100


def test_scrubbing_writes_only_the_frame_uniform(renderer, monkeypatch):
    writes = []
    queue = renderer.device.queue
    original = queue.write_buffer

    def counting_write(buffer, *args, **kwargs):
        writes.append(buffer.label)
        return original(buffer, *args, **kwargs)

    monkeypatch.setattr(queue, "write_buffer", counting_write)
    before = (renderer.uploads.series_samples, renderer.uploads.arc_length, renderer.uploads.layout)
    incident = renderer.incident
    for i in range(100):
        t = incident.start + (incident.end - incident.start) * i / 99
        renderer.render_texture(t, RenderOptions(quality="standard"))
    after = (renderer.uploads.series_samples, renderer.uploads.arc_length, renderer.uploads.layout)
    assert after == before
    assert writes.count("frame uniform") == 100
    assert writes.count("heads") == 100, "each series' head: 16 bytes a series per frame"
    series_buffers = {"points", "band", "styles"}
    assert not series_buffers & set(writes), "no series data re-uploaded while scrubbing"
    chart_buffers = {"layout uniform", "markers", "rules"}
    assert not chart_buffers & set(writes)


def test_hidpi_render_has_double_size(booted, gpu_adapter):
    from replay_viewer.render.boot import Boot

    boot = Boot(booted.incident, 1280, 720, 2.0)
    renderer = boot.run()
    pixels = renderer.render(300.0, RenderOptions())
    assert pixels.shape == (720, 1280, 4)
    assert renderer.layout.chart.x0 == 2 * compute_layout(booted.incident, 640, 360).chart.x0


def _render_incident(gpu_adapter, source: str, t: float, size=(960, 540)):
    from replay_viewer.loader import parse_incident
    from replay_viewer.render.boot import Boot

    incident = parse_incident(source)
    boot = Boot(incident, *size, 1.0, start_time=t, frame_options=RenderOptions())
    boot.run()
    return boot.renderer, boot.frame0


def test_large_values_with_small_changes_draw_where_they_belong(gpu_adapter):
    # 1e9 ± 100 in 32-bit floats would be rounded to 64-unit steps: the upload is normalised.
    source = (
        "title: t\nseries: [{id: a, samples: [[0, 1000000000], [10, 1000000050], "
        "[20, 1000000020], [30, 1000000100], [40, 1000000000]]}]\n"
    )
    renderer, pixels = _render_incident(gpu_adapter, source, 40.0)
    layout = renderer.layout
    axis = layout.axes["left"]
    for t, value in ((10, 1000000050), (20, 1000000020), (30, 1000000100)):
        x = math.floor(layout.to_x(t))
        column = mask(pixels[:, x - 1 : x + 2], ROSE, 50).any(axis=1)
        rows = np.flatnonzero(column)
        expected = axis.to_y(value)
        assert len(rows) and abs(np.median(rows) - expected) < 4, (t, rows, expected)


def test_data_outside_an_explicit_range_stays_inside_the_chart(gpu_adapter):
    source = "title: t\nseries: [{id: a, range: [0, 1], samples: [[0, 0.5], [30, 50], [60, -40]]}]"
    renderer, pixels = _render_incident(gpu_adapter, source, 60.0)
    chart = renderer.layout.chart
    inside = mask(pixels[chart.y0 : chart.y1, chart.x0 : chart.x1], ROSE, 30).sum()
    outside = mask(pixels, ROSE, 30).sum() - inside
    assert inside > 100
    legend_swatch = 200  # the legend's line sample and marker, above the chart
    assert outside < legend_swatch, f"{outside} rose pixels outside the chart"
