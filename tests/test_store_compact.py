"""Schema versions 11 and 12 (issue 13): mention and quote texts read from their article, mentions without rowid,
bodies and raw texts compressed with preset dictionaries; and the migration of a version 10 store."""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from marsad.model import (
    Analysis,
    Article,
    EntityKind,
    FirstReport,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceGroup,
    Stance,
    Story,
    StoryAssignment,
)
from marsad.normalize.arabic import search_text
from marsad.store import open_store
from marsad.store.base import ListFilter, PutStatus, StoryWrite
from marsad.store.dialect import SQLITE
from marsad.store.migrations import SQLITE_MIGRATIONS
from marsad.store.packing import pack, repack, repack_like, slice_of
from marsad.store.rows import ARTICLE_COLS, article_values, mention_values, quote_values
from marsad.store.schema import ENTITY_TYPE_CODES, MENTION_KIND_CODES

from .newsroom import quote_article


def _article() -> Article:
    """An article with a quote in the body, one in the headline, a mention whose text is not its slice
    (a normalised surface form) and a raw text that differs from the body by a no-break space."""
    a = quote_article(1, "لن نقبل بأي شروط مسبقة في المفاوضات المقبلة مع الجانب الآخر")
    title = "الرئيس: الحوار مستمر"
    head = Quote(start=8, end=len(title), text="الحوار مستمر", kind=QuoteKind.DIRECT, cue=None,
                 stance=Stance.STATEMENT, in_headline=True)  # fmt: skip
    odd = Mention(start=0, end=3, text="نفي", kind=MentionKind.NER, entity_id=None)
    body = a.body + "\n" + "وتابع أن الوفدين سيلتقيان مجددا الأسبوع المقبل في العاصمة. " * 4
    return replace(
        a,
        search_text=search_text(title, body), title=title, body=body, raw=body.replace(" ", "\u00a0", 1), mentions=(*a.mentions, odd),
        quotes=(*a.quotes, head),
    )  # fmt: skip


def test_texts_are_read_from_the_article_where_they_are_its_slices(tmp_path: Path) -> None:
    a = _article()
    st = open_store(str(tmp_path / "s.db"))
    st.put_articles([a])
    got = st.get_article(a.id)
    assert got == a
    (q,) = [r.quote for r in st.iter_quotes(limit=None) if r.quote.in_headline]
    assert q == a.quotes[1]
    st.put_analyses([Analysis.of(a)])  # reanalysis writes the same rows
    assert st.get_article(a.id) == a
    st.close()
    con = sqlite3.connect(tmp_path / "s.db")
    assert con.execute("SELECT text FROM mentions ORDER BY seq").fetchall() == [(None,), ("نفي",)]
    assert con.execute("SELECT text, speaker_text FROM quotes ORDER BY seq").fetchall() == [(None, None)] * 2
    raw = con.execute("SELECT raw FROM articles").fetchone()[0]
    assert isinstance(raw, bytes) and len(raw) < 60  # packed against the body
    ddl = con.execute("SELECT sql FROM sqlite_master WHERE name = 'mention_rows'").fetchone()[0]
    assert "WITHOUT ROWID" in ddl


