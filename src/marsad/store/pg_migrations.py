"""Versioned schema for the PostgreSQL store. Append a migration; never change what a shipped one creates.

Versions are numbered on their own (they are not SQLite's). Each migration runs in one transaction with
the row it adds to ``schema_version``, under an advisory lock, so two processes opening a fresh database
at once apply it once. The tables are declared once in :mod:`.schema`, which also says where the two
databases' columns differ and why.
"""

from __future__ import annotations

from marsad.store import schema as t
from marsad.store.dialect import POSTGRES

PG_MIGRATIONS: list[tuple[int, str]] = [
    (1, t.create(POSTGRES, [t.ARTICLES, t.SOURCES, t.MENTIONS, t.QUOTES, t.STORIES, t.KV])),
    (
        2,
        # Full text: lexemes are Marsad's own normalized, clitic-free tokens plus light stems, written
        # by the application (the built-in 'arabic' config stems والرئيس to والرييس and misses names).
        """
        ALTER TABLE articles ADD COLUMN search_tokens TSVECTOR NOT NULL DEFAULT ''::tsvector;
        CREATE INDEX articles_search ON articles USING GIN (search_tokens);
        """,
    ),
    (3, t.analysis_and_revisions(POSTGRES)),
    (4, t.date_provenance(POSTGRES)),
    (5, t.compact_articles(POSTGRES)),
    (6, t.alerts(POSTGRES)),
    (7, t.state_rows(POSTGRES)),
    (8, t.quote_answers(POSTGRES)),
    (9, t.story_sources(POSTGRES)),
    (10, t.compact_analysis(POSTGRES)),
    (11, t.compact_mentions(POSTGRES)),
    (12, t.mentions_by_seq(POSTGRES)),
    (13, t.document_hashes(POSTGRES)),
    (14, t.quotes_by_seq(POSTGRES)),
]
