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


@pytest.fixture(autouse=True)
def _strict_numerics():
    random.seed(1234)
    old = np.seterr(all="raise")
    yield
    np.seterr(**old)
