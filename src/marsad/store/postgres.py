"""PostgreSQL store: the same interface as :class:`~marsad.store.sqlite.SQLiteStore`, for several writers.

Selected with ``--db postgresql://user@host:port/db`` (or ``$MARSAD_DB``). An extra ``?schema=NAME`` in
the URL keeps Marsad's tables in that schema (created on first use).

Concurrency. Every write call is one transaction at READ COMMITTED. Writers first take transaction-scoped
advisory locks on what they are about to decide on (each source key and article id), in sorted order, so
two processes ingesting overlapping batches serialize on the shared articles only: one stores an article,
the other then sees it and reports it unchanged or duplicate. Deadlocks (possible when an update must also
lock the article it replaces), serialization failures and dropped connections roll the transaction back and
the whole call is replayed, a bounded number of times; every write is idempotent, so a replay after a commit
whose acknowledgement was lost only turns "new" into "unchanged". Readers never wait for writers (MVCC).

Full text. ``search_tokens`` holds Marsad's own normalized, clitic-free tokens plus their light stems as a
tsvector literal built here (no text-search parser or locale involved), title words weighted A;
:meth:`PostgresStore.search` builds the query the same way.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from marsad.errors import StoreError
from marsad.model import Analysis, AnalysisState, Article, Mention, Quote, SourceRef, Story, StoryAssignment
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, iter_words, light_stem, strip_clitics
from marsad.store.base import (
    ArticleFilter,
    Changes,
    PutOutcome,
    PutStatus,
    QuoteRow,
    Stats,
    StoryWrite,
    redact,
)
from marsad.store.pg_migrations import PG_MIGRATIONS
from marsad.store.rows import mention_from_row, mention_values, quote_from_row, quote_values

T = TypeVar("T")
Row = dict[str, Any]
Cursor = psycopg.Cursor[Row]

_ARTICLE_COLS = (
    "id, content_hash, source_key, origin, member, record, part, char_start, char_end, media_type, "
    "encoding, title, body, raw, published, published_day, date_text, outlet, wire, url, author, category, "
    "tags, cited_media, language, parent_id, search_text, story_id, storyline_id, duplicate_of, "
    "analysis, analysis_error, rev"
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_ARTICLE_COLS}, search_tokens) VALUES ({', '.join(['%s'] * 33)}, %s::tsvector)"
)
_UPSERT_SOURCE = (
    "INSERT INTO sources (source_key, article_id, content_hash) VALUES (%s, %s, %s) ON CONFLICT (source_key) "
    "DO UPDATE SET article_id = excluded.article_id, content_hash = excluded.content_hash, seen_at = now()"
)
_CHUNK = 500  # rows per round trip when listing without a limit


def _split_params(url: str) -> tuple[str, str | None, str | None]:
    """Take Marsad's own ``schema`` and ``index`` parameters out of the URL (libpq would reject them)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), None)
    index = next((v for k, v in query if k == "index"), None)
    rest = urlencode([(k, v) for k, v in query if k not in ("schema", "index")])
    return urlunsplit(parts._replace(query=rest)), schema or None, index or None


