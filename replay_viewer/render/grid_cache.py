"""The grid drawn once per layout, copied into each 1× frame; only the spotlight is redrawn.

grid.wgsl computes every pixel of the frame (background, grid lines, spotlight, the past's
tint): on a software adapter that full-screen pass was 10 ms of a 1280×720 frame at 1×
(20.7 ms at 4× MSAA). Away from the spotlight its result depends on the layout alone, and
on one test per pixel: left of the playhead or not. So per layout this draws the grid twice
with the spotlight out of reach: once as the future, once as the past. A frame then starts
as a copy of the future, the past's columns copied over it (texture copies are memcpy's),
and the same grid shader redrawn only over the spotlight's box (grid.wgsl's ``vs_spot``, a
quad; a scissored full-screen triangle cost twice as much on lavapipe): every pixel gets
the value the full pass would give it.

Texture copies need equal sample counts, so multisampled frames keep the full pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .uniforms import FRAME_DTYPE

if TYPE_CHECKING:
    import wgpu

    from .pipelines import DeviceCache

__all__ = ["GridCache", "past_columns"]

# A playhead / spotlight centre this far away lights nothing and tints nothing (or all).
_FAR = 1.0e9


def past_columns(playhead_x: float, width: int) -> int:
    """How many pixel columns grid.wgsl tints as the past: those whose centre x + 0.5
    satisfies ``p.x <= playhead_x`` in f32, as the shader compares."""
    centres = np.arange(width, dtype=np.float32) + np.float32(0.5)
    return int(np.count_nonzero(centres <= np.float32(playhead_x)))


class GridCache:
    """Two textures of the unlit grid (future, past) for one layout, and the per-frame
    copy + spotlight redraw that rebuilds the full grid pass from them."""

    def __init__(self, device: wgpu.GPUDevice, cache: DeviceCache, layout_buffer) -> None:
        import wgpu

        self.device = device
        self.cache = cache
        self.textures: dict[str, wgpu.GPUTexture] = {}
        self._size: tuple[int, int, str] | None = None
        self.valid = False
        self.builds = 0
        usage = wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST
        self._groups = {}
        for name, playhead in (("future", -_FAR), ("past", _FAR)):
            data = np.zeros((), dtype=FRAME_DTYPE)
            data["playhead_x"] = playhead
            data["spot_center"] = (-_FAR, -_FAR)
            buffer = device.create_buffer(
                label=f"grid cache {name}", size=FRAME_DTYPE.itemsize, usage=usage
            )
            device.queue.write_buffer(buffer, 0, data.tobytes())
            self._groups[name] = device.create_bind_group(
                layout=cache.bind_group_layout("globals"),
                entries=[
                    {"binding": 0, "resource": {"buffer": layout_buffer}},
                    {"binding": 1, "resource": {"buffer": buffer}},
                ],
            )

    def invalidate(self) -> None:
        """The layout uniform changed: redraw the cached grid before the next frame."""
        self.valid = False

    def _ensure(self, encoder: wgpu.GPUCommandEncoder, width: int, height: int, fmt: str):
        import wgpu

        if self._size != (width, height, fmt):
            for texture in self.textures.values():
                texture.destroy()
            usage = wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC
            self.textures = {
                name: self.device.create_texture(
                    label=f"grid {name}", size=(width, height, 1), format=fmt, usage=usage
                )
                for name in self._groups
            }
            self._size, self.valid = (width, height, fmt), False
        if self.valid:
            return
        pipeline = self.cache.pipeline("grid", 1, fmt)
        for name, texture in self.textures.items():
            grid = encoder.begin_render_pass(
                label=f"grid cache {name}",
                color_attachments=[
                    {
                        "view": texture.create_view(),
                        "clear_value": (0, 0, 0, 1),
                        "load_op": "clear",
                        "store_op": "store",
                    }
                ],
            )
            grid.set_bind_group(0, self._groups[name])
            grid.set_pipeline(pipeline)
            grid.draw(3)
            grid.end()
        self.valid = True
        self.builds += 1

    def copy_into(
        self, encoder: wgpu.GPUCommandEncoder, target: wgpu.GPUTexture, playhead_x: float
    ) -> None:
        """Fill ``target`` (1×) with the unlit grid: the future, and the past's columns."""
        width, height = target.size[0], target.size[1]
        self._ensure(encoder, width, height, target.format)
        origin = {"mip_level": 0, "origin": (0, 0, 0)}
        encoder.copy_texture_to_texture(
            {"texture": self.textures["future"], **origin},
            {"texture": target, **origin},
            (width, height, 1),
        )
        columns = past_columns(playhead_x, width)
        if columns:
            encoder.copy_texture_to_texture(
                {"texture": self.textures["past"], **origin},
                {"texture": target, **origin},
                (columns, height, 1),
            )

    def destroy(self) -> None:
        for texture in self.textures.values():
            texture.destroy()
        self.textures, self._size = {}, None
