"""``export --report DIR``: the postmortem report written into a folder: ``report.md``,
``report.html`` (self-contained: the images embedded), the figures as PNGs beside them
(``storyboard.png``, ``chart.png``) and the ``report.json`` index that says the folder is
ours (:mod:`.report_folder`). The content is :mod:`replay_viewer.postmortem`'s; the
figures come through :class:`ReportImages`, the seam between the report and whatever
draws them (:class:`~.report_images.RendererImages` on the GPU, a fake in tests).

Every file is written to a temporary file beside it and renamed into place; the figures
are drawn before anything in the folder is touched, so a failed render changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .._version import __version__
from ..files import atomic_write, write_json_atomic
from ..postmortem import (
    CHART_NAME,
    STORYBOARD_NAME,
    build_report,
    render_html,
    render_markdown,
    worst_moment,
)
from ..timecode import format_timecode
from .folder import incident_sha256
from .png import encode_png
from .report_folder import REPORT_INDEX, claim_report_folder

if TYPE_CHECKING:
    import numpy as np

    from ..model import Incident
    from ..story import StoryPlan

__all__ = ["REPORT_FORMAT", "ReportExport", "ReportImages", "ReportResult"]

REPORT_FORMAT = 1  # report.json's "report" key


class ReportImages(Protocol):
    """What draws a report's figures: H×W×4 RGBA ``uint8`` pixels, or None to leave the
    figure out. ``theme`` ("dark" or "light") is how the charts are drawn."""

    theme: str

    def storyboard(self, incident: Incident, plan: StoryPlan) -> np.ndarray | None:
        """The story at a glance: a panel per moment of ``plan``."""

    def chart(self, incident: Incident, t: float) -> np.ndarray | None:
        """One full-size chart at ``t`` (the worst moment)."""


@dataclass(frozen=True)
class ReportResult:
    folder: Path
    files: tuple[str, ...]  # written, in order (report.json last)
    chart_t: float | None  # when chart.png shows (None: no chart)
    removed: tuple[str, ...] = ()  # files of an earlier report this one did not write


class ReportExport:
    """One report into ``folder``. Creating it claims the folder (lock, checks, leftovers:
    :func:`~.report_folder.claim_report_folder`) and writes nothing, so the CLI refuses a
    folder before it boots the GPU; :meth:`write` draws the figures and writes the files,
    then releases the folder (:meth:`close` releases it without writing)."""

    def __init__(
        self, incident: Incident, plan: StoryPlan, folder: Path, *, overwrite: bool = False
    ) -> None:
        self.incident = incident
        self.plan = plan
        self.folder = Path(folder)
        self._lock, self._contents = claim_report_folder(self.folder, overwrite=overwrite)

    def close(self) -> None:
        if self._lock.held:
            self._lock.release()

    def write(self, images: ReportImages | None) -> ReportResult:
        try:
            return self._write(images)
        finally:
            self.close()

    def _figures(self, images: ReportImages | None) -> tuple[dict[str, bytes], dict, float | None]:
        """The figures as PNG bytes (zlib 9: they are embedded in report.html too), their
        sizes, and the chart's time."""
        if images is None:
            return {}, {}, None
        incident = self.incident
        chart_t = worst_moment(incident)[0]
        drawn = {STORYBOARD_NAME: images.storyboard(incident, self.plan),
                 CHART_NAME: images.chart(incident, chart_t)}  # fmt: skip
        pngs, sizes = {}, {}
        for name, pixels in drawn.items():
            if pixels is None:
                continue
            what = ("storyboard" if name == STORYBOARD_NAME
                    else f"chart at {format_timecode(chart_t)}")  # fmt: skip
            text = {"Title": f"{incident.title}: {what}",
                    "Software": f"replay-viewer {__version__}",
                    "Source": str(incident.source or incident.id)}  # fmt: skip
            pngs[name] = encode_png(pixels, text=text, preset="small")
            sizes[name] = (int(pixels.shape[1]), int(pixels.shape[0]))
        return pngs, sizes, (chart_t if CHART_NAME in pngs else None)

    def _index(self, files: list[str], *, complete: bool, theme: str) -> dict:
        return {
            "report": REPORT_FORMAT,
            "incident": self.incident.id,
            "title": self.incident.title,
            "complete": complete,
            "files": files,
            "software": f"replay-viewer {__version__}",
            "incident_sha256": incident_sha256(self.incident),
            "options": {
                "events": self.plan.chosen,
                "moments": list(self.plan.times),
                "theme": theme,
            },
        }

    def _write(self, images: ReportImages | None) -> ReportResult:
        pngs, sizes, chart_t = self._figures(images)  # drawn before the folder is touched
        doc = build_report(self.incident, self.plan, images=sizes)
        texts = {"report.md": render_markdown(doc), "report.html": render_html(doc, pngs)}
        names = [*pngs, *texts]
        theme = getattr(images, "theme", "dark")
        earlier = self._contents.ours
        index_path = self.folder / REPORT_INDEX
        # In progress first: it lists every file of ours that may be in the folder.
        in_progress = sorted({*earlier, *names})
        write_json_atomic(index_path, self._index(in_progress, complete=False, theme=theme))
        for name, data in pngs.items():
            atomic_write(self.folder / name, lambda out, data=data: out.write(data))
        for name, text in texts.items():
            atomic_write(self.folder / name, lambda out, text=text: out.write(text), "w")
        removed = tuple(name for name in earlier if name not in names)
        for name in removed:
            (self.folder / name).unlink(missing_ok=True)
        write_json_atomic(index_path, self._index(names, complete=True, theme=theme))
        return ReportResult(self.folder, (*names, REPORT_INDEX), chart_t, removed)
