"""A sequence's folder and its ``frames.json`` index: what in a folder is ours, whether an
export may write there, and where an interrupted export resumes.

The index is the truth about the folder. It is written as in progress (``"complete":
false``) before the first frame is touched, lists only frames that are finished, and says
``"complete": true`` only once every frame of its plan is written. ``incident_sha256`` and
``options`` identify the export, so ``--resume`` continues only the same one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._version import __version__
from ..errors import OutputError, UsageError
from ..files import FolderLock, describe_os_error
from .plan import FRAME_PATTERN

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..model import Incident
    from .frame import ExportSettings
    from .plan import ExportPlan

__all__ = [
    "INDEX_FORMAT",
    "INDEX_NAME",
    "LOCK_NAME",
    "FolderContents",
    "check_folder",
    "claim_folder",
    "export_conflict",
    "incident_sha256",
    "index_header",
    "read_folder",
    "resume_point",
    "unused_path",
]

INDEX_NAME = "frames.json"
LOCK_NAME = ".frames.lock"
INDEX_FORMAT = 2  # 1: the first release (no hash, no options); 2: adds them
# Temporary files of atomic writes (files.atomic_write) a killed export left behind.
_LEFTOVER = re.compile(r"\.(frame_\d{5}\.png|frames\.json)\..+\.tmp")


def incident_sha256(incident: Incident) -> str | None:
    """SHA-256 of the incident's file as it is now (None for an incident without a file)."""
    if incident.source is None:
        return None
    try:
        return hashlib.sha256(Path(incident.source).read_bytes()).hexdigest()
    except OSError:
        return None


def index_header(
    incident: Incident, settings: ExportSettings, plan: ExportPlan, sha256: str | None
) -> dict:
    """The index of this export before any frame is finished. The first seven keys are the
    first release's, with the same meaning; the rest are added after them."""
    width, height = settings.pixel_size
    return {
        "incident": incident.id,
        "title": incident.title,
        "size": [width, height],
        "pixel_ratio": float(settings.scale),
        "ghost": settings.ghost,
        "complete": False,
        "frames": [],
        "format": INDEX_FORMAT,
        "software": f"replay-viewer {__version__}",
        "incident_sha256": sha256,
        "options": {
            "size": list(settings.size),
            "scale": settings.scale,
            "ghost": settings.ghost,
            "plan": plan.describe(),
            **({"range": list(settings.view)} if settings.view else {}),
            **({"autoscale": settings.autoscale} if settings.view else {}),
            **({"live": True} if settings.live else {}),
            **({"clock": settings.clock} if settings.clock != "relative" else {}),
            **({"theme": settings.theme} if settings.theme != "dark" else {}),
            **({"hidden": sorted(settings.hidden)} if settings.hidden else {}),
            **({"highlight": sorted(settings.highlight)} if settings.highlight else {}),
        },
    }


def _is_our_index(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("incident"), str)
        and isinstance(data.get("frames"), list)
        and all(isinstance(entry, dict) and "file" in entry for entry in data["frames"])
    )


@dataclass
class FolderContents:
    """What a folder holds, sorted into ours and the rest."""

    index: dict | None = None  # our previous frames.json, if there is one
    frames: list[str] = field(default_factory=list)  # frame_NNNNN.png beside our index
    leftovers: list[str] = field(default_factory=list)  # our temporary files
    others: list[str] = field(default_factory=list)  # everything else


def read_folder(folder: Path) -> FolderContents:
    """Sort ``folder``'s entries. ``frame_NNNNN.png`` files count as ours only beside an
    index of ours (another program may use the same names)."""
    contents = FolderContents()
    if not folder.exists():
        return contents
    names = sorted(entry.name for entry in folder.iterdir())
    if INDEX_NAME in names:
        try:
            data = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        contents.index = data if _is_our_index(data) else None
    for name in names:
        if name == LOCK_NAME or (name == INDEX_NAME and contents.index is not None):
            continue
        if _LEFTOVER.fullmatch(name):
            contents.leftovers.append(name)
        elif contents.index is not None and FRAME_PATTERN.fullmatch(name):
            contents.frames.append(name)
        else:
            contents.others.append(name)
    return contents


