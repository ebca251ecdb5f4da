"""Benchmark: frame cost against series size (1k to 10M samples), dense ones drawn as their
per-column envelope.

Run: python tests/benchmarks/bench_scale.py [--sizes 1e3,1e5,1e6,1e7] [--json out.json]
One process, one device, one adapter (the default one; REPLAY_VIEWER_BACKEND picks another).
Per size: set_incident and the first layout (what the series draws: its samples, or each
column's min / max / mean; the upload), a resize (what a zoom costs), the frame time (render
+ read back, median of 20 across the incident) and its ratio to the smallest size, and RSS;
and the column statistics of the largest size alone. Prints a table and writes JSON.
Not collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

from replay_viewer.model import Incident, Series
from replay_viewer.render.boot import prepare_renderer
from replay_viewer.render.geometry import RenderOptions
from replay_viewer.render.gpu import adapter_summary, request_adapter


def dense_incident(count: int) -> Incident:
    """A random walk sampled every 0.1 s, with a spike and a gap: an incident-shaped load."""
    rng = np.random.default_rng(3)
    times = np.arange(count, dtype=np.float64) * 0.1
    values = 200 + np.cumsum(rng.normal(0, 1, count))
    values[count // 3] += 500
    values[count // 2 : count // 2 + max(count // 1000, 1)] = np.nan
    series = Series("p99", "p99", "ms", (0.957, 0.247, 0.369), "left", None, times, values)
    return Incident(f"n{count}", f"{count:,} samples", (series,), 0.0, float(times[-1]))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(device, count: int, frames: int) -> dict:
    incident = dense_incident(count)
    begin = time.perf_counter()
    renderer = prepare_renderer(device, incident, 1280, 720, 1.0, quality="high")
    prepare_s = time.perf_counter() - begin
    resizes = []
    for width in (1200, 1280, 1200, 1280, 1200, 1280):
        begin = time.perf_counter()
        renderer.resize(width, 720, 1.0)
        resizes.append(time.perf_counter() - begin)
    options = RenderOptions(quality="high")
    renderer.render(incident.end / 2, options)  # warm-up
    times = []
    for i in range(frames):
        t = incident.start + (incident.end - incident.start) * i / max(frames - 1, 1)
        begin = time.perf_counter()
        renderer.render(t, options)
        times.append(time.perf_counter() - begin)
    drawn = renderer.series.point_count
    return {
        "samples": count,
        "drawn_points": drawn,
        "prepare_ms": prepare_s * 1000,
        "resize_ms": statistics.median(resizes) * 1000,
        "frame_ms": statistics.median(times) * 1000,
        "rss_mb": rss_mb(),
    }


def envelope_ms(count: int, columns: int = 1100) -> float:
    """Each pixel column's min / max / mean over ``count`` samples (render/columns.py), the
    work of one layout of a dense series. Median of 5, in ms."""
    from replay_viewer.render.columns import drawn_samples

    incident = dense_incident(count)
    series = incident.series[0]
    runs = []
    for _ in range(5):
        begin = time.perf_counter()
        drawn_samples(series.times, series.values, incident.start, incident.end, columns,
                      has_gaps=True)  # fmt: skip
        runs.append(time.perf_counter() - begin)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1e3,1e5,1e6,1e7")
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--json", type=Path, default=Path("bench_scale.json"))
    args = parser.parse_args()
    adapter = request_adapter()
    device = adapter.request_device_sync()
    print(f"adapter: {adapter_summary(adapter)}; 1280×720, high quality (4× MSAA)")
    rows = [measure(device, int(float(size)), args.frames) for size in args.sizes.split(",")]
    base = rows[0]["frame_ms"]
    print(f"{'samples':>12} {'drawn':>8} {'prepare':>10} {'resize':>9} {'frame':>9} "
          f"{'× smallest':>10} {'RSS':>8}")  # fmt: skip
    for row in rows:
        row["frame_ratio"] = row["frame_ms"] / base
        print(f"{row['samples']:>12,} {row['drawn_points']:>8,} {row['prepare_ms']:>8.0f}ms "
              f"{row['resize_ms']:>7.1f}ms {row['frame_ms']:>7.1f}ms {row['frame_ratio']:>10.2f} "
              f"{row['rss_mb']:>6.0f}MB")  # fmt: skip
    largest = rows[-1]["samples"]
    envelope = {"samples": largest, "envelope_ms": envelope_ms(largest)}
    print(f"min / max / mean of {largest:,} samples into 1,100 columns (with gaps): "
          f"{envelope['envelope_ms']:.1f} ms")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"adapter": adapter_summary(adapter), "peak_rss_mb": peak, "rows": rows,
              "envelope": envelope}  # fmt: skip
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"peak RSS {peak:.0f} MB; wrote {args.json}")


if __name__ == "__main__":
    main()
