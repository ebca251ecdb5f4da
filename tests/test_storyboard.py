"""The storyboard: the grid (columns from the count and the page, equal panels inside the
figure), what the header, strip and captions say (placed through a recording canvas, no
GPU), each panel's pixels against a plain render of the chart at its moment, and the
command as a user runs it (no events, more than twelve starred, --overwrite)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pytest

from replay_viewer.analysis.headline import headline_metrics
from replay_viewer.errors import UsageError
from replay_viewer.export.storyboard import StoryboardSettings, render_storyboard
from replay_viewer.export.storyboard_layout import (
    SIZE_PRESETS,
    grid_columns,
    parse_storyboard_size,
    shared_view,
    storyboard_layout,
)
from replay_viewer.export.storyboard_text import paint_storyboard, storyboard_content, wrap
from replay_viewer.loader import parse_incident
from replay_viewer.render.instances import event_clusters
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.style import MARKERS, PALETTE
from replay_viewer.story import story_moments

from .conftest import BUNDLED, REPO, load_incident
from .test_export_commands import cli

SLIDE, A4 = SIZE_PRESETS["slide"], SIZE_PRESETS["a4"]

SERIES = """\
title: Story
severity: SEV-3
series:
  - id: p99
    unit: ms
    samples: [[0, 80], [60, 80], [120, 900], [400, 950], [460, 90], [900, 80]]
thresholds:
  - {series: p99, value: 500, label: SLO 500 ms, sustain: 30}
