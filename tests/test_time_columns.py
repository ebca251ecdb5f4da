"""Messy time columns as real exports write them: kept, sorted, said once; time zones and
the hours a daylight-saving change repeats or skips (fixtures in tests/data/times/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from replay_viewer.loader import IncidentLoadError, load_incident, parse_incident

from .conftest import DATA

TIMES = DATA / "times"
UTC = dt.UTC
SPRING_UTC = [(6, 50), (6, 55), (7, 0), (7, 5), (7, 10), (7, 15), (7, 20)]


def utc_clock(incident, series) -> list[str]:
    """Each sample's wall clock in UTC, ``HH:MM``."""
    start = incident.started_at.astimezone(UTC)
    return [f"{start + dt.timedelta(seconds=float(t)):%H:%M}" for t in series.times]


def test_repeated_time_is_kept_in_file_order_with_one_warning():
    incident = load_incident(TIMES / "repeated.yaml")
    series = incident.series[0]
    assert incident.warnings == (
        f"{TIMES}/repeated.csv:15:1: warning: 11 rows repeat the time of the row before; "
        f"kept in file order (series 'latency' 'file' at {TIMES}/repeated.yaml:6:11)",
    )
    at_three = series.values[series.times == 2 * 3600]
    assert at_three.tolist() == [70.0 + i for i in range(12)]  # a vertical step, in file order
    assert len(series.times) == 36 and (np.diff(series.times) >= 0).all()


def test_unsorted_descending_and_inline_times_are_sorted_and_said_once_each():
    incident = load_incident(TIMES / "unsorted.yaml")
    merged, newest_first, inline = incident.series
    assert merged.times.tolist() == sorted(merged.times.tolist())
    assert (merged.values == merged.times * 2).all()  # each value stayed with its time
    assert newest_first.times.tolist() == [0, 10, 20, 30, 40, 40, 50, 60]
    assert inline.times.tolist() == [0, 10, 20, 20] and inline.values.tolist() == [1, 2, 3, 4]
    where = f"'file' at {TIMES}/unsorted.yaml"
    assert incident.warnings == (
        f"{TIMES}/unsorted.csv:12:1: warning: 1 row is earlier than the row before; sorted "
        f"by time (series 'merged' {where}:5:11)",
        f"{TIMES}/descending.csv:3:1: warning: 6 rows are earlier than the row before; "
        f"sorted by time (series 'newest_first' {where}:7:11)",
        f"{TIMES}/descending.csv:5:1: warning: 1 row repeats the time of the row before; "
        f"kept in file order (series 'newest_first' {where}:7:11)",
        f"{TIMES}/unsorted.yaml:12:10: warning: series 'inline' 'samples': 1 sample is "
        "earlier than the sample before; sorted by time",
    )


def test_shuffled_npy_is_sorted_and_positioned_by_row(tmp_path: Path):
    rng = np.random.default_rng(11)
    times = rng.permutation(5000).astype(np.float64)
    np.save(tmp_path / "p99.npy", np.column_stack([times, times * 3]))
    path = tmp_path / "incident.yaml"
    path.write_text("title: t\nseries:\n  - id: p99\n    file: p99.npy\n", encoding="utf-8")
    incident = load_incident(path)
    series = incident.series[0]
    assert series.times.tolist() == list(range(5000)) and (series.values == series.times * 3).all()
    first = int(np.argmax(np.diff(times) < 0)) + 1
    count = int((np.diff(times) < 0).sum())
    assert incident.warnings == (
        f"{tmp_path}/p99.npy:{first + 1}:1: warning: row {first + 1} (index {first}): "
        f"{count:,} rows are earlier than the row before; sorted by time "
        f"(series 'p99' 'file' at {path}:4:11)",
    )


