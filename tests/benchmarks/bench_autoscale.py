"""Benchmark: zooming with the value axes fitted to the view (autoscale) against the whole
incident's axes, and what moving the axes and live view cost per frame.

Run: python tests/benchmarks/bench_autoscale.py [--dense 1e7] [--steps 40] [--json out.json]
One process, one device (the default adapter; REPLAY_VIEWER_BACKEND picks another), 1280×720,
standard quality, the bundled incident and a dense one (a random walk of N samples).

Per incident and autoscale off / on:
- zoom step: a wheel step's layout (``resize`` with the new view: what each series draws,
  the axes, the instances) and its first frame (render + read back), zooming in and out
  around the middle; steps per second from their sum;
- axes frame: a layout that moves only the axes (``ranges=``: the series keep what they
  draw, as every frame of the 150 ms motion does) and its frame;
- live frame: live view while playing: the target's fit (``compute_layout`` at t) every
  frame, a layout when something became known or the fit changed, and the frame.
Prints a table and writes JSON. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import dense_incident

from replay_viewer.loader import load_incident
from replay_viewer.render.boot import prepare_renderer
from replay_viewer.render.geometry import RenderOptions
from replay_viewer.render.gpu import adapter_summary, request_adapter
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.live import live_layout_holds

BUNDLED = Path(__file__).resolve().parents[2] / "incidents" / "cache-stampede.yaml"
SIZE = (1280, 720)
OPTIONS = RenderOptions(quality="standard")


def views(incident, steps: int) -> list[tuple[float, float]]:
    """A wheel zooming in by 0.8 around the middle, then out again."""
    middle = (incident.start + incident.end) / 2
    half = (incident.end - incident.start) / 2
    spans = [half * 0.8**k for k in range(1, steps // 2 + 1)]
    spans += spans[::-1]
    return [(middle - s, middle + s) for s in spans]


def timed(step) -> float:
    begin = time.perf_counter()
    step()
    return time.perf_counter() - begin


def zoom_steps(renderer, incident, steps: int, autoscale: bool) -> dict:
    layouts, frames = [], []
    for view in views(incident, steps):
        layouts.append(timed(lambda v=view: renderer.resize(*SIZE, view=v, autoscale=autoscale)))
        frames.append(timed(lambda v=view: renderer.render(sum(v) / 2, OPTIONS)))
    total = sum(layouts) + sum(frames)
    return {"layout_ms": statistics.median(layouts) * 1000,
            "frame_ms": statistics.median(frames) * 1000,
            "steps_per_s": len(layouts) / total}  # fmt: skip


def axes_frames(renderer, incident, steps: int) -> dict:
    view = views(incident, steps)[0]  # the widest zoom: the most samples in view
    renderer.resize(*SIZE, view=view, autoscale=True)
    high = renderer.layout.axes["left"].high
    layouts, frames, full = [], [], []
    for k in range(steps):
        ranges = {"left": (0.0, high * (1 + 0.05 * (k % 10)))}
        layouts.append(timed(lambda r=ranges: renderer.resize(*SIZE, view=view, autoscale=True,
                                                              ranges=r)))  # fmt: skip
        frames.append(timed(lambda: renderer.render(sum(view) / 2, OPTIONS)))
        renderer.series._drawn_for = ()  # the same layout without keeping the series' drawing
        full.append(timed(lambda r=ranges: renderer.resize(*SIZE, view=view, autoscale=True,
                                                           ranges=r)))  # fmt: skip
    return {"layout_ms": statistics.median(layouts) * 1000,
            "full_layout_ms": statistics.median(full) * 1000,
            "frame_ms": statistics.median(frames) * 1000}  # fmt: skip


def live_frames(renderer, incident, steps: int) -> dict:
    """Playing in live view: the window fits the target every frame (compute_layout at t)
    and lays out only when the live layout no longer holds."""
    renderer.resize(*SIZE, live=incident.start)
    costs, laid_out = [], 0
    for k in range(steps * 4):
        t = incident.start + (incident.end - incident.start) * k / (steps * 4 - 1)

        def frame(t=t) -> None:
            nonlocal laid_out
            compute_layout(incident, *SIZE, live=t)  # the window's target
            if not live_layout_holds(incident, renderer.layout, t):
                renderer.resize(*SIZE, live=t)
                laid_out += 1
            renderer.render(t, OPTIONS)

        costs.append(timed(frame))
    return {"frame_ms": statistics.median(costs) * 1000, "max_ms": max(costs) * 1000,
            "layouts": laid_out, "frames": len(costs)}  # fmt: skip


def measure(device, name: str, incident, steps: int) -> dict:
    renderer = prepare_renderer(device, incident, *SIZE, 1.0, quality="standard")
    renderer.render(incident.end, OPTIONS)  # warm-up
    result = {"incident": name, "samples": sum(len(s.times) for s in incident.series)}
    result["off"] = zoom_steps(renderer, incident, steps, autoscale=False)
    result["on"] = zoom_steps(renderer, incident, steps, autoscale=True)
    result["axes"] = axes_frames(renderer, incident, steps)
    result["live"] = live_frames(renderer, incident, steps)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dense", type=float, default=1e7, help="samples of the dense one")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--json", type=Path, default=Path("bench_autoscale.json"))
    args = parser.parse_args()
    adapter = request_adapter()
    device = adapter.request_device_sync()
    print(adapter_summary(adapter))
    results = [
        measure(device, "cache-stampede", load_incident(BUNDLED), args.steps),
        measure(device, f"dense {args.dense:,.0f}", dense_incident(int(args.dense)), args.steps),
    ]
    print(f"{'incident':<22} {'autoscale':<9} {'layout':>9} {'frame':>9} {'steps/s':>8}")
    for r in results:
        for key in ("off", "on"):
            z = r[key]
            print(f"{r['incident']:<22} {key:<9} {z['layout_ms']:8.2f}ms {z['frame_ms']:8.2f}ms "
                  f"{z['steps_per_s']:8.1f}")  # fmt: skip
        a, live = r["axes"], r["live"]
        print(f"{'':<22} axes only {a['layout_ms']:8.2f}ms {a['frame_ms']:8.2f}ms   (a full "
              f"layout at that view: {a['full_layout_ms']:.2f} ms)")  # fmt: skip
        print(f"{'':<22} live      {live['frame_ms']:8.2f}ms per frame (max {live['max_ms']:.1f}"
              f" ms; {live['layouts']} layouts in {live['frames']} frames)")  # fmt: skip
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
