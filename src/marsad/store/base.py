"""The storage interface. Every backend (SQLite by default, PostgreSQL later) implements :class:`Store`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from marsad.model import Article, Mention, Quote


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
class ArticleFilter:
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    story_id: str | None = None
    limit: int | None = None
    offset: int = 0


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


class Store(Protocol):
    """Persistence for articles and what the pipeline derives from them.

    Writes are atomic per call: a failure (or a kill) leaves either all or none of a call's records.
    """

    def put_articles(self, articles: Iterable[Article]) -> list[PutOutcome]: ...

    def put_analysis(self, article_id: str, mentions: Iterable[Mention], quotes: Iterable[Quote]) -> None: ...

    def get_article(self, article_id: str) -> Article | None: ...

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]: ...

    def count_articles(self, flt: ArticleFilter | None = None) -> int: ...

    def has_source(self, source_key: str) -> bool: ...

    def stats(self) -> Stats: ...

    def close(self) -> None: ...
