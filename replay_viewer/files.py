"""Atomic file writes: a temporary file in the destination folder, then a rename, so an
interrupted write never leaves a truncated file behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["FILE_MODE", "atomic_write", "write_json_atomic"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# mkstemp creates 0600 files; a finished file gets the usual permissions instead.
FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, write: Callable[[object], None], mode: str = "wb") -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place:
    all or nothing."""
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise


def write_json_atomic(path: Path, data: object) -> None:
    atomic_write(path, lambda out: json.dump(data, out, indent=2, ensure_ascii=False), "w")
