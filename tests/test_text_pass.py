"""The chart's private ImGui context (render/text.py) survives an interrupt mid-paint.

SIGTERM and Ctrl+C raise KeyboardInterrupt wherever Python happens to be; landing between
a ``push_font`` and its ``pop_font`` once turned a clean 'interrupted' exit (130) into an
ImGui assertion ('Missing PopFont()') reported as an internal error."""

from __future__ import annotations

import pytest
import wgpu
from imgui_bundle import imgui

pytestmark = pytest.mark.gpu


@pytest.fixture(scope="module")
def text_pass(gpu_adapter):
    from replay_viewer.render.text import TextPass

    device = gpu_adapter.request_device_sync()
    return device, TextPass(device, "rgba8unorm")


def _paint(device, text_pass, painter) -> None:
    target = device.create_texture(
        size=(64, 32, 1), format="rgba8unorm", usage=wgpu.TextureUsage.RENDER_ATTACHMENT
    )
    encoder = device.create_command_encoder()
    render_pass = encoder.begin_render_pass(
        color_attachments=[
            {"view": target.create_view(), "load_op": "clear", "store_op": "store",
             "clear_value": (0, 0, 0, 1)}
        ]
    )  # fmt: skip
    try:
        text_pass.paint(render_pass, (64, 32), 1.0, painter)
    finally:
        render_pass.end()
        device.queue.submit([encoder.finish()])


def _interrupted_with_fonts_pushed(draw_list, fonts) -> None:
    imgui.push_font(fonts.bold, 14)
    imgui.push_font(fonts.mono, 12)
    raise KeyboardInterrupt


def test_an_interrupt_between_push_and_pop_font_surfaces_as_the_interrupt(text_pass):
    device, painter_pass = text_pass
    with pytest.raises(KeyboardInterrupt):
        _paint(device, painter_pass, _interrupted_with_fonts_pushed)


def test_the_pass_paints_again_after_an_interrupted_frame(text_pass):
    device, painter_pass = text_pass
    with pytest.raises(KeyboardInterrupt):
        _paint(device, painter_pass, _interrupted_with_fonts_pushed)
    widths = []

    def measure(draw_list, fonts):
        imgui.push_font(fonts.regular, 13)
        widths.append(imgui.calc_text_size("T+00:05:00").x)
        imgui.pop_font()
        draw_list.add_text((2, 2), 0xFFFFFFFF, "T+00:05:00")

    _paint(device, painter_pass, measure)
    assert widths and widths[0] > 20


def test_the_unwinding_is_quiet_and_keeps_the_assertions_on(text_pass, capfd):
    device, painter_pass = text_pass
    with pytest.raises(KeyboardInterrupt):
        _paint(device, painter_pass, _interrupted_with_fonts_pushed)
    out, err = capfd.readouterr()
    assert "imgui" not in out + err
    with painter_pass._current():
        io = imgui.get_io()
        assert io.config_error_recovery_enable_assert
        assert io.config_error_recovery_enable_debug_log
