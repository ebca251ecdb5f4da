"""Run GUI functions in a real ImGui context without a window or a GPU, with synthetic
mouse input, so panels are tested as state in, actions out."""

from __future__ import annotations

from imgui_bundle import imgui

from replay_viewer.app.context import UiContext
from replay_viewer.render.fonts import FontSet


class RecordingActions:
    """The GUI's actions, recorded instead of done."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def record(*args):
            self.calls.append((name, *args))
            return True

        return record

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


class GuiDriver:
    def __init__(self, size: tuple[float, float] = (1440, 900)) -> None:
        previous = imgui.get_current_context()
        self.context = imgui.create_context()
        imgui.set_current_context(self.context)
        io = imgui.get_io()
        io.set_ini_filename("")
        # Textures are "rendered" by nobody: say the renderer handles them so ImGui 1.92
        # builds glyphs on demand as it would with the window's backend.
        io.backend_flags |= imgui.BackendFlags_.renderer_has_textures
        self.ui = UiContext(fonts=FontSet(io, 15.0))
        self.size = size
        if previous is not None:
            imgui.set_current_context(previous)

    def frame(self, draw, *, mouse=None, button=None) -> imgui.ImDrawData:
        imgui.set_current_context(self.context)
        io = imgui.get_io()
        io.display_size = self.size
        io.delta_time = 1 / 60
        if mouse is not None:
            io.add_mouse_pos_event(*mouse)
        if button is not None:
            io.add_mouse_button_event(0, button)
        self.ui.rects.clear()
        self.ui.texts.clear()
        imgui.new_frame()
        try:
            draw()
        finally:
            imgui.render()
        return imgui.get_draw_data()

    def center(self, name: str) -> tuple[float, float]:
        x0, y0, x1, y1 = self.ui.rects[name]
        return (x0 + x1) / 2, (y0 + y1) / 2

    def click(self, draw, point, *, after=None) -> None:
        """Move to ``point``, press, release: one frame each (ImGui trickles input); call
        ``after()`` after every frame (the window renders the chart there)."""
        for kwargs in ({"mouse": point}, {"button": True}, {"button": False}):
            self.frame(draw, **kwargs)
            if after is not None:
                after()

    def destroy(self) -> None:
        imgui.destroy_context(self.context)
