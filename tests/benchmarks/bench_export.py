"""Benchmark: export speed against matplotlib, the encode floor, GIF/MP4, boot, scrubbing.

Run: python tests/benchmarks/bench_export.py [--before /path/to/older/checkout] [--quick]
Not collected by pytest. Steady state per frame = (t(90 frames) − t(10 frames)) / 80, whole
processes, so boot cancels out. matplotlib is only for this comparison (pip install
matplotlib); without it that row is skipped. Prints a Markdown table (quote medians and
ratios: the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
BUNDLED = REPO / "incidents" / "cache-stampede.yaml"

MATPLOTLIB_SCRIPT = textwrap.dedent(
    """
    import sys, yaml, numpy as np, matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from replay_viewer.loader import load_incident
    incident = load_incident(Path(sys.argv[1]))
    out = Path(sys.argv[2]); frames = int(sys.argv[4])
    a, b = incident.series[0], incident.series[1]
    fig, ax = plt.subplots(figsize=(12.8, 7.2), dpi=100)
    ax2 = ax.twinx()
    ax.plot(a.times, a.values, color=a.color_hex); ax2.plot(b.times, b.values, color=b.color_hex)
    line = ax.axvline(incident.start, color="white")
    title = ax.set_title("")
    for n, t in enumerate(np.linspace(incident.start, incident.end, frames)):
        line.set_xdata([t, t]); title.set_text(f"{incident.title} at {t:.0f} s")
        fig.savefig(out / f"frame_{n:05d}.png")
    """
)

BARE_WGPU = textwrap.dedent(
    """
    import wgpu, numpy as np
    adapter = wgpu.gpu.request_adapter_sync(power_preference="high-performance")
    device = adapter.request_device_sync()
    shader = device.create_shader_module(code='''
    @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
        let uv = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
        return vec4<f32>(uv * 2.0 - 1.0, 0.0, 1.0);
    }
    @fragment fn fs() -> @location(0) vec4<f32> { return vec4<f32>(0.1, 0.2, 0.3, 1.0); }
    ''')
    pipeline = device.create_render_pipeline(layout="auto",
        vertex={"module": shader, "entry_point": "vs"},
        fragment={"module": shader, "entry_point": "fs",
                  "targets": [{"format": "rgba8unorm"}]},
        primitive={"topology": "triangle-list"})
    texture = device.create_texture(size=(1280, 720, 1), format="rgba8unorm",
        usage=wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC)
    encoder = device.create_command_encoder()
    rp = encoder.begin_render_pass(color_attachments=[{"view": texture.create_view(),
        "load_op": "clear", "store_op": "store", "clear_value": (0, 0, 0, 1)}])
    rp.set_pipeline(pipeline); rp.draw(3); rp.end()
    device.queue.submit([encoder.finish()])
    data = device.queue.read_texture({"texture": texture}, {"bytes_per_row": 5120},
                                     (1280, 720, 1))
    assert np.frombuffer(data, np.uint8).size == 1280 * 720 * 4
    """
)


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall and CPU (user + system of the child) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    # cwd: the checkout PYTHONPATH names (``-m`` puts the working folder first on sys.path).
    cwd = (env or {}).get("PYTHONPATH", str(REPO))
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=cwd)
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def env_for(checkout: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(checkout)}


def steady(make_command, env, repeats: int) -> tuple[float, float, float]:
    """Median steady-state ms/frame (wall, CPU) and mean KiB of a frame (from the 90)."""
    walls, cpus, size = [], [], 0.0
    for _ in range(repeats):
        results = {}
        for frames in (10, 90):
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "out"
                out.mkdir()
                results[frames] = timed(make_command(out, frames), env)
                pngs = list(out.glob("*.png"))
                size = sum(p.stat().st_size for p in pngs) / max(1, len(pngs)) / 1024
        walls.append((results[90][0] - results[10][0]) / 80 * 1000)
        cpus.append((results[90][1] - results[10][1]) / 80 * 1000)
    return statistics.median(walls), statistics.median(cpus), size


def viewer_command(out: Path, frames: int) -> list[str]:
    return [sys.executable, "-m", "replay_viewer", "export", str(BUNDLED), "--frames",
            str(frames), "-o", str(out), "--overwrite"]  # fmt: skip


def matplotlib_command(out: Path, frames: int) -> list[str]:
    return [sys.executable, "-c", MATPLOTLIB_SCRIPT, str(BUNDLED), str(out), str(REPO),
            str(frames)]  # fmt: skip


def encode_floor(frames: int = 20) -> dict[str, tuple[float, float]]:
    """ms/frame and KiB of encoding alone (no render, no file), on rendered frames."""
    import io

    import numpy as np
    from PIL import Image

    from replay_viewer.export import encode_png
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import Boot
    from replay_viewer.render.renderer import RenderOptions

    incident = load_incident(BUNDLED)
    boot = Boot(incident, 1280, 720, 1.0, frame_options=RenderOptions(quality="standard"))
    boot.run()
    times = np.linspace(incident.start, incident.end, frames)
    pixels = [boot.renderer.render(float(t), RenderOptions(quality="standard")) for t in times]

    def pillow(p):
        out = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(p[..., :3])).save(out, format="PNG")
        return out.getvalue()

    rows = {}
    for name, encode in (
        ("PNG fast (ISA-L 2, filter 0)", lambda p: encode_png(p, preset="fast")),
        ("PNG small (zlib 9, filter 0)", lambda p: encode_png(p, preset="small")),
        ("Pillow default (zlib 6, adaptive), before", pillow),
    ):
        spent, sizes = [], []
        for p in pixels:
            begin = time.perf_counter()
            sizes.append(len(encode(p)))
            spent.append(time.perf_counter() - begin)
        rows[name] = (statistics.median(spent) * 1000, statistics.mean(sizes) / 1024)
    return rows


SCRUB_SCRIPT = textwrap.dedent(
    """
    import statistics, sys, time
    import numpy as np
    from pathlib import Path
    from replay_viewer.loader import load_incident
    from replay_viewer.render.boot import Boot
    from replay_viewer.render.renderer import RenderOptions
    incident = load_incident(Path(sys.argv[1]))
    boot = Boot(incident, 1440, 900, 1.0)
    boot.run()
    renderer = boot.renderer
    if hasattr(renderer, "use_grid_cache"):
        renderer.use_grid_cache = sys.argv[2] == "1"
    options = RenderOptions(quality=boot.quality)
    renderer.render_texture(0.0, options)
    spent = []
    for t in np.linspace(incident.start, incident.end, 40):
        begin = time.perf_counter()
        renderer.render_texture(float(t), options)
        renderer.wait()
        spent.append(time.perf_counter() - begin)
    print(statistics.median(spent) * 1000, boot.quality)
    """
)


def scrub_ms(env: dict, cached: bool) -> tuple[float, str]:
    """Render-only ms/frame at 1440×900 at the quality the calibration picks (a checkout
    without the grid cache ignores ``cached``)."""
    result = subprocess.run(
        [sys.executable, "-c", SCRUB_SCRIPT, str(BUNDLED), "1" if cached else "0"],
        check=True, capture_output=True, text=True, env=env, cwd=env["PYTHONPATH"],
    )  # fmt: skip
    ms, quality = result.stdout.split()
    return float(ms), quality


def animation_rows(env: dict) -> dict[str, float]:
    """Whole-incident 10 s at 30 fps (300 frames, 1280×720): PNG sequence, MP4, GIF."""
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = [sys.executable, "-m", "replay_viewer", "export", str(BUNDLED)]
        rows["PNG sequence, 300 frames"] = timed(
            [*base, "--frames", "300", "-o", f"{tmp}/seq"], env
        )[0]
        rows["MP4 10 s × 30 fps (300 frames)"] = timed(
            [*base, "--mp4", f"{tmp}/a.mp4", "--fps", "30", "--duration", "10s"], env
        )[0]
        rows["GIF 10 s × 15 fps (150 frames)"] = timed(
            [*base, "--gif", f"{tmp}/a.gif", "--fps", "15", "--duration", "10s"], env
        )[0]
        rows["MP4 size MiB"] = Path(f"{tmp}/a.mp4").stat().st_size / 2**20
        rows["GIF size MiB"] = Path(f"{tmp}/a.gif").stat().st_size / 2**20
    return rows


def single_frame(env: dict, repeats: int) -> tuple[float, float]:
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(repeats):
            ours.append(timed([sys.executable, "-m", "replay_viewer", "export", str(BUNDLED),
                               "--at", "T+08:00", "-o", f"{tmp}/{n}.png"], env)[0])  # fmt: skip
            bare.append(timed([sys.executable, "-c", BARE_WGPU], env)[0])
    return statistics.median(ours), statistics.median(bare)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="an older checkout to measure too")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="bench-runtime-"))
    env = env_for(REPO)
    print("| what | ms/frame (wall) | CPU ms/frame | KiB/frame |\n|---|---|---|---|")
    if args.before:
        wall, cpu, size = steady(viewer_command, env_for(args.before), args.repeats)
        row = f"| replay-viewer PNG, before ({args.before.name}) | {wall:.1f} | {cpu:.1f}"
        print(f"{row} | {size:.0f} |")
    wall, cpu, size = steady(viewer_command, env, args.repeats)
    print(f"| replay-viewer PNG, this checkout | {wall:.1f} | {cpu:.1f} | {size:.0f} |")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("| matplotlib Agg | skipped: pip install matplotlib to compare | | |")
    else:
        mwall, mcpu, msize = steady(matplotlib_command, env, args.repeats)
        print(f"| matplotlib Agg (2 traces, twin axes, playhead, title) | {mwall:.1f} | "
              f"{mcpu:.1f} | {msize:.0f} |")  # fmt: skip
        print(f"\nreplay-viewer / matplotlib: {wall / mwall:.2f} (target ≤ 0.33)")
    rows = encode_floor()
    print("\n| encode only, 1280×720, same frames | ms/frame | KiB |\n|---|---|---|")
    for name, (ms, kib) in rows.items():
        print(f"| {name} | {ms:.1f} | {kib:.0f} |")
    print("\n| scrub, render only, 1440×900 | quality | ms/frame |\n|---|---|---|")
    runs = [
        ("this checkout, full grid pass", env, False),
        ("this checkout, cached grid", env, True),
    ]
    if args.before:
        runs.insert(0, (f"before ({args.before.name})", env_for(args.before), False))
    for label, run_env, cached in runs:
        ms, quality = scrub_ms(run_env, cached)
        print(f"| {label} | {quality} | {ms:.1f} |")
    print("\n| whole process, 1280×720 | s |\n|---|---|")
    for name, seconds in animation_rows(env).items():
        print(f"| {name} | {seconds:.2f} |")
    ours, bare = single_frame(env, args.repeats)
    print(
        f"\nsingle export --at: {ours:.2f} s; bare wgpu script: {bare:.2f} s; "
        f"ratio {ours / bare:.2f} (target ≤ 1.5)"
    )


if __name__ == "__main__":
    main()