def _lock_key(*parts: str) -> int:
    """A signed 64-bit advisory-lock key for a name."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _transient(e: BaseException, conn: psycopg.Connection[Row] | None) -> bool:
    """Worth replaying the whole call: a rollback the server chose, or a lost connection."""
    if conn is not None and conn.broken:
        return True
    state = getattr(e, "sqlstate", None)
    if state is not None:
        # class 40: serialization failure, deadlock (psycopg's DeadlockDetected is no TransactionRollback);
        # 08: connection exceptions; 57P0x: the server is shutting down or restarting
        return state.startswith(("40", "08")) or state in {"57P01", "57P02", "57P03"}
    return isinstance(e, psycopg.OperationalError)  # no SQLSTATE: the connection itself failed


class PostgresStore:
    def __init__(
        self, url: str, *, readonly: bool = False, retries: int = 5, connect_timeout: int = 10
    ) -> None:
        self.url = url
        self.readonly = readonly
        self.retries = retries
        self._conninfo, self._schema, self._index = _split_params(url)
        self._connect_timeout = connect_timeout
        self._mutex = threading.RLock()  # one connection: one statement stream at a time
        self._conn: psycopg.Connection[Row] | None = None
        self._ns = ""  # schema the tables live in, part of every lock key
        try:
            self._run(self._open_check)
        except psycopg.Error as e:
            raise StoreError(redact(url), f"cannot open the PostgreSQL store ({_msg(e)})") from None

    # ---- connection and retries -------------------------------------------------------------------

    def _connection(self) -> psycopg.Connection[Row]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            conn = psycopg.connect(
                self._conninfo,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=self._connect_timeout,
                application_name="marsad",
            )
            if self._schema:
                if not self.readonly:
                    with conn.transaction():  # concurrent CREATE SCHEMA IF NOT EXISTS can still collide
                        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("schema", self._schema),))
                        conn.execute(
                            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self._schema))
                        )
                conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self._schema)))
            if self.readonly:
                conn.execute("SET default_transaction_read_only = on")
            row = conn.execute("SELECT current_schema() AS s").fetchone()
            self._ns = str(row["s"] or "") if row else ""  # NULL when the schema does not exist
            self._conn = conn
        return self._conn

    def _run(self, fn: Callable[[psycopg.Connection[Row]], T]) -> T:
        """Call ``fn`` with the connection; replay it after a transient failure (bounded, with backoff)."""
        for attempt in range(self.retries + 1):
            conn = None
            try:
                with self._mutex:
                    conn = self._connection()
                    return fn(conn)
            except psycopg.Error as e:
                if attempt >= self.retries or not _transient(e, conn):
                    raise
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def _write(self, fn: Callable[[Cursor], T]) -> T:
        """Run ``fn`` in one transaction (replayed whole on transient failures)."""
        if self.readonly:
            raise StoreError(redact(self.url), "store opened read-only")

        def tx(conn: psycopg.Connection[Row]) -> T:
            with conn.transaction(), conn.cursor() as cur:
                return fn(cur)

        try:
            return self._run(tx)
        except psycopg.Error as e:
            raise StoreError(redact(self.url), f"write failed, nothing stored ({_msg(e)})") from None

    def _read(self, query: str | sql.Composed, params: Sequence[Any] = ()) -> list[Row]:
        def go(conn: psycopg.Connection[Row]) -> list[Row]:
            return conn.execute(query, params).fetchall()

        try:
            return self._run(go)
        except psycopg.Error as e:
            raise StoreError(redact(self.url), f"read failed ({_msg(e)})") from None

    def _lock(self, cur: Cursor, kind: str, names: Iterable[str]) -> None:
        """Transaction-scoped advisory locks, in sorted order so writers cannot deadlock on them."""
        keys = sorted({_lock_key(self._ns, kind, n) for n in names})
        if keys:
            cur.execute(
                "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) s",
                (keys,),
            )

    # ---- schema -----------------------------------------------------------------------------------

    def _open_check(self, conn: psycopg.Connection[Row]) -> None:
        """Refuse a newer schema; bring an older one (or an empty database) up to date."""
        known = max(v for v, _ in PG_MIGRATIONS)
        exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL AS ok").fetchone()
        current = self._current_version(conn) if exists and exists["ok"] else None
        self._check_version(current or 0, known)
        if self.readonly and current is None:
            raise StoreError(redact(self.url), "no Marsad store in this database (run `marsad ingest` first)")
        if self.readonly or current == known:
            return
        for version, ddl in PG_MIGRATIONS:  # one transaction each, the version re-read under the lock
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(self._ns, "migrate"),))
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                current = self._current_version(conn)
                self._check_version(current, known)
                if version <= current:
                    continue
                conn.execute(ddl)  # no parameters: several statements run as one simple query
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def _check_version(self, current: int, known: int) -> None:
        if current > known:
            raise StoreError(
                redact(self.url), f"store schema v{current} is newer than this Marsad (v{known})"
            )

    @staticmethod
    def _current_version(conn: psycopg.Connection[Row]) -> int:
        row = conn.execute("SELECT coalesce(max(version), 0) AS v FROM schema_version").fetchone()
        return int(row["v"]) if row else 0

    def schema_version(self) -> int:
        return self._run(self._current_version)

    # ---- writes -----------------------------------------------------------------------------------

    @staticmethod
    def _next_rev(cur: Cursor) -> int:
        """The next store revision; the row lock it takes orders revisions by commit."""
        row = cur.execute(
            "UPDATE kv SET value = (value::bigint + 1)::text WHERE key = 'store:rev' RETURNING value"
        ).fetchone()
        return int(row["value"]) if row else 0

    def put_articles(self, articles: Iterable[Article]) -> list[PutOutcome]:
        arts = list(articles)
        if not arts:
            return []

        def tx(cur: Cursor) -> list[PutOutcome]:
            self._lock(cur, "src", (a.source.key for a in arts))
            self._lock(cur, "art", (a.id for a in arts))
            rev = self._next_rev(cur)
            out = self._put_batch(cur, arts, rev)
            done = {
                r["id"]
                for r in cur.execute(
                    "SELECT id FROM articles WHERE id = ANY(%s::text[]) AND analysis = 'done'",
                    ([o.article_id for o in out if o.status is PutStatus.UNCHANGED],),
                )
            }
            todo = [
                Analysis.of(a)
                for a, o in zip(arts, out, strict=True)
                if o.status in (PutStatus.NEW, PutStatus.UPDATED)
                or (
                    o.status is PutStatus.UNCHANGED  # completes an earlier, unfinished run
                    and o.article_id == a.id
                    and a.id not in done
                    and a.analysis is not AnalysisState.PENDING
                )
            ]
            self._write_analyses(cur, todo, rev)
            return out

        return self._write(tx)

    def _put_batch(self, cur: Cursor, arts: list[Article], rev: int) -> list[PutOutcome]:
        """Decide every status from two look-ups, then write in bulk: a handful of round trips a batch.

        The locks taken above keep what the look-ups return true until commit. Without updates and with
        each source once, no decision depends on a write of the same batch except "this text was just
        inserted", which ``stored`` tracks. Batches with an update (its old version may have to go, and
        whether it goes depends on the order) or with a source twice go one article at a time
        (:meth:`_put_one`); the outcome is the same either way.
        """
        keys = [a.source.key for a in arts]
        if len(set(keys)) < len(keys):
            return [self._put_one(cur, a, rev) for a in arts]
        prev = {
            r["source_key"]: (r["article_id"], r["content_hash"])
            for r in cur.execute(
                "SELECT source_key, article_id, content_hash FROM sources WHERE source_key = ANY(%s::text[])",
                (keys,),
            )
        }
        stored = {
            r["content_hash"]: r["id"]
            for r in cur.execute(
                "SELECT id, content_hash FROM articles WHERE content_hash = ANY(%s::text[])",
                (list({a.content_hash for a in arts}),),
            )
        }
        out: list[PutOutcome] = []
        fresh: list[Article] = []
        links: list[tuple[str, str, str]] = []
        for a in arts:
            p = prev.get(a.source.key)
            same = stored.get(a.content_hash)
            if p is not None and p[1] == a.content_hash:
                out.append(PutOutcome(p[0], PutStatus.UNCHANGED))
            elif same is not None:
                links.append((a.source.key, same, a.content_hash))
                out.append(PutOutcome(same, PutStatus.DUPLICATE, existing_id=same))
            elif p is not None:  # an update: nothing written yet, so switching paths is free
                return [self._put_one(cur, a, rev) for a in arts]
            else:
                stored[a.content_hash] = a.id
                fresh.append(a)
                links.append((a.source.key, a.id, a.content_hash))
                out.append(PutOutcome(a.id, PutStatus.NEW))
        if fresh:
            cur.executemany(
                _INSERT_ARTICLE, [(*_row(a, rev), _tsvector(a.title or "", a.body)) for a in fresh]
            )
            cur.execute("DELETE FROM deleted_articles WHERE id = ANY(%s::text[])", ([a.id for a in fresh],))
        if links:
            cur.executemany(_UPSERT_SOURCE, links)
        return out

    def _put_one(self, cur: Cursor, a: Article, rev: int) -> PutOutcome:
        """Store one article (the reference behaviour, the same as SQLite's)."""
        key = a.source.key
        prev = cur.execute(
            "SELECT article_id, content_hash FROM sources WHERE source_key = %s", (key,)
        ).fetchone()
        if prev is not None and prev["content_hash"] == a.content_hash:
            return PutOutcome(prev["article_id"], PutStatus.UNCHANGED)
        same = cur.execute("SELECT id FROM articles WHERE content_hash = %s", (a.content_hash,)).fetchone()
        if same is not None:
            cur.execute(_UPSERT_SOURCE, (key, same["id"], a.content_hash))
            return PutOutcome(same["id"], PutStatus.DUPLICATE, existing_id=same["id"])
        cur.execute(_INSERT_ARTICLE, (*_row(a, rev), _tsvector(a.title or "", a.body)))
        cur.execute("DELETE FROM deleted_articles WHERE id = %s", (a.id,))
        cur.execute(_UPSERT_SOURCE, (key, a.id, a.content_hash))
        if prev is None:
            return PutOutcome(a.id, PutStatus.NEW)
        old = prev["article_id"]
        self._lock(cur, "art", [old])  # out of order: a deadlock is detected and the call replayed
        cur.execute(
            "DELETE FROM articles WHERE id = %s AND NOT EXISTS (SELECT 1 FROM sources WHERE article_id = %s)",
            (old, old),
        )
        if cur.rowcount:
            cur.execute(
                "INSERT INTO deleted_articles VALUES (%s, %s) ON CONFLICT (id) DO UPDATE SET rev = excluded.rev",
                (old, rev),
            )
        return PutOutcome(a.id, PutStatus.UPDATED)

    def put_analyses(self, items: Iterable[Analysis]) -> None:
        """Replace the mentions, quotes and analysis state of several articles in one transaction."""
        batch = list(items)  # a replay needs them again
        if not batch:
            return

        def tx(cur: Cursor) -> None:
            self._lock(cur, "art", (an.article_id for an in batch))
            ids = [an.article_id for an in batch]
            found = {
                r["id"] for r in cur.execute("SELECT id FROM articles WHERE id = ANY(%s::text[])", (ids,))
            }
            missing = [i for i in ids if i not in found]
            if missing:
                raise StoreError(redact(self.url), f"no article {missing[0]} to attach an analysis to")
            self._write_analyses(cur, batch, self._next_rev(cur))

        self._write(tx)

    @staticmethod
    def _write_analyses(cur: Cursor, batch: list[Analysis], rev: int) -> None:
        if not batch:
            return
        ids = [an.article_id for an in batch]
        cur.execute("DELETE FROM mentions WHERE article_id = ANY(%s::text[])", (ids,))
        cur.execute("DELETE FROM quotes WHERE article_id = ANY(%s::text[])", (ids,))
        mrows = [mention_values(an.article_id, i, m) for an in batch for i, m in enumerate(an.mentions)]
        qrows = [
            quote_values(an.article_id, i, q, dates_as_text=False)
            for an in batch
            for i, q in enumerate(an.quotes)
        ]
        if mrows:
            cur.executemany(f"INSERT INTO mentions VALUES ({', '.join(['%s'] * 9)})", mrows)
        if qrows:
            cur.executemany(f"INSERT INTO quotes VALUES ({', '.join(['%s'] * 18)})", qrows)
        cur.executemany(
            "UPDATE articles SET analysis = %s, analysis_error = %s, rev = %s WHERE id = %s",
            [(an.state.value, an.error, rev, an.article_id) for an in batch],
        )

    def set_stories(self, assignments: Iterable[StoryAssignment]) -> None:
        """The story fields of many articles in one transaction."""
        rows = list(assignments)
        if rows:
            self._write(lambda cur: self._assign(cur, rows))

    def _assign(self, cur: Cursor, assignments: list[StoryAssignment]) -> None:
        rows = sorted(assignments, key=lambda r: r.article_id)  # the same row order in every writer
        if not rows:
            return
        rev = self._next_rev(cur)
        # only articles whose fields change get a new revision (and so are re-indexed)
        cur.executemany(
            "UPDATE articles SET story_id = %s, storyline_id = %s, duplicate_of = %s, rev = %s WHERE id = %s "
            "AND (story_id IS DISTINCT FROM %s OR storyline_id IS DISTINCT FROM %s "
            "OR duplicate_of IS DISTINCT FROM %s)",
            [(*(f := (r.story_id, r.storyline_id, r.duplicate_of)), rev, r.article_id, *f) for r in rows],
        )

    def write_stories(self, run: StoryWrite) -> None:
        def tx(cur: Cursor) -> None:
            self._assign(cur, run.assignments)
            self._put_stories(cur, run.stories)
            if run.deleted:
                cur.execute("DELETE FROM stories WHERE id = ANY(%s)", (list(run.deleted),))
            for key, value in sorted(run.state.items()):
                self._set_kv(cur, key, value)

        self._write(tx)

    def ids_with_analysis(self, state: AnalysisState, limit: int = 100_000) -> list[str]:
        rows = self._read(
            "SELECT id FROM articles WHERE analysis = %s ORDER BY seq LIMIT %s", (state.value, limit)
        )
        return [str(r["id"]) for r in rows]

    def current_rev(self) -> int:
        rows = self._read("SELECT value FROM kv WHERE key = 'store:rev'")
        return int(rows[0]["value"]) if rows else 0

    def changes_since(self, rev: int, limit: int = 100_000) -> Changes:
        hi = self.current_rev()
        q = "SELECT id, rev FROM articles WHERE rev > %s AND rev <= %s ORDER BY rev, seq"
        rows = self._read(q + " LIMIT %s", (rev, hi, limit + 1))
        if len(rows) > limit:  # stop at a whole revision, so the next call misses nothing
            hi = int(rows[limit - 1]["rev"])
            rows = self._read(q, (rev, hi))
        deleted = self._read(
            "SELECT id FROM deleted_articles WHERE rev > %s AND rev <= %s ORDER BY rev", (rev, hi)
        )
        return Changes(rev=max(hi, rev), ids=[r["id"] for r in rows], deleted=[r["id"] for r in deleted])

    @property
    def index_path(self) -> Path:
        """The search index folder: ``?index=PATH`` in the URL, else ``$MARSAD_INDEX``, else a folder per
        database under ``$XDG_DATA_HOME/marsad`` (``~/.local/share/marsad``)."""
        if self._index:
            return Path(self._index).expanduser()
        if os.environ.get("MARSAD_INDEX"):
            return Path(os.environ["MARSAD_INDEX"]).expanduser()
        parts = urlsplit(self._conninfo)
        name = "-".join(
            x
            for x in (
                parts.hostname or "local",
                str(parts.port or 5432),
                parts.path.strip("/") or "postgres",
                self._schema or "",
            )
            if x
        )
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        return base / "marsad" / "indexes" / (re.sub(r"[^\w.-]+", "_", name) + ".index")

    def put_stories(self, stories: Iterable[Story]) -> None:
        """Insert or replace story records (one transaction)."""
        rows = list(stories)
        if rows:
            self._write(lambda cur: self._put_stories(cur, rows))

    @staticmethod
    def _put_stories(cur: Cursor, stories: Iterable[Story]) -> None:
        rows = [
            (
                st.id,
                st.title,
                _iso(st.first_seen),
                _iso(st.last_seen),
                len(st.article_ids),
                list(st.outlets),
                st.independent_sources,
                list(st.top_entities),
                list(st.summary),
                st.storyline_id,
            )
            for st in stories
        ]
        rows.sort(key=lambda r: r[0])  # the same row order in every writer
        if not rows:
            return
        cols = "id, title, first_seen, last_seen, size, outlets, independent_sources, top_entities, summary, storyline_id"
        sets = ", ".join(f"{c} = excluded.{c}" for c in cols.split(", ")[1:])
        cur.executemany(
            f"INSERT INTO stories ({cols}) VALUES ({', '.join(['%s'] * 10)}) "
            f"ON CONFLICT (id) DO UPDATE SET {sets}, updated_at = now()",
            rows,
        )

    def delete_stories(self, story_ids: Iterable[str]) -> None:
        ids = list(story_ids)
        if not ids:
            return

        def tx(cur: Cursor) -> None:
            cur.execute("DELETE FROM stories WHERE id = ANY(%s)", (ids,))

        self._write(tx)

    def ids_without_story(self, limit: int = 100_000) -> list[str]:
        rows = self._read("SELECT id FROM articles WHERE story_id IS NULL ORDER BY id LIMIT %s", (limit,))
        return [str(r["id"]) for r in rows]

    def set_state(self, key: str, value: str) -> None:
        self._write(lambda cur: self._set_kv(cur, key, value))

    @staticmethod
    def _set_kv(cur: Cursor, key: str, value: str) -> None:
        cur.execute(
            "INSERT INTO kv VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # ---- reads: articles --------------------------------------------------------------------------

    def has_source(self, source_key: str) -> bool:
        return bool(self._read("SELECT 1 FROM sources WHERE source_key = %s", (source_key,)))

    def get_article(self, article_id: str) -> Article | None:
        rows = self._read(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = %s", (article_id,))
        if not rows:
            if len(article_id) < 4:  # too short a prefix to mean one article
                return None
            pattern = article_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._read(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id LIKE %s LIMIT 2", (pattern,))
            if len(rows) != 1:
                return None
        return self._with_analysis([_article(rows[0])])[0]

    def _where(self, flt: ArticleFilter | None) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt is not None:
            for cond, value in (
                ("published_day >= %s", flt.since),
                ("published_day <= %s", flt.until),
                ("outlet = %s", flt.outlet),
                ("story_id = %s", flt.story_id),
            ):
                if value:
                    clauses.append(cond)
                    params.append(value)
        return clauses, params

    def iter_articles(
        self, flt: ArticleFilter | None = None, *, with_analysis: bool = True
    ) -> Iterator[Article]:
        clauses, params = self._where(flt)
        if flt is not None and flt.limit is not None:
            where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
            rows = self._read(
                f"SELECT {_ARTICLE_COLS} FROM articles{where} ORDER BY seq LIMIT %s OFFSET %s",
                [*params, flt.limit, flt.offset],
            )
            arts = [_article(r) for r in rows]
            yield from self._with_analysis(arts) if with_analysis else arts
            return
        last = 0  # keyset pages: no long transaction, no whole table in memory
        while True:
            where = " WHERE " + " AND ".join([*clauses, "seq > %s"])
            rows = self._read(
                f"SELECT seq, {_ARTICLE_COLS} FROM articles{where} ORDER BY seq LIMIT {_CHUNK}",
                [*params, last],
            )
            if not rows:
                return
            last = int(rows[-1]["seq"])
            arts = [_article(r) for r in rows]
            yield from self._with_analysis(arts) if with_analysis else arts

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        clauses, params = self._where(flt)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return int(self._read(f"SELECT count(*) AS n FROM articles{where}", params)[0]["n"])

    def _with_analysis(self, arts: list[Article]) -> list[Article]:
        """Attach mentions and quotes to a page of articles in two queries."""
        if not arts:
            return arts
        ids = [a.id for a in arts]
        ms: dict[str, list[Mention]] = defaultdict(list)
        qs: dict[str, list[Quote]] = defaultdict(list)
        for r in self._read(
            "SELECT * FROM mentions WHERE article_id = ANY(%s::text[]) ORDER BY article_id, seq", (ids,)
        ):
            ms[r["article_id"]].append(mention_from_row(r, start="span_start", end="span_end"))
        for r in self._read(
            "SELECT * FROM quotes WHERE article_id = ANY(%s::text[]) ORDER BY article_id, seq", (ids,)
        ):
            qs[r["article_id"]].append(quote_from_row(r, start="span_start", end="span_end"))
        return [
            replace(a, mentions=tuple(ms[a.id]), quotes=tuple(qs[a.id])) if a.id in ms or a.id in qs else a
            for a in arts
        ]

    def stats(self) -> Stats:
        st = Stats()
        (c,) = self._read(
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM sources) AS sources, "
            "(SELECT count(*) FROM articles WHERE part > 0) AS parts, "
            "(SELECT min(published_day)::text FROM articles) AS lo, (SELECT max(published_day)::text FROM articles) AS hi, "
            "(SELECT count(*) FROM mentions) AS mentions, (SELECT count(*) FROM quotes) AS quotes, "
            "(SELECT count(DISTINCT entity_id) FROM mentions) AS entities, (SELECT count(*) FROM stories) AS stories, "
            "(SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r') AS size"
        )
        st.articles, st.sources, st.parts = int(c["articles"]), int(c["sources"]), int(c["parts"])
        st.first_published, st.last_published = c["lo"], c["hi"]
        st.mentions, st.quotes, st.entities = int(c["mentions"]), int(c["quotes"]), int(c["entities"])
        st.stories, st.size_bytes = int(c["stories"]), int(c["size"])
        st.outlets = {
            r["k"] or "(unknown)": int(r["n"])
            for r in self._read(
                "SELECT outlet AS k, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, k LIMIT 50"
            )
        }
        st.languages = {
            r["k"] or "(unknown)": int(r["n"])
            for r in self._read(
                "SELECT language AS k, count(*) AS n FROM articles GROUP BY language ORDER BY n DESC, k"
            )
        }
        st.schema_version = self.schema_version()
        return st

    # ---- reads: stories and state -----------------------------------------------------------------

    def get_story(self, story_id: str) -> Story | None:
        rows = self._read("SELECT * FROM stories WHERE id = %s", (story_id,))
        return self._story(rows[0]) if rows else None

    def iter_stories(
        self,
        *,
        since: date | None = None,
        min_size: int = 1,
        storyline_id: str | None = None,
        order: str = "recent",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Story]:
        """Stories seen since a day, largest or most recent first."""
        clauses: list[str] = ["size >= %s"]
        params: list[Any] = [min_size]
        if since:
            clauses.append("last_seen >= %s")  # ISO text compares like SQLite's
            params.append(since.isoformat())
        if storyline_id:
            clauses.append("storyline_id = %s")
            params.append(storyline_id)
        recent = "last_seen DESC NULLS LAST"  # where SQLite puts NULLs
        order_by = f"size DESC, {recent}" if order == "size" else f"{recent}, size DESC"
        query = f"SELECT * FROM stories WHERE {' AND '.join(clauses)} ORDER BY {order_by}, id"
        if limit is not None:
            query += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return [self._story(r) for r in self._read(query, params)]

    def count_stories(self, *, min_size: int = 1) -> int:
        return int(self._read("SELECT count(*) AS n FROM stories WHERE size >= %s", (min_size,))[0]["n"])

    def _story(self, r: Row) -> Story:
        ids = tuple(
            x["id"]
            for x in self._read(
                "SELECT id FROM articles WHERE story_id = %s ORDER BY published NULLS FIRST, seq", (r["id"],)
            )
        )
        return Story(
            id=r["id"],
            title=r["title"],
            article_ids=ids,
            first_seen=_dt(r["first_seen"]),
            last_seen=_dt(r["last_seen"]),
            outlets=tuple(r["outlets"]),
            independent_sources=r["independent_sources"],
            top_entities=tuple(r["top_entities"]),
            summary=tuple(r["summary"]),
            storyline_id=r["storyline_id"],
        )

    def get_state(self, key: str) -> str | None:
        """A value a stateful stage saved (e.g. the story clusterer's state)."""
        rows = self._read("SELECT value FROM kv WHERE key = %s", (key,))
        return str(rows[0]["value"]) if rows else None

    # ---- reads: quotes and entities ---------------------------------------------------------------

    def iter_quotes(
        self,
        *,
        speaker_ids: Iterable[str] | None = None,
        stance: str | None = None,
        since: date | None = None,
        until: date | None = None,
        article_id: str | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[QuoteRow]:
        """Quotes with their article's date, outlet and title, oldest first."""
        clauses: list[str] = []
        params: list[Any] = []
        if speaker_ids is not None:
            clauses.append("q.speaker_entity_id = ANY(%s::text[])")
            params.append(list(speaker_ids))
        for cond, value in (
            ("q.stance = %s", stance),
            ("coalesce(q.said_on, a.published_day) >= %s", since),
            ("coalesce(q.said_on, a.published_day) <= %s", until),
            ("q.article_id = %s", article_id),
        ):
            if value:
                clauses.append(cond)
                params.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        query = (
            "SELECT q.*, a.published, a.outlet, a.title AS article_title FROM quotes q "
            f"JOIN articles a ON a.id = q.article_id{where} ORDER BY coalesce(q.said_on, a.published_day) "
            "NULLS FIRST, a.published NULLS FIRST, q.article_id, q.seq"
        )
        if limit is not None:
            query += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return [
            QuoteRow(
                article_id=r["article_id"],
                published=_dt(r["published"]),
                outlet=r["outlet"],
                article_title=r["article_title"],
                quote=quote_from_row(r, start="span_start", end="span_end"),
            )
            for r in self._read(query, params)
        ]

    def entity_mentions(self, entity_id: str) -> list[tuple[str, datetime | None]]:
        """(article id, publication time) of every article that mentions the entity."""
        rows = self._read(
            "SELECT DISTINCT a.id, a.published FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = %s ORDER BY a.published NULLS FIRST, a.id",
            (entity_id,),
        )
        return [(r["id"], _dt(r["published"])) for r in rows]

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Entities most often mentioned in the same articles as ``entity_id``."""
        rows = self._read(
            "SELECT o.entity_id, count(DISTINCT o.article_id) AS n FROM mentions m "
            "JOIN mentions o ON o.article_id = m.article_id AND o.entity_id != m.entity_id "
            "WHERE m.entity_id = %s AND o.entity_id IS NOT NULL GROUP BY o.entity_id "
            "ORDER BY n DESC, o.entity_id LIMIT %s",
            (entity_id, limit),
        )
        return [(r["entity_id"], int(r["n"])) for r in rows]

    def entity_counts(
        self, *, entity_type: str | None = None, limit: int = 100
    ) -> list[tuple[str, str, int]]:
        """(entity id, type, number of articles) for the most mentioned entities."""
        where = "WHERE entity_id IS NOT NULL" + (" AND entity_type = %s" if entity_type else "")
        rows = self._read(
            f"SELECT entity_id, min(entity_type) AS t, count(DISTINCT article_id) AS n FROM mentions {where} "
            "GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT %s",
            [*([entity_type] if entity_type else []), limit],
        )
        return [(r["entity_id"], r["t"], int(r["n"])) for r in rows]

    # ---- full text --------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[tuple[str, float]]:
        """(article id, rank) of articles holding every word of ``query`` (as written or stemmed), best first."""
        tsq = _tsquery(query)
        if not tsq:
            return []
        rows = self._read(
            "SELECT id, ts_rank(search_tokens, q, 1) AS rank FROM articles, CAST(%s AS tsquery) q "
            "WHERE search_tokens @@ q ORDER BY rank DESC, seq LIMIT %s OFFSET %s",
            (tsq, limit, offset),
        )
        return [(r["id"], float(r["rank"])) for r in rows]

    def close(self) -> None:
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


# ---- full text helpers ----------------------------------------------------------------------------

_MAX_POS = 16383  # tsvector positions stop there
_MAX_LEXEME = 500  # characters; PostgreSQL's limit is 2046 bytes


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, str]:
    return strip_clitics(word), light_stem(word)


def _terms(text: str) -> Iterator[tuple[str, str]]:
    """(clitic-free normalized surface, light stem) of each word."""
    for word, _, _ in iter_words(normalize_text(text)):
        if len(word) <= _MAX_LEXEME:
            yield _word_terms(word)


def _tsvector(title: str, body: str) -> str:
    """A tsvector literal: each surface form and its stem at the word's position, title words weight A."""
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for text, weight in ((title, "A"), (body, "")):
        for surface, stem in _terms(text):
            pos = min(pos + 1, _MAX_POS)
            for lex in {surface, stem}:
                if len(positions[lex]) < 256:  # PostgreSQL keeps at most 256 positions per lexeme
                    positions[lex].append(f"{pos}{weight}")
    return " ".join(f"{_lexeme(lex)}:{','.join(ps)}" for lex, ps in positions.items())


def _tsquery(query: str) -> str:
    """Every word must match, as written (clitics removed) or by its stem; stopwords only if alone."""
    words = list(dict.fromkeys(_terms(query)))
    content = [w for w in words if w[0] not in ARABIC_STOPWORDS] or words
    return " & ".join("(" + " | ".join(_lexeme(x) for x in dict.fromkeys((s, t))) + ")" for s, t in content)


# ---- row mapping ----------------------------------------------------------------------------------


def _msg(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _row(a: Article, rev: int) -> tuple[Any, ...]:
    s = a.source
    return (
        a.id,
        a.content_hash,
        s.key,
        s.origin,
        s.member,
        s.record,
        s.part,
        s.char_start,
        s.char_end,
        s.media_type,
        s.encoding,
        a.title,
        a.body,
        a.raw,
        _iso(a.published),
        a.published.date() if a.published else None,
        a.date_text,
        a.outlet,
        a.wire,
        a.url,
        a.author,
        a.category,
        list(a.tags),
        list(a.cited_media),
        a.language,
        a.parent_id,
        a.search_text,
        a.story_id,
        a.storyline_id,
        a.duplicate_of,
        a.analysis.value,
        a.analysis_error,
        rev,
    )


def _article(r: Row) -> Article:
    return Article(
        id=r["id"],
        source=SourceRef(
            origin=r["origin"],
            member=r["member"],
            record=r["record"],
            part=r["part"],
            char_start=r["char_start"] or 0,
            char_end=r["char_end"] or 0,
            media_type=r["media_type"] or "text/plain",
            encoding=r["encoding"],
        ),
        title=r["title"],
        body=r["body"],
        raw=r["raw"] or "",
        published=_dt(r["published"]),
        date_text=r["date_text"],
        outlet=r["outlet"],
        wire=r["wire"],
        url=r["url"],
        author=r["author"],
        category=r["category"],
        tags=tuple(r["tags"]),
        cited_media=tuple(r["cited_media"]),
        language=r["language"],
        parent_id=r["parent_id"],
        search_text=r["search_text"] or "",
        content_hash=r["content_hash"],
        story_id=r["story_id"],
        storyline_id=r["storyline_id"],
        duplicate_of=r["duplicate_of"],
        analysis=AnalysisState(r["analysis"]),
        analysis_error=r["analysis_error"],
    )
