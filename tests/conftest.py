"""Shared fixtures: paths to the seeds and shared data, a temporary store, small document builders."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

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


# ---- both store backends ---------------------------------------------------------------------------

PG_URL = os.environ.get("MARSAD_TEST_PG_URL", "")
NO_PG = (
    "PostgreSQL backend not tested: MARSAD_TEST_PG_URL is not set "
    "(export MARSAD_TEST_PG_URL=$(bash scripts/pg_test_server.sh start))"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _pg_conninfo(url: str) -> str:
    """``url`` without Marsad's own parameters (schema, index): what psycopg connects to."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("schema", "index")]
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def store_url(backend: str, folder: Path, name: str = "marsad", *, index: bool = True) -> Iterator[str]:
    """The URL of an empty store on ``backend``: a SQLite file in ``folder``, or a PostgreSQL schema of
    its own (dropped afterwards, so tests stay independent) whose search index lives in ``folder`` too
    (``?index=``; ``index=False`` leaves the store's default place)."""
    if backend == "sqlite":
        yield str(folder / f"{name}.db")
        return
    if not PG_URL:
        pytest.skip(NO_PG)
    psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")
    schema = f"t_{name}_{uuid.uuid4().hex[:10]}".lower()
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"
    if index:
        url += "&index=" + quote(str(folder / f"{name}.index"), safe="/")
    try:
        yield url
    finally:
        with psycopg.connect(_pg_conninfo(PG_URL), autocommit=True) as con:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Every test that takes it runs on SQLite and on PostgreSQL (skipped without MARSAD_TEST_PG_URL)."""
    name = str(request.param)
    if name == "postgres" and not PG_URL:
        pytest.skip(NO_PG)
    return name
