"""The caption card: what a story moment says (its time, kind, title, detail, the data
milestone near it and a warning), on a rounded panel over the chart, drawn by the chart's
text pass so the window, PNG exports and animations show the same card.

Three steps, the first two pure: :func:`card_layout` breaks the caption into lines that
fit (wrapping and ellipsizing with a ``measure`` function, dropping detail lines when the
chart is short); :func:`place_card` puts the card in the chart's corner where it hides the
least data (never over the moment itself); :func:`draw_caption_card` draws it.
Sizes are logical points; the card scales with the frame like the labels do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from imgui_bundle import imgui

from .draw_list import draw_marker_shape, u32
from .style import EVENT_STYLE, PALETTE

if TYPE_CHECKING:
    from ..model import Incident
    from ..story import Caption
    from .layout import ChartLayout
    from .style import Palette

__all__ = [
    "CardLayout",
    "CardLine",
    "CardMark",
    "card_colors",
    "card_layout",
    "card_scale",
    "draw_caption_card",
    "place_card",
]

# (font, size in points at scale 1, line height as a multiple of the size) per line role.
FONTS = {
    "kind": ("bold", 12.0, 1.2),
    "heading": ("mono", 14.0, 1.2),
    "title": ("bold", 20.0, 1.2),
    "detail": ("regular", 14.0, 1.32),
    "note": ("regular", 13.5, 1.3),
    "warning": ("regular", 13.0, 1.3),
}
MAX_LINES = {"title": 2, "detail": 3, "note": 2, "warning": 2}
PAD_X, PAD_Y, BAR_W, GAP = 16.0, 12.0, 4.0, 7.0  # inside the card; between blocks
MARK_R, MARK_W = 5.0, 17.0  # a line's leading glyph: radius and the room it takes
MIN_W, MAX_W = 240.0, 430.0  # the card's width (before scaling)…
MAX_CHART_W, MAX_CHART_H = 0.5, 0.62  # …and its share of the chart at most
MARGIN = 10.0  # from the chart's edges
# Placement: covering the moment's own time is worst; the stretch the playhead moves
# through next is bad; data after the moment (ghosted while it plays) counts less.
MOMENT_CLEAR, MOMENT_COST = 30.0, 10.0
AHEAD_SHARE, AHEAD_COST, FUTURE_WEIGHT = 0.12, 1.0, 0.4
SERIES_PROBED, SAMPLES_PROBED = 64, 128

Measure = Callable[[str, float, str], float]  # (font, size in points, text) → width


Color = tuple[float, float, float, float]


def card_colors(kind: str, opacity: float, palette: Palette = PALETTE) -> dict[str, Color]:
    """Every colour the card draws with, faded by ``opacity``: the one place that reads
    the palette (the layout's: its theme's)."""
    kind_color = palette.event(kind).color if kind in EVENT_STYLE else palette.text_dim
    light = palette.background[0] > 0.5  # a light page: a lighter shadow
    colors = {
        "panel": (*palette.background[:3], 0.92),
        "shadow": (0.0, 0.0, 0.0, 0.12 if light else 0.28),
        "border": (*palette.grid_major[:3], 0.5 if light else 0.4),
        "kind": kind_color,
        "heading": palette.text_dim,
        "title": palette.text,
        "detail": (*palette.text[:3], 0.82),
        "note": palette.accent,
        "warning": palette.warning,
        "badge_text": palette.background,
    }
    return {name: (*c[:3], c[3] * opacity) for name, c in colors.items()}


def card_scale(layout: ChartLayout) -> float:
    """The card's scale: the labels' (small frames shrink it), a little larger on big
    frames (1920 points wide: 1.25×) so it reads from across a room."""
    width_pt = layout.width / layout.pixel_ratio
    return max(layout.text_scale, 0.72, min(1.25, width_pt / 1536.0))


@dataclass(frozen=True)
class CardLine:
    """One line of text: its role (``kind``, ``heading``, ``title``, ``detail``, ``note``,
    ``warning``), font and size in points, and top-left corner inside the card."""

    role: str
    text: str
    font: str
    size: float
    x: float
    y: float


@dataclass(frozen=True)
class CardMark:
    """A glyph at a line's start: ``kind`` (the event's shape), ``note`` (a hollow ring,
    as the data milestones are drawn) or ``warning`` (the "!" badge)."""

    role: str
    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class CardLayout:
    width: float
    height: float
    lines: tuple[CardLine, ...]
    marks: tuple[CardMark, ...]

    def text(self, role: str) -> list[str]:
        """The lines of one role (tests read the card's words here)."""
        return [line.text for line in self.lines if line.role == role]


def fit(measure: Measure, font: str, size: float, text: str, width: float) -> str:
    """``text`` cut to ``width`` with an ellipsis (binary search on the length), at a
    word's end when that keeps most of the line."""
    if width <= 0:
        return ""
    if measure(font, size, text) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if measure(font, size, text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle
    space = text.rfind(" ", 0, low + 1)
    if space >= 0.7 * low:
        low = space
    return text[:low].rstrip(" ,;:·-") + "…"


def wrap(measure: Measure, font: str, size: float, text: str, width: float,
         max_lines: int) -> list[str]:  # fmt: skip
    """Greedy word wrap into at most ``max_lines``; the last line shown ends in "…" when
    text is left over, and a word too long for a line is cut."""
    words, lines, current = text.split(), [], ""
    for index, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if not current or measure(font, size, trial) <= width:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            lines[-1] = fit(measure, font, size, " ".join([lines[-1], *words[index:]]), width)
            return lines
    if current and max_lines > 0:
        lines.append(current)
    return [fit(measure, font, size, line, width) for line in lines[:max_lines]]


def card_layout(caption: Caption, measure: Measure, *, scale: float, max_width: float,
                max_height: float) -> CardLayout:  # fmt: skip
    """The caption's lines placed inside a card at most ``max_width`` × ``max_height``
    points: detail lines go first when it is too tall, then the title's second line, the
    note's and the warning's second lines."""
    limits = dict(MAX_LINES)
    shrink = [("detail", 2), ("detail", 1), ("title", 1), ("note", 1), ("warning", 1),
              ("detail", 0)]  # fmt: skip
    while True:
        card = _card_with(caption, measure, scale, max_width, limits)
        if card.height <= max_height or not shrink:
            return card
        role, count = shrink.pop(0)
        limits[role] = count


def _card_with(caption: Caption, measure: Measure, scale: float, max_width: float,
               limits: dict[str, int]) -> CardLayout:  # fmt: skip
    def size(role: str) -> float:
        return FONTS[role][1] * scale

    def width_of(role: str, text: str) -> float:
        return measure(FONTS[role][0], size(role), text)

    pad_x, gap, mark_w = PAD_X * scale, GAP * scale, MARK_W * scale
    kind = caption.kind.upper()
    head_w = (mark_w + width_of("kind", kind) + 2 * gap if kind else 0) + width_of(
        "heading", caption.heading
    )
    natural = max(head_w, width_of("title", caption.title), width_of("detail", caption.detail),
                  mark_w + width_of("note", caption.note),
                  mark_w + width_of("warning", caption.warning))  # fmt: skip
    inner = min(max_width - 2 * pad_x - BAR_W * scale, max(MIN_W * scale, natural))
    blocks = [("title", caption.title, 0.0), ("detail", caption.detail, 0.0),
              ("note", caption.note, mark_w), ("warning", caption.warning, mark_w)]  # fmt: skip
    rows: list[tuple[str, str, float]] = []  # (role, text, indent)
    if kind:
        rows.append(("kind", kind, mark_w))
    side_by_side = kind and head_w <= inner
    if not side_by_side:
        rows.append(("heading", fit(measure, FONTS["heading"][0], size("heading"),
                                    caption.heading, inner), 0.0))  # fmt: skip
    for role, text, indent in blocks:
        font = FONTS[role][0]
        for line in wrap(measure, font, size(role), text, inner - indent, limits[role]):
            rows.append((role, line, indent))
    return _stack(rows, caption, measure, scale, inner, side_by_side)


def _stack(rows, caption: Caption, measure: Measure, scale: float, inner: float,
           heading_beside: bool) -> CardLayout:  # fmt: skip
    """The rows one under another (a gap where the role changes), glyphs at the first
    line of the kind, note and warning."""
    left = (BAR_W + PAD_X) * scale
    y, previous = PAD_Y * scale, None
    lines: list[CardLine] = []
    marks: list[CardMark] = []
    for role, text, indent in rows:
        font, points, spacing = FONTS[role]
        points *= scale
        if previous is not None and role != previous and previous not in ("kind", "heading"):
            y += GAP * scale * 0.7
        lines.append(CardLine(role, text, font, points, left + indent, y))
        if role != previous and role in ("kind", "note", "warning"):
            radius = (MARK_R if role != "note" else MARK_R * 0.8) * scale
            marks.append(CardMark(role, left + MARK_R * scale, y + points * 0.55, radius))
        if role == "kind" and heading_beside:
            heading = FONTS["heading"][1] * scale
            width = measure("mono", heading, caption.heading)
            lines.append(CardLine("heading", caption.heading, "mono", heading,
                                  left + inner - width, y - (heading - points) * 0.6))  # fmt: skip
        y += points * spacing + (GAP * scale * 0.5 if role in ("kind", "heading") else 0.0)
        previous = role
    height = y + PAD_Y * scale - points * (spacing - 1.0)  # no leading under the last
    return CardLayout(left + inner + PAD_X * scale, height, tuple(lines), tuple(marks))


def place_card(layout: ChartLayout, incident: Incident, t: float, width: float,
               height: float, *, scale: float = 1.0) -> tuple[float, float]:  # fmt: skip
    """The top-left corner (points) of a ``width`` × ``height`` card for the moment at
    ``t``: of the places along the chart's edges and beside the moment, top, middle or
    bottom, the one whose card covers the least data (the data before ``t`` counts fully,
    after it less), never the moment itself, and preferably not the stretch the playhead
    moves into next. Ties go to the corners, top-left first."""
    pr = layout.pixel_ratio
    chart, margin = layout.chart, MARGIN * scale
    x0, y0, x1, y1 = chart.x0 / pr, chart.y0 / pr, chart.x1 / pr, chart.y1 / pr
    moment_x, clear = layout.to_x(t) / pr, MOMENT_CLEAR * scale
    lefts = [x0 + margin, x1 - margin - width, moment_x + clear, moment_x - clear - width]
    lefts = [min(max(x, x0 + margin), max(x0 + margin, x1 - margin - width)) for x in lefts]
    bottom = max(y0 + margin, y1 - margin - height)
    tops = [y0 + margin, bottom, (y0 + margin + bottom) / 2]
    candidates = [(x, y) for y in tops for x in lefts]
    ahead = AHEAD_SHARE * (x1 - x0)

    def cost(index: int) -> float:
        left, top = candidates[index]
        right = left + width
        total = 0.01 * index + _data_under(layout, incident, t, (left, top, right, top + height))
        if left - clear <= moment_x <= right + clear:
            total += MOMENT_COST
        if left < moment_x + ahead and right > moment_x:
            total += AHEAD_COST
        return total

    return candidates[min(range(len(candidates)), key=cost)]


def _data_under(layout: ChartLayout, incident: Incident, t: float,
                rect: tuple[float, float, float, float]) -> float:  # fmt: skip
    """About how much of the drawn data lies under ``rect`` (points): per series, the
    share of its line (by time shown) that passes inside, probed at SAMPLES_PROBED times
    across the card (lines interpolated, gaps skipped; at most SERIES_PROBED series),
    summed; a threshold's label under it counts too. In live view the data after the
    moment does not count (it is not drawn yet: the card's place tells nothing of it)."""
    pr = layout.pixel_ratio
    left, top, right, bottom = (v * pr for v in rect)
    view = (layout.to_t(layout.chart.x0), layout.to_t(layout.chart.x1))
    span = (max(view[0], layout.to_t(left)), min(view[1], layout.to_t(right)))
    if span[1] <= span[0]:
        return 0.0
    probes = np.linspace(span[0], span[1], SAMPLES_PROBED)
    future = FUTURE_WEIGHT if layout.live is None else 0.0
    weight = np.where(probes <= t, 1.0, future) * (span[1] - span[0]) / (view[1] - view[0])
    shown = [s for s in incident.series if s.id not in layout.hidden]
    total = 0.0
    for series in shown[:: max(1, len(shown) // SERIES_PROBED)]:
        if len(series.times) == 0:
            continue
        axis = layout.axis_for(series.id)
        with np.errstate(invalid="ignore"):
            y = axis.offset + _line_at(series.times, series.values, probes) * axis.scale
            inside = (y >= top) & (y <= bottom)
        total += float((weight * inside).sum()) / SAMPLES_PROBED
    for threshold in incident.thresholds:
        if threshold.series_id in layout.hidden:
            continue
        y = layout.axis_for(threshold.series_id).to_y(threshold.value)
        if top <= y <= bottom and right >= layout.chart.x1 - 120 * pr:
            total += 0.3  # its label sits at the chart's right end
    return total


def _line_at(times: np.ndarray, values: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """The line through (times, values) at ``probes`` (NaN outside it and next to a gap):
    ``np.interp`` would copy a strided column of a million samples on every call."""
    right = np.clip(np.searchsorted(times, probes), 1, len(times) - 1)
    t0, t1 = times[right - 1], times[right]
    v0, v1 = values[right - 1], values[right]
    share = np.clip((probes - t0) / np.where(t1 > t0, t1 - t0, 1.0), 0.0, 1.0)
    line = v0 + (v1 - v0) * share
    line[(probes < times[0]) | (probes > times[-1])] = np.nan
    return line


def draw_caption_card(labels, incident: Incident, caption: Caption,
                      opacity: float) -> tuple[float, float, float, float]:  # fmt: skip
    """Draw the card with ``labels``' draw list and fonts (:class:`.labels.ChartLabels`);
    returns its rectangle (x0, y0, x1, y1) in points."""
    layout, fonts, pr = labels.layout, labels.fonts, labels.pr
    scale = card_scale(layout)
    fonts_by_name = {"regular": fonts.regular, "bold": fonts.bold, "mono": fonts.mono}

    def measure(font: str, size: float, text: str) -> float:
        imgui.push_font(fonts_by_name[font], size)
        width = imgui.calc_text_size(text).x
        imgui.pop_font()
        return width

    chart = layout.chart
    max_w = min(MAX_W * scale, MAX_CHART_W * chart.width / pr)
    max_h = MAX_CHART_H * chart.height / pr
    card = card_layout(caption, measure, scale=scale, max_width=max_w, max_height=max_h)
    x, y = place_card(layout, incident, caption.t, card.width, card.height, scale=scale)
    x, y = round(x * pr) / pr, round(y * pr) / pr
    colors = card_colors(caption.kind, opacity, layout.palette)
    _panel(labels.dl, (x, y, x + card.width, y + card.height), colors, scale)
    for mark in card.marks:
        _mark(labels.dl, caption.kind, mark, (x, y), colors, fonts.bold)
    for line in card.lines:
        position = (round((x + line.x) * pr) / pr, round((y + line.y) * pr) / pr)
        labels.dl.add_text(fonts_by_name[line.font], line.size, position,
                           u32(colors[line.role]), line.text)  # fmt: skip
    return x, y, x + card.width, y + card.height


def _panel(dl, rect: tuple[float, float, float, float], colors: dict[str, Color],
           scale: float) -> None:  # fmt: skip
    """A soft shadow, the rounded semi-opaque panel, its border and the kind's bar."""
    x0, y0, x1, y1 = rect
    rounding = 7.0 * scale
    for grow in (3.0, 1.5):
        g = grow * scale
        dl.add_rect_filled((x0 - g, y0 - g + 2 * scale), (x1 + g, y1 + g + 2 * scale),
                           u32(colors["shadow"]), rounding + g)  # fmt: skip
    bar = x0 + BAR_W * scale
    dl.push_clip_rect((x0, y0), (bar, y1), True)  # the bar follows the rounded corners
    dl.add_rect_filled((x0, y0), (x1, y1), u32(colors["kind"]), rounding)
    dl.pop_clip_rect()
    right = imgui.ImDrawFlags_.round_right.value
    dl.add_rect_filled((bar, y0), (x1, y1), u32(colors["panel"]), rounding, right)
    dl.add_rect((x0, y0), (x1, y1), u32(colors["border"]), rounding, 1.0)


def _mark(dl, kind: str, mark: CardMark, origin: tuple[float, float],
          colors: dict[str, Color], bold) -> None:  # fmt: skip
    center = (origin[0] + mark.x, origin[1] + mark.y)
    if mark.role == "kind":
        shape = EVENT_STYLE[kind].shape if kind in EVENT_STYLE else 0  # shapes: every theme's
        draw_marker_shape(dl, center, mark.radius, shape, colors["kind"])
    elif mark.role == "note":
        dl.add_circle(center, mark.radius, u32(colors["note"]), 0, 1.6 * mark.radius / MARK_R)
    else:
        dl.add_circle_filled(center, mark.radius * 1.15, u32(colors["warning"]))
        size = mark.radius * 2.0
        imgui.push_font(bold, size)
        width = imgui.calc_text_size("!").x
        imgui.pop_font()
        dl.add_text(bold, size, (center[0] - width / 2, center[1] - size * 0.52),
                    u32(colors["badge_text"]), "!")  # fmt: skip
