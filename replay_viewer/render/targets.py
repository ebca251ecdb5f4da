"""Render targets (the chart texture and its multisampled twin) and reading them back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import wgpu

__all__ = ["Readback", "RenderTargets", "read_pixels"]


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
            # COPY_DST: a 1× frame starts as a copy of the cached grid (see grid_cache.py).
            usage=usage.RENDER_ATTACHMENT | usage.COPY_SRC | usage.COPY_DST | usage.TEXTURE_BINDING,
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


class Readback:
    """Reads a texture's pixels through one mappable buffer kept between frames.

    ``queue.read_texture`` allocates a new buffer per call (3.7 MB at 1280×720, ~1.8 ms on
    the software adapter) and copies twice; an export reads hundreds of frames of one size.
    :meth:`record` adds the copy to the frame's own command encoder (no extra submit),
    :meth:`pixels` maps the buffer and makes the one copy the caller keeps.
    """

    def __init__(self, device: wgpu.GPUDevice) -> None:
        self.device = device
        self._buffer: wgpu.GPUBuffer | None = None
        self._shape: tuple[int, int, int] = (0, 0, 0)  # height, width, bytes per padded row
        self._bgra = False

    def record(self, encoder: wgpu.GPUCommandEncoder, texture: wgpu.GPUTexture) -> None:
        """Copy ``texture`` into the readback buffer as part of ``encoder``'s work."""
        import wgpu

        width, height = texture.size[0], texture.size[1]
        stride = (width * 4 + 255) // 256 * 256  # rows of a texture copy are 256-byte aligned
        if self._buffer is None or self._shape != (height, width, stride):
            if self._buffer is not None:
                self._buffer.destroy()
            usage = wgpu.BufferUsage.COPY_DST | wgpu.BufferUsage.MAP_READ
            self._buffer = self.device.create_buffer(
                label="readback", size=stride * height, usage=usage
            )
            self._shape = (height, width, stride)
        self._bgra = texture.format.startswith("bgra")
        encoder.copy_texture_to_buffer(
            {"texture": texture, "mip_level": 0, "origin": (0, 0, 0)},
            {"buffer": self._buffer, "offset": 0, "bytes_per_row": stride},
            (width, height, 1),
        )

    def pixels(self) -> np.ndarray:
        """The recorded copy (after its submit) as a new H×W×4 uint8 RGBA array."""
        height, width, stride = self._shape
        self._buffer.map_sync("READ")
        try:
            mapped = np.frombuffer(self._buffer.read_mapped(copy=False), dtype=np.uint8)
            rows = mapped.reshape(height, stride)[:, : width * 4].reshape(height, width, 4)
            # The one copy: the mapped view dies with unmap().
            pixels = rows[..., [2, 1, 0, 3]] if self._bgra else rows.copy()
            del mapped, rows
        finally:
            self._buffer.unmap()
        return pixels

    def destroy(self) -> None:
        if self._buffer is not None:
            self._buffer.destroy()
            self._buffer = None
