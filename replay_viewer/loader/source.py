"""Incident file bytes to text: size limit, UTF-8, and characters YAML cannot hold.

Positions here count characters and YAML's line breaks, as the YAML parser's marks do, so
that every diagnostic's LINE:COL points at the same place an editor shows.
"""

from __future__ import annotations

import os
import re
import stat
from typing import TYPE_CHECKING

from .diagnostics import fail

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "char_at", "decode", "incident_id_for", "position", "read_bytes"]

# Inline YAML samples are meant for incidents of thousands of points, not millions; the
# limit keeps a hostile or accidental multi-GB file from being read at all.
MAX_FILE_BYTES = 64 * 1024 * 1024

_EMPTY = "file is empty; expected an incident with 'title' and 'series'"
# YAML's line breaks (CR LF, CR, LF, NEL, LS, PS), as libyaml and PyYAML count lines.
_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# What YAML calls non-printable (PyYAML's Reader.NON_PRINTABLE): refused by the parser with
# a message at 1:1 that names an offset instead of a line, so we find them first.
_NON_PRINTABLE_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Opened without blocking (a FIFO would wait for a writer) and checked to be a regular file.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing unreadable, non-regular and oversized files.

    At most ``MAX_FILE_BYTES + 1`` bytes are ever read, whatever the file claims its size
    is (``/proc`` files say 0, a growing file says less than it has).
    """
    shown = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except IsADirectoryError:
        fail(1, 1, "is a directory, not a file", shown)
    except OSError as exc:
        fail(1, 1, f"cannot read file: {exc.strerror or exc}", shown)
    except ValueError:  # a NUL in the path
        fail(1, 1, "cannot read file: the path contains a NUL character", shown)
    try:
        with os.fdopen(fd, "rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            if stat.S_ISDIR(mode):
                fail(1, 1, "is a directory, not a file", shown)
            if not stat.S_ISREG(mode):
                fail(
                    1,
                    1,
                    "is not a regular file (a device, pipe or socket); "
                    "give the path of an incident file",
                    shown,
                )
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                fail(1, 1, _too_large(f"{size / 2**20:.0f} MiB"), shown)
            data = file.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:  # io refuses a directory before our own check
        fail(1, 1, "is a directory, not a file", shown)
    except OSError as exc:
        fail(1, 1, f"cannot read file: {exc.strerror or exc}", shown)
    if len(data) > MAX_FILE_BYTES:
        fail(1, 1, _too_large(f"over {MAX_FILE_BYTES // 2**20} MiB"), shown)
    return data


def _too_large(size: str) -> str:
    return f"file is {size}; incident files are limited to {MAX_FILE_BYTES // 2**20} MiB"


def incident_id_for(path: Path) -> str:
    """The incident id a file name gives: its stem, reduced to safe characters."""
    stem = path.name
    for suffix in (".yaml", ".yml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "incident"


def decode(source: bytes | str, path: str) -> str:
    """UTF-8 (with or without BOM) to text; refuses empty, binary and non-YAML text."""
    if isinstance(source, str):
        text = source
    else:
        try:
            text = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            # Columns count characters: decode what came before the bad byte.
            before = bytes(source)[: exc.start].decode("utf-8-sig", errors="replace")
            bad = bytes(source)[exc.start : exc.start + 1].hex()
            line, column = position(before, len(before))
            fail(line, column, f"file is not valid UTF-8 (byte 0x{bad}); save it as UTF-8", path)
    if not text.strip():
        fail(1, 1, _EMPTY, path)
    if "\x00" in text:
        line, column = position(text, text.index("\x00"))
        fail(line, column, "file contains a NUL byte; is it a binary file?", path)
    bad_char = _NON_PRINTABLE_RE.search(text, 1 if text.startswith("\ufeff") else 0)
    if bad_char:
        line, column = position(text, bad_char.start())
        code = ord(bad_char.group())
        kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        fail(
            line,
            column,
            f"file contains U+{code:04X} ({kind}), which YAML does not allow; remove it "
            r'(write it as an escape such as "\a" inside double quotes if you need it)',
            path,
        )
    return text


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``text[offset]``."""
    line = 1
    line_start = 0
    for match in _BREAK_RE.finditer(text, 0, offset):
        if match.end() > offset:  # the middle of a CR LF
            break
        line += 1
        line_start = match.end()
    return line, offset - line_start + 1


def char_at(text: str, line: int, column: int) -> str:
    """The character at a 1-based line and column, or '' if there is none."""
    start = 0
    for _ in range(line - 1):
        match = _BREAK_RE.search(text, start)
        if match is None:
            return ""
        start = match.end()
    index = start + column - 1
    return text[index] if 0 <= index < len(text) else ""
