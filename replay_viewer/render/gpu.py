"""WebGPU adapter and device selection.

One adapter per process is plenty for this app; the choice honours ``--backend`` and two
environment overrides (pygfx-style): ``REPLAY_VIEWER_BACKEND`` (vulkan, metal, d3d12,
opengl) and ``REPLAY_VIEWER_ADAPTER`` (a substring of the adapter's name, e.g. ``llvmpipe``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import wgpu

__all__ = ["BACKEND_TYPES", "NoAdapterError", "adapter_summary", "request_adapter"]

BACKEND_TYPES = {"vulkan": "Vulkan", "metal": "Metal", "d3d12": "D3D12", "opengl": "OpenGL"}
_TYPE_RANK = {"DiscreteGPU": 0, "IntegratedGPU": 1, "VirtualGPU": 2, "CPU": 3}


class NoAdapterError(RuntimeError):
    """No WebGPU adapter matches; the message says what was tried and what to install."""


def _install_hint() -> str:
    if sys.platform.startswith("linux"):
        return (
            "On Linux without a GPU install Mesa's software drivers: "
            "apt-get install mesa-vulkan-drivers libvulkan1 libgl1-mesa-dri libegl1"
        )
    if sys.platform == "darwin":
        return "macOS needs Metal (macOS 10.13 or newer)."
    return "Update the graphics driver (Vulkan or Direct3D 12)."


def adapter_summary(adapter: wgpu.GPUAdapter) -> str:
    info = adapter.info
    return f"{info['device']} ({info['adapter_type']}) via {info['backend_type']}"


def request_adapter(backend: str | None = None, *, canvas: object | None = None) -> wgpu.GPUAdapter:
    """The best adapter for ``backend`` (or any backend), high-performance first.

    Raises
    ------
    NoAdapterError
        When no adapter is available (or none matches the requested backend/name).
    """
    import wgpu

    backend = (backend or os.environ.get("REPLAY_VIEWER_BACKEND") or "").strip().lower()
    name_filter = os.environ.get("REPLAY_VIEWER_ADAPTER", "").strip().lower()
    if backend and backend not in BACKEND_TYPES:
        raise NoAdapterError(
            f"unknown backend {backend!r} (from --backend or REPLAY_VIEWER_BACKEND); "
            f"use one of {', '.join(BACKEND_TYPES)}"
        )
    if not backend and not name_filter:
        # wgpu's own high-performance choice (surface-compatible when given a canvas).
        try:
            return wgpu.gpu.request_adapter_sync(power_preference="high-performance", canvas=canvas)
        except Exception:
            pass  # fall through: list what there is, for a useful error
    try:
        adapters = wgpu.gpu.enumerate_adapters_sync()
    except Exception as exc:  # the native library failed to start at all
        raise NoAdapterError(f"WebGPU is unavailable ({exc}). {_install_hint()}") from None

    found = ", ".join(adapter_summary(a) for a in adapters) or "none"
    candidates = [
        a
        for a in adapters
        if (not backend or a.info["backend_type"].lower() == backend)
        and (not name_filter or name_filter in a.info["device"].lower())
    ]
    if not candidates:
        wanted = " and ".join(
            part
            for part in (
                f"backend {BACKEND_TYPES[backend]}" if backend else "",
                f"a name containing {name_filter!r}" if name_filter else "",
            )
            if part
        )
        tried = BACKEND_TYPES[backend] if backend else ", ".join(BACKEND_TYPES.values())
        raise NoAdapterError(
            f"no WebGPU adapter{' with ' + wanted if wanted else ''} (tried {tried}; "
            f"found: {found}). {_install_hint()}"
        )
    # Stable sort keeps wgpu's backend order (Vulkan, Metal, D3D12, OpenGL) within a rank.
    candidates.sort(key=lambda a: _TYPE_RANK.get(a.info["adapter_type"], 4))
    return candidates[0]
