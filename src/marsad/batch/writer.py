"""The write step shared by `batch` and `watch`: idempotent, and patient with a store that restarts.

Articles are keyed by source and content hash (the store decides new / unchanged / duplicate / updated),
so writing the same chunk twice stores nothing twice. Transient failures (PostgreSQL restarting or
dropping the connection, SQLite busy) are retried with exponential backoff up to a deadline; anything
else is raised at once.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from marsad.model import Article
from marsad.service import IngestReport
from marsad.store import PutStatus
from marsad.store.sqlite import SQLiteStore

T = TypeVar("T")
RetryLog = Callable[[int, float, BaseException], None]


def is_transient(e: BaseException) -> bool:
    """A failure that may go away if the same write is tried again a little later."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:  # the stores wrap driver errors in StoreError
        seen.add(id(cur))
        if isinstance(cur, sqlite3.OperationalError):
            msg = str(cur).lower()
            return "locked" in msg or "busy" in msg
        if type(cur).__module__.startswith("psycopg"):
            try:
                import psycopg
            except ImportError:  # pragma: no cover
                return False
            if isinstance(cur, psycopg.OperationalError):
                return True
            state = getattr(cur, "sqlstate", None) or ""
            return state.startswith(("08", "40", "57P"))
        if isinstance(cur, ConnectionError | TimeoutError):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def with_retry(fn: Callable[[], T], *, deadline: float = 120.0, on_retry: RetryLog | None = None) -> T:
    """Call ``fn``; after a transient failure wait (0.2 s doubling to 5 s, jittered) and call it again."""
    start = time.monotonic()
    attempt = 0
    while True:
        try:
            return fn()
        except Exception as e:
            waited = time.monotonic() - start
            if not is_transient(e) or waited >= deadline:
                raise
            attempt += 1
            pause = min(5.0, 0.2 * 2 ** (attempt - 1)) * (0.75 + 0.5 * random.random())
            if on_retry is not None:
                on_retry(attempt, pause, e)
            time.sleep(min(pause, max(0.0, deadline - waited)))


def write_articles(
    store: SQLiteStore,
    articles: Sequence[Article],
    report: IngestReport,
    *,
    analyzed: bool = True,
    repair: bool = False,
    deadline: float = 120.0,
    on_retry: RetryLog | None = None,
) -> None:
    """Store ``articles`` (and their mentions and quotes) and count the outcomes into ``report``.

    ``repair``: also rewrite the analysis of articles reported unchanged that this source owns. A run that
    was killed between storing articles and storing their analysis left them without mentions; a re-run
    sets that right (the analysis is deterministic, so rewriting it is harmless).
    """
    if not articles:
        return
    retried = False

    def note(attempt: int, pause: float, e: BaseException) -> None:
        nonlocal retried
        retried = True
        if on_retry is not None:
            on_retry(attempt, pause, e)

    outcomes = with_retry(lambda: store.put_articles(articles), deadline=deadline, on_retry=note)
    # A commit whose acknowledgement was lost comes back "unchanged" on the replay: rewrite the analysis of
    # such articles too, or they would stay without mentions.
    repair = repair or retried
    fresh: list[Article] = []
    for art, out in zip(articles, outcomes, strict=True):
        report.counts[out.status.value] += 1
        if out.status in (PutStatus.NEW, PutStatus.UPDATED):
            report.new_ids.append(out.article_id)
            fresh.append(art)
        elif repair and out.status is PutStatus.UNCHANGED and out.article_id == art.id:
            fresh.append(art)
    if analyzed and fresh:
        items = [(a.id, list(a.mentions), list(a.quotes)) for a in fresh]
        with_retry(lambda: store.put_analyses(items), deadline=deadline, on_retry=on_retry)
