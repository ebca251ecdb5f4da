"""Fonts for ImGui contexts (the chart's text pass and the window): Roboto and Inconsolata
from imgui-bundle, with fallbacks merged in for glyphs they lack."""

from __future__ import annotations

import functools
from pathlib import Path

from imgui_bundle import imgui

__all__ = ["FontSet", "emoji_font", "font_files", "load_font"]


@functools.lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """The TTFs shipped with imgui-bundle (Roboto: Apache-2.0; Inconsolata: OFL)."""
    import imgui_bundle

    fonts = Path(imgui_bundle.__file__).parent / "assets" / "fonts"
    return {
        "regular": fonts / "Roboto" / "Roboto-Regular.ttf",
        "bold": fonts / "Roboto" / "Roboto-Bold.ttf",
        "mono": fonts / "Inconsolata-Medium.ttf",
    }


@functools.lru_cache(maxsize=1)
def emoji_font() -> Path | None:
    """Noto Emoji (monochrome outlines, OFL), shipped with imgui-bundle's demo assets: the
    last fallback, so an imported Slack message's 🔥 or ✅ draws as the emoji, not a box."""
    import imgui_bundle

    path = Path(imgui_bundle.__file__).parent / "demos_assets" / "fonts" / "NotoEmoji-Regular.ttf"
    return path if path.is_file() else None


# Fallbacks for glyphs Roboto lacks (arrows such as "→" in the case study's timeline, "●"):
# Inconsolata ships with imgui-bundle; DejaVu Sans is used too where the system has it.
SYSTEM_FALLBACKS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("C:/Windows/Fonts/seguisym.ttf"),
    Path("C:/Windows/Fonts/msyh.ttc"),
)


def load_font(io: imgui.IO, path: Path, size: float) -> imgui.ImFont:
    """``path`` plus merged fallback fonts, so a missing glyph is not a "?" box."""
    font = io.fonts.add_font_from_file_ttf(str(path), size)
    fallbacks = [font_files()["mono"], *(p for p in SYSTEM_FALLBACKS if p.is_file())]
    if emoji_font() is not None:  # ImGui loads its glyphs only when one is drawn
        fallbacks.append(emoji_font())
    for fallback in fallbacks:
        if fallback == path:
            continue
        config = imgui.ImFontConfig()
        config.merge_mode = True
        io.fonts.add_font_from_file_ttf(str(fallback), size, config)
    return font


class FontSet:
    """Regular, bold and monospace fonts (with fallbacks) in the current ImGui context."""

    def __init__(self, io: imgui.IO, size: float = 16.0) -> None:
        files = font_files()
        self.regular = load_font(io, files["regular"], size)
        self.bold = load_font(io, files["bold"], size)
        self.mono = load_font(io, files["mono"], size)
