"""Load incident files (format ``incident-replay/1``) into the immutable model.

The layers, bottom to top: :mod:`.diagnostics` (positioned problems), :mod:`.source`
(bytes to text), :mod:`.compose` (text to a YAML node tree, refusing tags, bombs, cycles
and files too large), :mod:`.yaml_nodes` (typed, positioned reads of nodes and field
tables) and :mod:`.schema` (the format's tables, producing the model). Every problem is
collected as a :class:`Diagnostic` (``PATH:LINE:COL: error: MESSAGE``); if there are any,
:class:`IncidentLoadError` carries all of them. See docs/incident-format.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .compose import compose
from .data_cache import DataCache
from .diagnostics import Diagnostic, IncidentLoadError
from .schema import FORMAT_ID, read_incident
from .schema import reread_events as _reread_events
from .series_files import DataContext
from .source import decode, incident_id_for, read_bytes

if TYPE_CHECKING:
    import yaml

    from ..model import Incident

__all__ = [
    "FORMAT_ID",
    "DataCache",
    "Diagnostic",
    "IncidentLoadError",
    "load_incident",
    "parse_incident",
    "reread_events",
]


def load_incident(
    path: str | Path, *, allow_outside_paths: bool = False, data_cache: DataCache | None = None
) -> Incident:
    """Read and validate an incident file, and the data files its series name.

    Data files must be inside the incident file's folder (after resolving ``..`` and
    symlinks) unless ``allow_outside_paths``: a shared incident must not be able to pull
    arbitrary local files into a picture. A ``data_cache`` keeps the data files' validated
    columns for the next parse (an editor re-parsing after each edit).

    Raises
    ------
    IncidentLoadError
        With every problem found, each positioned ``PATH:LINE:COL``.
    """
    path = Path(path)
    data = read_bytes(path)
    return parse_incident(
        data,
        path=str(path),
        incident_id=incident_id_for(path),
        allow_outside_paths=allow_outside_paths,
        data_cache=data_cache,
    )


def parse_incident(
    source: bytes | str,
    *,
    path: str = "<string>",
    incident_id: str = "incident",
    allow_outside_paths: bool = False,
    data_cache: DataCache | None = None,
) -> Incident:
    """Validate incident YAML given as bytes or text (see :func:`load_incident`).

    Data files are read relative to ``path``'s folder. Without a ``path`` there is no
    folder: a ``file:`` is refused, or, with ``allow_outside_paths``, read relative to the
    current directory.
    """
    text = decode(source, path)
    root, tag_errors = compose(text, path)
    source_path = Path(path) if path != "<string>" else None
    data = DataContext(
        base=source_path.parent if source_path is not None else None,
        allow_outside=allow_outside_paths,
        cache=data_cache,
    )
    incident, diagnostics = read_incident(root, path, incident_id, source_path, data)
    diagnostics = tag_errors + diagnostics
    if diagnostics or incident is None:
        raise IncidentLoadError(diagnostics, tuple(data.files))
    return incident


def reread_events(
    incident: Incident, events: yaml.Node | None, duration: yaml.Node | None, *, path: str
) -> Incident:
    """``incident`` with its ``events`` (and ``duration``) read again from the nodes of an
    edited text whose other values are unchanged; series, thresholds and warnings are
    kept. The nodes must come from text that composes (an editor's parse of it).

    Raises
    ------
    IncidentLoadError
        With every problem in the events (or the duration they no longer fit).
    """
    result, diagnostics = _reread_events(incident, events, duration, path)
    if diagnostics or result is None:
        raise IncidentLoadError(diagnostics)
    return result
