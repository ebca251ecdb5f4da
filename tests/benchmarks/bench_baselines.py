"""Benchmark: what baselines cost, per layout and per frame.

Run: python tests/benchmarks/bench_baselines.py [--repeats 3]

For the bundled checkout-flag (67 inline baseline samples) and dense-scrape (a baseline of
144,000 samples: its own p99 a day earlier), with and without their baselines: a layout at
1280×720 (what a load, resize or zoom pays) and 100 frames scrubbed across the incident at
"standard" (1×: the cached data layer) and "high" (4× MSAA: every series and baseline drawn
each frame), in CPU ms of the process (llvmpipe draws on its threads). Medians; runs
interleave with and without, as this machine is noisy.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

from replay_viewer.loader import load_incident
from replay_viewer.render.boot import Boot, prepare_renderer
from replay_viewer.render.renderer import RenderOptions

INCIDENTS = Path(__file__).resolve().parents[2] / "incidents"


def without_baselines(incident):
    series = tuple(dataclasses.replace(s, baseline=None) for s in incident.series)
    return dataclasses.replace(incident, series=series)


def frames_ms(renderer, incident, quality: str) -> float:
    """CPU ms a frame (the process's, llvmpipe's threads included: steadier than wall time
    on a shared machine), over 100 frames across the incident."""
    times = [incident.start + (incident.end - incident.start) * i / 99 for i in range(100)]
    renderer.render(times[0], RenderOptions(quality=quality))  # warm-up (builds the layer)
    begin = time.process_time()
    for t in times:
        renderer.render_texture(t, RenderOptions(quality=quality))
        renderer.wait()
    return (time.process_time() - begin) * 10


def layout_ms(renderer, repeats: int = 10) -> float:
    took = []
    for _ in range(repeats):
        begin = time.process_time()
        renderer.lay_out(1280, 720, 1.0)
        took.append(time.process_time() - begin)
    return statistics.median(took) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    device = Boot(load_incident(INCIDENTS / "cache-stampede.yaml"), 320, 200, 1.0).run().device
    for name in ("checkout-flag", "dense-scrape"):
        incident = load_incident(INCIDENTS / f"{name}.yaml")
        cases = {"with": incident, "without": without_baselines(incident)}
        results = {key: {"layout": [], "standard": [], "high": []} for key in cases}
        for _ in range(args.repeats):
            for key, each in cases.items():
                for quality in ("standard", "high"):
                    renderer = prepare_renderer(device, each, 1280, 720, 1.0, quality=quality)
                    results[key][quality].append(frames_ms(renderer, each, quality))
                results[key]["layout"].append(layout_ms(renderer))
        for key, numbers in results.items():
            line = ", ".join(f"{what} {statistics.median(v):6.2f} ms" for what, v in
                             numbers.items())  # fmt: skip
            print(f"{name:<14} {key:<8} baselines: {line}")


if __name__ == "__main__":
    main()