def test_a_warning_deep_in_a_large_csv_is_positioned(tmp_path: Path):
    rows = [f"{t},1" for t in range(400_000)]  # several MB: the position reads on past 1 MB
    rows[345_678] = rows[345_677]
    (tmp_path / "p99.csv").write_text("t,v\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    path = tmp_path / "incident.yaml"
    path.write_text("title: t\nseries:\n  - id: p99\n    file: p99.csv\n", encoding="utf-8")
    (warning,) = load_incident(path).warnings
    assert warning.startswith(f"{tmp_path}/p99.csv:{345_678 + 3}:1: warning: 1 row repeats")


# -- time zones ------------------------------------------------------------------------------


def test_fall_back_second_pass_follows_the_step_back_in_file_order():
    incident = load_incident(TIMES / "dst_fall_back.yaml")
    assert incident.started_at == dt.datetime(2014, 10, 25, 23, 30, tzinfo=UTC)
    assert incident.started_at.utcoffset() == dt.timedelta(hours=2)  # shown as local time
    series = incident.series[0]
    # 01:30 … 02:45 CEST, then 02:00 … 02:45 CET again, 03:00 CET: 15 minutes apart in UTC.
    assert utc_clock(incident, series) == [
        f"{(23 * 60 + 30 + 15 * i) // 60 % 24:02d}:{(30 + 15 * i) % 60:02d}" for i in range(12)
    ]
    assert series.values.tolist() == [100.0 + i for i in range(12)]
    assert incident.warnings == ()  # the repeated hour is read as what it is


def test_fall_back_newest_first_and_hourly_data_and_no_step_back(tmp_path: Path):
    def load(rows: list[str]) -> tuple:
        (tmp_path / "d.csv").write_text("time,v\n" + "\n".join(rows) + "\n", encoding="utf-8")
        text = (
            "title: t\ntimezone: Europe/Berlin\nstarted_at: 2014-10-26T00:00:00Z\n"
            "series:\n  - id: d\n    file: d.csv\n"
        )
        (tmp_path / "i.yaml").write_text(text, encoding="utf-8")
        incident = load_incident(tmp_path / "i.yaml")
        return utc_clock(incident, incident.series[0]), incident.warnings

    hourly = ["2014-10-26 01:00:00,1", "2014-10-26 02:00:00,2", "2014-10-26 02:00:00,3"]
    hourly.append("2014-10-26 03:00:00,4")
    assert load(hourly) == (["23:00", "00:00", "01:00", "02:00"], ())
    clock, warnings = load(hourly[::-1])  # newest first: read from its end
    assert clock == ["23:00", "00:00", "01:00", "02:00"]
    assert [w.split(": warning: ")[1][:40] for w in warnings] == [
        "3 rows are earlier than the row before; "
    ]
    clock, warnings = load(["2014-10-26 01:45:00,1", "2014-10-26 02:30:00,2"])
    assert clock == ["23:45", "00:30"]  # the first pass: nothing says it is the second
    assert warnings == (
        f"{tmp_path}/d.csv:3:1: warning: 1 row is in 2014-10-26 02:00–03:00 Europe/Berlin, "
        "which the clocks pass twice (daylight saving time ends), with no step back in time "
        "to tell the passes apart; read as the first pass (UTC+02:00) "
        f"(series 'd' 'file' at {tmp_path}/i.yaml:6:11)",
    )


def test_spring_forward_skipped_hour_maps_forward_with_a_warning():
    incident = load_incident(TIMES / "dst_spring_forward.yaml")
    series = incident.series[0]
    # 02:00-02:10 were never on a New York clock: read as 03:00-03:10 EDT (07:00-07:10 UTC).
    assert utc_clock(incident, series) == [f"{h:02d}:{m:02d}" for h, m in SPRING_UTC]
    assert incident.warnings == (
        f"{TIMES}/dst_spring_forward.csv:4:1: warning: 3 rows are in 2014-03-09 02:00–03:00 "
        "America/New_York, which the clocks skip (daylight saving time begins); read with "
        "the offset before the change (UTC-05:00), so 02:00 reads as 03:00 "
        f"(series 'p99' 'file' at {TIMES}/dst_spring_forward.yaml:6:11)",
    )


def test_naive_times_are_utc_without_a_zone_and_offsets_always_win(tmp_path: Path):
    rows = "time,v\n2025-06-03 09:41:00,1\n2025-06-03T09:42:00+02:00,2\n2025-06-03T09:43:00Z,3\n"
    (tmp_path / "d.csv").write_text(rows, encoding="utf-8")
    base = "title: t\nstarted_at: 2025-06-03T07:41:00Z\nseries:\n  - id: d\n    file: d.csv\n"
    (tmp_path / "i.yaml").write_text(base, encoding="utf-8")
    incident = load_incident(tmp_path / "i.yaml")
    assert incident.series[0].times.tolist() == [60, 7200, 7320]  # 09:41 UTC, sorted
    assert incident.series[0].values.tolist() == [2, 1, 3]
    (tmp_path / "i.yaml").write_text(base + "    timezone: Europe/Berlin\n", encoding="utf-8")
    incident = load_incident(tmp_path / "i.yaml")
    assert incident.series[0].times.tolist() == [0, 60, 7320]  # 09:41 in Berlin is 07:41 UTC
    assert incident.warnings == ()


def test_series_zone_wins_over_the_incident_zone(tmp_path: Path):
    (tmp_path / "d.csv").write_text("time,v\n2025-01-10 12:00:00,1\n", encoding="utf-8")
    text = (
        "title: t\ntimezone: Asia/Tokyo\nstarted_at: 2025-01-10 12:00:00\nseries:\n"
        "  - {id: tokyo, file: d.csv}\n  - {id: ny, file: d.csv, timezone: America/New_York}\n"
    )
    (tmp_path / "i.yaml").write_text(text, encoding="utf-8")
    incident = load_incident(tmp_path / "i.yaml")
    assert incident.started_at == dt.datetime(2025, 1, 10, 3, 0, tzinfo=UTC)
    assert [s.times.tolist() for s in incident.series] == [[0.0], [14 * 3600.0]]


@pytest.mark.parametrize(
    ("started_at", "utc", "warning"),
    [
        ("2014-10-26 02:30:00", "2014-10-26 00:30", "happens twice in Europe/Berlin"),
        ("2014-03-30 02:30:00", "2014-03-30 01:30", "is in the hour Europe/Berlin skips"),
        ("2014-07-01 12:00:00", "2014-07-01 10:00", None),
        ("2014-07-01T12:00:00Z", "2014-07-01 12:00", None),
    ],
)
def test_started_at_in_the_zone(started_at, utc, warning):
    text = (
        f"title: t\ntimezone: Europe/Berlin\nstarted_at: {started_at}\n"
        "series: [{id: a, samples: [[0, 1]]}]\n"
    )
    incident = parse_incident(text, path="i.yaml")
    assert f"{incident.started_at.astimezone(UTC):%Y-%m-%d %H:%M}" == utc
    if warning is None:
        assert incident.warnings == ()
    else:
        (got,) = incident.warnings
        assert got.startswith(f"i.yaml:3:13: warning: 'started_at' {started_at[:16]} {warning}")


def test_timezone_applies_to_data_files_only(tmp_path: Path):
    with pytest.raises(IncidentLoadError) as info:
        parse_incident("title: t\nseries: [{id: a, samples: [[0, 1]], timezone: UTC}]\n")
    assert [str(d) for d in info.value.diagnostics] == [
        "<string>:2:47: error: series 'a' 'timezone' applies to a data file ('file')"
    ]


FALL_BACK = """\
title: Across the Berlin fall-back
started_at: 2014-10-26 01:00:00
timezone: Europe/Berlin
series:
  - {id: a, unit: ms, samples: [[0, 1], [1h, 5], [2h, 3], [3h, 2], [4h, 1]]}
"""


def test_the_wall_clock_follows_the_zone_across_a_daylight_saving_change():
    # started_at is read in the zone, not frozen at its offset at T+0: after the fall-back
    # the clock reads Berlin's winter time (UTC+1), and 02:00 happens twice.
    incident = parse_incident(FALL_BACK)
    readings = [incident.wall_clock(hours * 3600) for hours in range(5)]
    assert [f"{w:%H:%M %Z}" for w in readings] == [
        "01:00 CEST", "02:00 CEST", "02:00 CET", "03:00 CET", "04:00 CET",
    ]  # fmt: skip
    assert [incident.time_of(w) for w in readings] == [0, 3600, 7200, 10800, 14400]
    explicit = parse_incident(FALL_BACK.replace("01:00:00", "01:00:00+02:00"))
    assert f"{explicit.wall_clock(4 * 3600):%H:%M %Z}" == "04:00 CET"


def test_the_wall_axis_repeats_the_hour_the_fall_back_repeats():
    from replay_viewer.render.time_axis import time_axis

    incident = parse_incident(FALL_BACK)
    ticks, _ = time_axis(incident, (0.0, 4 * 3600.0), (0, 1200), 1.0, clock="wall")
    labels = [tick.label for tick in ticks]
    assert labels.count("02:00") == 2 and labels[-1] == "04:00", labels
