"""Benchmark: one frame of a 10-million-sample incident, as whole processes, against
matplotlib's Agg drawing the same 10M-point line to a PNG.

Run: python tests/benchmarks/bench_dense_export.py [--samples 10000000] [--repeats 5]
Writes the samples once as an (N, 2) float64 .npy (160 MB) with an incident naming it, then
alternates ``replay-viewer export INCIDENT --at T -o OUT.png`` and a matplotlib script
(np.load, plot, savefig at 1280×720) ``--repeats`` times. Prints each run's wall time and
peak RSS (from wait4, per process) and the medians; target (issue 16): replay-viewer at most
0.8× matplotlib's time, RSS at most the raw data + 250 MB. matplotlib is only for this
comparison (pip install matplotlib). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]

MATPLOTLIB = """
import sys, numpy as np, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
data = np.load(sys.argv[1])
fig = plt.figure(figsize=(12.8, 7.2), dpi=100)
axes = fig.add_subplot()
axes.plot(data[:, 0], data[:, 1], lw=1.5)
axes.set_title("ten million samples")
fig.savefig(sys.argv[2])
"""


def run(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    begin = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - begin
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command[:4]} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rng = np.random.default_rng(3)
        times = np.arange(args.samples, dtype=np.float64) * 0.1
        data = np.column_stack([times, 200 + np.cumsum(rng.normal(0, 1, args.samples))])
        np.save(folder / "p99.npy", data)
        raw_mb = data.nbytes / 2**20
        del data, times
        (folder / "dense.yaml").write_text(
            "format: incident-replay/1\ntitle: ten million samples\nseries:\n"
            "  - id: p99\n    unit: ms\n    file: p99.npy\n",
            encoding="utf-8",
        )
        (folder / "mpl.py").write_text(MATPLOTLIB, encoding="utf-8")
        at = f"{args.samples * 0.1 * 0.6:.0f}s"
        ours = [sys.executable, "-m", "replay_viewer", "export", str(folder / "dense.yaml"),
                "--at", at, "-o", str(folder / "ours.png"), "--overwrite"]  # fmt: skip
        theirs = [sys.executable, str(folder / "mpl.py"), str(folder / "p99.npy"),
                  str(folder / "theirs.png")]  # fmt: skip
        run(ours, env), run(theirs, env)  # warm the page cache and the disk
        results: dict[str, list[tuple[float, float]]] = {"replay-viewer": [], "matplotlib": []}
        for _ in range(args.repeats):
            results["replay-viewer"].append(run(ours, env))
            results["matplotlib"].append(run(theirs, env))
    print(f"{args.samples:,} samples ({raw_mb:.0f} MB as float64 pairs), 1280×720 PNG, "
          f"{args.repeats} alternating runs each\n")  # fmt: skip
    print("| | runs (s) | median (s) | peak RSS (MB) |\n|---|---|---|---|")
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(s for s, _ in runs)
        rss = statistics.median(r for _, r in runs)
        listed = ", ".join(f"{s:.2f}" for s, _ in runs)
        print(f"| {name} | {listed} | {medians[name]:.2f} | {rss:.0f} |")
        if name == "replay-viewer":
            print(f"|  ↳ RSS over the raw data | | | {rss - raw_mb:.0f} (target ≤ 250) |")
    ratio = medians["replay-viewer"] / medians["matplotlib"]
    print(f"\nreplay-viewer / matplotlib: {ratio:.2f}× (target ≤ 0.8×)")


if __name__ == "__main__":
    main()
