"""Long incidents read in days: the time axis (relative and wall clock), wall-clock
arithmetic across daylight-saving changes, readouts and file names (pure Python, no GPU)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from replay_viewer.describe import duration_words, time_reading
from replay_viewer.export.frame import default_png_name
from replay_viewer.loader import load_incident, parse_incident
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.time_axis import TICK_CHAR_PT, format_time_tick
from replay_viewer.timecode import format_wall_clock, parse_timecode

from .conftest import DATA
from .long_incident_data import SIXTY_TWO_DAYS, sixty_two_days

DAY = 86400
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def long_incident():
    return load_incident(DATA / "shapes" / "sixty_two_days.yaml")


def hours_incident(hours: float, started_at: str | None = None, start: float = 0):
    head = f"started_at: {started_at}\n" if started_at else ""
    return parse_incident(
        f"title: t\n{head}duration: {hours}h\n"
        f"series: [{{id: a, samples: [[{start}, 1], [3600, 2]]}}]\n"
    )


def in_zone(incident, started_at: dt.datetime):
    return dataclasses.replace(incident, started_at=started_at)


def labels_of(layout) -> list[str]:
    return [tick.label for tick in layout.time_ticks]


def assert_readable(layout) -> None:
    """At least two ticks, every one on a major grid line, labels apart by their width."""
    ticks, grid = layout.time_ticks, layout.grid_x
    assert len(ticks) >= 2, labels_of(layout)
    for tick in ticks:
        k = round((layout.to_x(tick.value) - grid.origin) / grid.spacing)
        assert k % grid.major_every == 0
    pr = layout.pixel_ratio
    for a, b in itertools.pairwise(ticks):
        room = max(len(a.label), len(b.label)) * TICK_CHAR_PT * 0.75  # real glyphs: narrower
        room *= layout.text_scale
        assert (b.pos - a.pos) / pr >= room, (a.label, b.label)


def test_the_committed_data_file_is_what_the_generator_writes():
    assert np.array_equal(np.load(SIXTY_TWO_DAYS), sixty_two_days(), equal_nan=True), (
        "run: python -m tests.long_incident_data"
    )


def test_sixty_two_days_tick_whole_weeks_with_day_lines(long_incident):
    layout = compute_layout(long_incident, 1280, 720)
    assert labels_of(layout) == [f"T+{7 * k}d" for k in range(9)]
    assert layout.grid_x.major_every == 7  # a minor line a day
    assert_readable(layout)
    # Half the width: two-week steps, a minor line a day while they stay apart.
    small = compute_layout(long_incident, 640, 360)
    assert labels_of(small)[:3] == ["T+0d", "T+14d", "T+28d"]
    assert_readable(small)


def test_thirty_six_hours_tick_in_days_and_hours():
    layout = compute_layout(hours_incident(36), 1280, 720)
    assert labels_of(layout) == ["T+0", "T+3h", "T+6h", "T+9h", "T+12h", "T+15h", "T+18h",
                                 "T+21h", "T+1d", "T+1d 3h", "T+1d 6h", "T+1d 9h",
                                 "T+1d 12h"]  # fmt: skip
    assert layout.grid_x.major_every == 3  # hourly minor lines
    assert_readable(layout)
    narrow = compute_layout(hours_incident(36), 800, 500)
    assert "T+1d 12h" in labels_of(narrow)
    assert_readable(narrow)


def test_short_incidents_keep_their_ticks():
    layout = compute_layout(hours_incident(3), 1280, 720)
    assert labels_of(layout)[:5] == ["T+00:00", "T+15:00", "T+30:00", "T+45:00", "T+1:00:00"]


def test_zoom_inside_a_long_incident_counts_days(long_incident):
    view = (57 * DAY, 57 * DAY + 6 * 3600)
    layout = compute_layout(long_incident, 1280, 720, view=view)
    # Half hours would need 11 characters (T+57d 1h30m): too wide for 12 ticks.
    assert labels_of(layout)[:3] == ["T+57d", "T+57d 1h", "T+57d 2h"]
    assert_readable(layout)
    for tick in layout.time_ticks:  # tick labels are timecodes too
        assert parse_timecode(tick.label) == pytest.approx(tick.value)


@pytest.mark.parametrize(
    ("t", "step", "label"),
    [(0, DAY, "T+0d"), (7 * DAY, DAY, "T+7d"), (7.5 * DAY, 43200, "T+7d 12h"),
     (-DAY, 21600, "T-1d"), (-3600, 3600, "T-1h"), (0, 3600, "T+0"),
     (DAY + 4 * 3600 + 600, 600, "T+1d 4h10m"), (DAY + 30, 15, "T+1d 30s")],
)  # fmt: skip
def test_day_tick_labels(t, step, label):
    assert format_time_tick(t, step, days=True) == label


# -- the wall clock ------------------------------------------------------------------------


def test_wall_clock_ticks_land_on_local_mondays(long_incident):
    layout = compute_layout(long_incident, 1280, 720, clock="wall")
    assert labels_of(layout)[:3] == ["Mon 8 Sep", "Mon 15 Sep", "Mon 22 Sep"]
    for tick in layout.time_ticks:
        when = long_incident.wall_clock(tick.value)
        assert (when.weekday(), when.hour, when.minute) == (0, 0, 0)
        assert format_wall_clock(when, time=False) == tick.label
    assert_readable(layout)
    assert layout.clock == "wall"


def test_wall_clock_years_name_the_year():
    incident = hours_incident(3 * 365 * 24, "2025-06-03T09:41:00Z")
    labels = labels_of(compute_layout(incident, 1280, 720, clock="wall"))
    assert labels[0].startswith("Mon ") and labels[0].endswith(" 2025")
    assert labels[-1].endswith(" 2028")


def test_wall_clock_hours_and_midnight_dates():
    # 36 h from 09:41 UTC: ticks on whole 3 hours of the day, the date at midnight.
    incident = hours_incident(36, "2025-06-03T09:41:00Z")
    layout = compute_layout(incident, 1280, 720, clock="wall")
    labels = labels_of(layout)
    assert labels[:3] == ["12:00", "15:00", "18:00"]
    assert "Wed 4 Jun" in labels and labels[-1] == "21:00"
    for tick in layout.time_ticks:
        when = incident.wall_clock(tick.value)
        assert when.minute == 0 and when.hour % 3 == 0
    assert_readable(layout)


def test_wall_clock_of_a_naive_start_is_utc():
    incident = hours_incident(2, "2025-06-03T09:41:00")
    assert incident.started_at.tzinfo is None
    assert incident.wall_clock(19 * 60) == dt.datetime(2025, 6, 3, 10, 0)
    layout = compute_layout(incident, 1280, 720, clock="wall")
    assert labels_of(layout)[:2] == ["09:50", "10:00"]


def test_wall_clock_without_started_at_reads_relative():
    incident = hours_incident(3)
    assert labels_of(compute_layout(incident, 1280, 720, clock="wall")) == labels_of(
        compute_layout(incident, 1280, 720)
    )
    assert time_reading(incident, 90, "wall") == "T+01:30"


def test_wall_clock_arithmetic_is_in_utc_across_dst():
    # Berlin falls back from CEST to CET at 03:00 on 26 Oct 2025.
    start = dt.datetime(2025, 10, 25, 12, 0, tzinfo=BERLIN)
    incident = in_zone(hours_incident(36), start)
    later = incident.wall_clock(DAY)
    assert later == dt.datetime(2025, 10, 26, 10, 0, tzinfo=dt.UTC)
    assert (later.hour, later.tzname()) == (11, "CET")  # not 12:00: that day has 25 hours
    assert incident.time_of(later) == DAY
    assert incident.wall_clock(-DAY).tzname() == "CEST"


def test_wall_ticks_across_dst_say_where_they_are():
    start = dt.datetime(2025, 10, 25, 12, 0, tzinfo=BERLIN)
    incident = in_zone(hours_incident(36), start)
    layout = compute_layout(incident, 1280, 720, clock="wall")
    for tick in layout.time_ticks:  # evenly spaced; each label is the local time there
        when = incident.wall_clock(tick.value)
        expected = format_wall_clock(when, time=False) if when.hour == when.minute == 0 else (
            format_wall_clock(when, date=False, seconds=False))  # fmt: skip
        assert tick.label == expected
    # Three hours after midnight is 02:00 that night (the clock went back at 03:00).
    labels = labels_of(layout)
    assert labels[labels.index("Sun 26 Oct") + 1] == "02:00" and labels[0] == "12:00"
    assert_readable(layout)
    # 62 days over the change: day ticks name the day whose midnight they are nearest.
    weeks = in_zone(load_incident(DATA / "shapes" / "sixty_two_days.yaml"),
                    dt.datetime(2025, 9, 1, 6, 0, tzinfo=BERLIN))  # fmt: skip
    labels = labels_of(compute_layout(weeks, 1280, 720, clock="wall"))
    assert labels[-2:] == ["Mon 20 Oct", "Mon 27 Oct"]  # the last after the clocks went back
    assert all(label.startswith("Mon ") for label in labels)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=60, max_value=5 * 365 * DAY),
    st.floats(min_value=-3 * DAY, max_value=3 * DAY),
    st.sampled_from([(1280, 720, 1.0), (800, 500, 1.0), (2560, 1440, 2.0), (400, 300, 1.0)]),
    st.sampled_from(["relative", "wall"]),
    st.sampled_from([None, "Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe"]),
)
def test_any_span_gets_readable_ticks(span, offset, size, clock, zone):
    # Relative axes within a day of T+0 keep their old rule (90 pt, not label widths).
    assume(clock == "wall" or span >= DAY)
    incident = hours_incident(1)
    start = dt.datetime(2025, 3, 28, 23, 17, 5, tzinfo=ZoneInfo(zone) if zone else dt.UTC)
    incident = dataclasses.replace(incident, started_at=start, start=offset, end=offset + span)
    layout = compute_layout(incident, size[0], size[1], size[2], clock=clock)
    assert_readable(layout)
    slack = max(1e-6, span * 1e-9)  # float noise, far below a pixel
    assert layout.time_ticks[0].value >= incident.start - slack
    assert layout.time_ticks[-1].value <= incident.end + slack
    assert layout.grid_x.spacing >= 2 * size[2] or layout.grid_x.major_every == 1


# -- readouts and names ------------------------------------------------------------------


def test_readouts_name_the_day(long_incident):
    t = 57 * DAY + 3 * 3600
    assert time_reading(long_incident, t) == "T+57d 03:00:00"
    assert time_reading(long_incident, t, "wall") == "Tue 28 Oct 09:00:00"
    short = hours_incident(3, "2024-05-02T01:00:00Z")
    assert time_reading(short, 90, "wall") == "01:01:30"
    assert time_reading(short, 90, "wall", date=True) == "Thu 2 May 01:01:30"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(45, "45 s"), (840, "14 min"), (3 * 3600, "3.0 h"), (36 * 3600, "36.0 h"),
     (62 * DAY, "62 d"), (2.5 * DAY, "2.5 d")],
)  # fmt: skip
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words


def test_png_names_stay_file_name_safe(long_incident):
    name = default_png_name(long_incident, 2 * DAY + 4 * 3600 + 300)
    assert name == "sixty_two_days_T+2d040500.png"
    assert default_png_name(long_incident, 150) == "sixty_two_days_T+0230.png"
    assert not set(name) & set(" :/\\")
    assert Path(name).suffix == ".png"
