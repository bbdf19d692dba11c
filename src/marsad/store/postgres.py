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
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from marsad.errors import DISK_FULL, NOTHING_LOST, StoreDamaged, StoreError, read_only
from marsad.model import Article
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, iter_words, light_stem, strip_clitics
from marsad.store.base import redact
from marsad.store.dialect import POSTGRES
from marsad.store.pg_migrations import PG_MIGRATIONS
from marsad.store.sql import Cursor, SQLStore

T = TypeVar("T")
Row = dict[str, Any]


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


class PostgresStore(SQLStore):
    """The queries are :class:`~marsad.store.sql.SQLStore`'s; this class keeps the connection, replays
    transient failures, takes the advisory locks and writes the search column."""

    dialect = POSTGRES
    latest_schema = max(v for v, _ in PG_MIGRATIONS)
    article_extra = (("search_tokens", "%s::tsvector"),)

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
            reason = _storage_reason(e)
            raise StoreError(redact(url), reason or f"cannot open the PostgreSQL store ({_msg(e)})") from None

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
            reason = _storage_reason(e)
            if reason is not None and reason.startswith("the store is damaged"):
                raise StoreDamaged(redact(self.url), reason) from None
            raise StoreError(
                redact(self.url), reason or f"write failed, nothing stored ({_msg(e)})"
            ) from None

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        def go(conn: psycopg.Connection[Row]) -> list[Row]:
            return conn.execute(query, params).fetchall()

        try:
            return self._run(go)
        except psycopg.Error as e:
            reason = _storage_reason(e)
            if reason is not None and reason.startswith("the store is damaged"):
                raise StoreDamaged(redact(self.url), reason) from None
            raise StoreError(redact(self.url), reason or f"read failed ({_msg(e)})") from None

    @property
    def _label(self) -> str:
        return redact(self.url)

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

    # ---- what differs from the shared queries -----------------------------------------------------------

    def _article_extra_values(self, a: Article) -> tuple[Any, ...]:
        return (_tsvector(a.title or "", a.body),)

    def _size_bytes(self) -> int:
        rows = self._read(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS size FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
        )
        return int(rows[0]["size"])

    def change_stamp(self) -> int | None:
        return None  # no cheap commit counter a reader can poll: web readers do not cache on PostgreSQL

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


# ---- messages ---------------------------------------------------------------------------------------


def _storage_reason(e: BaseException) -> str | None:
    """The plain reason for a server-side storage failure (by SQLSTATE), or None."""
    state = getattr(e, "sqlstate", None) or ""
    if state == "53100":  # disk_full
        return DISK_FULL
    if state in ("53200", "53300"):  # out_of_memory, too_many_connections
        return f"the PostgreSQL server is out of resources ({_msg(e)}): run the same command again later ({NOTHING_LOST})"
    if state == "25006":  # read_only_sql_transaction: a standby, or a read-only database
        return read_only("the PostgreSQL server only accepts reads (a standby or a read-only database)")
    if state in ("55P03", "57014"):  # lock_not_available, query_canceled (lock_timeout/statement_timeout)
        return f"the store is locked by another session ({_msg(e)}): run the same command again when it has finished ({NOTHING_LOST})"
    if state in ("XX001", "XX002"):  # data_corrupted, index_corrupted
        return (
            f"the store is damaged on the server ({_msg(e)}): nothing is written into it; "
            "restore the database from a backup (or reindex the damaged PostgreSQL index) and run `marsad check`"
        )
    return None


def _msg(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
