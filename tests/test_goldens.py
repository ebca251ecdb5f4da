"""Golden images of frames, compared on the software adapter.

Tolerance: a pixel matches when every channel is within 12 of the golden; 99.7 % of the
pixels must match and the mean absolute difference must stay under 1.0. That absorbs
anti-aliasing differences between rasterizers while any moved line, missing label or colour
change fails. Regenerate with ``pytest tests/test_goldens.py --regenerate-goldens`` after an
intended change (and look at the new images). Diffs of failures go to tests/_diffs/.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from replay_viewer.render.boot import Boot
from replay_viewer.render.renderer import RenderOptions

pytestmark = pytest.mark.gpu

GOLDENS = Path(__file__).parent / "goldens"
DIFFS = Path(__file__).parent / "_diffs"
FRAMES = {"baseline_T-00m30s": -30.0, "stampede_T+02m30s": 150.0, "all-clear_T+14m00s": 840.0}
CHANNEL_TOLERANCE = 12
MATCHING_SHARE = 0.997
MEAN_TOLERANCE = 1.0


@pytest.fixture(scope="module")
def small_renderer(booted):
    return Boot(booted.incident, 960, 540, 1.0).run()


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_golden(small_renderer, name, request):
    pixels = small_renderer.render(FRAMES[name], RenderOptions(quality="high"))[..., :3]
    compare(pixels, name, request)


# Incidents of other shapes (tests/data/shapes): three units in three panes, eight series
# (a legend in rows), three hours with events seconds apart (a counted glyph); each at a
# full-size and a small export.
SHAPES = {"three_units": 300.0, "eight_series": 300.0, "three_hours": 5400.0}
SIZES = ((1280, 720), (800, 500))


@pytest.fixture(scope="module")
def shape_renderers(booted):
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer

    shapes = Path(__file__).parent / "data" / "shapes"
    return {
        (name, size): prepare_renderer(
            booted.device, load_incident(shapes / f"{name}.yaml"), *size, 1.0, quality="high"
        )
        for name in SHAPES
        for size in SIZES
    }


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", sorted(SHAPES))
def test_golden_shapes(shape_renderers, name, size, request):
    pixels = shape_renderers[name, size].render(SHAPES[name], RenderOptions(quality="high"))
    compare(pixels[..., :3], f"{name}_{size[0]}x{size[1]}", request)


# A 62-day incident at T+57d 03:00: the day axis (T+0d, T+7d, … with a minor line a day),
# and on the wall clock at a small size (Mondays at local midnight, Mon 8 Sep …).
LONG = {"sixty_two_days_1280x720": ((1280, 720), "relative"),
        "sixty_two_days_wall_800x500": ((800, 500), "wall")}  # fmt: skip


@pytest.mark.parametrize("name", sorted(LONG))
def test_golden_day_axis(booted, name, request):
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer

    (width, height), clock = LONG[name]
    incident = load_incident(Path(__file__).parent / "data" / "shapes" / "sixty_two_days.yaml")
    renderer = prepare_renderer(booted.device, incident, width, height, 1.0, quality="high",
                                clock=clock)  # fmt: skip
    pixels = renderer.render(57 * 86400 + 3 * 3600, RenderOptions(quality="high"))
    compare(pixels[..., :3], name, request)


def compare(pixels, name, request):
    golden_path = GOLDENS / f"{name}.png"
    if request.config.getoption("--regenerate-goldens"):
        GOLDENS.mkdir(exist_ok=True)
        Image.fromarray(pixels).save(golden_path)
        pytest.skip(f"regenerated {golden_path.name}")
    golden = np.asarray(Image.open(golden_path).convert("RGB"))
    assert golden.shape == pixels.shape
    difference = np.abs(pixels.astype(int) - golden.astype(int))
    matching = (difference.max(axis=-1) <= CHANNEL_TOLERANCE).mean()
    mean = difference.mean()
    if matching < MATCHING_SHARE or mean > MEAN_TOLERANCE:
        DIFFS.mkdir(exist_ok=True)
        Image.fromarray(pixels).save(DIFFS / f"{name}.actual.png")
        Image.fromarray(np.clip(difference * 4, 0, 255).astype(np.uint8)).save(
            DIFFS / f"{name}.diff.png"
        )
    assert matching >= MATCHING_SHARE, f"{matching:.4%} of pixels match (diff in tests/_diffs/)"
    assert mean <= MEAN_TOLERANCE


# A group of 40 pods at T+07:30 (tests/fleet_data.py): one legend entry with min / median /
# max, thin members in one colour family over the group's band, the worst three highlighted
# with their labels, one more highlighted by the user (pod=api-7); and the same with a
# member list's hidden members left out.
GROUPS = {
    "fleet_group_1280x720": (frozenset(), frozenset({"pod-7"})),
    "fleet_group_hidden_800x500": (frozenset(f"pod-{k}" for k in range(0, 40, 3)), frozenset()),
}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_golden_group(booted, name, request):
    from replay_viewer.render.boot import prepare_renderer

    from .fleet_data import fleet_incident

    hidden, highlight = GROUPS[name]
    width, height = (int(n) for n in name.rsplit("_", 1)[1].split("x"))
    renderer = prepare_renderer(booted.device, fleet_incident(), width, height, 1.0,
                                quality="high", hidden=hidden)  # fmt: skip
    pixels = renderer.render(450.0, RenderOptions(quality="high", highlight=highlight))
    compare(pixels[..., :3], name, request)


# The milestone lane on checkout-flag at T+05:00: each threshold's first breach, worst point
# and recovery hollow, the declared detection, mitigation and recovery filled, the gaps
# between them bracketed and labelled, and the warning badge of the outcome the data
# disagrees with ("9 min" to recovery: the data recovers at 4:30).
def test_golden_milestone_lane(booted, request):
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer

    from .conftest import REPO

    incident = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    renderer = prepare_renderer(booted.device, incident, 1280, 720, 1.0, quality="high")
    pixels = renderer.render(300.0, RenderOptions(quality="high"))
    compare(pixels[..., :3], "milestones_checkout_1280x720", request)


# The light theme (--theme light, for white pages): the stampede at T+02:30 (spotlight as a
# faint shade, ghost data, thresholds, milestones), the fleet group (its colour family on
# white, the highlighted members' labels on white plates) and checkout-flag's milestone
# lane (hollow and filled glyphs, brackets, the warning badge).
LIGHT = {
    "light_stampede_T+02m30s": ("cache-stampede", 150.0, frozenset()),
    "light_fleet_group_1280x720": ("fleet", 450.0, frozenset({"pod-7"})),
    "light_milestones_checkout_1280x720": ("checkout-flag", 300.0, frozenset()),
}


@pytest.mark.parametrize("name", sorted(LIGHT))
def test_golden_light(booted, name, request):
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer

    from .conftest import REPO
    from .fleet_data import fleet_incident

    source, t, highlight = LIGHT[name]
    incident = (fleet_incident() if source == "fleet"
                else load_incident(REPO / "incidents" / f"{source}.yaml"))  # fmt: skip
    renderer = prepare_renderer(booted.device, incident, 1280, 720, 1.0, quality="high",
                                theme="light")  # fmt: skip
    pixels = renderer.render(t, RenderOptions(quality="high", highlight=highlight))
    compare(pixels[..., :3], name, request)


# The bundled latency heatmap at T+06:00 (incidents/latency-heatmap.yaml): the 5xx pane over
# the heatmap's taller pane, its log axis of bucket bounds, the cells in the theme's ramp
# (brighter with more requests on the dark theme, darker on the light one) with a line
# between buckets, the colour scale right of the pane, the p50 / p90 / p99 lines and the
# p99 SLO over the cells, the cells after the playhead ghosted.
HEATMAPS = {"latency_heatmap_1280x720": "dark", "light_latency_heatmap_1280x720": "light"}


@pytest.mark.parametrize("name", sorted(HEATMAPS))
def test_golden_heatmap(booted, name, request):
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer

    incident = load_incident(Path(__file__).parent.parent / "incidents" / "latency-heatmap.yaml")
    renderer = prepare_renderer(booted.device, incident, 1280, 720, 1.0, quality="high",
                                theme=HEATMAPS[name])  # fmt: skip
    pixels = renderer.render(360.0, RenderOptions(quality="high"))
    compare(pixels[..., :3], name, request)
