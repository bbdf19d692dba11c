"""Versioned schema for the PostgreSQL store. Append a migration; never change what a shipped one creates.

Versions are numbered on their own (they are not SQLite's). Each migration runs in one transaction with
the row it adds to ``schema_version``, under an advisory lock, so two processes opening a fresh database
at once apply it once. The tables are declared once in :mod:`.schema`, which also says where the two
databases' columns differ and why.
"""

from __future__ import annotations

from marsad.store.dialect import POSTGRES
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

PG_MIGRATIONS: list[tuple[int, str]] = [
    (1, create(POSTGRES, [ARTICLES, SOURCES, MENTIONS, QUOTES, STORIES, KV])),
    (
        2,
        # Full text: lexemes are Marsad's own normalized, clitic-free tokens plus light stems, written
        # by the application (the built-in 'arabic' config stems والرئيس to والرييس and misses names).
        """
        ALTER TABLE articles ADD COLUMN search_tokens TSVECTOR NOT NULL DEFAULT ''::tsvector;
        CREATE INDEX articles_search ON articles USING GIN (search_tokens);
        """,
    ),
    (3, analysis_and_revisions(POSTGRES)),
    (4, date_provenance(POSTGRES)),
    (5, compact_articles(POSTGRES)),
]
