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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from marsad.errors import StoreError
from marsad.model import (
    Article,
    EntityKind,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceRef,
    Speaker,
    SpeakerKind,
    Stance,
)
from marsad.store.base import ArticleFilter, PutOutcome, PutStatus, Stats
from marsad.store.migrations import SQLITE_MIGRATIONS

_ARTICLE_COLS = (
    "id, content_hash, source_key, origin, member, record, part, char_start, char_end, media_type, encoding, title, "
    "body, raw, published, published_day, date_text, outlet, wire, url, author, category, tags, cited_media, "
    "language, parent_id, search_text, story_id, storyline_id, duplicate_of, ingested_at"
)


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
            try:
                for stmt in sql.split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                self.db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # ---- writes ---------------------------------------------------------------------------------

    def put_articles(self, articles: Iterable[Article]) -> list[PutOutcome]:
        arts = list(articles)
        out: list[PutOutcome] = []
        if not arts:
            return out
        self._check_writable()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for a in arts:
                out.append(self._put_one(cur, a))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return out

    def _put_one(self, cur: sqlite3.Cursor, a: Article) -> PutOutcome:
        key = a.source.key
        prev = cur.execute(
            "SELECT article_id, content_hash FROM sources WHERE source_key = ?", (key,)
        ).fetchone()
        if prev is not None and prev["content_hash"] == a.content_hash:
            return PutOutcome(prev["article_id"], PutStatus.UNCHANGED)
        same = cur.execute("SELECT id FROM articles WHERE content_hash = ?", (a.content_hash,)).fetchone()
        now = _now()
        if same is not None:
            cur.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (key, same["id"], a.content_hash, now)
            )
            return PutOutcome(same["id"], PutStatus.DUPLICATE, existing_id=same["id"])
        cur.execute(f"INSERT INTO articles ({_ARTICLE_COLS}) VALUES ({','.join('?' * 31)})", _row(a, now))
        cur.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (key, a.id, a.content_hash, now))
        if prev is not None:
            old = prev["article_id"]
            still_used = cur.execute("SELECT 1 FROM sources WHERE article_id = ? LIMIT 1", (old,)).fetchone()
            if still_used is None:
                cur.execute("DELETE FROM mentions WHERE article_id = ?", (old,))
                cur.execute("DELETE FROM quotes WHERE article_id = ?", (old,))
                cur.execute("DELETE FROM articles WHERE id = ?", (old,))
            return PutOutcome(a.id, PutStatus.UPDATED)
        return PutOutcome(a.id, PutStatus.NEW)

    def put_analysis(self, article_id: str, mentions: Iterable[Mention], quotes: Iterable[Quote]) -> None:
        self.put_analyses([(article_id, list(mentions), list(quotes))])

    def put_analyses(self, items: Iterable[tuple[str, list[Mention], list[Quote]]]) -> None:
        """Replace the mentions and quotes of several articles in one transaction."""
        self._check_writable()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for article_id, mentions, quotes in items:
                cur.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
                cur.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
                cur.executemany(
                    "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            article_id,
                            i,
                            m.start,
                            m.end,
                            m.text,
                            m.kind.value,
                            m.entity_id,
                            m.entity_type.value,
                            m.score,
                        )
                        for i, m in enumerate(mentions)
                    ],
                )
                cur.executemany(
                    "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [_quote_row(article_id, i, q) for i, q in enumerate(quotes)],
                )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def set_stories(self, assignments: Iterable[tuple[str, str | None, str | None, str | None]]) -> None:
        """(article_id, story_id, storyline_id, duplicate_of) for many articles in one transaction."""
        self._check_writable()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany(
                "UPDATE articles SET story_id = ?, storyline_id = ?, duplicate_of = ? WHERE id = ?",
                [(s, sl, d, a) for a, s, sl, d in assignments],
            )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

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
        for row in self.db.execute(sql, params).fetchall():
            art = _article(row)
            yield self._with_analysis(art) if with_analysis else art

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, params = self._where(flt)
        return int(self.db.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])

    def _with_analysis(self, a: Article) -> Article:
        from dataclasses import replace

        ms = [
            _mention(r)
            for r in self.db.execute("SELECT * FROM mentions WHERE article_id = ? ORDER BY seq", (a.id,))
        ]
        qs = [
            _quote(r)
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
        st.stories = int(q("SELECT count(DISTINCT story_id) FROM articles").fetchone()[0])
        st.schema_version = self.schema_version()
        st.size_bytes = sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return st

    def close(self) -> None:
        self.db.close()


# ---- row mapping ----------------------------------------------------------------------------------


def _row(a: Article, now: str) -> tuple[Any, ...]:
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
        a.raw,
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
    )


def _article(r: sqlite3.Row) -> Article:
    return Article(
        id=r["id"],
        source=SourceRef(
            origin=r["origin"],
            member=r["member"],
            part=r["part"],
            char_start=r["char_start"] or 0,
            char_end=r["char_end"] or 0,
            media_type=r["media_type"] or "text/plain",
            encoding=r["encoding"],
        ),
        title=r["title"],
        body=r["body"],
        raw=r["raw"] or "",
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
    )


def _mention(r: sqlite3.Row) -> Mention:
    return Mention(
        start=r["start"],
        end=r["end"],
        text=r["text"],
        kind=MentionKind(r["kind"]),
        entity_id=r["entity_id"],
        entity_type=EntityKind(r["entity_type"]),
        score=r["score"],
    )


def _quote_row(article_id: str, i: int, q: Quote) -> tuple[Any, ...]:
    sp = q.speaker
    return (
        article_id,
        i,
        q.start,
        q.end,
        q.text,
        q.kind.value,
        q.cue,
        q.stance.value,
        sp.text if sp else None,
        sp.kind.value if sp else None,
        sp.entity_id if sp else None,
        sp.name_ar if sp else None,
        sp.name_en if sp else None,
        sp.start if sp else None,
        sp.end if sp else None,
        q.via,
        q.said_on.isoformat() if q.said_on else None,
        int(q.in_headline),
    )


def _quote(r: sqlite3.Row) -> Quote:
    speaker = None
    if r["speaker_kind"]:
        speaker = Speaker(
            text=r["speaker_text"] or "",
            kind=SpeakerKind(r["speaker_kind"]),
            entity_id=r["speaker_entity_id"],
            name_ar=r["speaker_name_ar"],
            name_en=r["speaker_name_en"],
            start=r["speaker_start"],
            end=r["speaker_end"],
        )
    return Quote(
        start=r["start"],
        end=r["end"],
        text=r["text"],
        kind=QuoteKind(r["kind"]),
        cue=r["cue"],
        stance=Stance(r["stance"]),
        speaker=speaker,
        via=r["via"],
        said_on=date.fromisoformat(r["said_on"]) if r["said_on"] else None,
        in_headline=bool(r["in_headline"]),
    )
