"""Benchmark: boot stages, scrubbing and export on this machine's WebGPU adapter.

Run: python tests/benchmarks/bench_render.py [--repeats 3]
Prints medians (this machine is noisy: quote medians and ratios, not single runs).
Not collected by pytest (file name does not start with test_).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from replay_viewer.export import ExportSettings, export_sequence, plan_sequence
from replay_viewer.loader import load_incident
from replay_viewer.render.boot import STAGE_NAMES, Boot
from replay_viewer.render.renderer import RenderOptions

BUNDLED = Path(__file__).resolve().parents[2] / "incidents" / "cache-stampede.yaml"


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    incident = load_incident(BUNDLED)

    # Boot stages (fresh Boot each time; the process-wide wgpu instance is shared).
    stage_times: dict[str, list[float]] = {name: [] for name in STAGE_NAMES}
    boot = None
    for _ in range(args.repeats):
        boot = Boot(incident, 1280, 720, 1.0)
        boot.run()
        for report in boot.reports:
            stage_times[report.name].append(report.duration_s)
    print(f"adapter: {boot.reports[0].detail}")
    print(f"boot stages, median of {args.repeats}:")
    for name, samples in stage_times.items():
        print(f"  {name:<22} {median_ms(samples)}")

    renderer = boot.renderer
    incident_times = [incident.start + (incident.end - incident.start) * i / 99 for i in range(100)]
    for quality in ("standard", "high"):
        for scale in (1, 2):
            renderer.resize(1280 * scale, 720 * scale, scale)
            renderer.render(0.0, RenderOptions(quality=quality))  # warm-up
            frame = []
            for t in incident_times:
                begin = time.perf_counter()
                renderer.render_texture(t, RenderOptions(quality=quality))
                # Wait for the GPU: read one pixel back.
                renderer.device.queue.read_texture(
                    {"texture": renderer._targets.color, "origin": (0, 0, 0)},
                    {"bytes_per_row": 4},
                    (1, 1, 1),
                )
                frame.append(time.perf_counter() - begin)
            uploads = renderer.uploads
            print(f"scrub 100 frames {1280 * scale}x{720 * scale} {quality:<8}: median "
                  f"{median_ms(frame)}, max {max(frame) * 1000:.1f} ms "
                  f"(series uploads so far: {uploads.series_samples})")  # fmt: skip

    renderer.resize(1280, 720, 1)
    with tempfile.TemporaryDirectory() as folder:
        plan = plan_sequence(incident, frames=30)
        begin = time.perf_counter()
        export_sequence(renderer, incident, plan, Path(folder), ExportSettings())
        elapsed = time.perf_counter() - begin
    print(f"export 30 frames 1280x720 (export quality, PNGs written): {elapsed:.2f} s "
          f"({30 / elapsed:.1f} frames/s)")  # fmt: skip


if __name__ == "__main__":
    main()
