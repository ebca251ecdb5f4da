"""Presenter mode in a real window under Xvfb: `replay-viewer present` fills the screen,
the keys a clicker sends step through the story, idle costs what an idle window costs, B
blanks, Esc gives the window back at its size."""

from __future__ import annotations

import shutil
import time

import pytest

from .conftest import BUNDLED
from .test_window import App, display, seconds  # noqa: F401  (display: the fixture)

pytestmark = pytest.mark.window

SCREEN = (1600, 1000)  # test_window's Xvfb screen


def geometry(app: App) -> tuple[int, int]:
    text = app.xdo("getwindowgeometry", app.window)
    size = text.split("Geometry:")[1].split()[0]
    width, height = size.split("x")
    return int(width), int(height)


def test_presenting_the_bundled_incident(display, tmp_path):  # noqa: F811
    incident = tmp_path / "stampede.yaml"
    shutil.copy(BUNDLED, incident)
    app = App(display, incident, tmp_path, "present", "--pace", "1")
    try:
        app.wait_for(lambda: app.time_shown() is not None, 90, "the boot to finish")
        app.wait_for(lambda: geometry(app) == SCREEN, 20, "full screen")
        assert app.time_shown() == "T+00:00"  # the story starts at T+0
        for key, expected in (("Right", "T+00:12"), ("Next", "T+00:45"), ("space", "T+02:00")):
            app.key(key)  # Next = PageDown, what a clicker sends
            app.wait_for(lambda e=expected: app.time_shown() == e, 20, f"the step to {expected}")
        app.key("Prior")  # PageUp: back
        app.wait_for(lambda: app.time_shown() == "T+00:45", 20, "the step back")

        time.sleep(1.0)  # the caption's fade is over: presenter mode is idle
        before = app.cpu_seconds()
        time.sleep(4.0)
        idle_share = (app.cpu_seconds() - before) / 4.0
        assert idle_share < 0.05, f"idle presenter mode used {idle_share:.1%} of a core"

        shown = app.screenshot("presenting")
        assert (shown.max(axis=-1) > 60).mean() > 0.01  # a chart is on screen
        app.key("b")
        time.sleep(1.0)
        blank = app.screenshot("blank")
        assert (blank.max(axis=-1) < 8).mean() > 0.999, "B blanks the whole screen"
        app.key("b")
        time.sleep(1.0)
        assert (app.screenshot("back").max(axis=-1) > 60).mean() > 0.01

        app.key("Escape")
        app.wait_for(lambda: geometry(app) == (1440, 900), 20, "the window back at its size")
        app.key("Right")  # the window's own keys again: one sample on
        app.wait_for(lambda: app.time_shown() == "T+00:50", 20, "a step of one sample")
    finally:
        app.stop()
