"""The window's GUI functions, immediate-mode: each reads and changes only the app state
(and asks the app for actions such as opening a file). Coordinates are logical points."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from imgui_bundle import imgui

from ..render.boot import STAGE_VERBS
from ..render.style import EVENT_STYLE, PALETTE, SERIES_STYLES
from ..render.text import FontSet, draw_marker_shape, format_reading
from ..timecode import format_clock, format_timecode
from .browser import gui_file_browser
from .state import SPEEDS

if TYPE_CHECKING:
    from ..export import SequenceExport
    from .window import ViewerApp

__all__ = ["SHORTCUTS", "ExportDialog", "load_ui_fonts"]

SIDE_PANEL_PT = 380.0
SCRUBBER_PT = 74.0
STATUS_PT = 24.0
HEADER_PT = 62.0
NARROW_PT = 980.0  # below this width the panels go under the chart

SHORTCUTS = (
    ("Space", "Play / pause"),
    ("← / →", "Step one sample back / forward"),
    ("Shift + ← / →", "10 seconds back / forward"),
    ("[ / ]", "Previous / next event"),
    ("Home / End", "Start / end of the incident"),
    ("G", "Ghost the data after the playhead on / off"),
    ("Ctrl + O", "Open an incident file"),
    ("Ctrl + E", "Export the current frame as PNG"),
    ("Ctrl + R", "Reload the incident file"),
    ("Ctrl + Q", "Quit"),
    ("F1", "This help"),
)

TEXT = (*PALETTE.text[:3], 1.0)
DIM = (*PALETTE.text_dim[:3], 1.0)
FAINT = (*PALETTE.text_faint[:3], 1.0)
ACCENT = (0.13, 0.83, 0.93, 1.0)
DANGER = (0.96, 0.45, 0.45, 1.0)


def load_ui_fonts(io: imgui.IO) -> FontSet:
    fonts = FontSet(io, 15.0)
    io.font_default = fonts.regular
    return fonts


@dataclass
class ExportDialog:
    folder: str
    open: bool = False
    size: str = "1280x720"
    scale: int = 1
    use_every: bool = False
    frames: int = 30
    every: str = "5s"
    message: str = ""
    job: SequenceExport | None = None
    cancel: bool = False


def apply_style() -> None:
    imgui.style_colors_dark()
    style = imgui.get_style()
    style.window_rounding = 6.0
    style.frame_rounding = 4.0
    style.grab_rounding = 4.0
    style.child_rounding = 6.0
    style.window_border_size = 0.0
    style.frame_padding = (8, 5)
    style.item_spacing = (8, 6)
    colors = {
        imgui.Col_.window_bg: (0.035, 0.045, 0.065, 1.0),
        imgui.Col_.child_bg: (0.05, 0.062, 0.085, 1.0),
        imgui.Col_.popup_bg: (0.06, 0.07, 0.095, 0.98),
        imgui.Col_.menu_bar_bg: (0.03, 0.038, 0.055, 1.0),
        imgui.Col_.frame_bg: (0.09, 0.11, 0.15, 1.0),
        imgui.Col_.frame_bg_hovered: (0.13, 0.16, 0.22, 1.0),
        imgui.Col_.header: (0.10, 0.25, 0.32, 0.8),
        imgui.Col_.header_hovered: (0.12, 0.33, 0.42, 0.8),
        imgui.Col_.button: (0.11, 0.14, 0.19, 1.0),
        imgui.Col_.button_hovered: (0.16, 0.27, 0.34, 1.0),
        imgui.Col_.slider_grab: ACCENT,
        imgui.Col_.slider_grab_active: (0.5, 0.93, 1.0, 1.0),
        imgui.Col_.check_mark: ACCENT,
        imgui.Col_.plot_histogram: ACCENT,
        imgui.Col_.text: TEXT,
        imgui.Col_.text_disabled: DIM,
    }
    for slot, color in colors.items():
        style.set_color_(slot, imgui.ImVec4(*color))


def _u32(color) -> int:
    return imgui.color_convert_float4_to_u32(imgui.ImVec4(*color))


def _text(font, size: float, color, text: str) -> None:
    imgui.push_font(font, size)
    imgui.text_colored(color, text)
    imgui.pop_font()


def _begin_backdrop(name: str, pos, size) -> None:
    """A window without decoration that fills ``pos``/``size`` and stays behind the rest."""
    imgui.set_next_window_pos(pos)
    imgui.set_next_window_size(size)
    flags = (
        imgui.WindowFlags_.no_decoration
        | imgui.WindowFlags_.no_move
        | imgui.WindowFlags_.no_saved_settings
        | imgui.WindowFlags_.no_bring_to_front_on_focus
    )
    imgui.begin(name, None, flags)


# -- boot screen ---------------------------------------------------------------------------


def gui_boot_screen(app: ViewerApp, stage_names: tuple[str, ...]) -> None:
    viewport = imgui.get_main_viewport()
    _begin_backdrop("boot", viewport.pos, viewport.size)
    fonts = app.fonts
    card_w, card_h = 520.0, 380.0
    imgui.set_cursor_pos(((viewport.size.x - card_w) / 2, (viewport.size.y - card_h) / 2))
    imgui.begin_child("card", (card_w, card_h), imgui.ChildFlags_.borders)
    _text(fonts.bold, 26, TEXT, "Grid")
    imgui.same_line()
    _text(fonts.regular, 26, DIM, "Powering the dark")
    _text(fonts.regular, 14, FAINT, f"replay-viewer · {app.state.incident.title}")
    imgui.spacing()
    reports = app.boot_reports
    running = next((r for r in reports.values() if r.state == "running"), None)
    draw_list = imgui.get_window_draw_list()
    for index, name in enumerate(stage_names, 1):
        report = reports.get(index)
        state = report.state if report else "waiting"
        origin = imgui.get_cursor_screen_pos()
        cy = origin.y + 11
        if state == "done":
            green = _u32((0.2, 0.83, 0.6, 1))
            draw_list.add_line((origin.x + 3, cy), (origin.x + 8, cy + 5), green, 2.2)
            draw_list.add_line((origin.x + 8, cy + 5), (origin.x + 16, cy - 5), green, 2.2)
        elif state == "running":
            draw_list.add_circle_filled((origin.x + 9, cy), 4.5, _u32(ACCENT))
        elif state == "failed":
            draw_list.add_line((origin.x + 4, cy - 5), (origin.x + 14, cy + 5), _u32(DANGER), 2.2)
            draw_list.add_line((origin.x + 14, cy - 5), (origin.x + 4, cy + 5), _u32(DANGER), 2.2)
        else:
            draw_list.add_circle((origin.x + 9, cy), 4.0, _u32(FAINT), 0, 1.2)
        imgui.dummy((24, 22))
        imgui.same_line()
        color = TEXT if state in ("done", "running") else DANGER if state == "failed" else FAINT
        _text(fonts.regular, 16, color, f"{index}. {name}")
        if report is not None and state == "done":
            imgui.same_line(card_w - 90)
            _text(fonts.mono, 14, DIM, f"{report.duration_s * 1000:6.0f} ms")
    imgui.spacing()
    done = [r for r in reports.values() if r.state == "done"]
    failed = next((r for r in reports.values() if r.state == "failed"), None)
    progress = running.progress if running else (done[-1].progress if done else 0.0)
    if failed is not None:
        caption = f"{failed.name} failed at {failed.progress:.0f}%"
    elif len(done) == len(stage_names):
        caption = "Ready… 100%"
    else:  # the stage that runs next (or now)
        caption = f"{STAGE_VERBS[len(done)]}… {progress:.0f}%"
    imgui.progress_bar(progress / 100, (-1, 0), caption)
    adapter = reports.get(1)
    if adapter is not None and adapter.state == "done":
        _text(fonts.regular, 13, DIM, f"Adapter: {adapter.detail}")
    if app.boot_error is not None:
        imgui.push_text_wrap_pos(card_w - 16)
        _text(fonts.regular, 14, DANGER, str(app.boot_error))
        imgui.pop_text_wrap_pos()
        if imgui.button("Close", (120, 0)):
            app.canvas.close()
    imgui.end_child()
    imgui.end()


# -- menus ---------------------------------------------------------------------------------


def gui_main_menu(app: ViewerApp) -> None:
    state = app.state
    if not imgui.begin_main_menu_bar():
        return
    if imgui.begin_menu("File"):
        if imgui.menu_item("Open…", "Ctrl+O", False)[0]:
            app.browser.open = True
        if imgui.begin_menu("Recent", bool(app.recent.paths)):
            for path in list(app.recent.paths):
                if imgui.menu_item(str(path), "", False)[0]:
                    if not app.open_file(path) and not path.exists():
                        app.recent.remove(path)
            imgui.end_menu()
        if imgui.menu_item("Reload", "Ctrl+R", False, state.path is not None)[0]:
            app.reload()
        imgui.separator()
        if imgui.menu_item("Export frame", "Ctrl+E", False)[0]:
            app.export_frame()
        if imgui.menu_item("Export sequence…", "", False)[0]:
            app.export.open = True
        imgui.separator()
        if imgui.menu_item("Quit", "Ctrl+Q", False)[0]:
            state.quit_requested = True
        imgui.end_menu()
    if imgui.begin_menu("View"):
        state.ghost = imgui.menu_item("Ghost future data", "G", state.ghost)[1]
        imgui.separator()
        for name in state.panels:
            state.panels[name] = imgui.menu_item(name, "", state.panels[name])[1]
        imgui.end_menu()
    if imgui.begin_menu("Help"):
        if imgui.menu_item("Keyboard shortcuts", "F1", state.show_help)[0]:
            state.show_help = not state.show_help
        imgui.end_menu()
    imgui.end_main_menu_bar()


# -- the viewer ----------------------------------------------------------------------------


def gui_viewer(app: ViewerApp) -> None:
    viewport = imgui.get_main_viewport()
    imgui.push_style_var(imgui.StyleVar_.window_padding, (12, 8))
    _begin_backdrop("viewer", viewport.work_pos, viewport.work_size)
    imgui.pop_style_var()
    gui_header(app)
    if app.state.errors:
        gui_error_banner(app)
    avail = imgui.get_content_region_avail()
    body_h = max(avail.y - SCRUBBER_PT - STATUS_PT, 80)
    any_panel = any(app.state.panels.values())
    narrow = avail.x < NARROW_PT
    if any_panel and not narrow:
        chart_w = max(avail.x - SIDE_PANEL_PT - 8, 200)
        gui_chart(app, chart_w, body_h)
        imgui.same_line()
        imgui.begin_child("panels", (0, body_h), imgui.ChildFlags_.borders)
        gui_panels(app)
        imgui.end_child()
    elif any_panel:
        chart_h = max(body_h * 0.62, 120)
        gui_chart(app, avail.x, chart_h)
        imgui.begin_child("panels", (0, body_h - chart_h - 6), imgui.ChildFlags_.borders)
        gui_panels(app)
        imgui.end_child()
    else:
        gui_chart(app, avail.x, body_h)
    gui_scrubber(app)
    gui_status_bar(app)
    imgui.end()


def gui_header(app: ViewerApp) -> None:
    incident = app.state.incident
    fonts = app.fonts
    start = imgui.get_cursor_screen_pos()
    if incident.severity:
        draw_list = imgui.get_window_draw_list()
        imgui.push_font(fonts.bold, 14)
        size = imgui.calc_text_size(incident.severity)
        imgui.pop_font()
        x0, y0 = start.x, start.y + 5
        draw_list.add_rect_filled(
            (x0, y0), (x0 + size.x + 14, y0 + 22), _u32((0.96, 0.25, 0.37, 0.18)), 4
        )
        draw_list.add_rect((x0, y0), (x0 + size.x + 14, y0 + 22), _u32((0.96, 0.25, 0.37, 0.8)), 4)
        imgui.set_cursor_screen_pos((x0 + 7, y0 + 2))
        _text(fonts.bold, 14, (0.99, 0.65, 0.69, 1), incident.severity)
        imgui.same_line(0, 18)
        imgui.set_cursor_screen_pos((x0 + size.x + 26, start.y))
    _text(fonts.bold, 24, TEXT, incident.title)
    if incident.subtitle:
        imgui.same_line(0, 14)
        imgui.set_cursor_pos_y(imgui.get_cursor_pos_y() + 6)
        _text(fonts.regular, 16, DIM, incident.subtitle)
    facts = []
    if incident.role:
        facts.append(f"Role · {incident.role}")
    if incident.stack:
        facts.append("Stack · " + " · ".join(incident.stack))
    facts.append(f"Duration · {format_clock(incident.duration)}")
    if incident.started_at is not None:
        facts.append(f"T+0 · {incident.started_at.isoformat(sep=' ')}")
    if app.state.path is not None:
        facts.append(str(app.state.path.name))
    _text(fonts.regular, 14, DIM, "     ".join(facts))
    if incident.summary:
        wrap = imgui.get_content_region_avail().x
        summary = incident.summary if len(incident.summary) < 400 else incident.summary[:400] + "…"
        imgui.push_text_wrap_pos(imgui.get_cursor_pos_x() + wrap)
        _text(fonts.regular, 14, FAINT, summary)
        imgui.pop_text_wrap_pos()
    imgui.spacing()


def gui_error_banner(app: ViewerApp) -> None:
    state = app.state
    imgui.push_style_color(imgui.Col_.child_bg, imgui.ImVec4(0.25, 0.06, 0.08, 1.0))
    lines = min(len(state.errors), 6)
    height = 34 + 19 * lines
    imgui.begin_child("errors", (0, height), imgui.ChildFlags_.borders)
    _text(
        app.fonts.bold,
        15,
        DANGER,
        f"Could not load {state.error_source}: {len(state.errors)} problem(s). "
        "The incident below is the last good one.",
    )
    imgui.same_line(imgui.get_content_region_avail().x + imgui.get_cursor_pos_x() - 80)
    if imgui.small_button("Dismiss"):
        state.errors = ()
    for diagnostic in state.errors[:lines]:
        _text(app.fonts.mono, 14, (1.0, 0.8, 0.8, 1.0), str(diagnostic))
    if len(state.errors) > lines:
        imgui.text_disabled(f"… and {len(state.errors) - lines} more (replay-viewer validate FILE)")
    imgui.end_child()
    imgui.pop_style_color()


def gui_chart(app: ViewerApp, width: float, height: float) -> None:
    state = app.state
    app.chart_image(width, height)
    # An invisible button over the image takes clicks and drags (an image takes none).
    image_size = imgui.get_item_rect_size()
    imgui.set_cursor_screen_pos(app.chart.origin)
    imgui.invisible_button("chart-input", image_size)
    hovered = imgui.is_item_hovered()
    dragging = imgui.is_item_active()
    layout = app.renderer.layout
    mouse = imgui.get_mouse_pos()
    local = (mouse.x - app.chart.origin[0], mouse.y - app.chart.origin[1])
    chart = layout.chart
    inside = (
        hovered
        and (chart.x0 <= local[0] * layout.pixel_ratio < chart.x1)
        and (chart.y0 <= local[1] * layout.pixel_ratio < chart.y1)
    )
    new_hover = local if inside else None
    if new_hover != state.hover:
        state.hover = new_hover
        app.request_draw()
    if inside:
        t = layout.to_t(local[0] * layout.pixel_ratio)
        # Click or drag on the chart scrubs to the pointer.
        if dragging:
            state.seek(t)
        imgui.begin_tooltip()
        _text(app.fonts.mono, 14, TEXT, format_timecode(t))
        wall = state.incident.wall_clock(t)
        if wall is not None:
            imgui.same_line()
            imgui.text_disabled(wall.strftime("%H:%M:%S"))
        for index, series in enumerate(state.incident.series):
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            corner = imgui.get_cursor_screen_pos()
            line_h = imgui.get_text_line_height()
            draw_marker_shape(
                imgui.get_window_draw_list(),
                (corner.x + 6, corner.y + line_h / 2),
                4.5,
                style.marker,
                (*series.color, 1.0),
            )
            imgui.dummy((14, line_h))
            imgui.same_line()
            imgui.text(f"{series.label}: {format_reading(series, series.value_at(t))}")
        imgui.end_tooltip()


def gui_panels(app: ViewerApp) -> None:
    state = app.state
    incident = state.incident
    fonts = app.fonts
    width = imgui.get_content_region_avail().x
    if _section(state, "Timeline", incident.events, f"Timeline ({len(incident.events)})"):
        current = state.current_event_index()
        for index, event in enumerate(incident.events):
            style = EVENT_STYLE[event.kind]
            imgui.push_id(index)
            selected = index == current
            start = imgui.get_cursor_pos()
            detail_w = max(width - 96, 80)
            imgui.push_font(fonts.regular, 13.5)
            detail_h = imgui.calc_text_size(event.detail, False, detail_w).y if event.detail else 0
            imgui.pop_font()
            row_h = 24 + detail_h
            if imgui.selectable("##event", selected, 0, (0, row_h))[0]:
                state.seek(event.at)
                app.request_draw()
            if imgui.is_item_hovered():
                imgui.set_tooltip(f"{event.kind} · click to jump to {format_timecode(event.at)}")
            imgui.set_cursor_pos((start.x + 4, start.y + 2))
            _text(fonts.mono, 14, (*style.color[:3], 1.0), format_timecode(event.at))
            imgui.same_line(0, 10)
            _text(fonts.bold, 15, TEXT if index <= current else DIM, event.title)
            if event.detail:
                imgui.set_cursor_pos_x(start.x + 80)
                imgui.push_text_wrap_pos(start.x + 80 + detail_w)
                _text(fonts.regular, 13.5, DIM if index <= current else FAINT, event.detail)
                imgui.pop_text_wrap_pos()
            imgui.set_cursor_pos((start.x, start.y + row_h + 4))
            imgui.pop_id()
    if _section(state, "What I did", incident.actions):
        imgui.push_text_wrap_pos(0)
        for action in incident.actions:
            imgui.bullet()
            _text(fonts.regular, 14, TEXT, action)
        imgui.pop_text_wrap_pos()
    if _section(state, "What I learned", incident.learnings):
        imgui.push_text_wrap_pos(0)
        for learning in incident.learnings:
            _text(fonts.bold, 15, TEXT, learning.title)
            if learning.detail:
                _text(fonts.regular, 14, DIM, learning.detail)
            imgui.spacing()
        imgui.pop_text_wrap_pos()
    if _section(state, "Outcomes", incident.outcomes):
        gui_outcome_cards(app)


def _section(state, name: str, items, label: str | None = None) -> bool:
    """A panel section that is switched on (View menu), has content, and is expanded."""
    if not state.panels[name] or not items:
        return False
    return imgui.collapsing_header(f"{label or name}###{name}", imgui.TreeNodeFlags_.default_open)


def gui_outcome_cards(app: ViewerApp) -> None:
    fonts = app.fonts
    outcomes = app.state.incident.outcomes
    columns = 2 if imgui.get_content_region_avail().x > 260 else 1
    card_w = (imgui.get_content_region_avail().x - 8 * (columns - 1)) / columns
    for index, outcome in enumerate(outcomes):
        if index % columns:
            imgui.same_line(0, 8)
        imgui.begin_child(f"kpi{index}", (card_w, 92), imgui.ChildFlags_.borders)
        _text(fonts.bold, 26, ACCENT, outcome.value)
        _text(fonts.regular, 14, TEXT, outcome.label)
        if outcome.note:
            _text(fonts.regular, 12.5, DIM, outcome.note)
        imgui.end_child()


def gui_scrubber(app: ViewerApp) -> None:
    state = app.state
    playback = state.playback
    incident = state.incident
    fonts = app.fonts
    imgui.spacing()
    if imgui.button("|<"):
        state.home()
    _tip("Home: start")
    imgui.same_line()
    if imgui.button("<<"):
        state.event(-1)
    _tip("[ : previous event")
    imgui.same_line()
    if imgui.button("<"):
        state.step(-1)
    _tip("←: one sample back (Shift: 10 s)")
    imgui.same_line()
    if imgui.button("Pause" if playback.playing else "Play", (70, 0)):
        state.toggle_play()
    _tip("Space: play / pause")
    imgui.same_line()
    if imgui.button(">"):
        state.step(1)
    _tip("→: one sample forward (Shift: 10 s)")
    imgui.same_line()
    if imgui.button(">>"):
        state.event(1)
    _tip("] : next event")
    imgui.same_line()
    if imgui.button(">|"):
        state.end()
    _tip("End: end")
    imgui.same_line(0, 16)
    imgui.set_next_item_width(80)
    if imgui.begin_combo("##speed", f"{playback.speed:g}×"):
        for speed in SPEEDS:
            if imgui.selectable(f"{speed:g}×", speed == playback.speed)[0]:
                state.set_speed(speed)
        imgui.end_combo()
    _tip("Playback speed (1× = real time)")
    imgui.same_line()
    playback.loop = imgui.checkbox("Loop", playback.loop)[1]
    imgui.same_line()
    state.ghost = imgui.checkbox("Ghost", state.ghost)[1]
    _tip("G: show the data after the playhead faintly")
    imgui.same_line(0, 20)
    _text(fonts.mono, 18, TEXT, format_timecode(state.t))
    wall = incident.wall_clock(state.t)
    if wall is not None:
        imgui.same_line()
        imgui.text_disabled(wall.strftime("%Y-%m-%d %H:%M:%S %Z"))
    imgui.same_line()
    imgui.text_disabled(f"/ {format_timecode(incident.end)}")

    # The timeline slider over the whole incident, with the events marked along it.
    imgui.set_next_item_width(-1)
    label = format_timecode(state.t) + (f"   {wall.strftime('%H:%M:%S')}" if wall else "")
    imgui.push_style_var(imgui.StyleVar_.grab_min_size, 14)
    changed, value = imgui.slider_float(
        "##timeline", state.t, playback.start, playback.end, label.replace("%", "%%")
    )
    imgui.pop_style_var()
    if changed:
        state.seek(value)
    low, high = imgui.get_item_rect_min(), imgui.get_item_rect_max()
    draw_list = imgui.get_window_draw_list()
    span = playback.end - playback.start
    for event in incident.events:
        x = low.x + 7 + (high.x - low.x - 14) * (event.at - playback.start) / span
        color = _u32(EVENT_STYLE[event.kind].color)
        draw_list.add_line((x, low.y), (x, low.y + 5), color, 2.0)
        draw_list.add_line((x, high.y - 5), (x, high.y), color, 2.0)


def _tip(text: str) -> None:
    if imgui.is_item_hovered():
        imgui.set_tooltip(text)


def gui_status_bar(app: ViewerApp) -> None:
    state = app.state
    imgui.separator()
    imgui.text_disabled(state.status or "Ready")
    playing = state.playback.playing
    right = (f"{app.fps:3.0f} fps · " if playing else "") + "F1 shortcuts"
    imgui.same_line(max(imgui.get_window_width() - imgui.calc_text_size(right).x - 20, 0))
    imgui.text_disabled(right)


# -- overlays: help, file browser, export ---------------------------------------------------


def gui_overlays(app: ViewerApp) -> None:
    state = app.state
    if state.show_help:
        gui_help(app)
    chosen = gui_file_browser(app.browser)
    if chosen is not None:
        app.open_file(Path(chosen))
    if app.export.open or app.export.job is not None:
        gui_export_dialog(app)


def gui_help(app: ViewerApp) -> None:
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    opened, app.state.show_help = imgui.begin(
        "Keyboard shortcuts", app.state.show_help, imgui.WindowFlags_.always_auto_resize
    )
    if opened and imgui.begin_table("shortcuts", 2, imgui.TableFlags_.row_bg):
        for keys, action in SHORTCUTS:
            imgui.table_next_row()
            imgui.table_next_column()
            _text(app.fonts.mono, 15, ACCENT, keys)
            imgui.table_next_column()
            imgui.text(action)
        imgui.end_table()
        imgui.text_disabled("Shortcuts are off while a text field has focus.")
    imgui.end()


def gui_export_dialog(app: ViewerApp) -> None:
    dialog = app.export
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    imgui.set_next_window_size((520, 0), imgui.Cond_.appearing)
    opened, dialog.open = imgui.begin("Export", dialog.open, imgui.WindowFlags_.no_collapse)
    if opened:
        job = dialog.job
        if job is not None:
            imgui.text(f"Exporting {job.total} frames to {job.folder}")
            imgui.progress_bar(job.done / job.total, (-1, 0), f"{job.done} / {job.total}")
            if imgui.button("Cancel", (120, 0)):
                dialog.cancel = True
        else:
            imgui.set_next_item_width(-120)
            dialog.folder = imgui.input_text("Output folder", dialog.folder)[1]
            imgui.set_next_item_width(160)
            dialog.size = imgui.input_text("Size (W x H)", dialog.size)[1]
            imgui.same_line()
            imgui.set_next_item_width(100)
            scale_index = imgui.combo("Scale", 0 if dialog.scale == 1 else 1, ["1×", "2×"])[1]
            dialog.scale = 1 if scale_index == 0 else 2
            if imgui.radio_button("Frames", not dialog.use_every):
                dialog.use_every = False
            imgui.same_line()
            imgui.set_next_item_width(100)
            dialog.frames = max(1, imgui.input_int("##frames", dialog.frames)[1])
            imgui.same_line(0, 20)
            if imgui.radio_button("Every", dialog.use_every):
                dialog.use_every = True
            imgui.same_line()
            imgui.set_next_item_width(100)
            dialog.every = imgui.input_text("##every", dialog.every)[1]
            imgui.text_disabled("Frames are PNGs (frame_00000.png …) plus frames.json.")
            if imgui.button("Export frame", (140, 0)):
                app.export_frame()
            imgui.same_line()
            if imgui.button("Export sequence", (160, 0)):
                app.start_sequence_export()
        if dialog.message:
            imgui.push_text_wrap_pos(0)
            imgui.text_colored(DIM, dialog.message)
            imgui.pop_text_wrap_pos()
    imgui.end()
