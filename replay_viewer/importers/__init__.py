"""From monitoring data to an incident file: ``replay-viewer import SOURCE …``.

Bottom to top: :mod:`.common` (the imported data, the input error, ids and gaps),
:mod:`.json_source` (JSON with positions for every element), the readers
(:mod:`.prometheus` and :mod:`.prom_http`, :mod:`.grafana`, :mod:`.csv_table`),
:mod:`.writer` (data → YAML text, checked by the loader, written atomically),
:mod:`.merge` (events into an existing file's text) and :mod:`.command` (the arguments).
See docs/importing.md.
"""

from __future__ import annotations

from .command import add_import_parser, run_import
from .common import ImportInputError

__all__ = ["ImportInputError", "add_import_parser", "run_import"]
