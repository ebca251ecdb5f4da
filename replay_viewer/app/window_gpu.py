"""The window's side of the GPU: the surface, ImGui's renderer, and recovering from a lost
device or surface without losing the user's place.

A lost device (a driver reset, a GPU removed, or :meth:`WindowGpu.lose_device` in the
tests) shows up as a ``GPUError`` saying the device is lost; the window then asks for a new
device (from the same adapter, else any), reconfigures the surface, gives ImGui a backend on
the new device (re-uploading its font atlas) and rebuilds the chart renderer. A surface
that is lost or no longer configured is reconfigured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..render.gpu import request_adapter
from ..render.imgui_backend import ImguiBackend

if TYPE_CHECKING:
    import wgpu

__all__ = ["WindowGpu", "is_device_lost"]


def is_device_lost(exc: BaseException) -> bool:
    import wgpu

    return isinstance(exc, wgpu.GPUError) and "device is lost" in str(exc).lower()


class WindowGpu:
    def __init__(self, canvas, adapter: wgpu.GPUAdapter, device: wgpu.GPUDevice) -> None:
        from wgpu.utils.imgui import ImguiRenderer

        self.canvas = canvas
        self.adapter = adapter
        self.device = device
        self.context = canvas.get_wgpu_context()
        # A non-sRGB surface shows the chart texture's bytes exactly as the PNG export has them.
        self.format = self.context.get_preferred_format(adapter).removesuffix("-srgb")
        self.context.configure(device=device, format=self.format)
        self.imgui = ImguiRenderer(device, canvas)
        self.imgui.backend.__class__ = ImguiBackend  # the atlas fixes, re-pointable textures
        self.recoveries = 0

    @property
    def backend(self) -> ImguiBackend:
        return self.imgui.backend

    def present(self) -> None:
        """Draw ImGui's frame (the chart image included) into the window's surface."""
        texture = self.context.get_current_texture()
        encoder = self.device.create_command_encoder(label="window")
        render_pass = encoder.begin_render_pass(
            color_attachments=[
                {
                    "view": texture.create_view(),
                    "clear_value": (0.024, 0.031, 0.047, 1.0),
                    "load_op": "clear",
                    "store_op": "store",
                }
            ]
        )
        self.backend.render(imgui.get_draw_data(), render_pass)
        render_pass.end()
        self.device.queue.submit([encoder.finish()])

    def reconfigure_surface(self) -> None:
        self.context.configure(device=self.device, format=self.format)

    def lose_device(self) -> None:
        """Destroy the device, as a driver reset would (the tests' fault seam)."""
        self.device.destroy()

    def recover_device(self, backend_name: str | None) -> wgpu.GPUDevice:
        """A new device, the surface and ImGui's backend moved onto it; returns it."""
        try:
            device = self.adapter.request_device_sync(label="replay-viewer")
        except Exception:  # the adapter went with the device: pick one again
            self.adapter = request_adapter(backend_name, canvas=self.canvas)
            device = self.adapter.request_device_sync(label="replay-viewer")
        self.device = device
        self.reconfigure_surface()
        imgui.set_current_context(self.imgui.imgui_context)
        self.imgui._backend = ImguiBackend(device, self.format)
        # ImGui's textures (the font atlas) lived on the old device: have them made anew.
        for texture in imgui.get_platform_io().textures:
            if texture.status != imgui.ImTextureStatus.destroyed:
                texture.set_tex_id(0)
                texture.set_status(imgui.ImTextureStatus.want_create)
        self.recoveries += 1
        return device

    def recover(self, exc: BaseException, backend_name: str | None) -> str | None:
        """After a fault in a frame: "device" when a new device took over (the caller
        rebuilds what lived on the old one), "surface" when the surface was configured
        again, None when ``exc`` is no GPU fault."""
        import wgpu

        if is_device_lost(exc):
            self.recover_device(backend_name)
            return "device"
        if isinstance(exc, wgpu.GPUError) or "must be configured" in str(exc):
            self.reconfigure_surface()  # a lost, outdated or unconfigured surface
            return "surface"
        return None

    def inject_fault(self, key: str) -> bool:
        """The tests' fault seam (REPLAY_VIEWER_TEST_FAULTS=1): F10 loses the device as a
        driver reset would, F11 drops the surface's configuration."""
        if key == "F10":
            self.lose_device()
        elif key == "F11":
            self.context.unconfigure()
        else:
            return False
        return True
