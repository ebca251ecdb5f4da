"""Benchmark: the frame of a 1,000-time × 30-bucket heatmap against the bundled incident's.

Run: python tests/benchmarks/bench_heatmap.py [--frames 60] [--repeats 3]
Both incidents in one process on one device, 1280×720, each quality; a frame is render +
wait (one pixel read back), scrubbing across the incident, the first frames of a layout
(which build the cached grid and data layer) left out; also the layout's own cost (the
cells per pixel column and their upload) and a single export's first frame. Prints medians
(this machine is noisy: quote medians and ratios, not single runs). Target (issue 20): the
heatmap's frame within 2× the bundled incident's. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from replay_viewer.loader import load_incident
from replay_viewer.render.boot import Boot, prepare_renderer
from replay_viewer.render.renderer import RenderOptions

BUNDLED = Path(__file__).resolve().parents[2] / "incidents" / "cache-stampede.yaml"
TIMES, BUCKETS = 1000, 30


def heatmap_incident(folder: Path) -> Path:
    """1,000 times (every 15 s, ~4 h) × 30 exponential buckets (+Inf last), cumulative
    rates of a latency that shifts mode half-way, with p50 / p90 / p99 lines."""
    rng = np.random.default_rng(7)
    bounds = 0.001 * 1.5 ** np.arange(BUCKETS - 1)
    times = np.arange(TIMES) * 15.0
    centre = np.where(times < times[-1] / 2, np.log(0.05), np.log(0.4))
    edges = np.log(bounds)
    share = 1 / (1 + np.exp(-(edges[None, :] - centre[:, None]) / 0.5))  # a logistic CDF
    cumulative = np.hstack([share, np.ones((TIMES, 1))]) * rng.uniform(900, 1100, (TIMES, 1))
    rows = np.column_stack([times, np.round(cumulative, 3)])
    np.save(folder / "heat.npy", rows)
    listed = ", ".join(f"{b:.6g}" for b in bounds) + ", +Inf"
    (folder / "heat.yaml").write_text(
        "title: Heatmap benchmark\nhistograms:\n  - id: latency\n    label: Request latency\n"
        f"    unit: s\n    counts: req/s\n    file: heat.npy\n    buckets: [{listed}]\n",
        encoding="utf-8",
    )
    return folder / "heat.yaml"


def wait(renderer) -> None:
    renderer.device.queue.read_texture(
        {"texture": renderer._targets.color, "origin": (0, 0, 0)}, {"bytes_per_row": 4}, (1, 1, 1)
    )


def frames_ms(renderer, incident, quality: str, count: int) -> float:
    """Median render + wait of ``count`` frames scrubbing across the incident."""
    options = RenderOptions(quality=quality)
    for t in (incident.start, incident.end):  # a layout's first frames build its caches
        renderer.render_texture(t, options)
        wait(renderer)
    samples = []
    for i in range(count):
        t = incident.start + (incident.end - incident.start) * i / max(count - 1, 1)
        begin = time.perf_counter()
        renderer.render_texture(t, options)
        wait(renderer)
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples) * 1000


def layout_ms(renderer, repeats: int = 10) -> float:
    samples = []
    for k in range(repeats):
        begin = time.perf_counter()
        renderer.lay_out(1280 - k % 2, 720)  # a new size each time: the cells again
        samples.append(time.perf_counter() - begin)
    renderer.resize(1280, 720)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    boot = Boot(load_incident(BUNDLED), 1280, 720, 1.0)
    boot.run()
    print(f"adapter: {boot.reports[0].detail}")
    with tempfile.TemporaryDirectory() as folder:
        begin = time.perf_counter()
        heat = load_incident(heatmap_incident(Path(folder)))
        print(f"load {TIMES:,} × {BUCKETS} histogram (+ 3 quantiles): "
              f"{(time.perf_counter() - begin) * 1000:.1f} ms")  # fmt: skip
    incidents = {"bundled": boot.incident, "heatmap": heat}
    for quality in ("standard", "high"):
        renderers = {name: prepare_renderer(boot.device, incident, 1280, 720, 1.0,
                                            quality=quality)
                     for name, incident in incidents.items()}  # fmt: skip
        runs: dict[str, list[float]] = {name: [] for name in incidents}
        for _ in range(args.repeats):  # alternating, so drift hits both
            for name, incident in incidents.items():
                runs[name].append(frames_ms(renderers[name], incident, quality, args.frames))
        bundled, heatmap = (statistics.median(runs[name]) for name in ("bundled", "heatmap"))
        print(f"1280x720 {quality:<8}: bundled {bundled:6.1f} ms, heatmap {heatmap:6.1f} ms "
              f"per frame (medians), ratio {heatmap / bundled:.2f}x (target <= 2x)")  # fmt: skip
    cost = layout_ms(renderers["heatmap"])
    print(f"heatmap layout (cells per pixel column + upload): {cost:.1f} ms")


if __name__ == "__main__":
    main()
