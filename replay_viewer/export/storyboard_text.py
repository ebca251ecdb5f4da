"""What a storyboard says and where: the header (severity, title, facts, which moments it
shows and a notice when they are not events), the metrics strip and each panel's caption
and told event, placed through any :class:`Canvas` (the GPU's
:class:`~replay_viewer.render.text_canvas.TextCanvas`, or a recording one in tests).
Colours come from one palette argument (the theme's: its text, its event kinds' colours)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..analysis.headline import headline_metrics
from ..describe import incident_facts
from ..render.instances import event_clusters
from ..render.style import EVENT_SHAPES, MARKERS
from ..story import caption_for, tellable_events
from ..timecode import format_wall_clock

if TYPE_CHECKING:
    from ..analysis.headline import Headline
    from ..model import Event, Incident
    from ..render.layout import ChartLayout
    from ..render.style import Palette
    from ..story import Caption, StoryPlan
    from .storyboard_layout import Box, Slot, StoryboardLayout

__all__ = [
    "Canvas",
    "StoryboardContent",
    "paint_storyboard",
    "shown_words",
    "storyboard_content",
    "wrap",
]


class Canvas(Protocol):
    """What the storyboard draws through (points; fonts "regular", "bold", "mono")."""

    def measure(self, font: str, size: float, text: str) -> float: ...

    def text(self, font, size, pos, color, text, *, align=0.0, valign=0.0): ...

    def rect(self, p0, p1, color, *, rounding=0.0, width=0.0) -> None: ...

    def line(self, p0, p1, color, width=1.0) -> None: ...

    def circle(self, center, radius, color, *, width=0.0) -> None: ...

    def marker(self, center, radius, shape, color) -> None: ...


@dataclass(frozen=True)
class StoryboardContent:
    """Every text of a storyboard, before placement."""

    title: str
    severity: str
    facts: str  # subtitle, role, stack, duration, start
    summary: str
    shown: str  # "9 starred events", "first 12 of 15 starred events"
    notice: str  # said in the figure when the moments are not events ("" otherwise)
    headlines: tuple[Headline, ...]
    captions: tuple[Caption, ...]
    told: tuple[Event | None, ...]  # the event each panel tells


def storyboard_content(incident: Incident, plan: StoryPlan) -> StoryboardContent:
    """The texts of ``incident``'s storyboard for the moments of ``plan``."""
    count = len(plan.moments)
    facts = [incident.subtitle, *incident_facts(incident)]
    start = incident.wall_clock(0.0)
    if start is not None:
        zone = start.tzname() or "UTC"
        facts.append(f"Started · {format_wall_clock(start, seconds=False, year=True)} {zone}")
    notice = ""
    if plan.chosen == "evenly spaced moments":
        notice = f"No events: {count} evenly spaced moments"
    return StoryboardContent(
        title=incident.title,
        severity=incident.severity,
        facts="   ".join(f for f in facts if f),
        summary=" ".join(incident.summary.split()),
        shown=shown_words(incident, plan),
        notice=notice,
        headlines=headline_metrics(incident),
        captions=tuple(caption_for(incident, moment) for moment in plan.moments),
        told=tuple(moment.event for moment in plan.moments),
    )


def shown_words(incident: Incident, plan: StoryPlan) -> str:
    """Which moments a storyboard shows: ``9 starred events``, ``every event (8)``,
    ``first 12 of 15 starred events``, ``6 evenly spaced moments``."""
    count = len(plan.moments)
    told = tellable_events(incident)
    total = {"starred events": sum(e.star for e in told),
             "every event": len(told)}.get(plan.chosen, count)  # fmt: skip
    if plan.chosen == "every event":
        return f"every event ({count})" if total <= count else f"first {count} of {total} events"
    if plan.chosen == "evenly spaced moments":
        return f"{count} evenly spaced moments"
    if total > count:
        return f"first {count} of {total} {plan.chosen}"
    return f"{count} {plan.chosen}" if count != 1 else f"1 {plan.chosen.rstrip('s')}"


