"""Render targets (the chart texture and its multisampled twin) and reading them back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import wgpu

__all__ = ["RenderTargets", "read_pixels"]


@dataclass
class RenderTargets:
    """The colour texture a frame ends in (sampled by the window, copied by exports) and,
    with MSAA, the multisampled texture it is resolved from."""

    width: int
    height: int
    sample_count: int
    color: wgpu.GPUTexture
    color_view: wgpu.GPUTextureView
    msaa: wgpu.GPUTexture | None = None
    msaa_view: wgpu.GPUTextureView | None = None

    @classmethod
    def create(
        cls, device: wgpu.GPUDevice, width: int, height: int, sample_count: int, fmt: str
    ) -> RenderTargets:
        import wgpu

        size = (width, height, 1)
        usage = wgpu.TextureUsage
        color = device.create_texture(
            label="chart frame",
            size=size,
            format=fmt,
            usage=usage.RENDER_ATTACHMENT | usage.COPY_SRC | usage.TEXTURE_BINDING,
        )
        targets = cls(width, height, sample_count, color, color.create_view())
        if sample_count > 1:
            targets.msaa = device.create_texture(
                label="chart frame msaa",
                size=size,
                format=fmt,
                sample_count=sample_count,
                usage=usage.RENDER_ATTACHMENT,
            )
            targets.msaa_view = targets.msaa.create_view()
        return targets

    def fits(self, width: int, height: int, sample_count: int) -> bool:
        return (self.width, self.height, self.sample_count) == (width, height, sample_count)

    def destroy(self) -> None:
        self.color.destroy()
        if self.msaa is not None:
            self.msaa.destroy()

    def scene_attachment(self) -> dict:
        """The scene pass's colour attachment: into the MSAA texture resolved to the colour
        texture, or straight into the colour texture."""
        import wgpu

        if self.msaa_view is not None:
            return {
                "view": self.msaa_view,
                "resolve_target": self.color_view,
                "store_op": wgpu.StoreOp.discard,
            }
        return {"view": self.color_view, "store_op": wgpu.StoreOp.store}


def read_pixels(device: wgpu.GPUDevice, texture: wgpu.GPUTexture) -> np.ndarray:
    """A texture's pixels as an H×W×4 uint8 RGBA array (BGRA textures are swizzled)."""
    width, height = texture.size[0], texture.size[1]
    data = device.queue.read_texture(
        {"texture": texture, "mip_level": 0, "origin": (0, 0, 0)},
        {"offset": 0, "bytes_per_row": width * 4},
        (width, height, 1),
    )
    pixels = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 4)
    if texture.format.startswith("bgra"):
        return pixels[..., [2, 1, 0, 3]]
    return pixels.copy()
