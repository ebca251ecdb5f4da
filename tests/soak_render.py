"""Soak run: render many frames offscreen on one WebGPU adapter and report memory as JSON.

Run from the repository root, one adapter per process (so one adapter's native state does
not pollute the other's RSS reading)::

    python -m tests.soak_render --backend vulkan --frames 2000

Scrubs back and forth through the incident (varying ghosting, hover and a highlighted group
member, which change only uniforms, the heads and the per-frame highlight draws), switches
between three incidents (the two bundled ones and a 40-pod group, tests/fleet_data.py)
every ``--switch-every`` frames, and samples the
process RSS and wgpu-py's live-object counts every ``--sample-every`` frames. Prints one
JSON object on stdout; ``tests/test_soak.py`` asserts on it and
``tests/benchmarks/bench_soak.py`` prints it as a table. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
INCIDENTS = (REPO / "incidents" / "cache-stampede.yaml", REPO / "incidents" / "checkout-flag.yaml")
# Live wgpu-py objects that must not pile up while scrubbing (Python-side wrappers of GPU
# resources; per-frame encoders and passes are transient and left out on purpose).
TRACKED = ("Buffer", "Texture", "TextureView", "BindGroup", "Sampler", "RenderPipeline")


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def live_objects() -> dict[str, int]:
    import wgpu

    # Collect first: a wrapper that is garbage but not yet collected is not a leak.
    gc.collect()
    counts = wgpu.diagnostics.object_counts.get_dict()
    return {name: counts.get(name, {}).get("count", 0) for name in TRACKED}


def scrub_time(incident, frame: int) -> float:
    # Golden-ratio steps jump back and forth over the whole incident, like a user scrubbing.
    fraction = (frame * 0.6180339887) % 1.0
    return incident.start + fraction * (incident.end - incident.start)


def options_for(frame: int, width: int, height: int):
    from replay_viewer.render.renderer import RenderOptions

    # Ghosting off now and then (the ghost_alpha <= 0 path), hover on every third frame.
    hover = (width * 0.5, height * 0.5) if frame % 3 == 0 else None
    highlight = frozenset({"pod-7"}) if frame % 5 == 0 else frozenset()
    return RenderOptions(quality="high", ghost=frame % 7 != 0, hover=hover, highlight=highlight)


def soak(
    backend: str,
    frames: int,
    width: int,
    height: int,
    switch_every: int,
    sample_every: int,
    warmup: int,
    abort_growth_mb: float,
) -> dict:
    """Render ``frames`` frames; stop early once RSS has grown more than ``abort_growth_mb``
    past the warm-up sample (0: never), so a leaking build fails fast instead of eating
    gigabytes."""
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import Boot
    from replay_viewer.render.renderer import RenderOptions
    from tests.fleet_data import fleet_incident

    incidents = [load_incident(path) for path in INCIDENTS] + [fleet_incident()]
    boot = Boot(
        incidents[0],
        width,
        height,
        1.0,
        backend=backend,
        frame_options=RenderOptions(quality="high"),
    )
    renderer = boot.run()
    adapter = boot.adapter.info
    samples = [{"frame": 0, "incident": 0, "rss_kib": rss_kib(), "objects": live_objects()}]
    current = 0
    warm_rss = None
    aborted_at = None
    begin = time.perf_counter()
    for frame in range(1, frames + 1):
        wanted = ((frame - 1) // switch_every) % len(incidents)
        if wanted != current:
            current = wanted
            renderer.set_incident(incidents[current])
            renderer.resize(width, height, 1.0)
        incident = incidents[current]
        # render() reads the frame back, which also waits for the GPU: RSS is then settled.
        pixels = renderer.render(scrub_time(incident, frame), options_for(frame, width, height))
        if frame % sample_every == 0:
            samples.append(
                {
                    "frame": frame,
                    "incident": current,
                    "rss_kib": rss_kib(),
                    "objects": live_objects(),
                }
            )
            rss = samples[-1]["rss_kib"]
            if warm_rss is None and frame >= warmup:
                warm_rss = rss
            grown_mb = (rss - warm_rss) / 1024 if warm_rss is not None else 0.0
            if abort_growth_mb and grown_mb > abort_growth_mb:
                aborted_at = frame
                break
    seconds = time.perf_counter() - begin
    return {
        "backend": backend,
        "adapter": f"{adapter['device']} via {adapter['backend_type']} ({adapter['description']})",
        "adapter_type": adapter["adapter_type"],
        "size": [width, height],
        "frames": frames,
        "frames_rendered": frame,
        "aborted_at": aborted_at,
        "warmup": warmup,
        "switch_every": switch_every,
        "last_frame_mean": float(np.mean(pixels[..., :3])),
        "render_seconds": seconds,
        "samples": samples,
    }


def growth_after(result: dict, warmup: int) -> dict:
    """RSS growth from the first sample at or after ``warmup`` to the last, and its slope."""
    after = [s for s in result["samples"] if s["frame"] >= warmup]
    if len(after) < 2:
        raise ValueError(f"fewer than two samples after frame {warmup}")
    frames = np.array([s["frame"] for s in after], dtype=float)
    rss = np.array([s["rss_kib"] for s in after], dtype=float)
    return {
        "growth_mb": (rss[-1] - rss[0]) / 1024,
        "kib_per_frame": float(np.polyfit(frames, rss, 1)[0]),
        "end_mb": rss[-1] / 1024,
    }


def run_subprocess(
    backend: str, *, adapter_name: str = "", timeout: float = 300, **settings
) -> dict:
    """Run :func:`soak` in a fresh interpreter (one adapter per process) and parse its JSON.
    ``adapter_name`` picks one adapter of the backend by name (REPLAY_VIEWER_ADAPTER)."""
    import subprocess

    args = [sys.executable, "-m", "tests.soak_render", "--backend", backend]
    for name, value in settings.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    env = dict(os.environ)
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    env.pop("REPLAY_VIEWER_BACKEND", None)
    env["REPLAY_VIEWER_ADAPTER"] = adapter_name
    done = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"soak on {backend} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", required=True, choices=["vulkan", "opengl", "metal", "d3d12"])
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--width", type=int, default=480)
    parser.add_argument("--height", type=int, default=270)
    parser.add_argument("--switch-every", type=int, default=500)
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=600)
    parser.add_argument("--abort-growth-mb", type=float, default=0.0)
    args = parser.parse_args()
    result = soak(
        args.backend,
        args.frames,
        args.width,
        args.height,
        args.switch_every,
        args.sample_every,
        args.warmup,
        args.abort_growth_mb,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
