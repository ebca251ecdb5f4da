"""``--into INCIDENT.yaml``: an import's series and events added to an existing incident.

The incident's text is edited, not re-dumped (:mod:`.merge`), so its comments and layout
stay as written. Absolute times are placed by the incident's ``started_at``; an id that is
already taken gets ``-2`` (``-3``…); an event already there (same time and title) is not
added twice; long series go to data files in the incident's data folder (``INCIDENT.data``,
beside the files already there). Everything is checked by the loader before it is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from ..loader.compose import compose
from ..loader.diagnostics import plural
from ..model import MAX_SERIES
from .common import ImportInputError, series_ids
from .merge import incident_clock, merge_lines, read_incident_text, replace_title
from .staging import folder_names, write_with_data
from .writer import (
    INLINE_BUDGET,
    IncidentDraft,
    check_limits,
    data_dir,
    event_line,
    quote,
    render_series,
    series_report,
)

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from ..model import Incident
    from .common import ImportedSeries

__all__ = ["merge_draft"]


def merge_draft(draft: IncidentDraft, args: argparse.Namespace, start: float | None) -> str:
    """Add ``draft``'s series and events to ``args.into`` (in place, or written to
    ``args.output``); ``start`` is ``--start`` (epoch s), which must agree with the
    incident's clock. Returns the report."""
    into: Path = args.into
    text, incident = read_incident_text(into)
    origin = _origin(draft, incident, into, start)
    out = args.output or into
    if out != into and out.exists() and not args.overwrite:
        raise UsageError(f"{out} exists; add --overwrite to replace it")
    if not draft.series and not draft.events:
        raise ImportInputError("nothing to import: no series and no events")
    renamed = _place_series(draft.series, incident) if draft.series else {}
    renamed.update(_place_groups(draft.series, incident))
    folder = data_dir(out)
    budget = INLINE_BUDGET - _yaml_values(text, into) // 3 - 4 * len(draft.events)
    series_lines, files, placed = render_series(
        draft.series, origin, getattr(args, "data_format", "npy"),
        folder_names(out.parent / folder), max(budget, 0),
    )  # fmt: skip
    known = {(round(e.at, 3), e.title) for e in incident.events}
    fresh = [e for e in draft.events if (round(e.at - origin, 3), e.title) not in known]
    events = [event_line(e, origin).removeprefix("  - ") for e in sorted(fresh, key=_at)]
    merged = merge_lines(text, str(into), series=series_lines, events=events)
    if args.title:
        merged = replace_title(merged, quote(args.title))
    problem = f"merging would make {out} invalid, so nothing was written"
    # --into alone rewrites the incident in place: that is what it asks for.
    write_with_data(merged, files, out, folder, overwrite=True, add=True, problem=problem)
    return _report(out, draft, len(fresh), renamed, placed, folder)


def _at(event) -> float:
    return event.at


def _origin(draft: IncidentDraft, incident: Incident, into: Path, start: float | None) -> float:
    """Epoch seconds of the incident's T+0 (0 when the draft's times are already from
    T+0)."""
    if draft.relative:
        return 0.0
    if incident.started_at is None:
        raise UsageError(
            f"{into} has no started_at, so the imported wall-clock times cannot be placed: "
            "add started_at (the wall clock of its T+0) to it first"
        )
    return incident_clock(incident, into, start)


def _place_series(series: list[ImportedSeries], incident: Incident) -> dict[str, str]:
    """Valid, unique ids that clash with none of the incident's (``api`` → ``api-2``);
    returns what was renamed."""
    total = len(incident.series) + len(series)
    if total > MAX_SERIES:
        raise ImportInputError(
            f"{len(series):,} more series would make {total:,}, and an incident holds at "
            f"most {MAX_SERIES:,}: import fewer (--top K)"
        )
    check_limits(IncidentDraft("", series))
    series_ids(series)
    taken = {s.id for s in incident.series}
    renamed = {}
    for item in series:
        base, number = item.id, 2
        while item.id in taken:
            item.id, number = f"{base}-{number}", number + 1
        if item.id != base:
            renamed[base] = item.id
        taken.add(item.id)
    return renamed


def _place_groups(series: list[ImportedSeries], incident: Incident) -> dict[str, str]:
    """A group of the import named like one of the incident's gets `` (2)`` (`` (3)``…):
    one query's members are one legend entry, and another source's are not its members."""
    taken = {s.group for s in incident.series if s.group}
    renamed: dict[str, str] = {}
    for name in dict.fromkeys(s.group for s in series if s.group):
        new, number = name, 2
        while new in taken:
            new, number = f"{name} ({number})", number + 1
        if new != name:
            renamed[f"group {quote(name)}"] = quote(new)
            for item in series:
                if item.group == name:
                    item.group = new
    return renamed


def _yaml_values(text: str, into: Path) -> int:
    """The YAML values (scalars, lists, mappings) the incident's text holds already: what
    the loader counts against its limit."""
    stack, count = [compose(text, str(into))[0]], 0
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return count


def _report(
    out: Path,
    draft: IncidentDraft,
    events: int,
    renamed: dict[str, str],
    placed: dict[str, str],
    folder: str,
) -> str:
    skipped = len(draft.events) - events
    lines = [
        f"{out}: added {len(draft.series)} series and {plural(events, 'event', 'events')}"
        + (f" ({skipped} already there)" if skipped else "")
        + f" ({draft.made_by})"
    ]
    if renamed:
        pairs = ", ".join(f"{old} → {new}" for old, new in renamed.items())
        lines.append(f"  already taken, renamed: {pairs}")
    lines += series_report(draft.series, placed, folder)
    return "\n".join(lines)
