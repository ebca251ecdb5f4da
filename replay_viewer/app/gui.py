"""One ImGui frame of the whole window: the menus, the viewer and the overlays once booted,
the boot screen before. The window calls it between its frame's clock and the chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui

from .dialogs import gui_boot_screen, gui_main_menu, gui_overlays
from .event_editor import gui_event_editor, gui_prompt
from .member_list import gui_member_list
from .presenter_view import gui_presenter
from .viewer import gui_viewer

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_pass"]


def gui_pass(
    state: AppState, ui: UiContext, actions: Actions, canvas, frame_s: float, booted: bool
) -> Exception | None:
    """One ImGui frame of the whole window (the boot screen until booted); returns the
    exception a GUI function raised, if one did, after closing the frame."""
    io = imgui.get_io()
    ratio = canvas.get_pixel_ratio()
    io.display_size = canvas.get_logical_size()
    io.display_framebuffer_scale = (ratio, ratio)
    io.delta_time = max(frame_s, 1e-4)
    imgui.new_frame()
    try:
        if booted and state.presenter.on:
            gui_presenter(state, ui, actions)
            gui_prompt(state, ui, actions)  # quitting with unsaved edits still asks
        elif booted:
            gui_main_menu(state, ui, actions)
            gui_viewer(state, ui, actions)
            gui_member_list(state, ui)
            gui_event_editor(state, ui, actions)
            gui_overlays(state, ui, actions)
            gui_prompt(state, ui, actions)
        else:
            gui_boot_screen(state, ui, actions)
    except Exception as exc:
        return exc
    finally:
        imgui.render()
    return None
