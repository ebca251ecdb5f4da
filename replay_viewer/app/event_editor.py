"""The inline event editor and the questions that keep work from being lost.

The editor (E, right-click ▸ Add event here, a double-click on a glyph, Alt+drag on the
lane) edits kind, title, detail, time, ``until`` and the star; the title field has the
keyboard, Enter confirms, Esc cancels, and an edit the file would not take (``until``
before the time, an empty title) stays open with the reason. The questions (unsaved edits
left by a crash, the file changed on disk, unsaved edits before quitting or opening another
file, a save that failed) are modal, with the answers of
:data:`~.edit_state.ANSWERS`; the session carries them out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..edit import EventFields
from ..model import EVENT_KINDS
from ..render.style import EVENT_STYLE
from .edit_state import ANSWERS
from .theme import DANGER, DIM, text

if TYPE_CHECKING:
    from .actions import Actions
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_event_editor", "gui_prompt"]

_ENTER = imgui.InputTextFlags_.enter_returns_true


def gui_event_editor(state: AppState, ui: UiContext, actions: Actions) -> None:
    editor = state.edits.editor
    if not editor.open:
        return
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    imgui.set_next_window_size((460, 0), imgui.Cond_.appearing)
    title = "Add event###event-editor" if editor.event is None else "Edit event###event-editor"
    flags = imgui.WindowFlags_.no_collapse | imgui.WindowFlags_.always_auto_resize
    with imgui_ctx.begin(title, True, flags) as window:
        ui.mark("event-editor")
        confirm = window.expanded and _fields(editor, ui)
        cancel = not window.opened or imgui.is_key_pressed(imgui.Key.escape)
        if window.expanded:
            confirm = _buttons(state, ui, actions) or confirm
    if cancel:
        editor.close()
    elif confirm:
        _confirm(state, actions)


def _fields(editor, ui: UiContext) -> bool:
    """The fields; True when Enter was pressed in one of them."""
    fields, entered = editor.fields, False
    imgui.set_next_item_width(150)
    if imgui.begin_combo("kind", fields.kind):
        try:  # (imgui_ctx has no combo)
            for kind in EVENT_KINDS:
                if imgui.selectable(kind, kind == fields.kind)[0]:
                    fields.kind = kind
        finally:
            imgui.end_combo()
    imgui.same_line()
    text(ui.fonts.bold, 16, EVENT_STYLE[fields.kind].color, "●")
    imgui.same_line(0, 24)
    fields.star = imgui.checkbox("★ starred", fields.star)[1]
    ui.mark("editor-star")
    if editor.focus:
        editor.focus -= 1
        if not editor.focus:
            imgui.set_keyboard_focus_here()
    # Focused, the whole title is selected: typing replaces it, an arrow key keeps it.
    select_all = imgui.InputTextFlags_.auto_select_all
    done, fields.title = imgui.input_text("title", fields.title, _ENTER | select_all)
    ui.mark("editor-title")
    entered |= done
    done, fields.detail = imgui.input_text("detail", fields.detail, _ENTER)
    entered |= done
    imgui.set_next_item_width(150)
    done, fields.at = imgui.input_text("at", fields.at, _ENTER)
    ui.mark("editor-at")
    entered |= done
    imgui.same_line()
    imgui.set_next_item_width(150)
    done, fields.until = imgui.input_text("until", fields.until, _ENTER)
    ui.mark("editor-until")
    entered |= done
    imgui.text_disabled("until: empty for a moment; a later time makes a span")
    if editor.error:
        with imgui_ctx.push_text_wrap_pos(440):
            text(ui.fonts.regular, 14, DANGER, ui.show("editor-error", editor.error))
    return entered


def _buttons(state: AppState, ui: UiContext, actions: Actions) -> bool:
    editor = state.edits.editor
    confirm = imgui.button("OK (Enter)", (120, 0))
    ui.mark("editor-ok")
    imgui.same_line()
    if imgui.button("Cancel (Esc)", (120, 0)):
        editor.close()
    if editor.event is not None:
        imgui.same_line(0, 30)
        if imgui.button("Delete", (90, 0)):
            if actions.edit_event("remove", editor.event):
                editor.close()
        ui.mark("editor-delete")
    return confirm


def _confirm(state: AppState, actions: Actions) -> None:
    editor = state.edits.editor
    try:
        values = editor.fields.parsed()
    except ValueError as exc:
        editor.error = str(exc)
        return
    if not values["title"]:
        editor.error = "an event needs a title"
        return
    if editor.event is None:
        done = actions.edit_event("add", EventFields(**values))
    else:
        old = EventFields.of(editor.event)
        changes = {k: v for k, v in values.items() if getattr(old, k) != v}
        done = not changes or actions.edit_event("change", editor.event, **changes)
    if done:
        editor.close()


def gui_prompt(state: AppState, ui: UiContext, actions: Actions) -> None:
    """The question the window is asking, if any, as a modal with its answers."""
    prompt = state.edits.prompt
    if not prompt.kind:
        return
    titles = {"restore": "Unsaved edits found", "conflict": "The file changed on disk",
              "unsaved": "Unsaved edits", "save_failed": "Could not save",
              "save_as": "Save as"}  # fmt: skip
    name = f"{titles[prompt.kind]}###prompt"
    if not imgui.is_popup_open(name):
        imgui.open_popup(name)
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    imgui.set_next_window_size((560, 0), imgui.Cond_.appearing)
    with imgui_ctx.begin_popup_modal(name, imgui.WindowFlags_.always_auto_resize) as modal:
        if modal:
            ui.mark("prompt")
            _prompt_body(state, ui, actions)


def _prompt_body(state: AppState, ui: UiContext, actions: Actions) -> None:
    prompt = state.edits.prompt
    with imgui_ctx.push_text_wrap_pos(540):
        text(ui.fonts.regular, 15, DIM, ui.show("prompt-detail", _question(prompt)))
    if prompt.kind in ("save_failed", "save_as"):
        imgui.set_next_item_width(-1)
        prompt.path = imgui.input_text("##save-as", prompt.path)[1]
        ui.mark("prompt-path")
    for choice, label in ANSWERS[prompt.kind]:
        if imgui.button(label):
            imgui.close_current_popup()
            actions.answer(choice)
        ui.mark(f"answer-{choice}")
        imgui.same_line()
    imgui.new_line()


def _question(prompt) -> str:
    if prompt.kind == "unsaved":
        return f"The timeline has unsaved edits {prompt.detail}. Save them?"
    if prompt.kind == "conflict":
        return (f"{prompt.detail} while you have unsaved edits. Keep yours (and save over "
                "it), reload the file from disk (your edits are dropped), or save yours as "
                "another file?")  # fmt: skip
    if prompt.kind == "restore":
        return f"{prompt.detail}. Restore them?"
    if prompt.kind == "save_failed":
        return f"{prompt.detail}\nYour edits are kept. Save them as another file?"
    return f"{prompt.detail or 'Save the incident'} as:"
