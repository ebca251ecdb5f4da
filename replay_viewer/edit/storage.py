"""The incident file on disk: read with what identifies its content, written atomically,
and the errors a user can act on (a read-only file, a full disk: the edits are kept)."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..files import atomic_write
from ..loader.source import decode, read_bytes
from .problems import SaveError

__all__ = ["OnDisk", "digest", "read_file", "real_path", "stamp", "write_file"]

_BOM = b"\xef\xbb\xbf"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def real_path(path: str | Path) -> Path:
    """The file itself: absolute, symbolic links resolved (a save replaces the file a link
    points at, not the link)."""
    return Path(os.path.realpath(path))


def stamp(path: Path) -> tuple[int, int] | None:
    """Size and modification time: a cheap first look at whether a file changed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


@dataclass(frozen=True)
class OnDisk:
    """A file's content as read: its text (without a byte-order mark), whether it had
    one, and the SHA-256 of its bytes."""

    text: str
    bom: bool
    sha256: str
    stamp: tuple[int, int] | None


def read_file(path: Path) -> OnDisk:
    """The incident file's text; :class:`~replay_viewer.loader.IncidentLoadError` (at 1:1)
    when it cannot be read or is not text."""
    before = stamp(path)
    data = read_bytes(path)
    return OnDisk(decode(data, str(path)), data.startswith(_BOM), digest(data), before)


def encoded(text: str, bom: bool) -> bytes:
    return (_BOM if bom else b"") + text.encode("utf-8")


def write_file(path: Path, text: str, *, bom: bool) -> OnDisk:
    """Write ``text`` to ``path`` atomically (all or nothing).

    Raises
    ------
    SaveError
        The file is read-only (no write permission bit, or this user may not write it), or
        the write failed (folder not writable, disk full); the message says what to do.
    """
    if _read_only(path):
        raise SaveError(
            f"{path} is read-only; your edits are kept: save them as another file "
            "(or make the file writable and save again)",
            path,
            read_only=True,
            reason=f"{path} is read-only",
        )
    data = encoded(text, bom)
    try:
        atomic_write(path, lambda out: out.write(data))
    except OutputError as exc:
        raise SaveError(
            f"{exc}; your edits are kept: save them as another file, or fix this and save again",
            path,
            read_only="ermission denied" in str(exc) or "ead-only file system" in str(exc),
            reason=str(exc),
        ) from None
    return OnDisk(text, bom, digest(data), stamp(path))


def _read_only(path: Path) -> bool:
    """No write bit at all (what a user means by read-only, also for root, who may write
    anything), or no permission for this user."""
    try:
        info = os.stat(path)
    except OSError:
        return False  # a new file: the folder decides
    if not stat.S_ISREG(info.st_mode):
        return False
    return not info.st_mode & 0o222 or not os.access(path, os.W_OK)
