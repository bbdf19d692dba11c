"""The store's queries, written once for SQLite and PostgreSQL.

:class:`SQLStore` holds every read and write of the :class:`~marsad.store.base.Store` protocol as SQL both
databases run; a :class:`Dialect` fills in the few places where they spell things differently (the
placeholder, "one of a list", list and date values, the null-safe inequality, the column that keeps
insertion order). The backends supply only what really differs: connections and transactions
(:meth:`SQLStore._read`, :meth:`SQLStore._write`), PostgreSQL's advisory locks (:meth:`SQLStore._lock`) and
search column, migrations and the size on disk.

Both databases take ``INSERT … ON CONFLICT (key) DO UPDATE`` (SQLite since 3.24) and ``NULLS FIRST``/``NULLS
LAST`` (SQLite since 3.30): those are written out as they are, not through the dialect.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any, Protocol, TypeVar

from marsad.errors import StoreError
from marsad.model import Analysis, AnalysisState, Article, Mention, Quote, Story, StoryAssignment
from marsad.store.base import (
    AlertHit,
    AlertRule,
    ArticleFilter,
    Changes,
    DocumentMark,
    ListFilter,
    OutletCount,
    PutOutcome,
    PutStatus,
    QuoteRow,
    Stats,
    StorylineCount,
    StoryWrite,
)
from marsad.store.dialect import Dialect
from marsad.store.packing import pack, unpack
from marsad.store.rows import (
    ARTICLE_COLS,
    STORY_COLS,
    article_from_row,
    article_values,
    mention_from_row,
    mention_values,
    quote_from_row,
    quote_values,
    story_from_row,
    story_values,
)
from marsad.store.schema import ENTITY_TYPE_CODES, MENTION_KIND_CODES, state_table

T = TypeVar("T")
Row = Mapping[str, Any]
_MENTION_KIND = {v: i for i, v in enumerate(MENTION_KIND_CODES)}
_ENTITY_TYPE = {v: i for i, v in enumerate(ENTITY_TYPE_CODES)}
_PENDING = AnalysisState.PENDING
_STORED = (PutStatus.NEW, PutStatus.UPDATED)  # outcomes that inserted the article

PAGE = 500  # rows per round trip when listing without a limit
STATE_PAGE = 20_000  # state rows are small


def document_id(key: str) -> int:
    """The ``documents`` key of an input document's place: a signed 64-bit hash of it (schema v14 on SQLite, v13 on PostgreSQL)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Cursor(Protocol):
    """What the shared code needs of a DB-API cursor (``sqlite3.Cursor``, ``psycopg.Cursor``)."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, query: str, params: Any = ..., /) -> Any: ...

    def executemany(self, query: str, params: Any, /) -> Any: ...


class SQLStore:
    """Every method of :class:`~marsad.store.base.Store` that is the same SQL on every backend."""

    dialect: Dialect
    latest_schema: int  # the version this code's migrations bring a store to
    # more article columns a backend fills on insert: (column, SQL taking one placeholder)
    article_extra: tuple[tuple[str, str], ...] = ()
    # bytes an article row keeps free (``articles.story_room``, zeros) for the story fields the story stage
    # writes after the insert; 0: the backend keeps no room
    story_room = 0

    # ---- what a backend supplies --------------------------------------------------------------------

    @property
    def _label(self) -> str:
        """The store as messages name it (no password)."""
        raise NotImplementedError

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a query (mappings by column name)."""
        raise NotImplementedError

    def _write(self, fn: Callable[[Cursor], T]) -> T:
        """``fn`` in one write transaction."""
        raise NotImplementedError

    def _lock(self, cur: Cursor, kind: str, names: Iterable[str]) -> None:
        """Lock what the transaction is about to decide on (a single-writer backend needs nothing)."""

    def _article_extra_values(self, a: Article) -> tuple[Any, ...]:
        return ()

    def _size_bytes(self) -> int:
        raise NotImplementedError

    def _pages(self, query: str, params: list[Any]) -> Iterator[list[Any]]:
        """The rows of an article listing, a page at a time. ``query`` ends in ``{order} > {param} ORDER BY
        {order}`` and selects the order column as ``_seq``: keyset pages, so no transaction stays open and
        no table is held in memory."""
        last = 0
        while True:
            rows = self._read(f"{query} LIMIT {PAGE}", [*params, last])
            if not rows:
                return
            last = int(rows[-1]["_seq"])
            yield rows

    # ---- SQL built once ------------------------------------------------------------------------------

    @cached_property
    def _sql_insert_article(self) -> str:
        d = self.dialect
        extra = dict(self.article_extra)
        return d.insert(
            "articles", (*ARTICLE_COLS, "ingested_at", *extra), exprs={"ingested_at": d.now, **extra}
        )

    @cached_property
    def _sql_upsert_source(self) -> str:
        # a source's content hash is its article's: read from there, not stored again (schema v12 / v11)
        cols = ("source_key", "article_id", "content_hash", "seen_at")
        exprs = {"content_hash": "''", "seen_at": self.dialect.now}
        return self.dialect.insert("sources", cols, key="source_key", exprs=exprs)

    @cached_property
    def _select_articles(self) -> str:
        return f"SELECT {', '.join(ARTICLE_COLS)} FROM articles"

    # ---- writes --------------------------------------------------------------------------------------

    def _next_rev(self, cur: Cursor) -> int:
        """The next store revision. The row lock the update takes orders revisions by commit."""
        cur.execute("UPDATE kv SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'store:rev'")
        row = cur.execute("SELECT value FROM kv WHERE key = 'store:rev'").fetchone()
        return int(row["value"]) if row is not None else 0

    def put_articles(
        self, articles: Iterable[Article], documents: Iterable[DocumentMark] = ()
    ) -> list[PutOutcome]:
        arts, marks = list(articles), list(documents)  # a replay needs them again
        if not arts:
            if marks:
                self._write(lambda cur: self._write_documents(cur, marks))
            return []
        d, done = self.dialect, AnalysisState.DONE.value

        def tx(cur: Cursor) -> list[PutOutcome]:
            self._lock(cur, "src", (a.source.key for a in arts))
            self._lock(cur, "art", (a.id for a in arts))
            rev = self._next_rev(cur)
            out = self._put_batch(cur, arts, rev)
            fresh = [Analysis.of(a) for a, o in zip(arts, out, strict=True) if o.status in _STORED]
            # an unchanged source whose stored analysis is unfinished gets the incoming one
            maybe = [
                a
                for a, o in zip(arts, out, strict=True)
                if o.status is PutStatus.UNCHANGED and o.article_id == a.id and a.analysis is not _PENDING
            ]
            state = (  # the stored analysis state of each (none: replaced later in this batch)
                {
                    r["id"]: r["analysis"]
                    for r in cur.execute(
                        f"SELECT id, analysis FROM articles WHERE {d.any_of('id')}",
                        (d.encode_list(a.id for a in maybe),),
                    )
                }
                if maybe
                else {}
            )
            again: list[Analysis] = []
            for a in maybe:
                if state.get(a.id, done) != done:
                    again.append(Analysis.of(a))
                    state[a.id] = a.analysis.value  # as if written now: a later copy sees it
            texts = {a.id: (a.title, a.body) for a in arts}  # a stored copy has the same text
            self._write_analyses(cur, fresh, rev, replace_old=False, texts=texts)
            self._write_analyses(cur, again, rev, texts=texts)
            self._write_documents(cur, marks)
            return out

        return self._write(tx)

    def _write_documents(self, cur: Cursor, marks: list[DocumentMark]) -> None:
        """Record the input documents whose articles this transaction stores; forget the others named."""
        if not marks:
            return
        d = self.dialect
        last = {document_id(m.key): m for m in marks}  # a document read twice in a batch: the last reading
        self._lock(cur, "doc", (str(i) for i in last))
        keep = [(i, m.raw_hash, "\n".join(m.parts)) for i, m in last.items() if m.raw_hash is not None]
        drop = [i for i, m in last.items() if m.raw_hash is None]
        if keep:
            cur.executemany(d.insert("documents", ("doc", "raw_hash", "parts"), key="doc"), keep)
        if drop:
            cur.execute(f"DELETE FROM documents WHERE {d.any_of_int('doc')}", (d.encode_list(drop),))

    def _put_batch(self, cur: Cursor, arts: list[Article], rev: int) -> list[PutOutcome]:
        """Decide every status from two look-ups, then write in bulk: a handful of round trips a batch.

        What the look-ups return stays true until commit (the backend's write lock, or the advisory locks
        taken above). Without updates and with each source once, no decision depends on a write of the
        same batch except "this text was just inserted", which ``stored`` tracks. Batches with an update
        (its old version may have to go, and whether it goes depends on the order) or with a source twice
        go one article at a time (:meth:`_put_one`); the outcome is the same either way.
        """
        d = self.dialect
        keys = [a.source.key for a in arts]
        if len(set(keys)) < len(keys):
            return [self._put_one(cur, a, rev) for a in arts]
        prev = {
            r["source_key"]: (r["article_id"], r["content_hash"])
            for r in cur.execute(
                "SELECT s.source_key, s.article_id, a.content_hash FROM sources s "
                f"JOIN articles a ON a.id = s.article_id WHERE {d.any_of('s.source_key')}",
                (d.encode_list(keys),),
            )
        }
        hashes = {a.content_hash for a in arts if prev.get(a.source.key, ("", ""))[1] != a.content_hash}
        stored = (  # where each text that is not unchanged is stored already
            {
                r["content_hash"]: r["id"]
                for r in cur.execute(
                    f"SELECT id, content_hash FROM articles WHERE {d.any_of('content_hash')}",
                    (d.encode_list(hashes),),
                )
            }
            if hashes
            else {}
        )
        out: list[PutOutcome] = []
        fresh: list[Article] = []
        links: list[tuple[str, str]] = []
        for a in arts:
            p = prev.get(a.source.key)
            same = stored.get(a.content_hash)
            if p is not None and p[1] == a.content_hash:
                out.append(PutOutcome(p[0], PutStatus.UNCHANGED))
            elif same is not None:
                links.append((a.source.key, same))
                out.append(PutOutcome(same, PutStatus.DUPLICATE, existing_id=same))
            elif p is not None:  # an update: nothing written yet, so switching paths is free
                return [self._put_one(cur, a, rev) for a in arts]
            else:
                stored[a.content_hash] = a.id
                fresh.append(a)
                links.append((a.source.key, a.id))
                out.append(PutOutcome(a.id, PutStatus.NEW))
        if fresh:
            cur.executemany(
                self._sql_insert_article,
                [(*article_values(a, rev, d), *self._article_extra_values(a)) for a in fresh],
            )
            cur.execute(
                f"DELETE FROM deleted_articles WHERE {d.any_of('id')}", (d.encode_list(a.id for a in fresh),)
            )
        if links:
            cur.executemany(self._sql_upsert_source, links)
        return out

    def _put_one(self, cur: Cursor, a: Article, rev: int) -> PutOutcome:
        """Store one article: the reference behaviour."""
        d, p = self.dialect, self.dialect.param
        key = a.source.key
        prev = cur.execute(
            "SELECT s.article_id, a.content_hash FROM sources s JOIN articles a ON a.id = s.article_id "
            f"WHERE s.source_key = {p}",
            (key,),
        ).fetchone()
        if prev is not None and prev["content_hash"] == a.content_hash:
            return PutOutcome(prev["article_id"], PutStatus.UNCHANGED)
        same = cur.execute(f"SELECT id FROM articles WHERE content_hash = {p}", (a.content_hash,)).fetchone()
        if same is not None:
            cur.execute(self._sql_upsert_source, (key, same["id"]))
            return PutOutcome(same["id"], PutStatus.DUPLICATE, existing_id=same["id"])
        cur.execute(self._sql_insert_article, (*article_values(a, rev, d), *self._article_extra_values(a)))
        cur.execute(f"DELETE FROM deleted_articles WHERE id = {p}", (a.id,))
        cur.execute(self._sql_upsert_source, (key, a.id))
        if prev is None:
            return PutOutcome(a.id, PutStatus.NEW)
        old = prev["article_id"]
        self._lock(cur, "art", [old])  # out of order: a deadlock is detected and the call replayed
        cur.execute(  # the old version goes unless another source still claims it (mentions, quotes cascade)
            f"DELETE FROM articles WHERE id = {p} AND NOT EXISTS (SELECT 1 FROM sources WHERE article_id = {p})",
            (old, old),
        )
        if cur.rowcount:
            cur.execute(d.insert("deleted_articles", ("id", "rev"), key="id"), (old, rev))
        return PutOutcome(a.id, PutStatus.UPDATED)

    def put_analyses(self, items: Iterable[Analysis]) -> None:
        """Replace the mentions, quotes and analysis state of several articles in one transaction."""
        batch = list(items)  # a replay needs them again
        if not batch:
            return
        d = self.dialect

        def tx(cur: Cursor) -> None:
            ids = [an.article_id for an in batch]
            self._lock(cur, "art", ids)
            found = {
                r["id"]: (r["title"], unpack(r["body"]))
                for r in cur.execute(
                    f"SELECT id, title, body FROM articles WHERE {d.any_of('id')}", (d.encode_list(ids),)
                )
            }
            missing = [i for i in ids if i not in found]
            if missing:
                raise StoreError(self._label, f"no article {missing[0]} to attach an analysis to")
            self._write_analyses(cur, batch, self._next_rev(cur), texts=found)

        self._write(tx)

    def _write_analyses(
        self,
        cur: Cursor,
        batch: list[Analysis],
        rev: int,
        *,
        texts: Mapping[str, tuple[str | None, str]],
        replace_old: bool = True,
    ) -> None:
        """Mentions, quotes and state of each article (the last analysis of an article given twice wins).
        ``texts``: (title, body) of the articles, which the texts of mentions and quotes are read from
        where they can be. ``replace_old=False``: the articles were just inserted with this state and hold
        nothing yet."""
        d, p = self.dialect, self.dialect.param
        batch = list({an.article_id: an for an in batch}.values())
        if not batch:
            return
        ids = d.encode_list(an.article_id for an in batch)
        if replace_old:
            cur.execute(f"DELETE FROM mention_rows WHERE article_seq IN {self._seqs}", (ids,))
            cur.execute(f"DELETE FROM quote_rows WHERE article_seq IN {self._seqs}", (ids,))
        mrows = [
            mention_values(an.article_id, i, m, texts[an.article_id][1])
            for an in batch
            for i, m in enumerate(an.mentions)
        ]
        seqs = {  # the articles' numbers, which mention and quote rows name them by
            r["id"]: int(r["seq"])
            for r in cur.execute(f"SELECT id, seq FROM articles WHERE {d.any_of('id')}", (ids,))
        }
        if mrows:  # as mention_rows keeps them: the article and entity as numbers, kind and type as codes
            keys = self._entity_keys(cur, {r[6] for r in mrows if r[6] is not None})
            mrows = [
                (
                    seqs[r[0]],
                    *r[1:5],
                    _MENTION_KIND[r[5]],
                    None if r[6] is None else keys[r[6]],
                    _ENTITY_TYPE[r[7]],
                    r[8],
                )
                for r in mrows
            ]
        qrows = [
            quote_values(an.article_id, i, q, texts[an.article_id], dates_as_text=d.dates_as_text)
            for an in batch
            for i, q in enumerate(an.quotes)
        ]
        if mrows:
            cur.executemany(f"INSERT INTO mention_rows VALUES ({d.params(9)})", mrows)
        if qrows:
            cur.executemany(
                f"INSERT INTO quote_rows VALUES ({d.params(19)})", [(seqs[r[0]], *r[1:]) for r in qrows]
            )
        if replace_old:
            cur.executemany(
                f"UPDATE articles SET analysis = {p}, analysis_error = {p}, rev = {p} WHERE id = {p}",
                [(an.state.value, an.error, rev, an.article_id) for an in batch],
            )

    # Entity filters read ``mention_rows`` by entity number (its index), the keys given turned into numbers
    # first: through the ``mentions`` view every row would be joined to its key before the test.
    @cached_property
    def _seqs(self) -> str:
        """``(numbers of the articles whose ids are in the list bound to one placeholder)``."""
        return f"(SELECT seq FROM articles WHERE {self.dialect.any_of('id')})"

    @cached_property
    def _keyed(self) -> str:
        """``(numbers of the entity keys in the list bound to one placeholder)``."""
        return f"(SELECT id FROM entity_keys WHERE {self.dialect.any_of('key')})"

    @cached_property
    def _key_id(self) -> str:
        return f"(SELECT id FROM entity_keys WHERE key = {self.dialect.param})"

    def _entity_keys(self, cur: Cursor, keys: Iterable[str]) -> dict[str, int]:
        """The number of each entity key in ``entity_keys``, adding the keys it lacks. Looked up in every
        transaction (never cached): a number given out in a transaction that rolls back is given again."""
        d = self.dialect
        want = sorted(keys)  # one order for every writer
        if not want:
            return {}
        sql = f"SELECT id, key FROM entity_keys WHERE {d.any_of('key')}"
        found = {r["key"]: int(r["id"]) for r in cur.execute(sql, (d.encode_list(want),))}
        missing = [k for k in want if k not in found]
        if missing:
            cur.executemany(
                d.insert("entity_keys", ("key",)) + " ON CONFLICT (key) DO NOTHING", [(k,) for k in missing]
            )
            found.update((r["key"], int(r["id"])) for r in cur.execute(sql, (d.encode_list(missing),)))
        return found

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
        p, ne = self.dialect.param, self.dialect.not_equal
        room = f", story_room = {self._room_sql}" if self.story_room else ""
        # only articles whose fields change get a new revision (and so are re-indexed)
        cur.executemany(
            f"UPDATE articles SET story_id = {p}, storyline_id = {p}, duplicate_of = {p}, rev = {p}{room} "
            f"WHERE id = {p} AND (story_id {ne} {p} OR storyline_id {ne} {p} OR duplicate_of {ne} {p})",
            [
                (*(f := (r.story_id, r.storyline_id, r.duplicate_of)), rev, *self._room(*f), r.article_id, *f)
                for r in rows
            ],
        )

    # The room an article row keeps for its story fields: what of ``story_room`` they do not use yet, so the
    # row keeps its size as they are written (a row that grows no longer fits its page, which splits: a
    # store built in batches had a sixth of its article pages empty). Only rows that have the column set
    # (written since it exists) keep room: an older row is not made larger.
    @cached_property
    def _room_sql(self) -> str:
        return f"CASE WHEN story_room IS NOT NULL THEN zeroblob({self.dialect.param}) END"

    def _room(self, *fields: str | None) -> tuple[int, ...]:
        if not self.story_room:
            return ()
        return (max(0, self.story_room - sum(len(f) for f in fields if f)),)

    def put_stories(self, stories: Iterable[Story]) -> None:
        """Insert or replace story records (one transaction)."""
        rows = list(stories)
        if rows:
            self._write(lambda cur: self._put_stories(cur, rows))

    def _put_stories(self, cur: Cursor, stories: Iterable[Story]) -> None:
        d = self.dialect
        rows = sorted((story_values(st, d) for st in stories), key=lambda r: str(r[0]))  # one order for all
        if rows:
            sql = d.insert("stories", (*STORY_COLS, "updated_at"), key="id", exprs={"updated_at": d.now})
            cur.executemany(sql, rows)

    def write_stories(self, run: StoryWrite) -> None:
        def tx(cur: Cursor) -> None:
            self._assign(cur, run.assignments)
            self._put_stories(cur, run.stories)
            self._delete_stories(cur, run.deleted)
            for key, value in sorted(run.state.items()):
                self._set_kv(cur, key, value)
            self._write_state_rows(cur, run)
            self._relabel(cur, run.relabels)

        self._write(tx)

    def _write_state_rows(self, cur: Cursor, run: StoryWrite) -> None:
        d, p = self.dialect, self.dialect.param
        for kind in run.cleared:
            cur.execute(f"DELETE FROM {state_table(kind)} WHERE kind = {p}", (kind,))
        last = {(k, i): (v, srt) for k, i, v, srt in run.rows}  # the last word on a row wins
        gone = sorted(key for key, (v, _) in last.items() if v is None)
        put: list[tuple[str, str, str | bytes | None, float | None]] = sorted(
            (k, i, v, srt) for (k, i), (v, srt) in last.items() if v is not None
        )
        if d.packs_text:  # storylines and open stories are KB-sized JSON: under half of that compressed
            put = [(k, i, pack(v) if isinstance(v, str) else v, srt) for k, i, v, srt in put]
        for table in sorted({state_table(k) for k, _ in gone}):
            rows = [key for key in gone if state_table(key[0]) == table]
            cur.executemany(f"DELETE FROM {table} WHERE kind = {p} AND id = {p}", rows)
        for table in sorted({state_table(k) for k, *_ in put}):
            sql = d.insert(table, ("kind", "id", "value", "sort"), exprs={}) + (
                " ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, sort = excluded.sort"
            )
            cur.executemany(sql, [r for r in put if state_table(r[0]) == table])

    def _relabel(self, cur: Cursor, relabels: list[tuple[str, str]]) -> None:
        if not relabels:
            return
        rows = sorted(relabels)
        p, ne = self.dialect.param, self.dialect.not_equal
        cur.executemany(
            f"UPDATE stories SET storyline_id = {p} WHERE id = {p} AND storyline_id {ne} {p}",
            [(line, sid, line) for sid, line in rows],
        )
        rev = self._next_rev(cur)
        room = (
            f", story_room = CASE WHEN story_room IS NOT NULL THEN zeroblob(max(0, {self.story_room} - "
            f"length(story_id) - coalesce(length(duplicate_of), 0) - coalesce(length({p}), 0))) END"
            if self.story_room
            else ""
        )
        cur.executemany(
            f"UPDATE articles SET storyline_id = {p}, rev = {p}{room} WHERE story_id = {p} AND storyline_id {ne} {p}",
            [(line, rev, *((line,) if room else ()), sid, line) for sid, line in rows],
        )

    def iter_state_rows(self, kind: str) -> Iterator[tuple[str, str]]:
        p, last = self.dialect.param, ""
        while True:
            rows = self._read(
                f"SELECT id, value FROM {state_table(kind)} WHERE kind = {p} AND id > {p} ORDER BY id LIMIT {STATE_PAGE}",
                (kind, last),
            )
            if not rows:
                return
            yield from ((str(r["id"]), str(unpack(r["value"]))) for r in rows)
            last = str(rows[-1]["id"])

    def get_state_rows(self, kind: str, ids: Iterable[str]) -> list[tuple[str, str]]:
        d, p, want = self.dialect, self.dialect.param, list(dict.fromkeys(ids))
        out: list[tuple[str, str]] = []
        for i in range(0, len(want), 5000):
            rows = self._read(
                f"SELECT id, value FROM {state_table(kind)} WHERE kind = {p} AND {d.any_of('id')}",
                (kind, d.encode_list(want[i : i + 5000])),
            )
            out.extend((str(r["id"]), str(unpack(r["value"]))) for r in rows)
        return out

    def iter_state_sorts(self, kind: str) -> Iterator[tuple[str, float | None]]:
        p, last = self.dialect.param, ""
        while True:
            rows = self._read(
                f"SELECT id, sort FROM {state_table(kind)} WHERE kind = {p} AND id > {p} ORDER BY id LIMIT {STATE_PAGE}",
                (kind, last),
            )
            if not rows:
                return
            yield from ((str(r["id"]), None if r["sort"] is None else float(r["sort"])) for r in rows)
            last = str(rows[-1]["id"])

    def delete_stories(self, story_ids: Iterable[str]) -> None:
        """Remove story records (stories merged into others)."""
        ids = list(story_ids)
        if ids:
            self._write(lambda cur: self._delete_stories(cur, ids))

    def _delete_stories(self, cur: Cursor, ids: list[str]) -> None:
        if ids:
            d = self.dialect
            cur.execute(f"DELETE FROM stories WHERE {d.any_of('id')}", (d.encode_list(ids),))

    def set_state(self, key: str, value: str) -> None:
        self._write(lambda cur: self._set_kv(cur, key, value))

    def _set_kv(self, cur: Cursor, key: str, value: str) -> None:
        cur.execute(self.dialect.insert("kv", ("key", "value"), key="key"), (key, value))

    # ---- revisions -----------------------------------------------------------------------------------

    def ids_with_analysis(self, state: AnalysisState, limit: int = 100_000) -> list[str]:
        d = self.dialect
        rows = self._read(
            f"SELECT id FROM articles WHERE analysis = {d.param} ORDER BY {d.order} LIMIT {d.param}",
            (state.value, limit),
        )
        return [str(r["id"]) for r in rows]

    def current_rev(self) -> int:
        rows = self._read("SELECT value FROM kv WHERE key = 'store:rev'")
        return int(rows[0]["value"]) if rows else 0

    def changes_since(self, rev: int, limit: int = 100_000) -> Changes:
        d, p = self.dialect, self.dialect.param
        hi = self.current_rev()
        q = f"SELECT id, rev FROM articles WHERE rev > {p} AND rev <= {p} ORDER BY rev, {d.order}"
        rows = self._read(q + f" LIMIT {p}", (rev, hi, limit + 1))
        if len(rows) > limit:  # stop at a whole revision, so the next call misses nothing
            hi = int(rows[limit - 1]["rev"])
            rows = self._read(q, (rev, hi))
        deleted = self._read(
            f"SELECT id FROM deleted_articles WHERE rev > {p} AND rev <= {p} ORDER BY rev, id", (rev, hi)
        )
        return Changes(rev=max(hi, rev), ids=[r["id"] for r in rows], deleted=[r["id"] for r in deleted])

    # ---- reads: articles -----------------------------------------------------------------------------

    def has_source(self, source_key: str) -> bool:
        return bool(
            self._read(f"SELECT 1 AS one FROM sources WHERE source_key = {self.dialect.param}", (source_key,))
        )

    def get_article(self, article_id: str) -> Article | None:
        """By id, or by a unique prefix of four characters or more (taken literally: ``%`` and ``_`` are no
        wildcards, and case counts as in an id)."""
        p = self.dialect.param
        rows = self._read(f"{self._select_articles} WHERE id = {p}", (article_id,))
        if not rows:
            if len(article_id) < 4:  # too short a prefix to mean one article
                return None
            pattern = article_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._read(  # LIKE can use the id index; substr makes it exact where LIKE ignores case
                f"{self._select_articles} WHERE id LIKE {p} ESCAPE '\\' AND substr(id, 1, {p}) = {p} LIMIT 2",
                (pattern, len(article_id), article_id),
            )
            if len(rows) != 1:
                return None
        return self._with_analysis([article_from_row(rows[0], self.dialect)])[0]

    def _where(self, flt: ArticleFilter | None) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt is not None:
            p, day = self.dialect.param, self.dialect.day
            for cond, value in (
                (f"published_day >= {p}", day(flt.since)),
                (f"published_day <= {p}", day(flt.until)),
                (f"outlet = {p}", flt.outlet),
                (f"story_id = {p}", flt.story_id),
            ):
                if value:
                    clauses.append(cond)
                    params.append(value)
        return clauses, params

    def iter_articles(
        self, flt: ArticleFilter | None = None, *, with_analysis: bool = True, with_search_text: bool = True
    ) -> Iterator[Article]:
        d = self.dialect
        clauses, params = self._where(flt)
        if flt is not None and flt.limit is not None:
            where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
            query = f"{self._select_articles}{where} ORDER BY {d.order} LIMIT {d.param} OFFSET {d.param}"
            pages: Iterable[list[Any]] = [self._read(query, [*params, flt.limit, flt.offset])]
        else:
            where = " WHERE " + " AND ".join([*clauses, f"{d.order} > {d.param}"])
            query = (
                f"SELECT {d.order} AS _seq, {', '.join(ARTICLE_COLS)} FROM articles{where} ORDER BY {d.order}"
            )
            pages = self._pages(query, params)
        for rows in pages:
            arts = [article_from_row(r, d, derive=with_search_text) for r in rows]
            yield from self._with_analysis(arts) if with_analysis else arts

    def get_articles(
        self,
        ids: Iterable[str],
        *,
        with_analysis: bool = True,
        with_quotes: bool = True,
        with_search_text: bool = True,
    ) -> list[Article]:
        d, want = self.dialect, list(dict.fromkeys(ids))
        out: list[Article] = []
        for i in range(0, len(want), PAGE):
            rows = self._read(
                f"{self._select_articles} WHERE {d.any_of('id')}", (d.encode_list(want[i : i + PAGE]),)
            )
            arts = [article_from_row(r, d, derive=with_search_text) for r in rows]
            out.extend(self._with_analysis(arts, quotes=with_quotes) if with_analysis else arts)
        return out

    def published_of(self, ids: Iterable[str]) -> list[tuple[str, datetime | None]]:
        d, want = self.dialect, list(dict.fromkeys(ids))
        out: list[tuple[str, datetime | None]] = []
        for i in range(0, len(want), 5000):
            rows = self._read(
                f"SELECT id, published FROM articles WHERE {d.any_of('id')}",
                (d.encode_list(want[i : i + 5000]),),
            )
            out.extend((str(r["id"]), _dt(r["published"])) for r in rows)
        return out

    def unchanged_documents(self, documents: Mapping[str, str], *, analysed: bool) -> dict[str, int]:
        if not documents:
            return {}
        d = self.dialect
        keys = {document_id(k): k for k in documents}
        rows = self._read(
            f"SELECT doc, raw_hash, parts FROM documents WHERE {d.any_of_int('doc')}", (d.encode_list(keys),)
        )
        parts = {  # the document's own hash, so a place sharing its ``doc`` with another never passes
            keys[r["doc"]]: str(r["parts"]).split("\n")
            for r in rows
            if documents[keys[r["doc"]]] == r["raw_hash"]
        }
        if not parts:
            return {}
        done = " AND a.analysis = 'done'" if analysed else ""
        found = {
            str(r["source_key"])
            for r in self._read(
                "SELECT s.source_key FROM sources s JOIN articles a ON a.id = s.article_id "
                f"WHERE {d.any_of('s.source_key')}{done}",
                (d.encode_list(k + p for k, ps in parts.items() for p in ps),),
            )
        }
        return {k: len(ps) for k, ps in parts.items() if all(k + p in found for p in ps)}

    def analysed_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are stored with a finished analysis (ingest skips analysing
        them again: an unchanged or duplicate input keeps the stored analysis)."""
        want = list(dict.fromkeys(hashes))
        if not want:
            return set()
        d = self.dialect
        rows = self._read(
            f"SELECT content_hash FROM articles WHERE {d.any_of('content_hash')} AND analysis = 'done'",
            (d.encode_list(want),),
        )
        return {str(r["content_hash"]) for r in rows}

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        clauses, params = self._where(flt)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return int(self._read(f"SELECT count(*) AS n FROM articles{where}", params)[0]["n"])

    def _with_analysis(self, arts: list[Article], *, quotes: bool = True) -> list[Article]:
        """Attach mentions and quotes (unless ``quotes`` is false) to a page of articles in two queries."""
        if not arts:
            return arts
        d = self.dialect
        start, end = d.span
        ids = d.encode_list(a.id for a in arts)
        ms: dict[str, list[Mention]] = defaultdict(list)
        qs: dict[str, list[Quote]] = defaultdict(list)
        by_id = {a.id: a for a in arts}
        for r in self._read(
            f"SELECT * FROM mentions WHERE {d.any_of('article_id')} ORDER BY article_id, seq", (ids,)
        ):
            ms[r["article_id"]].append(mention_from_row(r, by_id[r["article_id"]].body, start=start, end=end))
        for r in (
            self._read(
                f"SELECT * FROM quotes WHERE {d.any_of('article_id')} ORDER BY article_id, seq", (ids,)
            )
            if quotes
            else ()
        ):
            a = by_id[r["article_id"]]
            qs[r["article_id"]].append(quote_from_row(r, a.title, a.body, start=start, end=end))
        return [
            replace(a, mentions=tuple(ms[a.id]), quotes=tuple(qs[a.id])) if a.id in ms or a.id in qs else a
            for a in arts
        ]

    def stats(self) -> Stats:
        st = Stats()
        (c,) = self._read(
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM sources) AS sources, "
            "(SELECT count(*) FROM articles WHERE part > 0) AS parts, "
            "(SELECT CAST(min(published_day) AS TEXT) FROM articles) AS lo, "
            "(SELECT CAST(max(published_day) AS TEXT) FROM articles) AS hi, "
            "(SELECT count(*) FROM mention_rows) AS mentions, (SELECT count(*) FROM quote_rows) AS quotes, "
            "(SELECT count(DISTINCT entity) FROM mention_rows) AS entities, (SELECT count(*) FROM stories) AS stories"
        )
        st.articles, st.sources, st.parts = int(c["articles"]), int(c["sources"]), int(c["parts"])
        st.first_published, st.last_published = c["lo"], c["hi"]
        st.mentions, st.quotes, st.entities = int(c["mentions"]), int(c["quotes"]), int(c["entities"])
        st.stories = int(c["stories"])
        for attr, col, limit in (("outlets", "outlet", " LIMIT 50"), ("languages", "language", "")):
            rows = self._read(
                f"SELECT {col} AS k, count(*) AS n FROM articles GROUP BY {col} ORDER BY n DESC, k NULLS LAST{limit}"
            )
            setattr(st, attr, {r["k"] or "(unknown)": int(r["n"]) for r in rows})
        st.schema_version = self.schema_version()
        st.size_bytes = self._size_bytes()
        return st

    def schema_version(self) -> int:
        raise NotImplementedError

    def check_counts(self) -> dict[str, int]:
        """What ``marsad check`` compares: the totals, and counts that are 0 in a consistent store (sources
        of a missing article, articles no source claims, mentions and quotes of a missing article, an
        unknown analysis state) or that name work left (analysis failed or pending, no story yet)."""
        states = ", ".join(f"'{s.value}'" for s in AnalysisState)

        def orphans(table: str, col: str, key: str = "id") -> str:
            return f"(SELECT count(*) FROM {table} x WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.{key} = x.{col}))"

        (r,) = self._read(
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM sources) AS sources, "
            "(SELECT count(*) FROM mention_rows) AS mentions, (SELECT count(*) FROM quote_rows) AS quotes, "
            f"{orphans('sources', 'article_id')} AS sources_without_article, "
            "(SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM sources s WHERE s.article_id = a.id)) AS articles_without_source, "
            f"{orphans('mention_rows', 'article_seq', 'seq')} AS orphan_mentions, "
            f"{orphans('quote_rows', 'article_seq', 'seq')} AS orphan_quotes, "
            "(SELECT count(*) FROM articles WHERE analysis = 'failed') AS analysis_failed, "
            "(SELECT count(*) FROM articles WHERE analysis = 'pending') AS analysis_pending, "
            f"(SELECT count(*) FROM articles WHERE analysis NOT IN ({states})) AS analysis_unknown, "
            "(SELECT count(*) FROM articles WHERE story_id IS NULL) AS without_story"
        )
        return {k: int(r[k]) for k in r.keys()}  # noqa: SIM118 (sqlite3.Row has no items())

    def integrity_problems(self, limit: int = 20) -> list[str] | None:
        """What the database's own page-level check finds (empty: sound); None where there is none."""
        return None

    # ---- reads: stories and state --------------------------------------------------------------------

    def get_story(self, story_id: str) -> Story | None:
        rows = self._read(f"SELECT * FROM stories WHERE id = {self.dialect.param}", (story_id,))
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
        p = self.dialect.param
        clauses: list[str] = [f"size >= {p}"]
        params: list[Any] = [min_size]
        if since:
            clauses.append(f"last_seen >= {p}")  # ISO text on both backends
            params.append(since.isoformat())
        if storyline_id:
            clauses.append(f"storyline_id = {p}")
            params.append(storyline_id)
        recent = "last_seen DESC NULLS LAST"
        order_by = f"size DESC, {recent}" if order == "size" else f"{recent}, size DESC"
        query = f"SELECT * FROM stories WHERE {' AND '.join(clauses)} ORDER BY {order_by}, id"
        if limit is not None:
            query += f" LIMIT {p} OFFSET {p}"
            params += [limit, offset]
        return [self._story(r) for r in self._read(query, params)]

    def count_stories(self, *, min_size: int = 1) -> int:
        rows = self._read(
            f"SELECT count(*) AS n FROM stories WHERE size >= {self.dialect.param}", (min_size,)
        )
        return int(rows[0]["n"])

    def _story(self, r: Row) -> Story:
        d = self.dialect
        ids = tuple(
            x["id"]
            for x in self._read(
                f"SELECT id FROM articles WHERE story_id = {d.param} ORDER BY published NULLS FIRST, {d.order}",
                (r["id"],),
            )
        )
        return story_from_row(r, ids, d)

    def ids_without_story(self, limit: int = 100_000) -> list[str]:
        """Stored articles the story stage has not seen (e.g. after an interrupted ingest), in the order
        they were stored."""
        d = self.dialect
        rows = self._read(
            f"SELECT id FROM articles WHERE story_id IS NULL ORDER BY {d.order} LIMIT {d.param}", (limit,)
        )
        return [str(r["id"]) for r in rows]

    def get_state(self, key: str) -> str | None:
        """A value a stateful stage saved (e.g. the story clusterer's state)."""
        rows = self._read(f"SELECT value FROM kv WHERE key = {self.dialect.param}", (key,))
        return str(rows[0]["value"]) if rows else None

    # ---- reads: quotes and entities ------------------------------------------------------------------

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
        flt = ListFilter(
            since=since,
            until=until,
            stance=stance,
            speaker_ids=None if speaker_ids is None else tuple(speaker_ids),
        )
        return self.find_quotes(flt, limit=limit, offset=offset, article_id=article_id)

    # ---- reads: listings -----------------------------------------------------------------------------
    # Every listing is answered by one query over the filter (never by loading the rows and filtering in
    # Python): ``_scope`` renders the article-level conditions, each listing adds its own.

    def _scope(
        self, flt: ListFilter | None, a: str = "a", *, day: str | None = None
    ) -> tuple[list[str], list[Any]]:
        """SQL conditions on the article aliased ``a`` for ``flt`` (dates on ``day``, default its
        publication day), and their parameters."""
        if flt is None:
            return [], []
        d, p = self.dialect, self.dialect.param
        day = day or f"{a}.published_day"
        clauses: list[str] = []
        params: list[Any] = []
        for cond, value in (
            (f"{day} >= {p}", d.day(flt.since)),
            (f"{day} <= {p}", d.day(flt.until)),
            (f"{a}.outlet = {p}", flt.outlet),
            (f"{a}.language = {p}", flt.language),
            (f"{a}.story_id = {p}", flt.story_id),
            (f"{a}.storyline_id = {p}", flt.storyline_id),
        ):
            if value:
                clauses.append(cond)
                params.append(value)
        if flt.entity_ids is not None:
            clauses.append(
                f"EXISTS (SELECT 1 FROM mention_rows em WHERE em.article_seq = {a}.seq AND em.entity IN {self._keyed})"
            )
            params.append(d.encode_list(flt.entity_ids))
        return clauses, params

    @staticmethod
    def _where_sql(clauses: Sequence[str]) -> str:
        return (" WHERE " + " AND ".join(clauses)) if clauses else ""

    def _quote_where(self, flt: ListFilter | None) -> tuple[list[str], list[Any]]:
        d, p = self.dialect, self.dialect.param
        clauses, params = self._scope(flt, day="coalesce(q.said_on, a.published_day)")
        if flt is not None:
            if flt.speaker_ids is not None:
                clauses.append(d.any_of("q.speaker_entity_id"))
                params.append(d.encode_list(flt.speaker_ids))
            if flt.stance:
                clauses.append(f"q.stance = {p}")
                params.append(flt.stance)
        return clauses, params

    def find_quotes(
        self, flt: ListFilter, *, limit: int | None = 100, offset: int = 0, article_id: str | None = None
    ) -> list[QuoteRow]:
        d, p = self.dialect, self.dialect.param
        clauses, params = self._quote_where(flt)
        if article_id:
            clauses.append(f"a.id = {p}")
            params.append(article_id)
        query = (
            "SELECT q.*, a.id AS article_id, a.published, a.outlet, a.title AS article_title, "
            # the body only where a text is read from it (it is then mostly the same for the next row)
            "CASE WHEN q.text IS NULL OR (q.speaker_text IS NULL AND q.speaker_kind IS NOT NULL) "
            "THEN a.body END AS article_body FROM quote_rows q "
            f"JOIN articles a ON a.seq = q.article_seq{self._where_sql(clauses)} "
            "ORDER BY coalesce(q.said_on, a.published_day) NULLS FIRST, a.published NULLS FIRST, "
            "a.id, q.seq"
        )
        if limit is not None:
            query += f" LIMIT {p} OFFSET {p}"
            params += [limit, offset]
        start, end = d.span
        out: list[QuoteRow] = []
        last: tuple[str, str] = ("", "")  # (article id, body): a listing holds an article's quotes in a row
        for r in self._read(query, params):
            if r["article_body"] is not None and last[0] != r["article_id"]:
                last = (r["article_id"], unpack(r["article_body"]))
            body = last[1] if last[0] == r["article_id"] else ""
            out.append(
                QuoteRow(
                    article_id=r["article_id"],
                    published=_dt(r["published"]),
                    outlet=r["outlet"],
                    article_title=r["article_title"],
                    quote=quote_from_row(r, r["article_title"], body, start=start, end=end),
                )
            )
        return out

    def count_quotes(self, flt: ListFilter | None = None) -> int:
        clauses, params = self._quote_where(flt)
        join = " JOIN articles a ON a.seq = q.article_seq" if clauses else ""
        query = f"SELECT count(*) AS n FROM quote_rows q{join}{self._where_sql(clauses)}"
        return int(self._read(query, params)[0]["n"])

    def _story_where(self, flt: ListFilter) -> tuple[list[str], list[Any]]:
        """Conditions on ``stories s``: size and span on the story, the rest on any of its articles."""
        p = self.dialect.param
        clauses = [f"s.size >= {p}"]
        params: list[Any] = [flt.min_size]
        if flt.max_size is not None:
            clauses.append(f"s.size <= {p}")
            params.append(flt.max_size)
        if flt.since:  # times are ISO text on both backends: text order is time order
            clauses.append(f"s.last_seen >= {p}")
            params.append(flt.since.isoformat())
        if flt.until:
            clauses.append(f"s.first_seen < {p}")
            params.append((flt.until + timedelta(days=1)).isoformat())
        if flt.storyline_id:
            clauses.append(f"s.storyline_id = {p}")
            params.append(flt.storyline_id)
        inner = ListFilter(outlet=flt.outlet, language=flt.language, entity_ids=flt.entity_ids)
        more, more_params = self._scope(inner, "sa")
        if more:
            clauses.append(
                f"EXISTS (SELECT 1 FROM articles sa WHERE sa.story_id = s.id AND {' AND '.join(more)})"
            )
            params += more_params
        return clauses, params

    def find_stories(
        self, flt: ListFilter, *, order: str = "recent", limit: int | None = 20, offset: int = 0
    ) -> list[Story]:
        p = self.dialect.param
        clauses, params = self._story_where(flt)
        recent = "s.last_seen DESC NULLS LAST"
        order_by = f"s.size DESC, {recent}" if order == "size" else f"{recent}, s.size DESC"
        query = f"SELECT s.* FROM stories s{self._where_sql(clauses)} ORDER BY {order_by}, s.id"
        if limit is not None:
            query += f" LIMIT {p} OFFSET {p}"
            params += [limit, offset]
        return [self._story(r) for r in self._read(query, params)]

    def count_stories_matching(self, flt: ListFilter) -> int:
        clauses, params = self._story_where(flt)
        return int(
            self._read(f"SELECT count(*) AS n FROM stories s{self._where_sql(clauses)}", params)[0]["n"]
        )

    def outlet_counts(
        self, flt: ListFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[OutletCount]:
        p = self.dialect.param
        clauses, params = self._scope(flt)
        clauses.append("a.outlet IS NOT NULL")
        rows = self._read(
            "SELECT a.outlet, count(*) AS n, count(DISTINCT a.story_id) AS stories, "
            "min(a.published_day) AS lo, max(a.published_day) AS hi FROM articles a"
            f"{self._where_sql(clauses)} GROUP BY a.outlet ORDER BY n DESC, a.outlet LIMIT {p} OFFSET {p}",
            [*params, limit, offset],
        )
        return [
            OutletCount(
                outlet=r["outlet"],
                articles=int(r["n"]),
                stories=int(r["stories"]),
                first_day=_date(r["lo"]),
                last_day=_date(r["hi"]),
            )
            for r in rows
        ]

    def storyline_counts(
        self, flt: ListFilter | None = None, *, limit: int = 20, offset: int = 0
    ) -> list[StorylineCount]:
        p = self.dialect.param
        clauses, params = self._story_where(flt or ListFilter())
        clauses.append("s.storyline_id IS NOT NULL")
        rows = self._read(
            "SELECT s.storyline_id, count(*) AS stories, sum(s.size) AS articles, min(s.first_seen) AS lo, "
            f"max(s.last_seen) AS hi FROM stories s{self._where_sql(clauses)} GROUP BY s.storyline_id "
            f"ORDER BY max(s.last_seen) DESC NULLS LAST, s.storyline_id LIMIT {p} OFFSET {p}",
            [*params, limit, offset],
        )
        return [
            StorylineCount(
                storyline_id=r["storyline_id"],
                stories=int(r["stories"]),
                articles=int(r["articles"] or 0),
                first_seen=_dt(r["lo"]),
                last_seen=_dt(r["hi"]),
            )
            for r in rows
        ]

    def daily_counts(
        self, flt: ListFilter | None = None, *, by_outlet: bool = False
    ) -> list[tuple[date, str | None, int]]:
        clauses, params = self._scope(flt)
        clauses.append("a.published_day IS NOT NULL")
        outlet = "a.outlet" if by_outlet else "NULL"
        group = "a.published_day, a.outlet" if by_outlet else "a.published_day"
        rows = self._read(
            f"SELECT a.published_day AS day, {outlet} AS outlet, count(*) AS n FROM articles a"
            f"{self._where_sql(clauses)} GROUP BY {group} ORDER BY day",
            params,
        )
        return [(_date(r["day"]), r["outlet"], int(r["n"])) for r in rows]  # type: ignore[misc]

    def quote_counts(self, flt: ListFilter | None = None) -> list[tuple[date, str, int]]:
        clauses, params = self._quote_where(flt)
        day = "coalesce(q.said_on, a.published_day)"
        clauses.append(f"{day} IS NOT NULL")
        rows = self._read(
            f"SELECT {day} AS day, q.stance, count(*) AS n FROM quote_rows q JOIN articles a ON a.seq = q.article_seq"
            f"{self._where_sql(clauses)} GROUP BY {day}, q.stance ORDER BY day, q.stance",
            params,
        )
        return [(_date(r["day"]), r["stance"], int(r["n"])) for r in rows]  # type: ignore[misc]

    def co_mention_pairs(
        self, entity_ids: Iterable[str], flt: ListFilter | None = None
    ) -> list[tuple[str, str, int]]:
        d = self.dialect
        ids = d.encode_list(entity_ids)
        clauses, params = self._scope(flt)
        join = " JOIN articles a ON a.seq = m1.article_seq" if clauses else ""
        clauses = [f"m1.entity IN {self._keyed}", f"m2.entity IN {self._keyed}", "k1.key < k2.key", *clauses]
        rows = self._read(
            "SELECT k1.key AS x, k2.key AS y, count(DISTINCT m1.article_seq) AS n FROM mention_rows m1 "
            "JOIN mention_rows m2 ON m2.article_seq = m1.article_seq AND m2.entity <> m1.entity "
            f"JOIN entity_keys k1 ON k1.id = m1.entity JOIN entity_keys k2 ON k2.id = m2.entity{join}"
            f"{self._where_sql(clauses)} GROUP BY k1.key, k2.key ORDER BY n DESC, x, y",
            [ids, ids, *params],
        )
        return [(r["x"], r["y"], int(r["n"])) for r in rows]

    def entity_mentions(self, entity_id: str) -> list[tuple[str, datetime | None]]:
        """(article id, publication time) of every article that mentions the entity."""
        rows = self._read(
            "SELECT DISTINCT a.id, a.published FROM mention_rows m JOIN articles a ON a.seq = m.article_seq "
            f"WHERE m.entity = {self._key_id} ORDER BY a.published NULLS FIRST, a.id",
            (entity_id,),
        )
        return [(r["id"], _dt(r["published"])) for r in rows]

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Entities most often mentioned in the same articles as ``entity_id``."""
        p = self.dialect.param
        rows = self._read(
            "SELECT k.key AS entity_id, c.n FROM (SELECT o.entity, count(DISTINCT o.article_seq) AS n "
            "FROM mention_rows m JOIN mention_rows o ON o.article_seq = m.article_seq AND o.entity <> m.entity "
            f"WHERE m.entity = {self._key_id} AND o.entity IS NOT NULL GROUP BY o.entity) c "
            f"JOIN entity_keys k ON k.id = c.entity ORDER BY c.n DESC, k.key LIMIT {p}",
            (entity_id, limit),
        )
        return [(r["entity_id"], int(r["n"])) for r in rows]

    def entity_counts(
        self,
        *,
        entity_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
        flt: ListFilter | None = None,
    ) -> list[tuple[str, str, int]]:
        """(entity id, type, number of articles) for the most mentioned entities (in articles matching
        ``flt``)."""
        p = self.dialect.param
        clauses, params = self._scope(flt)
        join = " JOIN articles a ON a.seq = m.article_seq" if clauses else ""
        clauses.insert(0, "m.entity IS NOT NULL")
        if entity_type:
            clauses.insert(1, f"m.entity_type = {p}")
            params.insert(0, _ENTITY_TYPE.get(entity_type, -1))
        rows = self._read(  # codes order as the type names do: min() picks the same type
            "SELECT k.key AS entity_id, c.t, c.n FROM (SELECT m.entity, min(m.entity_type) AS t, "
            f"count(DISTINCT m.article_seq) AS n FROM mention_rows m{join}{self._where_sql(clauses)} "
            f"GROUP BY m.entity) c JOIN entity_keys k ON k.id = c.entity ORDER BY c.n DESC, k.key "
            f"LIMIT {p} OFFSET {p}",
            [*params, limit, offset],
        )
        return [(r["entity_id"], ENTITY_TYPE_CODES[r["t"]], int(r["n"])) for r in rows]

    # ---- alerts ----------------------------------------------------------------------------------------

    _RULE_COLS = (
        "name", "query", "entity", "entity_ids", "speaker", "speaker_ids", "stance", "min_sources",
        "webhook", "jsonl", "created_at", "rev",
    )  # fmt: skip
    _HIT_COLS = ("rule", "item", "kind", "article_id", "payload", "found_at")

    def put_alert_rule(self, rule: AlertRule) -> None:
        d = self.dialect
        values = (
            rule.name, rule.query, rule.entity, d.encode_list(rule.entity_ids), rule.speaker,
            d.encode_list(rule.speaker_ids), rule.stance, rule.min_sources, rule.webhook, rule.jsonl,
            rule.created_at, rule.rev,
        )  # fmt: skip
        self._write(lambda cur: cur.execute(d.insert("alert_rules", self._RULE_COLS, key="name"), values))

    def alert_rules(self, name: str | None = None) -> list[AlertRule]:
        d = self.dialect
        where, params = (f" WHERE name = {d.param}", [name]) if name is not None else ("", [])
        rows = self._read(f"SELECT * FROM alert_rules{where} ORDER BY name", params)
        return [
            AlertRule(
                name=r["name"],
                query=r["query"],
                entity=r["entity"],
                entity_ids=d.decode_list(r["entity_ids"]),
                speaker=r["speaker"],
                speaker_ids=d.decode_list(r["speaker_ids"]),
                stance=r["stance"],
                min_sources=int(r["min_sources"]),
                webhook=r["webhook"],
                jsonl=r["jsonl"],
                created_at=r["created_at"],
                rev=int(r["rev"]),
            )
            for r in rows
        ]

    def delete_alert_rule(self, name: str) -> bool:
        p = self.dialect.param

        def tx(cur: Cursor) -> bool:
            cur.execute(f"DELETE FROM alert_hits WHERE rule = {p}", (name,))
            cur.execute(f"DELETE FROM alert_rules WHERE name = {p}", (name,))
            return bool(cur.rowcount)

        return self._write(tx)

    def record_alert_hits(self, rule: str, hits: Iterable[AlertHit], rev: int) -> list[str]:
        d, p = self.dialect, self.dialect.param
        rows = [(h.rule, h.item, h.kind, h.article_id, h.payload, h.found_at) for h in hits]
        sql = d.insert("alert_hits", self._HIT_COLS) + " ON CONFLICT (rule, item) DO NOTHING"

        def tx(cur: Cursor) -> list[str]:
            self._lock(cur, "alert", [rule])
            new = []
            for row in rows:
                cur.execute(sql, row)
                if cur.rowcount:
                    new.append(str(row[1]))
            cur.execute(f"UPDATE alert_rules SET rev = {p} WHERE name = {p} AND rev < {p}", (rev, rule, rev))
            return new

        return self._write(tx)

    def alert_hits(
        self, rule: str | None = None, *, pending: str | None = None, limit: int = 50
    ) -> list[AlertHit]:
        p = self.dialect.param
        clauses, params = [], []
        if rule is not None:
            clauses.append(f"h.rule = {p}")
            params.append(rule)
        if pending == "jsonl":
            clauses.append("h.jsonl_at IS NULL")
        elif pending == "webhook":
            clauses.append("h.webhook_at IS NULL AND r.webhook IS NOT NULL")
        rows = self._read(
            "SELECT h.* FROM alert_hits h JOIN alert_rules r ON r.name = h.rule"
            f"{self._where_sql(clauses)} ORDER BY h.found_at DESC, h.item DESC LIMIT {p}",
            [*params, limit],
        )
        return [
            AlertHit(
                rule=r["rule"],
                item=r["item"],
                kind=r["kind"],
                article_id=r["article_id"],
                payload=r["payload"],
                found_at=r["found_at"],
                jsonl_at=r["jsonl_at"],
                webhook_at=r["webhook_at"],
                attempts=int(r["attempts"]),
                last_error=r["last_error"],
            )
            for r in rows
        ]

    def count_alert_hits(self, rule: str) -> int:
        p = self.dialect.param
        return int(self._read(f"SELECT count(*) AS n FROM alert_hits WHERE rule = {p}", (rule,))[0]["n"])

    def mark_alert_hits(
        self, channel: str, rule: str, items: Iterable[str], error: str | None = None
    ) -> None:
        if channel not in ("jsonl", "webhook"):
            raise ValueError(f"unknown alert channel {channel!r}")
        d, p = self.dialect, self.dialect.param
        keys = list(items)
        if not keys:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if error is None:
            sql = f"UPDATE alert_hits SET {channel}_at = {p}, last_error = NULL WHERE rule = {p} AND {d.any_of('item')}"
            params: tuple[Any, ...] = (now, rule, d.encode_list(keys))
        else:
            sql = (
                f"UPDATE alert_hits SET attempts = attempts + 1, last_error = {p} "
                f"WHERE rule = {p} AND {d.any_of('item')}"
            )
            params = (error[:500], rule, d.encode_list(keys))
        self._write(lambda cur: cur.execute(sql, params))


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _date(v: Any) -> date | None:
    """A DATE column's value: ISO text on SQLite, a date on PostgreSQL."""
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])
