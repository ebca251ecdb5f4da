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

from ..errors import UsageError

__all__ = [
    "BACKEND_TYPES",
    "NoAdapterError",
    "UnknownBackendError",
    "adapter_summary",
    "check_backend",
    "request_adapter",
]

BACKEND_TYPES = {"vulkan": "Vulkan", "metal": "Metal", "d3d12": "D3D12", "opengl": "OpenGL"}
_TYPE_RANK = {"DiscreteGPU": 0, "IntegratedGPU": 1, "VirtualGPU": 2, "CPU": 3}


class NoAdapterError(RuntimeError):
    """No WebGPU adapter matches; the message says what was tried and what to install."""


class UnknownBackendError(UsageError):
    """``--backend`` or ``REPLAY_VIEWER_BACKEND`` names no backend: a usage error (exit 2),
    not a missing GPU."""


def check_backend(backend: str | None = None) -> str:
    """The backend to use ("" for any): ``backend``, else ``REPLAY_VIEWER_BACKEND``.

    Raises
    ------
    UnknownBackendError
        When it is not one of :data:`BACKEND_TYPES`.
    """
    name = (backend or os.environ.get("REPLAY_VIEWER_BACKEND") or "").strip().lower()
    if name and name not in BACKEND_TYPES:
        source = "--backend" if backend else "REPLAY_VIEWER_BACKEND"
        raise UnknownBackendError(
            f"unknown backend {name!r} (from {source}); use one of {', '.join(BACKEND_TYPES)}"
        )
    return name


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

    backend = check_backend(backend)
    name_filter = os.environ.get("REPLAY_VIEWER_ADAPTER", "").strip().lower()
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
        # Installing drivers helps only when there is no adapter at all; when a backend or
        # name filter ruled out the adapters there are, say how to use those instead.
        advice = (
            _install_hint()
            if not adapters
            else "Use one of the adapters found (change --backend, REPLAY_VIEWER_BACKEND or "
            "REPLAY_VIEWER_ADAPTER)."
        )
        raise NoAdapterError(
            f"no WebGPU adapter{' with ' + wanted if wanted else ''} (tried {tried}; "
            f"found: {found}). {advice}"
        )
    # Stable sort keeps wgpu's backend order (Vulkan, Metal, D3D12, OpenGL) within a rank.
    candidates.sort(key=lambda a: _TYPE_RANK.get(a.info["adapter_type"], 4))
    return candidates[0]
