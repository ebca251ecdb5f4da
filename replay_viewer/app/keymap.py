"""Every keyboard shortcut, in one table: it drives the window's key dispatch, the F1 help
and the README's table (tests/test_keymap.py keeps the README in step)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import presenter
from .chart_input import ZOOM_STEP

if TYPE_CHECKING:
    from collections.abc import Callable

    from .actions import Actions
    from .state import AppState

__all__ = ["KEYMAP", "PRESENTER_KEYMAP", "Binding", "KeyRepeat", "ShortcutChar", "dispatch_key"]

REPEAT_DELAY_S = 0.35
REPEAT_INTERVAL_S = 0.045
# Modifiers a chord can require; others (Alt, Meta) are ignored.
MODIFIERS = ("Control", "Shift")


@dataclass(frozen=True)
class Binding:
    keys: str  # as the help and the README show them
    action: str  # what it does, likewise
    chords: tuple[tuple[str, str], ...]  # (key, "+"-joined modifiers) pairs that trigger it
    run: Callable[[AppState, Actions, str], None]  # (state, actions, key)
    repeats: bool = False  # keeps firing while held (after a short delay)
    always: bool = False  # also while a text field or a dialog has the keyboard


def _direction(key: str) -> int:
    return -1 if key in ("ArrowLeft", "[", "Home", "-", "_") else 1


def _quarter_view(state: AppState) -> float:
    start, end = state.view or (state.playback.start, state.playback.end)
    return (end - start) / 4


def _toggle_ghost(state: AppState, actions: Actions, key: str) -> None:
    state.ghost = not state.ghost


def _toggle_help(state: AppState, actions: Actions, key: str) -> None:
    state.show_help = not state.show_help


def _open_browser(state: AppState, actions: Actions, key: str) -> None:
    state.browser.open = True


def _add_event(state: AppState, actions: Actions, key: str) -> None:
    state.edits.editor.start_add(state.t)


def _acted_on(state: AppState):
    """The event Delete and * act on: the one clicked last, else the latest at or before
    the playhead."""
    selected = state.edits.selected
    if selected is not None:
        return selected
    index = state.current_event_index()
    return state.incident.events[index] if index >= 0 else None


def _remove_event(state: AppState, actions: Actions, key: str) -> None:
    event = _acted_on(state)
    if event is not None:
        actions.edit_event("remove", event)


def _star_event(state: AppState, actions: Actions, key: str) -> None:
    event = _acted_on(state)
    if event is not None:
        actions.edit_event("star", event)


def _save_as(state: AppState, actions: Actions, key: str) -> None:
    from .edit_state import Prompt

    path = state.path
    proposed = "" if path is None else str(path.with_name(f"{path.stem}-copy{path.suffix}"))
    state.edits.prompt = Prompt("save_as", "Save the incident", path=proposed)


KEYMAP = (
    Binding(
        "Space",
        "Play / pause (1× to 600×, or the whole incident in 10 s to 2 min: the speed box)",
        ((" ", ""),),
        lambda state, actions, key: state.toggle_play(),
    ),
    Binding(
        "+ / −",
        "Faster / slower playback",
        (("=", ""), ("+", ""), ("+", "Shift"), ("=", "Shift"), ("-", ""), ("_", "Shift")),
        lambda state, actions, key: state.change_speed(_direction(key)),
    ),
    Binding(
        "L", "Loop playback on / off", (("l", ""),), lambda state, actions, key: state.toggle_loop()
    ),
    Binding(
        "← / →",
        "Step one sample back / forward",
        (("ArrowLeft", ""), ("ArrowRight", "")),
        lambda state, actions, key: state.step(_direction(key)),
        repeats=True,
    ),
    Binding(
        "Shift + ← / →",
        "Ten samples or 1 % of the incident back / forward, whichever is longer",
        (("ArrowLeft", "Shift"), ("ArrowRight", "Shift")),
        lambda state, actions, key: state.big_step(_direction(key)),
        repeats=True,
    ),
    Binding(
        "[ / ]",
        "Previous / next event",
        (("[", ""), ("]", "")),
        lambda state, actions, key: state.event(_direction(key)),
    ),
    Binding(
        "Home / End",
        "Start / end of the incident",
        (("Home", ""), ("End", "")),
        lambda state, actions, key: state.home() if key == "Home" else state.end(),
    ),
    Binding("G", "Ghost the data after the playhead on / off", (("g", ""),), _toggle_ghost),
    Binding(
        "A",
        "Autoscale on / off: zoomed, the value axes fit the data in view (View ▸ Autoscale)",
        (("a", ""),),
        lambda state, actions, key: state.toggle_autoscale(),
    ),
    Binding(
        "V",
        "Live view on / off: only what was known at the playhead, as the on-call saw it",
        (("v", ""),),
        lambda state, actions, key: state.toggle_live(),
    ),
    Binding(
        "Ctrl + = / −",
        "Zoom in / out around the playhead (the wheel zooms around the pointer)",
        (("=", "Control"), ("+", "Control"), ("+", "Control+Shift"), ("-", "Control")),
        lambda state, actions, key: state.zoom(ZOOM_STEP ** -_direction(key)),
    ),
    Binding(
        "Ctrl + ← / →",
        "Pan the zoomed view by a quarter",
        (("ArrowLeft", "Control"), ("ArrowRight", "Control")),
        lambda state, actions, key: state.pan(_direction(key) * _quarter_view(state)),
        repeats=True,
    ),
    Binding(
        "Ctrl + 0",
        "Show the whole incident again (or double-click the chart)",
        (("0", "Control"),),
        lambda state, actions, key: state.reset_view(),
    ),
    Binding(
        "Ctrl + O",
        "Open an incident (a built-in file browser; File ▸ Recent keeps the last 10)",
        (("o", "Control"),),
        _open_browser,
    ),
    Binding(
        "Ctrl + E",
        "Export the current frame as PNG (export size, not a screen grab)",
        (("e", "Control"),),
        lambda state, actions, key: actions.export_frame(),
    ),
    Binding(
        "Ctrl + R",
        "Reload, or retry the file that failed (files also reload when they change on disk)",
        (("r", "Control"),),
        lambda state, actions, key: actions.reload(),
    ),
    Binding(
        "Ctrl + Q",
        "Quit",
        (("q", "Control"),),
        lambda state, actions, key: actions.quit(),
        always=True,
    ),
    Binding(
        "E",
        "Add an event at the playhead (or right-click the chart ▸ Add event here)",
        (("e", ""),),
        _add_event,
    ),
    Binding(
        "Delete",
        "Remove the event clicked last (or the latest passed)",
        (("Delete", ""),),
        _remove_event,
    ),
    Binding(
        "*",
        "Star / unstar that event (the ones exports tell)",
        (("*", ""), ("*", "Shift"), ("8", "Shift")),
        _star_event,
    ),
    Binding(
        "Ctrl + Z",
        "Undo the last timeline edit",
        (("z", "Control"),),
        lambda state, actions, key: actions.edit_event("undo"),
    ),
    Binding(
        "Ctrl + Shift + Z / Ctrl + Y",
        "Redo it",
        (("z", "Control+Shift"), ("y", "Control")),
        lambda state, actions, key: actions.edit_event("redo"),
    ),
    Binding(
        "Ctrl + S",
        "Save the edits into the incident file (comments, layout kept)",
        (("s", "Control"),),
        lambda state, actions, key: actions.save(),
    ),
    Binding(
        "Ctrl + Shift + S", "Save the edits as another file", (("s", "Control+Shift"),), _save_as
    ),
    Binding(
        "F5",
        "Present: full screen, the chart alone, step through the story (keys below)",
        (("F5", ""),),
        lambda state, actions, key: presenter.enter(state),
    ),
    Binding("F1", "Shortcut and mouse help (Esc closes it)", (("F1", ""),), _toggle_help),
)

# Presenter mode's keys (a presentation clicker sends PageDown / PageUp, and B or . to
# blank); every other key does nothing there but Ctrl+Q.
PRESENTER_KEYMAP = (
    Binding(
        "→ / PageDown / Space",
        "To the next moment of the story (about 3 s, --pace), its caption card",
        (("ArrowRight", ""), ("PageDown", ""), (" ", ""), ("ArrowDown", "")),
        lambda state, actions, key: presenter.step(state, 1),
    ),
    Binding(
        "← / PageUp",
        "Back to the previous moment",
        (("ArrowLeft", ""), ("PageUp", ""), ("ArrowUp", ""), ("Backspace", "")),
        lambda state, actions, key: presenter.step(state, -1),
    ),
    Binding(
        "Home / End",
        "The first / last moment",
        (("Home", ""), ("End", "")),
        lambda state, actions, key: presenter.jump(state, 0 if key == "Home" else -1),
    ),
    Binding(
        "B / .",
        "Blank the screen (again, or any step key, to come back)",
        (("b", ""), (".", "")),
        lambda state, actions, key: presenter.toggle_blank(state),
    ),
    Binding(
        "Esc / F5",
        "Leave presenter mode",
        (("Escape", ""), ("F5", "")),
        lambda state, actions, key: presenter.leave(state),
    ),
)


def chord(key: str, modifiers) -> tuple[str, str]:
    """The (key, modifiers) pair of a key event: letters in lower case, only the
    modifiers a binding can require."""
    key = key.lower() if len(key) == 1 else key
    return key, "+".join(m for m in MODIFIERS if m in modifiers)


def dispatch_key(
    key: str,
    modifiers,
    state: AppState,
    actions: Actions,
    *,
    keyboard_taken: bool = False,
    repeat: bool = False,
) -> Binding | None:
    """Run the binding of this key event, if any; returns it. ``keyboard_taken``: a text
    field or dialog has the keyboard, so only ``always`` bindings run."""
    pressed = chord(key, modifiers)
    edits = state.edits
    keyboard_taken = (keyboard_taken or state.browser.open or state.export.open
                      or edits.editor.open or bool(edits.prompt.kind))  # fmt: skip
    table = KEYMAP
    if state.presenter.on:
        table = PRESENTER_KEYMAP + tuple(b for b in KEYMAP if b.always)
    for binding in table:
        if pressed not in binding.chords:
            continue
        if (keyboard_taken and not binding.always) or (repeat and not binding.repeats):
            return None
        binding.run(state, actions, pressed[0])
        return binding
    return None


class KeyRepeat:
    """Held keys of repeating bindings. The window system's own key repeats do not reach
    the app (rendercanvas drops them), so holding ← or → keeps stepping here: after
    REPEAT_DELAY_S, every REPEAT_INTERVAL_S, as in any player."""

    def __init__(self) -> None:
        self._held: dict[str, list] = {}  # key → [event, pressed at, last repeat]

    def __bool__(self) -> bool:
        return bool(self._held)

    def press(self, key: str, event: dict, now: float) -> None:
        self._held[key] = [event, now, now]

    def release(self, key: str) -> None:
        self._held.pop(key, None)

    def due(self, now: float) -> list[dict]:
        """The events to repeat at clock time ``now``."""
        events = []
        for held in self._held.values():
            event, pressed_at, last = held
            if now - pressed_at >= REPEAT_DELAY_S and now - last >= REPEAT_INTERVAL_S:
                held[2] = now
                events.append(event)
        return events


class ShortcutChar:
    """The character of the shortcut key that just ran. Its ``char`` event comes after the
    key event; when the shortcut opened a text field (E: the event editor's title) it
    must not be typed into it, so :meth:`on_char` stops it before ImGui sees it."""

    def __init__(self) -> None:
        self.char = ""

    def ran(self, key: str) -> None:
        self.char = key.lower() if len(key) == 1 else ""

    def on_char(self, event: dict) -> None:
        text = event.get("data", "") or event.get("char_str", "") or ""
        if self.char and text.lower() == self.char:
            event["stop_propagation"] = True
        self.char = ""
