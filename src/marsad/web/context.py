"""What every request needs: the read-only store (one connection per worker thread), the KB and its
:class:`~marsad.read.Names`, the index. Requests pass them to :mod:`marsad.read`; nothing here reads data.

The store is any backend :func:`~marsad.store.open_store` knows (a SQLite file or a ``postgresql://`` URL).
SQLite connections must not be shared by concurrent threads; FastAPI runs plain ``def`` endpoints in a
thread pool, so each thread opens its own read-only store once and keeps it (for PostgreSQL that is one
connection per thread, too).
"""

from __future__ import annotations

import threading
from pathlib import Path

from marsad.entities.kb import KnowledgeBase
from marsad.read import Names
from marsad.search import SearchIndex, open_index
from marsad.store import Store, open_store


class AppContext:
    def __init__(self, db: str | Path, kb: KnowledgeBase) -> None:
        self.db = str(db)
        self.kb = kb
        self.names = Names.of(kb)
        self._local = threading.local()
        self._index: SearchIndex | None = None
        self._index_inode = 0
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
        with self._index_lock:
            # `marsad reindex` swaps in a new folder: a new inode means reopen, not just reload
            inode = path.stat().st_ino if path.exists() else 0
            if self._index is None or inode != self._index_inode:
                self._index = open_index(path, kb=self.kb)
                self._index_inode = inode
            return self._index

    def has_index(self) -> bool:
        return SearchIndex.usable(self.index_path)

    def index_or_none(self) -> SearchIndex | None:
        """The search index when it has been built, else None."""
        return self.index() if self.has_index() else None
