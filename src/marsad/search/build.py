"""Building and maintaining the index from the store: it is derived, so it can always be rebuilt.

* :func:`rebuild_index` writes a fresh index into a sibling folder and swaps it in, so a running web app
  keeps answering from the old one until the new one is complete;
* :func:`update_index` replaces the documents of some articles (call it after ingest and after story
  assignment, which changes the ``story`` filter of older articles too).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from marsad.entities.kb import KnowledgeBase, load_kb
from marsad.errors import StoreError
from marsad.search.analysis import Analyzer, kb_name_words
from marsad.search.engine import SearchIndex
from marsad.store.sqlite import SQLiteStore

ProgressFn = Callable[[int], None]

_ANALYZERS: dict[int, tuple[KnowledgeBase, Analyzer]] = {}


def analyzer_for(kb: KnowledgeBase | None = None) -> Analyzer:
    """The analyzer for ``kb`` (the shipped KB by default), built once per KB."""
    kb = kb if kb is not None else load_kb()
    cached = _ANALYZERS.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, Analyzer(kb_name_words(kb)))
        _ANALYZERS[id(kb)] = cached
    return cached[1]


def index_path_for(store: SQLiteStore | str | Path) -> Path:
    """``marsad.db`` → ``marsad.db.index`` (beside the store, so both move together)."""
    db = store.path if isinstance(store, SQLiteStore) else Path(store)
    return db.with_name(db.name + ".index")


def open_index(store: SQLiteStore | str | Path, *, kb: KnowledgeBase | None = None) -> SearchIndex:
    """The index of a store; :class:`StoreError` telling how to build it when missing or outdated."""
    path = index_path_for(store)
    if not SearchIndex.usable(path):
        state = "outdated" if path.exists() else "missing"
        raise StoreError(str(path), f"search index {state}: run `marsad reindex --db {path.name[:-6]}`")
    return SearchIndex(path, analyzer_for(kb))


def rebuild_index(
    store: SQLiteStore,
    *,
    kb: KnowledgeBase | None = None,
    path: Path | None = None,
    progress: ProgressFn | None = None,
    batch: int = 2000,
) -> int:
    """Index every article of ``store`` from scratch; returns the number of articles indexed."""
    final = path or index_path_for(store)
    tmp = final.with_name(final.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    index = SearchIndex(tmp, analyzer_for(kb), create=True)
    writer = index.writer()
    n = 0
    try:
        for art in store.iter_articles():
            for doc in index.documents(art):
                writer.add_document(doc)
            n += 1
            if progress and n % batch == 0:
                progress(batch)
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if progress:
        progress(n % batch)
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return n


def update_index(store: SQLiteStore, article_ids: Iterable[str], *, kb: KnowledgeBase | None = None) -> int:
    """Re-index these articles (new, changed or re-clustered); deleted ones drop out of the index.

    Builds the whole index when there is none yet. Returns the number of articles written.
    """
    path = index_path_for(store)
    if not SearchIndex.usable(path):
        return rebuild_index(store, kb=kb)
    index = SearchIndex(path, analyzer_for(kb))
    writer = index.writer(heap_mb=128, threads=1)
    n = 0
    try:
        for aid in dict.fromkeys(article_ids):
            writer.delete_documents_by_term("article", aid)
            art = store.get_article(aid)
            if art is None:
                continue
            for doc in index.documents(art):
                writer.add_document(doc)
            n += 1
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    return n