def wrap(canvas: Canvas, font: str, size: float, text: str, width: float, lines: int) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width``; the last one
    ellipsized when the text goes on."""
    words, out = text.split(), []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and canvas.measure(font, size, f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words or (out and canvas.measure(font, size, out[-1]) > width):
        out[-1] = ellipsize(canvas, font, size, " ".join([out[-1], *words]), width)
    return out


def ellipsize(canvas: Canvas, font: str, size: float, text: str, width: float) -> str:
    """``text`` cut to fit ``width`` with an ellipsis."""
    if canvas.measure(font, size, text) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if canvas.measure(font, size, text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


def paint_storyboard(
    canvas: Canvas,
    board: StoryboardLayout,
    content: StoryboardContent,
    palette: Palette,
    chart: ChartLayout | None = None,
    incident: Incident | None = None,
) -> None:
    """Place the header, the metrics strip, every caption and a frame around each panel;
    with the panels' ``chart`` layout, also a ring around each told event's glyph (the
    glyph of its cluster, given the ``incident``)."""
    _header(canvas, board, content, palette)
    _metrics(canvas, board, content.headlines, palette)
    glyphs = {}
    if chart is not None and incident is not None:
        glyphs = {id(e): x for x, events in event_clusters(incident, chart) for e in events}
    for slot, caption, event in zip(board.slots, content.captions, content.told, strict=False):
        _caption(canvas, board, slot, caption, palette)
        _panel(canvas, board, slot, palette, chart)
        if chart is not None and event is not None and chart.t_start <= event.at <= chart.t_end:
            x = glyphs.get(id(event), chart.to_x(event.at))
            _ring(canvas, board, slot, chart, x, palette.event(event.kind).color)


def _header(canvas: Canvas, board: StoryboardLayout, content: StoryboardContent, palette) -> None:
    box, u = board.header, board.unit
    left, top = box.x, box.y
    if content.severity:
        badge = canvas.measure("bold", 17 * u, content.severity) + 16 * u
        canvas.rect((left, top + 4 * u), (left + badge, top + 32 * u),
                    (*palette.severity[:3], 0.18), rounding=5 * u)  # fmt: skip
        canvas.rect((left, top + 4 * u), (left + badge, top + 32 * u),
                    (*palette.severity[:3], 0.75), rounding=5 * u, width=1.2 * u)  # fmt: skip
        canvas.text("bold", 17 * u, (left + badge / 2, top + 18 * u), palette.severity_text,
                    content.severity, align=0.5, valign=0.5)  # fmt: skip
        left += badge + 14 * u
    right_w = canvas.measure("regular", 16 * u, f"Storyboard · {content.shown}") + 24 * u
    title = ellipsize(canvas, "bold", 30 * u, content.title, box.x1 - left - right_w)
    canvas.text("bold", 30 * u, (left, top), palette.text, title)
    notice_w = canvas.measure("bold", 16 * u, content.notice) + 24 * u if content.notice else 0
    facts = ellipsize(canvas, "regular", 16 * u, content.facts, box.w - notice_w)
    canvas.text("regular", 16 * u, (box.x, top + 44 * u), palette.text_dim, facts)
    summary = ellipsize(canvas, "regular", 15 * u, content.summary, box.w)
    canvas.text("regular", 15 * u, (box.x, top + 68 * u), palette.text_faint, summary)
    canvas.text("regular", 16 * u, (box.x1, top + 6 * u), palette.text_dim,
                f"Storyboard · {content.shown}", align=1)  # fmt: skip
    if content.notice:
        canvas.text("bold", 16 * u, (box.x1, top + 44 * u), palette.warning, content.notice,
                    align=1)  # fmt: skip


def _metrics(canvas: Canvas, board: StoryboardLayout, rows: tuple[Headline, ...], palette) -> None:
    box, u = board.metrics, board.unit
    inner = (box.y + 4 * u, box.y1 - 10 * u)
    canvas.rect((box.x, inner[0]), (box.x1, inner[1]), (*palette.grid_minor[:3], 0.14),
                rounding=6 * u)  # fmt: skip
    if not rows:
        return
    pad = 18 * u
    width = (box.w - 2 * pad) / len(rows)
    for k, row in enumerate(rows):
        x = box.x + pad + k * width
        room = width - 16 * u
        label = ellipsize(canvas, "bold", 12.5 * u, row.name.upper(), room)
        canvas.text("bold", 12.5 * u, (x, inner[0] + 8 * u), palette.text_faint, label)
        color = palette.danger if row.warn else palette.text
        canvas.text("mono", 26 * u, (x, inner[0] + 24 * u), color, row.value)
        note = ellipsize(canvas, "regular", 14 * u, row.note, room)
        canvas.text("regular", 14 * u, (x, inner[0] + 56 * u), palette.text_dim, note)
        if k:
            canvas.line((x - 12 * u, inner[0] + 10 * u), (x - 12 * u, inner[1] - 10 * u),
                        (*palette.grid_major[:3], 0.35))  # fmt: skip


def _caption(canvas: Canvas, board: StoryboardLayout, slot: Slot, caption: Caption, palette):
    box, u = slot.caption, board.unit
    style = palette.event(caption.kind) if caption.kind in EVENT_SHAPES else None
    color = style.color if style else palette.accent
    top = box.y + 6 * u
    # The panel's number on a disc in its kind's colour, the time, then kind and star.
    radius = 10 * u
    canvas.circle((box.x + radius, top + radius), radius, (*color[:3], 0.9))
    canvas.text("bold", 13 * u, (box.x + radius, top + radius), palette.background,
                str(slot.index + 1), align=0.5, valign=0.5)  # fmt: skip
    x = box.x + 2 * radius + 8 * u
    w, _ = canvas.text("mono", 16 * u, (x, top + radius), color, caption.timecode, valign=0.5)
    if caption.wall:
        canvas.text("mono", 15 * u, (x + w + 10 * u, top + radius), palette.text_dim,
                    caption.wall, valign=0.5)  # fmt: skip
    right = box.x1
    if caption.star:
        w, _ = canvas.text("bold", 15 * u, (right, top + radius), palette.warning, "★",
                           align=1, valign=0.5)  # fmt: skip
        right -= w + 8 * u
    if style is not None:
        w, _ = canvas.text("regular", 14 * u, (right, top + radius), color, caption.kind,
                           align=1, valign=0.5)  # fmt: skip
        canvas.marker((right - w - 10 * u, top + radius), 5.5 * u, style.shape, color)
    y = top + 2 * radius + 5 * u
    title = caption.title or "(no event at this moment)"
    title_color = palette.text if caption.title else palette.text_faint
    canvas.text("bold", 18 * u, (box.x, y), title_color, ellipsize(canvas, "bold", 18 * u, title,
                                                                   box.w))  # fmt: skip
    y += 25 * u
    for line in wrap(canvas, "regular", 15 * u, caption.detail, box.w, board.detail_lines):
        canvas.text("regular", 15 * u, (box.x, y), palette.text_dim, line)
        y += 19 * u
    _note(canvas, box, y, caption, palette, u)


def _note(canvas: Canvas, box: Box, y: float, caption: Caption, palette, u: float) -> None:
    """The data milestone near the moment, or a contradiction the data shows there."""
    if caption.warning:
        text, color = f"⚠ {caption.warning}", palette.warning
    elif caption.note:
        text, color = f"◇ {caption.note}", palette.accent
    else:
        return
    canvas.text("regular", 14.5 * u, (box.x, y), color,
                ellipsize(canvas, "regular", 14.5 * u, text, box.w))  # fmt: skip


def _panel(canvas: Canvas, board: StoryboardLayout, slot: Slot, palette, chart) -> None:
    box, u = slot.panel, board.unit
    canvas.rect((box.x - 0.5, box.y - 0.5), (box.x1 + 0.5, box.y1 + 0.5),
                (*palette.grid_major[:3], 0.35), rounding=3 * u, width=1.0)  # fmt: skip


def _ring(canvas: Canvas, board: StoryboardLayout, slot: Slot, chart, x: float, color) -> None:
    """A ring around the told event's glyph at ``x`` (the chart's pixels) on the lane."""
    px = 1.0 / board.scale  # the panel's pixels are the figure's
    center = (slot.panel.x + x * px, slot.panel.y + chart.event_lane_y * px)
    radius = MARKERS.event_radius * chart.pixel_ratio * px * 2.0
    canvas.circle(center, radius, (*color[:3], 0.95), width=1.8 * board.unit)
