"""Versioned schema for the SQLite store. Append a migration; never change what a shipped one creates.

Each migration runs in one transaction together with the bump of ``schema_version``, so a crash
mid-migration leaves the previous version intact. The tables are declared once in :mod:`.schema` (for
both backends); a migration names the ones its version created.
"""

from __future__ import annotations

from marsad.store.dialect import SQLITE
from marsad.store.schema import (
    ARTICLES,
    KV,
    MENTIONS,
    QUOTES,
    SOURCES,
    STORIES,
    analysis_and_revisions,
    compact_articles,
    create,
    date_provenance,
)

SQLITE_MIGRATIONS: list[tuple[int, str]] = [
    (1, create(SQLITE, [ARTICLES, SOURCES])),
    (2, create(SQLITE, [MENTIONS, QUOTES])),
    (3, create(SQLITE, [STORIES, KV])),
    (4, analysis_and_revisions(SQLITE)),
    (5, date_provenance(SQLITE)),
    (6, compact_articles(SQLITE)),
]