"""


def incident_with(events: str = ""):
    return parse_incident(SERIES + (f"events:\n{events}" if events else ""))


def starred(count: int) -> str:
    return "".join(f"  - {{at: {50 * k}, title: E{k}, kind: note, star: true}}\n"
                   for k in range(count))  # fmt: skip


# -- the grid ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "columns"),
    [(1, 1), (2, 2), (4, 2), (5, 3), (6, 3), (9, 3), (10, 4), (12, 4)],
)
def test_columns_on_a_slide_grow_with_the_count(count, columns):
    assert grid_columns(count, SLIDE) == columns


def test_a_portrait_page_stacks_a_few_panels_and_keeps_panels_wide():
    assert [grid_columns(n, A4) for n in (1, 2, 3)] == [1, 1, 1]
    assert all(2 <= grid_columns(n, A4) <= 3 for n in range(4, 13))
    assert all(grid_columns(n, size) <= n for n in range(1, 13) for size in (SLIDE, A4))


@pytest.mark.parametrize("size", [SLIDE, A4, (1600, 900), (1000, 1400)])
@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 12])
@pytest.mark.parametrize("scale", [1, 2])
def test_panels_are_equal_inside_the_figure_and_do_not_overlap(size, count, scale):
    board = storyboard_layout(count, size, scale)
    assert len(board.slots) == count and board.pixel_size == (size[0] * scale, size[1] * scale)
    width, height = board.panel_px
    assert width >= 200 * scale and height >= 110 * scale
    boxes = []
    for slot in board.slots:
        x, y = slot.origin_px
        assert 0 <= x and x + width <= board.pixel_size[0]
        assert board.metrics.y1 - 1e-6 <= slot.caption.y <= y / scale
        assert y + height <= board.pixel_size[1]
        assert slot.caption.y1 <= slot.panel.y + 1e-9  # the caption sits above its chart
        boxes.append((x, y, x + width, y + height))
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_panels_run_left_to_right_then_down_and_a_short_last_row_is_centred():
    board = storyboard_layout(5, SLIDE)
    assert (board.columns, board.rows) == (3, 2)
    assert [(s.row, s.column) for s in board.slots] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    first_row = [s.origin_px[0] for s in board.slots[:3]]
    last_row = [s.origin_px[0] for s in board.slots[3:]]
    assert first_row == sorted(first_row)
    middle = (first_row[0] + first_row[-1] + board.panel_px[0]) / 2
    assert abs((last_row[0] + last_row[-1] + board.panel_px[0]) / 2 - middle) <= 1


def test_small_panels_zoom_their_chart_so_its_text_stays_readable():
    assert storyboard_layout(1, SLIDE).panel_ratio == 1.0
    small = storyboard_layout(12, SLIDE, 2)
    assert 2.0 < small.panel_ratio <= 2 * 1.4


def test_a_size_too_small_for_the_panels_is_refused_with_what_would_fit():
    assert storyboard_layout(8, (1280, 720)).columns == 4
    with pytest.raises(UsageError, match=r"1280x720 is too small for 9 panels .* at least 200×110"):
        storyboard_layout(9, (1280, 720))


def test_size_presets_and_errors():
    assert parse_storyboard_size(None) == (1920, 1080)
    assert parse_storyboard_size("A4") == (1240, 1754)
    assert parse_storyboard_size("1000x800") == (1000, 800)
    with pytest.raises(UsageError, match="slide, a4 or WIDTHxHEIGHT"):
        parse_storyboard_size("a5")


def test_the_panels_share_the_moments_range_when_they_cover_a_small_part():
    # A day of data, events in its last hour: the panels show the hour (and a margin).
    assert shared_view((-86400.0, 3600.0), (0.0, 1800.0, 3600.0)) == (-1800.0, 3600.0)
    assert shared_view((0.0, 900.0), (0.0, 300.0, 840.0)) is None  # most of it: all of it
    assert shared_view((0.0, 900.0), (300.0,)) is None


# -- what it says ---------------------------------------------------------------------------


@dataclass
class Recorder:
    """A canvas that records what is drawn; text is 0.55 of its size wide per character."""

    texts: list = field(default_factory=list)
    shapes: list = field(default_factory=list)

    def measure(self, font, size, text):
        return 0.55 * size * len(text)

    def text(self, font, size, pos, color, text, *, align=0.0, valign=0.0):
        self.texts.append((text, pos, font, size))
        return self.measure(font, size, text), size

    def rect(self, p0, p1, color, *, rounding=0.0, width=0.0):
        self.shapes.append(("rect", p0, p1))

    def line(self, p0, p1, color, width=1.0):
        self.shapes.append(("line", p0, p1))

    def circle(self, center, radius, color, *, width=0.0):
        self.shapes.append(("ring" if width else "disc", center, radius))

    def marker(self, center, radius, shape, color):
        self.shapes.append(("marker", center, radius))

    def said(self) -> list[str]:
        return [text for text, *_ in self.texts]


def painted(incident, plan, size=SLIDE, chart=None) -> Recorder:
    board = storyboard_layout(len(plan.moments), size)
    canvas = Recorder()
    paint_storyboard(canvas, board, storyboard_content(incident, plan), PALETTE, chart, incident)
    return canvas


def test_the_header_strip_and_captions_say_the_incident():
    incident = load_incident(BUNDLED)
    canvas = painted(incident, story_moments(incident))
    said = canvas.said()
    assert "Cache Stampede During Deploy" in said and "SEV-2" in said
    assert "Storyboard · every event (9)" in said
    assert any("Duration · 14 min" in text for text in said)
    for name, value in (("TIME TO DETECT", "12s"), ("TIME TO MITIGATE", "5m"),
                        ("TIME TO RECOVER", "11m"), ("WORST P99 LATENCY", "2,400 ms")):  # fmt: skip
        assert name in said and value in said
    assert "3s before the breach" in said and "4m 45s after the breach" in said
    assert [str(k) for k in range(1, 10)] == [t for t in said if t.isdigit()]
    assert "Mitigation rolled" in said and "T+05:00" in said
    assert "◇ mitigated 4m 45s after the breach" in said


def test_every_text_stays_inside_the_figure_at_both_sizes():
    incident = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    for size in (SLIDE, A4):
        canvas = painted(incident, story_moments(incident), size)
        for text, (x, y), _font, fsize in canvas.texts:
            assert 0 <= y and y + fsize <= size[1], text
            assert -1 <= x <= size[0] + 1, text
        caption_sizes = [fsize for text, _, font, fsize in canvas.texts if font == "regular"]
        assert min(caption_sizes) >= 14  # readable on a slide and on an A4 page


def test_no_events_shows_evenly_spaced_moments_and_says_so():
    incident = incident_with()
    plan = story_moments(incident)
    said = painted(incident, plan).said()
    assert "No events: 6 evenly spaced moments" in said
    assert "Storyboard · 6 evenly spaced moments" in said
    assert said.count("(no event at this moment)") == 6


def test_more_than_twelve_starred_shows_the_first_twelve_and_says_of_how_many():
    incident = incident_with(starred(15))
    plan = story_moments(incident)
    assert len(plan.moments) == 12 and plan.warnings
    said = painted(incident, plan).said()
    assert "Storyboard · first 12 of 15 starred events" in said
    assert "E11" in said and "E12" not in said


def test_the_told_event_is_ringed_on_the_panels_event_lane():
    incident = load_incident(BUNDLED)
    plan = story_moments(incident)
    board = storyboard_layout(len(plan.moments), SLIDE)
    chart = compute_layout(incident, *board.panel_px, board.panel_ratio, chrome=False,
                           milestones=False)  # fmt: skip
    rings = [s for s in painted(incident, plan, chart=chart).shapes if s[0] == "ring"]
    assert len(rings) == 9
    glyph = {id(e): x for x, events in event_clusters(incident, chart) for e in events}
    for (_, center, _), slot, moment in zip(rings, board.slots, plan.moments, strict=True):
        assert center[0] == pytest.approx(slot.panel.x + glyph[id(moment.event)])
        assert abs(glyph[id(moment.event)] - chart.to_x(moment.t)) < 20  # its cluster's
        assert center[1] == pytest.approx(slot.panel.y + chart.event_lane_y)


def test_wrap_breaks_at_spaces_and_ellipsizes_the_last_line():
    canvas = Recorder()
    lines = wrap(canvas, "regular", 10, "one two three four five six", 5.5 * 9, 2)
    assert lines == ["one two", "three fo…"]
    assert wrap(canvas, "regular", 10, "", 100, 2) == []


def test_headline_numbers_of_the_bundled_incidents():
    rows = {h.name: (h.value, h.note) for h in headline_metrics(load_incident(BUNDLED))}
    assert rows["time to detect"] == ("12s", "3s before the breach")
    assert rows["time to recover"] == ("11m", "declared as the data recovered")
    flag = {h.name: h for h in headline_metrics(load_incident(REPO / "incidents" /
                                                              "checkout-flag.yaml"))}  # fmt: skip
    assert flag["time to recover"].note == "declared 1m 30s after the data"
    quiet = {h.name: (h.value, h.note) for h in headline_metrics(incident_with())}
    assert quiet["time to detect"] == ("—", "no detect or alert event")
    assert quiet["time to recover"] == ("—", "no event to measure from")
    assert quiet["worst p99"] == ("950 ms", "at T+06:40")


def test_small_charts_keep_the_time_labels_clear_of_the_event_glyphs():
    incident = load_incident(BUNDLED)
    layout = compute_layout(incident, 446, 162, 1.4, chrome=False, milestones=False)
    assert layout.milestone_lane is None
    label_bottom = layout.chart.y1 + (8 + 13) * layout.text_scale * 1.4
    assert layout.event_lane_y - MARKERS.event_radius * 1.4 >= label_bottom - 1
    assert compute_layout(incident, 446, 162, 1.4, chrome=False).milestone_lane is not None


# -- on the GPU -----------------------------------------------------------------------------


@pytest.mark.gpu
def test_each_panel_is_the_chart_at_its_moment(gpu_adapter):
    from replay_viewer.render.boot import prepare_renderer

    incident = load_incident(BUNDLED)
    plan = story_moments(incident)
    settings = StoryboardSettings(size=(1600, 900))
    board = storyboard_layout(len(plan.moments), settings.size)
    device = gpu_adapter.request_device_sync()
    renderer = prepare_renderer(device, incident, 64, 64, 1.0, quality="standard")
    figure = render_storyboard(renderer, incident, plan, settings)
    assert figure.shape == (900, 1600, 4)
    assert (renderer.layout.width, renderer.layout.height) == board.panel_px
    width, height = board.panel_px
    lane = round(renderer.layout.event_lane_y)
    ring = round(2 * MARKERS.event_radius * board.panel_ratio) + 3
    panels = []
    for slot, moment in zip(board.slots, plan.moments, strict=True):
        x, y = slot.origin_px
        panel = figure[y : y + height, x : x + width, :3].astype(int)
        alone = renderer.render(moment.t, settings.render_options())[..., :3].astype(int)
        inside = np.ones((height, width), bool)
        inside[:2], inside[-2:], inside[:, :2], inside[:, -2:] = False, False, False, False
        inside[lane - ring : lane + ring + 1] = False  # the figure rings the told event there
        assert np.abs(panel - alone)[inside].max() <= 3, slot.index  # the data layer's rounding
        playhead = int(renderer.layout.to_x(moment.t))
        chart = renderer.layout.chart
        column = panel[chart.y0 + 2 : chart.y1 - 2, min(playhead, chart.x1 - 1)]
        assert (column.min(axis=1) > 180).mean() > 0.5, slot.index  # the bright playhead
        panels.append(panel)
    assert all(not np.array_equal(a, b) for a, b in itertools.pairwise(panels))


@pytest.mark.gpu
def test_the_command_writes_the_figure_and_refuses_to_replace_it(tmp_path, gpu_adapter):
    from PIL import Image

    out = tmp_path / "story.png"
    result = cli("export", BUNDLED, "--storyboard", out, "--size", "1600x900")
    assert result.returncode == 0, result.stderr
    assert "storyboard of every event (9) (1600×900, 3×3 panels)" in result.stdout
    image = Image.open(out)
    assert image.size == (1600, 900)
    assert image.text["Title"] == "Cache Stampede During Deploy: storyboard of every event (9)"
    assert image.text["Description"].startswith("Deploy goes live at T+00:00; ")
    before = out.read_bytes()
    again = cli("export", BUNDLED, "--storyboard", out)
    assert again.returncode == 2 and "pass --overwrite" in again.stderr
    assert out.read_bytes() == before
    replaced = cli("export", BUNDLED, "--storyboard", out, "--size", "a4", "--overwrite")
    assert replaced.returncode == 0, replaced.stderr
    assert Image.open(out).size == (1240, 1754)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.png"]


@pytest.mark.gpu
def test_no_events_and_too_many_starred_warn_on_stderr(tmp_path, gpu_adapter):
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text(SERIES, encoding="utf-8")
    result = cli("export", quiet, "--storyboard", tmp_path / "q.png", "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    assert f"{quiet}: warning: the incident has no events: showing 6 evenly spaced" in (
        result.stderr
    )
    busy = tmp_path / "busy.yaml"
    busy.write_text(SERIES + "events:\n" + starred(15), encoding="utf-8")
    result = cli("export", busy, "--storyboard", tmp_path / "b.png")
    assert result.returncode == 0, result.stderr
    assert f"{busy}: warning: 15 starred events to tell; showing the first 12" in result.stderr
    assert "first 12 of 15 starred events" in result.stdout and "3×4 panels" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--storyboard", "s.png", "--at", "T+01:00"), "leave out --at"),
     (("--storyboard", "s.png", "--frames", "3"), "leave out --frames"),
     (("--storyboard", "s.png", "-o", "x.png"), "leave out -o"),
     (("--events", "all"), "a --storyboard's or a --report's"),
     (("--storyboard", "s.png", "--captions"), "leave out --captions"),
     (("--storyboard", "s.txt"), "must be a .png file"),
     (("--storyboard", "s.png", "--events", "T+99:00"), "outside the incident"),
     (("--storyboard", "s.png", "--size", "a5"), "slide, a4 or WIDTHxHEIGHT"),
     (("--storyboard", "s.png", "--size", "640x480"), "640x480 is too small for 9 panels")],
)  # fmt: skip
def test_what_a_storyboard_cannot_take_is_a_usage_error(tmp_path, args, message):
    result = cli("export", BUNDLED, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_comparisons_storyboard_counts_only_the_events_it_can_tell():
    from replay_viewer.compare import overlay
    from replay_viewer.export.storyboard_text import shown_words

    checkout = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    both = overlay(checkout, checkout)
    assert len(both.events) == 2 * len(checkout.events), "else this test proves nothing"
    plan = story_moments(both)
    assert shown_words(both, plan) == f"every event ({len(checkout.events)})"
