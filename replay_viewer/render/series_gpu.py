"""One series on the GPU: its drawn points, arc lengths and style, in one bind group.

A series of at most a few samples per pixel column uploads every sample once per incident.
A denser one uploads, per layout (load, resize, zoom), only the samples M4 keeps for the
chart's columns (:mod:`.decimate`), so its frame costs what a small series' frame costs.
Scrubbing never writes here: the playhead lives in the frame uniform.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .decimate import drawn_indices
from .geometry import normalise_series, series_arc_lengths, series_style_uniform
from .uniforms import SERIES_STYLE_DTYPE

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from .layout import AxisLayout, ChartLayout

__all__ = ["SeriesGpu"]


class SeriesGpu:
    def __init__(self, device: wgpu.GPUDevice, incident: Incident, index: int, group_layout):
        import wgpu

        self.device = device
        self.incident = incident
        self.index = index
        self.series = series = incident.series[index]
        self.normalised = normalise_series(series, incident)
        self._group_layout = group_layout
        self.style = device.create_buffer(
            label=f"style {series.id}",
            size=SERIES_STYLE_DTYPE.itemsize,
            usage=wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST,
        )
        self.points: wgpu.GPUBuffer | None = None
        self.arc_length: wgpu.GPUBuffer | None = None
        self.bind_group = None
        self.count = 0  # points drawn
        self.decimated = False
        self._all_uploaded = False

    def _ensure_capacity(self, count: int) -> None:
        """Buffers for at least ``count`` points (grown by doubling; the bind group with
        them)."""
        import wgpu

        old = self.points.size // 8 if self.points is not None else 0
        if old >= count:
            return
        capacity = max(count, 16, 2 * old)
        self.destroy_points()
        series_id = self.series.id
        storage = wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_DST
        self.points = self.device.create_buffer(
            label=f"samples {series_id}", size=capacity * 8, usage=storage
        )
        self.arc_length = self.device.create_buffer(
            label=f"arc length {series_id}", size=capacity * 4, usage=storage
        )
        self.bind_group = self.device.create_bind_group(
            layout=self._group_layout,
            entries=[
                {"binding": 0, "resource": {"buffer": self.style}},
                {"binding": 1, "resource": {"buffer": self.points}},
                {"binding": 2, "resource": {"buffer": self.arc_length}},
            ],
        )

    def lay_out(self, layout: ChartLayout, axis: AxisLayout) -> bool:
        """Write what this layout draws; True when sample data was uploaded."""
        series, queue = self.series, self.device.queue
        all_times, all_values = series.contiguous  # the decimator reads contiguous arrays
        indices = drawn_indices(
            all_times,
            all_values,
            layout.t_start,
            layout.t_end,
            layout.chart.width,
            has_gaps=series.has_gaps,
        )
        uploaded = False
        if indices is None:  # every sample: uploaded once per incident
            if not self._all_uploaded or self.decimated:
                self._ensure_capacity(len(series.times))
                queue.write_buffer(self.points, 0, self.normalised.packed.tobytes())
                self._all_uploaded, uploaded = True, True
            times, values = series.times, series.values
        else:
            self._all_uploaded = False
            self._ensure_capacity(len(indices))
            queue.write_buffer(self.points, 0, self.normalised.packed[indices].tobytes())
            times, values, uploaded = series.times[indices], series.values[indices], True
        self.decimated = indices is not None
        self.count = len(times)
        arc = series_arc_lengths(times, values, layout, axis)
        queue.write_buffer(self.arc_length, 0, arc.tobytes())
        style = series_style_uniform(self.incident, self.index, layout, axis, self.normalised)
        queue.write_buffer(self.style, 0, style.tobytes())
        return uploaded

    def destroy_points(self) -> None:
        for buffer in (self.points, self.arc_length):
            if buffer is not None:
                buffer.destroy()
        self.points = self.arc_length = self.bind_group = None

    def destroy(self) -> None:
        self.destroy_points()
        self.style.destroy()
