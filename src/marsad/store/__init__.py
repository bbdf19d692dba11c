"""Storage behind one interface; :func:`open_store` picks the backend from the URL's scheme."""

from __future__ import annotations

import os
from collections.abc import Callable

from marsad.errors import StoreError
from marsad.store.base import ArticleFilter, PutOutcome, PutStatus, Stats, Store
from marsad.store.sqlite import SQLiteStore

__all__ = ["ArticleFilter", "PutOutcome", "PutStatus", "SQLiteStore", "Stats", "Store", "open_store"]

DEFAULT_DB = "marsad.db"


def _sqlite(url: str, readonly: bool) -> SQLiteStore:
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return SQLiteStore(path, readonly=readonly)


_BACKENDS: dict[str, Callable[[str, bool], SQLiteStore]] = {"sqlite": _sqlite}


def open_store(url: str | None = None, *, readonly: bool = False) -> SQLiteStore:
    """Open ``url`` (a file path, ``sqlite:///path``; default ``$MARSAD_DB`` or ./marsad.db)."""
    url = url or os.environ.get("MARSAD_DB") or DEFAULT_DB
    scheme = url.split("://", 1)[0] if "://" in url else "sqlite"
    backend = _BACKENDS.get(scheme)
    if backend is None:
        if scheme.startswith("postgres"):
            raise StoreError(url, "the PostgreSQL backend is not available in this version")
        raise StoreError(url, f"unknown store type '{scheme}' (use a file path or sqlite:///path)")
    return backend(url, readonly)
