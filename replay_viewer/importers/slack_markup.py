"""Slack's message markup → plain text (what an event's title and detail can show).

``<@U123>`` → ``@display name``, ``<#C123|general>`` → ``#general``, ``<!here>`` →
``@here``, ``<http://x|label>`` → ``label``, ``<http://x>`` → ``http://x``, ``:emoji:`` →
the character for common names (others stay ``:name:``), and ``&amp;``/``&lt;``/``&gt;``
(the only escapes Slack uses) unescaped, last, so an escaped ``&lt;@U1&gt;`` stays text.
"""

from __future__ import annotations

import re

__all__ = ["EMOJI", "slack_to_text"]

# The names incident channels use most (Slack's own names, as in its emoji picker).
EMOJI = {
    "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "ok_hand": "👌",
    "pray": "🙏", "raised_hands": "🙌", "clap": "👏", "muscle": "💪", "wave": "👋",
    "point_up": "☝️", "point_right": "👉", "eyes": "👀", "thinking_face": "🤔",
    "smile": "😄", "slightly_smiling_face": "🙂", "sweat_smile": "😅", "joy": "😂",
    "scream": "😱", "cry": "😢", "facepalm": "🤦", "tada": "🎉", "rocket": "🚀",
    "fire": "🔥", "boom": "💥", "rotating_light": "🚨", "warning": "⚠️", "sos": "🆘",
    "bell": "🔔", "pushpin": "📌", "round_pushpin": "📍",
    "memo": "📝", "mag": "🔍", "bug": "🐛", "wrench": "🔧", "hammer_and_wrench": "🛠️",
    "gear": "⚙️", "construction": "🚧", "hourglass": "⌛", "hourglass_flowing_sand": "⏳",
    "stopwatch": "⏱️", "chart_with_upwards_trend": "📈", "chart_with_downwards_trend": "📉",
    "white_check_mark": "✅", "heavy_check_mark": "✔️", "ballot_box_with_check": "☑️",
    "x": "❌", "no_entry": "⛔", "no_entry_sign": "🚫", "question": "❓",
    "exclamation": "❗", "bangbang": "‼️", "red_circle": "🔴", "large_green_circle": "🟢",
    "large_yellow_circle": "🟡", "large_orange_circle": "🟠", "large_blue_circle": "🔵",
    "heart": "❤️", "100": "💯", "zap": "⚡", "lock": "🔒", "link": "🔗",
    "arrow_up": "⬆️", "arrow_down": "⬇️", "arrow_right": "➡️", "repeat": "🔁",
    "rewind": "⏪", "fast_forward": "⏩", "skull": "💀", "ambulance": "🚑",
}  # fmt: skip

_ANGLE = re.compile(r"<([^<>]*)>")
_EMOJI = re.compile(r":([a-z0-9_+'-]+):(?::skin-tone-[2-6]:)?")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def slack_to_text(
    text: str, *, users: dict[str, str] | None = None, channels: dict[str, str] | None = None
) -> str:
    """Plain text of a message's ``text``; ``users`` and ``channels`` map ids to names
    (a mention of an id not in them keeps its label, else the id)."""
    users, channels = users or {}, channels or {}

    def angle(match: re.Match[str]) -> str:
        body, _, label = match.group(1).partition("|")
        if body.startswith("@"):
            return "@" + (users.get(body[1:]) or label.lstrip("@") or body[1:])
        if body.startswith("#"):
            return "#" + (label or channels.get(body[1:]) or body[1:])
        if body.startswith("!"):  # <!here>, <!subteam^S1|@oncall>, <!date^…|Feb 18>
            name = body[1:].split("^", 1)[0]
            return label or _SPECIAL.get(name) or f"@{name}"
        return label or body.removeprefix("mailto:")

    plain = _ANGLE.sub(angle, text)
    plain = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), plain)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
