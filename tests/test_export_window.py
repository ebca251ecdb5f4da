"""The export dialog's storyboard and report in a real window under Xvfb: an event starred
with ``*`` (not saved) is what File ▸ Export storyboard / report… tells, in the dialog's
colours, written beside the incident without replacing anything."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from .test_window import bundled_copy_open, display, settled_driver  # noqa: F401  (display)

pytestmark = pytest.mark.window


def _centre(rect: list[float]) -> tuple[float, float]:
    return (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2


def test_storyboard_and_report_from_the_export_dialog(display, tmp_path):  # noqa: F811
    app, incident, original = bundled_copy_open(display, tmp_path)
    try:
        shown, move, click, facts = settled_driver(app)
        # Star the T+14:00 All-clear: a click on its glyph selects it, * stars it.
        move(*facts["glyphs"][-1][:2])
        click()
        app.wait_for(lambda: app.time_shown() == "T+14:00", 20, "the glyph click")
        app.key("asterisk")
        app.wait_for(lambda: [e[2] for e in shown()["edits"]["events"]].count(True) == 1, 20,
                     "the star")  # fmt: skip
        starred = next(e[0] for e in shown()["edits"]["events"] if e[2])
        # File ▸ Export storyboard / report… opens the dialog.
        move(*_centre(shown()["menu"]["menu-file"]))
        click()
        app.wait_for(lambda: "menu-export-story" in shown()["menu"], 20, "the File menu")
        move(*_centre(shown()["menu"]["menu-export-story"]))
        click()
        app.wait_for(lambda: "export-storyboard" in shown()["rects"], 20, "the export dialog")
        move(*_centre(shown()["rects"]["export-storyboard"]))
        click()
        board = tmp_path / "stampede-storyboard.png"
        app.wait_for(board.exists, 60, "the storyboard")
        app.wait_for(lambda: f"Wrote {board}" in shown()["export_message"], 20, "its message")
        assert "1 starred event" in shown()["export_message"]
        app.screenshot("export-dialog")
        assert Image.open(board).size == (1920, 1080)
        move(*_centre(shown()["rects"]["export-report"]))
        click()
        report = tmp_path / "stampede-report"
        app.wait_for(lambda: _complete(report / "report.json"), 90, "the report")
        index = json.loads((report / "report.json").read_text(encoding="utf-8"))
        assert index["options"]["events"] == "starred events"
        assert index["options"]["moments"] == [starred]
        pixels = np.asarray(Image.open(report / "storyboard.png").convert("RGB"))
        assert pixels[4, 4].max() < 60, "the dialog's default colours: dark"
        assert incident.read_text(encoding="utf-8") == original, "the star is not saved"
        assert "Traceback" not in app.output()
    finally:
        app.stop()


def _complete(index) -> bool:
    """Whether the report is all written: report.json comes first as "complete": false
    (it lists what the folder will hold), and says true after the last file."""
    try:
        return json.loads(index.read_text(encoding="utf-8"))["complete"] is True
    except (OSError, ValueError, KeyError):
        return False
