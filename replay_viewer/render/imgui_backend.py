"""The ImGui renderer backend shared by the chart text and the window UI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui
from wgpu.utils.imgui.imgui_backend import ImguiWgpuBackend

if TYPE_CHECKING:
    import wgpu

__all__ = ["ImguiBackend"]


class ImguiBackend(ImguiWgpuBackend):
    """wgpu's ImGui backend (0.32) with two fixes for growing font atlases, and textures that
    can be re-pointed (the window's chart, rendered after the GUI pass).

    The stock backend uploads only ``update_rect`` when ImGui asks for a new texture, which
    leaves most glyphs blank once the atlas grows (e.g. the first frame at pixel ratio 2),
    and never frees the texture an atlas replaced.
    """

    def _update_texture(self, tex: imgui.ImTextureData) -> None:
        status = tex.status
        old_id = tex.tex_id
        super()._update_texture(tex)
        if status == imgui.ImTextureStatus.want_create:
            self._upload_whole(tex)
        elif tex.status == imgui.ImTextureStatus.destroyed:
            # The stock backend forgets to release a replaced atlas texture.
            texture = self._textures.pop(old_id, None)
            self._texture_views.pop(old_id, None)
            if texture is not None:
                texture.destroy()

    def _upload_whole(self, tex: imgui.ImTextureData) -> None:
        texture = self._textures[tex.tex_id]
        self._device.queue.write_texture(
            {"texture": texture, "mip_level": 0, "origin": (0, 0, 0)},
            tex.get_pixels_array(),
            {"offset": 0, "bytes_per_row": tex.width * tex.bytes_per_pixel},
            (tex.width, tex.height, 1),
        )

    def reserve_texture(self) -> imgui.ImTextureRef:
        """A texture reference whose view is set later with :meth:`set_texture_view`, so a
        GUI frame can place an image before the texture it shows is rendered."""
        self._reserved = getattr(self, "_reserved", 0) + 1
        return imgui.ImTextureRef(-(1 << 30) - self._reserved)  # clear of id()-based ids

    def set_texture_view(self, ref: imgui.ImTextureRef, view: wgpu.GPUTextureView) -> None:
        """Show ``view`` wherever ``ref`` is drawn from now on (e.g. a resized texture)."""
        self._texture_views[ref.get_tex_id()] = view
