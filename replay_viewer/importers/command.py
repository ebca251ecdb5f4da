"""``replay-viewer import SOURCE …``: a subcommand per row of :data:`.registry.SOURCES`,
and ``import FILE…`` without a SOURCE, which recognises the first file's shape and says
which importer it chose.

The CLI adds :func:`add_import_parser` to its commands, rewrites a SOURCE-less command line
with :func:`with_sniffed_source`, and calls :func:`run_import`, which prints what it wrote,
or why the input cannot become an incident (exit 1); ``UsageError`` (2) and
``OutputError`` (4) go up to the CLI's handlers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EXIT_INVALID, EXIT_OK
from .common import ImportInputError
from .registry import SOURCES, sniff_source, source_named

if TYPE_CHECKING:
    import argparse

__all__ = ["add_import_parser", "run_import", "with_sniffed_source"]


def add_import_parser(commands) -> None:
    command = commands.add_parser(
        "import",
        help="turn monitoring data into an incident file",
        description="Write an incident file from monitoring data. `import FILE…` (no SOURCE) "
        "recognises the file's shape and says which importer it chose. See "
        "docs/importing.md.",
    )
    sources = command.add_subparsers(dest="source", metavar="SOURCE", required=True)
    for source in SOURCES:
        parser = sources.add_parser(
            source.name, help=source.summary, description=source.description or source.summary
        )
        source.add_arguments(parser)


def with_sniffed_source(argv: list[str]) -> tuple[list[str], str]:
    """``import FILE … [options]`` → ``import SOURCE FILE … [options]`` and a note saying
    which importer was chosen ("" when a SOURCE was given). An unknown shape raises
    :class:`ImportInputError` (exit 1) listing what can be read."""
    if len(argv) < 2 or argv[0] != "import":
        return argv, ""
    first = argv[1]
    names = {source.name for source in SOURCES}
    if first in names or first.startswith("-"):
        return argv, ""
    source = sniff_source(Path(first))
    note = f"replay-viewer: {first}: reading it as `import {source.name}` ({source.summary})"
    return ["import", source.name, *argv[1:]], note


def run_import(args: argparse.Namespace) -> int:
    """Run ``args.source`` and print what was written; bad input is printed here (exit 1),
    usage and output errors go up to the CLI's handlers (exit 2 and 4)."""
    try:
        print(source_named(args.source).run(args))
    except ImportInputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK
