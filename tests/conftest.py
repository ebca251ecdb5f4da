"""Shared test setup: strict numpy, seeded randomness, tier markers, golden options."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUNDLED = REPO / "incidents" / "cache-stampede.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate-goldens",
        action="store_true",
        help="rewrite tests/goldens/*.png from the current renderer instead of comparing",
    )


@pytest.fixture(scope="session", autouse=True)
def _generated_incident_data():
    """The bundled incidents' generated data files (git-ignored), written once if missing,
    so that `replay-viewer validate incidents/dense-scrape.yaml` works after a test run."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", REPO / "incidents" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    if not generate.DENSE_SCRAPE.exists():
        generate.main()


@pytest.fixture(autouse=True)
def _strict_numerics():
    random.seed(1234)
    old = np.seterr(all="raise")
    yield
    np.seterr(**old)


@pytest.fixture(scope="session")
def gpu_adapter():
    """A WebGPU adapter (Mesa's software one is fine); skip GPU tests only if none exists."""
    import os

    os.environ.setdefault("XDG_RUNTIME_DIR", _runtime_dir())
    from replay_viewer.render.gpu import NoAdapterError, request_adapter

    try:
        return request_adapter()
    except NoAdapterError as exc:
        pytest.skip(f"no WebGPU adapter at all: {exc}")


def _runtime_dir() -> str:
    import os
    import tempfile

    path = Path(tempfile.gettempdir()) / f"replay-viewer-tests-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return str(path)


@pytest.fixture(scope="module")
def booted(gpu_adapter):
    """The bundled incident booted through all six stages at 1280×720, 1×."""
    from replay_viewer.render.boot import Boot

    incident = load_incident(BUNDLED)
    boot = Boot(incident, 1280, 720, 1.0)
    boot.run()
    return boot


def load_incident(path):
    from replay_viewer.loader import load_incident as load

    return load(path)
