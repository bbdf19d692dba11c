"""Read use cases: the one data path from the store (and the KB, and the search index) to every reader.

The CLI (``cli/*``), the JSON API and the HTML pages (``web/*``) and the exporters (``export.py``) call
these and only render what they return: typed, frozen views. A view's field names are the fields of its
JSON form (``web/schemas.py`` holds the same lists; ``tests/test_read.py`` checks that they agree);
fields marked :data:`INTERNAL` are for renderers that need more than the API shows (the stored record,
the source reference) and never reach JSON.

Entity ids are resolved from what users type by one rule, :mod:`marsad.search.refs` (``عباس`` means
every Abbas in the KB, everywhere); display names of ids come from one place, :class:`Names`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

from marsad.cluster.summary import sentence_title
from marsad.dedup.syndication import first_report, source_groups
from marsad.entities import KnowledgeBase, load_kb
from marsad.entities.link import ner_name_en
from marsad.errors import NotFound, StoreDamaged
from marsad.model import (
    Article,
    Entity,
    EntityKind,
    FirstReport,
    MentionKind,
    Quote,
    QuoteKind,
    SourceRef,
    SpeakerKind,
    Stance,
    Story,
)
from marsad.normalize.arabic import normalize_text
from marsad.normalize.snippet import clean_snippet
from marsad.parse.credits import canonical_medium
from marsad.search.engine import SearchFilters, SearchIndex
from marsad.search.refs import resolve_entities
from marsad.search.results import SearchHit, SearchPage, run_search
from marsad.store import open_store
from marsad.store.base import AlertHit, AlertRule, ArticleFilter, ListFilter, QuoteRow, Store

__all__ = [
    "INTERNAL",
    "ArticleDetailView",
    "ArticleView",
    "EdgeView",
    "EntityCount",
    "EntityProfile",
    "EntityRef",
    "FirstReportView",
    "IndexCounts",
    "ListFilter",
    "MentionView",
    "Names",
    "NetworkView",
    "OutletView",
    "Page",
    "PeriodCount",
    "PersonView",
    "QuoteView",
    "ReportRef",
    "RoleView",
    "SearchHit",
    "SearchPage",
    "SourceView",
    "SpeakerView",
    "StackCount",
    "StatsView",
    "StoryCard",
    "StoryView",
    "StorylineRow",
    "StorylineView",
    "alert_feed",
    "article",
    "article_details",
    "co_mention_network",
    "count_articles",
    "entity_counts",
    "entity_profile",
    "find_entities",
    "find_storylines",
    "latest_articles",
    "list_articles",
    "list_entities",
    "list_outlets",
    "list_quotes",
    "list_stories",
    "list_storylines",
    "listing_filter",
    "opened",
    "outlet_name",
    "quote_view",
    "resolve_entities",
    "search",
    "search_filters",
    "stance_timeline",
    "stats",
    "story",
    "story_timeline",
    "storyline",
    "storylines",
    "volume",
]

INTERNAL = {"json": False}  # field metadata: for renderers in-process, not part of the JSON form
NameLookup = Callable[[str], tuple[str, str | None] | None]  # entity id → (Arabic name, English name)
T = TypeVar("T")


@contextmanager
def opened(db: str | None) -> Iterator[Store]:
    """The store ``db`` opened read-only for the duration of a ``with`` block."""
    store = open_store(db, readonly=True)
    try:
        yield store
    finally:
        store.close()


def _ts(v: datetime | None) -> float:
    """Sortable time; stored datetimes may be naive (read as UTC) or aware, which Python won't compare."""
    if v is None:
        return float("inf")
    return (v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp()


def _day(v: datetime | None) -> date | None:
    return v.date() if v is not None else None


class Names:
    """Display names of entity ids: the knowledge base's, else the name part of the id (``ner:…``)."""

    def __init__(self, lookup: NameLookup | None = None, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb
        self._lookup = lookup

    @classmethod
    def of(cls, kb: KnowledgeBase | None) -> Names:
        return cls(kb=kb)

    def get(self, entity_id: str | None) -> tuple[str, str | None] | None:
        """(Arabic name, English name) when the KB knows the id."""
        if not entity_id:
            return None
        if self.kb is not None:
            e = self.kb.get(entity_id)
            return (e.name_ar, e.name_en) if e is not None else None
        return self._lookup(entity_id) if self._lookup is not None else None

    def name(self, entity_id: str) -> str:
        found = self.get(entity_id)
        return found[0] if found else entity_id.split(":", 1)[-1]

    def name_en(self, entity_id: str) -> str | None:
        """The KB's English name; for a person only the tagger found (``ner:…``), the romanized name."""
        found = self.get(entity_id)
        if found:
            return found[1]
        return ner_name_en(entity_id)


# ---- views ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityRef:
    id: str
    name: str


@dataclass(frozen=True)
class EntityCount:
    """An entity with the number of articles mentioning it (in the store, a story or an article)."""

    id: str
    name: str
    name_en: str | None
    type: str | None
    articles: int


@dataclass(frozen=True)
class PersonView:
    """A person an article mentions (export's ``persons``): KB names when linked, the text otherwise."""

    id: str | None
    name: str
    name_en: str | None


@dataclass(frozen=True)
class ArticleView:
    """An article's context, as every listing shows it."""

    id: str
    title: str | None
    published: datetime | None
    day: date | None
    outlet: str | None
    outlet_name: str | None  # the outlet as people know it (the KB's Arabic name; the stored key otherwise)
    wire: str | None
    url: str | None
    story_id: str | None
    parent_id: str | None
    duplicate_of: str | None
    excerpt: str | None
    source_ref: SourceRef = field(metadata=INTERNAL)


@dataclass(frozen=True)
class SpeakerView:
    text: str  # as written
    kind: SpeakerKind
    entity_id: str | None
    name: str  # resolved: the quote stage's canonical name, else the KB's, else the text
    name_en: str | None


@dataclass(frozen=True)
class ReportRef:
    """A stored article a denial or rejection answers: the report by the outlet it names."""

    id: str
    title: str | None


@dataclass(frozen=True)
class QuoteView:
    """A quote with its speaker's names resolved and the context of the article it is in."""

    index: int | None  # position among the article's quotes, when known
    text: str
    kind: QuoteKind
    stance: Stance
    cue: str | None
    via: str | None
    said_on: date | None
    in_headline: bool
    answers: str | None  # for a denial or rejection: the report or source it names
    start: int
    end: int
    speaker: SpeakerView | None
    article_id: str
    article_title: str | None
    outlet: str | None
    published: datetime | None
    day: date | None  # when it was said: ``said_on``, else the article's day
    # the stored report ``answers`` names, in the same story (resolved at read time: story, article and
    # quote listings, and what reads them — API, pages, exports)
    answers_article: ReportRef | None = None


@dataclass(frozen=True)
class MentionView:
    start: int
    end: int
    text: str
    kind: MentionKind
    entity_id: str | None
    entity_type: EntityKind
    name: str | None


@dataclass(frozen=True)
class ArticleDetailView(ArticleView):
    """One article in full: text, metadata, mentions, people, quotes (offsets point into ``body``)."""

    body: str
    author: str | None
    language: str | None
    tags: tuple[str, ...]
    cited_media: tuple[str, ...]
    source: str  # where it came from: path#member#record
    mentions: tuple[MentionView, ...]
    persons: tuple[PersonView, ...]
    quotes: tuple[QuoteView, ...]
    entities: tuple[EntityCount, ...]
    record: Article = field(metadata=INTERNAL)  # the stored article (exports read every field)


@dataclass(frozen=True)
class SourceView:
    """One source of a story: the wire or outlet (None: unknown) and the outlets that carried its text."""

    source: str | None
    name: str | None  # display name of ``source``
    outlets: tuple[str, ...]  # display names
    articles: int


@dataclass(frozen=True)
class FirstReportView:
    """Who reported the story first: the earliest dated article, with how precise its date is."""

    article_id: str
    outlet: str | None
    outlet_name: str | None
    wire: str | None
    published: datetime
    precision: str | None  # day | month | year
    date_source: str | None  # header | byline | body | feed | url | file | crawl


@dataclass(frozen=True)
class StoryCard:
    """A story as listings show it."""

    id: str
    title: str
    first_seen: datetime | None
    last_seen: datetime | None
    size: int
    outlets: tuple[str, ...]
    outlet_names: tuple[str, ...]  # display names of ``outlets``, in the same order
    independent_sources: int  # known sources, syndicated copies counted once
    unknown_sources: int  # article groups with no known outlet or wire (not counted above)
    sources: tuple[SourceView, ...]
    first_reported: FirstReportView | None
    top_entities: tuple[EntityRef, ...]
    summary: tuple[str, ...]
    storyline_id: str | None
    article_ids: tuple[str, ...] = field(metadata=INTERNAL)


@dataclass(frozen=True)
class StoryView(StoryCard):
    """One story: its articles in time order, its key quotes, the entities its articles mention."""

    articles: tuple[ArticleView, ...]
    quotes: tuple[QuoteView, ...]
    entities: tuple[EntityCount, ...]


@dataclass(frozen=True)
class StorylineView:
    """Stories about one ongoing matter; ``stories`` newest first."""

    id: str
    stories: tuple[StoryCard, ...]
    title: str = field(metadata=INTERNAL)  # the largest story's
    articles: int = field(metadata=INTERNAL)
    first_seen: datetime | None = field(metadata=INTERNAL)
    last_seen: datetime | None = field(metadata=INTERNAL)


@dataclass(frozen=True)
class RoleView:
    office: str
    title: str  # readable: the role's own title, else the office's, else its key
    title_en: str | None
    start: date | None
    end: date | None
    current: bool


@dataclass(frozen=True)
class PeriodCount:
    period: str
    count: int


@dataclass(frozen=True)
class StackCount:
    """One part of a period's bar in a stacked chart: ``key`` is an outlet, a stance…"""

    period: str
    key: str
    count: int


@dataclass(frozen=True)
class OutletView:
    outlet: str  # the stored key (filters use it)
    outlet_name: str  # as people know it: the KB's Arabic name, else the key
    articles: int
    share: float  # of the articles (matching the filter) that name an outlet
    stories: int
    first_day: date | None
    last_day: date | None


@dataclass(frozen=True)
class StorylineRow:
    """A storyline as the storylines listing shows it: its largest story's title, its newest stories."""

    id: str
    title: str
    stories: int
    articles: int
    first_seen: datetime | None
    last_seen: datetime | None
    latest: tuple[StoryCard, ...]


@dataclass(frozen=True)
class EdgeView:
    source: str
    target: str
    articles: int


@dataclass(frozen=True)
class NetworkView:
    """Who is mentioned with whom: ``nodes`` (the centre first, when there is one) and the edges among them."""

    center: str | None
    nodes: tuple[EntityCount, ...]
    edges: tuple[EdgeView, ...]


@dataclass(frozen=True)
class EntityProfile:
    """Who an entity is, what they held when, how often and with whom they appear, what they said."""

    id: str
    name: str
    name_en: str | None
    kind: EntityKind | None
    aliases: tuple[str, ...]
    country: str | None
    wikidata: str | None
    roles: tuple[RoleView, ...]
    articles: int
    first_seen: datetime | None
    last_seen: datetime | None
    mentions_over_time: tuple[PeriodCount, ...]
    co_mentions: tuple[EntityCount, ...]
    quotes: tuple[QuoteView, ...]  # in time order
    entity: Entity | None = field(metadata=INTERNAL)
    mentions: tuple[tuple[str, datetime | None], ...] = field(metadata=INTERNAL)  # (article id, published)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int
    limit: int
    has_more: bool
    total: int | None = None  # when counted
    offset: int = field(default=0, metadata=INTERNAL)


@dataclass(frozen=True)
class IndexCounts:
    articles: int
    quotes: int


@dataclass(frozen=True)
class StatsView:
    articles: int
    sources: int
    parts: int
    outlets: dict[str, int]
    languages: dict[str, int]
    first_published: str | None
    last_published: str | None
    mentions: int
    quotes: int
    entities: int
    stories: int
    schema_version: int
    index: IndexCounts | None
    size_bytes: int = field(metadata=INTERNAL)


# ---- builders ------------------------------------------------------------------------------------------


def article_view(a: Article) -> ArticleView:
    return ArticleView(**_article_fields(a))


def _article_fields(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "published": a.published,
        "day": _day(a.published),
        "outlet": a.outlet,
        "outlet_name": outlet_name(a.outlet),
        "wire": a.wire,
        "url": a.url,
        "story_id": a.story_id,
        "parent_id": a.parent_id,
        "duplicate_of": a.duplicate_of,
        "excerpt": clean_snippet(a.body, 240),
        "source_ref": a.source,
    }


def quote_view(
    q: Quote,
    names: Names,
    *,
    index: int | None,
    article_id: str,
    article_title: str | None,
    outlet: str | None,
    published: datetime | None,
) -> QuoteView:
    sp = q.speaker
    speaker = None
    if sp is not None:
        known = names.get(sp.entity_id)
        speaker = SpeakerView(
            text=sp.text,
            kind=sp.kind,
            entity_id=sp.entity_id,
            name=sp.name_ar or (known[0] if known else sp.text),
            name_en=sp.name_en or (known[1] if known else ner_name_en(sp.entity_id)),
        )
    return QuoteView(
        index=index,
        text=q.text,
        kind=q.kind,
        stance=q.stance,
        cue=q.cue,
        via=q.via,
        said_on=q.said_on,
        in_headline=q.in_headline,
        answers=q.answers,
        start=q.start,
        end=q.end,
        speaker=speaker,
        article_id=article_id,
        article_title=article_title,
        outlet=outlet,
        published=published,
        day=q.said_on or _day(published),
    )


def _quote_of_article(a: Article, q: Quote, i: int, names: Names) -> QuoteView:
    return quote_view(
        q, names, index=i, article_id=a.id, article_title=a.title, outlet=a.outlet, published=a.published
    )


def _quote_of_row(r: QuoteRow, names: Names) -> QuoteView:
    return quote_view(
        r.quote,
        names,
        index=None,
        article_id=r.article_id,
        article_title=r.article_title,
        outlet=r.outlet,
        published=r.published,
    )


def _name_keys(name: str | None) -> set[str]:
    """An outlet's or source's name as compared: normalised as written and as the KB's medium."""
    if not name:
        return set()
    keys = {normalize_text(name)}
    m = canonical_medium(name)
    if m is not None:
        keys.add(normalize_text(m.name))
    return {k for k in keys if len(k) >= 3}


def _names_meet(a: set[str], b: set[str]) -> bool:
    """One name equals the other or stands in it as whole words ("وكالة رويترز" / "رويترز")."""
    for x in a:
        for y in b:
            short, long = (x, y) if len(x) <= len(y) else (y, x)
            if short == long or f" {short} " in f" {long} ":
                return True
    return False


def answered_report(answers: str | None, quoted_in: Article, articles: Sequence[Article]) -> ReportRef | None:
    """The stored report a denial or rejection in ``quoted_in`` answers: among ``articles`` (its story's),
    the earliest other one published no later than it whose outlet or wire the answered name names."""
    want = _name_keys(answers)
    if not want:
        return None
    best: Article | None = None
    for c in articles:
        if c.id == quoted_in.id or c.duplicate_of == quoted_in.id:
            continue
        if c.published and quoted_in.published and _ts(c.published) > _ts(quoted_in.published):
            continue
        have = _name_keys(c.outlet) | _name_keys(outlet_name(c.outlet)) | _name_keys(c.wire)
        if not _names_meet(want, have):
            continue
        if best is None or (_ts(c.published), c.id) < (_ts(best.published), best.id):
            best = c
    return None if best is None else ReportRef(id=best.id, title=best.title)


def _with_reports(
    quotes: Sequence[QuoteView], by_id: dict[str, Article], articles: Sequence[Article]
) -> tuple[QuoteView, ...]:
    """``quotes`` with the stored report each denial or rejection answers, looked up among ``articles``."""
    out = []
    for q in quotes:
        a = by_id.get(q.article_id)
        if q.answers and a is not None:
            ref = answered_report(q.answers, a, articles)
            if ref is not None:
                q = replace(q, answers_article=ref)
        out.append(q)
    return tuple(out)


def _with_stored_reports(store: Store, quotes: tuple[QuoteView, ...]) -> tuple[QuoteView, ...]:
    """A page of listed quotes with the stored reports their denials answer: nothing read when none
    answers a report, else their articles (one query) and, per story they are in, its articles."""
    want = {q.article_id for q in quotes if q.answers}
    if not want:
        return quotes
    light = {"with_analysis": False, "with_quotes": False, "with_search_text": False}
    own = {a.id: a for a in store.get_articles(want, **light)}
    stories: dict[str, list[Article]] = {}
    for sid in sorted({a.story_id for a in own.values() if a.story_id}):
        s = store.get_story(sid)
        stories[sid] = store.get_articles(s.article_ids, **light) if s is not None else []
    out = []
    for q in quotes:
        a = own.get(q.article_id)
        arts = stories.get(a.story_id, []) if a is not None and a.story_id else []
        ref = answered_report(q.answers, a, arts) if a is not None and arts else None
        out.append(replace(q, answers_article=ref) if ref is not None else q)
    return tuple(out)


def _story_articles(store: Store, a: Article) -> list[Article]:
    """The other articles of ``a``'s story (without their analysis), when it has quotes answering a
    report: one query, none otherwise."""
    if not a.story_id or not any(q.answers for q in a.quotes):
        return []
    s = store.get_story(a.story_id)
    if s is None:
        return []
    ids = [i for i in s.article_ids if i != a.id]
    return store.get_articles(ids, with_analysis=False, with_quotes=False, with_search_text=False)


def _persons(a: Article, names: Names) -> tuple[PersonView, ...]:
    """Distinct people mentioned in the article, in order of first mention."""
    out: list[PersonView] = []
    seen: set[str] = set()
    for m in a.mentions:
        if m.entity_type != EntityKind.PERSON:
            continue
        key = m.entity_id or f"ner:{m.text}"
        if key in seen:
            continue
        seen.add(key)
        found = names.get(m.entity_id)
        if found:
            out.append(PersonView(id=m.entity_id, name=found[0], name_en=found[1]))
        else:
            out.append(PersonView(id=m.entity_id, name=m.text, name_en=ner_name_en(m.entity_id)))
    return tuple(out)


def _entities_of(arts: Sequence[Article], names: Names, limit: int = 25) -> tuple[EntityCount, ...]:
    counts: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for a in arts:
        for eid in {m.entity_id for m in a.mentions if m.entity_id}:
            counts[eid] += 1
        for m in a.mentions:
            if m.entity_id:
                kinds[m.entity_id] = m.entity_type.value
    return tuple(
        EntityCount(id=eid, name=names.name(eid), name_en=names.name_en(eid), type=kinds.get(eid), articles=n)
        for eid, n in counts.most_common(limit)
    )


def article_detail(a: Article, names: Names, story_articles: Sequence[Article] = ()) -> ArticleDetailView:
    """``story_articles``: the others of its story, where the reports its denials answer are looked up."""
    quotes = tuple(_quote_of_article(a, q, i, names) for i, q in enumerate(a.quotes))
    if story_articles:
        quotes = _with_reports(quotes, {a.id: a}, story_articles)
    return ArticleDetailView(
        **_article_fields(a),
        body=a.body,
        author=a.author,
        language=a.language,
        tags=a.tags,
        cited_media=a.cited_media,
        source=a.source.label,
        mentions=tuple(
            MentionView(
                start=m.start,
                end=m.end,
                text=m.text,
                kind=m.kind,
                entity_id=m.entity_id,
                entity_type=m.entity_type,
                name=names.name(m.entity_id) if m.entity_id else None,
            )
            for m in a.mentions
        ),
        persons=_persons(a, names),
        quotes=quotes,
        entities=_entities_of([a], names),
        record=a,
    )


def story_card(s: Story, names: Names) -> StoryCard:
    return StoryCard(**_story_fields(s, names))


def outlet_name(outlet: str | None) -> str | None:
    """An outlet as people know it: the KB's Arabic name for a stored key (``skynews`` → ``سكاي نيوز
    عربية``), else the key itself. Stored keys never change: filters and links use them."""
    m = canonical_medium(outlet)
    return m.name if m is not None and m.known else outlet


def _first_view(f: FirstReport | None) -> FirstReportView | None:
    if f is None:
        return None
    return FirstReportView(
        article_id=f.article_id,
        outlet=f.outlet,
        outlet_name=outlet_name(f.outlet),
        wire=outlet_name(f.wire),
        published=f.published,
        precision=f.precision,
        date_source=f.source,
    )


def _story_fields(s: Story, names: Names) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title or sentence_title(s.summary) or s.id,
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
        "size": len(s.article_ids),
        "outlets": s.outlets,
        "outlet_names": tuple(outlet_name(o) or o for o in s.outlets),
        "independent_sources": s.independent_sources,
        "unknown_sources": s.unknown_sources,
        "sources": tuple(
            SourceView(
                source=g.source,
                name=outlet_name(g.source),
                outlets=tuple(outlet_name(o) or o for o in g.outlets),
                articles=g.articles,
            )
            for g in s.sources
        ),
        "first_reported": _first_view(s.first_reported),
        "top_entities": tuple(EntityRef(id=e, name=names.name(e)) for e in s.top_entities),
        "summary": s.summary,
        "storyline_id": s.storyline_id,
        "article_ids": s.article_ids,
    }


# ---- articles ------------------------------------------------------------------------------------------


def article(store: Store, names: Names, article_id: str) -> ArticleDetailView:
    """One article by id (or a unique prefix of it); :class:`NotFound` when there is none."""
    a = store.get_article(article_id)
    if a is None:
        raise NotFound(article_id, "no such article")
    return article_detail(a, names, _story_articles(store, a))


def article_details(
    store: Store, names: Names, flt: ArticleFilter | None = None
) -> Iterator[ArticleDetailView]:
    """Every article (matching ``flt``) in full, in store order: what exports write."""
    for a in store.iter_articles(flt):
        yield article_detail(a, names, _story_articles(store, a))


def count_articles(store: Store, flt: ArticleFilter | None = None) -> int:
    return store.count_articles(flt)


def list_articles(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    outlet: str | None = None,
    story: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[ArticleView]:
    """Stored articles in ingest order, filtered by day, outlet or story, with the total count."""
    flt = ArticleFilter(since=since, until=until, outlet=outlet, story_id=story, limit=limit, offset=offset)
    items = tuple(article_view(a) for a in store.iter_articles(flt, with_analysis=False))
    total = store.count_articles(ArticleFilter(since=since, until=until, outlet=outlet, story_id=story))
    return Page(
        items=items,
        page=offset // limit + 1,
        limit=limit,
        has_more=offset + limit < total,
        total=total,
        offset=offset,
    )


def latest_articles(store: Store, index: SearchIndex | None, limit: int = 20) -> list[ArticleView]:
    """Newest articles by publication day when there is a readable index, else the last ingested (a
    damaged index must not take the home page down with it: search says how to repair it)."""
    if index is not None:
        try:
            res = index.search(None, SearchFilters(kind="article"), limit=limit, sort="date")
        except StoreDamaged:
            res = None
        if res is not None:
            arts = [store.get_article(h.article_id) for h in res.hits]
            return [article_view(a) for a in arts if a is not None]
    total = store.count_articles()
    flt = ArticleFilter(limit=limit, offset=max(0, total - limit))
    return [article_view(a) for a in reversed(list(store.iter_articles(flt, with_analysis=False)))]


# ---- stories -------------------------------------------------------------------------------------------


def list_stories(
    store: Store,
    names: Names,
    *,
    since: date | None = None,
    order: str = "recent",
    min_size: int = 1,
    storyline: str | None = None,
    flt: ListFilter | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[StoryCard]:
    """Stories, most recent (``order="recent"``) or largest (``"size"``) first, with the total count;
    ``flt`` (:func:`listing_filter`) filters by every field, the keywords are its shortcuts."""
    if flt is None:
        flt = ListFilter(since=since, min_size=min_size, storyline_id=storyline)
    rows = store.find_stories(flt, order=order, limit=limit, offset=offset)
    total = store.count_stories_matching(flt)
    return Page(
        items=tuple(story_card(s, names) for s in rows),
        page=offset // limit + 1,
        limit=limit,
        has_more=offset + limit < total,
        total=total,
        offset=offset,
    )


def story(store: Store, names: Names, story_id: str, *, max_quotes: int | None = 12) -> StoryView:
    """One story: articles in time order; key quotes (named speakers first, each wording once —
    syndicated copies repeat them — at most ``max_quotes``, None for all) in time order."""
    s = store.get_story(story_id)
    if s is None:
        raise NotFound(story_id, "no such story")
    arts = [a for a in (store.get_article(i) for i in s.article_ids) if a is not None]
    arts.sort(key=lambda a: (_ts(a.published), a.id))
    if arts and not s.sources:  # written before stories kept their sources: worked out from the articles
        groups = source_groups(arts)
        s = replace(
            s,
            sources=groups,
            independent_sources=sum(g.source is not None for g in groups),
            unknown_sources=sum(g.source is None for g in groups),
            first_reported=first_report(arts),
        )
    candidates = [(a, i, q) for a in arts for i, q in enumerate(a.quotes)]
    candidates.sort(key=lambda t: (not (t[2].speaker and t[2].speaker.entity_id), len(t[2].text) < 25))
    quotes: list[QuoteView] = []
    seen: set[str] = set()
    for a, i, q in candidates:
        key = normalize_text(q.text)[:80]
        if key in seen:
            continue
        seen.add(key)
        quotes.append(_quote_of_article(a, q, i, names))
        if max_quotes is not None and len(quotes) >= max_quotes:
            break
    quotes.sort(key=lambda v: v.day.isoformat() if v.day else "")
    reports = _with_reports(quotes, {a.id: a for a in arts}, arts)
    return StoryView(
        **_story_fields(s, names),
        articles=tuple(article_view(a) for a in arts),
        quotes=reports,
        entities=_entities_of(arts, names),
    )


def storylines(store: Store, *, scan: int = 1000) -> dict[str, list[Story]]:
    """Storylines of the most recently active ``scan`` stories: storyline id → its stories, newest first."""
    lines: dict[str, list[Story]] = {}
    for s in store.iter_stories(order="recent", limit=scan):
        if s.storyline_id:
            lines.setdefault(s.storyline_id, []).append(s)
    return lines


def _storyline_view(lid: str, stories: Sequence[Story], names: Names) -> StorylineView:
    firsts = [s.first_seen for s in stories if s.first_seen]
    return StorylineView(
        id=lid,
        stories=tuple(story_card(s, names) for s in stories),
        title=max(stories, key=lambda s: len(s.article_ids)).title,
        articles=sum(len(s.article_ids) for s in stories),
        first_seen=min(firsts, key=_ts) if firsts else None,
        last_seen=stories[0].last_seen,
    )


def list_storylines(store: Store, names: Names, *, scan: int = 1000) -> list[StorylineView]:
    """Storylines of the most recently active ``scan`` stories, the most recently active first."""
    return [_storyline_view(lid, members, names) for lid, members in storylines(store, scan=scan).items()]


def find_storylines(
    store: Store, names: Names, flt: ListFilter | None = None, *, limit: int = 20, offset: int = 0
) -> Page[StorylineRow]:
    """Storylines (of the stories matching ``flt``), the most recently active first, each with its
    three newest stories."""
    rows = store.storyline_counts(flt, limit=limit + 1, offset=offset)
    items = []
    for r in rows[:limit]:
        members = store.iter_stories(storyline_id=r.storyline_id, order="recent")
        title = max(members, key=lambda s: len(s.article_ids)).title if members else r.storyline_id
        items.append(
            StorylineRow(
                id=r.storyline_id,
                title=title,
                stories=r.stories,
                articles=r.articles,
                first_seen=r.first_seen,
                last_seen=r.last_seen,
                latest=tuple(story_card(s, names) for s in members[:3]),
            )
        )
    return Page(
        items=tuple(items), page=offset // limit + 1, limit=limit, has_more=len(rows) > limit, offset=offset
    )


def storyline(store: Store, names: Names, storyline_id: str) -> StorylineView:
    stories = store.iter_stories(storyline_id=storyline_id, order="recent")
    if not stories:
        raise NotFound(storyline_id, "no such storyline")
    return _storyline_view(storyline_id, stories, names)


# ---- entities and quotes -------------------------------------------------------------------------------


def find_entities(kb: KnowledgeBase, name: str) -> list[Entity]:
    """KB entities ``name`` may mean (:mod:`marsad.search.refs`: any spelling, clitic form, English name
    or role phrase; an id is itself); [] when none. An empty name is :class:`NotFound`."""
    try:
        ids = resolve_entities(kb, name)
    except NotFound:
        if not name.strip():
            raise
        return []
    return [e for i in ids if (e := kb.get(i)) is not None]


def entity_counts(
    store: Store, names: Names, *, entity_type: str | None = None, limit: int = 50
) -> list[EntityCount]:
    """The most mentioned entities (KB entities and names the tagger found)."""
    return [
        EntityCount(id=eid, name=names.name(eid), name_en=names.name_en(eid), type=t, articles=n)
        for eid, t, n in store.entity_counts(entity_type=entity_type, limit=limit)
    ]


def entity_id(store: Store, kb: KnowledgeBase, ref: str) -> str:
    """The one entity ``ref`` names where one is needed (a profile): the first reading by the rule of
    :mod:`marsad.search.refs`; an id neither the KB nor the store knows is :class:`NotFound`."""
    eid = resolve_entities(kb, ref)[0]
    if kb.get(eid) is None and not store.entity_mentions(eid):
        raise NotFound(ref, "no such entity")
    return eid


def mentions_over_time(
    mentions: Sequence[tuple[str, datetime | None]], bucket: str = "month"
) -> tuple[PeriodCount, ...]:
    """Articles per day, ISO week or month, gaps filled with zeros."""
    counts: Counter[str] = Counter()
    for _, published in mentions:
        if published is not None:
            counts[_bucket(published.date(), bucket)] += 1
    if not counts:
        return ()
    keys = sorted(counts)
    return tuple(PeriodCount(period=k, count=counts.get(k, 0)) for k in _fill(keys[0], keys[-1], bucket))


def entity_timeline(store: Store, entity: str, bucket: str = "month") -> tuple[PeriodCount, ...]:
    return mentions_over_time(store.entity_mentions(entity), bucket)


def _bucket(d: date, bucket: str) -> str:
    if bucket == "day":
        return d.isoformat()
    if bucket == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return f"{d.year}-{d.month:02d}"


def _fill(first: str, last: str, bucket: str) -> list[str]:
    if bucket == "month":
        y, m = int(first[:4]), int(first[5:7])
        out: list[str] = []
        while f"{y}-{m:02d}" <= last and len(out) < 1200:
            out.append(f"{y}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    if bucket == "week":
        start = date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
        end = date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
        step = timedelta(days=7)
    else:
        start, end, step = date.fromisoformat(first), date.fromisoformat(last), timedelta(days=1)
    out = []
    while start <= end and len(out) < 3700:
        out.append(_bucket(start, bucket))
        start += step
    return out


def co_mentions(store: Store, names: Names, entity: str, limit: int = 15) -> tuple[EntityCount, ...]:
    """Entities most often mentioned in the same articles."""
    return tuple(
        EntityCount(id=oid, name=names.name(oid), name_en=names.name_en(oid), type=None, articles=n)
        for oid, n in store.co_mentioned(entity, limit)
    )


def list_quotes(
    store: Store,
    kb: KnowledgeBase | None,
    *,
    speaker: str | None = None,
    speakers: Sequence[str] | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    article: str | None = None,
    flt: ListFilter | None = None,
    limit: int = 100,
    offset: int = 0,
    count: bool = False,
) -> Page[QuoteView]:
    """Quotes in time order. ``speaker`` is what a user typed (an id, or a name: every entity it may
    mean counts, :mod:`marsad.search.refs`); ``speakers`` are ids already resolved; ``flt``
    (:func:`listing_filter`) filters by every field instead. ``count``: with the total."""
    kb = kb if kb is not None else load_kb()
    if flt is None:
        _check_stance(stance)
        ids: Sequence[str] | None = speakers
        if speaker:
            ids = resolve_entities(kb, speaker, param="speaker")
        flt = ListFilter(
            since=since, until=until, stance=stance, speaker_ids=None if ids is None else tuple(ids)
        )
    rows = store.find_quotes(flt, limit=limit + 1, offset=offset, article_id=article)
    names = Names.of(kb)
    return Page(
        items=_with_stored_reports(store, tuple(_quote_of_row(r, names) for r in rows[:limit])),
        page=offset // limit + 1,
        limit=limit,
        has_more=len(rows) > limit,
        total=store.count_quotes(flt) if count and article is None else None,
        offset=offset,
    )


def _check_stance(stance: str | None) -> None:
    if stance and stance not in {s.value for s in Stance}:
        raise NotFound(stance, f"unknown stance (use one of: {', '.join(s.value for s in Stance)})")


def entity_profile(
    store: Store, kb: KnowledgeBase, ref: str, *, quote_limit: int = 200, co_limit: int = 15
) -> EntityProfile:
    """Profile of the entity ``ref`` names (an id, or a name: its first reading)."""
    eid = entity_id(store, kb, ref)
    ent = kb.get(eid)
    names = Names.of(kb)
    mentions = tuple(store.entity_mentions(eid))
    roles = []
    for r in sorted(kb.offices_of(eid), key=lambda r: r.start or date.min):
        office = kb.office(r.office)
        title = r.title_ar or r.title_en or (office.title_ar or office.title_en if office else "") or r.office
        roles.append(
            RoleView(
                office=r.office,
                title=title,
                title_en=r.title_en or None,
                start=r.start,
                end=r.end,
                current=r.end is None,
            )
        )
    dated = [p for _, p in mentions if p]
    return EntityProfile(
        id=eid,
        name=ent.name_ar if ent else names.name(eid),
        name_en=ent.name_en if ent else None,
        kind=ent.kind if ent else None,
        aliases=ent.aliases if ent else (),
        country=ent.country if ent else None,
        wikidata=ent.wikidata if ent else None,
        roles=tuple(roles),
        articles=len(mentions),
        first_seen=min(dated, key=_ts, default=None),
        last_seen=max(dated, key=_ts, default=None),
        mentions_over_time=mentions_over_time(mentions),
        co_mentions=co_mentions(store, names, eid, co_limit),
        quotes=list_quotes(store, kb, speakers=(eid,), limit=quote_limit).items,
        entity=ent,
        mentions=mentions,
    )


# ---- listings and charts -------------------------------------------------------------------------------


def listing_filter(
    kb: KnowledgeBase,
    *,
    since: date | None = None,
    until: date | None = None,
    outlet: str | None = None,
    language: str | None = None,
    entity: str | None = None,
    speaker: str | None = None,
    stance: str | None = None,
    min_size: int = 1,
    max_size: int | None = None,
    storyline: str | None = None,
) -> ListFilter:
    """The filter of a listing from what users type: ``entity`` and ``speaker`` by the rule of
    :mod:`marsad.search.refs` (every entity a name may mean counts); empty strings are no filter."""
    _check_stance(stance)
    return ListFilter(
        since=since,
        until=until,
        outlet=outlet or None,
        language=language or None,
        entity_ids=tuple(resolve_entities(kb, entity, param="entity")) if entity else None,
        speaker_ids=tuple(resolve_entities(kb, speaker, param="speaker")) if speaker else None,
        stance=stance or None,
        min_size=min_size,
        max_size=max_size,
        storyline_id=storyline or None,
    )


def list_entities(
    store: Store,
    names: Names,
    flt: ListFilter | None = None,
    *,
    entity_type: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[EntityCount]:
    """The most mentioned entities in the articles matching ``flt``, most first."""
    rows = store.entity_counts(entity_type=entity_type, limit=limit + 1, offset=offset, flt=flt)
    return Page(
        items=tuple(
            EntityCount(id=eid, name=names.name(eid), name_en=names.name_en(eid), type=t, articles=n)
            for eid, t, n in rows[:limit]
        ),
        page=offset // limit + 1,
        limit=limit,
        has_more=len(rows) > limit,
        offset=offset,
    )


MAX_OUTLETS = 10_000  # outlets are few; the share needs them all (aggregated by the store)


def list_outlets(
    store: Store, flt: ListFilter | None = None, *, limit: int = 50, offset: int = 0
) -> Page[OutletView]:
    """Outlets by number of articles (matching ``flt``), with their share of them."""
    rows = store.outlet_counts(flt, limit=MAX_OUTLETS)
    total = sum(r.articles for r in rows) or 1
    items = tuple(
        OutletView(
            outlet=r.outlet,
            outlet_name=outlet_name(r.outlet) or r.outlet,
            articles=r.articles,
            share=round(r.articles / total, 4),
            stories=r.stories,
            first_day=r.first_day,
            last_day=r.last_day,
        )
        for r in rows[offset : offset + limit]
    )
    return Page(
        items=items,
        page=offset // limit + 1,
        limit=limit,
        has_more=offset + limit < len(rows),
        total=len(rows),
        offset=offset,
    )


def bucket_for(first: date, last: date) -> str:
    """The period a chart over ``first``–``last`` counts by: days up to three months, weeks up to two
    years, months beyond (a few dozen bars either way)."""
    span = (last - first).days
    return "day" if span <= 92 else "week" if span <= 731 else "month"


def _filled(counts: Counter[str], bucket: str) -> tuple[PeriodCount, ...]:
    if not counts:
        return ()
    keys = sorted(counts)
    return tuple(PeriodCount(period=k, count=counts.get(k, 0)) for k in _fill(keys[0], keys[-1], bucket))


def volume(store: Store, flt: ListFilter | None = None) -> tuple[str, tuple[PeriodCount, ...]]:
    """Articles (matching ``flt``) per period, gaps filled: (bucket, counts)."""
    rows = store.daily_counts(flt)
    if not rows:
        return "day", ()
    bucket = bucket_for(rows[0][0], rows[-1][0])
    counts: Counter[str] = Counter()
    for day, _, n in rows:
        counts[_bucket(day, bucket)] += n
    return bucket, _filled(counts, bucket)


def _stacked(
    rows: Sequence[tuple[date, str, int]], top: int
) -> tuple[str, tuple[PeriodCount, ...], tuple[StackCount, ...]]:
    """Per-period totals and parts; keys beyond the ``top`` largest are summed as ``other``."""
    if not rows:
        return "day", (), ()
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    bucket = bucket_for(first, last)
    sizes: Counter[str] = Counter()
    for _, key, n in rows:
        sizes[key] += n
    kept = {k for k, _ in sizes.most_common(top)}
    totals: Counter[str] = Counter()
    parts: Counter[tuple[str, str]] = Counter()
    for day, key, n in rows:
        period = _bucket(day, bucket)
        totals[period] += n
        parts[(period, key if key in kept else "other")] += n
    stacks = tuple(StackCount(period=p, key=k, count=n) for (p, k), n in sorted(parts.items()))
    return bucket, _filled(totals, bucket), stacks


def story_timeline(
    store: Store, story_id: str, *, top: int = 6
) -> tuple[str, tuple[PeriodCount, ...], tuple[StackCount, ...]]:
    """A story's articles per period, by outlet (the ``top`` largest, the rest as ``other``)."""
    rows = store.daily_counts(ListFilter(story_id=story_id), by_outlet=True)
    return _stacked([(d, o or "other", n) for d, o, n in rows], top)


def stance_timeline(
    store: Store, speaker_ids: Sequence[str], flt: ListFilter | None = None
) -> tuple[str, tuple[PeriodCount, ...], tuple[StackCount, ...]]:
    """What the speakers said per period, by stance."""
    rows = store.quote_counts(replace(flt or ListFilter(), speaker_ids=tuple(speaker_ids)))
    return _stacked(rows, top=len(Stance))


def co_mention_network(
    store: Store,
    names: Names,
    *,
    entity: str | None = None,
    story: str | None = None,
    size: int = 12,
) -> NetworkView:
    """The entities most mentioned with ``entity`` (or in the ``story``) and the edges among them."""
    if entity is not None:
        nodes = (
            EntityCount(
                id=entity,
                name=names.name(entity),
                name_en=names.name_en(entity),
                type=None,
                articles=len(store.entity_mentions(entity)),
            ),
            *co_mentions(store, names, entity, size - 1),
        )
        flt = ListFilter(entity_ids=(entity,))
    else:
        flt = ListFilter(story_id=story)
        nodes = list_entities(store, names, flt, limit=size).items
    edges = store.co_mention_pairs([n.id for n in nodes], flt)
    return NetworkView(
        center=entity,
        nodes=tuple(nodes),
        edges=tuple(EdgeView(source=a, target=b, articles=n) for a, b, n in edges),
    )


# ---- search and counts ---------------------------------------------------------------------------------

_KINDS: dict[str | None, Literal["article", "quote"] | None] = {
    None: None,
    "": None,
    "articles": "article",
    "quotes": "quote",
}


def search_filters(
    kb: KnowledgeBase,
    *,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    speaker: str | None = None,
    stance: str | None = None,
    story: str | None = None,
    params: tuple[str, str] = ("entity", "speaker"),
) -> SearchFilters:
    """Search filters from what users type: ``entity`` and ``speaker`` by the rule of
    :mod:`marsad.search.refs` (every entity a name may mean counts; ``params`` name the two options in
    messages), ``kind`` ``articles``, ``quotes`` or None for both; empty strings are no filter."""
    if kind not in _KINDS:
        raise NotFound(kind or "", "unknown kind (use articles or quotes)")
    return SearchFilters(
        since=since,
        until=until,
        outlet=outlet or None,
        entities=resolve_entities(kb, entity, param=params[0]) if entity else (),
        speakers=resolve_entities(kb, speaker, param=params[1]) if speaker else (),
        stance=stance or None,
        story=story or None,
        kind=_KINDS[kind],
    )


def search(
    store: Store,
    index: SearchIndex,
    q: str,
    filters: SearchFilters | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    limit: int = 10,
    expand: bool = True,
) -> SearchPage:
    """One page of search results (:class:`~marsad.search.results.SearchPage`); with ``expand`` a KB name
    matches its other spellings too (``page.expansions`` says which)."""
    return run_search(
        store,
        index,
        q,
        filters,
        page=page,
        limit=limit,
        sort="date" if sort == "date" else "relevance",
        expand=expand,
    )


def stats(store: Store, index: SearchIndex | None = None) -> StatsView:
    """What the store holds, and what the search index holds (None without a readable one)."""
    st = store.stats()
    counts: IndexCounts | None = None
    if index is not None:
        try:
            counts = IndexCounts(articles=index.count("article"), quotes=index.count("quote"))
        except StoreDamaged:
            counts = None
    return StatsView(
        articles=st.articles,
        sources=st.sources,
        parts=st.parts,
        outlets=st.outlets,
        languages=st.languages,
        first_published=st.first_published,
        last_published=st.last_published,
        mentions=st.mentions,
        quotes=st.quotes,
        entities=st.entities,
        stories=st.stories,
        schema_version=st.schema_version,
        index=counts,
        size_bytes=st.size_bytes,
    )


@dataclass(frozen=True)
class SpeakerQuotes:
    """A much-mentioned person and what they said (their first quotes in time order)."""

    speaker: EntityCount
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True)
class BriefView:
    """What a store holds, told as a reader wants it first: the largest stories, who said what, and
    the denials (``marsad brief``, the end of the README's first command)."""

    stats: StatsView
    stories: tuple[StoryCard, ...]
    speakers: tuple[SpeakerQuotes, ...]
    denials: tuple[QuoteView, ...]
    denial_total: int


def brief(
    store: Store, kb: KnowledgeBase, *, stories: int = 5, speakers: int = 5, quotes_each: int = 2
) -> BriefView:
    """A short summary of the store: each part is one bounded listing query, so it costs the same on a
    large store as on the seeds."""
    names = Names.of(kb)
    top = list_stories(store, names, order="size", limit=stories).items
    said: list[SpeakerQuotes] = []
    for person in entity_counts(store, names, entity_type="person", limit=speakers * 4):
        if len(said) == speakers:
            break
        qs = list_quotes(store, kb, speakers=[person.id], limit=quotes_each).items
        if qs:
            said.append(SpeakerQuotes(person, qs))
    denials = list_quotes(store, kb, stance=Stance.DENIAL.value, limit=5, count=True)
    return BriefView(
        stats=stats(store),
        stories=top,
        speakers=tuple(said),
        denials=denials.items,
        denial_total=denials.total or 0,
    )


def alert_feed(store: Store, name: str, *, limit: int = 100) -> tuple[AlertRule, list[AlertHit]]:
    """An alert rule and its newest hits (the Atom feed of ``serve``); :class:`NotFound` when there is no
    such rule. A store from before alerts existed, opened read-only (so not migrated), has none."""
    try:
        rules = store.alert_rules(name)
    except Exception:  # no alert tables yet
        rules = []
    if not rules:
        raise NotFound(name, "no such alert (marsad alert list shows them)")
    return rules[0], store.alert_hits(name, limit=limit)
