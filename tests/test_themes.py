"""The light theme (``--theme light``, for white pages): what the layout tells the GPU, every
colour readable on white by WCAG's contrast (computed here independently of the code under
test), the dark theme unchanged, and the option through the CLI, the sequence index and the
GIF palette."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from PIL import Image

from replay_viewer.errors import UsageError
from replay_viewer.export import ExportSettings, export_sequence, plan_sequence
from replay_viewer.export.encoders import key_colors
from replay_viewer.loader import load_incident
from replay_viewer.model import DEFAULT_SERIES_COLORS, EVENT_KINDS, hex_to_rgb
from replay_viewer.render.geometry import (
    RenderOptions,
    calibrate_spotlight,
    frame_uniform,
    layout_uniform,
)
from replay_viewer.render.instances import layout_instances
from replay_viewer.render.layout import compute_layout
from replay_viewer.render.series_geometry import normalisation, series_colors, series_styles
from replay_viewer.render.style import EVENT_STYLE, PALETTE
from replay_viewer.render.themes import LIGHT, THEMES, palette_for

from .conftest import BUNDLED, REPO
from .fleet_data import fleet_incident
from .test_export_commands import cli
from .test_export_folder import FakeRenderer, read_index


def luminance(rgb) -> float:
    """WCAG 2.x relative luminance of an sRGB colour in 0..1."""
    c = np.asarray(rgb[:3], dtype=float)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


WHITE = LIGHT.background
# Series colours of the kind an author writes: pale ones above all (a light theme must
# darken them), a saturated one, a grey.
AUTHORS = ("#fde68a", "#67e8f9", "#bbf7d0", "#ffffff", "#e5e7eb", "#ff0000", "#0000ff")


@pytest.fixture(scope="module")
def incident():
    return load_incident(BUNDLED)


def test_the_light_layout_tells_the_gpu_a_white_page(incident):
    dark = compute_layout(incident, 1280, 720)
    light = compute_layout(incident, 1280, 720, theme="light")
    assert dark.palette is PALETTE and dark.theme == "dark"
    assert light.palette is LIGHT and light.theme == "light"
    assert (light.chart, light.axes) == (dark.chart, dark.axes), "same geometry"
    uniform = layout_uniform(light, calibrate_spotlight(light), srgb=False)
    assert luminance(uniform["background"]) > 0.95
    # Grid lines as grid.wgsl mixes them over the page, away from the spotlight (ambient)
    # and at its centre: light greys, never near black.
    _, _, intensity, ambient = uniform["spotlight"]
    page = np.asarray(uniform["background"][:3])
    for grid in ("grid_minor", "grid_major"):
        color = uniform[grid]
        for lit, low, high in ((ambient, 0.75, 0.95), (ambient + intensity, 0.25, 0.75)):
            drawn = page + (color[:3] - page) * min(1.0, color[3] * lit)
            assert low < luminance(drawn) < high, (grid, lit)
    # The spotlight shades, with a cool cast (blue darkened least), and only in the chart.
    haze = uniform["haze"]
    assert np.all(haze[:3] < 0) and haze[2] > haze[0] and haze[3] == 0
    assert np.all(uniform["past_tint"][:3] <= 0)
    assert uniform["spotlight"][2] < calibrate_spotlight(dark).intensity, "a calmer spot"
    # The dark layout's uniform is what it was before themes.
    before = layout_uniform(dark, calibrate_spotlight(dark), srgb=False)
    assert tuple(before["background"]) == pytest.approx(PALETTE.background)
    assert tuple(before["haze"]) == pytest.approx((0.05, 0.065, 0.09, 1.0))
    assert tuple(before["past_tint"][:3]) == pytest.approx((0.008, 0.01, 0.014))
    ghost = frame_uniform(light, 60.0, RenderOptions())["ghost_alpha"]
    assert ghost > frame_uniform(dark, 60.0, RenderOptions())["ghost_alpha"]


def test_light_text_is_dark_and_reads_on_white():
    assert luminance(LIGHT.text) < 0.02
    assert contrast(LIGHT.text, WHITE) >= 15
    for name in ("text_dim", "text_faint", "severity_text", "danger"):
        assert contrast(getattr(LIGHT, name), WHITE) >= 4.5, name  # WCAG AA for text
    for name in ("playhead", "crosshair", "accent", "success", "warning", "axis"):
        assert contrast(getattr(LIGHT, name), WHITE) >= 3.0, name  # graphics


def test_every_event_and_default_series_colour_is_3_to_1_on_white():
    for kind in EVENT_KINDS:
        style = LIGHT.event(kind)
        assert style.shape == EVENT_STYLE[kind].shape, "shapes are every theme's"
        assert contrast(style.color, WHITE) >= 3.0, kind
        assert style.color != EVENT_STYLE[kind].color
    for color in DEFAULT_SERIES_COLORS:
        assert contrast(LIGHT.series_color(hex_to_rgb(color)), WHITE) >= 3.0, color


@pytest.mark.parametrize("color", AUTHORS)
def test_an_authors_pale_colour_is_darkened_in_its_own_hue(color):
    import colorsys

    rgb = hex_to_rgb(color)
    drawn = LIGHT.series_color(rgb)
    assert contrast(drawn, WHITE) >= 3.0
    assert contrast(tuple(round(c * 255) / 255 for c in drawn), WHITE) >= 3.0, "in 8 bits"
    if contrast(rgb, WHITE) >= 3.0:
        assert drawn == rgb, "a colour that reads is kept"
    else:  # only as dark as it must be: a little lighter would not read
        assert contrast(drawn, WHITE) < 3.2
        hue, _, saturation = colorsys.rgb_to_hls(*rgb)
        new_hue, _, new_saturation = colorsys.rgb_to_hls(*drawn)
        if saturation > 0:
            assert new_hue == pytest.approx(hue, abs=1e-6)
            assert new_saturation == pytest.approx(saturation, abs=1e-6)
    assert PALETTE.series_color(rgb) == rgb, "the dark theme draws the file's colour"


def test_every_drawn_colour_of_a_pale_group_reads_on_white():
    fleet = fleet_incident()
    cyan = hex_to_rgb("#67e8f9")
    fleet = dataclasses.replace(fleet, series=tuple(dataclasses.replace(s, color=cyan)
                                                    for s in fleet.series))  # fmt: skip
    layout = compute_layout(fleet, 1280, 720, theme="light")
    colors = series_colors(fleet, LIGHT)
    assert len(set(colors)) > 10, "the members still differ"
    axes = [layout.axis_for(s.id) for s in fleet.series]
    norms = [normalisation(s) for s in fleet.series]
    styles = series_styles(fleet, layout, axes, norms, colors)
    for field in ("color", "emphasis_color", "band_color"):
        assert min(contrast(rgb, WHITE) for rgb in styles[field]) >= 3.0, field
    # Ghosts (after the playhead) are the background mixed toward the series: paler, visible.
    ghost = min(contrast(rgb, WHITE) for rgb in styles["ghost_color"])
    assert 1.2 < ghost < 3.0
    assert series_colors(fleet) == series_colors(fleet, PALETTE)
    assert series_colors(fleet, PALETTE) != colors


def test_instances_take_the_layouts_colours(incident):
    layout = compute_layout(incident, 1280, 720, theme="light")
    axes = [layout.axis_for(s.id) for s in incident.series]
    colors = list(series_colors(incident, LIGHT))
    markers, _, rules, _ = layout_instances(incident, layout, axes, {}, colors)

    def key(color):  # with alpha: the light grid (#94a3b8 at 0.45) is the dark note's hue
        return tuple(round(float(c) * 255) for c in (*color[:3], color[3] if len(color) > 3 else 1))

    light_events = {key(LIGHT.event(k).color) for k in EVENT_KINDS}
    dark_events = {key(EVENT_STYLE[k].color) for k in EVENT_KINDS}
    drawn = {key(c) for c in markers["color"]} | {key(c) for c in rules["color"]}
    assert drawn & light_events and not drawn & dark_events
    assert key(PALETTE.playhead) not in drawn and key(LIGHT.playhead) in drawn


def test_theme_names():
    assert set(THEMES) == {"dark", "light"} and palette_for("light") is LIGHT
    with pytest.raises(ValueError, match="expected one of dark, light"):
        palette_for("sepia")


def test_gif_key_colours_are_the_themes():
    def ints(rgb):
        return tuple(round(c * 255) for c in rgb[:3])

    dark, light = key_colors(["#f43f5e"]), key_colors(["#f43f5e"], LIGHT)
    assert ints(EVENT_STYLE["deploy"].color) in dark
    assert ints(LIGHT.event("deploy").color) in light
    assert ints(EVENT_STYLE["deploy"].color) not in light
    assert hex_to_rgb("#e11d48") in [tuple(c / 255 for c in k) for k in light]


def test_settings_carry_the_theme_to_the_layout_and_the_index(tmp_path, incident):
    settings = ExportSettings(size=(160, 120), theme="light")
    assert settings.layout_options()["theme"] == "light"
    plan = plan_sequence(incident, frames=4)
    index = export_sequence(FakeRenderer(), incident, plan, tmp_path, settings)
    assert index["options"]["theme"] == "light"
    frame = Image.open(tmp_path / "frame_00000.png")
    assert frame.text["Theme"] == "light"
    # The default theme is not written: a dark index of an older release still resumes.
    dark = export_sequence(FakeRenderer(), incident, plan, tmp_path / "dark",
                           ExportSettings(size=(160, 120)))  # fmt: skip
    assert "theme" not in dark["options"]
    assert "Theme" not in Image.open(tmp_path / "dark" / "frame_00000.png").text


def test_resume_with_another_theme_is_refused(tmp_path, incident):
    plan = plan_sequence(incident, frames=4)
    light = ExportSettings(size=(160, 120), theme="light")
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 1

    stopped = export_sequence(FakeRenderer(), incident, plan, tmp_path, light, should_stop=stop)
    assert stopped["complete"] is False
    with pytest.raises(UsageError, match="other options") as refused:
        export_sequence(FakeRenderer(), incident, plan, tmp_path, ExportSettings(size=(160, 120)),
                        resume=True)  # fmt: skip
    assert '"theme": "light"' in str(refused.value)
    index = export_sequence(FakeRenderer(), incident, plan, tmp_path, light, resume=True)
    assert index["complete"] is True and read_index(tmp_path)["options"]["theme"] == "light"


def test_unknown_theme_is_a_usage_error():
    result = cli("export", BUNDLED, "--theme", "sepia")
    assert result.returncode == 2 and "invalid choice: 'sepia'" in result.stderr


@pytest.mark.gpu
def test_export_at_with_the_light_theme(tmp_path, gpu_adapter):
    out = tmp_path / "light.png"
    result = cli("export", BUNDLED, "--at", "T+02:30", "--theme", "light", "--size", "640x360",
                 "-o", out)  # fmt: skip
    assert result.returncode == 0, result.stderr
    image = Image.open(out)
    assert image.text["Theme"] == "light"
    pixels = np.asarray(image.convert("RGB"))
    assert pixels.shape == (360, 640, 3)
    assert np.all(pixels[2, 2] >= 250) and np.all(pixels[-2, -2] >= 250), "a white page"
    # Mostly page: light pixels dominate, and the text and lines are darker than it.
    light_share = (pixels.min(axis=-1) >= 235).mean()
    assert light_share > 0.8
    assert pixels.min() < 60, "dark text"
    dark = np.asarray(Image.open(cli_png(tmp_path, "dark.png")).convert("RGB"))
    assert (dark.max(axis=-1) <= 40).mean() > 0.8, "the default is still the dark theme"


def cli_png(tmp_path, name):
    out = tmp_path / name
    result = cli("export", BUNDLED, "--at", "T+02:30", "--size", "640x360", "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def test_readme_documents_the_theme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "--theme" in readme


def test_cli_refuses_to_resume_a_dark_sequence_in_light(tmp_path):
    # No GPU: a resume is refused before the boot.
    folder = tmp_path / "frames"
    folder.mkdir()
    incident = load_incident(BUNDLED)
    plan = plan_sequence(incident, frames=3)
    calls = []
    export_sequence(FakeRenderer(), incident, plan, folder, ExportSettings(size=(320, 180)),
                    should_stop=lambda: calls.append(1) or len(calls) > 1)  # fmt: skip
    result = cli("export", BUNDLED, "--frames", "3", "--size", "320x180", "-o", folder,
                 "--resume", "--theme", "light")  # fmt: skip
    assert result.returncode == 2 and "other options" in result.stderr, result.stderr
    assert (
        "theme" not in json.loads((folder / "frames.json").read_text(encoding="utf-8"))["options"]
    )
