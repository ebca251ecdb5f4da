"""``compare A.yaml B.yaml`` (a window with B overlaid on A) and ``export A.yaml --compare
B.yaml``: the arguments, and the loading both share (B read, then :func:`..compare.overlay`).

Part of the top layer, :mod:`replay_viewer.cli` (nothing imports it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..compare import ALIGNMENTS, overlay

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ..model import Incident

__all__ = ["ALIGN_HELP", "add_compare_options", "add_compare_parser", "compared"]

ALIGN_HELP = (
    "line B up with A at T+0 (t0, the default), at the first detect events (detect) or at the "
    "first deploy events (deploy)"
)


def add_compare_parser(commands, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    """The ``compare`` command: two files, ``--align``, and what ``open`` takes
    (``add_common``: ``--at``, ``--allow-outside-paths``, ``--backend``)."""
    compare = commands.add_parser(
        "compare",
        help="open two incidents overlaid in one window (a recurrence on the first time)",
        description="B's series and events are drawn over A's, lined up by --align: every "
        "series renamed by its incident ('A: p99', 'B: p99'), A's in warm colours and B's "
        "in cool ones, B's events hollow. A's events stay editable.",
    )
    compare.add_argument("file", type=Path, metavar="A.yaml", help="the incident shown (A)")
    compare.add_argument("other", type=Path, metavar="B.yaml", help="the one overlaid (B)")
    compare.add_argument("--align", choices=ALIGNMENTS, default="t0", help=ALIGN_HELP)
    add_common(compare)


def add_compare_options(export: argparse.ArgumentParser) -> None:
    export.add_argument("--compare", type=Path, metavar="B.yaml",
                        help="overlay this incident on FILE, as 'replay-viewer compare' "
                        "shows them (every export kind)")  # fmt: skip
    export.add_argument("--align", choices=ALIGNMENTS, help=ALIGN_HELP + "; with --compare")


def compared(
    load: Callable[[Path], Incident | None], args: argparse.Namespace
) -> Callable[[Path], Incident | None]:
    """``load``, or with ``--compare B`` a load of FILE with B overlaid (None when either
    did not load: its errors were printed)."""
    from ..errors import UsageError

    other = getattr(args, "compare", None)
    if other is None:
        if getattr(args, "align", None) is not None:
            raise UsageError("--align lines up a compared incident: give --compare B.yaml")
        return load

    def load_both(path: Path) -> Incident | None:
        first = load(path)
        second = load(other) if first is not None else None
        if second is None:
            return None
        return overlay(first, second, args.align or "t0")

    return load_both
