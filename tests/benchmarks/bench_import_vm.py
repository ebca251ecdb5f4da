"""Benchmark: reading a 1M-point VictoriaMetrics export against a bare ``json.loads`` of
its lines (issue 17: at most 3×).

Run: python tests/benchmarks/bench_import_vm.py [--points 1000000] [--series 20] [--repeats 5]
Writes an ``/api/v1/export`` file (``--series`` series of one metric, 15 s apart, values
with two decimals, as VictoriaMetrics writes them), then times, ``--repeats`` times each:
``json.loads`` of every line, and the importer's reading (file → JSON lines → merged,
sorted series with gaps: ``ExportReader.read`` and ``.series``). Writing the incident is
not timed: a million samples go to data files, which is the writer's job. Prints the
medians, the ratio and the peak RSS. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from replay_viewer.importers.json_lines import json_lines, read_text  # noqa: E402
from replay_viewer.importers.victoriametrics import ExportReader  # noqa: E402


def write_export(path: Path, points: int, series: int) -> None:
    each = points // series
    start = 1_700_000_000_000
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(series):
            values = [round(100 + random.random() * 50, 2) for _ in range(each)]
            times = [start + 15_000 * i for i in range(each)]
            metric = {"__name__": "http_latency_ms", "job": "api", "pod": f"api-{number}"}
            line = {"metric": metric, "values": values, "timestamps": times}
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")


def bare(path: Path) -> None:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)


def importer(path: Path) -> int:
    reader = ExportReader()
    reader.read(json_lines(read_text(path), str(path)), path.stem)
    return sum(len(s.times) for s in reader.series())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    random.seed(17)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.jsonl"
        write_export(path, args.points, args.series)
        size = path.stat().st_size
        times: dict[str, list[float]] = {"json.loads": [], "import": []}
        for _ in range(args.repeats):
            began = time.perf_counter()
            bare(path)
            times["json.loads"].append(time.perf_counter() - began)
            began = time.perf_counter()
            count = importer(path)
            times["import"].append(time.perf_counter() - began)
    loads, read = (statistics.median(times[k]) for k in ("json.loads", "import"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.points:,} points in {args.series} series, {size / 1e6:.1f} MB; {count:,} read")
    print(f"json.loads of every line: {loads * 1000:7.0f} ms (median of {args.repeats})")
    print(f"import (read + series):   {read * 1000:7.0f} ms  = {read / loads:.2f}× json.loads")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
