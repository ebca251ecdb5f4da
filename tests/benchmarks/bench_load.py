"""Load time and peak memory of series data files: the loader against bare readers, and
the loader on shuffled and newest-first rows against the same rows sorted.

    python tests/benchmarks/bench_load.py [--sizes 1000000 10000000] [--repeat 3]
                                          [--json out.json]

For each size it writes a two-column .npy and .csv (10 Hz times, a latency-like value, 0.1 %
gaps written as nan), the same rows shuffled (a random permutation: the worst case for the
sort the loader does, with a warning, for rows out of order) and newest first. Every case
runs in a fresh process, so peak RSS (VmHWM) is that case's alone; "baseline" is the same
process with its imports done and nothing read. Cases: the loader on an incident naming the
file (numpy path, and pyarrow path when installed) against numpy.load, numpy.loadtxt and
pyarrow.csv.read_csv of the same file. Times are medians of --repeat runs, a loader case
running on its sorted, shuffled and newest-first files in turn: the load inside the
process, and the whole process (start, imports, load, exit) as a command would take it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]

CASE = r"""
import os, sys, time
sys.path.insert(0, {repo!r})
kind, path = {kind!r}, {path!r}
import numpy as np
from replay_viewer.loader import load_incident
if "arrow" in kind:
    import pyarrow.csv
def high_water_mb():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec (the parent's peak).
    with open("/proc/self/status", encoding="utf-8") as file:
        line = next(line for line in file if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
baseline = high_water_mb()
begin = time.perf_counter()
if kind.startswith("loader"):
    load_incident(path)
elif kind == "numpy.load":
    np.load(path, allow_pickle=False)
elif kind == "numpy.loadtxt":
    np.loadtxt(path, delimiter=",", skiprows=1)
elif kind == "pyarrow.read_csv":
    pyarrow.csv.read_csv(path)
elapsed = time.perf_counter() - begin
print(elapsed, baseline, high_water_mb())
"""


def write_files(folder: Path, rows: int, *, order: str = "sorted") -> dict[str, Path]:
    rng = np.random.default_rng(1)
    times = np.arange(rows) / 10.0
    values = np.round(120 + rng.gamma(4.0, 2.0, rows), 2)
    values[rng.random(rows) < 0.001] = np.nan
    if order != "sorted":  # shuffled: a random permutation; descending: newest first
        rows_in = rng.permutation(rows) if order == "shuffled" else np.arange(rows)[::-1]
        times, values = times[rows_in], values[rows_in]
    name = f"{order}{rows}"
    npy, csv = folder / f"{name}.npy", folder / f"{name}.csv"
    np.save(npy, np.column_stack([times, values]))
    with open(csv, "w", encoding="utf-8") as file:
        file.write("time,p99\n")
        text = np.char.add(np.char.add(times.round(1).astype(str), ","), values.astype(str))
        # Gaps as "nan" (the loader reads it as a gap, like an empty field) so that bare
        # numpy.loadtxt, which has no notion of an empty field, reads the same file.
        file.write("\n".join(text.tolist()) + "\n")
    paths = {}
    for data in (npy, csv):
        incident = folder / f"{data.name}.yaml"
        incident.write_text(
            f"title: bench\nseries:\n  - id: p99\n    file: {data.name}\n", encoding="utf-8"
        )
        paths[data.suffix] = data
        paths[data.suffix + ".yaml"] = incident
    return paths


def run_case(kind: str, path: Path, *, no_pyarrow: bool = False) -> dict[str, float]:
    """One fresh process: the load inside it, the whole process, peak RSS."""
    import os
    import time

    env_prefix = {"REPLAY_VIEWER_NO_PYARROW": "1"} if no_pyarrow else {}
    code = CASE.format(repo=str(REPO), kind=kind, path=str(path))
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env_prefix},
    )
    process = time.perf_counter() - began
    seconds, baseline, peak = map(float, result.stdout.split())
    return {"seconds": seconds, "baseline_mb": baseline, "peak_mb": peak, "process_s": process}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--json", type=Path, default=Path("bench_load.json"))
    args = parser.parse_args()
    try:
        import pyarrow  # noqa: F401

        has_arrow = True
    except ImportError:
        has_arrow = False
    rows_out = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            for found in _cases(Path(tmp), rows, has_arrow, args.repeat):
                rows_out.append(found)
                print(
                    f"{rows:>10,} {found['order']:10} {found['format']:4} {found['case']:18} "
                    f"{found['seconds']:7.2f} s  (process {found['process_s']:5.2f} s)  "
                    f"peak {found['peak_mb']:7.0f} MB  (baseline {found['baseline_mb']:4.0f} "
                    f"MB, raw data {found['raw_mb']:4.0f} MB)",
                    flush=True,
                )
            _print_ratios([r for r in rows_out if r["rows"] == rows])
    args.json.write_text(json.dumps(rows_out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


def _cases(folder: Path, rows: int, has_arrow: bool, repeat: int):
    """Every case; a loader case runs on each order of the rows in turn, ``repeat`` times,
    so that a busy machine slows them alike (medians of each)."""
    raw_mb = rows * 16 / 2**20
    files = {order: write_files(folder, rows, order=order) for order in ORDERS}
    cases = [
        ("npy", "numpy.load", ".npy", False),
        ("npy", "loader", ".npy.yaml", False),
        ("csv", "numpy.loadtxt", ".csv", False),
        ("csv", "loader (numpy)", ".csv.yaml", True),
    ]
    if has_arrow:
        cases += [
            ("csv", "pyarrow.read_csv", ".csv", False),
            ("csv", "loader (pyarrow)", ".csv.yaml", False),
        ]
    for fmt, kind, key, no_arrow in cases:
        # The bare readers do not sort: they run on the sorted files only.
        orders = ORDERS if kind.startswith("loader") else ORDERS[:1]
        runs: dict[str, list[dict[str, float]]] = {order: [] for order in orders}
        for _ in range(repeat):
            for order in orders:
                runs[order].append(run_case(kind, files[order][key], no_pyarrow=no_arrow))
        for order in orders:
            found = _median(runs[order])
            found.update(rows=rows, format=fmt, case=kind, raw_mb=raw_mb, order=order)
            yield found


ORDERS = ("sorted", "shuffled", "descending")


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    """Medians of every measure, and the best (least) times: on a shared machine the
    median carries the neighbours' load, the best run is closest to the work itself."""
    import statistics

    found = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    found["best_s"] = min(run["seconds"] for run in runs)
    found["best_process_s"] = min(run["process_s"] for run in runs)
    return found


def _print_ratios(results: list[dict]) -> None:
    """Shuffled and descending against sorted, per loader case: the load alone and the
    whole process."""
    by_key = {(r["order"], r["format"], r["case"]): r for r in results}
    for (order, fmt, case), other in by_key.items():
        sorted_run = by_key.get(("sorted", fmt, case))
        if order == "sorted" or sorted_run is None:
            continue
        print(
            f"{'':>10} {order + '/sorted':19} {fmt:4} {case:18} load "
            f"{other['seconds'] / sorted_run['seconds']:4.2f}x "
            f"(best {other['best_s'] / sorted_run['best_s']:4.2f}x), process "
            f"{other['process_s'] / sorted_run['process_s']:4.2f}x "
            f"(best {other['best_process_s'] / sorted_run['best_process_s']:4.2f}x)",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
