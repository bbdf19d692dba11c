"""Storage behind one interface; :func:`open_store` picks the backend from the URL's scheme."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from marsad.errors import StoreError
from marsad.store.base import ArticleFilter, Changes, PutOutcome, PutStatus, Stats, Store, StoryWrite, redact
from marsad.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from marsad.store.postgres import PostgresStore

    def _conforms(a: SQLiteStore, b: PostgresStore) -> tuple[Store, Store]:
        return a, b  # mypy proves both backends implement the whole protocol


__all__ = [
    "ArticleFilter",
    "Changes",
    "PutOutcome",
    "PutStatus",
    "SQLiteStore",
    "Stats",
    "Store",
    "StoryWrite",
    "open_store",
]

DEFAULT_DB = "marsad.db"


def _sqlite(url: str, readonly: bool) -> Store:
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return SQLiteStore(path, readonly=readonly)


def _postgres(url: str, readonly: bool) -> Store:
    try:  # psycopg is the optional extra `postgres`
        from marsad.store.postgres import PostgresStore
    except ImportError:
        raise StoreError(
            redact(url), "the PostgreSQL backend needs psycopg: pip install 'marsad[postgres]'"
        ) from None
    return PostgresStore(url, readonly=readonly)


_BACKENDS: dict[str, Callable[[str, bool], Store]] = {
    "sqlite": _sqlite,
    "postgresql": _postgres,
    "postgres": _postgres,
}


def open_store(url: str | None = None, *, readonly: bool = False) -> Store:
    """Open ``url``: a file path, ``sqlite:///path`` or ``postgresql://user@host/db`` (default
    ``$MARSAD_DB`` or ./marsad.db)."""
    url = url or os.environ.get("MARSAD_DB") or DEFAULT_DB
    scheme = url.split("://", 1)[0] if "://" in url else "sqlite"
    backend = _BACKENDS.get(scheme)
    if backend is None:
        raise StoreError(
            redact(url), f"unknown store type '{scheme}' (use a file path, sqlite:///path or postgresql://…)"
        )
    store = backend(url, readonly)
    if readonly and store.schema_version() < store.latest_schema:
        # a reader (the web app, `brief`) of a store written by an older Marsad: one writable open
        # migrates it, so new columns exist; where it cannot be written it is read as it is
        store.close()
        with contextlib.suppress(StoreError):
            backend(url, False).close()
        store = backend(url, True)
    return store
