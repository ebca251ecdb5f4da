"""When a standard burn-rate alert on an SLO would have paged: the SRE workbook's
multi-window fast burn (ch. 5, "Alerting on SLOs"): page when the burn rate is at least
14.4× over the last hour *and* over the last 5 minutes (at 14.4× a 30-day budget loses 2 %
in that hour; the short window stops it paging once the burn is over). Set beside the
declared detection, it answers a postmortem's "would our alerting have caught it, and
when?".

The rates are time-based, as :meth:`.slo.SloSummary.burn_rate`'s, with one difference: the
time before the file's first sample counts as good. An incident file starts shortly before
the trouble (the bundled ones a minute or two); the service was within its SLO then, or
the incident would have started earlier, and a Prometheus evaluating the rule held that
hour. Counting only the known time instead would page a second after any breach.

The first moment both hold is exact: between the times where a sample starts or leaves
either window, the bad and known seconds in each window change linearly, so each condition
(``bad - 14.4 × allowed × known >= 0``, with some bad time) holds on one sub-interval of
the stretch, found in closed form; the page starts at the earliest point where the two
overlap. (The two rates can move in opposite directions there, in a gap of data, so a
page may start and end between two of those times.) Series of over ~66,000 samples are
looked at on 200,000 evenly spaced times instead (a page shorter than their spacing could
be missed).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..describe import short_duration
from ..timecode import format_timecode
from .slo import FAST_BURN

if TYPE_CHECKING:
    from .slo import SloSummary

__all__ = ["PAGE_RULE", "BurnPage", "burn_page", "page_words"]

LONG_WINDOW_S = 3600.0
SHORT_WINDOW_S = 300.0
PAGE_RULE = f"{FAST_BURN:g}× over 1 h and 5 min"
# Longer series are looked at on this many evenly spaced times: a paging stretch shorter
# than their spacing (27 s over 62 days) could be missed.
MAX_CANDIDATES = 200_000


@dataclass(frozen=True)
class BurnPage:
    """The first time the page rule holds (None: it never did), and the rule."""

    at: float | None
    rule: str = PAGE_RULE


def _margins(summary: SloSummary, ends: np.ndarray, window: float) -> tuple:
    """At each of ``ends``: the bad seconds in ``window`` before it, and how far they are
    above 14.4× the allowed share of the known seconds (the time before the first sample
    counted as known and good). Both are linear between the search's candidate times."""
    times = summary.times
    starts = ends - window
    bad = summary.bad_until(ends) - summary.bad_until(starts)
    known = (np.interp(ends, times, summary.known_before)
             - np.interp(starts, times, summary.known_before)
             + np.clip(times[0] - starts, 0.0, window))  # fmt: skip
    return bad, bad - FAST_BURN * summary.allowed_share * known


def _holds(low: np.ndarray, high: np.ndarray, strict: bool) -> tuple[np.ndarray, np.ndarray]:
    """Where in each stretch (0 to 1) a linear function from ``low`` to ``high`` is >= 0
    (``strict``: > 0), as ``(first, last)``; empty where first > last."""
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = np.where(low != high, low / (low - high), 0.0)
    start_ok = low > 0 if strict else low >= 0
    end_ok = high > 0 if strict else high >= 0
    first = np.where(start_ok, 0.0, np.where(end_ok, cross, 2.0))
    last = np.where(end_ok, 1.0, np.where(start_ok, cross, -1.0))
    return first, last


def _first_page(summary: SloSummary, candidates: np.ndarray) -> float | None:
    """The earliest time in ``candidates``' span where both windows' conditions hold."""
    firsts, lasts = [], []
    for window in (LONG_WINDOW_S, SHORT_WINDOW_S):
        bad, margin = _margins(summary, candidates, window)
        for values, strict in ((margin, False), (bad, True)):
            first, last = _holds(values[:-1], values[1:], strict)
            firsts.append(first)
            lasts.append(last)
    first, last = np.max(firsts, axis=0), np.min(lasts, axis=0)
    found = np.flatnonzero(first <= last)
    if not len(found):
        return None
    k = int(found[0])
    return float(candidates[k] + first[k] * (candidates[k + 1] - candidates[k]))


@functools.lru_cache(maxsize=32)  # summaries hash by identity; the Metrics panel asks per frame
def burn_page(summary: SloSummary) -> BurnPage:
    """When ``summary``'s SLO would first have paged by :data:`PAGE_RULE`."""
    times = summary.times
    if len(times) < 2:
        return BurnPage(None)
    if 3 * len(times) > MAX_CANDIDATES:
        candidates = np.linspace(times[0], times[-1], MAX_CANDIDATES)
    else:
        candidates = np.unique(np.concatenate([times, times + SHORT_WINDOW_S,
                                               times + LONG_WINDOW_S]))  # fmt: skip
        candidates = candidates[candidates <= times[-1]]
    if len(candidates) < 2:
        return BurnPage(None)
    return BurnPage(_first_page(summary, candidates))


def page_words(page: BurnPage, detection: float | None) -> str:
    """``a fast-burn page (14.4× over 1 h and 5 min) would have fired at T+01:07, 55s
    after the declared detection`` (or ``… before …``), or that it never would have."""
    if page.at is None:
        return f"a fast-burn page ({page.rule}) would never have fired"
    text = f"a fast-burn page ({page.rule}) would have fired at {format_timecode(page.at)}"
    if detection is None:
        return text + " (no detection declared)"
    lag = page.at - detection
    if abs(lag) < 0.5:
        return text + ", as the declared detection"
    side = "after" if lag > 0 else "before"
    return text + f", {short_duration(abs(lag))} {side} the declared detection"