def test_a_version_10_store_is_migrated_and_reads_the_same(tmp_path: Path) -> None:
    a = _article()
    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    con.create_function("marsad_pack", 1, pack)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for version, sql in SQLITE_MIGRATIONS:
        if version > 10:
            break
        for stmt in sql.split(";"):
            if stmt.strip():
                con.execute(stmt)
        con.execute("INSERT INTO schema_version VALUES (?, 'test')", (version,))
    # the rows as version 10 wrote them: texts stored, body and raw zlib-compressed without a dictionary
    row = dict(zip(ARTICLE_COLS, article_values(a, 1, SQLITE), strict=True))
    row["body"] = zlib.compress(a.body.encode(), 6)
    row["raw"] = zlib.compress(a.raw.encode(), 6)
    con.execute(
        f"INSERT INTO articles ({', '.join(row)}, ingested_at) VALUES ({', '.join('?' * len(row))}, 'x')",
        list(row.values()),
    )
    con.execute("INSERT INTO sources VALUES (?, ?, ?, 'x')", (a.source.key, a.id, a.content_hash))
    for i, m in enumerate(a.mentions):
        con.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?)", mention_values(a.id, i, m, None))
    for i, q in enumerate(a.quotes):
        con.execute(
            f"INSERT INTO quotes VALUES ({', '.join('?' * 19)})",
            quote_values(a.id, i, q, None, dates_as_text=True),
        )
    con.close()

    st = open_store(str(path))
    assert st.schema_version() == st.latest_schema
    assert st.get_article(a.id) == a
    assert st.stats().mentions == 2 and st.stats().quotes == 2
    st.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT text FROM mentions ORDER BY seq").fetchall() == [(None,), ("نفي",)]
    assert con.execute("SELECT text, speaker_text FROM quotes ORDER BY seq").fetchall() == [(None, None)] * 2
    body, raw = con.execute("SELECT body, raw FROM articles").fetchone()
    assert body[1] & 0x20 and raw[1] & 0x20  # both now carry a preset dictionary
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


# ---- schema version 12: mention rows keyed by entity number, codes for kinds, source_key not repeated ----


def _mentioned(n: int, entities: list[tuple[str | None, MentionKind, EntityKind]]) -> Article:
    """A quoted article that also mentions ``entities`` (key, kind, type), each a slice of its body."""
    a = quote_article(n, f"سنواصل العمل مع الشركاء في الملف رقم {n} حتى نهاية العام")
    body = a.body + " " + " ".join(f"ذكر{i}" for i in range(len(entities)))
    ms = list(a.mentions)
    for i, (eid, kind, etype) in enumerate(entities):
        at = body.index(f"ذكر{i}")
        ms.append(Mention(start=at, end=at + 4, text=body[at : at + 4], kind=kind, entity_id=eid,
                          entity_type=etype, score=0.5 + i / 10))  # fmt: skip
    return replace(a, body=body, raw=body, search_text=search_text(a.title, body), mentions=tuple(ms))


def _v11_store(path: Path, arts: list[Article]) -> None:
    """``arts`` stored as schema version 11 wrote them: its own migrations, mentions with text keys."""
    con = sqlite3.connect(path, isolation_level=None)
    for name, fn in (("marsad_pack", pack), ("marsad_slice", slice_of), ("marsad_repack", repack)):
        con.create_function(name, 3 if name == "marsad_slice" else 1, fn)
    con.create_function("marsad_repack_like", 2, repack_like)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for version, sql in SQLITE_MIGRATIONS:
        if version > 11:
            break
        for stmt in sql.split(";"):
            if stmt.strip():
                con.execute(stmt)
        con.execute("INSERT INTO schema_version VALUES (?, 'test')", (version,))
    for a in arts:
        row = dict(zip(ARTICLE_COLS, article_values(a, 1, SQLITE), strict=True))
        row["source_key"] = a.source.key  # version 11 kept the key in every article row
        con.execute(
            f"INSERT INTO articles ({', '.join(row)}, ingested_at) VALUES ({', '.join('?' * len(row))}, 'x')",
            list(row.values()),
        )
        con.execute("INSERT INTO sources VALUES (?, ?, ?, 'x')", (a.source.key, a.id, a.content_hash))
        for i, m in enumerate(a.mentions):
            con.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?)", mention_values(a.id, i, m, a.body))
        for i, q in enumerate(a.quotes):
            con.execute(
                f"INSERT INTO quotes VALUES ({', '.join('?' * 19)})",
                quote_values(a.id, i, q, (a.title, a.body), dates_as_text=True),
            )
    con.execute("INSERT INTO state_rows VALUES ('line', 'l1', '{\"last\": 2.5}', 2.5)")
    con.execute("INSERT INTO stories (id, title, size, updated_at) VALUES ('st1', 'قصة', 2, 'x')")
    con.execute("UPDATE articles SET story_id = 'st1'")
    con.close()


