"""Every series on the GPU, in one bind group: styles and heads (one record per series),
and the drawn points and envelope columns of all series, one after another.

Per incident: the style and head buffers, sized to the incident's series (up to
``MAX_SERIES``). Per layout (load, resize, zoom, hidden series): what each visible series
draws (:mod:`.columns`: its samples in view, or its envelope when dense), packed into the
points and band buffers, and the styles; a layout that moves only the value axes (an
autoscaled zoom settling, live view) keeps what each series draws and repacks it. Per
frame: only the heads (where each line is at the playhead, and which group members are
highlighted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .baseline_geometry import baseline_slots, baseline_styles, drawn_baselines, pack_baselines
from .columns import drawn_samples
from .series_geometry import normalisation, pack_series, series_colors, series_styles
from .uniforms import HEAD_DTYPE, SERIES_STYLE_DTYPE

if TYPE_CHECKING:
    import wgpu

    from ..model import Incident
    from .columns import Drawn
    from .layout import AxisLayout, ChartLayout
    from .pipelines import DeviceCache

__all__ = ["SeriesBuffers"]

_MIN_RECORDS = 16  # a storage binding must not be empty


class SeriesBuffers:
    """The series bind group and what it holds for one incident and one layout."""

    def __init__(self, device: wgpu.GPUDevice, cache: DeviceCache) -> None:
        self.device = device
        self.cache = cache
        self.buffers: dict[str, wgpu.GPUBuffer] = {}
        self.bind_group: wgpu.GPUBindGroup | None = None
        self.incident: Incident | None = None
        self.norms: list = []
        self.colors: list = []
        self.drawn: dict[int, Drawn] = {}  # per visible series, for this layout
        # Series index → its baseline's style record (after the series'), and what each
        # visible series' baseline draws in this layout (render/baseline_geometry.py).
        self.baseline_slots: dict[int, int] = {}
        self.baselines: dict[int, Drawn] = {}
        self._drawn_for: tuple = ()  # the time range, columns and hidden series it is for
        self.ranges: dict[int, tuple[int, int]] = {}  # (first point, count) per series
        self.point_count = 0
        self.band_count = 0  # envelope columns and worse-band records
        self.worse_count = 0  # of which the baselines' worse bands (the last ones)

    def set_incident(self, incident: Incident) -> None:
        self.incident = incident
        self.norms = [normalisation(series) for series in incident.series]
        self.colors = series_colors(incident)  # the layout's palette's, from lay_out()
        count = len(incident.series)
        self.baseline_slots = baseline_slots(incident)
        records = count + len(self.baseline_slots)
        self._ensure("styles", records * SERIES_STYLE_DTYPE.itemsize)
        self._ensure("heads", count * HEAD_DTYPE.itemsize)
        self.drawn, self.ranges, self.baselines, self._drawn_for = {}, {}, {}, ()
        self.point_count = self.band_count = self.worse_count = 0

    def _ensure(self, name: str, nbytes: int) -> None:
        """A storage buffer of at least ``nbytes`` (grown by doubling; the bind group with
        it)."""
        import wgpu

        buffer = self.buffers.get(name)
        if buffer is not None and buffer.size >= nbytes:
            return
        old = buffer.size if buffer is not None else 0
        size = max(nbytes, _MIN_RECORDS * 16, 2 * old)
        if buffer is not None:
            buffer.destroy()
        usage = wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_DST
        self.buffers[name] = self.device.create_buffer(label=name, size=size, usage=usage)
        self.bind_group = None

    def group(self) -> wgpu.GPUBindGroup:
        if self.bind_group is None:
            for name in ("points", "band"):
                self._ensure(name, 16)
            order = ("styles", "heads", "points", "band")
            self.bind_group = self.device.create_bind_group(
                layout=self.cache.bind_group_layout("series"),
                entries=[
                    {"binding": binding, "resource": {"buffer": self.buffers[name]}}
                    for binding, name in enumerate(order)
                ],
            )
        return self.bind_group

    def lay_out(self, layout: ChartLayout, axes: list[AxisLayout]) -> None:
        """Write what this layout draws: each visible series' points (and envelope), and
        every series' style (in the layout's palette)."""
        incident, queue = self.incident, self.device.queue
        self.colors = series_colors(incident, layout.palette)
        self._draw_series(layout)
        packed = pack_series(incident, layout, axes, self.drawn, self.norms)
        slots = self.baseline_slots
        self.baselines = drawn_baselines(incident, layout, self.drawn, slots)
        ghosts, worse = pack_baselines(incident, layout, axes, self.drawn, self.baselines,
                                       self.norms, slots)  # fmt: skip
        points = np.concatenate([packed.points, ghosts]) if len(ghosts) else packed.points
        band = np.concatenate([packed.band, worse]) if len(worse) else packed.band
        self.ranges = packed.ranges
        self.point_count, self.band_count, self.worse_count = len(points), len(band), len(worse)
        for name, records in (("points", points), ("band", band)):
            self._ensure(name, max(records.nbytes, 16))
            if records.nbytes:
                queue.write_buffer(self.buffers[name], 0, records.tobytes())
        styles = series_styles(incident, layout, axes, self.norms, self.colors)
        if slots:
            styles = baseline_styles(styles, incident, layout, slots, self.colors)
        queue.write_buffer(self.buffers["styles"], 0, styles.tobytes())

    def scene_counts(self) -> dict[str, int]:
        """The layout's drawn records by kind, for :class:`.passes.SceneCounts`."""
        envelopes = self.band_count - self.worse_count
        return {"points": self.point_count, "band": envelopes, "worse": self.worse_count}

    def _draw_series(self, layout: ChartLayout) -> None:
        """What each visible series draws in the layout's time range (kept while the range,
        the chart's width and the hidden series stay)."""
        columns = layout.chart.width
        key = (layout.t_start, layout.t_end, columns, layout.hidden)
        if key == self._drawn_for:
            return
        self.drawn, self._drawn_for = {}, key
        for index, series in enumerate(self.incident.series):
            if series.id in layout.hidden:
                continue
            # Columns of a data file's (N, 2) array are strided views: read as they are
            # (a contiguous copy of 10M samples cost 0.4 s and 160 MB).
            self.drawn[index] = drawn_samples(series.times, series.values, layout.t_start,
                                              layout.t_end, columns,
                                              has_gaps=series.has_gaps)  # fmt: skip

    def write_heads(self, heads: np.ndarray) -> None:
        self.device.queue.write_buffer(self.buffers["heads"], 0, heads.tobytes())

    def destroy(self) -> None:
        for buffer in self.buffers.values():
            buffer.destroy()
        self.buffers, self.bind_group = {}, None
