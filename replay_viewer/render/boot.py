"""The six-stage boot: adapter → renderer → shaders → layout → spotlight → frame 0.

Each stage reports to a callback when it starts and when it ends (name, overall progress,
duration, detail), so the window can draw its boot screen between stages and the CLI can
print them. :meth:`Boot.step` runs one stage; :meth:`Boot.run` runs them all.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from .ffi_types import speed_up_type_parsing
from .geometry import QUALITY_SAMPLES, RenderOptions, calibrate_spotlight
from .gpu import NoAdapterError, adapter_summary, request_adapter
from .renderer import ChartRenderer
from .shaders import ShaderCompileError
from .text import ChartText

if TYPE_CHECKING:
    from collections.abc import Callable

    import wgpu

    from ..model import Incident

__all__ = [
    "STAGE_NAMES",
    "Boot",
    "BootError",
    "StageReport",
    "headless_adapter",
    "measure_frame_ms",
    "prepare_renderer",
]

STAGE_NAMES = (
    "WebGPU adapter",
    "Allocating renderer",
    "Compiling shaders",
    "Laying out grid",
    "Calibrating spotlight",
    "Frame 0",
)
# Overall progress (percent) when each stage starts; the last entry is "done".
STAGE_PROGRESS = (0, 10, 25, 60, 70, 90, 100)
# What the boot screen says while a stage runs ("Probing WebGPU… 0%").
STAGE_VERBS = (
    "Probing WebGPU",
    "Allocating renderer",
    "Compiling shaders",
    "Laying out grid",
    "Calibrating spotlight",
    "Drawing frame 0",
)


@dataclass(frozen=True)
class StageReport:
    index: int  # 1-based
    name: str
    state: Literal["running", "done", "failed"]
    progress: float  # overall percent, 0..100
    duration_s: float
    detail: str

    @property
    def verb(self) -> str:
        return STAGE_VERBS[self.index - 1]


class BootError(RuntimeError):
    """A boot stage failed. ``exit_code`` is 3 when there is no usable GPU adapter."""

    def __init__(self, stage: int, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.stage = stage
        self.exit_code = exit_code


class Boot:
    """Brings up a :class:`ChartRenderer` for one incident and frame size.

    Parameters
    ----------
    incident, width, height, pixel_ratio
        What will be drawn and at which physical size.
    backend
        ``vulkan``, ``metal``, ``d3d12`` or ``opengl``; None: best available (or the
        ``REPLAY_VIEWER_BACKEND`` environment variable).
    frame_budget_ms
        The calibration picks the best quality whose frame fits this budget.
    frame_options
        What frame 0 shows. With a fixed ``quality`` (exports: "high", so the same input
        always gives the same pixels) calibration only measures that quality and only its
        pipelines are built; ``None`` calibrates ("auto", for the window and ``probe``).
        Frame 0's pixels are kept in :attr:`frame0`.
    canvas
        The window's canvas, so the adapter can present to it (None for headless).
    target_format
        Colour format of the chart texture.
    layout_options
        What :meth:`.ChartRenderer.lay_out` takes: ``view`` (the time range shown),
        ``hidden`` (series left out), ``clock``, ``theme`` (``dark`` or ``light``)…
    on_stage
        Called with a :class:`StageReport` when each stage starts and ends.
    adapter
        An adapter already requested (:func:`headless_adapter`, on a thread while the
        CLI loads the incident): stage 1 takes it.
    """

    def __init__(
        self,
        incident: Incident,
        width: int,
        height: int,
        pixel_ratio: float = 1.0,
        *,
        backend: str | None = None,
        frame_budget_ms: float = 16.7,
        canvas: object | None = None,
        target_format: str = "rgba8unorm",
        start_time: float | None = None,
        frame_options: RenderOptions | None = None,
        layout_options: dict | None = None,
        on_stage: Callable[[StageReport], None] | None = None,
        clock: Callable[[], float] = time.perf_counter,
        adapter: wgpu.GPUAdapter | None = None,
    ) -> None:
        self.incident = incident
        self._prefetched = adapter
        self.size = (int(width), int(height))
        self.pixel_ratio = pixel_ratio
        self.backend = backend
        self.frame_budget_ms = frame_budget_ms
        self.canvas = canvas
        self.target_format = target_format
        self.start_time = incident.end if start_time is None else start_time
        self.frame_options = frame_options
        self.layout_options = layout_options or {}  # view (a time range), hidden series
        self.frame0 = None
        self.on_stage = on_stage or (lambda report: None)
        self.clock = clock
        self.reports: list[StageReport] = []
        self.adapter: wgpu.GPUAdapter | None = None
        self.device: wgpu.GPUDevice | None = None
        self.renderer: ChartRenderer | None = None
        self.quality: str = "high"
        self.frame_ms: float = 0.0
        self._next = 0
        self._stages = (
            self._adapter,
            self._allocate,
            self._compile,
            self._layout,
            self._calibrate,
            self._frame0,
        )

    @property
    def done(self) -> bool:
        return self._next >= len(self._stages)

    @property
    def total_s(self) -> float:
        return sum(r.duration_s for r in self.reports if r.state != "running")

    def step(self) -> bool:
        """Run the next stage. Returns True once every stage is done.

        Raises
        ------
        BootError
            With the failing stage number; ``exit_code`` 3 for "no adapter".
        """
        if self.done:
            return True
        index = self._next
        name = STAGE_NAMES[index]
        self.on_stage(StageReport(index + 1, name, "running", STAGE_PROGRESS[index], 0.0, ""))
        begin = self.clock()
        try:
            detail = self._stages[index]()
        except NoAdapterError as exc:
            self._fail(index, begin, str(exc))
            raise BootError(index + 1, str(exc), exit_code=3) from None
        except ShaderCompileError as exc:
            self._fail(index, begin, str(exc))
            raise BootError(index + 1, str(exc)) from None
        except BootError:
            raise
        except Exception as exc:  # a bug or a lost device, not the user's input
            if os.environ.get("REPLAY_VIEWER_DEBUG"):  # what the message promises
                traceback.print_exc()
            message = (
                f"{name} failed: internal error: {type(exc).__name__}: {exc} "
                "(set REPLAY_VIEWER_DEBUG=1 for the traceback, and please report it)"
            )
            self._fail(index, begin, message)
            raise BootError(index + 1, message, exit_code=70) from exc
        report = StageReport(
            index + 1, name, "done", STAGE_PROGRESS[index + 1], self.clock() - begin, detail
        )
        self.reports.append(report)
        self.on_stage(report)
        self._next += 1
        return self.done

    def run(self) -> ChartRenderer:
        while not self.step():
            pass
        return self.renderer

    def _fail(self, index: int, begin: float, message: str) -> None:
        report = StageReport(
            index + 1,
            STAGE_NAMES[index],
            "failed",
            STAGE_PROGRESS[index],
            self.clock() - begin,
            message,
        )
        self.reports.append(report)
        self.on_stage(report)

    # -- the stages ----------------------------------------------------------------------

    def _adapter(self) -> str:
        if self._prefetched is not None:
            self.adapter = self._prefetched
        else:
            speed_up_type_parsing()  # ~0.9 s of cffi type parsing otherwise: ffi_types.py
            self.adapter = request_adapter(self.backend, canvas=self.canvas)
        return adapter_summary(self.adapter)

    def _allocate(self) -> str:
        self.device = self.adapter.request_device_sync(label="replay-viewer")
        renderer = ChartRenderer(self.device, target_format=self.target_format)
        renderer.set_incident(self.incident)
        renderer.allocate_targets(*self.size, self._sample_counts()[0])
        renderer.text = ChartText(self.device, self.target_format)
        self.renderer = renderer
        samples = sum(len(s.times) for s in self.incident.series)
        return (
            f"{len(self.incident.series)} series, {samples:,} samples uploaded; "
            f"{self.size[0]}×{self.size[1]} {self.target_format} target"
        )

    def _sample_counts(self) -> tuple[int, ...]:
        """MSAA counts to build pipelines for: the fixed quality's, or every one the
        calibration may choose, best first."""
        fixed = self.frame_options
        return (QUALITY_SAMPLES[fixed.quality],) if fixed else tuple(QUALITY_SAMPLES.values())

    def _compile(self) -> str:
        self.renderer.compile_shaders(self._sample_counts())
        return (
            f"{len(self.renderer.cache.modules)} WGSL modules, "
            f"{len(self.renderer.cache.pipelines)} chart pipelines + the text pipeline"
        )

    def _layout(self) -> str:
        layout = self.renderer.lay_out(*self.size, self.pixel_ratio, **self.layout_options)
        chart = layout.chart
        ticks = layout.time_ticks
        step = ticks[1].value - ticks[0].value if len(ticks) > 1 else 0
        return (
            f"chart {chart.width}×{chart.height} px at {self.pixel_ratio:g}×, "
            f"{len(ticks)} time ticks every {step:g} s, "
            f"grid cell {abs(layout.grid_x.spacing):.1f}×{abs(layout.grid_y.spacing):.1f} px"
        )

    def _calibrate(self) -> str:
        """Size the spotlight for this chart and pixel ratio; then, unless the quality is
        fixed (exports), time warm-up frames best quality first and keep the first that
        fits the frame budget."""
        renderer = self.renderer
        spotlight = calibrate_spotlight(renderer.layout)
        renderer.set_spotlight(spotlight)
        light = (
            f"spotlight radius {spotlight.radius_px:.0f} px, falloff {spotlight.falloff:g}, "
            f"intensity {spotlight.intensity:g}"
        )
        if self.frame_options is not None:
            self.quality = self.frame_options.quality
            return f"{light}; quality {self.quality} (fixed)"
        for quality in QUALITY_SAMPLES:
            self.quality = quality
            options = RenderOptions(quality=quality)
            renderer.render_texture(self.start_time, options)  # warm-up
            self.frame_ms = measure_frame_ms(renderer, self.start_time, options, repeats=3)
            if self.frame_ms <= self.frame_budget_ms:
                break
        fits = "fits" if self.frame_ms <= self.frame_budget_ms else "over"
        return (
            f"{light}; quality {self.quality} ({QUALITY_SAMPLES[self.quality]}× MSAA) "
            f"{self.frame_ms:.1f} ms/frame, {fits} the {self.frame_budget_ms:g} ms budget"
        )

    def _frame0(self) -> str:
        begin = self.clock()
        options = self.frame_options or RenderOptions(quality=self.quality)
        self.frame0 = self.renderer.render(self.start_time, options)
        return f"{(self.clock() - begin) * 1000:.0f} ms at {self.size[0]}×{self.size[1]}"


def measure_frame_ms(
    renderer: ChartRenderer, t: float, options: RenderOptions, repeats: int = 3
) -> float:
    """Median wall time of rendering one frame to completion on the GPU."""
    timings = []
    for _ in range(repeats):
        begin = time.perf_counter()
        renderer.render_texture(t, options)
        renderer.wait()
        timings.append((time.perf_counter() - begin) * 1000)
    return float(np.median(timings))


def headless_adapter(backend: str | None) -> wgpu.GPUAdapter:
    """Stage 1's work without a canvas (what :class:`Boot` takes as ``adapter``)."""
    speed_up_type_parsing()
    return request_adapter(backend)


def prepare_renderer(
    device: wgpu.GPUDevice,
    incident: Incident,
    width: int,
    height: int,
    pixel_ratio: float,
    *,
    quality: str,
    target_format: str = "rgba8unorm",
    **layout_options,
) -> ChartRenderer:
    """Stages 2 to 5 on an existing device, untimed: a renderer with text, pipelines for
    one fixed quality, the grid laid out and the spotlight sized. The window's export
    renderer is made this way."""
    renderer = ChartRenderer(device, target_format=target_format)
    renderer.set_incident(incident)
    renderer.text = ChartText(device, target_format)
    renderer.compile_shaders((QUALITY_SAMPLES[quality],))
    renderer.resize(width, height, pixel_ratio, **layout_options)
    return renderer
