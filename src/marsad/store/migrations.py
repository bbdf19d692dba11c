"""Versioned schema for the SQLite store. Append a migration; never change what a shipped one creates.

Each migration runs in one transaction together with the bump of ``schema_version``, so a crash
mid-migration leaves the previous version intact. The tables are declared once in :mod:`.schema` (for
both backends); a migration names the ones its version created.
"""

from __future__ import annotations

from marsad.store import schema as t
from marsad.store.dialect import SQLITE

SQLITE_MIGRATIONS: list[tuple[int, str]] = [
    (1, t.create(SQLITE, [t.ARTICLES, t.SOURCES])),
    (2, t.create(SQLITE, [t.MENTIONS, t.QUOTES])),
    (3, t.create(SQLITE, [t.STORIES, t.KV])),
    (4, t.analysis_and_revisions(SQLITE)),
    (5, t.date_provenance(SQLITE)),
    (6, t.compact_articles(SQLITE)),
    (7, t.alerts(SQLITE)),
    (8, t.state_rows(SQLITE)),
    (9, t.quote_answers(SQLITE)),
    (10, t.story_sources(SQLITE)),
    (11, t.compact_analysis(SQLITE)),
    (12, t.compact_mentions(SQLITE)),
    (13, t.mentions_by_seq(SQLITE)),
    (14, t.document_hashes(SQLITE)),
    (15, t.story_room(SQLITE)),
    (16, t.quotes_by_seq(SQLITE)),
]
