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
