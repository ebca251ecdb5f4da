"""File ▸ Recent: the last ten incident files, kept in the user's config folder
(``$XDG_CONFIG_HOME/replay-viewer/recent.json`` on Linux, via platformdirs)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..files import write_json_atomic

__all__ = ["MAX_RECENT", "RecentFiles", "default_config_dir"]

MAX_RECENT = 10


def default_config_dir() -> Path:
    override = os.environ.get("REPLAY_VIEWER_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("replay-viewer", appauthor=False))


class RecentFiles:
    """Most recent first, unique, at most ten; a broken or missing file reads as empty."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or default_config_dir()) / "recent.json"
        self.paths: list[Path] = self._read()

    def _read(self) -> list[Path]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [Path(p) for p in data.get("recent", []) if isinstance(p, str)][:MAX_RECENT]
        except (OSError, ValueError, AttributeError):
            return []

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self.paths = [path, *(p for p in self.paths if p != path)][:MAX_RECENT]
        self._write()

    def remove(self, path: Path) -> None:
        self.paths = [p for p in self.paths if p != Path(path)]
        self._write()

    def _write(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(self.path, {"recent": [str(p) for p in self.paths]})
        except OSError:
            pass  # a read-only config folder must not break opening files
