"""Benchmark: many series. Frame cost of 200 series against 8 (10,000 samples each, 1280×720),
as a group (thin members, three highlighted) and ungrouped; and how long an incident of
1,000 series × 1,000 samples (one .npy data file each) takes to load and to lay out.

Run: python tests/benchmarks/bench_series.py [--json out.json]
One process, one device (the default adapter; REPLAY_VIEWER_BACKEND picks another). Frame
times are medians of 30 frames spread over the incident (render + read back). Targets
(issue 16): 200 series within 3× the frame of 8; 1,000 × 1k load in under 3 s.
Not collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

from replay_viewer.loader import load_incident
from replay_viewer.model import Incident, Series, default_series_color
from replay_viewer.render.boot import prepare_renderer
from replay_viewer.render.geometry import RenderOptions
from replay_viewer.render.gpu import adapter_summary, request_adapter


def fleet(count: int, samples: int, *, grouped: bool) -> Incident:
    """``count`` pods' p99 over an hour, a third of them spiking after T+0."""
    rng = np.random.default_rng(5)
    times = np.linspace(-600.0, 3000.0, samples)
    series = []
    for k in range(count):
        values = 120 + 30 * rng.random() + 12 * rng.standard_normal(samples)
        if k % 3 == 0:
            values += 400 * np.exp(-(((times - 500 - k) / 300) ** 2))
        color = default_series_color(0 if grouped else k)
        group = "p99 by pod" if grouped else ""
        series.append(Series(f"pod-{k}", f"pod=api-{k}", "ms", color, "left", None, times,
                             values, group=group))  # fmt: skip
    return Incident("fleet", "fleet", tuple(series), -600.0, 3000.0)


def frame_ms(device, incident: Incident, frames: int = 30) -> dict:
    options = RenderOptions(quality="standard")
    begin = time.perf_counter()
    renderer = prepare_renderer(device, incident, 1280, 720, 1.0, quality="standard")
    prepare_s = time.perf_counter() - begin
    renderer.render(0.0, options)  # warm-up
    times = []
    for t in np.linspace(incident.start, incident.end, frames):
        begin = time.perf_counter()
        renderer.render(float(t), options)
        times.append((time.perf_counter() - begin) * 1000)
    return {"prepare_s": prepare_s, "frame_ms": statistics.median(times)}


def load_many(directory: Path, count: int, samples: int) -> dict:
    """Write ``count`` series of ``samples`` as .npy files and an incident naming them; time
    load_incident (parse, read, validate) and the first layout."""
    rng = np.random.default_rng(9)
    times = np.linspace(0.0, 3600.0, samples)
    lines = ["format: incident-replay/1", "title: many", "series:"]
    for k in range(count):
        np.save(directory / f"s{k}.npy", np.column_stack([times, rng.random(samples)]))
        lines += [f"  - id: s{k}", "    unit: ms", "    group: many", f"    file: s{k}.npy"]
    path = directory / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = []
    for _ in range(3):
        begin = time.perf_counter()
        incident = load_incident(path)
        runs.append(time.perf_counter() - begin)
    return {"series": count, "samples": samples, "load_s": statistics.median(runs),
            "incident": incident}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    adapter = request_adapter()
    device = adapter.request_device_sync()
    print(f"adapter: {adapter_summary(adapter)}")
    results: dict = {"adapter": adapter_summary(adapter)}
    for grouped in (False, True):
        kind = "group" if grouped else "ungrouped"
        small = frame_ms(device, fleet(8, 10_000, grouped=grouped))
        large = frame_ms(device, fleet(200, 10_000, grouped=grouped))
        ratio = large["frame_ms"] / small["frame_ms"]
        results[kind] = {"8": small, "200": large, "ratio": ratio}
        print(f"{kind:9s}: 8 series {small['frame_ms']:.1f} ms/frame, 200 series "
              f"{large['frame_ms']:.1f} ms/frame: {ratio:.2f}× (target ≤ 3×); first layout "
              f"{small['prepare_s']:.2f} s / {large['prepare_s']:.2f} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        loaded = load_many(Path(folder), 1000, 1000)
        incident = loaded.pop("incident")
        begin = time.perf_counter()
        prepare_renderer(device, incident, 1280, 720, 1.0, quality="standard")
        loaded["first_frame_s"] = time.perf_counter() - begin
    results["load"] = loaded
    print(f"1,000 series × 1,000 samples (.npy files): load {loaded['load_s']:.2f} s "
          f"(target < 3 s), boot to first frame {loaded['first_frame_s']:.2f} s")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
