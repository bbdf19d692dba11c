"""Schema version 11 (issue 13): mention and quote texts read from their article, mentions without rowid,
bodies and raw texts compressed with preset dictionaries; and the migration of a version 10 store."""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path

from marsad.model import (
    Analysis,
    Article,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    Stance,
)
from marsad.normalize.arabic import search_text
from marsad.store import open_store
from marsad.store.dialect import SQLITE
from marsad.store.migrations import SQLITE_MIGRATIONS
from marsad.store.packing import pack
from marsad.store.rows import ARTICLE_COLS, article_values, mention_values, quote_values

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
    ddl = con.execute("SELECT sql FROM sqlite_master WHERE name = 'mentions'").fetchone()[0]
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
    assert st.schema_version() == 11
    assert st.get_article(a.id) == a
    assert st.stats().mentions == 2 and st.stats().quotes == 2
    st.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT text FROM mentions ORDER BY seq").fetchall() == [(None,), ("نفي",)]
    assert con.execute("SELECT text, speaker_text FROM quotes ORDER BY seq").fetchall() == [(None, None)] * 2
    body, raw = con.execute("SELECT body, raw FROM articles").fetchone()
    assert body[1] & 0x20 and raw[1] & 0x20  # both now carry a preset dictionary
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
