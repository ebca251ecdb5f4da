"""Analysis of an incident's data: pure numpy over the model, below render/ and app/, so
the CLI (``validate --metrics``), the window (the Metrics panel, the milestone lane), the
exports and the tests read the same numbers.

- :mod:`.thresholds`: the data's own milestones against each threshold (first breach,
  worst point, recovery, time over), with ``sustain``, gaps and groups;
- :mod:`.metrics`: the declared milestones (trigger, detection, mitigation, recovery,
  all-clear), the "time to" each, stated outcomes checked;
- :mod:`.checks`: the gaps between declared and data milestones, and the declarations the
  data contradicts (warnings);
- :mod:`.slo`: SLOs and their error budgets (budget, what the incident burned, the burn
  rate over time and its peak);
- :mod:`.burn_alert`: when the workbook's burn-rate pages (fast: 14.4× over 1 h and 5 min;
  slow: 6× over 6 h and 30 min) would first have fired, beside the declared detection;
- :mod:`.report`: rows for the table and the panel, JSON, positioned warnings.
"""

from __future__ import annotations

from .burn_alert import PAGE_RULE, BurnPage, burn_page, page_words
from .checks import (
    GAP_NAMES,
    Contradiction,
    Gap,
    contradictions,
    incident_checks,
    milestone_gaps,
    threshold_gaps,
)
from .metrics import (
    IncidentMetrics,
    OutcomeCheck,
    compute_metrics,
    outcome_checks,
    parse_stated_duration,
)
from .report import (
    MetricRow,
    analysis_warnings,
    metrics_json,
    metrics_lines,
    metrics_table,
    slo_json,
    slo_rows,
    validation_entry,
)
from .slo import FAST_BURN, SloSummary, format_percent, format_rate, slo_summaries, slo_summary
from .thresholds import DEFAULT_SUSTAIN, Episode, ThresholdMilestones, threshold_milestones

__all__ = [
    "DEFAULT_SUSTAIN",
    "FAST_BURN",
    "GAP_NAMES",
    "PAGE_RULE",
    "BurnPage",
    "Contradiction",
    "Episode",
    "Gap",
    "IncidentMetrics",
    "MetricRow",
    "OutcomeCheck",
    "SloSummary",
    "ThresholdMilestones",
    "analysis_warnings",
    "burn_page",
    "compute_metrics",
    "contradictions",
    "format_percent",
    "format_rate",
    "incident_checks",
    "metrics_json",
    "metrics_lines",
    "metrics_table",
    "milestone_gaps",
    "outcome_checks",
    "page_words",
    "parse_stated_duration",
    "slo_json",
    "slo_rows",
    "slo_summaries",
    "slo_summary",
    "threshold_gaps",
    "threshold_milestones",
    "validation_entry",
]
