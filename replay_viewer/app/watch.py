"""Notice when the open incident file, or a data file it reads, changes on disk (polling:
portable, no extra deps)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = ["FileWatcher"]

Signature = tuple[int, int, int] | None


class FileWatcher:
    """``changed()`` is True once per change of a watched file's mtime, size or inode
    (editors that save by rename included); a missing file is not a change until it comes
    back. ``path`` is the incident file; ``also`` the data files its series read."""

    def __init__(self, path: Path | None = None, also: Iterable[Path] = ()) -> None:
        self.watch(path, also)

    @staticmethod
    def _read(path: Path) -> Signature:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def watch(self, path: Path | None, also: Iterable[Path] = ()) -> None:
        self.path = path
        paths = [] if path is None else [path]
        self.also = tuple(p for p in dict.fromkeys(also) if p != path)
        self._signatures = {p: self._read(p) for p in [*paths, *self.also]}

    def changed(self) -> bool:
        changed = False
        for path, before in self._signatures.items():
            signature = self._read(path)
            if signature is not None and signature != before:
                self._signatures[path] = signature
                changed = True
        return changed
