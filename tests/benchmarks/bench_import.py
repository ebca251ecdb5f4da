"""Import time and peak memory of large saved answers: the whole ``replay-viewer import``
command against a bare ``json.loads`` of the same file.

    python tests/benchmarks/bench_import.py [--points 1000000] [--repeat 3] [--json out.json]

Writes a Datadog ``/api/v1/query`` answer and a Prometheus ``query_range`` answer of one
series of ``--points`` samples (tests/large_import_data.py), then runs, each in a fresh
process: ``json.loads`` of the file (read and parse, timed inside the process), and the
whole import command (``python -m replay_viewer import SOURCE FILE -o OUT.yaml``: start,
imports, read, parse, convert, write the data file, check the incident with the loader,
exit), timed from outside. Peak RSS is the process's VmHWM; "baseline" is the process
after its imports. Times are medians of ``--repeat`` runs. The target (issue 17): the
whole Datadog command within 3× the bare ``json.loads``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.large_import_data import write_datadog, write_prometheus  # noqa: E402

PEAK = r"""
def high_water_mb():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec (the parent's peak).
    with open("/proc/self/status", encoding="utf-8") as file:
        line = next(line for line in file if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
"""

BARE = (
    PEAK
    + r"""
import json, sys, time
baseline = high_water_mb()
begin = time.perf_counter()
with open(sys.argv[1], "rb") as file:
    data = json.loads(file.read())
print(time.perf_counter() - begin, baseline, high_water_mb())
"""
)

COMMAND = (
    PEAK
    + r"""
import sys
sys.path.insert(0, {repo!r})
import numpy, yaml
from replay_viewer.cli import main
baseline = high_water_mb()
code = main(["import", *sys.argv[1:]])
assert code == 0, code
print(0.0, baseline, high_water_mb(), file=sys.stderr)
"""
)


def run(script: str, args: list[str]) -> tuple[float, float, float, float]:
    """(time inside, wall time of the process, baseline MB, peak MB)."""
    begin = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - begin
    numbers = (done.stdout if script is BARE else done.stderr).split()[-3:]
    inside, baseline, peak = (float(n) for n in numbers)
    return inside, wall, baseline, peak


def measure(script: str, args: list[str], repeat: int) -> dict:
    runs = [run(script, args) for _ in range(repeat)]
    return {
        "inside_s": statistics.median(r[0] for r in runs),
        "process_s": statistics.median(r[1] for r in runs),
        "baseline_mb": statistics.median(r[2] for r in runs),
        "peak_mb": statistics.median(r[3] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for source, write in (("datadog", write_datadog), ("prometheus", write_prometheus)):
            path = base / f"{source}.json"
            write(path, options.points)
            size = path.stat().st_size / 2**20
            bare = measure(BARE, [str(path)], options.repeat)
            out = base / f"{source}.yaml"
            command = [source, str(path), "-o", str(out), "--overwrite"]
            whole = measure(COMMAND.format(repo=str(REPO)), command, options.repeat)
            ratio = whole["process_s"] / bare["inside_s"]
            results.append({"source": source, "points": options.points, "file_mb": size,
                            "json_loads": bare, "import": whole, "ratio": ratio})  # fmt: skip
            print(
                f"{source:10s} {options.points:,} points ({size:.0f} MB): json.loads "
                f"{bare['inside_s']:.2f} s (process {bare['process_s']:.2f} s, peak "
                f"{bare['peak_mb']:.0f} MB); import command {whole['process_s']:.2f} s "
                f"(peak {whole['peak_mb']:.0f} MB, baseline {whole['baseline_mb']:.0f} MB); "
                f"{ratio:.2f}× json.loads"
            )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
