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
hour. Counting only the known time instead would page a second after any breach. The
first moment both hold is exact: the
bad and known seconds in a window change linearly between the times where a sample starts
or leaves it, so each rate is monotonic there, and the crossing inside such a stretch is
found by bisection.
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
_BISECTIONS = 48  # halvings of a stretch: well under a millisecond for any incident
# Longer series are first looked at on this many evenly spaced times (then refined): a
# paging stretch shorter than their spacing (27 s over 62 days) could be missed.
MAX_CANDIDATES = 200_000


@dataclass(frozen=True)
class BurnPage:
    """The first time the page rule holds (None: it never did), and the rule."""

    at: float | None
    rule: str = PAGE_RULE


def _rate(summary: SloSummary, ends: np.ndarray, window: float) -> np.ndarray:
    """The burn rate over ``window`` ending at each of ``ends`` (within the data), the
    time before the first sample counted as known and good."""
    times = summary.times
    starts = ends - window
    bad = summary.bad_until(ends) - summary.bad_until(starts)
    known = (np.interp(ends, times, summary.known_before)
             - np.interp(starts, times, summary.known_before)
             + np.clip(times[0] - starts, 0.0, window))  # fmt: skip
    rate = np.zeros(ends.shape)  # a window of nothing but gaps burns nothing
    np.divide(bad, known * summary.allowed_share, out=rate, where=known > 0)
    return rate


def _pages(summary: SloSummary, ends: np.ndarray) -> np.ndarray:
    long = _rate(summary, ends, LONG_WINDOW_S)
    short = _rate(summary, ends, SHORT_WINDOW_S)
    return (long >= FAST_BURN) & (short >= FAST_BURN)


@functools.lru_cache(maxsize=32)  # summaries hash by identity; the Metrics panel asks per frame
def burn_page(summary: SloSummary) -> BurnPage:
    """When ``summary``'s SLO would first have paged by :data:`PAGE_RULE`."""
    times = summary.times
    if not len(times):
        return BurnPage(None)
    if 3 * len(times) > MAX_CANDIDATES:
        candidates = np.linspace(times[0], times[-1], MAX_CANDIDATES)
    else:
        candidates = np.unique(np.concatenate([times, times + SHORT_WINDOW_S,
                                               times + LONG_WINDOW_S]))  # fmt: skip
        candidates = candidates[candidates <= times[-1]]
    paging = _pages(summary, candidates)
    if not paging.any():
        return BurnPage(None)
    first = int(np.argmax(paging))
    if first == 0:
        return BurnPage(float(candidates[0]))
    low, high = float(candidates[first - 1]), float(candidates[first])
    for _ in range(_BISECTIONS):  # false at low, true at high: monotonic in between
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _pages(summary, np.array([middle]))[0]:
            high = middle
        else:
            low = middle
    return BurnPage(high)


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
