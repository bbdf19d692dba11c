"""Stream time: publication datetimes as UTC seconds, and the ordering rule shared by all stages.

Used by story clustering (:mod:`marsad.cluster`) and near-duplicate detection (:mod:`marsad.dedup`); it
lives outside both so that neither imports the other for it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from marsad.model import Article

DAY = 86_400.0


def timestamp(dt: datetime | None) -> float | None:
    """UTC seconds; a naive datetime is taken as UTC (feeds without offsets are rare and near UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def order_key(article: Article) -> tuple[bool, float, str]:
    """Publication order: dated articles by time then id, undated ones last (by id)."""
    ts = timestamp(article.published)
    return (ts is None, ts or 0.0, article.id)