def test_every_mention_kind_and_entity_type_has_a_code() -> None:
    assert set(MENTION_KIND_CODES) == {k.value for k in MentionKind}
    assert set(ENTITY_TYPE_CODES) == {k.value for k in EntityKind}


def test_a_version_11_store_is_migrated_and_keeps_every_mention(tmp_path: Path) -> None:
    every = [(f"x:{k.value}-{t.value}", k, t) for k in MentionKind for t in EntityKind]
    arts = [
        _mentioned(1, [*every, (None, MentionKind.NER, EntityKind.PERSON)]),
        _mentioned(2, [("x:name-person", MentionKind.NAME, EntityKind.PERSON), ("zz:new", MentionKind.ROLE, EntityKind.PLACE)]),
    ]  # fmt: skip
    path = tmp_path / "v11.db"
    _v11_store(path, arts)
    con = sqlite3.connect(path)
    before = {
        "mentions": con.execute("SELECT * FROM mentions ORDER BY article_id, seq").fetchall(),
        "quotes": con.execute("SELECT * FROM quotes ORDER BY article_id, seq").fetchall(),
    }
    con.close()

    st = open_store(str(path))
    assert st.schema_version() == st.latest_schema
    for a in arts:
        got = st.get_article(a.id)
        assert got is not None and replace(got, story_id=None) == a
    stats = st.stats()
    assert (stats.articles, stats.mentions, stats.quotes, stats.stories) == (2, len(every) + 5, 2, 1)
    assert stats.entities == len(every) + 2  # the peskov key and zz:new; the NER mention has none
    assert st.entity_counts(limit=3) == [
        ("person:dmitry-peskov", "person", 2), ("x:name-person", "person", 2), ("x:demonym-group", "group", 1),
    ]  # fmt: skip
    assert st.entity_counts(entity_type="place", limit=2) == [("x:demonym-place", "place", 1), ("x:name-place", "place", 1)]  # fmt: skip
    assert st.co_mentioned("zz:new") == [("person:dmitry-peskov", 1), ("x:name-person", 1)]
    assert st.co_mention_pairs(["zz:new", "x:name-person"]) == [("x:name-person", "zz:new", 1)]
    assert [i for i, _ in st.entity_mentions("x:name-person")] == sorted(a.id for a in arts)
    assert st.check_counts()["orphan_mentions"] == 0
    assert list(st.iter_state_rows("line")) == [("l1", '{"last": 2.5}')]
    assert st.get_story("st1") is not None
    assert st.has_source(arts[0].source.key)
    # a new analysis writes rows the view reads the same way; a new key gets the next number
    extra = _mentioned(3, [("zz:newer", MentionKind.SURNAME, EntityKind.MEDIA), *every[:2]])
    st.put_articles([extra])
    assert st.get_article(extra.id) == extra
    st.close()

    con = sqlite3.connect(path)
    assert (
        con.execute(
            "SELECT * FROM mentions WHERE article_id <> 'art0003' ORDER BY article_id, seq"
        ).fetchall()
        == before["mentions"]
    )
    assert (
        con.execute("SELECT * FROM quotes WHERE article_id <> 'art0003' ORDER BY article_id, seq").fetchall()
        == before["quotes"]
    )
    assert con.execute("SELECT DISTINCT typeof(kind), typeof(entity_type) FROM mention_rows").fetchall() == [
        ("integer", "integer")
    ]
    assert con.execute("SELECT count(*) FROM entity_keys").fetchone() == (len(every) + 3,)
    assert con.execute("SELECT DISTINCT source_key FROM articles").fetchall() == [("",)]
    assert con.execute("SELECT DISTINCT content_hash FROM sources").fetchall() == [("",)]
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "state_rows_sort" not in names and "mentions_entity" not in names
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()