def listing(names: list[str]) -> str:
    """The first three names and how many more: what a refusal shows of a folder."""
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def check_output_folder(folder: Path, not_a_folder: str) -> None:
    """``folder`` can be written into or created: it is no file (``not_a_folder`` says so
    then), and its nearest existing parent is a folder. Sequences and reports share it."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(not_a_folder)
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot create {folder}: {parent} is not a folder")
            break


def check_folder(folder: Path, *, overwrite: bool = False, resume: bool = False):
    """What ``folder`` holds, after checking that a sequence may be written there.

    Raises
    ------
    OutputError
        When ``folder`` (or a parent) is a file.
    UsageError
        When it holds files that are not ours and neither ``overwrite`` nor ``resume`` is
        set, or when ``resume`` is set and there is nothing of ours to resume.
    """
    folder = Path(folder)
    check_output_folder(folder, f"{folder} is not a folder (a sequence is written into a folder)")
    contents = read_folder(folder)
    if resume and contents.index is None:
        raise UsageError(
            f"--resume: {folder} holds no frames.json of an export to resume; "
            "export without --resume"
        )
    if contents.others and not (overwrite or resume):
        raise UsageError(
            f"{folder} holds files that are not part of an export ({listing(contents.others)}); "
            "pass --overwrite to write the frames there anyway (frame_NNNNN.png and "
            "frames.json are replaced, other files are left alone), or choose an empty folder"
        )
    return contents


def claim_folder(folder: Path, *, overwrite: bool = False, resume: bool = False):
    """Create and lock ``folder`` for one sequence, check it (:func:`check_folder`) and
    remove the temporary files a killed export of ours left there. Returns the held
    :class:`~replay_viewer.files.FolderLock` and the folder's contents.

    Raises
    ------
    OutputError
        When the folder cannot be created, or another export holds its lock.
    """
    folder = Path(folder)
    check_output_folder(folder, f"{folder} is not a folder (a sequence is written into a folder)")
    return claim_output_folder(
        folder, LOCK_NAME, lambda: check_folder(folder, overwrite=overwrite, resume=resume)
    )


def claim_output_folder(folder: Path, lock_name: str, check: Callable[[], Any]):
    """Create ``folder``, take its lock ``lock_name``, run ``check()`` (it may refuse) and
    remove the leftovers it found (only now: a running export's files were locked).
    Returns the held lock and what ``check()`` returned. Sequences and reports share it."""
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {describe_os_error(exc)}") from None
    lock = FolderLock(folder, lock_name)
    lock.created_folder = created  # released with nothing written: the folder goes too
    try:
        locked = lock.acquire()
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {describe_os_error(exc)}") from None
    if not locked:
        holder = lock.holder()
        raise OutputError(
            f"{folder} is in use by another export{f' (pid {holder})' if holder else ''}; "
            "wait for it to finish or choose another folder"
        )
    try:
        contents = check()
        for name in contents.leftovers:
            (folder / name).unlink(missing_ok=True)
        contents.leftovers = []
    except BaseException:
        lock.release()
        raise
    return lock, contents


def resume_point(previous: dict, header: dict, folder: Path, names: list[str]) -> int:
    """How many leading frames of ``previous`` (the folder's index) are finished and still
    there; the export described by ``header`` continues after them.

    Raises
    ------
    UsageError
        When ``previous`` is not the same export: another incident file (or another version
        of it), other options or another plan.
    """
    if previous.get("format") != INDEX_FORMAT or not previous.get("incident_sha256"):
        raise UsageError(
            f"--resume: {folder}/frames.json does not record the incident's hash and options "
            "(an older replay-viewer wrote it); export again with --overwrite"
        )
    if previous["incident_sha256"] != header["incident_sha256"]:
        raise UsageError(
            f"--resume: {folder} holds an export of another incident file, or the file changed "
            f"since (sha256 {previous['incident_sha256'][:12]}… there, "
            f"{(header['incident_sha256'] or 'none')[:12]}… now); export again with --overwrite"
        )
    if previous.get("options") != header["options"]:
        raise UsageError(
            f"--resume: {folder} was exported with other options "
            f"({json.dumps(previous.get('options'))}, now {json.dumps(header['options'])}); "
            "resume with the same --size/--scale/--no-ghost/--frames/--every, "
            "or export again with --overwrite"
        )
    done = 0
    for number, entry in enumerate(previous["frames"][: len(names)]):
        if entry.get("frame") != number or entry.get("file") != names[number]:
            break
        if not (folder / names[number]).is_file():
            break
        done += 1
    return done


def export_conflict(folder: Path, *, sequence: bool) -> str | None:
    """What the window's export dialog asks the user to confirm before writing into
    ``folder``: None for a missing or empty folder."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return None
    contents = read_folder(folder)
    if contents.others:
        what = "a sequence's frames and frames.json" if sequence else "the frame"
        return (
            f"{folder} already holds other files ({listing(contents.others)}). "
            f"Write {what} there anyway?"
        )
    if sequence and contents.index is not None:
        count = len(contents.index["frames"])
        return f"{folder} holds an earlier export ({count} frames). Replace it?"
    return None


def unused_path(path: Path, *, folder: bool = False) -> Path:
    """``path``, or ``name-2.png``, ``name-3.png`` … (a ``folder``: ``name-2`` after its
    whole name, dots and all) if it exists: what the window writes never replaces
    anything."""
    if not path.exists():
        return path
    stem, suffix = (path.name, "") if folder else (path.stem, path.suffix)
    for number in range(2, 10_000):
        candidate = path.with_name(f"{stem}-{number}{suffix}")
        if not candidate.exists():
            return candidate
    raise OSError(f"too many exports named {stem}-N{suffix} in {path.parent}")
