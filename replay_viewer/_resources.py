"""Locate files shipped beside the code: WGSL shaders and the bundled incidents.

In the repository they live at the top level (``shaders/``, ``incidents/``); the wheel
carries them inside the package (see ``force-include`` in pyproject.toml). An editable
install therefore finds them one folder up, an installed wheel finds them in the package.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

__all__ = ["BUNDLED_INCIDENT", "bundled_incident", "resource_dir"]


@functools.cache
def resource_dir(name: str) -> Path:
    """The folder holding the shipped ``name`` files ("shaders" or "incidents")."""
    packaged = Path(str(importlib.resources.files("replay_viewer"))) / name
    if packaged.is_dir():
        return packaged
    in_repository = Path(__file__).resolve().parent.parent / name
    if in_repository.is_dir():
        return in_repository
    raise FileNotFoundError(f"replay-viewer is missing its {name}/ folder; reinstall the package")


def bundled_incident() -> Path:
    return resource_dir("incidents") / BUNDLED_INCIDENT


BUNDLED_INCIDENT = "cache-stampede.yaml"