def test_a_new_store_has_16_kb_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    open_store(str(tmp_path / "new.db")).close()
    assert sqlite3.connect(tmp_path / "new.db").execute("PRAGMA page_size").fetchone() == (16384,)
    _v11_store(tmp_path / "old.db", [])  # SQLite's default: 4 KB
    open_store(str(tmp_path / "old.db")).close()
    assert sqlite3.connect(tmp_path / "old.db").execute("PRAGMA page_size").fetchone() == (4096,)


def test_story_sources_and_first_report_are_arrays_and_older_objects_read_the_same(tmp_path: Path) -> None:
    first = FirstReport(article_id="a1", outlet="وكالة", wire=None, published=datetime(2025, 9, 5, 10, 0),
                        precision="day", source="header")  # fmt: skip
    groups = (SourceGroup(source="رويترز", outlets=("وكالة", "صحيفة"), articles=2), SourceGroup(source=None, outlets=("مدونة",), articles=1))  # fmt: skip
    story = Story(id="st1", title="قصة", article_ids=(), first_seen=None, last_seen=None, sources=groups,
                  first_reported=first)  # fmt: skip
    st = open_store(str(tmp_path / "s.db"))
    st.put_stories([story])
    assert st.get_story("st1") == story
    con = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    src, fr = con.execute("SELECT sources, first_reported FROM stories").fetchone()
    assert src.startswith("[[") and fr.startswith('["a1"')
    old_src = json.dumps(
        [{"source": g.source, "outlets": list(g.outlets), "articles": g.articles} for g in groups]
    )
    old_fr = json.dumps({"article_id": "a1", "outlet": "وكالة", "wire": None, "published": "2025-09-05T10:00:00",
                         "precision": "day", "source": "header"})  # fmt: skip
    con.execute(
        "UPDATE stories SET sources = ?, first_reported = ?", (old_src, old_fr)
    )  # as version 11 wrote
    con.close()
    assert st.get_story("st1") == story
    st.close()


# ---- schema version 13: mention rows keyed by their article's number ----


def test_a_version_12_store_is_migrated_and_reads_every_mention_the_same(tmp_path: Path) -> None:
    every = [(f"x:{k.value}-{t.value}", k, t) for k in MentionKind for t in EntityKind]
    arts = [
        _mentioned(1, [*every, (None, MentionKind.NER, EntityKind.PERSON)]),
        _mentioned(2, [("x:name-person", MentionKind.NAME, EntityKind.PERSON), ("zz:new", MentionKind.ROLE, EntityKind.PLACE)]),
        _mentioned(3, [("zz:new", MentionKind.NAME, EntityKind.PLACE)]),
    ]  # fmt: skip
    path = tmp_path / "v12.db"
    _v11_store(path, arts)
    con = sqlite3.connect(path, isolation_level=None)
    for stmt in dict(SQLITE_MIGRATIONS)[12].split(";"):  # version 12 as it shipped
        if stmt.strip():
            con.execute(stmt)
    con.execute("INSERT INTO schema_version VALUES (12, 'test')")
    con.execute("PRAGMA foreign_keys = ON")  # a gap in the rowids (kept as numbers): mentions and quotes go
    con.execute("DELETE FROM sources WHERE article_id = ?", (arts[0].id,))
    con.execute("DELETE FROM articles WHERE id = ?", (arts[0].id,))
    before = {
        "mentions": con.execute("SELECT * FROM mentions ORDER BY article_id, seq").fetchall(),
        "order": con.execute("SELECT rowid, id FROM articles ORDER BY rowid").fetchall(),
    }
    assert len(before["mentions"]) == 5  # the speaker of each quote, two of article 2, one of 3
    con.close()

    st = open_store(str(path))
    assert st.schema_version() == st.latest_schema
    for a in arts[1:]:
        got = st.get_article(a.id)
        assert got is not None and replace(got, story_id=None) == a
    assert [a.id for a in st.iter_articles(with_analysis=False)] == [i for _, i in before["order"]]
    assert st.stats().mentions == 5 and st.check_counts()["orphan_mentions"] == 0
    assert st.entity_counts(limit=2) == [("person:dmitry-peskov", "person", 2), ("zz:new", "place", 2)]
    assert st.co_mentioned("zz:new") == [("person:dmitry-peskov", 2), ("x:name-person", 1)]
    assert st.co_mention_pairs(["zz:new", "x:name-person"]) == [("x:name-person", "zz:new", 1)]
    assert [i for i, _ in st.entity_mentions("zz:new")] == sorted(a.id for a in arts[1:])
    assert st.count_quotes(ListFilter(entity_ids=("x:name-person",))) == 1
    # the next article gets a number after the others; an updated article's mention rows go with it
    st.put_articles([arts[0]])
    newer = replace(_mentioned(4, [("zz:newer", MentionKind.NAME, EntityKind.MEDIA)]), source=arts[2].source)
    assert st.put_articles([newer])[0].status == PutStatus.UPDATED
    assert st.get_article(newer.id) == newer and st.get_article(arts[2].id) is None
    st.close()

    con = sqlite3.connect(path)
    assert con.execute(
        "SELECT * FROM mentions WHERE article_id = ? ORDER BY seq", (arts[1].id,)
    ).fetchall() == [m for m in before["mentions"] if m[0] == arts[1].id]
    assert (
        con.execute("SELECT rowid, seq FROM articles WHERE id = ?", (arts[1].id,)).fetchone()
        == (before["order"][0][0],) * 2
    )
    assert con.execute(
        "SELECT count(*) FROM mention_rows WHERE article_seq NOT IN (SELECT seq FROM articles)"
    ).fetchone() == (0,)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA foreign_keys").fetchone() == (0,)  # this connection's own default
    con.close()


