"""The default store: one SQLite file in WAL mode.

WAL lets readers (the web app) work while one writer ingests. Every ``put_*`` call is one transaction,
so a Ctrl-C or ``kill -9`` loses at most the call in flight and a re-run completes it: sources already
stored with the same content hash are reported as unchanged and skipped.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from marsad.errors import StoreError
from marsad.store.dialect import SQLITE
from marsad.store.migrations import SQLITE_MIGRATIONS
from marsad.store.sql import PAGE, Cursor, SQLStore

T = TypeVar("T")
_MIN_SQLITE = (3, 30)  # upserts (3.24) and NULLS FIRST/LAST (3.30) in the shared queries


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore(SQLStore):
    """The queries are :class:`~marsad.store.sql.SQLStore`'s; this class opens the file, migrates it and
    runs each write call as one ``BEGIN IMMEDIATE`` transaction (one writer at a time, readers go on)."""

    dialect = SQLITE

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        if sqlite3.sqlite_version_info < _MIN_SQLITE:
            raise StoreError(
                str(path),
                f"needs SQLite {'.'.join(map(str, _MIN_SQLITE))} or newer (this Python has {sqlite3.sqlite_version})",
            )
        self.path = Path(path)
        self.readonly = readonly
        if readonly and not self.path.exists():
            raise StoreError(str(path), "no such store (run `marsad ingest` first)")
        if not readonly and self.path.parent and not self.path.parent.exists():
            raise StoreError(str(path), f"folder {self.path.parent} does not exist")
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout = 10000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self.db.execute("PRAGMA foreign_keys = ON")
                self._migrate()
            else:
                self.db.execute("SELECT 1 FROM articles LIMIT 1")
                known = max(v for v, _ in SQLITE_MIGRATIONS)
                if self.schema_version() > known:
                    raise StoreError(
                        str(path),
                        f"store schema v{self.schema_version()} is newer than this Marsad (v{known})",
                    )
        except sqlite3.DatabaseError as e:
            raise StoreError(str(path), f"not a Marsad store or corrupt ({e})") from None

    # ---- schema ---------------------------------------------------------------------------------

    def schema_version(self) -> int:
        try:
            row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(row[0] or 0)

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)"
        )
        current = self.schema_version()
        known = max(v for v, _ in SQLITE_MIGRATIONS)
        if current > known:
            raise StoreError(str(self.path), f"store schema v{current} is newer than this Marsad (v{known})")
        for version, sql in SQLITE_MIGRATIONS:
            if version <= current:
                continue
            self.db.execute("BEGIN IMMEDIATE")
            if self.schema_version() >= version:  # another process migrated while we waited for the lock
                self.db.execute("COMMIT")
                continue
            try:
                for stmt in sql.split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                self.db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    # ---- transactions and reads -------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction. SQLite may already have rolled back (disk full, I/O error): only roll
        back what is still open, so the user sees the real error."""
        self._check_writable()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                cur.execute("ROLLBACK")
            raise

    def _write(self, fn: Callable[[Cursor], T]) -> T:
        with self._tx() as cur:
            return fn(cur)

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.db.execute(query, params).fetchall()

    def _pages(self, query: str, params: list[Any]) -> Iterator[list[Any]]:
        """One cursor over the listing (a consistent snapshot), read a page at a time."""
        cur = self.db.execute(query, [*params, 0])
        while rows := cur.fetchmany(PAGE):
            yield rows

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(str(self.path), "store opened read-only")

    @property
    def _label(self) -> str:
        return str(self.path)

    @property
    def index_path(self) -> Path:
        """``marsad.db`` → ``marsad.db.index`` (beside the store, so both move together)."""
        return self.path.with_name(self.path.name + ".index")

    def _size_bytes(self) -> int:
        return sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if p.exists())

    def close(self) -> None:
        self.db.close()
