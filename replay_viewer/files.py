"""Atomic file writes and folder locks: a temporary file in the destination folder, then a
rename, so an interrupted write never leaves a truncated file behind; an advisory lock so two
exports never write into one folder at once."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "FILE_MODE",
    "FolderLock",
    "atomic_write",
    "describe_os_error",
    "held_temp",
    "write_json_atomic",
]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# mkstemp creates 0600 files; a new file gets the usual permissions instead.
FILE_MODE = 0o666 & ~_umask()


def describe_os_error(exc: OSError) -> str:
    """The reason of an OSError without the file name it carries (which may be a temporary
    file the user never asked for)."""
    return exc.strerror or type(exc).__name__


def _mode_for(path: Path) -> int:
    """The permission bits the finished file gets: those of the file it replaces (a user who
    made a file private keeps it private), else the usual ones."""
    try:
        existing = os.stat(path)
    except OSError:
        return FILE_MODE
    return stat.S_IMODE(existing.st_mode) if stat.S_ISREG(existing.st_mode) else FILE_MODE


def atomic_write(path: Path, write: Callable[[object], None], mode: str = "wb") -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place:
    all or nothing. A replaced file keeps its permission bits (a rename gives it a new inode,
    so hard links to the old file keep the old content).

    Raises
    ------
    OutputError
        Naming ``path`` (never the temporary file) and the reason, when it cannot be written.
    """
    path = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {describe_os_error(exc)}") from None
    try:
        with os.fdopen(handle, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, _mode_for(path))
        os.replace(temp_name, path)
    except BaseException as exc:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {describe_os_error(exc)}") from None
        raise


def held_temp(path: Path) -> tuple[int, str]:
    """A temporary file beside ``path`` for a long write (an animation), as ``(fd, name)``,
    locked (flock) while its fd is open. Temporary files of ``path`` that no process holds
    are what a killed export left: they are removed first. Raises OSError."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): nothing tells a dead writer's file apart
        fcntl = None
    if fcntl is not None:
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                fd = os.open(leftover, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError: a writer holds it
                    leftover.unlink()
                finally:
                    os.close(fd)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd, name


def write_json_atomic(path: Path, data: object) -> None:
    atomic_write(path, lambda out: json.dump(data, out, indent=2, ensure_ascii=False), "w")


class FolderLock:
    """An exclusive, non-blocking lock on ``folder/name`` held by this process until
    :meth:`release` (or until the process dies: the kernel drops ``flock`` locks, so a killed
    export never leaves the folder locked).

    The lock file is removed on release; a process that opened it just before then finds,
    after locking, that the path names another file, and tries again.
    """

    def __init__(self, folder: Path, name: str = ".frames.lock") -> None:
        self.path = Path(folder) / name
        self._fd: int | None = None
        # The claim made the folder: an export that wrote nothing leaves no empty folder.
        self.created_folder = False

    def acquire(self) -> bool:
        """True when this process now holds the lock; False when another one does."""
        try:
            import fcntl
        except ImportError:  # no flock (Windows): an exclusive create, removed on release
            try:
                self._fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
            except FileExistsError:
                return False
            os.write(self._fd, str(os.getpid()).encode())
            return True
        for _ in range(10):
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
                self._fd = fd
                return True
            os.close(fd)  # the holder released and removed it meanwhile: lock the new one
        return False

    def holder(self) -> str:
        """The pid written in the lock file, or "" when unknown."""
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # before closing, while still ours
        finally:
            os.close(self._fd)
            self._fd = None
        if self.created_folder:
            with contextlib.suppress(OSError):  # not empty: something was written, keep it
                self.path.parent.rmdir()

    @property
    def held(self) -> bool:
        return self._fd is not None
