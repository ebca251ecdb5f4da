from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replay_viewer.timecode import TimecodeError, format_clock, format_timecode, parse_timecode


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
    ],
)
def test_parse_accepted_forms(text, seconds):
    assert parse_timecode(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text", ["", "T+", "T+1:75", "1:2:3:4", "abc", "5x", "T+00:60", "--5", "1m1h", True, None]
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
    ],
)
def test_format(seconds, kwargs, text):
    assert format_timecode(seconds, **kwargs) == text


def test_format_clock_drops_prefix_keeps_sign():
    assert format_clock(840) == "14:00"
    assert format_clock(-60) == "-01:00"


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


# Every accepted unit spelling parses to the sum of its parts.
@given(
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=0, max_value=9999),
)
def test_units_are_additive(hours, minutes, secs):
    assert parse_timecode(f"{hours}h{minutes}m{secs}s") == hours * 3600 + minutes * 60 + secs
