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
