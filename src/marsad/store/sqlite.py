"""The default store: one SQLite file in WAL mode.

WAL lets readers (the web app) work while one writer ingests. Every ``put_*`` call is one transaction,
so a Ctrl-C or ``kill -9`` loses at most the call in flight and a re-run completes it: sources already
stored with the same content hash are reported as unchanged and skipped.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from marsad.errors import StoreError
from marsad.model import Analysis, AnalysisState, Article, SourceRef, Story, StoryAssignment
from marsad.store.base import ArticleFilter, Changes, PutOutcome, PutStatus, QuoteRow, Stats, StoryWrite
from marsad.store.migrations import SQLITE_MIGRATIONS
from marsad.store.rows import mention_from_row, mention_values, quote_from_row, quote_values

_ARTICLE_COLS = (
    "id, content_hash, source_key, origin, member, record, part, char_start, char_end, media_type, encoding, title, "
    "body, raw, published, published_day, date_text, outlet, wire, url, author, category, tags, cited_media, "
    "language, parent_id, search_text, story_id, storyline_id, duplicate_of, ingested_at, analysis, analysis_error, rev"
)
_N_COLS = 34


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore:
    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
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

    # ---- writes ---------------------------------------------------------------------------------

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

    @staticmethod
    def _next_rev(cur: sqlite3.Cursor) -> int:
        cur.execute("UPDATE kv SET value = CAST(value AS INTEGER) + 1 WHERE key = 'store:rev'")
        return int(cur.execute("SELECT value FROM kv WHERE key = 'store:rev'").fetchone()[0])

    def put_articles(self, articles: Iterable[Article]) -> list[PutOutcome]:
        arts = list(articles)
        out: list[PutOutcome] = []
        if not arts:
            return out
        with self._tx() as cur:
            rev = self._next_rev(cur)
            for a in arts:
                outcome, stored_state = self._put_one(cur, a, rev)
                out.append(outcome)
                if outcome.status in (PutStatus.NEW, PutStatus.UPDATED):
                    self._write_analysis(cur, Analysis.of(a), rev, replace_old=False)
                elif (
                    outcome.status is PutStatus.UNCHANGED
                    and outcome.article_id == a.id
                    and stored_state != AnalysisState.DONE
                    and a.analysis is not AnalysisState.PENDING
                ):
                    self._write_analysis(cur, Analysis.of(a), rev)  # completes an earlier, unfinished run
        return out

    def _put_one(self, cur: sqlite3.Cursor, a: Article, rev: int) -> tuple[PutOutcome, str | None]:
        key = a.source.key
        prev = cur.execute(
            "SELECT s.article_id, s.content_hash, a.analysis FROM sources s "
            "LEFT JOIN articles a ON a.id = s.article_id WHERE s.source_key = ?",
            (key,),
        ).fetchone()
        if prev is not None and prev["content_hash"] == a.content_hash:
            return PutOutcome(prev["article_id"], PutStatus.UNCHANGED), prev["analysis"]
        same = cur.execute("SELECT id FROM articles WHERE content_hash = ?", (a.content_hash,)).fetchone()
        now = _now()
        if same is not None:
            cur.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (key, same["id"], a.content_hash, now)
            )
            return PutOutcome(same["id"], PutStatus.DUPLICATE, existing_id=same["id"]), None
        cur.execute(
            f"INSERT INTO articles ({_ARTICLE_COLS}) VALUES ({','.join('?' * _N_COLS)})", _row(a, now, rev)
        )
        cur.execute("DELETE FROM deleted_articles WHERE id = ?", (a.id,))
        cur.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (key, a.id, a.content_hash, now))
        if prev is not None:
            old = prev["article_id"]
            still_used = cur.execute("SELECT 1 FROM sources WHERE article_id = ? LIMIT 1", (old,)).fetchone()
            if still_used is None:
                cur.execute("DELETE FROM mentions WHERE article_id = ?", (old,))
                cur.execute("DELETE FROM quotes WHERE article_id = ?", (old,))
                cur.execute("DELETE FROM articles WHERE id = ?", (old,))
                cur.execute("INSERT OR REPLACE INTO deleted_articles VALUES (?, ?)", (old, rev))
            return PutOutcome(a.id, PutStatus.UPDATED), None
        return PutOutcome(a.id, PutStatus.NEW), None

    def _write_analysis(
        self, cur: sqlite3.Cursor, an: Analysis, rev: int, *, replace_old: bool = True
    ) -> None:
        if replace_old:
            cur.execute("DELETE FROM mentions WHERE article_id = ?", (an.article_id,))
            cur.execute("DELETE FROM quotes WHERE article_id = ?", (an.article_id,))
        cur.executemany(
            "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?)",
            [mention_values(an.article_id, i, m) for i, m in enumerate(an.mentions)],
        )
        cur.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [quote_values(an.article_id, i, q, dates_as_text=True) for i, q in enumerate(an.quotes)],
        )
        cur.execute(
            "UPDATE articles SET analysis = ?, analysis_error = ?, rev = ? WHERE id = ?",
            (an.state.value, an.error, rev, an.article_id),
        )

    def put_analyses(self, items: Iterable[Analysis]) -> None:
        """Replace the mentions, quotes and analysis state of several articles in one transaction."""
        batch = list(items)
        if not batch:
            return
        with self._tx() as cur:
            rev = self._next_rev(cur)
            for an in batch:
                if cur.execute("SELECT 1 FROM articles WHERE id = ?", (an.article_id,)).fetchone() is None:
                    raise StoreError(str(self.path), f"no article {an.article_id} to attach an analysis to")
                self._write_analysis(cur, an, rev)

    def set_stories(self, assignments: Iterable[StoryAssignment]) -> None:
        """The story fields of many articles in one transaction."""
        with self._tx() as cur:
            self._assign(cur, list(assignments))

    def _assign(self, cur: sqlite3.Cursor, rows: list[StoryAssignment]) -> None:
        if not rows:
            return
        rev = self._next_rev(cur)
        # only articles whose fields change get a new revision (and so are re-indexed)
        cur.executemany(
            "UPDATE articles SET story_id = ?, storyline_id = ?, duplicate_of = ?, rev = ? WHERE id = ? "
            "AND (story_id IS NOT ? OR storyline_id IS NOT ? OR duplicate_of IS NOT ?)",
            [(*(f := (r.story_id, r.storyline_id, r.duplicate_of)), rev, r.article_id, *f) for r in rows],
        )

    def write_stories(self, run: StoryWrite) -> None:
        with self._tx() as cur:
            self._assign(cur, run.assignments)
            self._put_stories(cur, run.stories)
            cur.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in run.deleted])
            cur.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?)", list(run.state.items()))

    def ids_with_analysis(self, state: AnalysisState, limit: int = 100_000) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM articles WHERE analysis = ? ORDER BY rowid LIMIT ?", (state.value, limit)
        )
        return [r[0] for r in rows]

    def current_rev(self) -> int:
        row = self.db.execute("SELECT value FROM kv WHERE key = 'store:rev'").fetchone()
        return int(row[0]) if row is not None else 0

    def changes_since(self, rev: int, limit: int = 100_000) -> Changes:
        hi = self.current_rev()
        q = "SELECT id, rev FROM articles WHERE rev > ? AND rev <= ? ORDER BY rev, rowid"
        rows = self.db.execute(q + " LIMIT ?", (rev, hi, limit + 1)).fetchall()
        if len(rows) > limit:  # stop at a whole revision, so the next call misses nothing
            hi = int(rows[limit - 1][1])
            rows = self.db.execute(q, (rev, hi)).fetchall()
        deleted = self.db.execute(
            "SELECT id FROM deleted_articles WHERE rev > ? AND rev <= ? ORDER BY rev", (rev, hi)
        ).fetchall()
        return Changes(rev=max(hi, rev), ids=[r[0] for r in rows], deleted=[r[0] for r in deleted])

    @property
    def index_path(self) -> Path:
        """``marsad.db`` → ``marsad.db.index`` (beside the store, so both move together)."""
        return self.path.with_name(self.path.name + ".index")

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(str(self.path), "store opened read-only")

    # ---- reads ----------------------------------------------------------------------------------

    def has_source(self, source_key: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM sources WHERE source_key = ?", (source_key,)).fetchone()
            is not None
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            rows = self.db.execute(
                f"SELECT {_ARTICLE_COLS} FROM articles WHERE id LIKE ? LIMIT 2", (article_id + "%",)
            ).fetchall()
            if len(rows) != 1 or len(article_id) < 4:
                return None
            row = rows[0]
        return self._with_analysis(_article(row))

    def _where(self, flt: ArticleFilter | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt is not None:
            if flt.since:
                clauses.append("published_day >= ?")
                params.append(flt.since.isoformat())
            if flt.until:
                clauses.append("published_day <= ?")
                params.append(flt.until.isoformat())
            if flt.outlet:
                clauses.append("outlet = ?")
                params.append(flt.outlet)
            if flt.story_id:
                clauses.append("story_id = ?")
                params.append(flt.story_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def iter_articles(
        self, flt: ArticleFilter | None = None, *, with_analysis: bool = True
    ) -> Iterator[Article]:
        where, params = self._where(flt)
        sql = f"SELECT {_ARTICLE_COLS} FROM articles{where} ORDER BY rowid"
        if flt is not None and flt.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [flt.limit, flt.offset]
        cur = self.db.execute(sql, params)
        while rows := cur.fetchmany(500):  # a cursor, not the whole table in memory
            for row in rows:
                art = _article(row)
                yield self._with_analysis(art) if with_analysis else art

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, params = self._where(flt)
        return int(self.db.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])

    def _with_analysis(self, a: Article) -> Article:
        from dataclasses import replace

        ms = [
            mention_from_row(r)
            for r in self.db.execute("SELECT * FROM mentions WHERE article_id = ? ORDER BY seq", (a.id,))
        ]
        qs = [
            quote_from_row(r)
            for r in self.db.execute("SELECT * FROM quotes WHERE article_id = ? ORDER BY seq", (a.id,))
        ]
        return replace(a, mentions=tuple(ms), quotes=tuple(qs)) if ms or qs else a

    def stats(self) -> Stats:
        st = Stats()
        q = self.db.execute
        st.articles = int(q("SELECT count(*) FROM articles").fetchone()[0])
        st.sources = int(q("SELECT count(*) FROM sources").fetchone()[0])
        st.parts = int(q("SELECT count(*) FROM articles WHERE part > 0").fetchone()[0])
        st.outlets = {
            r[0] or "(unknown)": r[1]
            for r in q(
                "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC LIMIT 50"
            )
        }
        st.languages = {
            r[0] or "(unknown)": r[1]
            for r in q("SELECT language, count(*) FROM articles GROUP BY language ORDER BY count(*) DESC")
        }
        lo, hi = q("SELECT min(published_day), max(published_day) FROM articles").fetchone()
        st.first_published, st.last_published = lo, hi
        st.mentions = int(q("SELECT count(*) FROM mentions").fetchone()[0])
        st.quotes = int(q("SELECT count(*) FROM quotes").fetchone()[0])
        st.entities = int(q("SELECT count(DISTINCT entity_id) FROM mentions").fetchone()[0])
        st.stories = int(q("SELECT count(*) FROM stories").fetchone()[0])
        st.schema_version = self.schema_version()
        st.size_bytes = sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return st

    # ---- stories --------------------------------------------------------------------------------

    def put_stories(self, stories: Iterable[Story]) -> None:
        """Insert or replace story records (one transaction)."""
        with self._tx() as cur:
            self._put_stories(cur, stories)

    @staticmethod
    def _put_stories(cur: sqlite3.Cursor, stories: Iterable[Story]) -> None:
        now = _now()
        rows = [
            (
                st.id,
                st.title,
                _iso(st.first_seen),
                _iso(st.last_seen),
                len(st.article_ids),
                json.dumps(list(st.outlets), ensure_ascii=False),
                st.independent_sources,
                json.dumps(list(st.top_entities), ensure_ascii=False),
                json.dumps(list(st.summary), ensure_ascii=False),
                st.storyline_id,
                now,
            )
            for st in stories
        ]
        cur.executemany("INSERT OR REPLACE INTO stories VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)

    def get_story(self, story_id: str) -> Story | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return self._story(row) if row is not None else None

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
        clauses: list[str] = ["size >= ?"]
        params: list[Any] = [min_size]
        if since:
            clauses.append("last_seen >= ?")
            params.append(since.isoformat())
        if storyline_id:
            clauses.append("storyline_id = ?")
            params.append(storyline_id)
        order_by = "size DESC, last_seen DESC" if order == "size" else "last_seen DESC, size DESC"
        sql = f"SELECT * FROM stories WHERE {' AND '.join(clauses)} ORDER BY {order_by}, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [self._story(r) for r in self.db.execute(sql, params)]

    def count_stories(self, *, min_size: int = 1) -> int:
        return int(self.db.execute("SELECT count(*) FROM stories WHERE size >= ?", (min_size,)).fetchone()[0])

    def _story(self, r: sqlite3.Row) -> Story:
        ids = tuple(
            x[0]
            for x in self.db.execute(
                "SELECT id FROM articles WHERE story_id = ? ORDER BY published, rowid", (r["id"],)
            )
        )
        return Story(
            id=r["id"],
            title=r["title"],
            article_ids=ids,
            first_seen=datetime.fromisoformat(r["first_seen"]) if r["first_seen"] else None,
            last_seen=datetime.fromisoformat(r["last_seen"]) if r["last_seen"] else None,
            outlets=tuple(json.loads(r["outlets"])),
            independent_sources=r["independent_sources"],
            top_entities=tuple(json.loads(r["top_entities"])),
            summary=tuple(json.loads(r["summary"])),
            storyline_id=r["storyline_id"],
        )

    def delete_stories(self, story_ids: Iterable[str]) -> None:
        """Remove story records (stories merged into others)."""
        ids = [(i,) for i in story_ids]
        if ids:
            with self._tx() as cur:
                cur.executemany("DELETE FROM stories WHERE id = ?", ids)

    def ids_without_story(self, limit: int = 100_000) -> list[str]:
        """Stored articles the story stage has not seen (e.g. after an interrupted ingest)."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE story_id IS NULL ORDER BY rowid LIMIT ?", (limit,)
        )
        return [r[0] for r in rows]

    def get_state(self, key: str) -> str | None:
        """A value a stateful stage saved (e.g. the story clusterer's state)."""
        row = self.db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row is not None else None

    def set_state(self, key: str, value: str) -> None:
        with self._tx() as cur:
            cur.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, value))

    # ---- quotes and entities --------------------------------------------------------------------

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
            ids = list(speaker_ids)
            clauses.append(f"q.speaker_entity_id IN ({','.join('?' * len(ids))})" if ids else "0")
            params += ids
        if stance:
            clauses.append("q.stance = ?")
            params.append(stance)
        if since:
            clauses.append("coalesce(q.said_on, a.published_day) >= ?")
            params.append(since.isoformat())
        if until:
            clauses.append("coalesce(q.said_on, a.published_day) <= ?")
            params.append(until.isoformat())
        if article_id:
            clauses.append("q.article_id = ?")
            params.append(article_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = (
            "SELECT q.*, a.published, a.outlet, a.title AS article_title FROM quotes q JOIN articles a ON a.id = q.article_id"
            f"{where} ORDER BY coalesce(q.said_on, a.published_day), a.published, q.article_id, q.seq"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [
            QuoteRow(
                article_id=r["article_id"],
                published=datetime.fromisoformat(r["published"]) if r["published"] else None,
                outlet=r["outlet"],
                article_title=r["article_title"],
                quote=quote_from_row(r),
            )
            for r in self.db.execute(sql, params)
        ]

    def entity_mentions(self, entity_id: str) -> list[tuple[str, datetime | None]]:
        """(article id, publication time) of every article that mentions the entity."""
        rows = self.db.execute(
            "SELECT DISTINCT a.id, a.published FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? ORDER BY a.published",
            (entity_id,),
        )
        return [(r[0], datetime.fromisoformat(r[1]) if r[1] else None) for r in rows]

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Entities most often mentioned in the same articles as ``entity_id``."""
        rows = self.db.execute(
            "SELECT o.entity_id, count(DISTINCT o.article_id) AS n FROM mentions m "
            "JOIN mentions o ON o.article_id = m.article_id AND o.entity_id != m.entity_id "
            "WHERE m.entity_id = ? AND o.entity_id IS NOT NULL GROUP BY o.entity_id ORDER BY n DESC, o.entity_id LIMIT ?",
            (entity_id, limit),
        )
        return [(r[0], int(r[1])) for r in rows]

    def entity_counts(
        self, *, entity_type: str | None = None, limit: int = 100
    ) -> list[tuple[str, str, int]]:
        """(entity id, type, number of articles) for the most mentioned entities."""
        where, params = (
            ("WHERE entity_id IS NOT NULL" + (" AND entity_type = ?" if entity_type else "")),
            ([entity_type] if entity_type else []),
        )
        rows = self.db.execute(
            f"SELECT entity_id, entity_type, count(DISTINCT article_id) AS n FROM mentions {where} "
            "GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT ?",
            [*params, limit],
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    def close(self) -> None:
        self.db.close()


# ---- row mapping ----------------------------------------------------------------------------------


def _row(a: Article, now: str, rev: int) -> tuple[Any, ...]:
    s = a.source
    pub = a.published.isoformat() if a.published else None
    day = a.published.date().isoformat() if a.published else None
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
        None if a.raw == a.body else a.raw,  # most structured inputs: raw text is the body; store it once
        pub,
        day,
        a.date_text,
        a.outlet,
        a.wire,
        a.url,
        a.author,
        a.category,
        json.dumps(list(a.tags), ensure_ascii=False),
        json.dumps(list(a.cited_media), ensure_ascii=False),
        a.language,
        a.parent_id,
        a.search_text,
        a.story_id,
        a.storyline_id,
        a.duplicate_of,
        now,
        a.analysis.value,
        a.analysis_error,
        rev,
    )


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _article(r: sqlite3.Row) -> Article:
    return Article(
        id=r["id"],
        source=SourceRef(
            origin=r["origin"],
            member=r["member"],
            record=r["record"],  # part of source.key: without it a re-read article has another key
            part=r["part"],
            char_start=r["char_start"] or 0,
            char_end=r["char_end"] or 0,
            media_type=r["media_type"] or "text/plain",
            encoding=r["encoding"],
        ),
        title=r["title"],
        body=r["body"],
        raw=r["body"] if r["raw"] is None else r["raw"],
        published=datetime.fromisoformat(r["published"]) if r["published"] else None,
        date_text=r["date_text"],
        outlet=r["outlet"],
        wire=r["wire"],
        url=r["url"],
        author=r["author"],
        category=r["category"],
        tags=tuple(json.loads(r["tags"] or "[]")),
        cited_media=tuple(json.loads(r["cited_media"] or "[]")),
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
