"""The storage interface. Every backend (SQLite by default, PostgreSQL) implements :class:`Store`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from marsad.model import Analysis, AnalysisState, Article, Quote, Story, StoryAssignment


class PutStatus(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"  # this source was ingested before with the same content
    DUPLICATE = "duplicate"  # the same content is already stored from another source
    UPDATED = "updated"  # this source was ingested before and its content changed


@dataclass(frozen=True)
class PutOutcome:
    article_id: str
    status: PutStatus
    existing_id: str | None = None  # for duplicates: the stored article


@dataclass(frozen=True)
class DocumentMark:
    """What an input document was when its articles were stored (see :meth:`Store.unchanged_documents`)."""

    key: str  # the raw document's place: ``SourceRef.label``
    raw_hash: str | None  # None: forget the document (read with a failure or in part: read it again)
    parts: tuple[str, ...] = ()  # its articles' source keys, each without the ``key`` they start with


@dataclass(frozen=True)
class ArticleFilter:
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    story_id: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class ListFilter:
    """What the listings (stories, quotes, entities, outlets, storylines, daily counts) filter by; each
    uses the fields that apply to it. Days are inclusive; for stories a day range keeps the stories whose
    span meets it; ``entity_ids`` keeps articles (and their quotes, stories) mentioning one of them."""

    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    language: str | None = None
    entity_ids: tuple[str, ...] | None = None
    speaker_ids: tuple[str, ...] | None = None
    stance: str | None = None
    story_id: str | None = None
    storyline_id: str | None = None
    min_size: int = 1  # stories: articles at least
    max_size: int | None = None


@dataclass(frozen=True)
class OutletCount:
    outlet: str
    articles: int
    stories: int
    first_day: date | None
    last_day: date | None


@dataclass(frozen=True)
class StorylineCount:
    storyline_id: str
    stories: int
    articles: int
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True)
class QuoteRow:
    """A stored quote with the context a listing needs."""

    article_id: str
    published: datetime | None
    outlet: str | None
    article_title: str | None
    quote: Quote


@dataclass(frozen=True)
class Changes:
    """Articles written since a revision: what a derived index must re-read (``ids``) or drop."""

    rev: int  # the newest revision covered; pass it back next time
    ids: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoryWrite:
    """Everything one run of the story stage decided, written in one transaction."""

    assignments: list[StoryAssignment] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # story ids merged away
    state: dict[str, str] = field(default_factory=dict)  # stage state saved with them (key -> value)
    # state rows: (kind, id, value, sort); a value of None deletes the row. ``cleared`` kinds are emptied
    # first (a table the stage rewrote whole).
    rows: list[tuple[str, str, str | None, float | None]] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    # (story id, storyline id): a story whose storyline became final, its record and its articles
    relabels: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AlertRule:
    """A standing query (``marsad alert add``): what to watch for and where to deliver it."""

    name: str
    query: str | None = None
    entity: str | None = None  # as the user named it; ``entity_ids`` is what it resolved to
    entity_ids: tuple[str, ...] = ()
    speaker: str | None = None
    speaker_ids: tuple[str, ...] = ()
    stance: str | None = None
    min_sources: int = 0  # > 0: stories reaching this many independent sources
    webhook: str | None = None
    jsonl: str | None = None  # the JSON Lines file hits are appended to
    created_at: str = ""
    rev: int = 0  # the store revision the rule has been evaluated up to


@dataclass(frozen=True)
class AlertHit:
    """One item a rule found, with what each channel has done with it."""

    rule: str
    item: str  # "quote:ARTICLE:SEQ", "article:ID" or "story:ID"
    kind: str
    article_id: str | None
    payload: str  # JSON
    found_at: str
    jsonl_at: str | None = None
    webhook_at: str | None = None
    attempts: int = 0
    last_error: str | None = None


@dataclass
class Stats:
    articles: int = 0
    sources: int = 0
    outlets: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    first_published: str | None = None
    last_published: str | None = None
    parts: int = 0  # articles split off "read also" blocks
    mentions: int = 0
    quotes: int = 0
    entities: int = 0
    stories: int = 0
    schema_version: int = 0
    size_bytes: int = 0


def redact(url: str) -> str:
    """A store URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


