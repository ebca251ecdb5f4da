"""Soak test: thousands of frames on every adapter, memory must stay flat.

Guards against native leaks that the Python heap never sees, like Mesa 22.3.6 lavapipe
compiling (and never freeing) a specialised fragment shader per draw for shaders with
uniform-only branches (docs/reliability.md). Each adapter runs in its own subprocess
(tests/soak_render.py), so one adapter's driver state cannot pollute another's RSS.
Takes ~1 minute on two CPU cores with Mesa's software adapters.
"""

from __future__ import annotations

import pytest

from tests.soak_render import growth_after, run_subprocess

pytestmark = [pytest.mark.gpu, pytest.mark.soak]

FRAMES = 2000
SWITCH_EVERY = 200  # rotate the three incidents
WARMUP = 600  # every incident loaded once, pipelines and allocator pools settled
MAX_GROWTH_MB = 20.0


def _adapters() -> list[tuple[str, str]]:
    """(backend, device name) of every adapter wgpu can see on this machine."""
    import wgpu

    found = []
    for adapter in wgpu.gpu.enumerate_adapters_sync():
        key = (adapter.info["backend_type"].lower(), adapter.info["device"])
        if key not in found:
            found.append(key)
    return found


def test_memory_and_gpu_objects_stay_flat_on_every_adapter(gpu_adapter):
    adapters = _adapters()
    assert adapters, "wgpu lists no adapter although one was requested"
    failures = []
    for backend, device in adapters:
        result = run_subprocess(
            backend,
            adapter_name=device.lower(),
            frames=FRAMES,
            switch_every=SWITCH_EVERY,
            warmup=WARMUP,
            # A leaking build stops early instead of growing by gigabytes.
            abort_growth_mb=MAX_GROWTH_MB * 10,
        )
        assert result["adapter"].startswith(device), result["adapter"]
        growth = growth_after(result, WARMUP)
        label = (
            f"{result['adapter']}: {result['frames_rendered']} frames in "
            f"{result['render_seconds']:.1f} s, RSS +{growth['growth_mb']:.1f} MB after "
            f"frame {WARMUP} ({growth['kib_per_frame']:.1f} KiB/frame)"
        )
        print(label)
        if growth["growth_mb"] >= MAX_GROWTH_MB or result["aborted_at"] is not None:
            failures.append(f"{label}: RSS grows (limit {MAX_GROWTH_MB} MB)")
            continue
        assert result["frames_rendered"] == FRAMES
        # The frames show something (not a cleared target): the chart's dark background
        # plus lines and text has a mean well above black.
        assert result["last_frame_mean"] > 5.0, label
        # Scrubbing and switching incidents must not accumulate buffers, textures or bind
        # groups: every sample of the same incident shows the same live-object counts.
        for incident in {s["incident"] for s in result["samples"]}:
            counts = {
                tuple(sorted(s["objects"].items()))
                for s in result["samples"]
                if s["incident"] == incident
            }
            if len(counts) != 1:
                failures.append(f"{label}: live GPU objects vary for incident {incident}: {counts}")
        incidents_seen = {s["incident"] for s in result["samples"]}
        assert incidents_seen == {0, 1, 2}, f"{label}: incidents sampled {incidents_seen}"
    assert not failures, "\n".join(failures)
