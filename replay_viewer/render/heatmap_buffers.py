"""Every histogram's heatmap on the GPU, in one bind group (group 2 of ``heatmap.wgsl``).

Per layout (load, resize, zoom, theme): a record per heatmap (its pane, where its cells
and rows start, the ghost's mix), the cells of every heatmap (a packed colour per pixel
column and bucket) and the bucket of every pane's pixel rows (:mod:`.heatmap_geometry`).
Nothing per frame: the playhead's cut is the frame uniform's time, as for the lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .heatmap_geometry import pack_heatmaps

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from .layout import ChartLayout
    from .pipelines import DeviceCache

__all__ = ["HeatmapBuffers"]

_ORDER = ("heatmaps", "cells", "rows")


class HeatmapBuffers:
    """The heatmap bind group and what it holds for one layout."""

    def __init__(self, device: wgpu.GPUDevice, cache: DeviceCache) -> None:
        self.device = device
        self.cache = cache
        self.buffers: dict[str, wgpu.GPUBuffer] = {}
        self.bind_group: wgpu.GPUBindGroup | None = None
        self.count = 0  # heatmaps drawn in this layout
        self.cell_count = 0

    def lay_out(self, incident: Incident, layout: ChartLayout) -> None:
        """Write every heatmap's record, cells and rows for this layout."""
        if not incident.histograms:
            self.count = 0
            return
        packed = pack_heatmaps(incident, layout)
        for name, data in zip(_ORDER, (packed.records, packed.cells, packed.rows), strict=True):
            self._ensure(name, max(data.nbytes, 16))
            if data.nbytes:
                self.device.queue.write_buffer(self.buffers[name], 0, data.tobytes())
        self.count, self.cell_count = len(packed.records), len(packed.cells)

    def _ensure(self, name: str, nbytes: int) -> None:
        import wgpu

        buffer = self.buffers.get(name)
        if buffer is not None and buffer.size >= nbytes:
            return
        size = max(nbytes, 2 * (buffer.size if buffer is not None else 0), 256)
        if buffer is not None:
            buffer.destroy()
        usage = wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_DST
        self.buffers[name] = self.device.create_buffer(label=name, size=size, usage=usage)
        self.bind_group = None

    def group(self) -> wgpu.GPUBindGroup:
        if self.bind_group is None:
            for name in _ORDER:
                self._ensure(name, 256)
            self.bind_group = self.device.create_bind_group(
                layout=self.cache.bind_group_layout("heatmap"),
                entries=[
                    {"binding": binding, "resource": {"buffer": self.buffers[name]}}
                    for binding, name in enumerate(_ORDER)
                ],
            )
        return self.bind_group

    def destroy(self) -> None:
        for buffer in self.buffers.values():
            buffer.destroy()
        self.buffers, self.bind_group = {}, None
