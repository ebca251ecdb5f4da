"""The data layer drawn once per layout, composited into each 1× frame.

Every series' envelope and line cost a frame in proportion to the series drawn: on a
software adapter, 200 dense series took 15× the frame of 8. Yet between two frames of one
layout only the playhead moves, and it changes the data layer in one way per pixel: left of
the playhead a series is drawn in its colour, right of it ghosted (or hidden). So, like the
grid (:mod:`.grid_cache`), the layer is drawn twice per layout on a transparent background —
once all past, once all future — and each frame composites it over the grid with one quad
over the chart (``layer.wgsl``), each pixel from the past or the future by the series
shaders' own test. The per-frame cost no longer depends on how many series there are; the
highlighted members, heads and markers are drawn over it per frame as before.

The two draws cost two direct frames, so the layer is built only once a layout has drawn a
frame directly (a single ``export --at`` never builds it), and only for a data layer worth
it (``WORTH_CACHING`` drawn records: a few small series draw faster than the composite).
Textures hold premultiplied colour ("over" blending from transparent), so compositing gives
the same pixels as drawing onto the grid, up to 8-bit rounding of the intermediate
(tests/test_layer_cache.py).
Multisampled frames draw the series directly, as they draw the whole grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .uniforms import FRAME_DTYPE

if TYPE_CHECKING:
    from collections.abc import Callable

    import wgpu

    from .pipelines import DeviceCache

__all__ = ["WORTH_CACHING", "LayerCache"]

_FAR = 1.0e30  # a playhead time before (future) or after (past) everything
# Compositing costs a chart-sized textured quad (~8–12 ms at 1280×720 on llvmpipe): below
# about this many drawn records (points + envelope columns) drawing the series directly is
# cheaper (the bundled incident's 362 points: 20 ms direct, 28 ms composited; 62 days'
# 2,308 records: 33 ms direct, 23 ms composited; docs/performance.md).
WORTH_CACHING = 2_000


class LayerCache:
    """Two textures of the data layer (past, future) for one layout and ghost strength."""

    def __init__(self, device: wgpu.GPUDevice, cache: DeviceCache, layout_buffer) -> None:
        import wgpu

        self.device = device
        self.cache = cache
        self.textures: dict[str, wgpu.GPUTexture] = {}
        self.bind_group: wgpu.GPUBindGroup | None = None
        self._key: tuple | None = None
        self.valid = False
        self.builds = 0
        self._frames: dict[str, wgpu.GPUBuffer] = {}
        self._globals = {}
        usage = wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST
        for name in ("past", "future"):
            self._frames[name] = device.create_buffer(
                label=f"layer {name} frame", size=FRAME_DTYPE.itemsize, usage=usage
            )
            self._globals[name] = device.create_bind_group(
                layout=cache.bind_group_layout("globals"),
                entries=[
                    {"binding": 0, "resource": {"buffer": layout_buffer}},
                    {"binding": 1, "resource": {"buffer": self._frames[name]}},
                ],
            )

    def invalidate(self) -> None:
        """The layout or the series' data changed: draw the layer again when next asked."""
        self.valid = False

    def ready(self, width: int, height: int, fmt: str, ghost_alpha: float) -> bool:
        return self.valid and self._key == (width, height, fmt, ghost_alpha)

    def build(
        self,
        encoder: wgpu.GPUCommandEncoder,
        size: tuple[int, int, str],
        ghost_alpha: float,
        draw_series: Callable[[wgpu.GPURenderPassEncoder], None],
    ) -> None:
        """Draw the layer as past and as future (``draw_series`` records the series' draws
        into a pass whose bind group 0 is set)."""
        import wgpu

        width, height, fmt = size
        if self._key is None or self._key[:3] != size:
            for texture in self.textures.values():
                texture.destroy()
            usage = wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.TEXTURE_BINDING
            self.textures = {
                name: self.device.create_texture(
                    label=f"layer {name}", size=(width, height, 1), format=fmt, usage=usage
                )
                for name in ("past", "future")
            }
            self.bind_group = self.device.create_bind_group(
                layout=self.cache.bind_group_layout("layer"),
                entries=[
                    {"binding": 0, "resource": self.textures["past"].create_view()},
                    {"binding": 1, "resource": self.textures["future"].create_view()},
                ],
            )
        for name, time in (("past", _FAR), ("future", -_FAR)):
            data = np.zeros((), dtype=FRAME_DTYPE)
            data["time"], data["ghost_alpha"] = time, ghost_alpha
            data["hover_x"], data["spot_center"] = -1.0, (-_FAR, -_FAR)
            self.device.queue.write_buffer(self._frames[name], 0, data.tobytes())
            layer = encoder.begin_render_pass(
                label=f"layer {name}",
                color_attachments=[
                    {
                        "view": self.textures[name].create_view(),
                        "clear_value": (0, 0, 0, 0),
                        "load_op": "clear",
                        "store_op": "store",
                    }
                ],
            )
            layer.set_bind_group(0, self._globals[name])
            draw_series(layer)
            layer.end()
        self._key, self.valid = (width, height, fmt, ghost_alpha), True
        self.builds += 1

    def destroy(self) -> None:
        for texture in self.textures.values():
            texture.destroy()
        for buffer in self._frames.values():
            buffer.destroy()
        self.textures, self._frames, self.bind_group, self._key = {}, {}, None, None
