"""``export FILE --storyboard OUT.png``: the story's moments as one figure.

Part of the top layer, :mod:`replay_viewer.cli` (nothing imports it). Everything a user can
get wrong (the options it cannot take, ``--events``, ``--size``, an existing OUT) is
refused before the GPU boots; the plan's warnings are printed as ``FILE: warning: …``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..errors import EXIT_OK, UsageError
from ..options import check_clock, parse_range, parse_series

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ..export.storyboard import StoryboardSettings
    from ..model import Incident
    from ..story import StoryPlan

__all__ = ["add_storyboard_options", "cmd_storyboard"]

# What a storyboard cannot take: it writes one figure of its own moments, captioned. Not
# live either: its header and metrics strip tell how the incident ended.
NOT_WITH = (("at", "--at"), ("frames", "--frames"), ("every", "--every"), ("output", "-o"),
            ("fps", "--fps"), ("duration", "--duration"), ("resume", "--resume"),
            ("captions", "--captions"), ("hold", "--hold"), ("live", "--live"))  # fmt: skip


def add_storyboard_options(kind) -> None:
    """``--storyboard`` (in ``kind``, the group of export kinds that exclude each other);
    its moments are ``--events``, every story export's (:mod:`.story_options`)."""
    kind.add_argument(
        "--storyboard",
        metavar="OUT.png",
        help="one figure of small charts at the told moments (--events: the starred events, "
        "else every event; at most 12), each with its caption, under the title and the time "
        "to detect / mitigate / recover; --size slide (1920x1080, the default), a4 or WxH",
    )


def _settings(args: argparse.Namespace, incident: Incident) -> StoryboardSettings:
    from ..export.storyboard import StoryboardSettings
    from ..export.storyboard_layout import parse_storyboard_size

    return StoryboardSettings(
        size=parse_storyboard_size(args.size),
        scale=args.scale,
        ghost=not args.no_ghost,
        png=args.png_level,
        view=parse_range(incident, args.range) if args.range else None,
        clock=check_clock(incident, args.clock),
        theme=args.theme,
        hidden=parse_series(incident, args.hide, "--hide"),
        highlight=parse_series(incident, args.highlight, "--highlight"),
        autoscale=not args.no_autoscale,
    )


def _plan(args: argparse.Namespace, incident: Incident, view) -> StoryPlan:
    from ..story import parse_event_choice, story_moments

    choice = parse_event_choice(args.events) if args.events else "auto"
    plan = story_moments(incident, choice)
    if view is not None:
        outside = [m.t for m in plan.moments if not view[0] <= m.t <= view[1]]
        if outside:
            from ..timecode import format_timecode

            raise UsageError(
                f"--range {args.range}: moment {format_timecode(outside[0])} is outside it; "
                "widen --range or choose moments with --events"
            )
    return plan


def cmd_storyboard(args: argparse.Namespace, incident: Incident, adapter: Callable) -> int:
    """Check everything, boot at the panels' size, render and write the storyboard."""
    from ..export.storyboard import export_storyboard, storyboard_path
    from ..export.storyboard_layout import storyboard_layout
    from ..export.storyboard_text import shown_words

    given = [option for name, option in NOT_WITH if getattr(args, name, None) not in (None, False)]
    if given:
        raise UsageError(f"--storyboard writes one figure of its own moments: leave out "
                         f"{', '.join(given)}")  # fmt: skip
    settings = _settings(args, incident)
    plan = _plan(args, incident, settings.view)
    out = storyboard_path(_path(args.storyboard), overwrite=args.overwrite)
    settings = settings.for_plan(incident, plan)
    board = storyboard_layout(len(plan.moments), settings.size, settings.scale)
    for warning in plan.warnings:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    boot, status = _boot(incident, args, settings, board, plan.moments[0].t, adapter())
    if boot is None:
        return status
    try:
        pixels = export_storyboard(boot.renderer, incident, plan, out, settings,
                                   overwrite=args.overwrite)  # fmt: skip
    except OSError as exc:  # atomic writes raise OutputError; this is anything else
        from ..errors import OutputError

        raise OutputError(f"cannot write output: {exc}") from None
    print(f"{out}: storyboard of {shown_words(incident, plan)} ({pixels.shape[1]}×"
          f"{pixels.shape[0]}, {board.rows}×{board.columns} panels)")  # fmt: skip
    return EXIT_OK


def _path(text: str):
    from pathlib import Path

    return Path(text)


def _boot(incident: Incident, args, settings, board, first: float, adapter):
    """The six boot stages at the panels' pixel size and layout (frame 0: the first
    moment); None and the exit status after printing why not."""
    from ..render.boot import Boot, BootError

    boot = Boot(
        incident,
        *board.panel_px,
        board.panel_ratio,
        backend=args.backend,
        start_time=first,
        frame_options=settings.render_options(),
        layout_options=settings.panel_layout_options(),
        adapter=adapter,
    )
    try:
        boot.run()
    except BootError as exc:
        print(f"replay-viewer: error: [{exc.stage}/6] {exc}", file=sys.stderr)
        return None, exc.exit_code
    return boot, EXIT_OK
