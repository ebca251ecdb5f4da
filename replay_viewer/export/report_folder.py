"""A report's folder: what in it is ours, and whether ``export --report`` may write there.

The rules are the sequence's (:mod:`.folder`): the index, ``report.json``, is the truth
about the folder. It is written as in progress (``"complete": false``, listing every file
of ours that may be there) before any file is touched, and as complete, listing the files
written, at the end. ``report.md``, ``report.html`` and the images count as ours only when
an index of ours lists them (another program may use the same names). A folder holding
only an earlier report of ours is reused (its files the new report does not write are
removed); one holding anything else is refused unless ``overwrite`` (our files are
replaced, the others left alone).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from .folder import check_output_folder, claim_output_folder, listing

__all__ = [
    "REPORT_FILES",
    "REPORT_INDEX",
    "REPORT_LOCK",
    "ReportFolder",
    "check_report_folder",
    "claim_report_folder",
    "read_report_folder",
]

REPORT_INDEX = "report.json"
REPORT_LOCK = ".report.lock"
# Every file a report may write (the figures are those of postmortem.document).
REPORT_FILES = ("report.md", "report.html", "storyboard.png", "chart.png")
# Temporary files of atomic writes (files.atomic_write) a killed export left behind.
_LEFTOVER = re.compile(r"\.(report\.(md|html|json)|storyboard\.png|chart\.png)\..+\.tmp")


@dataclass
class ReportFolder:
    """What a folder holds, sorted into ours and the rest."""

    index: dict | None = None  # our previous report.json, if there is one
    ours: list[str] = field(default_factory=list)  # files our index lists that are there
    leftovers: list[str] = field(default_factory=list)  # our temporary files
    others: list[str] = field(default_factory=list)  # everything else


def _is_our_index(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("report"), int)
        and isinstance(data.get("files"), list)
        and all(isinstance(name, str) for name in data["files"])
    )


def read_report_folder(folder: Path) -> ReportFolder:
    """Sort ``folder``'s entries (a missing folder holds nothing)."""
    contents = ReportFolder()
    if not folder.is_dir():
        return contents
    names = sorted(entry.name for entry in folder.iterdir())
    if REPORT_INDEX in names:
        try:
            data = json.loads((folder / REPORT_INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        contents.index = data if _is_our_index(data) else None
    listed = set(contents.index["files"]) if contents.index else set()
    for name in names:
        if name == REPORT_LOCK or (name == REPORT_INDEX and contents.index is not None):
            continue
        if _LEFTOVER.fullmatch(name):
            contents.leftovers.append(name)
        elif name in listed and name in REPORT_FILES:
            contents.ours.append(name)
        else:
            contents.others.append(name)
    return contents


def check_report_folder(folder: Path, *, overwrite: bool = False) -> ReportFolder:
    """What ``folder`` holds, after checking that a report may be written there.

    Raises
    ------
    OutputError
        When ``folder`` (or a parent) is a file.
    UsageError
        When it holds files that are not ours and ``overwrite`` is not set.
    """
    check_output_folder(folder, f"--report {folder} is a file (a report is written into a folder)")
    contents = read_report_folder(folder)
    if contents.others and not overwrite:
        raise UsageError(
            f"--report {folder} holds files that are not part of a report "
            f"({listing(contents.others)}); pass --overwrite to write the report there "
            f"anyway ({', '.join(REPORT_FILES)} and {REPORT_INDEX} are replaced, other files "
            "are left alone), or choose an empty folder"
        )
    return contents


def claim_report_folder(folder: Path, *, overwrite: bool = False):
    """Create and lock ``folder`` for one report, check it and remove the temporary files
    a killed export of ours left. Returns the held lock and the folder's contents.

    Raises
    ------
    OutputError
        When the folder cannot be created or written, or another export holds its lock.
    UsageError
        As :func:`check_report_folder`.
    """
    folder = Path(folder)
    check_report_folder(folder, overwrite=overwrite)  # refuse before creating anything
    # Checked again once the lock is ours: another export may have written meanwhile.
    return claim_output_folder(
        folder, REPORT_LOCK, lambda: check_report_folder(folder, overwrite=overwrite)
    )
