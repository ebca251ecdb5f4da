"""The commands besides export: validate (and its metrics), import, probe, and open (the
window)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .._resources import bundled_incident
from ..analysis import analysis_warnings, metrics_table, validation_entry
from ..errors import EXIT_INVALID, EXIT_NO_GPU, EXIT_OK
from ..loader import IncidentLoadError, load_incident
from ..loader.diagnostics import plural
from ..options import check_time
from ..timecode import format_clock

if TYPE_CHECKING:
    import argparse

    from ..model import Incident

__all__ = ["cmd_import", "cmd_open", "cmd_validate", "load_or_say"]


def load_or_say(path: Path, args: argparse.Namespace) -> Incident | None:
    """The incident at ``path`` (its positioned warnings printed), or None after printing
    its positioned errors."""
    try:
        incident = load_incident(path, allow_outside_paths=args.allow_outside_paths)
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        return None
    say_warnings(incident.warnings)
    return incident


def say_warnings(warnings: tuple[str, ...] | list[str]) -> None:
    """Positioned warnings (``FILE:LINE:COL: warning: …``), one a line on stderr."""
    for warning in warnings:
        print(warning, file=sys.stderr)


# -- validate ------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    if args.json:
        return _validate_json(args)
    status = EXIT_OK
    for path in args.files:
        incident = load_or_say(path, args)
        if incident is None:
            status = EXIT_INVALID
            continue
        warnings = _all_warnings(path, incident, args.sustain)
        say_warnings(warnings[len(incident.warnings) :])
        if args.strict and warnings:
            counted = plural(len(warnings), "warning", "warnings")
            print(
                f"{path}: error: {counted} above, and --strict makes them errors", file=sys.stderr
            )
            status = EXIT_INVALID
            continue
        heat = len(incident.histograms)
        histograms = f"{plural(heat, 'histogram', 'histograms')}, " if heat else ""
        print(
            f"{path}: ok ({len(incident.series)} series, {histograms}{len(incident.events)} "
            f"events, duration T+{format_clock(incident.duration)})"
        )
        if args.metrics:
            print(metrics_table(incident, args.sustain))
    return status


def _all_warnings(path: Path, incident: Incident, sustain: float | None) -> list[str]:
    """The loader's positioned warnings, the declared milestones the data contradicts (at
    the event or outcome), then the chart's (series that would look flat)."""
    from ..render.value_axes import scale_warnings

    flat = [f"{path}: warning: {warning}" for warning in scale_warnings(incident)]
    return [*incident.warnings, *analysis_warnings(path, incident, sustain), *flat]


def _validate_json(args: argparse.Namespace) -> int:
    """``validate --json``: one JSON document on stdout, problems included."""
    results = []
    for path in args.files:
        try:
            incident = load_incident(path, allow_outside_paths=args.allow_outside_paths)
            errors, warnings = (), _all_warnings(path, incident, args.sustain)
        except IncidentLoadError as exc:
            incident, errors, warnings = None, exc.diagnostics, []
        entry = validation_entry(path, incident, errors, metrics=args.metrics,
                                 sustain=args.sustain)  # fmt: skip
        entry["warnings"] = warnings
        if args.strict and warnings:  # --strict makes them errors: listed as errors
            entry["ok"] = False
            entry["errors"] = [str(w).replace(": warning: ", ": error: ", 1) for w in warnings]
            entry["warnings"] = []
        results.append(entry)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return EXIT_OK if all(entry["ok"] for entry in results) else EXIT_INVALID


def cmd_import(args: argparse.Namespace) -> int:
    from ..importers import run_import

    return run_import(args)


# -- export and probe ----------------------------------------------------------------------


def _comparison(args: argparse.Namespace):
    """For ``compare A B``: A → A with B overlaid (B read again each time, so a reload
    shows B's changes too; its warnings printed the first time); None otherwise."""
    if args.command != "compare":
        return None
    from ..compare import overlay

    other, said = args.other, []

    def compose(incident: Incident) -> Incident:
        second = load_incident(other, allow_outside_paths=args.allow_outside_paths)
        if not said:
            say_warnings(second.warnings)
            said.append(True)
        return overlay(incident, second, args.align)

    return compose


def cmd_open(args: argparse.Namespace) -> int:
    """Open an incident in a window; returns the exit code when the window closes."""
    path = Path(args.file or bundled_incident())
    try:
        incident, failed = load_incident(path, allow_outside_paths=args.allow_outside_paths), None
        say_warnings(incident.warnings)  # the window shows them too
    except IncidentLoadError as exc:
        print(exc, file=sys.stderr)
        if not path.is_file():
            return EXIT_INVALID  # nothing to show or to watch
        # The authoring loop: the window opens with the errors and loads the file as soon
        # as a fix is saved.
        incident, failed = None, exc
    compose = _comparison(args)
    if compose is not None and incident is not None:
        try:
            incident = compose(incident)
        except IncidentLoadError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
    if args.at is not None and incident is not None:
        check_time(incident, args.at)
    try:
        import warnings

        import glfw

        with warnings.catch_warnings():
            # glfw reports "DISPLAY is missing" as a warning too; the message below says it.
            warnings.simplefilter("ignore", glfw.GLFWError)
            if not glfw.init():
                raise RuntimeError("glfw could not initialise")
    except Exception as exc:
        print(
            f"replay-viewer: error: cannot open a window ({exc}); is there a display "
            "(DISPLAY / WAYLAND_DISPLAY)? Without one, use 'replay-viewer export'.",
            file=sys.stderr,
        )
        return EXIT_NO_GPU
    from ..app.window import ViewerApp

    app = ViewerApp(
        incident,
        path,
        start_at=args.at,
        backend=args.backend,
        failed=failed,
        allow_outside_paths=args.allow_outside_paths,
    )
    app.session.compose = compose  # reloads and edits show the comparison again
    if args.command == "present":  # the story from T+0 (or --at), full screen
        from ..app import presenter

        app.state.presenter.pace, app.state.presenter.choice = args.pace, args.events
        if args.at is None and incident is not None:
            app.state.seek(min(max(0.0, incident.start), incident.end))
        presenter.enter(app.state)
    return app.run()
