"""The fonts every ImGui context loads (render/fonts.py): fallbacks merged for the glyphs
Roboto lacks, so what an incident says (arrows, bullets, an imported Slack message's emoji)
draws as itself, not as a box."""

from __future__ import annotations

import pytest
from imgui_bundle import imgui

from replay_viewer.render.fonts import emoji_font, font_files, load_font


@pytest.fixture
def io():
    context = imgui.create_context()
    try:
        yield imgui.get_io()
    finally:
        imgui.destroy_context(context)


def test_roboto_alone_lacks_what_the_fallbacks_give(io):
    bare = io.fonts.add_font_from_file_ttf(str(font_files()["regular"]), 16)
    assert not bare.is_glyph_in_font(ord("🔥")), "else this test proves nothing"
    assert not bare.is_glyph_in_font(ord("→"))


@pytest.mark.parametrize("character", ["→", "●", "🔥", "✅", "📈", "🚨", "👀"])
def test_the_merged_fallbacks_have_the_glyph(io, character):
    assert emoji_font() is not None, "imgui-bundle ships Noto Emoji in its demo assets"
    font = load_font(io, font_files()["regular"], 16)
    assert font.is_glyph_in_font(ord(character))


def test_cjk_text_draws_through_a_system_fallback(io):
    # "障害" in an incident's title: Roboto has no CJK glyphs; a system CJK font (Noto CJK,
    # Droid Sans Fallback: .ci/run installs fonts-droid-fallback) is merged in when present.
    import os

    from replay_viewer.render.fonts import SYSTEM_FALLBACKS

    cjk = [p for p in SYSTEM_FALLBACKS if p.is_file() and ("CJK" in p.name or "Fallback" in p.name)]
    if not cjk:
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font: .ci/run installs fonts-droid-fallback")
        pytest.skip("no CJK font on this system (apt-get install fonts-droid-fallback)")
    bare = io.fonts.add_font_from_file_ttf(str(font_files()["regular"]), 16)
    assert not bare.is_glyph_in_font(ord("障")), "else this test proves nothing"
    font = load_font(io, font_files()["regular"], 16)
    assert all(font.is_glyph_in_font(ord(c)) for c in "障害対応")
