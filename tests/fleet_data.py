"""A per-pod incident for the group tests: 40 pods' p99 latency (a group, as
``import prometheus`` writes one query's result) and the cache hit rate, over an hour with a
deploy at T+0 that makes a third of the pods spike. Deterministic.

``fleet_incident()`` builds the model directly (goldens, GPU tests); ``write_fleet(folder)``
writes it as an incident file with one .npy data file per pod (the window test opens it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from replay_viewer.model import Event, Incident, Series, Threshold, default_series_color

PODS = 40
SAMPLES = 3000  # over 3,600 s: dense at 1280 px (the group draws its band)
START, END = -600.0, 3000.0


def pod_samples(seed: int = 42) -> tuple[np.ndarray, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    times = np.linspace(START, END, SAMPLES)
    pods = []
    for k in range(PODS):
        base = 110 + 50 * rng.random()
        values = base + 9 * rng.standard_normal(SAMPLES)
        if k % 3 == 0:  # the pods that took the new build first
            peak = 250 + 18 * k
            values += peak * np.exp(-(((times - 420 - 4 * k) / 260) ** 2)) * (times > 0)
        pods.append(values)
    return times, pods


HIT_RATE = [[-600, 95], [0, 94], [120, 41], [600, 55], [1200, 88], [3000, 94]]


def fleet_incident() -> Incident:
    times, pods = pod_samples()
    rose = default_series_color(0)
    series = [
        Series(
            f"pod-{k}", f"pod=api-{k}", "ms", rose, "left", None, times, values, group="p99 by pod"
        )
        for k, values in enumerate(pods)
    ]
    hit_times, hit_values = zip(*HIT_RATE, strict=True)
    series.append(Series("hit_rate", "cache hit rate", "%", default_series_color(1), "right",
                         (0.0, 100.0), hit_times, hit_values))  # fmt: skip
    events = (
        Event(0.0, "Deploy v2.14", kind="deploy"),
        Event(300.0, "p99 alert fires", kind="alert"),
        Event(900.0, "Rollback", kind="mitigate"),
    )
    thresholds = (Threshold("pod-0", 400.0, "p99 SLO 400 ms"),)
    return Incident("fleet", "p99 by pod after a deploy", tuple(series), START, END,
                    severity="SEV-2", thresholds=thresholds, events=events)  # fmt: skip


def write_fleet(folder: Path) -> Path:
    """The same incident as files: ``fleet.yaml`` and ``pods/pod-K.npy``."""
    times, pods = pod_samples()
    (folder / "pods").mkdir(parents=True, exist_ok=True)
    lines = ["format: incident-replay/1", "title: p99 by pod after a deploy", "severity: SEV-2",
             "series:"]  # fmt: skip
    for k, values in enumerate(pods):
        np.save(folder / "pods" / f"pod-{k}.npy", np.column_stack([times, values]))
        lines += [f"  - id: pod-{k}", f"    label: pod=api-{k}", "    unit: ms",
                  "    group: p99 by pod", f"    file: pods/pod-{k}.npy"]  # fmt: skip
    lines += ["  - id: hit_rate", "    label: cache hit rate", "    unit: '%'",
              "    range: [0, 100]", f"    samples: {HIT_RATE}"]  # fmt: skip
    lines += ["thresholds:", "  - {series: pod-0, value: 400, label: p99 SLO 400 ms}",
              "events:", "  - {at: 0, title: Deploy v2.14, kind: deploy}",
              "  - {at: '05:00', title: p99 alert fires, kind: alert}",
              "  - {at: '15:00', title: Rollback, kind: mitigate}"]  # fmt: skip
    path = folder / "fleet.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
