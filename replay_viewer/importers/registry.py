"""The importers' table: one :class:`~.cli_common.Source` row per source, in the order
``import FILE…`` (no SOURCE) tries to recognise a file. The CLI's subcommands, the sniffer
and docs/importing.md's list all come from it; adding a source is a row here plus its
module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import ImportInputError
from .json_lines import read_documents

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["SNIFF_BYTES", "SOURCES", "sniff_source", "source_named"]

SNIFF_BYTES = 64 * 1024  # enough of a file's start to tell its shape


def _sources() -> tuple:
    from . import (
        alertmanager_cli,
        cloudwatch_cli,
        csv_cli,
        datadog_cli,
        grafana_cli,
        influxdb_cli,
        otlp_cli,
        pagerduty_cli,
        prometheus_cli,
        slack_cli,
        victoriametrics_cli,
    )

    # CSV last: "a line with commas" is the weakest test.
    return (
        prometheus_cli.SOURCE,
        grafana_cli.SOURCE,
        otlp_cli.SOURCE,
        cloudwatch_cli.SOURCE,
        datadog_cli.SOURCE,
        influxdb_cli.SOURCE,
        victoriametrics_cli.SOURCE,
        alertmanager_cli.SOURCE,
        pagerduty_cli.SOURCE,
        slack_cli.SOURCE,
        csv_cli.SOURCE,
    )


SOURCES = _sources()


def source_named(name: str):
    return next(source for source in SOURCES if source.name == name)


def sniff_source(path: Path):
    """The source whose files look like ``path`` (its first bytes); an unknown shape is an
    :class:`ImportInputError` listing what can be read, and JSON that does not parse, or a
    folder that is not a Slack export, says so."""
    folder = path.is_dir()
    try:
        if folder:  # a folder (a Slack export): its file names, after "DIR:"
            head = "DIR:\n" + "\n".join(sorted(child.name for child in path.iterdir()))
        else:
            with open(path, "rb") as handle:
                head = handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError as exc:
        raise ImportInputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    for source in SOURCES:
        if source.sniff is not None and source.sniff(head):
            return source
    if folder:
        raise ImportInputError(
            "a directory, and not a Slack export (channels.json and users.json beside a folder "
            "per channel): give a file, or name its SOURCE (replay-viewer import --help)",
            str(path),
        )
    if head.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        for _ in read_documents(path):  # a syntax error is said where it is
            pass
    known = "\n".join(f"  {source.name:22s} {source.summary}" for source in SOURCES)
    raise ImportInputError(
        "not a shape replay-viewer can import; it reads:\n" + known, f"{path}:1:1"
    )
