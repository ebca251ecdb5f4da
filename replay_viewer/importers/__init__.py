"""From monitoring data to an incident file: ``replay-viewer import SOURCE …``.

Bottom to top: :mod:`.common` (the imported data, the input error, ids and gaps),
:mod:`.json_source` (JSON with positions for every element), the readers (pure: payload
→ imported series and events; :mod:`.prometheus` and :mod:`.prom_http`, :mod:`.grafana`,
:mod:`.csv_table`), :mod:`.writer` (data → YAML text, checked by the loader, written
atomically), :mod:`.merge` (events into an existing file's text), :mod:`.cli_common` (the
``Source`` row, shared options, writing), one ``*_cli`` module per source (its arguments,
its run, how to recognise its files), :mod:`.registry` (the table of sources) and
:mod:`.command` (the subcommands, and ``import FILE`` without a SOURCE).
See docs/importing.md.
"""

from __future__ import annotations

from .command import add_import_parser, run_import, with_sniffed_source
from .common import ImportInputError

__all__ = ["ImportInputError", "add_import_parser", "run_import", "with_sniffed_source"]
