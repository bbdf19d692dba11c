"""Pydantic models of the JSON API: they validate nothing we produce by hand but document every field
in the OpenAPI schema (``/api/openapi.json``). Pydantic lives only here.

Each mirrors a view of :mod:`marsad.read` field for field (``ArticleSummary`` ↔ ``ArticleView``,
``QuoteOut`` ↔ ``QuoteView``, ``StoryDetail`` ↔ ``StoryView``, ``EntityProfile`` ↔ ``EntityProfile`` …):
``tests/test_read.py::test_schemas_mirror_the_views`` fails when the two field lists part."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Stance = Literal[
    "statement", "confirmation", "denial", "claim", "rejection", "warning", "accusation", "demand", "promise"
]


class ErrorOut(BaseModel):
    error: str
    detail: object = None


class EntityRef(BaseModel):
    id: str
    name: str


class EntityCount(EntityRef):
    name_en: str | None = None
    type: str | None = None
    articles: int


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    published: str | None
    day: str | None
    outlet: str | None
    outlet_name: str | None = None
    wire: str | None
    url: str | None
    story_id: str | None
    parent_id: str | None
    duplicate_of: str | None
    excerpt: str | None = None


class ReportRefOut(BaseModel):
    id: str
    title: str | None = None


class SpeakerOut(BaseModel):
    text: str
    kind: str
    entity_id: str | None
    name: str | None
    name_en: str | None = None


class PersonOut(BaseModel):
    id: str | None
    name: str
    name_en: str | None


class QuoteOut(BaseModel):
    index: int | None = None
    text: str
    kind: str
    stance: str
    cue: str | None
    via: str | None
    said_on: str | None
    in_headline: bool
    answers: str | None = None
    start: int
    end: int
    speaker: SpeakerOut | None
    article_id: str | None = None
    article_title: str | None = None
    outlet: str | None = None
    published: str | None = None
    day: str | None = None
    answers_article: ReportRefOut | None = None  # the stored report a denial answers, when found


class MentionOut(BaseModel):
    start: int
    end: int
    text: str
    kind: str
    entity_id: str | None
    entity_type: str
    name: str | None


class ArticleDetail(ArticleSummary):
    body: str
    author: str | None
    language: str | None
    tags: list[str]
    cited_media: list[str]
    source: str
    mentions: list[MentionOut]
    persons: list[PersonOut]
    quotes: list[QuoteOut]
    entities: list[EntityCount]


class Page(BaseModel):
    page: int
    limit: int
    has_more: bool
    total: int | None = None  # when counted


class ArticlePage(Page):
    total: int
    items: list[ArticleSummary]


class SourceOut(BaseModel):
    source: str | None
    name: str | None
    outlets: list[str]
    articles: int


class FirstReportOut(BaseModel):
    article_id: str
    outlet: str | None
    outlet_name: str | None
    wire: str | None
    published: str
    precision: str | None
    date_source: str | None


class StorySummary(BaseModel):
    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    size: int
    outlets: list[str]
    outlet_names: list[str] = []
    independent_sources: int
    unknown_sources: int = 0
    sources: list[SourceOut] = []
    first_reported: FirstReportOut | None = None
    top_entities: list[EntityRef]
    summary: list[str]
    storyline_id: str | None


class StoryPage(Page):
    items: list[StorySummary]


class StoryDetail(StorySummary):
    articles: list[ArticleSummary]
    quotes: list[QuoteOut]
    entities: list[EntityCount]


class StorylineRow(BaseModel):
    id: str
    title: str
    stories: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    latest: list[StorySummary]


class StorylinePage(Page):
    items: list[StorylineRow]


class OutletOut(BaseModel):
    outlet: str
    outlet_name: str
    articles: int
    share: float
    stories: int
    first_day: str | None
    last_day: str | None


class OutletPage(Page):
    items: list[OutletOut]


class EntityPage(Page):
    items: list[EntityCount]


class StorylineDetail(BaseModel):
    id: str
    stories: list[StorySummary]


class QuotePage(Page):
    items: list[QuoteOut]


class RoleOut(BaseModel):
    office: str
    title: str
    title_en: str | None
    start: str | None
    end: str | None
    current: bool


class PeriodCount(BaseModel):
    period: str
    count: int


class EntityProfile(BaseModel):
    id: str
    name: str
    name_en: str | None
    kind: str | None
    aliases: list[str]
    country: str | None
    wikidata: str | None
    roles: list[RoleOut]
    articles: int
    first_seen: str | None
    last_seen: str | None
    mentions_over_time: list[PeriodCount]
    co_mentions: list[EntityCount]
    quotes: list[QuoteOut]


class SearchHitOut(BaseModel):
    kind: Literal["article", "quote"]
    article_id: str
    score: float
    title: str | None
    title_html: str
    published: str | None
    outlet: str | None
    story_id: str | None
    snippet: str
    snippet_html: str
    quote: QuoteOut | None


class NameExpansionOut(BaseModel):
    """A query word that is a KB name, and the entity's other spellings it also matched."""

    word: str
    entity_ids: list[str]
    names: list[str]
    spellings: list[str]


class SearchOut(BaseModel):
    query: str
    total: int
    page: int
    limit: int
    pages: int
    has_more: bool
    took_ms: float
    expanded: bool = Field(description="False when exact=true: names matched only as typed.")
    expansions: list[NameExpansionOut]
    suggestions: list[str] = Field(description='"Did you mean" queries, offered on few or no results.')
    items: list[SearchHitOut]


class IndexStats(BaseModel):
    articles: int
    quotes: int


class StatsOut(BaseModel):
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
    index: IndexStats | None