class Store(Protocol):
    """Persistence for articles and what the pipeline derives from them.

    Every public method of :class:`~marsad.store.sqlite.SQLiteStore` and
    :class:`~marsad.store.postgres.PostgresStore`; ``tests/contract`` holds both to the same behaviour.
    Writes are atomic per call: a failure (or a kill) leaves either all or none of a call's records.
    """

    latest_schema: int  # the schema version this code's migrations bring a store to

    # where a derived search index of this store lives (beside a SQLite file; configurable for servers)
    @property
    def index_path(self) -> Path: ...

    # writes
    def put_articles(
        self, articles: Iterable[Article], documents: Iterable[DocumentMark] = ()
    ) -> list[PutOutcome]:
        """Store articles together with their analysis (``mentions``, ``quotes``, ``analysis`` state) in
        one transaction. An unchanged source whose stored analysis is still pending gets the incoming one.
        ``documents`` records (or forgets) the input documents these articles were read from, in the same
        transaction: a recorded document has every one of its articles among ``articles``."""
        ...

    def unchanged_documents(self, documents: Mapping[str, str], *, analysed: bool) -> dict[str, int]:
        """Of ``documents`` (key → raw hash), those recorded with that hash whose every article is still
        stored from its source (and, with ``analysed``, has a finished analysis): key → number of articles.
        Ingest counts these as unchanged without parsing them."""
        ...

    def put_analyses(self, items: Iterable[Analysis]) -> None: ...

    def set_stories(self, assignments: Iterable[StoryAssignment]) -> None: ...

    def put_stories(self, stories: Iterable[Story]) -> None: ...

    def write_stories(self, run: StoryWrite) -> None:
        """Assignments, story records, deletions and the stage's state in one transaction."""
        ...

    def ids_with_analysis(self, state: AnalysisState, limit: int = 100_000) -> list[str]: ...

    def changes_since(self, rev: int, limit: int = 100_000) -> Changes:
        """Articles inserted, re-analysed or re-assigned (and deleted) after revision ``rev``, oldest
        first; at most ``limit`` ids (call again from the returned ``rev`` for more)."""
        ...

    def current_rev(self) -> int: ...

    def change_stamp(self) -> int | None:
        """A value that changes whenever another connection commits (readers cache aggregates on it);
        None when the backend has none cheap enough (nothing is then cached)."""
        ...

    def set_state(self, key: str, value: str) -> None: ...

    # articles
    def get_article(self, article_id: str) -> Article | None: ...

    def iter_articles(
        self, flt: ArticleFilter | None = None, *, with_analysis: bool = True, with_search_text: bool = True
    ) -> Iterator[Article]:
        """Articles in store order, in pages. ``with_search_text=False``: ``search_text`` is left '' rather
        than derived from title and body (the readers that do not match on it: index, duplicate index)."""
        ...

    def analysed_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The content hashes among ``hashes`` stored with a finished analysis."""
        ...

    def count_articles(self, flt: ArticleFilter | None = None) -> int: ...

    def has_source(self, source_key: str) -> bool: ...

    # stories and state
    def get_story(self, story_id: str) -> Story | None: ...

    def iter_stories(
        self,
        *,
        since: date | None = None,
        min_size: int = 1,
        storyline_id: str | None = None,
        order: str = "recent",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Story]: ...

    def count_stories(self, *, min_size: int = 1) -> int: ...

    def delete_stories(self, story_ids: Iterable[str]) -> None: ...

    def ids_without_story(self, limit: int = 100_000) -> list[str]: ...

    def get_state(self, key: str) -> str | None: ...

    def iter_state_rows(self, kind: str) -> Iterator[tuple[str, str]]:
        """(id, value) of every state row of ``kind`` in id order, read a page at a time."""
        ...

    def get_state_rows(self, kind: str, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(id, value) of the state rows of ``kind`` among ``ids`` (missing ones left out)."""
        ...

    def iter_state_sorts(self, kind: str) -> Iterator[tuple[str, float | None]]:
        """(id, sort) of every state row of ``kind``: the light part, without the values."""
        ...

    def get_articles(
        self,
        ids: Iterable[str],
        *,
        with_analysis: bool = True,
        with_quotes: bool = True,
        with_search_text: bool = True,
    ) -> list[Article]:
        """The stored articles among ``ids`` (exact ids), in no particular order; with their mentions and
        quotes unless ``with_analysis`` is false, without the quotes when ``with_quotes`` is (the story
        stage reads mentions only), ``search_text`` as in :meth:`iter_articles`."""
        ...

    def published_of(self, ids: Iterable[str]) -> list[tuple[str, datetime | None]]:
        """(id, publication time) of the stored articles among ``ids``: what ordering needs, no text."""
        ...

    # quotes and entities
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
    ) -> list[QuoteRow]: ...

    def find_quotes(
        self, flt: ListFilter, *, limit: int | None = 100, offset: int = 0, article_id: str | None = None
    ) -> list[QuoteRow]:
        """Quotes matching ``flt`` in time order (what :meth:`iter_quotes` does, with every filter)."""
        ...

    def count_quotes(self, flt: ListFilter | None = None) -> int: ...

    def find_stories(
        self, flt: ListFilter, *, order: str = "recent", limit: int | None = 20, offset: int = 0
    ) -> list[Story]: ...

    def count_stories_matching(self, flt: ListFilter) -> int: ...

    def outlet_counts(
        self, flt: ListFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[OutletCount]:
        """Outlets by number of articles (matching ``flt``), most first."""
        ...

    def storyline_counts(
        self, flt: ListFilter | None = None, *, limit: int = 20, offset: int = 0
    ) -> list[StorylineCount]:
        """Storylines (of stories matching ``flt``), the most recently active first."""
        ...

    def daily_counts(
        self, flt: ListFilter | None = None, *, by_outlet: bool = False
    ) -> list[tuple[date, str | None, int]]:
        """(day, outlet or None, articles) of dated articles matching ``flt``, by day."""
        ...

    def quote_counts(self, flt: ListFilter | None = None) -> list[tuple[date, str, int]]:
        """(day said, stance, quotes) of quotes matching ``flt``, by day."""
        ...

    def co_mention_pairs(
        self, entity_ids: Iterable[str], flt: ListFilter | None = None
    ) -> list[tuple[str, str, int]]:
        """(a, b, articles) for pairs of ``entity_ids`` mentioned together (``a < b``), in articles
        matching ``flt``: the edges of a co-mention network."""
        ...

    def entity_mentions(self, entity_id: str) -> list[tuple[str, datetime | None]]: ...

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]: ...

    def entity_counts(
        self,
        *,
        entity_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
        flt: ListFilter | None = None,
    ) -> list[tuple[str, str, int]]: ...

    # alerts
    def put_alert_rule(self, rule: AlertRule) -> None:
        """Add or replace a rule (by name)."""
        ...

    def alert_rules(self, name: str | None = None) -> list[AlertRule]: ...

    def delete_alert_rule(self, name: str) -> bool:
        """Remove a rule and its hits; False when there was none."""
        ...

    def record_alert_hits(self, rule: str, hits: Iterable[AlertHit], rev: int) -> list[str]:
        """Store the hits a rule has not found before and move its revision to ``rev``, in one
        transaction; returns the items that were new."""
        ...

    def alert_hits(
        self, rule: str | None = None, *, pending: str | None = None, limit: int = 50
    ) -> list[AlertHit]:
        """A rule's hits, newest first; ``pending="jsonl"|"webhook"``: those that channel has not taken."""
        ...

    def count_alert_hits(self, rule: str) -> int: ...

    def mark_alert_hits(
        self, channel: str, rule: str, items: Iterable[str], error: str | None = None
    ) -> None:
        """``channel`` ("jsonl" or "webhook") delivered ``items`` (or failed to: ``error``, counted)."""
        ...

    # housekeeping
    def schema_version(self) -> int: ...

    def stats(self) -> Stats: ...

    def check_counts(self) -> dict[str, int]:
        """Totals and consistency counts for ``marsad check`` (see :meth:`SQLStore.check_counts`)."""
        ...

    def integrity_problems(self, limit: int = 20) -> list[str] | None:
        """Page-level damage the database finds (SQLite: ``integrity_check``); None: not applicable."""
        ...

    def close(self) -> None: ...
