"""The viewer's main window: header, error banner, chart, side panels, scrubber and status
bar, laid out for the window's size (panels beside the chart, or under it when narrow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..describe import incident_facts
from ..render.style import PALETTE
from .chart_view import gui_chart
from .scrubber import gui_scrubber
from .side_panels import gui_panels
from .theme import ACCENT, DANGER, DIM, FAINT, TEXT, backdrop, text, u32

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_viewer"]

SIDE_PANEL_PT = 380.0
SCRUBBER_PT = 74.0
STATUS_PT = 24.0
NARROW_PT = 980.0  # below this width the panels go under the chart


def gui_viewer(state: AppState, ui: UiContext, actions: Actions) -> None:
    viewport = imgui.get_main_viewport()
    with backdrop("viewer", viewport.work_pos, viewport.work_size, padding=(12, 8)):
        _viewer_body(state, ui, actions)


def _viewer_body(state: AppState, ui: UiContext, actions: Actions) -> None:
    gui_header(state, ui)
    if state.errors:
        gui_error_banner(state, ui)
    elif state.incident.warnings and not state.warnings_dismissed:
        gui_warning_banner(state, ui)
    avail = imgui.get_content_region_avail()
    body_h = max(avail.y - SCRUBBER_PT - STATUS_PT, 80)
    any_panel = any(state.panels.values())
    if any_panel and avail.x >= NARROW_PT:
        gui_chart(state, ui, actions, max(avail.x - SIDE_PANEL_PT - 8, 200), body_h)
        imgui.same_line()
        with imgui_ctx.begin_child("panels", (0, body_h), imgui.ChildFlags_.borders):
            gui_panels(state, ui, actions)
    elif any_panel:
        chart_h = max(body_h * 0.62, 120)
        gui_chart(state, ui, actions, avail.x, chart_h)
        with imgui_ctx.begin_child("panels", (0, body_h - chart_h - 6),
                                   imgui.ChildFlags_.borders):  # fmt: skip
            gui_panels(state, ui, actions)
    else:
        gui_chart(state, ui, actions, avail.x, body_h)
    gui_scrubber(state, ui, actions)
    gui_status_bar(state, ui, actions)


def _severity_badge(severity: str, fonts) -> None:
    start = imgui.get_cursor_screen_pos()
    draw_list = imgui.get_window_draw_list()
    with imgui_ctx.push_font(fonts.bold, 14):
        size = imgui.calc_text_size(severity)
    x0, y0 = start.x, start.y + 5
    corner = (x0 + size.x + 14, y0 + 22)
    draw_list.add_rect_filled((x0, y0), corner, u32(PALETTE.severity, 0.18), 4)
    draw_list.add_rect((x0, y0), corner, u32(PALETTE.severity, 0.8), 4)
    imgui.set_cursor_screen_pos((x0 + 7, y0 + 2))
    text(fonts.bold, 14, PALETTE.severity_text, severity)
    imgui.same_line(0, 18)
    imgui.set_cursor_screen_pos((x0 + size.x + 26, start.y))


def gui_header(state: AppState, ui: UiContext) -> None:
    incident = state.incident
    fonts = ui.fonts
    if incident.severity:
        _severity_badge(incident.severity, fonts)
    text(fonts.bold, 24, TEXT, incident.title)
    if incident.subtitle and not state.live:  # live view: the subtitle tells the end
        imgui.same_line(0, 14)
        imgui.set_cursor_pos_y(imgui.get_cursor_pos_y() + 6)
        room = imgui.get_content_region_avail().x  # a wider line would scroll the window
        text(fonts.regular, 16, DIM, _fitted(fonts.regular, 16, incident.subtitle, room))
    facts = incident_facts(incident, live=state.live)
    if incident.started_at is not None:
        facts.append(f"T+0 · {incident.started_at.isoformat(sep=' ')}")
    if state.path is not None:
        facts.append(str(state.path.name))
    text(fonts.regular, 14, DIM, "     ".join(facts))
    if incident.summary and not state.live:
        wrap = imgui.get_content_region_avail().x
        summary = incident.summary if len(incident.summary) < 400 else incident.summary[:400] + "…"
        with imgui_ctx.push_text_wrap_pos(imgui.get_cursor_pos_x() + wrap):
            text(fonts.regular, 14, FAINT, summary)
    imgui.spacing()


def _fitted(font, size: float, line: str, room: float) -> str:
    """``line``, cut with an ellipsis to fit ``room`` points."""
    with imgui_ctx.push_font(font, size):
        if imgui.calc_text_size(line).x <= room:
            return line
        while line and imgui.calc_text_size(line + "…").x > room:
            line = line[:-1]
    return line.rstrip() + "…"


def gui_error_banner(state: AppState, ui: UiContext) -> None:
    lines = min(len(state.errors), 6)
    with (
        imgui_ctx.push_style_color(imgui.Col_.child_bg, imgui.ImVec4(0.25, 0.06, 0.08, 1.0)),
        imgui_ctx.begin_child("errors", (0, 34 + 19 * lines), imgui.ChildFlags_.borders),
    ):
        _error_lines(state, ui, lines)


def _error_lines(state: AppState, ui: UiContext, lines: int) -> None:
    text(
        ui.fonts.bold,
        15,
        DANGER,
        f"Could not load {state.error_source}: {len(state.errors)} problem(s). "
        "The incident below is the last good one.",
    )
    imgui.same_line(imgui.get_content_region_avail().x + imgui.get_cursor_pos_x() - 80)
    if imgui.small_button("Dismiss"):
        state.errors = ()
    for number, diagnostic in enumerate(state.errors[:lines]):
        text(ui.fonts.mono, 14, (1.0, 0.8, 0.8, 1.0), ui.show(f"error{number}", str(diagnostic)))
    if len(state.errors) > lines:
        imgui.text_disabled(f"… and {len(state.errors) - lines} more (replay-viewer validate FILE)")


WARNING_TEXT = (1.0, 0.86, 0.55, 1.0)


def gui_warning_banner(state: AppState, ui: UiContext) -> None:
    """The open incident's load warnings (times sorted, a DST hour…): it loaded, so they
    sit above the chart in amber, without blocking, until dismissed."""
    warnings = state.incident.warnings
    lines = min(len(warnings), 4)
    with (
        imgui_ctx.push_style_color(imgui.Col_.child_bg, imgui.ImVec4(0.22, 0.16, 0.04, 1.0)),
        imgui_ctx.begin_child("warnings", (0, 34 + 19 * lines), imgui.ChildFlags_.borders),
    ):
        _warning_lines(state, ui, warnings, lines)


def _warning_lines(state: AppState, ui: UiContext, warnings, lines: int) -> None:
    text(ui.fonts.bold, 15, WARNING_TEXT, f"Loaded with {len(warnings)} warning(s):")
    imgui.same_line(imgui.get_content_region_avail().x + imgui.get_cursor_pos_x() - 80)
    if imgui.small_button("Dismiss##warnings"):
        state.warnings_dismissed = True
    ui.mark("dismiss-warnings")
    for warning in warnings[:lines]:
        text(ui.fonts.mono, 14, WARNING_TEXT, warning)
    if len(warnings) > lines:
        imgui.text_disabled(f"… and {len(warnings) - lines} more (replay-viewer validate FILE)")


def gui_status_bar(state: AppState, ui: UiContext, actions: Actions) -> None:
    imgui.separator()
    if state.loading:  # a file loads in the background: say so, with a moving mark
        dots = "." * (1 + int(imgui.get_time() * 3) % 3)
        imgui.text_colored(ACCENT, f"{state.loading}{dots}")
    else:
        message = state.status_now()
        imgui.text_disabled(message or "Ready")
        if message and state.last_export is not None and str(state.last_export) in message:
            imgui.same_line()
            if imgui.small_button("Copy path"):
                imgui.set_clipboard_text(str(state.last_export))
            ui.mark("copy-path")
            imgui.same_line()
            if imgui.small_button("Open folder"):
                actions.open_folder(state.last_export.parent)
    right = (f"{ui.fps:3.0f} fps · " if state.playback.playing else "") + "F1 shortcuts"
    imgui.same_line(max(imgui.get_window_width() - imgui.calc_text_size(right).x - 20, 0))
    imgui.text_disabled(right)
