"""Versioned schema for the SQLite store. Append a migration; never edit one that has shipped.

Each migration runs in one transaction together with the bump of ``schema_version``, so a crash
mid-migration leaves the previous version intact.
"""

from __future__ import annotations

SQLITE_MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE articles (
            id            TEXT PRIMARY KEY,
            content_hash  TEXT NOT NULL UNIQUE,
            source_key    TEXT NOT NULL,
            origin        TEXT NOT NULL,
            member        TEXT,
            record        TEXT,
            part          INTEGER NOT NULL DEFAULT 0,
            char_start    INTEGER,
            char_end      INTEGER,
            media_type    TEXT,
            encoding      TEXT,
            title         TEXT,
            body          TEXT NOT NULL,
            raw           TEXT,
            published     TEXT,
            published_day TEXT,
            date_text     TEXT,
            outlet        TEXT,
            wire          TEXT,
            url           TEXT,
            author        TEXT,
            category      TEXT,
            tags          TEXT NOT NULL DEFAULT '[]',
            cited_media   TEXT NOT NULL DEFAULT '[]',
            language      TEXT,
            parent_id     TEXT,
            search_text   TEXT NOT NULL DEFAULT '',
            story_id      TEXT,
            storyline_id  TEXT,
            duplicate_of  TEXT,
            ingested_at   TEXT NOT NULL
        );
        CREATE INDEX articles_day ON articles(published_day);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_parent ON articles(parent_id);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE sources (
            source_key    TEXT PRIMARY KEY,
            article_id    TEXT NOT NULL REFERENCES articles(id),
            content_hash  TEXT NOT NULL,
            seen_at       TEXT NOT NULL
        );
        CREATE INDEX sources_article ON sources(article_id);
        """,
    ),
    (
        2,
        """
        CREATE TABLE mentions (
            article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq          INTEGER NOT NULL,
            start        INTEGER NOT NULL,
            end          INTEGER NOT NULL,
            text         TEXT NOT NULL,
            kind         TEXT NOT NULL,
            entity_id    TEXT,
            entity_type  TEXT NOT NULL,
            score        REAL NOT NULL DEFAULT 1.0,
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE quotes (
            article_id         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq                INTEGER NOT NULL,
            start              INTEGER NOT NULL,
            end                INTEGER NOT NULL,
            text               TEXT NOT NULL,
            kind               TEXT NOT NULL,
            cue                TEXT,
            stance             TEXT NOT NULL,
            speaker_text       TEXT,
            speaker_kind       TEXT,
            speaker_entity_id  TEXT,
            speaker_name_ar    TEXT,
            speaker_name_en    TEXT,
            speaker_start      INTEGER,
            speaker_end        INTEGER,
            via                TEXT,
            said_on            TEXT,
            in_headline        INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
        CREATE INDEX quotes_stance ON quotes(stance);
        """,
    ),
]

SQLITE_MIGRATIONS.append(
    (
        3,
        """
        CREATE TABLE stories (
            id                   TEXT PRIMARY KEY,
            title                TEXT NOT NULL,
            first_seen           TEXT,
            last_seen            TEXT,
            size                 INTEGER NOT NULL,
            outlets              TEXT NOT NULL DEFAULT '[]',
            independent_sources  INTEGER NOT NULL DEFAULT 0,
            top_entities         TEXT NOT NULL DEFAULT '[]',
            summary              TEXT NOT NULL DEFAULT '[]',
            storyline_id         TEXT,
            updated_at           TEXT NOT NULL
        );
        CREATE INDEX stories_last ON stories(last_seen);
        CREATE INDEX stories_storyline ON stories(storyline_id);
        CREATE TABLE kv (
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        );
        """,
    )
)

# 4: the analysis state of every article (so an interrupted or failed analysis is found and completed) and
# a store-wide revision on every article write (so a derived index knows what it has not seen yet).
SQLITE_MIGRATIONS.append(
    (
        4,
        """
        ALTER TABLE articles ADD COLUMN analysis TEXT NOT NULL DEFAULT 'pending';
        ALTER TABLE articles ADD COLUMN analysis_error TEXT;
        ALTER TABLE articles ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
        UPDATE articles SET analysis = 'done'
            WHERE id IN (SELECT article_id FROM mentions UNION SELECT article_id FROM quotes);
        CREATE INDEX articles_rev ON articles(rev);
        CREATE INDEX articles_analysis ON articles(analysis) WHERE analysis != 'done';
        CREATE TABLE deleted_articles (
            id   TEXT PRIMARY KEY,
            rev  INTEGER NOT NULL
        );
        CREATE INDEX deleted_articles_rev ON deleted_articles(rev);
        INSERT OR IGNORE INTO kv VALUES ('store:rev', '0')
        """,
    )
)
