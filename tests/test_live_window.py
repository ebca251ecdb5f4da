"""Autoscale and live view in a real window under Xvfb (issue 20): ``V`` shows only what
was known at the playhead, its axes growing with the data seen; ``A`` switches a zoom's
axes between the data in view and the whole incident."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from .conftest import BUNDLED
from .test_window import App, colour_pixels, display  # noqa: F401  (display: the fixture)

pytestmark = pytest.mark.window


def test_live_view_and_autoscale_in_the_window(display, tmp_path):  # noqa: F811
    incident = tmp_path / "stampede.yaml"
    shutil.copy(BUNDLED, incident)
    state_file = tmp_path / "shown.json"
    app = App(display, incident, tmp_path, REPLAY_VIEWER_TEST_FAULTS="1",
              REPLAY_VIEWER_TEST_STATE=str(state_file))  # fmt: skip
    try:
        app.wait_for(lambda: app.time_shown() is not None, 90, "the boot to finish")

        def shown() -> dict:
            state_file.unlink(missing_ok=True)
            app.key("F12")
            app.wait_for(state_file.exists, 10, "the window's state")
            return json.loads(state_file.read_text(encoding="utf-8"))

        def left_axis() -> list[float]:
            return shown()["axes"]["left"]

        facts = shown()
        assert facts["autoscale"] and not facts["live"] and facts["layout_live"] is None
        whole = left_axis()
        assert whole[1] >= 2400, "the whole incident's axis holds the 2,400 ms spike"

        # V at the start: only the calm before the deploy exists, and the axis fits it.
        app.key("Home")
        app.key("v")
        app.wait_for(lambda: shown()["live"] and 200 <= left_axis()[1] < 400, 20,
                     "live view's axis to fit the calm data and its 200 ms threshold")  # fmt: skip
        # On past the spike at T+00:15 (the next events: T+00:00, T+00:12, T+00:45): the
        # axis grows to hold it, as a live dashboard's would.
        for _ in range(3):
            app.key("bracketright")
        app.wait_for(lambda: app.time_shown() == "T+00:45", 20, "] to step to T+00:45")
        app.wait_for(lambda: left_axis() == whole, 20, "the axis to grow")
        facts = shown()
        assert facts["layout_live"] is not None and facts["layout_live"] <= facts["t"]
        time.sleep(0.5)
        shot = app.screenshot("live-view")
        x0, y0, x1, y1 = facts["plot"]
        playhead = x0 + (facts["t"] + 60) / 900 * (x1 - x0)
        rose = (244, 63, 94)
        past = shot[round(y0) : round(y1), round(x0) : round(playhead) - 8]
        future = shot[round(y0) + 40 : round(y1) - 60, round(playhead) + 16 : round(x1) - 160]
        assert colour_pixels(past, rose, 30) > 200, "the p99 line up to the playhead"
        assert colour_pixels(future, rose, 30) == 0, "nothing after it"
        # The crosshair after the playhead tells no values: they were not known yet.
        app.xdo("mousemove", "--window", app.window, str(round((playhead + x1) / 2)),
                str(round((y0 + y1) / 2)))  # fmt: skip
        app.wait_for(lambda: "not known yet" in shown()["tooltip"], 20, "the future's tooltip")
        app.xdo("mousemove", "--window", app.window, "5", "5")

        # V again: the whole incident; then End, zoom in: the axis fits the decay; A
        # gives the zoom the whole incident's axis back.
        app.key("v")
        app.wait_for(lambda: not shown()["live"], 20, "live view off")
        app.key("End")
        for _ in range(4):
            app.key("ctrl+equal")
        app.wait_for(lambda: shown()["view"] is not None, 20, "the zoom")
        app.wait_for(lambda: left_axis()[1] < whole[1] / 2, 20, "the axis to fit the zoom")
        app.key("a")
        app.wait_for(lambda: left_axis() == whole, 20, "A: the whole incident's axis")
        assert not shown()["autoscale"]
        assert "Traceback" not in app.output()
    finally:
        app.stop()
