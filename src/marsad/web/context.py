"""What every request needs: the read-only store (one connection per worker thread), the KB and its
:class:`~marsad.read.Names`, the index. Requests pass them to :mod:`marsad.read`; nothing here reads data.

The store is any backend :func:`~marsad.store.open_store` knows (a SQLite file or a ``postgresql://`` URL).
SQLite connections must not be shared by concurrent threads; FastAPI runs plain ``def`` endpoints in a
thread pool, so each thread opens its own read-only store once and keeps it (for PostgreSQL that is one
connection per thread, too).

Nothing here serialises requests: the index is checked without a lock (a lock is only taken to reopen it
after ``marsad reindex`` swapped the folder), and the aggregates the home page shows (store statistics,
the most mentioned entities: whole-table scans that cost tens of milliseconds on a few thousand articles)
are kept per thread for as long as SQLite's ``data_version`` of that thread's connection says no other
connection has committed since, so a write is seen by the very next request, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from marsad.entities.kb import KnowledgeBase
from marsad.read import Names
from marsad.search import SearchIndex, open_index
from marsad.store import Store, open_store

T = TypeVar("T")


class AppContext:
    def __init__(self, db: str | Path, kb: KnowledgeBase) -> None:
        self.db = str(db)
        self.kb = kb
        self.names = Names.of(kb)
        self._local = threading.local()
        self._opened: tuple[SearchIndex, int] | None = (
            None  # the index and its folder's inode, swapped as one
        )
        self._index_lock = threading.Lock()
        first = open_store(self.db, readonly=True)  # fail at start-up, not on the first request
        try:
            first.schema_version()
            self.index_path: Path = first.index_path
        finally:
            first.close()

    @property
    def store(self) -> Store:
        st: Store | None = getattr(self._local, "store", None)
        if st is None:
            st = open_store(self.db, readonly=True)
            self._local.store = st
        return st

    def index(self) -> SearchIndex:
        """The search index; :class:`~marsad.errors.StoreError` when it has not been built."""
        path = self.index_path
        # `marsad reindex` swaps in a new folder: a new inode means reopen, not just reload
        inode = path.stat().st_ino if path.exists() else 0
        opened = self._opened
        if opened is not None and opened[1] == inode:
            return opened[0]  # the common case: no lock, requests search side by side
        with self._index_lock:  # one thread reopens, the others wait for it and take its index
            opened = self._opened
            if opened is None or opened[1] != inode:
                opened = (open_index(path, kb=self.kb), inode)
                self._opened = opened
            return opened[0]

    def has_index(self) -> bool:
        return SearchIndex.usable(self.index_path)

    def index_or_none(self) -> SearchIndex | None:
        """The search index when it has been built, else None."""
        return self.index() if self.has_index() else None

    # ---- aggregates that only change when the store does --------------------------------------------

    def _store_version(self) -> int | None:
        """A number that changes whenever another connection commits to this thread's store (SQLite's
        ``PRAGMA data_version``); None for backends without one, which are then never cached."""
        return self.store.change_stamp()

    def cached(self, key: Hashable, compute: Callable[[], T], *, stamp: Hashable = None) -> T:
        """``compute()``, or its value from an earlier request on this thread while the store (and
        ``stamp``, e.g. the state of the index) has not changed since."""
        version = self._store_version()
        if version is None:
            return compute()
        memo: dict[Hashable, tuple[Hashable, Any]] | None = getattr(self._local, "memo", None)
        if memo is None or getattr(self._local, "memo_version", None) != version:
            memo = {}
            self._local.memo = memo
            self._local.memo_version = version
        hit = memo.get(key)
        if hit is not None and hit[0] == stamp:
            value: T = hit[1]
            return value
        value = compute()
        memo[key] = (stamp, value)
        return value

    def index_stamp(self) -> Hashable:
        """What the index's own reload check looks at (folder inode, ``meta.json`` mtime), or None when
        there is no usable index."""
        if not self.has_index():
            return None
        try:
            return (self.index_path.stat().st_ino, (self.index_path / "meta.json").stat().st_mtime_ns)
        except OSError:
            return None
