"""When a standard burn-rate alert on an SLO would have paged: the SRE workbook's two
multi-window page rules (ch. 5, "Alerting on SLOs"): the *fast burn*, at least 14.4× over
the last hour *and* over the last 5 minutes (a 30-day budget loses 2 % in that hour), and
the *slow burn*, at least 6× over the last 6 hours and the last 30 minutes (5 % in 6 hours:
it catches a burn that comes and goes, which never holds 14.4× for an hour). The short
window stops a rule paging once the burn is over. Set beside the declared detection, the
first page answers a postmortem's "would our alerting have caught it, and when?".

The rates are time-based, as :meth:`.slo.SloSummary.burn_rate`'s, with one difference: the
time before the file's first sample counts as good. An incident file starts shortly before
the trouble (the bundled ones a minute or two); the service was within its SLO then, or
the incident would have started earlier, and a Prometheus evaluating the rule held those
hours. Counting only the known time instead would page a second after any breach.

The first moment a rule holds is exact: between the times where a sample starts or leaves
either window, the bad and known seconds in each window change linearly, so each condition
(``bad - factor × allowed × known >= 0``, with some bad time) holds on one sub-interval of
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

__all__ = ["PAGE_RULE", "PAGE_RULES", "BurnPage", "PageRule", "burn_page", "page_words"]

SLOW_BURN = 6.0  # the workbook's second page: 5 % of a 30-day budget in six hours


@dataclass(frozen=True)
class PageRule:
    """A multi-window page: ``factor``× the sustainable burn over both windows."""

    name: str  # "fast-burn"
    factor: float
    long_s: float
    short_s: float
    words: str  # "14.4× over 1 h and 5 min"


PAGE_RULES = (
    PageRule("fast-burn", FAST_BURN, 3600.0, 300.0, f"{FAST_BURN:g}× over 1 h and 5 min"),
    PageRule("slow-burn", SLOW_BURN, 21600.0, 1800.0, f"{SLOW_BURN:g}× over 6 h and 30 min"),
)
PAGE_RULE = ", or ".join(rule.words for rule in PAGE_RULES)
# Longer series are looked at on this many evenly spaced times: a paging stretch shorter
# than their spacing (27 s over 62 days) could be missed.
MAX_CANDIDATES = 200_000


@dataclass(frozen=True)
class BurnPage:
    """The first time a page rule holds (None: neither ever did), and the words of the rule
    that paged (of both when none did); ``name`` is ``fast-burn``, ``slow-burn`` or, when
    none paged, ``burn-rate``."""

    at: float | None
    rule: str = PAGE_RULE
    name: str = "burn-rate"


def _margins(summary: SloSummary, ends: np.ndarray, window: float, factor: float) -> tuple:
    """At each of ``ends``: the bad seconds in ``window`` before it, and how far they are
    above ``factor``× the allowed share of the known seconds (the time before the first
    sample counted as known and good). Both are linear between the search's candidate
    times."""
    times = summary.times
    starts = ends - window
    bad = summary.bad_until(ends) - summary.bad_until(starts)
    known = (np.interp(ends, times, summary.known_before)
             - np.interp(starts, times, summary.known_before)
             + np.clip(times[0] - starts, 0.0, window))  # fmt: skip
    return bad, bad - factor * summary.allowed_share * known


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


def _first_page(summary: SloSummary, candidates: np.ndarray, rule: PageRule) -> float | None:
    """The earliest time in ``candidates``' span where both of ``rule``'s windows hold."""
    firsts, lasts = [], []
    for window in (rule.long_s, rule.short_s):
        bad, margin = _margins(summary, candidates, window, rule.factor)
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
    """When ``summary``'s SLO would first have paged by either rule of :data:`PAGE_RULES`
    (the fast burn when both page at once)."""
    times = summary.times
    if len(times) < 2:
        return BurnPage(None)
    even = None  # long series: the same evenly spaced times for both rules
    if 3 * len(times) > MAX_CANDIDATES:
        even = np.linspace(times[0], times[-1], MAX_CANDIDATES)
    found = []
    for rule in PAGE_RULES:
        candidates = even
        if candidates is None:
            candidates = np.unique(np.concatenate([times, times + rule.short_s,
                                                   times + rule.long_s]))  # fmt: skip
            candidates = candidates[candidates <= times[-1]]
        at = _first_page(summary, candidates, rule) if len(candidates) >= 2 else None
        if at is not None:
            found.append((at, rule))
    if not found:
        return BurnPage(None)
    at, rule = min(found, key=lambda pair: pair[0])
    return BurnPage(at, rule.words, rule.name)


def page_words(page: BurnPage, detection: float | None) -> str:
    """``a fast-burn page (14.4× over 1 h and 5 min) would have fired at T+01:07, 55s
    after the declared detection`` (or ``… before …``), or that no page would have."""
    if page.at is None:
        return f"no burn-rate page ({page.rule}) would have fired"
    text = f"a {page.name} page ({page.rule}) would have fired at {format_timecode(page.at)}"
    if detection is None:
        return text + " (no detection declared)"
    lag = page.at - detection
    if abs(lag) < 0.5:
        return text + ", as the declared detection"
    side = "after" if lag > 0 else "before"
    return text + f", {short_duration(abs(lag))} {side} the declared detection"
