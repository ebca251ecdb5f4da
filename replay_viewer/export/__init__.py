"""PNG export (single frames and sequences), animations (GIF, MP4) and the postmortem
report (:mod:`.report`): the one path the command line and the window both use.

Every PNG is written to a temporary file beside its destination and renamed into place, so
an interrupted export never leaves a truncated PNG. A sequence's ``frames.json`` index is
written the same way: as in progress before the first frame, updated as frames finish, and
complete at the end (:mod:`.folder`).
"""

from __future__ import annotations

from .animation import (
    ANIMATION_FORMATS,
    DEFAULT_DURATION_S,
    DEFAULT_FPS,
    AnimationExport,
    animation_path,
    plan_animation,
)
from .encoders import require_pyav
from .folder import (
    INDEX_NAME,
    FolderContents,
    check_folder,
    export_conflict,
    incident_sha256,
    read_folder,
    unused_path,
)
from .frame import (
    EXPORT_QUALITY,
    ExportSettings,
    default_png_name,
    export_frame,
    png_metadata,
    render_export_frame,
    single_frame_path,
    write_frame_png,
    write_png_atomic,
)
from .plan import FRAME_NAME, MAX_FRAMES, ExportPlan, plan_sequence
from .png import PNG_PRESETS, encode_png
from .report import REPORT_FORMAT, ReportExport, ReportImages, ReportResult
from .report_folder import REPORT_FILES, REPORT_INDEX, read_report_folder
from .report_images import RendererImages
from .sequence import INDEX_INTERVAL_S, SequenceExport, export_sequence

__all__ = [
    "ANIMATION_FORMATS",
    "DEFAULT_DURATION_S",
    "DEFAULT_FPS",
    "EXPORT_QUALITY",
    "FRAME_NAME",
    "INDEX_INTERVAL_S",
    "INDEX_NAME",
    "MAX_FRAMES",
    "PNG_PRESETS",
    "REPORT_FILES",
    "REPORT_FORMAT",
    "REPORT_INDEX",
    "AnimationExport",
    "ExportPlan",
    "ExportSettings",
    "FolderContents",
    "RendererImages",
    "ReportExport",
    "ReportImages",
    "ReportResult",
    "SequenceExport",
    "animation_path",
    "check_folder",
    "default_png_name",
    "encode_png",
    "export_conflict",
    "export_frame",
    "export_sequence",
    "incident_sha256",
    "plan_animation",
    "plan_sequence",
    "png_metadata",
    "read_folder",
    "read_report_folder",
    "render_export_frame",
    "require_pyav",
    "single_frame_path",
    "unused_path",
    "write_frame_png",
    "write_png_atomic",
]
