"""When the SRE workbook's fast-burn page (14.4× over 1 h and over 5 min) would have fired
(analysis/burn_alert.py), by hand: at 99.9 % an hour at 14.4× is 51.84 s of bad time."""

from __future__ import annotations

import pytest

from replay_viewer.analysis import burn_page, compute_metrics, page_words, slo_summaries
from replay_viewer.loader import parse_incident

from .conftest import REPO, load_incident

HOUR_AT_14_4 = 3600 * 14.4  # seconds of bad time × the allowed share


def summary(samples: str, objective: float = 99.9):
    text = f"""title: t
series:
  - {{id: p99, unit: ms, samples: {samples}}}
slo:
  - {{series: p99, objective: {objective}, good: below 250}}
"""
    (found,) = slo_summaries(parse_incident(text))
    return found


def test_bad_from_a_moment_pages_after_an_hours_worth_of_budget():
    s = summary("[[0, 100], [600, 300], [3000, 300]]")
    assert burn_page(s).at == pytest.approx(600 + HOUR_AT_14_4 * 0.001, abs=1e-6)  # 651.84


def test_the_time_before_the_file_counts_as_good():
    # Bad from the first sample: only the known time would page at once; the hour before
    # the file is counted good, as it was (or the incident would have started earlier).
    s = summary("[[0, 300], [900, 300]]")
    assert burn_page(s).at == pytest.approx(51.84, abs=1e-6)


def test_a_looser_objective_needs_more_bad_time():
    s = summary("[[0, 100], [600, 300], [3000, 300]]", objective=99.0)
    assert burn_page(s).at == pytest.approx(600 + HOUR_AT_14_4 * 0.01, abs=1e-6)  # 1118.4


def test_a_short_burst_never_pages():
    s = summary("[[0, 100], [600, 300], [640, 100], [3000, 100]]")  # 40 s < 51.84 s
    assert burn_page(s).at is None
    assert page_words(burn_page(s), 10.0) == (
        "a fast-burn page (14.4× over 1 h and 5 min) would never have fired"
    )


def test_the_short_window_holds_the_page_back():
    # 50 s bad at T+00:10 (not yet 51.84 s), 10 minutes calm, then bad again from T+11:00:
    # the hour holds 51.84 s after 1.84 s of the new burst, but the 5 minutes hold 1.44 %
    # (4.32 s) only after 4.32 s: the page waits for the short window.
    s = summary("[[0, 100], [10, 300], [60, 100], [660, 300], [700, 300]]")
    assert burn_page(s).at == pytest.approx(660 + 4.32, abs=1e-6)


def test_words_set_the_page_beside_the_declared_detection():
    page = burn_page(summary("[[0, 100], [600, 300], [3000, 300]]"))
    assert page_words(page, 600.0) == (
        "a fast-burn page (14.4× over 1 h and 5 min) would have fired at T+10:52, "
        "52s after the declared detection"
    )
    assert page_words(page, 700.0).endswith("48s before the declared detection")
    assert page_words(page, None).endswith("(no detection declared)")


def test_the_bundled_cache_stampede():
    incident = load_incident(REPO / "incidents" / "cache-stampede.yaml")
    (s,) = slo_summaries(incident)
    p99 = incident.series_by_id(s.slo.series_id)
    first_bad = float(p99.times[p99.values > 200][0])  # T+00:15, the stampede's spike
    assert burn_page(s).at == pytest.approx(first_bad + 51.84, abs=1e-6)
    detection = compute_metrics(incident).detection
    assert detection.at == 12.0  # "p99 jumps 80ms → 2,400ms" is declared at T+00:12
