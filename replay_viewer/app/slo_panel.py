"""The Metrics panel's error budgets: each SLO's objective and window, its budget, what the
incident burned (with a bar: spent before, then burned, against the whole budget), the
peak burn rate (click to jump there) and what is left, in the danger colour once the budget
is spent. The numbers are :mod:`..analysis.slo`'s, as in ``validate --metrics``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import imgui, imgui_ctx

from ..analysis import (
    burn_page,
    compute_metrics,
    format_percent,
    format_rate,
    page_words,
    slo_summaries,
)
from ..describe import duration_words, short_duration
from ..timecode import format_timecode
from .theme import DANGER, DIM, FAINT, TEXT, text, u32

if TYPE_CHECKING:
    from ..analysis import SloSummary
    from .context import UiContext
    from .state import AppState

__all__ = ["gui_slos", "slo_texts"]

BAR_HEIGHT = 7.0
BEFORE = (*DIM[:3], 0.55)  # the part spent before the incident
BURNED = (0.96, 0.62, 0.04, 1.0)  # the incident's part (the burn lane's warm colour)


def slo_texts(summary: SloSummary, detection: float | None = None) -> dict[str, str]:
    """What the panel says about one SLO, by name (the tests read these); ``detection``
    is the declared detection's time, which the first burn-rate page is set beside."""
    slo = summary.slo
    unit = f" {summary.unit}" if summary.unit else ""
    group = f", group {summary.group!r} (its worst member)" if summary.group else ""
    window = duration_words(slo.window)
    texts = {
        "title": summary.name,
        "objective": f"{slo.objective:g} % of the time {slo.rule}{unit}{group}",
        "budget": f"budget {short_duration(summary.budget)} over {window}",
    }
    burned = f"{short_duration(summary.bad_time)} = {format_percent(summary.burned)}"
    texts["burned"] = f"burned by the incident {burned}"
    if summary.peak_rate is not None:
        whole = short_duration(summary.exhausts_budget) if summary.peak_rate else "never"
        at = format_timecode(summary.peak_at)
        rate = format_rate(summary.peak_rate)
        texts["peak"] = f"peak burn {rate} at {at} (a whole budget lasts {whole})"
    texts["page"] = page_words(burn_page(summary), detection)
    before = slo.budget_spent_before
    left = (f"{format_percent(summary.left)} left" if summary.left >= 0
            else f"over budget by {format_percent(-summary.left)}")  # fmt: skip
    texts["left"] = f"{format_percent(before)} spent before · {left}" if before else left
    return texts


def gui_slos(state: AppState, ui: UiContext) -> None:
    """Every SLO of the incident, under a separator (nothing without SLOs)."""
    summaries = slo_summaries(state.incident)
    if not summaries:
        return
    imgui.spacing()
    imgui.separator_text("Error budgets")
    width = max(imgui.get_content_region_avail().x - 8, 80)
    detection = compute_metrics(state.incident).detection
    declared = detection.at if detection is not None else None
    for index, summary in enumerate(summaries):
        with imgui_ctx.push_id(f"slo{index}"):
            _slo(state, ui, (index, summary, declared), width)


def _slo(state: AppState, ui: UiContext, shown: tuple, width: float) -> None:
    index, summary, declared = shown
    fonts, name = ui.fonts, f"slo{index}"
    texts = {key: ui.show(f"{name}-{key}", line)
             for key, line in slo_texts(summary, declared).items()}  # fmt: skip
    over = summary.over_budget
    text(fonts.bold, 15, DANGER if over else TEXT, texts["title"])
    text(fonts.regular, 13, DIM, texts["objective"])
    text(fonts.regular, 13, DIM, texts["budget"])
    text(fonts.regular, 14, DANGER if over else TEXT, texts["burned"])
    _budget_bar(summary, width)
    if "peak" in texts:
        with imgui_ctx.push_font(fonts.regular, 14):
            clicked = imgui.selectable(texts["peak"], False)[0]
        if clicked:
            state.seek(summary.peak_at)
        ui.mark(f"{name}-peak")
        if imgui.is_item_hovered():
            imgui.set_tooltip(f"click to jump to {format_timecode(summary.peak_at)}")
    _page(state, ui, name, summary, texts["page"])
    text(fonts.regular, 13, DANGER if over else FAINT, texts["left"])
    imgui.spacing()


def _page(state: AppState, ui: UiContext, name: str, summary: SloSummary, words: str) -> None:
    """When the first burn-rate page would have fired, wrapped (a click jumps there)."""
    at = burn_page(summary).at
    with imgui_ctx.push_font(ui.fonts.regular, 13):
        imgui.push_style_color(imgui.Col_.text, DIM if at is None else TEXT)
        imgui.text_wrapped(words)
        imgui.pop_style_color()
    ui.mark(f"{name}-page")
    if at is not None and imgui.is_item_hovered():
        imgui.set_tooltip(f"click to jump to {format_timecode(at)}")
        if imgui.is_item_clicked():
            state.seek(at)


def _budget_bar(summary: SloSummary, width: float) -> None:
    """The whole budget as a bar: what was spent before, then what the incident burned
    (in the danger colour where it runs past the end)."""
    start = imgui.get_cursor_screen_pos()
    x0, y0 = start.x + 2, start.y + 2
    draw = imgui.get_window_draw_list()
    before = min(summary.slo.budget_spent_before / 100.0, 1.0)
    after = min((summary.slo.budget_spent_before + summary.burned) / 100.0, 1.0)
    y1 = y0 + BAR_HEIGHT
    draw.add_rect_filled((x0, y0), (x0 + width, y1), u32((*FAINT[:3], 0.35)), 2.0)
    if before > 0:
        draw.add_rect_filled((x0, y0), (x0 + width * before, y1), u32(BEFORE), 2.0)
    if after > before:
        color = DANGER if summary.over_budget else BURNED
        draw.add_rect_filled((x0 + width * before, y0), (x0 + width * after, y1), u32(color), 2.0)
    imgui.dummy((width, BAR_HEIGHT + 4))
