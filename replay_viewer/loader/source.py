"""Incident file bytes to text: size limit, UTF-8, and characters YAML cannot hold."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .diagnostics import fail

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "decode", "incident_id_for", "read_bytes"]

# Inline YAML samples are meant for incidents of thousands of points, not millions; the
# limit keeps a hostile or accidental multi-GB file from being read at all.
MAX_FILE_BYTES = 64 * 1024 * 1024

_EMPTY = "file is empty; expected an incident with 'title' and 'series'"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing unreadable and oversized files with one diagnostic."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            fail(1, 1, _too_large(size), shown)
        return path.read_bytes()
    except IsADirectoryError:
        fail(1, 1, "is a directory, not a file", shown)
    except OSError as exc:
        fail(1, 1, f"cannot read file: {exc.strerror or exc}", shown)


def _too_large(size: int) -> str:
    return (
        f"file is {size / 2**20:.0f} MiB; incident files are limited to "
        f"{MAX_FILE_BYTES // 2**20} MiB"
    )


def incident_id_for(path: Path) -> str:
    """The incident id a file name gives: its stem, reduced to safe characters."""
    stem = path.name
    for suffix in (".yaml", ".yml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "incident"


def decode(source: bytes | str, path: str) -> str:
    """UTF-8 (with or without BOM) to text; refuses empty and binary files."""
    if isinstance(source, str):
        text = source
    else:
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = source.count(b"\n", 0, exc.start) + 1
            column = exc.start - (source.rfind(b"\n", 0, exc.start) + 1) + 1
            bad = source[exc.start : exc.start + 1].hex()
            fail(line, column, f"file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8", path)
    if not text.strip():
        fail(1, 1, _EMPTY, path)
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        fail(line, column, "file contains a NUL byte; is it a binary file?", path)
    return text
