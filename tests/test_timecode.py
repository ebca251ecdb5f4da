from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replay_viewer.timecode import (
    TimecodeError,
    format_clock,
    format_timecode,
    format_wall_clock,
    parse_timecode,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("T+00:00", 0.0),
        ("T+00:12", 12.0),
        ("T+01:02.5", 62.5),
        ("T-01:00", -60.0),
        ("T+1:02:03", 3723.0),
        ("02:00", 120.0),
        ("45", 45.0),
        ("90s", 90.0),
        ("14m", 840.0),
        ("1h", 3600.0),
        ("1h2m3s", 3723.0),
        ("250ms", 0.25),
        ("-90s", -90.0),
        ("+5", 5.0),
        (90, 90.0),
        (-2.5, -2.5),
        ("  T+00:05 ", 5.0),
        # Days: what format_timecode writes from 24 hours on, and the unit spelling.
        ("T+2d 04:05:00", 2 * 86400 + 4 * 3600 + 300),
        ("T+2d", 2 * 86400),
        ("2d4h", 2 * 86400 + 4 * 3600),
        ("2d 4h", 2 * 86400 + 4 * 3600),
        ("T+7d 12h", 7.5 * 86400),
        ("T+1d 4h10m", 86400 + 4 * 3600 + 600),
        ("-1d 00:00:00", -86400),
        ("T-1d 00:00:00", -86400),
        ("1.5d", 1.5 * 86400),
        ("T+62d 23:59:59.5", 62 * 86400 + 86399.5),
        ("0d", 0.0),
    ],
)
def test_parse_accepted_forms(text, seconds):
    assert parse_timecode(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text",
    [
        *("", "T+", "T+1:75", "1:2:3:4", "abc", "5x", "T+00:60", "--5", "1m1h", True, None),
        # After a day count: H:MM:SS with hours below 24, or units; never MM:SS or bare
        # seconds (is "2d 04:05" four hours or four minutes?).
        *("2d 04:05", "2d 90", "2d 24:00:00", "1.5d 01:00:00", "d", "2dd", "2d -4h", "4h2d"),
    ],
)
def test_parse_rejects(text):
    with pytest.raises(TimecodeError):
        parse_timecode(text)


def test_parse_rejects_non_finite():
    with pytest.raises(TimecodeError, match="finite"):
        parse_timecode(math.inf)


@pytest.mark.parametrize(
    ("seconds", "kwargs", "text"),
    [
        (0, {}, "T+00:00"),
        (12, {}, "T+00:12"),
        (-60, {}, "T-01:00"),
        (840, {}, "T+14:00"),
        (3723, {}, "T+1:02:03"),
        (62.5, {"decimals": 1}, "T+01:02.5"),
        (59.9996, {"decimals": 3}, "T+01:00.000"),
        (-0.0001, {}, "T+00:00"),
        (5, {"always_hours": True}, "T+0:00:05"),
        # Below 24 hours nothing changes; from 24 hours on, days.
        (86399, {}, "T+23:59:59"),
        (86400, {}, "T+1d 00:00:00"),
        (86399.6, {}, "T+1d 00:00:00"),
        (86399.6, {"decimals": 1}, "T+23:59:59.6"),
        (2 * 86400 + 4 * 3600 + 300, {}, "T+2d 04:05:00"),
        (1504 * 3600 + 300, {}, "T+62d 16:05:00"),
        (-86400, {}, "T-1d 00:00:00"),
        (3 * 86400 + 0.25, {"decimals": 3}, "T+3d 00:00:00.250"),
        (86400, {"always_hours": True}, "T+1d 00:00:00"),
    ],
)
def test_format(seconds, kwargs, text):
    assert format_timecode(seconds, **kwargs) == text


def test_format_clock_drops_prefix_keeps_sign():
    assert format_clock(840) == "14:00"
    assert format_clock(-60) == "-01:00"
    assert format_clock(636 * 3600) == "26d 12:00:00"
    assert format_clock(-90000) == "-1d 01:00:00"


def test_format_wall_clock_is_english_and_zero_padded():
    when = dt.datetime(2025, 7, 14, 6, 0, 5, tzinfo=dt.UTC)
    assert format_wall_clock(when) == "Mon 14 Jul 06:00:05"
    assert format_wall_clock(when, seconds=False) == "Mon 14 Jul 06:00"
    assert format_wall_clock(when, date=False) == "06:00:05"
    assert format_wall_clock(when, time=False, year=True) == "Mon 14 Jul 2025"
    assert format_wall_clock(dt.datetime(2024, 12, 1, 23, 9)) == "Sun 1 Dec 23:09:00"


@pytest.mark.parametrize("text", ["9" * 400, "T+" + "9" * 400, "9" * 400 + "h", "2e9", 10**400])
def test_parse_rejects_overflow(text):
    with pytest.raises(TimecodeError, match=r"too far|finite"):
        parse_timecode(text)


# Millisecond-quantised times up to ±100 h: format with 3 decimals, parse, get the same time.
@given(st.integers(min_value=-360_000_000, max_value=360_000_000))
def test_round_trip_milliseconds(millis):
    seconds = millis / 1000
    text = format_timecode(seconds, decimals=3)
    parsed = parse_timecode(text)
    assert round(parsed * 1000) == millis
    assert abs(parsed - seconds) < 1e-6


@given(st.integers(min_value=-360_000, max_value=360_000))
def test_round_trip_whole_seconds_is_exact(seconds):
    assert parse_timecode(format_timecode(seconds)) == seconds


# Days: every whole second up to the 1e9 s limit, and milliseconds over years, come back.
@given(st.integers(min_value=-1_000_000_000, max_value=1_000_000_000))
def test_round_trip_days_whole_seconds(seconds):
    text = format_timecode(seconds)
    assert ("d " in text) == (abs(seconds) >= 86400)
    assert parse_timecode(text) == seconds
    assert parse_timecode(("-" if seconds < 0 else "") + format_clock(abs(seconds))) == seconds


@given(st.integers(min_value=-100_000_000_000, max_value=100_000_000_000))
def test_round_trip_days_milliseconds(millis):
    parsed = parse_timecode(format_timecode(millis / 1000, decimals=3))
    assert round(parsed * 1000) == millis


@given(
    st.integers(min_value=0, max_value=11_000),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
)
def test_day_forms_are_additive(days, hours, minutes, secs):
    seconds = days * 86400 + hours * 3600 + minutes * 60 + secs
    assert parse_timecode(f"T+{days}d {hours:02d}:{minutes:02d}:{secs:02d}") == seconds
    assert parse_timecode(f"{days}d{hours}h{minutes}m{secs}s") == seconds
    assert parse_timecode(f"-{days}d {hours}h") == -(days * 86400 + hours * 3600)


# Every accepted unit spelling parses to the sum of its parts.
@given(
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=0, max_value=9999),
)
def test_units_are_additive(hours, minutes, secs):
    assert parse_timecode(f"{hours}h{minutes}m{secs}s") == hours * 3600 + minutes * 60 + secs
