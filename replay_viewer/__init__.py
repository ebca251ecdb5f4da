"""replay-viewer: replay production incidents on the GPU.

Public API (the CLI and the window are built on these):

- :func:`load_incident` / :func:`parse_incident` — incident YAML to the immutable model,
  raising :class:`IncidentLoadError` with positioned diagnostics.
- :class:`Incident`, :class:`Series`, :class:`Event` … — the model.
- :func:`parse_timecode` / :func:`format_timecode` — ``T+MM:SS`` and friends.
"""

from __future__ import annotations

from ._version import __version__
from .loader import Diagnostic, IncidentLoadError, load_incident, parse_incident
from .model import Event, Incident, Learning, Outcome, Series, Threshold
from .timecode import format_timecode, parse_timecode

__all__ = [
    "Diagnostic",
    "Event",
    "Incident",
    "IncidentLoadError",
    "Learning",
    "Outcome",
    "Series",
    "Threshold",
    "__version__",
    "format_timecode",
    "load_incident",
    "parse_incident",
    "parse_timecode",
]
