"""Shared test set-up: data comes from ../shared/datasets, never from the network."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "datasets"

os.environ.setdefault("NUMNET_DATA", str(SHARED_DATA))


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed generator so every test sees the same numbers."""
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep numnet's cache inside the test session's temporary folder."""
    cache = tmp_path_factory.getbasetemp() / "numnet-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
