"""Notice when the open incident file changes on disk (polling: portable, no extra deps)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["FileWatcher"]


class FileWatcher:
    """``changed()`` is True once per change of the file's mtime, size or inode (editors
    that save by rename included); a missing file is not a change until it comes back."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._signature = self._read()

    def _read(self) -> tuple[int, int, int] | None:
        if self.path is None:
            return None
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def watch(self, path: Path | None) -> None:
        self.path = path
        self._signature = self._read()

    def changed(self) -> bool:
        signature = self._read()
        if signature is None or signature == self._signature:
            return False
        self._signature = signature
        return True
