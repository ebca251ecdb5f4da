"""Validated data-file columns kept between parses of one incident.

An editor re-parses the incident's text after every edit to check it, while the data files
it names stay as they were: with a :class:`DataCache` such a parse takes a file's validated,
sorted columns from the last read instead of reading and checking millions of rows again.
An entry is used only while the file's size, modification time and inode are unchanged and
the series reads it the same way (``columns``, ``time``, T+0, time zone).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["DataCache"]


class DataCache:
    """Data-file reads by (path, how it is read), each valid while the file is unchanged."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, Any], tuple[tuple[int, ...], Any]] = {}
        self.hits = 0  # for tests and measurements
        self.misses = 0

    @staticmethod
    def signature(path: Path) -> tuple[int, ...] | None:
        """What changes when the file does (None when it cannot be read)."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)

    def get(self, path: Path, how: Any) -> tuple[tuple[int, ...] | None, Any]:
        """The file's signature now, and what was read from it with that signature (None
        when nothing was, or the file changed since)."""
        signature = self.signature(path)
        entry = self._entries.get((str(path), how))
        if signature is not None and entry is not None and entry[0] == signature:
            self.hits += 1
            return signature, entry[1]
        self.misses += 1
        return signature, None

    def put(self, path: Path, how: Any, signature: tuple[int, ...] | None, result: Any) -> None:
        """Keep ``result`` as what ``path`` (as it was at ``signature``) reads as."""
        if signature is not None:
            self._entries[(str(path), how)] = (signature, result)

    def clear(self) -> None:
        self._entries.clear()
