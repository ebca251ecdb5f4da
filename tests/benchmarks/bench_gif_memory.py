"""Benchmark: a long GIF's peak memory (the issue's bound: 600 frames at 1280×720 under
400 MB RSS), its time and size, plain and captioned; with ``--before``, the same export
from an older checkout (whose GIF encoder kept every frame until the end).

Run: python tests/benchmarks/bench_gif_memory.py [--frames 600] [--before /path/to/checkout]
Not collected by pytest. Each export is a whole ``replay-viewer export`` process; its peak
RSS is the child's ``ru_maxrss`` (os.wait4). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "incidents" / "cache-stampede.yaml"
LIMIT_MB = 400


def export(checkout: Path, out: Path, frames: int, extra: list[str]) -> tuple[float, float, int]:
    """Seconds, peak RSS (MB) and bytes of one GIF export from ``checkout``."""
    command = [sys.executable, "-m", "replay_viewer", "export", str(BUNDLED), "--gif", str(out),
               "--frames", str(frames), "--fps", "15", "--size", "1280x720", "--overwrite",
               *extra]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    started = time.perf_counter()
    # The checkout first on the path: `python -m` puts the working folder before PYTHONPATH.
    process = subprocess.Popen(command, env=env, cwd=checkout, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    args = parser.parse_args()
    runs = [("this branch", REPO, []), ("this branch, --captions", REPO, ["--captions"])]
    if args.before:
        runs.insert(0, ("before", args.before.resolve(), []))
    print(f"| GIF, {args.frames} frames, 1280×720, 15 fps | s | peak RSS | size |")
    print("|---|---|---|---|")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, checkout, extra in runs:
            out = Path(folder) / "replay.gif"
            seconds, peak, size = export(checkout, out, args.frames, extra)
            if checkout == REPO:
                worst = max(worst, peak)
            print(f"| {name} | {seconds:.1f} | {peak:.0f} MB | {size / 2**20:.1f} MiB |",
                  flush=True)  # fmt: skip
    verdict = "under" if worst < LIMIT_MB else "OVER"
    print(f"\nthis branch's peak: {worst:.0f} MB, {verdict} the {LIMIT_MB} MB bound")


if __name__ == "__main__":
    main()
