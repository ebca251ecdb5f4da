"""``replay-viewer compare A B`` in a real window under Xvfb (see test_window.py): it boots
and shows both incidents, A's series in its warm family and B's in its cool one."""

from __future__ import annotations

import shutil

import pytest

from replay_viewer.compare import family_shade

from .conftest import DATA, REPO
from .test_window import App, colour_pixels, display  # noqa: F401 (display: a fixture)

pytestmark = pytest.mark.window


def test_compare_opens_both_incidents(display, tmp_path):  # noqa: F811
    first, again = tmp_path / "checkout.yaml", tmp_path / "again.yaml"
    shutil.copy(REPO / "incidents" / "checkout-flag.yaml", first)
    shutil.copy(DATA / "compare" / "checkout-recurrence.yaml", again)
    app = App(display, again, tmp_path, "compare", str(first), "--align", "detect", "--at",
              "T+03:00")  # fmt: skip
    try:
        app.wait_for(lambda: app.time_shown() is not None, 90, "the boot to finish")
        assert app.time_shown() == "T+03:00"
        rgb = [tuple(round(c * 255) for c in family_shade(name, 0)) for name in "AB"]

        def both_on_screen() -> bool:
            chart = app.screenshot("compare")[100:800, :1100]
            return all(colour_pixels(chart, color, 30) > 300 for color in rgb)

        app.wait_for(both_on_screen, 20, "A's and B's p95 on screen")
    finally:
        app.stop()
