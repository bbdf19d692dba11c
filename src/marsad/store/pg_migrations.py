"""Versioned schema for the PostgreSQL store. Append a migration; never edit one that has shipped.

Versions are numbered on their own (they are not SQLite's). Each migration runs in one transaction with
the row it adds to ``schema_version``, under an advisory lock, so two processes opening a fresh database
at once apply it once.

Choices that differ from SQLite, and why:

* ``published`` and the story times stay ISO text: a timestamptz would turn naive times into aware ones
  and drop the offset as written, so an article would not read back equal. ``published_day`` is a real
  DATE for filters.
* ids are ``COLLATE "C"``: byte order like SQLite's, and ``LIKE 'prefix%'`` can use the primary key.
* ``articles.seq`` plays SQLite's ``rowid``: insertion order for listings.
* ``start``/``end`` are ``span_start``/``span_end`` because END is a reserved word.
"""

from __future__ import annotations

PG_MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE articles (
            seq           BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id            TEXT COLLATE "C" PRIMARY KEY,
            content_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
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
            published_day DATE,
            date_text     TEXT,
            outlet        TEXT,
            wire          TEXT,
            url           TEXT,
            author        TEXT,
            category      TEXT,
            tags          TEXT[] NOT NULL DEFAULT '{}',
            cited_media   TEXT[] NOT NULL DEFAULT '{}',
            language      TEXT,
            parent_id     TEXT COLLATE "C",
            search_text   TEXT NOT NULL DEFAULT '',
            story_id      TEXT COLLATE "C",
            storyline_id  TEXT COLLATE "C",
            duplicate_of  TEXT COLLATE "C",
            ingested_at   TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX articles_day ON articles(published_day);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_parent ON articles(parent_id);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE sources (
            source_key    TEXT COLLATE "C" PRIMARY KEY,
            article_id    TEXT COLLATE "C" NOT NULL REFERENCES articles(id),
            content_hash  TEXT COLLATE "C" NOT NULL,
            seen_at       TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX sources_article ON sources(article_id);
        CREATE TABLE mentions (
            article_id   TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq          INTEGER NOT NULL,
            span_start   INTEGER NOT NULL,
            span_end     INTEGER NOT NULL,
            text         TEXT NOT NULL,
            kind         TEXT NOT NULL,
            entity_id    TEXT COLLATE "C",
            entity_type  TEXT NOT NULL,
            score        DOUBLE PRECISION NOT NULL DEFAULT 1.0,
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE quotes (
            article_id         TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq                INTEGER NOT NULL,
            span_start         INTEGER NOT NULL,
            span_end           INTEGER NOT NULL,
            text               TEXT NOT NULL,
            kind               TEXT NOT NULL,
            cue                TEXT,
            stance             TEXT NOT NULL,
            speaker_text       TEXT,
            speaker_kind       TEXT,
            speaker_entity_id  TEXT COLLATE "C",
            speaker_name_ar    TEXT,
            speaker_name_en    TEXT,
            speaker_start      INTEGER,
            speaker_end        INTEGER,
            via                TEXT,
            said_on            DATE,
            in_headline        BOOLEAN NOT NULL DEFAULT false,
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
        CREATE INDEX quotes_stance ON quotes(stance);
        CREATE TABLE stories (
            id                   TEXT COLLATE "C" PRIMARY KEY,
            title                TEXT NOT NULL,
            first_seen           TEXT,
            last_seen            TEXT,
            size                 INTEGER NOT NULL,
            outlets              TEXT[] NOT NULL DEFAULT '{}',
            independent_sources  INTEGER NOT NULL DEFAULT 0,
            top_entities         TEXT[] NOT NULL DEFAULT '{}',
            summary              TEXT[] NOT NULL DEFAULT '{}',
            storyline_id         TEXT COLLATE "C",
            updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX stories_last ON stories(last_seen);
        CREATE INDEX stories_storyline ON stories(storyline_id);
        CREATE TABLE kv (
            key    TEXT COLLATE "C" PRIMARY KEY,
            value  TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        # Full text: lexemes are Marsad's own normalized, clitic-free tokens plus light stems, written
        # by the application (the built-in 'arabic' config stems والرئيس to والرييس and misses names).
        """
        ALTER TABLE articles ADD COLUMN search_tokens TSVECTOR NOT NULL DEFAULT ''::tsvector;
        CREATE INDEX articles_search ON articles USING GIN (search_tokens);
        """,
    ),
    (
        3,
        # The analysis state of every article and a store-wide revision on every article write (see the
        # SQLite migration 4). The counter is a row, not a sequence: a row lock makes revisions follow
        # commit order, which a reader of "everything after revision N" relies on.
        """
        ALTER TABLE articles ADD COLUMN analysis TEXT NOT NULL DEFAULT 'pending';
        ALTER TABLE articles ADD COLUMN analysis_error TEXT;
        ALTER TABLE articles ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
        UPDATE articles SET analysis = 'done'
            WHERE id IN (SELECT article_id FROM mentions UNION SELECT article_id FROM quotes);
        CREATE INDEX articles_rev ON articles(rev);
        CREATE INDEX articles_analysis ON articles(analysis) WHERE analysis <> 'done';
        CREATE TABLE deleted_articles (
            id   TEXT COLLATE "C" PRIMARY KEY,
            rev  BIGINT NOT NULL
        );
        CREATE INDEX deleted_articles_rev ON deleted_articles(rev);
        INSERT INTO kv VALUES ('store:rev', '0') ON CONFLICT (key) DO NOTHING;
        """,
    ),
]
