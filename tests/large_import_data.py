"""Large saved answers for the any-size import tests and the import benchmark: a Datadog
``/api/v1/query`` answer and a Prometheus ``query_range`` answer of one series with
``points`` samples, 1 s apart from 2025-06-03T09:40:00Z, a latency-like value with a gap
(``null`` / ``"NaN"``) every 997 points and one spike."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

T0 = 1748943600  # 2025-06-03T09:40:00Z
GAP_EVERY = 997


def latency(points: int) -> list[float | None]:
    rng = np.random.default_rng(7)
    values = np.round(120 + 40 * np.sin(np.arange(points) / 900) + rng.gamma(2, 6, points), 3)
    values[points // 2] = 4_800.0  # the spike a million samples must not lose
    listed: list[float | None] = values.tolist()
    for index in range(0, points, GAP_EVERY):
        listed[index] = None
    return listed


def write_datadog(path: Path, points: int) -> None:
    ms = np.arange(points, dtype=np.int64) * 1000 + T0 * 1000
    answer = {
        "status": "ok", "res_type": "time_series", "query": "avg:checkout.p99{env:prod}",
        "from_date": T0 * 1000, "to_date": int(ms[-1]), "group_by": [],
        "series": [{
            "metric": "checkout.p99", "display_name": "checkout.p99", "aggr": "avg",
            "expression": "avg:checkout.p99{env:prod}", "scope": "env:prod", "tag_set": [],
            "unit": [{"family": "time", "name": "millisecond", "short_name": "ms"}, None],
            "query_index": 0, "length": points, "interval": 1,
            "pointlist": [list(p) for p in zip(ms.tolist(), latency(points), strict=True)],
        }],
    }  # fmt: skip
    path.write_text(json.dumps(answer), encoding="utf-8")


def write_prometheus(path: Path, points: int) -> None:
    times = (np.arange(points) + T0).tolist()
    values = ["NaN" if v is None else repr(v) for v in latency(points)]
    result = {"metric": {"__name__": "checkout_p99_ms", "job": "api"},
              "values": [list(p) for p in zip(times, values, strict=True)]}  # fmt: skip
    answer = {"status": "success", "data": {"resultType": "matrix", "result": [result]}}
    path.write_text(json.dumps(answer), encoding="utf-8")
