"""Backends for the contract suite: SQLite in a temp folder, PostgreSQL in a fresh schema per test.

PostgreSQL needs ``MARSAD_TEST_PG_URL`` (``bash scripts/pg_test_server.sh start`` prints one).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from marsad.store import Store, open_store

PG_URL = os.environ.get("MARSAD_TEST_PG_URL", "")
NO_PG = "MARSAD_TEST_PG_URL is not set (start a server: export MARSAD_TEST_PG_URL=$(bash scripts/pg_test_server.sh start))"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pg_url(schema: str) -> str:
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"


def raw_sql(url: str, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run SQL on the backend directly, behind the store's back (to fake a future schema and such)."""
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            rows = con.execute(query.replace("%s", "?"), params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()
    import psycopg

    from marsad.store.postgres import _split_params

    conninfo, schema, _ = _split_params(url)
    with psycopg.connect(conninfo, autocommit=True) as pcon:
        if schema:
            pcon.execute(f'SET search_path TO "{schema}"')
        cur = pcon.execute(query, params)
        return cur.fetchall() if cur.description else []


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A store URL in a schema of its own, dropped afterwards: tests stay independent."""
    if not PG_URL:
        pytest.skip(NO_PG)
    import psycopg

    from marsad.store.postgres import _split_params

    schema = f"contract_{uuid.uuid4().hex[:12]}"
    try:
        yield pg_url(schema)
    finally:
        with psycopg.connect(_split_params(PG_URL)[0], autocommit=True) as con:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contract.db'}"
        return
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture
def pg_store_url() -> Iterator[str]:
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture
def cstore(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()
