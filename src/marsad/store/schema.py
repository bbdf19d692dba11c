"""Marsad's tables, declared once and rendered as DDL for SQLite and for PostgreSQL.

Each column has an abstract kind; :data:`_TYPES` says how each database spells it. The choices that
differ, and why:

* ids are ``COLLATE "C"`` on PostgreSQL: byte order like SQLite's, and ``LIKE 'prefix%'`` can use the
  primary key;
* ``published`` and the story times stay ISO text on both: a timestamptz would turn naive times into
  aware ones and drop the offset as written, so an article would not read back equal; ``published_day`` and
  ``said_on`` are real DATEs on PostgreSQL for filters;
* list columns are JSON text on SQLite and ``TEXT[]`` on PostgreSQL;
* PostgreSQL's ``articles.seq`` plays SQLite's ``rowid``: insertion order for listings;
* the offsets ``start``/``end`` are ``span_start``/``span_end`` on PostgreSQL because END is reserved;
* times the store stamps (``ingested_at``, ``seen_at``, ``updated_at``) are written by SQLite's writer
  and defaulted by PostgreSQL.

The migrations (:mod:`.migrations`, :mod:`.pg_migrations`) render the tables each version created from
here; what later versions add stays in their own migration text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from marsad.store.dialect import Dialect


@dataclass(frozen=True)
class Col:
    name: str
    kind: str  # a key of _TYPES
    required: bool = False  # NOT NULL
    default: str | None = None  # abstract default: see _DEFAULTS
    primary: bool = False
    unique: bool = False
    ref: str | None = None  # "articles(id)"
    cascade: bool = False  # ON DELETE CASCADE


@dataclass(frozen=True)
class Table:
    name: str
    cols: tuple[Col, ...]
    key: tuple[str, ...] = ()  # a composite primary key
    indexes: tuple[tuple[str, str], ...] = ()  # (index name, column)
    pg_seq: bool = False  # PostgreSQL: an identity column `seq` first (insertion order)
    without_rowid: bool = False  # SQLite: rows kept in their primary key's b-tree (no rowid, no 2nd index)


# kind -> (SQLite type, PostgreSQL type)
_TYPES = {
    "id": ("TEXT", 'TEXT COLLATE "C"'),
    "text": ("TEXT", "TEXT"),
    "int": ("INTEGER", "INTEGER"),
    "bigint": ("INTEGER", "BIGINT"),
    "real": ("REAL", "DOUBLE PRECISION"),
    "bool": ("INTEGER", "BOOLEAN"),
    "date": ("TEXT", "DATE"),
    "list": ("TEXT", "TEXT[]"),
    "stamp": ("TEXT", "TIMESTAMPTZ"),
}
# abstract default -> (SQLite, PostgreSQL); None: no default on that database
_DEFAULTS = {
    "0": ("0", "0"),
    "1.0": ("1.0", "1.0"),
    "''": ("''", "''"),
    "false": ("0", "false"),
    "[]": ("'[]'", "'{}'"),
    "now": (None, "now()"),
    "'pending'": ("'pending'", "'pending'"),
    "'[]'": ("'[]'", "'[]'"),  # a JSON list kept as text on both backends
}

ARTICLES = Table(
    "articles",
    (
        Col("id", "id", primary=True),
        Col("content_hash", "id", required=True, unique=True),
        Col("source_key", "text", required=True),
        Col("origin", "text", required=True),
        Col("member", "text"),
        Col("record", "text"),
        Col("part", "int", required=True, default="0"),
        Col("char_start", "int"),
        Col("char_end", "int"),
        Col("media_type", "text"),
        Col("encoding", "text"),
        Col("title", "text"),
        Col("body", "text", required=True),
        Col("raw", "text"),
        Col("published", "text"),
        Col("published_day", "date"),
        Col("date_text", "text"),
        Col("outlet", "text"),
        Col("wire", "text"),
        Col("url", "text"),
        Col("author", "text"),
        Col("category", "text"),
        Col("tags", "list", required=True, default="[]"),
        Col("cited_media", "list", required=True, default="[]"),
        Col("language", "text"),
        Col("parent_id", "id"),
        Col("search_text", "text", required=True, default="''"),
        Col("story_id", "id"),
        Col("storyline_id", "id"),
        Col("duplicate_of", "id"),
        Col("ingested_at", "stamp", required=True, default="now"),
    ),
    indexes=(
        ("articles_day", "published_day"),
        ("articles_outlet", "outlet"),
        ("articles_parent", "parent_id"),
        ("articles_story", "story_id"),
    ),
    pg_seq=True,
)
SOURCES = Table(
    "sources",
    (
        Col("source_key", "id", primary=True),
        Col("article_id", "id", required=True, ref="articles(id)"),
        Col("content_hash", "id", required=True),
        Col("seen_at", "stamp", required=True, default="now"),
    ),
    indexes=(("sources_article", "article_id"),),
)
_OF_ARTICLE = Col("article_id", "id", required=True, ref="articles(id)", cascade=True)
MENTIONS = Table(
    "mentions",
    (
        _OF_ARTICLE,
        Col("seq", "int", required=True),
        Col("start", "int", required=True),
        Col("end", "int", required=True),
        Col("text", "text", required=True),
        Col("kind", "text", required=True),
        Col("entity_id", "id"),
        Col("entity_type", "text", required=True),
        Col("score", "real", required=True, default="1.0"),
    ),
    key=("article_id", "seq"),
    indexes=(("mentions_entity", "entity_id"),),
)
QUOTES = Table(
    "quotes",
    (
        _OF_ARTICLE,
        Col("seq", "int", required=True),
        Col("start", "int", required=True),
        Col("end", "int", required=True),
        Col("text", "text", required=True),
        Col("kind", "text", required=True),
        Col("cue", "text"),
        Col("stance", "text", required=True),
        Col("speaker_text", "text"),
        Col("speaker_kind", "text"),
        Col("speaker_entity_id", "id"),
        Col("speaker_name_ar", "text"),
        Col("speaker_name_en", "text"),
        Col("speaker_start", "int"),
        Col("speaker_end", "int"),
        Col("via", "text"),
        Col("said_on", "date"),
        Col("in_headline", "bool", required=True, default="false"),
    ),
    key=("article_id", "seq"),
    indexes=(("quotes_speaker", "speaker_entity_id"), ("quotes_stance", "stance")),
)
STORIES = Table(
    "stories",
    (
        Col("id", "id", primary=True),
        Col("title", "text", required=True),
        Col("first_seen", "text"),
        Col("last_seen", "text"),
        Col("size", "int", required=True),
        Col("outlets", "list", required=True, default="[]"),
        Col("independent_sources", "int", required=True, default="0"),
        Col("top_entities", "list", required=True, default="[]"),
        Col("summary", "list", required=True, default="[]"),
        Col("storyline_id", "id"),
        Col("updated_at", "stamp", required=True, default="now"),
    ),
    indexes=(("stories_last", "last_seen"), ("stories_storyline", "storyline_id")),
)
KV = Table("kv", (Col("key", "id", primary=True), Col("value", "text", required=True)))
# Rows of a stage's saved state (version 8 on SQLite, 7 on PostgreSQL): the story stage keeps each active
# story, storyline, storyline posting and document frequency as a row of its own, so a run writes only
# what it changed instead of the whole state. ``sort`` orders rows where a stage needs it (storylines by
# last activity, for eviction).
STATE_ROWS = Table(
    "state_rows",
    (
        Col("kind", "id", required=True),
        Col("id", "id", required=True),
        Col("value", "text", required=True),
        Col("sort", "real"),
    ),
    key=("kind", "id"),
)
DELETED_ARTICLES = Table(
    "deleted_articles",
    (Col("id", "id", primary=True), Col("rev", "bigint", required=True)),
    indexes=(("deleted_articles_rev", "rev"),),
)


def _pg(d: Dialect) -> bool:
    return d.param == "%s"


def column_name(d: Dialect, name: str) -> str:
    return {"start": d.span[0], "end": d.span[1]}.get(name, name)


def column(d: Dialect, c: Col) -> str:
    i = 1 if _pg(d) else 0
    parts = [column_name(d, c.name), _TYPES[c.kind][i]]
    if c.primary:
        parts.append("PRIMARY KEY")
    if c.required:
        parts.append("NOT NULL")
    if c.unique:
        parts.append("UNIQUE")
    default = _DEFAULTS[c.default][i] if c.default else None
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if c.ref:
        parts.append(f"REFERENCES {c.ref}" + (" ON DELETE CASCADE" if c.cascade else ""))
    return " ".join(parts)


def create(d: Dialect, tables: Sequence[Table]) -> str:
    """``CREATE TABLE`` and ``CREATE INDEX`` statements for ``tables``, separated by ``;``."""
    out: list[str] = []
    for t in tables:
        cols = [column(d, c) for c in t.cols]
        if t.pg_seq and _pg(d):
            cols.insert(0, "seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE")
        if t.key:
            cols.append(f"PRIMARY KEY ({', '.join(t.key)})")
        tail = " WITHOUT ROWID" if t.without_rowid and not _pg(d) else ""
        out.append(f"CREATE TABLE {t.name} (\n    " + ",\n    ".join(cols) + "\n)" + tail)
        out.extend(f"CREATE INDEX {name} ON {t.name}({col})" for name, col in t.indexes)
    return ";\n".join(out) + ";\n"


def add_columns(d: Dialect, table: str, cols: Sequence[Col]) -> str:
    return "".join(f"ALTER TABLE {table} ADD COLUMN {column(d, c)};\n" for c in cols)


# Version 4 on SQLite, 3 on PostgreSQL: the analysis state of every article (so an interrupted or failed
# analysis is found and completed) and a store-wide revision on every article write (so a derived index
# knows what it has not seen yet). The counter is a row, not a sequence: a row lock makes revisions follow
# commit order, which a reader of "everything after revision N" relies on.
ANALYSIS_COLUMNS = (
    Col("analysis", "text", required=True, default="'pending'"),
    Col("analysis_error", "text"),
    Col("rev", "bigint", required=True, default="0"),
)


def analysis_and_revisions(d: Dialect) -> str:
    return (
        add_columns(d, "articles", ANALYSIS_COLUMNS) + "UPDATE articles SET analysis = 'done'\n"
        "    WHERE id IN (SELECT article_id FROM mentions UNION SELECT article_id FROM quotes);\n"
        "CREATE INDEX articles_rev ON articles(rev);\n"
        "CREATE INDEX articles_analysis ON articles(analysis) WHERE analysis <> 'done';\n"
        + create(d, [DELETED_ARTICLES])
        + "INSERT INTO kv VALUES ('store:rev', '0') ON CONFLICT (key) DO NOTHING;\n"
    )


# Version 5 on SQLite, 4 on PostgreSQL: how precise an article's date is and where it was read. Dates
# stored before were day dates, read from the text's date line or from a structured field.
DATE_COLUMNS = (Col("date_precision", "text"), Col("date_source", "text"))


def date_provenance(d: Dialect) -> str:
    return add_columns(d, "articles", DATE_COLUMNS) + (
        "UPDATE articles SET date_precision = 'day',\n"
        "    date_source = CASE WHEN media_type = 'text/plain' THEN 'header' ELSE 'feed' END\n"
        "    WHERE published IS NOT NULL;\n"
    )


# Version 9 on SQLite, 8 on PostgreSQL: what a denial or rejection answers (the report or source it names).
ANSWERS_COLUMNS = (Col("answers", "text"),)


def quote_answers(d: Dialect) -> str:
    return add_columns(d, "quotes", ANSWERS_COLUMNS)


# Version 6 on SQLite, 5 on PostgreSQL: the derived ``search_text`` is no longer kept (readers rebuild it
# from title and body) and, on SQLite, existing bodies and raw texts are compressed as new writes are
# (:mod:`.packing`; ``marsad_pack`` is registered on every connection). PostgreSQL compresses long text
# itself. SQLite frees the pages for reuse; ``VACUUM`` gives them back to the file system.
PACK_FUNCTION = "marsad_pack"


def compact_articles(d: Dialect) -> str:
    if _pg(d):
        return "UPDATE articles SET search_text = '' WHERE search_text <> '';\n"
    return (
        f"UPDATE articles SET body = {PACK_FUNCTION}(body), raw = {PACK_FUNCTION}(raw), search_text = '';\n"
    )


# Version 7 on SQLite, 6 on PostgreSQL: alert rules and what each has found. ``rev`` is the store
# revision a rule has been evaluated up to (a new rule starts at the revision it was added at, so it never
# scans the archive). ``alert_hits`` is keyed by rule and item, so an item is found once per rule; it is
# also the outbox: the Atom feed reads it, and ``jsonl_at`` / ``webhook_at`` stay empty until that channel
# took the item, so a failed delivery is retried on the next round (at least once, never twice a hit).
ALERT_RULES = Table(
    "alert_rules",
    (
        Col("name", "id", primary=True),
        Col("query", "text"),
        Col("entity", "text"),  # as the user named it
        Col("entity_ids", "list", required=True, default="[]"),
        Col("speaker", "text"),
        Col("speaker_ids", "list", required=True, default="[]"),
        Col("stance", "text"),
        Col("min_sources", "int", required=True, default="0"),
        Col("webhook", "text"),
        Col("jsonl", "text"),
        Col("created_at", "text", required=True),
        Col("rev", "bigint", required=True, default="0"),
    ),
)
ALERT_HITS = Table(
    "alert_hits",
    (
        Col("rule", "id", required=True, ref="alert_rules(name)", cascade=True),
        Col("item", "id", required=True),  # "quote:ARTICLE:SEQ", "article:ID", "story:ID"
        Col("kind", "text", required=True),
        Col("article_id", "id"),
        Col("payload", "text", required=True),  # the hit as JSON (what every channel delivers)
        Col("found_at", "text", required=True),
        Col("jsonl_at", "text"),
        Col("webhook_at", "text"),
        Col("attempts", "int", required=True, default="0"),
        Col("last_error", "text"),
    ),
    key=("rule", "item"),
    indexes=(("alert_hits_found", "found_at"),),
)


def alerts(d: Dialect) -> str:
    return create(d, [ALERT_RULES, ALERT_HITS])


# The story stage's state, formerly one JSON value (``stories:state:v1``), split into rows: each active
# story (its creation order kept as ``seq``, which the clusterer's sweeps follow), storyline, storyline
# posting and document frequency; what is left (parameters, clocks, counters) stays one small value. The
# JSON texts of stories and storylines are cut out of the old value as they are (not re-encoded), so every
# float reads back bit for bit. ``closed_lines`` is dropped: it is only read within the run that fills it.
OLD_STORY_STATE = "stories:state:v1"
STORY_META = "stories:meta:v2"


def state_rows(d: Dialect) -> str:
    old = f"kv.key = '{OLD_STORY_STATE}'"
    if _pg(d):
        v = "kv.value::json"
        return create(d, [STATE_ROWS]) + (
            "CREATE INDEX state_rows_sort ON state_rows(kind, sort);\n"
            "INSERT INTO state_rows (kind, id, value)\n"
            f"    SELECT 'story', e.value->>'id', '{{\"seq\":' || (e.ord - 1) || ',' || substr(e.value::text, 2)\n"
            f"    FROM kv, json_array_elements({v}->'clusterer'->'stories') WITH ORDINALITY e(value, ord) WHERE {old};\n"
            "INSERT INTO state_rows (kind, id, value, sort)\n"
            "    SELECT 'line', e.value->>'id', e.value::text, (e.value->>'last')::double precision\n"
            f"    FROM kv, json_array_elements({v}->'linker'->'lines') e WHERE {old};\n"
            "INSERT INTO state_rows (kind, id, value)\n"
            f"    SELECT 'post', e.key, e.value::text FROM kv, json_each({v}->'linker'->'postings') e WHERE {old};\n"
            "INSERT INTO state_rows (kind, id, value)\n"
            f"    SELECT 'df', e.key, e.value FROM kv, json_each_text({v}->'clusterer'->'stats'->'df') e WHERE {old};\n"
            "INSERT INTO kv (key, value)\n"
            f"    SELECT '{STORY_META}', jsonb_build_object(\n"
            "        'clusterer', jsonb_set((value::jsonb->'clusterer') - 'stories', '{stats,df}', '{}'),\n"
            "        'linker', (value::jsonb->'linker') - 'lines' - 'postings',\n"
            "        'next_seq', json_array_length(value::json->'clusterer'->'stories'))::text\n"
            f"    FROM kv WHERE {old};\n"
            f"DELETE FROM kv WHERE {old};\n"
        )
    return create(d, [STATE_ROWS]) + (
        "CREATE INDEX state_rows_sort ON state_rows(kind, sort);\n"
        "INSERT INTO state_rows (kind, id, value)\n"
        "    SELECT 'story', json_extract(e.value, '$.id'), '{\"seq\":' || e.key || ',' || substr(e.value, 2)\n"
        f"    FROM kv, json_each(kv.value, '$.clusterer.stories') e WHERE {old};\n"
        "INSERT INTO state_rows (kind, id, value, sort)\n"
        "    SELECT 'line', json_extract(e.value, '$.id'), e.value, json_extract(e.value, '$.last')\n"
        f"    FROM kv, json_each(kv.value, '$.linker.lines') e WHERE {old};\n"
        "INSERT INTO state_rows (kind, id, value)\n"
        f"    SELECT 'post', e.key, e.value FROM kv, json_each(kv.value, '$.linker.postings') e WHERE {old};\n"
        "INSERT INTO state_rows (kind, id, value)\n"
        "    SELECT 'df', e.key, CAST(e.value AS TEXT)\n"
        f"    FROM kv, json_each(kv.value, '$.clusterer.stats.df') e WHERE {old};\n"
        "INSERT INTO kv (key, value)\n"
        f"    SELECT '{STORY_META}', json_object(\n"
        "        'clusterer', json_set(json_remove(json_extract(value, '$.clusterer'), '$.stories'), '$.stats.df', json('{}')),\n"
        "        'linker', json_remove(json_extract(value, '$.linker'), '$.lines', '$.postings'),\n"
        "        'next_seq', json_array_length(value, '$.clusterer.stories'))\n"
        f"    FROM kv WHERE {old};\n"
        f"DELETE FROM kv WHERE {old};\n"
    )


# Version 10 on SQLite, 9 on PostgreSQL: who reported a story. ``sources`` lists its sources (syndicated
# copies grouped under the wire or outlet they came from) and ``first_reported`` its earliest dated
# article, both as JSON text; ``unknown_sources`` counts article groups no outlet or wire is known for
# (kept out of ``independent_sources``). Existing stories get them the next time the story stage writes
# them; until then they read as empty.
STORY_SOURCE_COLUMNS = (
    Col("unknown_sources", "int", required=True, default="0"),
    Col("sources", "text", required=True, default="'[]'"),
    Col("first_reported", "text"),
)


def story_sources(d: Dialect) -> str:
    return add_columns(d, "stories", STORY_SOURCE_COLUMNS)


# Version 11 on SQLite, 10 on PostgreSQL: smaller analysis rows (issue 13). The text of a mention, a quote
# and a quote's speaker is NULL where it is the slice of the article its offsets name (the title for a
# quote in the headline): readers take it from there (:mod:`.rows`). On SQLite mentions become a WITHOUT
# ROWID table (its primary key was a second b-tree of the same size; quotes stay a rowid table: their
# rows are wider, and measured larger without), bodies are compressed with the news-word dictionary and
# raw texts against their body (:mod:`.packing`); ``marsad_slice`` and ``marsad_repack*`` are
# registered on every SQLite connection for this.
SLICE_FUNCTION = "marsad_slice"
REPACK_FUNCTION = "marsad_repack"
REPACK_LIKE_FUNCTION = "marsad_repack_like"


def _nullable(t: Table, names: tuple[str, ...]) -> Table:
    return replace(t, cols=tuple(replace(c, required=False) if c.name in names else c for c in t.cols))


MENTIONS_V11 = replace(_nullable(MENTIONS, ("text",)), without_rowid=True)
QUOTES_V11 = _nullable(replace(QUOTES, cols=QUOTES.cols + ANSWERS_COLUMNS), ("text",))


def _rebuild(d: Dialect, t: Table, select: str) -> str:
    """Table ``t`` made anew from ``select`` (its columns in order), its indexes recreated."""
    tmp = replace(t, name=f"{t.name}_new", indexes=())
    idx = "".join(f"CREATE INDEX {name} ON {t.name}({col});\n" for name, col in t.indexes)
    return (
        create(d, [tmp])
        + f"INSERT INTO {tmp.name}\n    {select};\n"
        + f"DROP TABLE {t.name};\nALTER TABLE {tmp.name} RENAME TO {t.name};\n"
        + idx
    )


def compact_analysis(d: Dialect) -> str:
    s, e = d.span
    if _pg(d):
        return (
            "ALTER TABLE mentions ALTER COLUMN text DROP NOT NULL;\n"
            "ALTER TABLE quotes ALTER COLUMN text DROP NOT NULL;\n"
            "UPDATE mentions m SET text = NULL FROM articles a WHERE a.id = m.article_id\n"
            f"    AND m.{s} >= 0 AND m.{e} >= m.{s} AND m.text = substr(a.body, m.{s} + 1, m.{e} - m.{s});\n"
            "UPDATE quotes q SET text = NULL FROM articles a WHERE a.id = q.article_id\n"
            f"    AND q.{s} >= 0 AND q.{e} >= q.{s} AND q.text = substr(\n"
            f"        CASE WHEN q.in_headline THEN coalesce(a.title, '') ELSE a.body END, q.{s} + 1, q.{e} - q.{s});\n"
            "UPDATE quotes q SET speaker_text = NULL FROM articles a WHERE a.id = q.article_id\n"
            "    AND q.speaker_start >= 0 AND q.speaker_end >= q.speaker_start\n"
            "    AND q.speaker_text = substr(a.body, q.speaker_start + 1, q.speaker_end - q.speaker_start);\n"
        )
    sl = SLICE_FUNCTION
    mention_text = f"CASE WHEN m.text IS {sl}(a.body, m.start, m.end) THEN NULL ELSE m.text END"
    quote_text = (
        f"CASE WHEN q.text IS {sl}(CASE WHEN q.in_headline THEN coalesce(a.title, '') ELSE a.body END, "
        "q.start, q.end) THEN NULL ELSE q.text END"
    )
    speaker_text = (
        f"CASE WHEN q.speaker_text IS {sl}(a.body, q.speaker_start, q.speaker_end) "
        "THEN NULL ELSE q.speaker_text END"
    )
    mcols = ", ".join(mention_text if c.name == "text" else f"m.{c.name}" for c in MENTIONS_V11.cols)
    qcols = ", ".join(
        {"text": quote_text, "speaker_text": speaker_text}.get(c.name, f"q.{c.name}") for c in QUOTES_V11.cols
    )
    return (
        _rebuild(
            d,
            MENTIONS_V11,
            f"SELECT {mcols} FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
            "ORDER BY m.article_id, m.seq",
        )
        + _rebuild(
            d,
            QUOTES_V11,
            f"SELECT {qcols} FROM quotes q LEFT JOIN articles a ON a.id = q.article_id ORDER BY q.rowid",
        )
        + f"UPDATE articles SET raw = {REPACK_LIKE_FUNCTION}(raw, body), body = {REPACK_FUNCTION}(body);\n"
    )
