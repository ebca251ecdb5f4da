"""Menus, overlays and the boot screen: File/View/Help menus, the F1 help (from the keymap),
the file browser, the export dialog, and the six boot stages while the app starts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..export import export_conflict
from ..render.boot import STAGE_NAMES, STAGE_VERBS
from . import presenter
from .browser import gui_file_browser
from .keymap import KEYMAP, PRESENTER_KEYMAP
from .theme import ACCENT, DANGER, DIM, FAINT, SUCCESS, TEXT, backdrop, text, u32

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_boot_screen", "gui_main_menu", "gui_overlays"]


# -- boot screen ---------------------------------------------------------------------------


def _stage_mark(draw_list, origin, state: str) -> None:
    x, cy = origin.x, origin.y + 11
    if state == "done":
        green = u32(SUCCESS)
        draw_list.add_line((x + 3, cy), (x + 8, cy + 5), green, 2.2)
        draw_list.add_line((x + 8, cy + 5), (x + 16, cy - 5), green, 2.2)
    elif state == "running":
        draw_list.add_circle_filled((x + 9, cy), 4.5, u32(ACCENT))
    elif state == "failed":
        draw_list.add_line((x + 4, cy - 5), (x + 14, cy + 5), u32(DANGER), 2.2)
        draw_list.add_line((x + 14, cy - 5), (x + 4, cy + 5), u32(DANGER), 2.2)
    else:
        draw_list.add_circle((x + 9, cy), 4.0, u32(FAINT), 0, 1.2)


def _boot_caption(reports: dict) -> tuple[float, str]:
    running = next((r for r in reports.values() if r.state == "running"), None)
    done = [r for r in reports.values() if r.state == "done"]
    failed = next((r for r in reports.values() if r.state == "failed"), None)
    progress = running.progress if running else (done[-1].progress if done else 0.0)
    if failed is not None:
        return progress, f"{failed.name} failed at {failed.progress:.0f}%"
    if len(done) == len(STAGE_NAMES):
        return progress, "Ready… 100%"
    return progress, f"{STAGE_VERBS[len(done)]}… {progress:.0f}%"  # the stage that runs next


def gui_boot_screen(state: AppState, ui: UiContext, actions: Actions) -> None:
    viewport = imgui.get_main_viewport()
    card_w, card_h = 520.0, 380.0
    with backdrop("boot", viewport.pos, viewport.size):
        imgui.set_cursor_pos(((viewport.size.x - card_w) / 2, (viewport.size.y - card_h) / 2))
        with imgui_ctx.begin_child("card", (card_w, card_h), imgui.ChildFlags_.borders):
            _boot_card(state, ui, actions, card_w)


def _boot_card(state: AppState, ui: UiContext, actions: Actions, card_w: float) -> None:
    fonts = ui.fonts
    text(fonts.bold, 26, TEXT, "Grid")
    imgui.same_line()
    text(fonts.regular, 26, DIM, "Powering the dark")
    text(fonts.regular, 14, FAINT, f"replay-viewer · {state.incident.title}")
    imgui.spacing()
    reports = ui.boot_reports
    draw_list = imgui.get_window_draw_list()
    for index, name in enumerate(STAGE_NAMES, 1):
        report = reports.get(index)
        stage = report.state if report else "waiting"
        _stage_mark(draw_list, imgui.get_cursor_screen_pos(), stage)
        imgui.dummy((24, 22))
        imgui.same_line()
        color = TEXT if stage in ("done", "running") else DANGER if stage == "failed" else FAINT
        text(fonts.regular, 16, color, ui.show(f"stage{index}", f"{index}. {name}"))
        ui.show(f"stage{index}-state", stage)  # shown by its mark and colour
        if stage == "done":
            imgui.same_line(card_w - 90)
            text(fonts.mono, 14, DIM, f"{report.duration_s * 1000:6.0f} ms")
    imgui.spacing()
    progress, caption = _boot_caption(reports)
    imgui.progress_bar(progress / 100, (-1, 0), caption)
    adapter = reports.get(1)
    if adapter is not None and adapter.state == "done":
        text(fonts.regular, 13, DIM, f"Adapter: {adapter.detail}")
    if ui.boot_error is not None:
        with imgui_ctx.push_text_wrap_pos(card_w - 16):
            text(fonts.regular, 14, DANGER, ui.show("boot-error", str(ui.boot_error)))
        if imgui.button("Close", (120, 0)):
            actions.quit()
        ui.mark("boot-close")


# -- menus ---------------------------------------------------------------------------------


def _file_menu(state: AppState, ui: UiContext, actions: Actions) -> None:
    if imgui.menu_item("Open…", "Ctrl+O", False)[0]:
        state.browser.open = True
    with imgui_ctx.begin_menu("Recent", bool(state.recent)) as recent:
        for path in state.recent if recent else ():
            if imgui.menu_item(str(path), "", False)[0]:
                if not path.exists():
                    actions.forget_recent(path)
                actions.open_file(path)
    if imgui.menu_item("Reload", "Ctrl+R", False, state.path is not None)[0]:
        actions.reload()
    imgui.separator()
    if imgui.menu_item("Export frame", "Ctrl+E", False)[0]:
        actions.export_frame()
    if imgui.menu_item("Export sequence…", "", False)[0]:
        state.export.open = True
    if imgui.menu_item("Export animation…", "", False)[0]:
        state.export.open = True  # one dialog: the animation row is under the sequence's
    if imgui.menu_item("Export storyboard / report…", "", False)[0]:
        state.export.open = True  # and the story row under the animation's
    ui.mark("menu-export-story")
    imgui.separator()
    if imgui.menu_item("Quit", "Ctrl+Q", False)[0]:
        actions.quit()


def _clock_menu(state: AppState, ui: UiContext) -> None:
    """View ▸ Clock: times relative to T+0, or on the wall clock of ``started_at``'s zone
    (disabled, with the reason, for an incident without ``started_at``)."""
    with imgui_ctx.begin_menu("Clock") as opened:
        ui.mark("menu-clock")
        if opened:
            _clock_items(state, ui)


def _clock_items(state: AppState, ui: UiContext) -> None:
    shown = state.clock_shown
    if imgui.menu_item("Relative to T+0  (T+2d 04:05:00)", "", shown == "relative")[0]:
        state.clock_mode = "relative"
    ui.mark("clock-relative")
    start = state.incident.started_at if state.incident is not None else None
    zone = start and start.tzinfo and (getattr(start.tzinfo, "key", None) or start.tzname())
    label = f"Wall clock, {zone or 'UTC'}  (Mon 14 Jul 06:00)"
    if imgui.menu_item(label, "", shown == "wall", start is not None)[0]:
        state.clock_mode = "wall"
    ui.mark("clock-wall")
    if start is None and imgui.is_item_hovered(imgui.HoveredFlags_.allow_when_disabled):
        ui.tooltip = "This incident has no started_at: add it to the file for the wall clock"
        imgui.set_tooltip(ui.tooltip)


def _axes_items(state: AppState, ui: UiContext) -> None:
    """View ▸ Autoscale (the axes follow the zoom) and View ▸ Live view (what the on-call
    saw: nothing after the playhead)."""
    if imgui.menu_item("Autoscale", "A", state.autoscale)[0]:
        state.toggle_autoscale()
    ui.mark("menu-autoscale")
    if imgui.menu_item("Live view", "V", state.live)[0]:
        state.toggle_live()
    ui.mark("menu-live")


def gui_main_menu(state: AppState, ui: UiContext, actions: Actions) -> None:
    with imgui_ctx.begin_main_menu_bar() as bar:
        if not bar:
            return
        with imgui_ctx.begin_menu("File") as file_menu:
            ui.mark("menu-file")
            if file_menu:
                _file_menu(state, ui, actions)
        with imgui_ctx.begin_menu("View") as view_menu:
            ui.mark("menu-view")
            if view_menu:
                state.ghost = imgui.menu_item("Ghost future data", "G", state.ghost)[1]
                _axes_items(state, ui)
                _clock_menu(state, ui)
                if imgui.menu_item("Present the story", "F5", False)[0]:
                    presenter.enter(state)
                imgui.separator()
                for name in state.panels:
                    state.panels[name] = imgui.menu_item(name, "", state.panels[name])[1]
        with imgui_ctx.begin_menu("Help") as help_menu:
            if help_menu and imgui.menu_item("Keyboard shortcuts", "F1", state.show_help)[0]:
                state.show_help = not state.show_help


# -- overlays: help, file browser, export ---------------------------------------------------


def gui_overlays(state: AppState, ui: UiContext, actions: Actions) -> None:
    if state.show_help:
        gui_help(state, ui)
    chosen = gui_file_browser(state.browser)
    if chosen is not None:
        actions.open_file(chosen)
    if state.export.open or state.export.progress is not None:
        gui_export_dialog(state, ui, actions)


MOUSE_HELP = (
    ("Click / drag on the chart", "Scrub to the pointer"),
    ("Wheel on the chart", "Zoom in / out around the pointer"),
    ("Ctrl+drag or right-drag", "Zoom to the range dragged out"),
    ("Shift+drag or middle-drag", "Pan the zoomed view"),
    ("Double-click the chart", "Show the whole incident again"),
    ("Click a legend entry", "Hide / show that series (Ctrl+click: only it)"),
    ("Hover / click an event glyph", "Its time, title and detail / jump to it"),
    ("Hover the chart", "Crosshair with every series' value"),
    ("Click an event in Timeline", "Jump to it"),
    ("Drag the slider", "Scrub over the whole incident (the zoomed range is marked)"),
    ("Drop a .yaml file", "Open it"),
)


def gui_help(state: AppState, ui: UiContext) -> None:
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    flags = imgui.WindowFlags_.always_auto_resize
    with imgui_ctx.begin("Keyboard shortcuts", state.show_help, flags) as window:
        state.show_help = window.opened
        if window.expanded:
            _help_table(ui, "shortcuts", [(b.keys, b.action) for b in KEYMAP])
            imgui.text_disabled("Shortcuts are off while a text field has focus.")
            imgui.separator()
            imgui.text_disabled("In presenter mode (F5):")
            _help_table(ui, "presenter", [(b.keys, b.action) for b in PRESENTER_KEYMAP])
            imgui.separator()
            _help_table(ui, "mouse", MOUSE_HELP)
        if imgui.is_key_pressed(imgui.Key.escape):
            state.show_help = False


def _help_table(ui: UiContext, name: str, rows) -> None:
    with imgui_ctx.begin_table(name, 2, imgui.TableFlags_.row_bg) as table:
        for what, action in rows if table else ():
            imgui.table_next_row()
            imgui.table_next_column()
            text(ui.fonts.mono, 15, ACCENT, what)
            imgui.table_next_column()
            imgui.text(action)


def _export_fields(state: AppState) -> None:
    dialog = state.export
    imgui.set_next_item_width(-120)
    dialog.folder = imgui.input_text("Output folder", dialog.folder)[1]
    imgui.set_next_item_width(160)
    dialog.size = imgui.input_text("Size (W x H)", dialog.size)[1]
    imgui.same_line()
    imgui.set_next_item_width(100)
    scale_index = imgui.combo("Scale", 0 if dialog.scale == 1 else 1, ["1×", "2×"])[1]
    dialog.scale = 1 if scale_index == 0 else 2
    imgui.same_line()
    imgui.set_next_item_width(110)
    themes = ("dark", "light")
    shown = themes.index(dialog.theme) if dialog.theme in themes else 0
    dialog.theme = themes[imgui.combo("Colours", shown, ["Dark", "Light"])[1]]
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
    imgui.separator()
    kinds = ["GIF", "MP4"]
    imgui.set_next_item_width(90)
    kind = imgui.combo("Animation", 1 if dialog.animation == "mp4" else 0, kinds)[1]
    dialog.animation = ("gif", "mp4")[kind]
    imgui.same_line()
    imgui.set_next_item_width(90)
    dialog.fps = min(120, max(1, imgui.input_int("fps", dialog.fps)[1]))
    imgui.same_line()
    imgui.set_next_item_width(90)
    dialog.duration = imgui.input_text("long", dialog.duration)[1]
    imgui.same_line()
    dialog.captions = imgui.checkbox("Captions", dialog.captions)[1]


def _story_row(state: AppState, ui: UiContext, actions: Actions) -> None:
    """The storyboard and the report: the told moments as the window holds them."""
    imgui.separator()
    starred = sum(1 for event in state.incident.events if event.star)
    told = (f"the {starred} starred event{'s' * (starred != 1)}" if starred
            else "every event (star some with *)" if state.incident.events
            else "evenly spaced moments (the incident has no events)")  # fmt: skip
    imgui.text_disabled(f"Storyboard and report tell {told}.")
    if imgui.button("Export storyboard", (160, 0)):
        actions.export_story("storyboard")
    ui.mark("export-storyboard")
    imgui.same_line()
    if imgui.button("Export report", (140, 0)):
        actions.export_story("report")
    ui.mark("export-report")


def gui_export_dialog(state: AppState, ui: UiContext, actions: Actions) -> None:
    dialog = state.export
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    # 0 high: ImGui fits the height to the rows every frame (the progress bar is shorter).
    imgui.set_next_window_size((600, 0), imgui.Cond_.always)
    with imgui_ctx.begin("Export", dialog.open, imgui.WindowFlags_.no_collapse) as window:
        dialog.open = window.opened
        if window.expanded:
            _export_body(state, ui, actions)


def _export_body(state: AppState, ui: UiContext, actions: Actions) -> None:
    dialog = state.export
    progress = dialog.progress
    if progress is not None:
        imgui.text(f"Exporting {progress.total} frames to {progress.target}")
        imgui.progress_bar(progress.done / max(progress.total, 1), (-1, 0),
                           f"{progress.done} / {progress.total}")  # fmt: skip
        if imgui.button("Cancel", (120, 0)):
            dialog.cancel = True
        ui.mark("export-cancel")
    elif dialog.confirm_kind:
        _export_confirm(state, ui, actions)
    else:
        _export_fields(state)
        if imgui.button("Export frame", (140, 0)):
            _export_or_ask(state, actions, sequence=False)
        ui.mark("export-frame")
        imgui.same_line()
        if imgui.button("Export sequence", (160, 0)):
            _export_or_ask(state, actions, sequence=True)
        ui.mark("export-sequence")
        imgui.same_line()
        if imgui.button("Export animation", (160, 0)):
            actions.start_animation_export()  # a new file name: nothing to confirm
        ui.mark("export-animation")
        _story_row(state, ui, actions)
    if dialog.message:
        with imgui_ctx.push_text_wrap_pos(0):
            imgui.text_colored(DIM, dialog.message)


def _export_or_ask(state: AppState, actions: Actions, *, sequence: bool) -> None:
    """Export now, or first ask (the confirm step) when the folder holds other files (or, for
    a sequence, an earlier export it would replace). Looks at the folder only on a click."""
    dialog = state.export
    if not sequence and dialog.confirmed_folder == dialog.folder:
        actions.export_frame()
        return
    conflict = export_conflict(Path(dialog.folder), sequence=sequence)
    if conflict is None:
        _run_export(state, actions, sequence=sequence)
    else:
        dialog.confirm_kind = "sequence" if sequence else "frame"
        dialog.confirm = conflict


def _run_export(state: AppState, actions: Actions, *, sequence: bool) -> None:
    if sequence:
        actions.start_sequence_export()
    else:
        actions.export_frame()


def _export_confirm(state: AppState, ui: UiContext, actions: Actions) -> None:
    dialog = state.export
    with imgui_ctx.push_text_wrap_pos(0):
        imgui.text_colored(TEXT, dialog.confirm)
    sequence = dialog.confirm_kind == "sequence"
    if imgui.button("Replace" if sequence else "Save here", (140, 0)):
        dialog.confirm_kind, dialog.confirm = "", ""
        if sequence:
            dialog.overwrite = True  # used once, by the export this click starts
        else:
            dialog.confirmed_folder = dialog.folder  # a frame never replaces a file
        _run_export(state, actions, sequence=sequence)
    ui.mark("export-replace")
    imgui.same_line()
    if imgui.button("Cancel", (120, 0)):
        dialog.confirm_kind, dialog.confirm = "", ""
    ui.mark("export-keep")
