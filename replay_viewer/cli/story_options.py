"""``export``'s story options: ``--captions`` (the caption card burnt into a PNG, GIF or
MP4 near each told moment), ``--events`` (which moments: ``auto``, ``all``, ``starred`` or
listed times; also an MP4's chapters) and ``--hold`` (how long an animation rests on each).

Part of the top layer, :mod:`replay_viewer.cli` (nothing imports it).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..story import parse_event_choice
from ..timecode import TimecodeError, format_timecode, parse_timecode

if TYPE_CHECKING:
    from ..export.captions import StoryTrack
    from ..export.plan import ExportPlan
    from ..model import Incident
    from ..story import Caption

__all__ = ["add_story_options", "check_story_options", "frame_caption", "plan_story"]


def _seconds(text: str) -> float:
    try:
        seconds = parse_timecode(text)
    except TimecodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative; give a duration like 1.5s")
    return seconds


def add_story_options(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--captions",
        action="store_true",
        help="burn each told moment's caption card (time, kind, title, detail, the data "
        "milestone near it) into the frames while the playhead is near it (--gif, --mp4), "
        "or into --at's PNG when a moment is that close",
    )
    export.add_argument(
        "--events",
        metavar="WHICH",
        help="the moments told (captions, an MP4's chapters, the storyboard, the report): "
        "auto (the starred events, else every event; the default), all, starred, or times "
        "T+05:00,T+07:30",
    )
    export.add_argument(
        "--hold",
        type=_seconds,
        metavar="DUR",
        help="with --captions: how long the animation rests on each moment (default 1.2s; "
        "0: never), taken from --duration, at most 40%% of it",
    )


def check_story_options(args: argparse.Namespace, *, animation: bool) -> None:
    """Refuse story options where they do nothing (before the GPU boots)."""
    if not (args.captions or args.events or args.hold is not None):
        return
    sequence = not animation and (args.frames is not None or args.every is not None)
    if sequence:
        raise UsageError("--captions, --events and --hold are for --at, --gif and --mp4")
    if args.hold is not None and not (animation and args.captions):
        raise UsageError("--hold is how long a captioned animation rests: add --captions")
    if args.hold and (args.frames is not None or args.every is not None):
        raise UsageError("--hold rests the playhead within --duration; --frames and --every "
                         "keep their frames as asked (no rests)")  # fmt: skip
    if args.events and not args.captions and not (animation and args.mp4 is not None):
        raise UsageError("--events chooses the captioned moments (and an MP4's chapters, "
                         "a --storyboard's or a --report's): add --captions")  # fmt: skip


def _choice(args: argparse.Namespace):
    return parse_event_choice(args.events) if args.events else "auto"


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        print(f"replay-viewer: warning: {warning}", file=sys.stderr)


def plan_story(args: argparse.Namespace, incident: Incident, *, fps: float,
               span: tuple[float, float] | None) -> tuple[ExportPlan, StoryTrack]:  # fmt: skip
    """An animation's frame times, captions and chapters from the command line."""
    from ..export.captions import plan_told

    try:
        plan, track = plan_told(
            incident, fps=fps, choice=_choice(args), captions=args.captions, hold=args.hold,
            frames=args.frames, every=args.every, duration=args.duration, span=span,
            live=args.live,
        )  # fmt: skip
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.captions or args.events:
        _warn(track.warnings)
    return plan, track


def frame_caption(args: argparse.Namespace, incident: Incident, t: float,
                  span: tuple[float, float] | None) -> tuple[Caption, float] | None:  # fmt: skip
    """``--at … --captions``: the caption of the told moment at ``t`` (near it), if any;
    with ``--live`` only a moment that has happened, as it was known then."""
    if not args.captions:
        return None
    from ..export.captions import caption_near

    shown = caption_near(incident, t, choice=_choice(args), span=span, live=args.live)
    if shown is None:
        print(f"replay-viewer: note: no told moment is near {format_timecode(t)}: no caption",
              file=sys.stderr)  # fmt: skip
    return shown
