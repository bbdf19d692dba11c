"""What every request needs: the read-only store (one connection per worker thread), the KB, the index.

The store is any backend :func:`~marsad.store.open_store` knows (a SQLite file or a ``postgresql://`` URL).
SQLite connections must not be shared by concurrent threads; FastAPI runs plain ``def`` endpoints in a
thread pool, so each thread opens its own read-only store once and keeps it (for PostgreSQL that is one
connection per thread, too).
"""

from __future__ import annotations

import threading
from pathlib import Path

from marsad.entities.kb import KnowledgeBase
from marsad.model import Entity
from marsad.search import SearchIndex, open_index
from marsad.store import Store, open_store


class AppContext:
    def __init__(self, db: str | Path, kb: KnowledgeBase) -> None:
        self.db = str(db)
        self.kb = kb
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

    def entity(self, entity_id: str | None) -> Entity | None:
        return self.kb.get(entity_id) if entity_id else None

    def name(self, entity_id: str | None) -> str:
        """Arabic display name of an entity id (the id itself when the KB does not know it)."""
        if not entity_id:
            return ""
        ent = self.kb.get(entity_id)
        if ent is not None:
            return ent.name_ar
        return entity_id.split(":", 1)[-1]  # "ner:اناتولي …" (found by the tagger): the name part
