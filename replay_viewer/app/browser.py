"""File ▸ Open…: a file browser drawn with ImGui (no system dialog tool needed).

The listing logic is pure and tested; :func:`gui_file_browser` draws it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from imgui_bundle import imgui, imgui_ctx

__all__ = ["Entry", "FileBrowser", "gui_file_browser"]

INCIDENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    is_dir: bool


@dataclass
class FileBrowser:
    folder: Path = field(default_factory=Path.cwd)
    open: bool = False
    selected: Path | None = None
    typed: str = ""
    show_hidden: bool = False
    error: str = ""

    def entries(self) -> list[Entry]:
        """Folders first, then .yaml/.yml files, each sorted case-insensitively."""
        try:
            children = list(os.scandir(self.folder))
        except OSError as exc:
            self.error = f"cannot list {self.folder}: {exc.strerror or exc}"
            return []
        self.error = ""
        folders, files = [], []
        for child in children:
            if child.name.startswith(".") and not self.show_hidden:
                continue
            try:
                is_dir = child.is_dir()
            except OSError:
                continue
            if is_dir:
                folders.append(Entry(child.name, Path(child.path), True))
            elif child.name.lower().endswith(INCIDENT_SUFFIXES):
                files.append(Entry(child.name, Path(child.path), False))
        key = lambda e: e.name.lower()  # noqa: E731
        return sorted(folders, key=key) + sorted(files, key=key)

    def enter(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.selected = None
        self.typed = ""  # the name field names a file in the folder shown

    def up(self) -> None:
        self.enter(self.folder.parent)

    def resolve_typed(self) -> Path | None:
        """The typed path (relative to the folder) if it names a file; enters a folder."""
        if not self.typed.strip():
            return self.selected
        path = (self.folder / os.path.expanduser(self.typed.strip())).resolve()
        if path.is_dir():
            self.enter(path)
            self.typed = ""
            return None
        return path


def gui_file_browser(browser: FileBrowser) -> Path | None:
    """Draw the browser as a modal; returns the chosen file once, else None."""
    if browser.open and not imgui.is_popup_open("Open incident"):
        imgui.open_popup("Open incident")
        browser.typed, browser.selected = "", None  # a fresh name field each time
    viewport = imgui.get_main_viewport()
    imgui.set_next_window_size((min(720, viewport.size.x - 40), min(520, viewport.size.y - 40)),
                               imgui.Cond_.appearing)  # fmt: skip
    imgui.set_next_window_pos(viewport.get_center(), imgui.Cond_.appearing, (0.5, 0.5))
    opened, browser.open = imgui.begin_popup_modal("Open incident", browser.open)
    if not opened:
        return None
    try:  # imgui_ctx's popup modal takes no p_open: end it here, even if the body raises
        chosen = _browser_body(browser)
    finally:
        imgui.end_popup()
    return chosen


def _browser_body(browser: FileBrowser) -> Path | None:
    chosen: Path | None = None
    if imgui.button("Up"):
        browser.up()
    imgui.same_line()
    imgui.text_disabled(str(browser.folder))
    height = imgui.get_content_region_avail().y - imgui.get_frame_height_with_spacing() * 2
    with imgui_ctx.begin_child("entries", (0, height), imgui.ChildFlags_.borders):
        chosen = _entries(browser)
    if browser.error:
        imgui.text_colored((1.0, 0.45, 0.45, 1.0), browser.error)
    imgui.set_next_item_width(-200)
    if imgui.is_window_appearing():
        imgui.set_keyboard_focus_here()  # type a path straight away
    entered, browser.typed = imgui.input_text(
        "##path", browser.typed, imgui.InputTextFlags_.enter_returns_true
    )
    imgui.same_line()
    if imgui.button("Open", (90, 0)) or entered:
        chosen = chosen or browser.resolve_typed()
    imgui.same_line()
    if imgui.button("Cancel", (90, 0)) or imgui.is_key_pressed(imgui.Key.escape):
        browser.open = False
    if chosen is not None:
        browser.open = False
    if not browser.open:
        imgui.close_current_popup()
    return chosen


def _entries(browser: FileBrowser) -> Path | None:
    """The folder's entries; a double-clicked file is chosen, a double-clicked folder
    entered."""
    chosen = None
    for entry in browser.entries():
        label = f"[dir]  {entry.name}" if entry.is_dir else f"       {entry.name}"
        selected = browser.selected == entry.path
        if imgui.selectable(label, selected, imgui.SelectableFlags_.allow_double_click)[0]:
            if entry.is_dir:
                if imgui.is_mouse_double_clicked(0):
                    browser.enter(entry.path)
            else:
                browser.selected = entry.path
                browser.typed = entry.name
                if imgui.is_mouse_double_clicked(0):
                    chosen = entry.path
    return chosen