# ---- schema version 15: room in an article row for its story fields ----


def _article_payload(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT sum(payload) FROM dbstat WHERE name = 'articles'").fetchone()[0])
    finally:
        con.close()


def test_an_article_row_keeps_its_size_as_its_story_fields_are_written(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    arts = [_mentioned(n, []) for n in range(1, 4)]
    st = open_store(str(path))
    st.put_articles([_mentioned(9, [])])  # revision 1 (a 0 takes no byte in a row, a 2 one)
    st.put_articles(arts)
    st.close()
    stored = _article_payload(path)
    st = open_store(str(path))
    sid = [f"st-{n:016x}" for n in range(3)]
    st.set_stories([  # a story with its storyline, one without (yet), a near-duplicate with both
        StoryAssignment(article_id=arts[0].id, story_id=sid[0], storyline_id="sl-" + "a" * 16),
        StoryAssignment(article_id=arts[1].id, story_id=sid[1]),
        StoryAssignment(article_id=arts[2].id, story_id=sid[0], storyline_id="sl-" + "a" * 16, duplicate_of=arts[0].id),
    ])  # fmt: skip
    st.close()
    assert _article_payload(path) == stored + len(arts[0].id)  # only the duplicate's link is beyond the room
    st = open_store(str(path))
    st.write_stories(StoryWrite(relabels=[(sid[1], "sl-" + "b" * 16)]))  # its storyline comes later
    assert st.get_article(arts[1].id).storyline_id == "sl-" + "b" * 16  # type: ignore[union-attr]
    st.close()
    assert _article_payload(path) == stored + len(arts[0].id)
    con = sqlite3.connect(path)
    assert con.execute("SELECT length(story_room) FROM articles ORDER BY seq").fetchall() == [
        (38,),
        (0,),
        (0,),
        (0,),
    ]
    con.close()


def test_a_row_stored_without_room_is_not_given_any(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    a = _mentioned(1, [])
    st = open_store(str(path))
    st.put_articles([a])
    st.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE articles SET story_room = NULL")  # as a version 14 store wrote it
    con.commit()
    con.close()
    st = open_store(str(path))
    st.set_stories([StoryAssignment(article_id=a.id, story_id="st-1")])
    assert st.get_article(a.id).story_id == "st-1"  # type: ignore[union-attr]
    st.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT story_room FROM articles").fetchall() == [(None,)]
    con.close()
