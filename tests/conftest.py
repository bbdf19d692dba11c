"""Shared fixtures: paths to the seeds and shared data, a temporary store, small document builders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# First calls import dateparser/trafilatura lazily; per-example deadlines would flag that, not real slowness.
settings.register_profile("marsad", deadline=None, max_examples=60)
settings.load_profile("marsad")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
ANT = DATA / "news" / "ant-multisource"
SAUDI = DATA / "news" / "saudinewsnet" / "dataset"
PY = sys.executable


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available (shared data missing)")
    return path


@pytest.fixture
def seeds() -> Path:
    return need(SEEDS)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    from marsad.store import open_store

    s = open_store(str(tmp_path / "t.db"))
    yield s
    s.close()
