"""The search use case: query text + filters → a page of hits with their article context and snippets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from marsad.model import Article, Quote
from marsad.normalize.arabic import normalize_text
from marsad.normalize.snippet import clean_text
from marsad.search.engine import SearchFilters, SearchIndex, Sort
from marsad.search.highlight import Segment, mark_all, match_set, segments_html, segments_text, snippet
from marsad.search.names import NameExpansion
from marsad.search.query import Node, parse_query
from marsad.search.suggest import FEW_HITS, suggest
from marsad.store.base import Store

MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000  # deep pages cost the engine more and no reader goes there


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "article" or "quote"
    article_id: str
    score: float
    title: str | None
    published: datetime | None
    outlet: str | None
    story_id: str | None
    title_marked: list[Segment]
    snippet: list[Segment]
    quote: Quote | None = None
    quote_index: int | None = None

    @property
    def snippet_html(self) -> str:
        return segments_html(self.snippet)

    @property
    def snippet_text(self) -> str:
        return segments_text(self.snippet)

    @property
    def title_html(self) -> str:
        return segments_html(self.title_marked)


@dataclass
class SearchPage:
    query: str
    total: int
    page: int
    limit: int
    took_ms: float
    hits: list[SearchHit] = field(default_factory=list)
    expansions: list[NameExpansion] = field(default_factory=list)  # name words widened to their spellings
    expanded: bool = True  # False: the user asked for the words exactly as typed
    suggestions: list[str] = field(default_factory=list)  # "did you mean" queries (on few hits)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_OFFSET + self.limit) // self.limit))

    @property
    def has_more(self) -> bool:
        return self.page < self.pages


def run_search(
    store: Store,
    index: SearchIndex,
    q: str,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    limit: int = 10,
    sort: Sort = "relevance",
    expand: bool = True,
) -> SearchPage:
    """One page of results; raises :class:`~marsad.search.query.QueryError` on an unsearchable query.

    With ``expand`` (the default) a word that is a KB name also matches the entity's other spellings
    (:mod:`.names`); the page says which. On fewer than :data:`~.suggest.FEW_HITS` results it offers
    better-attested spellings (:mod:`.suggest`)."""
    t0 = time.perf_counter()
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    page = max(1, page)
    offset = (page - 1) * limit
    typed = parse_query(q)
    # the expansions are worked out either way, so a page searched exactly can offer to widen the search
    widened, expansions = index.names.expand(typed) if index.names is not None else (typed, [])
    node = widened if expand else typed
    if offset > MAX_OFFSET:  # past the last page we serve: the total, no hits
        res = index.search(node, filters or SearchFilters(), limit=1, sort=sort)
        res.hits.clear()
    else:
        res = index.search(node, filters or SearchFilters(), offset=offset, limit=limit, sort=sort)
    ms = match_set(node, index.analyzer)
    out = SearchPage(
        query=q, total=res.total, page=page, limit=limit, took_ms=0.0, expansions=expansions, expanded=expand
    )
    if res.total < FEW_HITS:
        out.suggestions = _suggestions(index, q, typed, [e.word for e in expansions] if expand else [])
    articles: dict[str, Article | None] = {}
    for h in res.hits:
        if h.article_id not in articles:
            articles[h.article_id] = store.get_article(h.article_id)
        art = articles[h.article_id]
        if art is None:  # deleted since the index was written
            continue
        title = mark_all(art.title or "", ms, index.analyzer)
        is_quote = h.kind == "quote" and h.quote_seq is not None and h.quote_seq < len(art.quotes)
        if not is_quote and h.kind != "article":
            continue
        quote = art.quotes[h.quote_seq] if is_quote and h.quote_seq is not None else None
        out.hits.append(
            SearchHit(
                kind=h.kind,
                article_id=art.id,
                score=h.score,
                title=art.title,
                published=art.published,
                outlet=art.outlet,
                story_id=art.story_id,
                title_marked=title,
                snippet=snippet(quote.text, ms, index.analyzer, width=400)
                if quote is not None
                else snippet(clean_text(art.body), ms, index.analyzer),
                quote=quote,
                quote_index=h.quote_seq if quote is not None else None,
            )
        )
    out.took_ms = (time.perf_counter() - t0) * 1000
    return out


def _suggestions(index: SearchIndex, q: str, node: Node | None, widened: list[str]) -> list[str]:
    names = index.names

    def key(word: str) -> str | None:
        norm = normalize_text(word)
        k = index.analyzer.keys(norm).exact if norm else ""
        return k or None

    return suggest(
        q,
        node,
        key=key,
        doc_freq=index.doc_freq,
        names=(lambda k: names.near(k)) if names is not None else (lambda k: []),
        skip=widened,
    )
