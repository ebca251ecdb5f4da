"""Shared by the importer tests: run the CLI, read back what it wrote."""

from __future__ import annotations

from pathlib import Path

from replay_viewer.loader import load_incident

from .test_cli import run_cli

IMPORT_DATA = Path(__file__).resolve().parent / "data" / "import"


def import_ok(*args: str):
    """Run ``replay-viewer import …``, expect success, return (stdout, incident)."""
    result = run_cli("import", *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = Path(args[args.index("-o") + 1]) if "-o" in args else None
    return result.stdout, (load_incident(out) if out else None)


def import_fails(*args: str, code: int = 1) -> str:
    """Run ``replay-viewer import …``, expect exit ``code`` and no traceback; the stderr."""
    result = run_cli("import", *args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def imported_incident(tmp_path: Path) -> Path:
    """The p99 answer imported (two series, T+0 = 2025-06-03T09:40:00Z, five minutes, no
    events): what the timeline importers merge into."""
    path = tmp_path / "checkout.yaml"
    import_ok("prometheus", str(IMPORT_DATA / "prometheus_p99.json"), "-o", str(path))
    return path


def only_added(before: str, after: str) -> str:
    """What ``after`` adds to ``before``, asserting nothing of ``before`` changed."""
    assert after.startswith(before), "the merge changed the incident's own text"
    return after[len(before) :]
