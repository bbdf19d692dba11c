"""The tantivy index: schema, documents from articles and quotes, and query compilation.

Chosen by measurement (``bench/bench_search.py``; research: tantivy p95 ≈ 2 ms at 1M documents against
≈ 150 ms for SQLite FTS5). Tantivy sees only keys we computed ourselves (:mod:`.analysis`) joined by
spaces, so its whitespace tokenizer is all it needs and the Arabic rules stay in one Python place.

One index holds two kinds of documents: an article (title + body) and each of its quotes (quote text,
speaker names). Both carry the article's filters (day, outlet, story, entities) so one query serves
``--kind articles``, ``--kind quotes`` or both. Nothing but the document key is stored: titles,
texts and snippets come from the store, which stays the one source of truth.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import tantivy

from marsad.errors import StoreDamaged
from marsad.model import Article, Quote
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS
from marsad.search.analysis import SearchKeys, WordKeys
from marsad.search.names import NameIndex
from marsad.search.query import And, Node, Not, Or, Phrase, Term

# Bump when documents or keys change: an index of another format is rebuilt, never misread.
# 3: ``key`` stored as bytes and not indexed, ``article`` and ``kind`` without positions (issue 13).
INDEX_FORMAT = 3
FORMAT_FILE = "marsad-index.txt"

Kind = Literal["article", "quote"]
Sort = Literal["relevance", "date"]

# Field weights: a word in the headline counts most, an exact (name-safe) key more than a stem.
_BOOST_TITLE = 3.0
_BOOST_EXACT = 2.0
_BOOST_WHO = 2.0
_BOOST_STEM = 1.0


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    # "a:<id>" or "q:<id>:<seq>", read back from a hit and never searched for: stored, not indexed (a term
    # of its own per document was 5% of the index)
    sb.add_bytes_field("key", stored=True, indexed=False)
    # filters and deletes match these as whole terms: documents only, no positions or frequencies
    sb.add_text_field(
        "article", tokenizer_name="raw", index_option="basic"
    )  # delete an article with its quotes
    sb.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", tokenizer_name="whitespace")
    sb.add_text_field("text", tokenizer_name="whitespace")
    sb.add_text_field("stem", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("who", tokenizer_name="whitespace")  # speaker phrase and name (quotes)
    sb.add_text_field("entity", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("speaker", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("stance", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("story", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("outlet", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("day", fast=True, indexed=True)  # yyyymmdd, for date filters
    sb.add_integer_field("ts", fast=True)  # epoch seconds, for "newest first"
    return sb.build()


@dataclass(frozen=True)
class SearchFilters:
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    entities: tuple[str, ...] = ()  # any of these entity ids
    speakers: tuple[str, ...] = ()  # any of these speaker ids
    stance: str | None = None
    story: str | None = None
    kind: Kind | None = None
    articles: tuple[str, ...] = ()  # only documents of these articles (alerts: what a round wrote)


@dataclass(frozen=True)
class IndexHit:
    kind: Kind
    article_id: str
    quote_seq: int | None
    score: float


@dataclass
class IndexResult:
    total: int
    hits: list[IndexHit] = field(default_factory=list)


def _epoch(dt: datetime | None) -> int | None:
    if dt is None:
        return None
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp())


def day_number(d: date) -> int:
    return d.year * 10_000 + d.month * 100 + d.day


def outlet_key(outlet: str) -> str:
    return normalize_text(outlet)


class SearchIndex:
    """A tantivy index in a folder next to the store (``marsad.db`` → ``marsad.db.index/``)."""

    def __init__(
        self, path: str | Path, analyzer: SearchKeys, *, create: bool = False, names: NameIndex | None = None
    ) -> None:
        self.path = Path(path)
        self.analyzer = analyzer
        self.names = names  # the KB's names, for name-aware queries (:mod:`.names`)
        self.schema = _schema()
        if create:
            self.path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
            (self.path / FORMAT_FILE).write_text(f"{INDEX_FORMAT}\n")
        else:
            self.index = tantivy.Index.open(str(self.path))
        self._stamp = self._meta_stamp()

    @staticmethod
    def usable(path: str | Path) -> bool:
        """True when ``path`` holds an index of the current format."""
        fmt = Path(path) / FORMAT_FILE
        try:
            return fmt.read_text().strip() == str(INDEX_FORMAT) and tantivy.Index.exists(str(path))
        except OSError:
            return False

    def _meta_stamp(self) -> int:
        try:
            return os.stat(self.path / "meta.json").st_mtime_ns
        except OSError:
            return 0

    def refresh(self) -> None:
        """See commits made by another process (the ingest that updates the index)."""
        stamp = self._meta_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            self.index.reload()

    # ---- writing ------------------------------------------------------------------------------

    def writer(self, *, heap_mb: int = 256, threads: int = 0) -> tantivy.IndexWriter:
        return self.index.writer(heap_size=heap_mb * 1_000_000, num_threads=threads)

    def documents(self, article: Article) -> Iterator[tantivy.Document]:
        """The article's document followed by one document per quote."""
        day = day_number(article.published.date()) if article.published else None
        ts = _epoch(article.published)
        mention_ids = sorted({m.entity_id for m in article.mentions if m.entity_id})
        speaker_ids = sorted(
            {q.speaker.entity_id for q in article.quotes if q.speaker and q.speaker.entity_id}
        )
        stances = sorted({q.stance.value for q in article.quotes})
        title, title_stem = self.analyzer.fields([article.title or ""])
        text, body_stem = self.analyzer.fields([article.body])
        stem = f"{title_stem} {body_stem}" if title_stem else body_stem
        doc = self._doc(
            key=f"a:{article.id}",
            kind="article",
            article=article,
            day=day,
            ts=ts,
            title=title,
            text=text,
            stem=stem,
            who="",
            entities=mention_ids,
            speakers=speaker_ids,
            stances=stances,
        )
        yield doc
        for seq, q in enumerate(article.quotes):
            yield self._quote_doc(article, seq, q, day, ts)

    def _quote_doc(
        self, article: Article, seq: int, q: Quote, day: int | None, ts: int | None
    ) -> tantivy.Document:
        sp = q.speaker
        who_parts = [sp.text, sp.name_ar or ""] if sp else []
        who, _ = self.analyzer.fields(who_parts)
        text, stem = self.analyzer.fields([q.text])
        inside = {m.entity_id for m in article.mentions if m.entity_id and q.start <= m.start < q.end}
        if sp and sp.entity_id:
            inside.add(sp.entity_id)
        return self._doc(
            key=f"q:{article.id}:{seq}",
            kind="quote",
            article=article,
            day=day_number(q.said_on) if q.said_on else day,
            ts=ts,
            title="",
            text=text,
            stem=stem,
            who=who,
            entities=sorted(inside),
            speakers=[sp.entity_id] if sp and sp.entity_id else [],
            stances=[q.stance.value],
        )

    def _doc(
        self,
        *,
        key: str,
        kind: Kind,
        article: Article,
        day: int | None,
        ts: int | None,
        title: str,
        text: str,
        stem: str,
        who: str,
        entities: Iterable[str],
        speakers: Iterable[str],
        stances: Iterable[str],
    ) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_bytes("key", key.encode("utf-8"))
        doc.add_text("article", article.id)
        doc.add_text("kind", kind)
        doc.add_text("title", title)
        doc.add_text("text", text)
        doc.add_text("stem", stem)
        doc.add_text("who", who)
        for e in entities:
            doc.add_text("entity", e)
        for s in speakers:
            doc.add_text("speaker", s)
        for s in stances:
            doc.add_text("stance", s)
        if article.story_id:
            doc.add_text("story", article.story_id)
        if article.outlet:
            doc.add_text("outlet", outlet_key(article.outlet))
        if day is not None:
            doc.add_integer("day", day)
        if ts is not None:
            doc.add_integer("ts", ts)
        return doc

    # ---- searching ----------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A segment damaged after the index opened shows only when a query reads it: tantivy raises
        ValueError or panics (pyo3's PanicException derives from BaseException). Either becomes
        :class:`StoreDamaged` naming the folder and the repair."""
        try:
            yield
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as e:
            if isinstance(e, Exception) and not isinstance(e, ValueError):
                raise
            raise StoreDamaged(str(self.path), damaged_reason(e)) from None

    def search(
        self,
        node: Node | None,
        filters: SearchFilters,
        *,
        offset: int = 0,
        limit: int = 10,
        sort: Sort = "relevance",
    ) -> IndexResult:
        with self._reading():
            return self._search(node, filters, offset=offset, limit=limit, sort=sort)

    def _search(
        self, node: Node | None, filters: SearchFilters, *, offset: int, limit: int, sort: Sort
    ) -> IndexResult:
        self.refresh()
        main = self.compile(node) if node is not None else tantivy.Query.all_query()
        if main is None:
            return IndexResult(total=0)
        clauses = [(tantivy.Occur.Must, main)]
        for f in self._filter_queries(filters):
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)))
        query = tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else main
        searcher = self.index.searcher()
        if sort == "date" or node is None:
            res = searcher.search(query, limit, count=True, offset=offset, order_by_field="ts")
        else:
            res = searcher.search(query, limit, count=True, offset=offset)
        out = IndexResult(total=_count(res))
        for score, addr in res.hits:
            key = bytes(searcher.doc(addr)["key"][0]).decode("utf-8")
            out.hits.append(_hit(key, float(score or 0)))  # date order: None = undated
        return out

    def doc_freq(self, key: str) -> int:
        """Documents whose text holds the exact key ``key`` (the vocabulary "did you mean" draws on)."""
        with self._reading():
            self.refresh()
            return int(self.index.searcher().doc_freq("text", key))

    def count(self, kind: Kind | None = None) -> int:
        with self._reading():
            return self._count_docs(kind)

    def _count_docs(self, kind: Kind | None) -> int:
        self.refresh()
        searcher = self.index.searcher()
        if kind is None:
            return int(searcher.num_docs)
        res = searcher.search(tantivy.Query.term_query(self.schema, "kind", kind), 1, count=True)
        return _count(res)

    def _filter_queries(self, f: SearchFilters) -> Iterator[tantivy.Query]:
        s = self.schema
        if f.kind:
            yield tantivy.Query.term_query(s, "kind", f.kind)
        if f.since or f.until:
            yield tantivy.Query.range_query(
                s,
                "day",
                tantivy.FieldType.Integer,
                day_number(f.since) if f.since else None,
                day_number(f.until) if f.until else None,
            )
        if f.outlet:
            yield tantivy.Query.term_query(s, "outlet", outlet_key(f.outlet))
        if f.entities:
            yield tantivy.Query.term_set_query(s, "entity", list(f.entities))
        if f.speakers:
            yield tantivy.Query.term_set_query(s, "speaker", list(f.speakers))
        if f.stance:
            yield tantivy.Query.term_query(s, "stance", f.stance)
        if f.story:
            yield tantivy.Query.term_query(s, "story", f.story)
        if f.articles:
            yield tantivy.Query.term_set_query(s, "article", list(f.articles))

    def compile(self, node: Node) -> tantivy.Query | None:
        """The tantivy query for a parsed user query; None when nothing searchable is left."""
        if isinstance(node, Term):
            return self._word(node.text)
        if isinstance(node, Phrase):
            return self._phrase(node.words)
        if isinstance(node, Not):
            inner = self.compile(node.node)
            if inner is None:
                return None
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, inner)]
            )
        if isinstance(node, Or):
            parts = [q for q in (self.compile(n) for n in node.nodes) if q is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else _should(parts)
        return self._and(node)

    def _and(self, node: And) -> tantivy.Query | None:
        positive = [n for n in node.nodes if not isinstance(n, Not)]
        negative = [n.node for n in node.nodes if isinstance(n, Not)]
        content = [n for n in positive if not (isinstance(n, Term) and self._is_stopword(n.text))]
        positive = content or positive  # a query of stopwords only still searches them
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for n in positive:
            q = self.compile(n)
            if q is None:
                continue
            clauses.append((tantivy.Occur.Must, q))
        if not clauses:
            if not negative:
                return None
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        for neg in negative:
            nq = self.compile(neg)
            if nq is not None:
                clauses.append((tantivy.Occur.MustNot, nq))
        if len(clauses) == 1:
            return clauses[0][1]
        return tantivy.Query.boolean_query(clauses)

    def _is_stopword(self, word: str) -> bool:
        norm = normalize_text(word)
        return norm in ARABIC_STOPWORDS or self.analyzer.keys(norm).exact in ARABIC_STOPWORDS

    def _keys(self, word: str) -> WordKeys | None:
        norm = normalize_text(word)
        if not norm:
            return None
        k = self.analyzer.keys(norm)
        return k if k.exact else None

    def _word(self, word: str) -> tantivy.Query | None:
        k = self._keys(word)
        if k is None:
            return None
        q = tantivy.Query
        parts = [
            q.boost_query(q.term_query(self.schema, "title", k.exact), _BOOST_TITLE),
            q.boost_query(q.term_query(self.schema, "text", k.exact), _BOOST_EXACT),
            q.boost_query(q.term_query(self.schema, "who", k.exact), _BOOST_WHO),
        ]
        if not k.name:
            parts.append(q.boost_query(q.term_query(self.schema, "stem", k.stem), _BOOST_STEM))
        return _should(parts)

    def _phrase(self, words: tuple[str, ...]) -> tantivy.Query | None:
        keys: list[str | tuple[int, str]] = [k.exact for k in (self._keys(w) for w in words) if k is not None]
        if not keys:
            return None
        q = tantivy.Query
        if len(keys) == 1:  # a quoted single word: exact key, no stem
            parts = [q.term_query(self.schema, f, str(keys[0])) for f in ("title", "text", "who")]
        else:
            parts = [q.phrase_query(self.schema, f, keys) for f in ("title", "text", "who")]
        return _should(
            [
                q.boost_query(parts[0], _BOOST_TITLE),
                q.boost_query(parts[1], _BOOST_EXACT),
                q.boost_query(parts[2], _BOOST_WHO),
            ]
        )


def damaged_reason(e: BaseException) -> str:
    """What a tantivy failure to read the index means for the user."""
    detail = " ".join(str(e).split())[:200] or type(e).__name__
    if "ReadOnlyFilesystem" in detail or "os error 30" in detail:  # tantivy takes a lock file to open
        return "the search index cannot be opened on a read-only file system (tantivy writes a lock file)"
    return f"the search index is damaged ({detail}): run `marsad reindex` (with the same --db) to rebuild it"


def _should(parts: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, p) for p in parts])


def _count(res: tantivy.SearchResult) -> int:
    # ``count`` exists at run time (count=True) but is missing from tantivy's type stubs
    return int(getattr(res, "count", 0) or 0)


def _hit(key: str, score: float) -> IndexHit:
    if key.startswith("q:"):
        article_id, seq = key[2:].rsplit(":", 1)
        return IndexHit("quote", article_id, int(seq), score)
    return IndexHit("article", key.removeprefix("a:"), None, score)
