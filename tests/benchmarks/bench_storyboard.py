"""Benchmark: ``export --storyboard`` against one ``export --at`` of the same incident.

Run: python tests/benchmarks/bench_storyboard.py [--repeats 5] [--incidents …]
Whole processes: alternates ``replay-viewer export FILE --at T -o OUT.png`` (at the default
1280×720, and at the storyboard's 1920×1080) and ``replay-viewer export FILE --storyboard
OUT.png`` (the slide, and A4) ``--repeats`` times per incident and prints the medians and
the ratios. In one process, on one device: a fresh renderer's single frame written as a PNG
(what ``export --at`` does after the boot's adapter and device) against
``export_storyboard`` (a fresh renderer at the panel size, every panel, the text pass, the
read back and the PNG), medians of ``--repeats`` after one warm-up each. Target (issue 19):
the storyboard in at most 2× the time of one ``export --at``. Not collected by pytest.
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

REPO = Path(__file__).resolve().parents[2]
INCIDENTS = ("cache-stampede", "checkout-flag", "dense-scrape")


def run(command: list[str], env: dict) -> float:
    begin = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - begin
    if result.returncode != 0:
        raise RuntimeError(f"{command[3:6]} failed: {result.stderr[-2000:]}")
    return seconds


def whole_processes(name: str, folder: Path, repeats: int, env: dict) -> dict[str, float]:
    path = str(REPO / "incidents" / f"{name}.yaml")
    base = [sys.executable, "-m", "replay_viewer", "export", path, "--overwrite"]
    cases = {
        "--at (1280×720)": [*base, "-o", str(folder / "at.png")],
        "--at (1920×1080)": [*base, "-o", str(folder / "at.png"), "--size", "1920x1080"],
        "--storyboard (slide)": [*base, "--storyboard", str(folder / "sb.png")],
        "--storyboard (a4)": [*base, "--storyboard", str(folder / "sb.png"), "--size", "a4"],
    }
    for command in cases.values():
        run(command, env)  # warm the page cache
    times: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(repeats):
        for case, command in cases.items():
            times[case].append(run(command, env))
    return {case: statistics.median(found) for case, found in times.items()}


def in_process(name: str, folder: Path, repeats: int, device) -> dict[str, float]:
    from replay_viewer.export import write_frame_png
    from replay_viewer.export.storyboard import StoryboardSettings, export_storyboard
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import prepare_renderer
    from replay_viewer.render.geometry import RenderOptions
    from replay_viewer.story import story_moments

    incident = load_incident(REPO / "incidents" / f"{name}.yaml")
    plan = story_moments(incident)
    options = RenderOptions(quality="standard")

    def frame(size: tuple[int, int]) -> None:
        renderer = prepare_renderer(device, incident, *size, 1.0, quality="standard")
        pixels = renderer.render(incident.end, options)
        write_frame_png(folder / "at.png", pixels, incident, incident.end)

    def storyboard(size: tuple[int, int]) -> None:
        export_storyboard(device, incident, plan, folder / "sb.png", StoryboardSettings(size=size),
                          overwrite=True)  # fmt: skip

    cases = {
        "frame (1280×720)": lambda: frame((1280, 720)),
        "frame (1920×1080)": lambda: frame((1920, 1080)),
        "storyboard (slide)": lambda: storyboard((1920, 1080)),
        "storyboard (a4)": lambda: storyboard((1240, 1754)),
    }
    for case in cases.values():
        case()  # warm-up: pipelines, fonts, the figure's text pass
    times: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(repeats):
        for case, call in cases.items():
            begin = time.perf_counter()
            call()
            times[case].append(time.perf_counter() - begin)
    return {case: statistics.median(found) for case, found in times.items()}


def show(title: str, results: dict[str, float], base: str) -> None:
    print(f"  {title}")
    for case, seconds in results.items():
        print(f"    {case:<22} {seconds * 1000:8.0f} ms   {seconds / results[base]:5.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--incidents", nargs="+", default=list(INCIDENTS))
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    os.environ.setdefault("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    sys.path.insert(0, str(REPO))
    from replay_viewer.render.boot import headless_adapter

    device = headless_adapter(None).request_device_sync()
    with tempfile.TemporaryDirectory() as folder:
        for name in args.incidents:
            print(f"{name} (medians of {args.repeats})")
            found = whole_processes(name, Path(folder), args.repeats, env)
            show("whole processes", found, "--at (1280×720)")
            found = in_process(name, Path(folder), args.repeats, device)
            show("in one process (after the device)", found, "frame (1280×720)")


if __name__ == "__main__":
    main()
