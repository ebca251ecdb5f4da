"""The window tests' seam (``REPLAY_VIEWER_TEST_FAULTS=1``, F12): what the window shows, as
JSON in ``$REPLAY_VIEWER_TEST_STATE``, in window points, so a test driving the real window
with xdotool knows where things are and what they say."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..files import write_json_atomic
from ..render.instances import event_clusters
from ..render.series_geometry import line_point

if TYPE_CHECKING:
    from ..render.layout import ChartLayout
    from .context import UiContext
    from .state import AppState

__all__ = ["dump_state"]


def dump_state(state: AppState, ui: UiContext) -> None:
    """Write what the window shows (nothing without the environment variable)."""
    out = os.environ.get("REPLAY_VIEWER_TEST_STATE")
    layout = ui.chart_layout
    if not out or layout is None:
        return
    ox, oy = ui.chart_origin  # window points; the layout's are physical pixels of the image
    pr = layout.pixel_ratio
    shown = {
        "t": state.t,
        "view": state.view,
        "hidden": sorted(state.hidden),
        "highlight": sorted(state.highlight),
        "hover_series": state.hover_series,
        "members": state.members.group,
        "member_rows": ui.shown_rows if state.members.group else [],
        "rects": {name: rect for name, rect in ui.rects.items()
                  if name.startswith(("member", "editor", "answer", "prompt", "export"))},
        "export_message": state.export.message,
        "edits": {
            "dirty": state.edits.dirty,
            "editor": state.edits.editor.open,
            "typing": bool(imgui.get_io().want_text_input),  # a text field has the keyboard
            "editor_error": state.edits.editor.error,
            "prompt": state.edits.prompt.kind,
            "events": [[e.at, e.title, e.star] for e in state.incident.events],
        },
        "tooltip": ui.tooltip,
        "show_help": state.show_help,
        "mouse": list(imgui.get_io().mouse_pos),
        "plot": [ox + layout.chart.x0 / pr, oy + layout.chart.y0 / pr,
                 ox + layout.chart.x1 / pr, oy + layout.chart.y1 / pr],
        "legend": [[ox + c.x + c.width / 2, oy + c.y] for c in layout.legend],
        "glyphs": [[ox + x / pr, oy + layout.event_lane_y / pr, events[0].title]
                   for x, events in event_clusters(state.incident, layout)],
        "lone_line": _lone_line(state, layout, (ox, oy)),
        "autoscale": state.autoscale,
        "live": state.live,
        "layout_live": layout.live,
        "axes": layout.axis_ranges,
        "menu": {name: rect for name, rect in ui.rects.items() if name.startswith("menu-")},
    }  # fmt: skip
    write_json_atomic(Path(out), shown)  # the test never reads half a file


def _lone_line(state: AppState, layout: ChartLayout, origin) -> list | None:
    """A point on the topmost visible line where it stands 12 points clear of every other
    (series id, x, y): where a test hovers to see the line named."""
    incident, pr = state.incident, layout.pixel_ratio
    visible = [s for s in incident.series if s.id not in layout.hidden]
    for share in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        x = layout.chart.x0 + share * layout.chart.width
        t = layout.to_t(x)
        ys = []
        for series in visible:
            point = line_point(series.times, series.values, t)
            if point is not None:
                ys.append((layout.axis_for(series.id).to_y(point[1]), series.id))
        ys.sort()
        if len(ys) > 1 and (ys[1][0] - ys[0][0]) / pr > 12:
            return [ys[0][1], origin[0] + x / pr, origin[1] + ys[0][0] / pr]
    return None
