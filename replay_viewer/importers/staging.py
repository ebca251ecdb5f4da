"""Writing an incident and its data files all or nothing.

The data files are written into a staging folder beside the incident (``.OUT.yaml.*.tmp``,
inside the incident's folder so the loader may read them), the text is checked by the
loader against them, and only then are they renamed into place, the incident file last
(atomically, by :func:`~replay_viewer.files.atomic_write`). Any failure on the way puts
back what was there: an existing data folder is moved aside first and restored, files
added to a folder are removed again; the staging folder is always removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import OutputError, UsageError
from ..files import atomic_write, describe_os_error
from ..loader import IncidentLoadError, parse_incident
from .common import ImportInputError
from .writer import DATA_DIR, quote, write_incident

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["folder_names", "write_with_data"]


def folder_names(folder: Path) -> frozenset[str]:
    """The names already in a data folder (none if it does not exist)."""
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def write_with_data(
    text: str,
    files: dict[str, np.ndarray],
    out: Path,
    folder: str,
    *,
    overwrite: bool,
    add: bool = False,
    problem: str = "the imported data does not make a valid incident",
) -> None:
    """Write ``text`` to ``out`` and ``files`` to the folder ``folder`` beside it (the text
    names it :data:`~.writer.DATA_DIR`), checked by the loader first.

    A new incident (``add=False``) replaces an existing data folder only with
    ``overwrite`` (an existing ``out`` too); ``add=True`` (``--into``) adds the files to
    the folder, whose other files the incident may name."""
    out = Path(out)
    target = out.parent / folder
    if out.exists() and not overwrite:
        raise UsageError(f"{out} exists; add --overwrite to replace it")
    if not out.parent.is_dir():
        raise OutputError(f"-o {out}: folder {out.parent} does not exist")
    stale = not add and os.path.lexists(target)
    if stale and files and not overwrite:
        raise UsageError(f"{target} exists; add --overwrite to replace it")
    # A new incident over an old one: the old data folder goes with it (it named it).
    replace_old = stale and overwrite and out.exists()
    if not files and not replace_old:
        write_incident(text, out, overwrite=overwrite, problem=problem)
        return
    stage = _stage_folder(out)
    try:
        _write_files(stage / "data", files)
        _check(text, out, f"{stage.name}/data", folder, problem)
        final = text.replace(DATA_DIR, _quoted_inner(folder))
        if add:
            _commit_added(stage / "data", files, target, lambda: _write_text(out, final))
        else:
            _commit_replacing(stage, bool(files), target, lambda: _write_text(out, final))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _quoted_inner(text: str) -> str:
    """``text`` as it goes inside YAML double quotes."""
    return quote(text)[1:-1]


def _stage_folder(out: Path) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {describe_os_error(exc)}") from None


def _write_files(folder: Path, files: dict[str, np.ndarray]) -> None:
    try:
        folder.mkdir()
        for name, rows in files.items():
            with open(folder / name, "wb") as handle:
                if name.endswith(".csv"):
                    handle.write(_csv_bytes(rows))
                else:
                    np.save(handle, rows, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        raise OutputError(f"cannot write the data files: {describe_os_error(exc)}") from None


def _csv_bytes(rows: np.ndarray) -> bytes:
    """``time,value`` rows, shortest exact floats, an empty value for a gap."""
    lines = ["time,value"]
    lines += [
        f"{t!r},{'' if v != v else repr(v)}"  # v != v: NaN, a gap
        for t, v in zip(rows[:, 0].tolist(), rows[:, 1].tolist(), strict=True)
    ]
    return ("\n".join(lines) + "\n").encode()


def _check(text: str, out: Path, staged: str, folder: str, problem: str) -> None:
    """The loader's check of the text, reading the data files where they are staged."""
    try:
        parse_incident(text.replace(DATA_DIR, _quoted_inner(staged)), path=str(out))
    except IncidentLoadError as exc:
        message = str(exc).replace(staged, folder)
        raise ImportInputError(f"{problem}:\n{message}") from None


def _write_text(out: Path, text: str) -> None:
    atomic_write(out, lambda handle: handle.write(text), "w")


def _commit_replacing(stage: Path, has_files: bool, target: Path, write: Callable) -> None:
    """The new data folder in place of the old (moved aside into the stage, so it is
    removed with it), then the incident; on failure the old folder comes back."""
    old = stage / "old"
    moved_old = moved_new = False
    try:
        if os.path.lexists(target):
            os.rename(target, old)
            moved_old = True
        if has_files:
            os.rename(stage / "data", target)
            moved_new = True
        write()
    except BaseException as exc:
        if moved_new:
            os.rename(target, stage / "data")
        if moved_old:
            os.rename(old, target)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
        raise


def _commit_added(staged: Path, files: dict, target: Path, write: Callable) -> None:
    """The new files into the (perhaps new) folder, then the incident; on failure the
    files (and a folder made for them) are removed again."""
    created = not target.exists()
    moved: list[Path] = []
    try:
        if created:
            target.mkdir()
        for name in files:
            if os.path.lexists(target / name):
                raise OutputError(f"{target / name} appeared while importing; run it again")
            os.rename(staged / name, target / name)
            moved.append(target / name)
        write()
    except BaseException as exc:
        for path in moved:
            path.unlink(missing_ok=True)
        if created:
            shutil.rmtree(target, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
        raise
