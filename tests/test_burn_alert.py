"""When the SRE workbook's burn-rate pages would have fired (analysis/burn_alert.py), by
hand: at 99.9 % the fast burn (14.4× over 1 h and 5 min) is 51.84 s of bad time in the
hour, the slow burn (6× over 6 h and 30 min) 129.6 s in six hours."""

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
        "no burn-rate page (14.4× over 1 h and 5 min, or 6× over 6 h and 30 min) would have fired"
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


def dense_first_page(s, step: float = 0.01) -> float | None:
    """The first page of either rule on a dense grid of times, each rate computed from its
    definition."""
    import numpy as np

    from replay_viewer.analysis.burn_alert import PAGE_RULES

    ends = np.arange(s.times[0], s.times[-1] + step / 2, step)
    firsts = []
    for rule in PAGE_RULES:
        pages = np.ones(len(ends), dtype=bool)
        for window in (rule.long_s, rule.short_s):
            starts = ends - window
            bad = s.bad_until(ends) - s.bad_until(starts)
            known = (np.interp(ends, s.times, s.known_before)
                     - np.interp(starts, s.times, s.known_before)
                     + np.clip(s.times[0] - starts, 0, window))  # fmt: skip
            pages &= (bad > 0) & (bad >= rule.factor * s.allowed_share * known)
        if pages.any():
            firsts.append(float(ends[np.argmax(pages)]))
    return min(firsts) if firsts else None


def test_a_burn_that_comes_and_goes_pages_by_the_slow_rule():
    # 20 s bad every 30 minutes: an hour never holds more than 40 s (the fast page needs
    # 51.84 s), but six hours reach 129.6 s 9.6 s into the seventh burst, when the last 30
    # minutes hold 9.6 s of it and the last 10.4 s of the burst before (10.8 s needed).
    bursts = "".join(f"[{k * 1800 + 600}, 300], [{k * 1800 + 620}, 100], " for k in range(9))
    s = summary(f"[[0, 100], {bursts}[20000, 100]]")
    page = burn_page(s)
    assert page.at == pytest.approx(6 * 1800 + 600 + 9.6, abs=1e-6)
    assert (page.name, page.rule) == ("slow-burn", "6× over 6 h and 30 min")
    assert page_words(page, 600.0) == (
        "a slow-burn page (6× over 6 h and 30 min) would have fired at T+3:10:10, "
        "3h 00m after the declared detection"
    )
    assert dense_first_page(s, step=0.1) == pytest.approx(page.at, abs=0.11)


def test_a_gap_can_hold_a_page_between_two_sample_times():
    # Bad for 48 s, then the exporter dies with the service (a gap to T+33:20): in the gap
    # good time leaves the hour's window while the 5 minutes hold the burst, so the page
    # starts (and ends) between two of the times where a sample enters or leaves a window.
    s = summary("[[0, 100], [1000, 300], [1048, null], [2000, 100]]")
    expected = dense_first_page(s)
    assert expected is not None and 1300 < expected < 1348
    assert burn_page(s).at == pytest.approx(expected, abs=0.011)


@pytest.mark.parametrize(
    "samples",
    [
        "[[0, 100], [600, 300], [3000, 300]]",
        "[[0, 100], [10, 300], [60, 100], [660, 300], [700, 300]]",
        "[[0, 300], [30, null], [400, 300], [900, 100]]",
        "[[0, 100], [100, 300], [140, null], [500, 300], [530, 100], [4000, 100]]",
    ],
)
def test_the_search_agrees_with_a_dense_check(samples):
    s = summary(samples)
    expected = dense_first_page(s)
    found = burn_page(s).at
    assert (found is None) == (expected is None)
    if expected is not None:
        assert found == pytest.approx(expected, abs=0.011)
