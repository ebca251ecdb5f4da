"""Benchmark: process RSS per 500 frames on every WebGPU adapter (the soak test's workload).

Run from the repository root: python tests/benchmarks/bench_soak.py [--frames 2000]
Each adapter runs in its own process (tests/soak_render.py); nothing aborts early, so a
leaking build shows its full growth. Figures for docs/reliability.md.
Not collected by pytest (file name does not start with test_).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run as a script, the repository root is not on sys.path; the soak module lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.soak_render import growth_after, run_subprocess


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--width", type=int, default=480)
    parser.add_argument("--height", type=int, default=270)
    parser.add_argument("--warmup", type=int, default=600)
    parser.add_argument("--backends", default="vulkan,opengl")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        result = run_subprocess(
            backend,
            timeout=1800,
            frames=args.frames,
            width=args.width,
            height=args.height,
            switch_every=500,
            sample_every=100,
            warmup=args.warmup,
            abort_growth_mb=0,
        )
        print(f"{result['adapter']}, {args.width}x{args.height}, high quality (4x MSAA)")
        for sample in result["samples"]:
            if sample["frame"] % 500:
                continue
            print(f"  frame {sample['frame']:5d}  RSS {sample['rss_kib'] / 1024:7.1f} MB")
        growth = growth_after(result, args.warmup)
        print(
            f"  after frame {args.warmup}: {growth['kib_per_frame']:.1f} KiB/frame, "
            f"+{growth['growth_mb']:.1f} MB; end {growth['end_mb']:.1f} MB; "
            f"{result['frames_rendered'] / result['render_seconds']:.0f} frames/s"
        )


if __name__ == "__main__":
    main()
