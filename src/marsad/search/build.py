"""Building and maintaining the index from the store: it is derived, so it can always be rebuilt.

The index lives at ``store.index_path`` (``FILE.index/`` beside a SQLite file; for PostgreSQL ``?index=``
in the URL, ``$MARSAD_INDEX`` or a folder under ``$XDG_DATA_HOME/marsad``), on every backend the same
tantivy index, so search behaves identically.

* :func:`rebuild_index` writes a fresh index into a sibling folder and swaps it in, so a running web app
  keeps answering from the old one until the new one is complete;
* :func:`sync_index` brings an index up to date with the store by *revision*: every store write that
  changes what the index shows about an article (insert, analysis, story assignment) gives it a new,
  store-wide increasing revision, and the index remembers the revision it covers (the *watermark*) in
  ``marsad-sync.json``.

Crash safety. The watermark is written (atomically: temp file + rename) only after a successful tantivy
commit, so a kill at any point leaves a watermark at or below what the index holds: the next sync
re-indexes a few articles again, which is harmless because re-indexing deletes an article's documents
before adding them. A rebuild reads ``store.current_rev()`` *before* it iterates the store, so writes that
land during the rebuild are picked up by the next sync.

Failures. An article whose documents cannot be built (a bug on odd data) does not stop the sync: it is
reported as ``(source label, "index: ExceptionType: message")``, the watermark still advances, and its id
is kept in the sync file's ``failed`` list, which every later sync retries first (an article that is
indexed, or no longer in the store, leaves the list). The article's previous documents, if any, stay in
the index until a retry succeeds: a stale entry is better than a missing one.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from marsad.entities.kb import KnowledgeBase, load_kb
from marsad.errors import (
    INDEX_DISK_FULL,
    IndexWriteError,
    MarsadError,
    StoreDamaged,
    StoreError,
    errno_reason,
)
from marsad.model import Article
from marsad.progress import StageProgress, stage_counter
from marsad.search.analysis import SearchKeys, kb_name_words
from marsad.search.engine import SearchIndex, damaged_reason
from marsad.search.names import names_for
from marsad.store.base import Store

ProgressFn = Callable[[int], None]

SYNC_FILE = "marsad-sync.json"
SYNC_CHUNK = 2000  # articles per tantivy commit (and per watermark step) during a sync
# The writer's indexing budget: tantivy writes a segment whenever it is used up, so this bounds its
# memory in a build of any size (it was 256 MB for a rebuild). On a 10k-article store 64 MB in one thread
# took 16.1 s CPU against 14.9 s for 256 MB in two (loaded machine), one segment instead of two.
WRITER_HEAP_MB = 64
MAX_FAILED = 10_000  # failed ids remembered for a retry; beyond that `marsad reindex` is the remedy
LOCK_WAIT = 30.0  # seconds a sync waits for another process's index writer

_ANALYZERS: dict[int, tuple[KnowledgeBase, SearchKeys]] = {}


@dataclass
class SyncResult:
    """What a sync or rebuild did: articles (re)indexed, and the ones whose documents failed."""

    indexed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article source label, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (index path, what was not done and why)
    rebuilt: bool = False  # the whole index was (re)built
    rev: int = 0  # the store revision the index now covers


def analyzer_for(kb: KnowledgeBase | None = None) -> SearchKeys:
    """The analyzer for ``kb`` (the shipped KB by default), built once per KB."""
    kb = kb if kb is not None else load_kb()
    cached = _ANALYZERS.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, SearchKeys(kb_name_words(kb)))
        _ANALYZERS[id(kb)] = cached
    return cached[1]


def open_index(store: Store | Path, *, kb: KnowledgeBase | None = None) -> SearchIndex:
    """The index of a store (or at a path); :class:`StoreError` telling how to build it when missing or
    outdated, :class:`StoreDamaged` when its files cannot be read."""
    path = store if isinstance(store, Path) else store.index_path
    if not SearchIndex.usable(path):
        state = "outdated" if path.exists() else "missing"
        raise StoreError(str(path), f"search index {state}: run `marsad reindex` (with the same --db)")
    try:
        kb = kb if kb is not None else load_kb()
        keys = analyzer_for(kb)
        return SearchIndex(path, keys, names=names_for(kb, keys))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # tantivy reports a damaged file as ValueError, or panics
        raise StoreDamaged(str(path), damaged_reason(e)) from None


def index_problem(path: Path) -> str | None:
    """Why the index at ``path`` cannot serve searches (missing, outdated, damaged, no watermark), or
    None when it opens and holds a watermark. Opening reads every segment's footer and metadata, so
    truncated, missing or garbled segment files show here (cost: one open, a few milliseconds)."""
    if not path.exists():
        return "search index missing"
    if not SearchIndex.usable(path):
        return "search index of another format (or incomplete)"
    try:
        tantivy.Index.open(str(path)).searcher()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:
        return damaged_reason(e)
    if read_sync_state(path) is None:
        return f"search index without a readable watermark ({SYNC_FILE})"
    return None


_OS_ERROR = re.compile(r"os error (\d+)")


def _write_error(path: Path, e: BaseException) -> IndexWriteError | None:
    """What a failed index write means (disk full, read-only, no permission), or None for another error.
    Tantivy reports file errors as ``ValueError("… (os error 28)")``."""
    code = e.errno if isinstance(e, OSError) else None
    if code is None and isinstance(e, ValueError) and (m := _OS_ERROR.search(str(e))):
        code = int(m.group(1))
    if code in (errno.ENOSPC, errno.EDQUOT):
        return IndexWriteError(str(path), INDEX_DISK_FULL, code)
    reason = errno_reason(code, None)
    if reason is None:
        return None
    return IndexWriteError(
        str(path), reason.replace("run the same command again", "run `marsad reindex`"), code
    )


# ---- the watermark ------------------------------------------------------------------------------------


@dataclass
class SyncState:
    rev: int
    failed: list[str] = field(default_factory=list)  # ids to retry on the next sync


def read_sync_state(path: Path) -> SyncState | None:
    """The watermark of the index at ``path``; None when it has none (or an unreadable one)."""
    try:
        data: Any = json.loads((path / SYNC_FILE).read_text(encoding="utf-8"))
        rev = data["rev"]
        failed = data.get("failed", [])
        if not isinstance(rev, int) or not isinstance(failed, list):
            return None
        return SyncState(rev, [str(x) for x in failed])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_sync_state(path: Path, state: SyncState) -> None:
    tmp = path / (SYNC_FILE + ".tmp")
    data = {"rev": state.rev, "failed": state.failed[:MAX_FAILED]}
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path / SYNC_FILE)


def index_lag(store: Store) -> int | None:
    """How many revisions the index is behind the store (0: it covers every write); None when there is
    no usable index (or one without a watermark, which the next sync rebuilds). Articles whose documents
    failed are not counted: see ``read_sync_state(path).failed``."""
    path = store.index_path
    if index_problem(path) is not None:  # damaged, too: the caller rebuilds it
        return None
    state = read_sync_state(path)
    if state is None:
        return None
    return max(0, store.current_rev() - state.rev)


# ---- building ------------------------------------------------------------------------------------------


def _failure(art: Article, e: Exception) -> tuple[str, str]:
    return art.source.label, f"index: {type(e).__name__}: {e}"


def _documents(index: SearchIndex, art: Article) -> list[tantivy.Document]:
    return list(index.documents(art))


def rebuild_index(
    store: Store,
    *,
    kb: KnowledgeBase | None = None,
    path: Path | None = None,
    progress: ProgressFn | None = None,
    batch: int = 2000,
) -> SyncResult:
    """Index every article of ``store`` from scratch into ``path`` (default ``store.index_path``).
    A write that fails (disk full, read-only) raises :class:`IndexWriteError` and leaves the old index
    as it was."""
    final = path or store.index_path
    try:
        return _rebuild(store, final, kb, progress, batch)
    except (ValueError, OSError) as e:
        err = _write_error(final, e)
        if err is None or isinstance(e, MarsadError):
            raise
    raise err


def _rebuild(
    store: Store, final: Path, kb: KnowledgeBase | None, progress: ProgressFn | None, batch: int
) -> SyncResult:
    final.parent.mkdir(parents=True, exist_ok=True)
    _drop_leftovers(final)
    # a folder of this process's own: two processes rebuilding at once must not write into one folder
    tmp = final.with_name(f"{final.name}.new-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    rev = store.current_rev()  # before reading: what is written meanwhile is left to the next sync
    out = SyncResult(rebuilt=True, rev=rev)
    failed: list[str] = []
    n = 0
    index = writer = None
    try:
        index = SearchIndex(tmp, analyzer_for(kb), create=True)
        writer = index.writer(heap_mb=WRITER_HEAP_MB, threads=1)
        for art in store.iter_articles(with_search_text=False):  # the index normalizes what it needs
            try:
                docs = _documents(index, art)
            except Exception as e:  # one odd article must not cost the whole index
                out.failures.append(_failure(art, e))
                failed.append(art.id)
            else:
                for doc in docs:
                    writer.add_document(doc)
                out.indexed += 1
            n += 1
            if progress and n % batch == 0:
                progress(batch)
        writer.commit()
        writer.wait_merging_threads()
        _write_sync_state(tmp, SyncState(rev, failed))
    except BaseException:
        # the writer's own threads may still be writing segment files: let them go before removing
        del writer, index
        gc.collect()
        _remove_tree(tmp)
        raise
    if progress:
        progress(n % batch)
    _swap_in(tmp, final)
    return out


def _remove_tree(path: Path, tries: int = 20) -> None:
    """Remove ``path``, again while a file being closed elsewhere re-creates part of it."""
    for _ in range(tries):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.05)


def _swap_in(tmp: Path, final: Path) -> None:
    """Put the finished index ``tmp`` in place of ``final`` (two renames: readers see the old index or
    the new one, never a half-written one)."""
    old = final.with_name(f"{final.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    try:
        if final.exists():
            final.rename(old)
        tmp.rename(final)
    except OSError:
        # another process swapped its own fresh index in meanwhile: it is as good as ours (its watermark
        # makes the next sync catch up), so keep it
        if not SearchIndex.usable(final):
            if old.exists() and not final.exists():
                old.rename(final)  # the index as it was
            _remove_tree(tmp)
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _drop_leftovers(final: Path) -> None:
    """Remove ``.new-PID`` / ``.old-PID`` folders that a killed rebuild left beside the index."""
    for p in final.parent.glob(f"{final.name}.*-*"):
        kind, _, pid = p.name[len(final.name) + 1 :].partition("-")
        if kind not in ("new", "old") or not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
            alive = int(pid) != os.getpid()
        except ProcessLookupError:
            alive = False
        except PermissionError:
            alive = True  # someone else's running process
        if not alive:
            shutil.rmtree(p, ignore_errors=True)


def _writer(index: SearchIndex, wait: float) -> tantivy.IndexWriter | None:
    """The index writer, waiting up to ``wait`` seconds while another process holds it; None if it
    stays busy."""
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return index.writer(heap_mb=WRITER_HEAP_MB, threads=1)
        except ValueError as e:  # tantivy: "Failed to acquire Lockfile: LockBusy ..."
            if "LockBusy" not in str(e):
                raise
            if time.monotonic() >= deadline:
                return None
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def sync_index(
    store: Store,
    kb: KnowledgeBase | None = None,
    *,
    wait: float = LOCK_WAIT,
    chunk: int = SYNC_CHUNK,
    progress: StageProgress | None = None,
) -> SyncResult:
    """Bring the index at ``store.index_path`` up to the store's current revision (see the module
    docstring); builds it from scratch when there is none, it is of another format or has no
    watermark, or its watermark is ahead of the store (a store re-created under the same index).

    Another process syncing the same index is waited for up to ``wait`` seconds; if it is still busy the
    call returns without doing anything (``notes`` says so; nothing failed): the next sync catches up,
    because every sync starts from the watermark it reads after taking the writer.
    """
    path = store.index_path
    if index_problem(path) is not None:  # none, another format, no watermark or damaged: build anew
        return rebuild_index(store, kb=kb, progress=stage_counter(progress, "index", store.count_articles()))
    state = read_sync_state(path)
    if state is not None and not state.failed and state.rev == store.current_rev():
        # nothing written since (an unchanged re-ingest): no writer to take, no analyzer (nor KB) to load
        return SyncResult(rev=state.rev)
    try:
        return _sync(store, path, kb, wait, chunk, progress)
    except (ValueError, OSError) as e:
        err = _write_error(path, e)
        if err is None or isinstance(e, MarsadError):
            raise
    raise err  # the watermark is written only after a commit: the index is as the last one left it


def _sync(
    store: Store,
    path: Path,
    kb: KnowledgeBase | None,
    wait: float,
    chunk: int,
    progress: StageProgress | None,
) -> SyncResult:
    index = SearchIndex(path, analyzer_for(kb))
    writer = _writer(index, wait)
    if writer is None:
        note = "search index busy (another process is updating it): it catches up on the next sync"
        return SyncResult(notes=[(str(path), note)])
    state = read_sync_state(path)  # re-read now that no other sync can move it
    target = store.current_rev()
    if state is None or state.rev > target:
        del writer  # tantivy releases its lock when the writer goes away
        return rebuild_index(store, kb=kb, progress=stage_counter(progress, "index", store.count_articles()))
    out = SyncResult(rev=state.rev)
    advance = stage_counter(progress, "index", None)  # articles to index: known only chunk by chunk
    rev = state.rev
    failed = dict.fromkeys(state.failed)  # ordered set: retried first, kept until they index
    retry = list(failed)
    try:
        while True:
            changes = store.changes_since(rev, limit=chunk)
            ids = list(dict.fromkeys([*retry, *changes.ids]))
            retry = []
            if not ids and not changes.deleted and changes.rev <= rev:
                break
            for aid in ids:
                failed.pop(aid, None)
            failed.update(dict.fromkeys(_apply(store, index, writer, ids, changes.deleted, out)))
            writer.commit()
            advance(len(ids))
            rev = max(rev, changes.rev)
            _write_sync_state(path, SyncState(rev, list(failed)))  # only after the commit
            out.rev = rev
            if rev >= target:  # caught up with the start of this call: later writes sync next time
                break
        writer.wait_merging_threads()
    except BaseException:
        with contextlib.suppress(Exception):  # the original error is the one to report
            writer.rollback()
        raise
    return out


def _apply(
    store: Store,
    index: SearchIndex,
    writer: tantivy.IndexWriter,
    ids: Iterable[str],
    deleted: Iterable[str],
    out: SyncResult,
) -> list[str]:
    """Stage the documents of ``ids`` (replacing their old ones) and drop ``deleted``; the ids whose
    documents failed (their old documents are kept)."""
    failed: list[str] = []
    for aid in dict.fromkeys(deleted):
        writer.delete_documents_by_term("article", aid)
    for aid in ids:
        art = store.get_article(aid)
        if art is None:  # gone since (replaced by an updated version): drop whatever is indexed
            writer.delete_documents_by_term("article", aid)
            continue
        try:
            docs = _documents(index, art)
        except Exception as e:
            out.failures.append(_failure(art, e))
            failed.append(aid)
            continue
        writer.delete_documents_by_term("article", aid)
        for doc in docs:
            writer.add_document(doc)
        out.indexed += 1
    return failed
