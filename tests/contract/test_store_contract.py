"""One behaviour for every store backend: each test runs on SQLite and on PostgreSQL (``-m postgres``)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as hst

from marsad import service
from marsad.errors import StoreError
from marsad.model import (
    Analysis,
    AnalysisState,
    Article,
    EntityKind,
    FirstReport,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceGroup,
    SourceRef,
    Speaker,
    SpeakerKind,
    Stance,
    Story,
    StoryAssignment,
)
from marsad.normalize.arabic import search_text
from marsad.store import ArticleFilter, PutStatus, Store, StoryWrite, open_store
from marsad.store.base import DocumentMark, ListFilter

from ..conftest import PY, REPO, SEEDS, need
from .conftest import raw_sql

if TYPE_CHECKING:  # psycopg is optional: the SQLite half runs without it
    from marsad.store.postgres import PostgresStore

GMT3 = timezone(timedelta(hours=3))


def art(
    n: int,
    *,
    body: str | None = None,
    origin: str | None = None,
    published: datetime | None = datetime(2025, 9, 5, 10, 0, tzinfo=UTC),
    outlet: str | None = "الجزيرة",
    **kw: object,
) -> Article:
    body = body if body is not None else f"قال الرئيس الأمريكي في الخبر رقم {n} إن المحادثات مستمرة."
    h = hashlib.sha256(f"{body}\x1f{outlet}\x1f{published}".encode()).hexdigest()
    base = Article(
        id=h[:16],
        content_hash=h,
        source=SourceRef(origin=origin or f"/in/{n}.txt"),
        title=f"عنوان {n}",
        body=body,
        published=published,
        outlet=outlet,
        language="ar",
    )
    a = replace(base, **kw)  # type: ignore[arg-type]
    # as parsing makes it: the stores derive search_text on read rather than keep it
    return a if "search_text" in kw else replace(a, search_text=search_text(a.title, a.body))


def an(article_id: str, mentions: list[Mention], quotes: list[Quote]) -> Analysis:
    return Analysis(article_id=article_id, mentions=tuple(mentions), quotes=tuple(quotes))


def mention(start: int, entity: str | None, kind: EntityKind = EntityKind.PERSON) -> Mention:
    return Mention(
        start=start,
        end=start + 5,
        text="بوتين",
        kind=MentionKind.NAME,
        entity_id=entity,
        entity_type=kind,
        score=0.75,
    )


def quote(entity: str, stance: Stance, said_on: date | None = None) -> Quote:
    sp = Speaker(
        text="المتحدث",
        kind=SpeakerKind.PERSON,
        entity_id=entity,
        name_ar="اسم",
        name_en="Name",
        start=0,
        end=7,
    )
    return Quote(
        start=10,
        end=30,
        text="نص القول",
        kind=QuoteKind.DIRECT,
        cue="قال",
        stance=stance,
        speaker=sp,
        said_on=said_on,
    )


# ---- articles -------------------------------------------------------------------------------------


def test_every_article_field_round_trips(cstore: Store) -> None:
    full = art(
        1,
        origin="/feeds/a.zip",
        published=datetime(2025, 9, 5, 13, 30, 15, tzinfo=GMT3),
        raw="النص كما ورد",
        date_text="5 سبتمبر 2025",
        date_precision="day",
        date_source="byline",
        wire="رويترز",
        url="https://example.org/a?x=1&y='2'",
        author="كاتب",
        category="سياسة",
        tags=("روسيا", "أمريكا"),
        cited_media=("وكالة سبوتنيك",),
        parent_id="0123456789abcdef",
        story_id="st-1",
        storyline_id="sl-1",
        duplicate_of="fedcba9876543210",
    )
    full = replace(
        full,
        source=SourceRef(
            origin="/feeds/a.zip",
            member="x/1.json",
            record="7",
            part=2,
            char_start=5,
            char_end=99,
            media_type="application/json",
            encoding="utf-16",
        ),
    )
    naive = art(2, published=datetime(2024, 1, 26, 8, 0), date_precision="month", date_source="header")
    undated = art(3, published=None, outlet=None, title=None)
    assert [o.status for o in cstore.put_articles([full, naive, undated])] == [PutStatus.NEW] * 3
    for a in (full, naive, undated):
        got = cstore.get_article(a.id)
        assert got == a
        assert got is not None and got.source.key == a.source.key
    assert cstore.get_article(naive.id) is not None and cstore.get_article(naive.id).published.tzinfo is None  # type: ignore[union-attr]
    assert cstore.get_article(full.id).published.utcoffset() == timedelta(hours=3)  # type: ignore[union-attr]
    assert list(cstore.iter_articles()) == [full, naive, undated]  # insertion order
    assert cstore.has_source(full.source.key) and not cstore.has_source("/nowhere@0")


def test_unique_id_prefix(cstore: Store) -> None:
    a, b = art(1), art(2)
    cstore.put_articles([a, b])
    assert cstore.get_article(a.id[:6]) == a
    assert cstore.get_article(a.id[:3]) is None  # too short to trust
    assert cstore.get_article("zzzz") is None
    twin = replace(b, id=a.id[:6] + "f" * 10, content_hash="0" * 64, source=SourceRef(origin="/twin"))
    cstore.put_articles([twin])
    assert cstore.get_article(a.id[:6]) is None  # ambiguous
    assert cstore.get_article("%") is None and cstore.get_article("____") is None  # no wildcards


def test_reingest_of_the_seeds_is_idempotent(cstore: Store) -> None:
    seeds = str(need(SEEDS))
    r1 = service.ingest([seeds], cstore)  # type: ignore[arg-type]
    assert r1.counts["new"] == 8 and r1.failed == 0
    r2 = service.ingest([seeds], cstore)  # type: ignore[arg-type]
    assert r2.counts["unchanged"] == 8 and r2.counts["new"] == 0
    assert cstore.count_articles() == 8 and cstore.stats().sources == 8


def test_same_content_from_another_source_is_a_duplicate(cstore: Store) -> None:
    a = art(1)
    copy = replace(a, source=SourceRef(origin="/elsewhere/copy.txt"))
    (o1,) = cstore.put_articles([a])
    (o2,) = cstore.put_articles([copy])
    assert o1.status is PutStatus.NEW
    assert (o2.status, o2.article_id, o2.existing_id) == (PutStatus.DUPLICATE, a.id, a.id)
    assert cstore.count_articles() == 1 and cstore.has_source(copy.source.key)
    # inside one batch too
    b = art(2)
    outs = cstore.put_articles([b, replace(b, source=SourceRef(origin="/b2")), b])
    assert [o.status for o in outs] == [PutStatus.NEW, PutStatus.DUPLICATE, PutStatus.UNCHANGED]


def test_changed_source_is_updated_and_the_old_version_goes(cstore: Store) -> None:
    old = art(1)
    cstore.put_articles([old])
    cstore.put_analyses([an(old.id, [mention(0, "Q1")], [quote("Q1", Stance.DENIAL)])])
    new = art(1, body=old.body + " فقرة أضيفت لاحقا.")
    (o,) = cstore.put_articles([new])
    assert (o.status, o.article_id) == (PutStatus.UPDATED, new.id)
    assert [a.id for a in cstore.iter_articles()] == [new.id]
    assert cstore.get_article(old.id) is None
    st = cstore.stats()
    assert (st.sources, st.mentions, st.quotes) == (1, 0, 0)
    # an old version still claimed by another source stays
    shared = art(5)
    cstore.put_articles([shared, replace(shared, source=SourceRef(origin="/other"))])
    cstore.put_articles([art(5, body="نص مختلف تماما")])
    assert cstore.get_article(shared.id) is not None


def test_replacements_inside_one_batch_follow_the_batch_order(cstore: Store) -> None:
    x_a = art(1, origin="/x")
    y_b = art(2, origin="/y")
    cstore.put_articles([x_a, y_b])
    # x changes to B's text and y to A's: both are stored already, so both are duplicates
    swap = [art(2, origin="/x"), art(1, origin="/y")]
    assert [o.status for o in cstore.put_articles(swap)] == [PutStatus.DUPLICATE, PutStatus.DUPLICATE]
    assert cstore.count_articles() == 2 and cstore.stats().sources == 2
    # y moves on to new text C (A loses its last source and goes), then z brings A back: new again
    outs = cstore.put_articles([art(3, origin="/y"), art(1, origin="/z")])
    assert [o.status for o in outs] == [PutStatus.UPDATED, PutStatus.NEW]
    assert {a.id for a in cstore.iter_articles()} == {x_a.id, y_b.id, art(3).id}
    # one source changing twice in a batch: only the last version stays
    outs = cstore.put_articles([art(4, origin="/w"), art(5, origin="/w"), art(6, origin="/w")])
    assert [o.status for o in outs] == [PutStatus.NEW, PutStatus.UPDATED, PutStatus.UPDATED]
    assert cstore.get_article(art(4).id) is None and cstore.get_article(art(5).id) is None
    assert cstore.get_article(art(6).id) is not None


def test_mentions_and_quotes_round_trip_and_are_replaced(cstore: Store) -> None:
    a = art(1)
    cstore.put_articles([a])
    ms = [mention(0, "Q1"), mention(20, None, EntityKind.PLACE)]
    qs = [
        replace(quote("Q1", Stance.DENIAL, date(2025, 9, 1)), answers="صحيفة واشنطن بوست"),
        replace(
            quote("Q2", Stance.CLAIM),
            speaker=None,
            kind=QuoteKind.INDIRECT,
            cue=None,
            via="وكالة",
            in_headline=True,
        ),
    ]
    cstore.put_analyses([an(a.id, ms, qs)])
    got = cstore.get_article(a.id)
    assert got is not None and got.mentions == tuple(ms) and got.quotes == tuple(qs)
    assert next(cstore.iter_articles()).quotes == tuple(qs)
    assert next(cstore.iter_articles(with_analysis=False)).mentions == ()
    (both,) = cstore.get_articles([a.id])
    (no_quotes,) = cstore.get_articles([a.id], with_quotes=False)  # what the story stage reads
    assert both.quotes == tuple(qs) and both.mentions == tuple(ms)
    assert no_quotes.mentions == tuple(ms) and no_quotes.quotes == ()
    (bare,) = cstore.get_articles([a.id], with_analysis=False)
    assert bare.mentions == () and bare.quotes == ()
    # search_text is derived on read unless the reader does not match on it (index, duplicate index)
    assert both.search_text == a.search_text != ""
    (plain,) = cstore.get_articles([a.id], with_search_text=False)
    assert plain.search_text == "" and plain.quotes == tuple(qs)
    assert replace(plain, search_text=a.search_text) == both
    assert next(cstore.iter_articles(with_search_text=False)).search_text == ""
    cstore.put_analyses([an(a.id, [ms[1]], [])])
    got = cstore.get_article(a.id)
    assert got is not None and got.mentions == (ms[1],) and got.quotes == ()


def test_filters_limit_and_offset(cstore: Store) -> None:
    d = [datetime(2025, 9, day, 23, 30, tzinfo=UTC) for day in (1, 2, 3)]
    arts = [art(i, published=d[i], outlet=("أ", "ب", "أ")[i]) for i in range(3)] + [art(9, published=None)]
    cstore.put_articles(arts)
    cstore.set_stories([StoryAssignment(article_id=arts[1].id, story_id="st-x")])

    def ids(**kw: object) -> list[str]:
        return [a.id for a in cstore.iter_articles(ArticleFilter(**kw))]  # type: ignore[arg-type]

    a0, a1, a2, a9 = (a.id for a in arts)
    assert ids(since=date(2025, 9, 2)) == [a1, a2]
    assert ids(until=date(2025, 9, 2)) == [a0, a1]
    assert ids(since=date(2025, 9, 2), until=date(2025, 9, 2)) == [a1]
    assert ids(outlet="أ") == [a0, a2]
    assert ids(story_id="st-x") == [a1]
    assert ids(limit=2, offset=1) == [a1, a2]
    assert ids() == [a0, a1, a2, a9]
    assert cstore.count_articles(ArticleFilter(outlet="أ", since=date(2025, 9, 2))) == 1
    assert cstore.count_articles() == 4


def test_many_articles_list_in_order(cstore: Store) -> None:
    arts = [art(i) for i in range(1234)]  # more than one page of a paged listing
    cstore.put_articles(arts)
    assert [a.id for a in cstore.iter_articles(with_analysis=False)] == [a.id for a in arts]


# ---- stories and state ------------------------------------------------------------------------------


def test_stories_round_trip_and_listing(cstore: Store) -> None:
    a1, a2, a3 = (
        art(1, published=datetime(2025, 9, 2, tzinfo=UTC)),
        art(2, published=datetime(2025, 9, 1, tzinfo=UTC)),
        art(3),
    )
    cstore.put_articles([a1, a2, a3])
    s1 = Story(
        id="st-1",
        title="قصة",
        article_ids=(a2.id, a1.id),
        first_seen=datetime(2025, 9, 1, tzinfo=GMT3),
        last_seen=datetime(2025, 9, 2, 12, 0),
        outlets=("الجزيرة", "العربية"),
        independent_sources=2,
        top_entities=("Q1", "Q2"),
        summary=("جملة أولى", "جملة ثانية"),
        storyline_id="sl-1",
        unknown_sources=1,
        sources=(
            SourceGroup(source="رويترز", outlets=("الجزيرة", "العربية"), articles=2),
            SourceGroup(source=None, outlets=(), articles=1),
        ),
        first_reported=FirstReport(
            article_id=a2.id,
            outlet="الجزيرة",
            wire="رويترز",
            published=datetime(2025, 9, 1, 8, 30, tzinfo=GMT3),
            precision="day",
            source="header",
        ),
    )
    s2 = Story(
        id="st-2",
        title="أخرى",
        article_ids=(a3.id,),
        first_seen=None,
        last_seen=datetime(2025, 9, 10, tzinfo=UTC),
    )
    s3 = Story(id="st-3", title="بلا تاريخ", article_ids=(), first_seen=None, last_seen=None)
    cstore.put_stories([s1, s2, s3])
    cstore.set_stories(
        [
            StoryAssignment(article_id=a1.id, story_id="st-1", storyline_id="sl-1"),
            StoryAssignment(article_id=a2.id, story_id="st-1", storyline_id="sl-1", duplicate_of=a1.id),
            StoryAssignment(article_id=a3.id, story_id="st-2"),
        ]
    )
    assert cstore.get_story("st-1") == s1  # article ids ordered by publication
    assert cstore.get_story("st-2") == s2 and cstore.get_story("nope") is None
    got = cstore.get_article(a2.id)
    assert got is not None and (got.story_id, got.storyline_id, got.duplicate_of) == ("st-1", "sl-1", a1.id)
    assert [s.id for s in cstore.iter_stories(min_size=0)] == ["st-2", "st-1", "st-3"]
    assert [s.id for s in cstore.iter_stories(order="size")] == ["st-1", "st-2"]
    assert [s.id for s in cstore.iter_stories(since=date(2025, 9, 5))] == ["st-2"]
    assert [s.id for s in cstore.iter_stories(storyline_id="sl-1")] == ["st-1"]
    assert [s.id for s in cstore.iter_stories(min_size=0, limit=1, offset=1)] == ["st-1"]
    assert cstore.count_stories() == 2 and cstore.count_stories(min_size=0) == 3
    cstore.put_stories([replace(s2, title="معدلة")])  # replace, not add
    assert cstore.count_stories(min_size=0) == 3 and cstore.get_story("st-2").title == "معدلة"  # type: ignore[union-attr]


def test_state_is_a_key_value_store(cstore: Store) -> None:
    assert cstore.get_state("clusterer") is None
    cstore.set_state("clusterer", json.dumps({"n": 1}))
    cstore.set_state("clusterer", "الحالة")
    assert cstore.get_state("clusterer") == "الحالة"


# ---- quotes and entities ----------------------------------------------------------------------------


def test_iter_quotes_filters_and_context(cstore: Store) -> None:
    a = art(1, published=datetime(2025, 9, 5, 9, 0, tzinfo=UTC))
    b = art(2, published=datetime(2025, 9, 7, 9, 0, tzinfo=UTC), outlet="العربية")
    cstore.put_articles([a, b])
    cstore.put_analyses(
        [
            an(a.id, [], [quote("Q1", Stance.DENIAL), quote("Q2", Stance.CLAIM, said_on=date(2025, 9, 1))]),
            an(b.id, [], [quote("Q1", Stance.CLAIM)]),
        ]
    )

    def keys(**kw: object) -> list[tuple[str, str | None]]:
        rows = cstore.iter_quotes(**kw)  # type: ignore[arg-type]
        return [(r.article_id, r.quote.speaker.entity_id if r.quote.speaker else None) for r in rows]

    assert keys() == [(a.id, "Q2"), (a.id, "Q1"), (b.id, "Q1")]  # by the day the words were said
    assert keys(speaker_ids=["Q1"]) == [(a.id, "Q1"), (b.id, "Q1")]
    assert keys(speaker_ids=[]) == []
    assert keys(stance="claim") == [(a.id, "Q2"), (b.id, "Q1")]
    assert keys(since=date(2025, 9, 5)) == [(a.id, "Q1"), (b.id, "Q1")]
    assert keys(until=date(2025, 9, 4)) == [(a.id, "Q2")]
    assert keys(article_id=b.id) == [(b.id, "Q1")]
    assert keys(limit=1, offset=2) == [(b.id, "Q1")]
    row = cstore.iter_quotes(article_id=b.id)[0]
    assert (row.published, row.outlet, row.article_title, row.quote) == (
        b.published,
        "العربية",
        b.title,
        quote("Q1", Stance.CLAIM),
    )


def test_entity_queries(cstore: Store) -> None:
    a = art(1, published=datetime(2025, 9, 2, tzinfo=UTC))
    b = art(2, published=datetime(2025, 9, 1, tzinfo=UTC))
    cstore.put_articles([a, b])
    cstore.put_analyses(
        [
            an(a.id, [mention(0, "Q1"), mention(9, "Q2"), mention(20, None)], []),
            an(b.id, [mention(0, "Q1"), mention(9, "Q1"), mention(20, "Q3", EntityKind.PLACE)], []),
        ]
    )
    assert cstore.entity_mentions("Q1") == [(b.id, b.published), (a.id, a.published)]
    assert cstore.entity_mentions("nobody") == []
    assert cstore.co_mentioned("Q1") == [("Q2", 1), ("Q3", 1)]
    assert cstore.co_mentioned("Q1", limit=1) == [("Q2", 1)]
    assert cstore.entity_counts() == [("Q1", "person", 2), ("Q2", "person", 1), ("Q3", "place", 1)]
    assert cstore.entity_counts(entity_type="place") == [("Q3", "place", 1)]


def test_stats(cstore: Store) -> None:
    parent = art(1, published=datetime(2024, 1, 26, tzinfo=UTC))
    child = replace(
        art(2, published=datetime(2025, 9, 5, tzinfo=UTC), outlet=None, language="en"),
        source=SourceRef(origin="/in/1.txt", part=1),
        parent_id=parent.id,
    )
    cstore.put_articles([parent, child, replace(parent, source=SourceRef(origin="/dup"))])
    cstore.put_analyses(
        [an(parent.id, [mention(0, "Q1"), mention(9, "Q1"), mention(20, None)], [quote("Q1", Stance.DENIAL)])]
    )
    cstore.put_stories(
        [Story(id="st-1", title="t", article_ids=(parent.id,), first_seen=None, last_seen=None)]
    )
    st = cstore.stats()
    assert (st.articles, st.sources, st.parts) == (2, 3, 1)
    assert st.outlets == {"الجزيرة": 1, "(unknown)": 1}
    assert st.languages == {"ar": 1, "en": 1}
    assert (st.first_published, st.last_published) == ("2024-01-26", "2025-09-05")
    assert (st.mentions, st.quotes, st.entities, st.stories) == (3, 1, 1, 1)
    assert st.schema_version == cstore.schema_version() >= 1 and st.size_bytes > 0


# ---- atomicity, concurrency, schema -----------------------------------------------------------------


def test_a_failing_batch_stores_nothing(cstore: Store) -> None:
    good = [art(1), art(2)]
    bad = replace(art(3), source=SourceRef(origin="/bad", part=2**70))  # no backend stores a 71-bit int
    with pytest.raises((StoreError, OverflowError)):
        cstore.put_articles([*good, bad])
    assert cstore.count_articles() == 0 and not cstore.has_source(good[0].source.key)
    assert [o.status for o in cstore.put_articles(good)] == [PutStatus.NEW, PutStatus.NEW]  # still usable
    # analyses too: the unknown article fails the whole call, the first article keeps its mentions
    cstore.put_analyses([an(good[0].id, [mention(0, "Q1")], [])])
    with pytest.raises(StoreError):
        cstore.put_analyses([an(good[0].id, [], []), an("no-such-article", [mention(0, "Q2")], [])])
    assert cstore.stats().mentions == 1


_WORKER = """
import json, sys
from marsad import service
from marsad.store import open_store
url, files = sys.argv[1], sys.argv[2:]
store = open_store(url)
r = service.ingest(files, store, batch_size=3)
store.close()
print(json.dumps(r.as_dict()))
"""


def test_concurrent_writers_store_each_article_once(store_url: str, tmp_path: Path) -> None:
    """Three processes ingest the same files (in different orders) at once.

    On PostgreSQL they also create the schema at once. SQLite's first migration is not safe against a
    concurrent first open yet (it reads the version outside its write lock), so that store is made first.
    """
    if store_url.startswith("sqlite"):
        open_store(store_url).close()
    folder = tmp_path / "docs"
    folder.mkdir()
    files = sorted(str(p) for p in need(SEEDS).glob("*.txt"))
    for i in range(40):
        text = f"خبر رقم {i} عن المحادثات\nقال المتحدث إن الجولة {i} من المحادثات انتهت دون اتفاق.\n"
        for copy in range(1 + (i % 4 == 0)):  # every fourth text twice, from two files: a duplicate
            path = folder / f"{i}_{copy}.txt"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
    orders = [files, files[::-1], files[len(files) // 2 :] + files[: len(files) // 2]]
    procs = [
        subprocess.Popen(
            [PY, "-c", _WORKER, store_url, *order],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in orders
    ]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["failed"] == 0 for r in reports)
    s = open_store(store_url)
    try:
        st = s.stats()
        n_sources = 8 + 50
        assert (st.articles, st.sources) == (8 + 40, n_sources)
        total = {k: sum(r[k] for r in reports) for k in ("new", "duplicate", "unchanged", "updated")}
        assert total["new"] == 8 + 40 and total["new"] + total["duplicate"] == n_sources
        assert total["unchanged"] == 2 * n_sources and total["updated"] == 0
        assert len({a.id for a in s.iter_articles()}) == st.articles
    finally:
        s.close()


def test_migrations_are_recorded_and_a_newer_schema_is_refused(store_url: str) -> None:
    s = open_store(store_url)
    v = s.schema_version()
    s.close()
    applied = raw_sql(store_url, "SELECT version FROM schema_version ORDER BY version")
    assert v >= 1 and [r[0] for r in applied] == list(range(1, v + 1))
    open_store(store_url).close()  # reopening migrates nothing
    assert len(raw_sql(store_url, "SELECT version FROM schema_version")) == v
    raw_sql(store_url, "INSERT INTO schema_version (version) VALUES (%s)", (999,))
    with pytest.raises(StoreError, match="newer"):
        open_store(store_url)


def test_readonly_store(store_url: str) -> None:
    with pytest.raises(StoreError, match="marsad ingest"):
        open_store(store_url, readonly=True)  # nothing there yet
    open_store(store_url).close()
    ro = open_store(store_url, readonly=True)
    try:
        assert ro.count_articles() == 0
        with pytest.raises(StoreError, match="read-only"):
            ro.put_articles([art(1)])
    finally:
        ro.close()


# ---- PostgreSQL only --------------------------------------------------------------------------------


@pytest.fixture
def pg(pg_store_url: str) -> Iterator[PostgresStore]:
    from marsad.store.postgres import PostgresStore

    s = open_store(pg_store_url)
    assert isinstance(s, PostgresStore)
    yield s
    s.close()


@pytest.mark.postgres
def test_search_matches_normalized_clitic_free_words_and_stems(pg: PostgresStore) -> None:
    a = art(1, body="قال الرئيسُ الأمريكي إن المحادثات مع الكرملين مستمرة.", title="واشنطن وموسكو")
    b = art(2, body="وصل والرئيس الروسي بوتين إلى المؤتمر.", title="بوتين في المؤتمر")
    c = art(3, body="ارتفعت أسعار النفط اليوم.", title="الاقتصاد")
    pg.put_articles([a, b, c])

    def ids(q: str, **kw: int) -> list[str]:
        return [i for i, _ in pg.search(q, **kw)]

    assert ids("الرئيس") == ids("رئيس") == ids("والرئيس") and set(ids("رئيس")) == {a.id, b.id}
    assert ids("الامريكي") == [a.id]  # hamza folded, diacritics gone
    assert ids("الرئيس الأمريكي") == [a.id]  # every word must match
    assert ids("بوتين") == [b.id]  # a name the stemmer would mangle still matches as written
    assert ids("مستمر") == [a.id]  # by stem (مستمرة)
    assert ids("موسكو") == [a.id] and ids("النفط") == [c.id]
    assert ids("غير موجود") == [] and ids("") == [] and ids("!!") == []
    assert ids("في") == [b.id]  # a stopword alone is still searched
    assert len(ids("رئيس", limit=1)) == 1 and ids("رئيس", limit=1, offset=1) == ids("رئيس")[1:]
    hits = pg.search("بوتين المؤتمر")
    assert hits[0][0] == b.id and hits[0][1] > 0
    pg.put_articles([art(1, body="نص جديد بلا رؤساء", title="تحديث")])  # the update replaces the index entry
    assert a.id not in ids("الأمريكي")


@pytest.mark.postgres
def test_a_dropped_connection_is_reopened_and_the_write_replayed(
    pg: PostgresStore, pg_store_url: str
) -> None:
    pg.put_articles([art(1)])
    assert pg._conn is not None
    raw_sql(pg_store_url, "SELECT pg_terminate_backend(%s)", (pg._conn.info.backend_pid,))
    assert [o.status for o in pg.put_articles([art(2), art(1)])] == [PutStatus.NEW, PutStatus.UNCHANGED]
    raw_sql(pg_store_url, "SELECT pg_terminate_backend(%s)", (pg._conn.info.backend_pid,))
    assert pg.count_articles() == 2


@pytest.mark.postgres
def test_concurrent_updates_of_shared_sources_converge(pg_store_url: str) -> None:
    """Writers that replace each other's versions lock articles out of order: deadlocks must be retried."""
    store_url = pg_store_url
    open_store(store_url).close()
    worker = """
import sys
from dataclasses import replace
from marsad.model import SourceRef
sys.path.insert(0, sys.argv[3])
from tests.contract.test_store_contract import art
from marsad.store import open_store
s = open_store(sys.argv[1])
version = int(sys.argv[2])
for round_ in range(6):
    batch = [art(i, body=f"نسخة {(round_ + version) % 3} من الخبر {i}", origin=f"/src/{i}") for i in range(12)]
    s.put_articles(batch if version % 2 else batch[::-1])
s.close()
"""
    procs = [
        subprocess.Popen(
            [PY, "-c", worker, store_url, str(v), str(REPO)], cwd=REPO, stderr=subprocess.PIPE, text=True
        )
        for v in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
    s = open_store(store_url)
    try:
        st = s.stats()
        assert st.sources == 12 and st.articles >= 12
        for i in range(12):  # each source points at a stored article
            assert s.has_source(f"/src/{i}@0")
        assert raw_sql(
            store_url, "SELECT count(*) FROM sources WHERE article_id NOT IN (SELECT id FROM articles)"
        ) == [(0,)]
    finally:
        s.close()


def test_missing_psycopg_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setitem(sys.modules, "marsad.store.postgres", None)
    with pytest.raises(StoreError, match=r"pip install 'marsad\[postgres\]'"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/x")
    try:
        open_store("postgresql://nobody:secret@127.0.0.1:1/x")
    except StoreError as e:
        assert "secret" not in str(e)


@pytest.mark.postgres
def test_a_write_that_loses_a_deadlock_is_replayed(pg: PostgresStore, pg_store_url: str) -> None:
    """Another session holds the article lock and then wants the source lock the store holds."""
    import threading

    import psycopg

    from marsad.store.postgres import _lock_key, _split_params

    a = art(1)
    other = psycopg.connect(_split_params(pg_store_url)[0])  # not autocommit: locks last until rollback
    other.execute("SET deadlock_timeout = '5s'")  # let the store's session detect the cycle and yield
    other.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(pg._ns, "art", a.id),))
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(pg.put_articles([a])))
    worker.start()
    time.sleep(0.3)  # the store now holds the source lock and waits for the article lock
    other.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(pg._ns, "src", a.source.key),))
    other.rollback()
    other.close()
    worker.join(timeout=30)
    assert outcome and [o.status for o in outcome[0]] == [PutStatus.NEW]  # type: ignore[attr-defined]
    assert pg.count_articles() == 1


@pytest.mark.postgres
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    hst.lists(
        hst.lists(hst.tuples(hst.integers(0, 3), hst.integers(0, 4)), min_size=1, max_size=6), max_size=5
    )
)
@example(batches=[[(0, 0), (1, 1), (0, 1)], [(0, 2), (1, 0)], [(0, 1)]])  # an orphan SQLite keeps
def test_batch_outcomes_equal_sqlites(tmp_path: Path, batches: list[list[tuple[int, int]]]) -> None:
    """Random batches over a few sources and texts: PostgreSQL's bulk path decides exactly as SQLite."""
    from .conftest import fresh_pg_schema

    with fresh_pg_schema() as url:
        db = tmp_path / f"{uuid.uuid4().hex}.db"
        stores = [open_store(str(db)), open_store(url)]
        try:
            for batch in batches:
                arts = [art(text, origin=f"/s{src}") for src, text in batch]
                sq, pgo = (s.put_articles(arts) for s in stores)
                assert pgo == sq
            sq_links, pg_links = (
                sorted(map(tuple, raw_sql(u, "SELECT source_key, article_id FROM sources")))
                for u in (f"sqlite:///{db}", url)
            )
            assert sq_links == pg_links
            assert sorted(a.id for a in stores[0].iter_articles()) == sorted(
                a.id for a in stores[1].iter_articles()
            )
        finally:
            for s in stores:
                s.close()


@pytest.mark.postgres
def test_analysed_seeds_read_back_the_same_from_both_backends(pg: PostgresStore, tmp_path: Path) -> None:
    from marsad.pipeline import build_analyzer

    analyzer = build_analyzer(None)
    sq = open_store(str(tmp_path / "seeds.db"))
    try:
        for s in (sq, pg):
            service.ingest([str(need(SEEDS))], s, analyzer=analyzer)  # type: ignore[arg-type]
        assert list(pg.iter_articles()) == list(sq.iter_articles())
        assert pg.stats().quotes > 0 and pg.stats().mentions > 0
        assert pg.iter_quotes(limit=None) == sq.iter_quotes(limit=None)
        assert pg.entity_counts() == sq.entity_counts()
        top = pg.entity_counts()[0][0]
        assert pg.co_mentioned(top) == sq.co_mentioned(top)
        assert sorted(pg.entity_mentions(top)) == sorted(sq.entity_mentions(top))  # ties: any order
        a, b = pg.stats(), sq.stats()
        a.size_bytes = b.size_bytes = a.schema_version = b.schema_version = 0
        assert a == b
    finally:
        sq.close()


# ---- the analysis travels with its article; revisions tell a derived index what changed ----------------


def test_articles_are_stored_with_their_analysis_in_one_call(cstore: Store) -> None:
    a = replace(
        art(1),
        mentions=(mention(0, "Q1"),),
        quotes=(quote("Q1", Stance.DENIAL),),
        analysis=AnalysisState.DONE,
    )
    b = replace(art(2), analysis=AnalysisState.FAILED, analysis_error="quotes: IndexError: boom")
    cstore.put_articles([a, b, art(3)])
    got = cstore.get_article(a.id)
    assert got is not None and got.mentions == a.mentions and got.quotes == a.quotes
    assert got.analysis is AnalysisState.DONE
    gb = cstore.get_article(b.id)
    assert gb is not None and (gb.analysis, gb.analysis_error) == (
        AnalysisState.FAILED,
        "quotes: IndexError: boom",
    )
    assert cstore.ids_with_analysis(AnalysisState.FAILED) == [b.id]
    assert cstore.ids_with_analysis(AnalysisState.PENDING) == [art(3).id]
    # an unchanged source stored without analysis gets the analysis of a later run; a done one is kept
    again = replace(art(3), mentions=(mention(0, "Q2"),), analysis=AnalysisState.DONE)
    assert [o.status for o in cstore.put_articles([again])] == [PutStatus.UNCHANGED]
    g3 = cstore.get_article(art(3).id)
    assert g3 is not None and g3.analysis is AnalysisState.DONE and g3.mentions == again.mentions
    cstore.put_articles([replace(a, mentions=(), analysis=AnalysisState.DONE)])
    assert cstore.get_article(a.id).mentions == a.mentions  # type: ignore[union-attr]
    assert cstore.ids_with_analysis(AnalysisState.PENDING) == []


def test_revisions_list_what_changed_since(cstore: Store) -> None:
    r0 = cstore.current_rev()
    arts = [art(i) for i in range(1, 5)]
    cstore.put_articles(arts)
    ch = cstore.changes_since(r0)
    assert (
        sorted(ch.ids) == sorted(a.id for a in arts) and ch.deleted == [] and ch.rev == cstore.current_rev()
    )
    assert cstore.changes_since(ch.rev).ids == []
    cstore.put_analyses([an(arts[0].id, [mention(0, "Q1")], [])])
    cstore.set_stories([StoryAssignment(article_id=arts[1].id, story_id="s1")])
    cstore.set_stories([StoryAssignment(article_id=arts[1].id, story_id="s1")])  # no change: no revision
    ch2 = cstore.changes_since(ch.rev)
    assert sorted(ch2.ids) == sorted([arts[0].id, arts[1].id])
    # an update replaces the article: the old id is listed as deleted
    newer = replace(arts[2], body=arts[2].body + " تحديث", content_hash="h-new", id="id-new")
    assert cstore.put_articles([newer])[0].status is PutStatus.UPDATED
    ch3 = cstore.changes_since(ch2.rev)
    assert ch3.ids == ["id-new"] and ch3.deleted == [arts[2].id]
    # a limit stops at a whole revision and the next call goes on from there
    first = cstore.changes_since(r0, limit=2)
    assert len(first.ids) >= 2
    rest = cstore.changes_since(first.rev)
    seen = set(first.ids) | set(rest.ids)
    assert {a.id for a in arts if a.id != arts[2].id} | {"id-new"} <= seen


def test_a_story_run_is_written_in_one_call(cstore: Store) -> None:
    a1, a2 = art(1), art(2)
    cstore.put_articles([a1, a2])
    cstore.put_stories([Story(id="old", title="t", article_ids=(), first_seen=None, last_seen=None)])
    story = Story(id="s1", title="قصة", article_ids=(a1.id, a2.id), first_seen=None, last_seen=None)
    cstore.write_stories(
        StoryWrite(
            assignments=[
                StoryAssignment(article_id=a1.id, story_id="s1"),
                StoryAssignment(article_id=a2.id, story_id="s1", duplicate_of=a1.id),
            ],
            stories=[story],
            deleted=["old"],
            state={"k": "v"},
        )
    )
    assert cstore.get_story("old") is None and cstore.get_state("k") == "v"
    got = cstore.get_story("s1")
    assert got is not None and set(got.article_ids) == {a1.id, a2.id}
    assert cstore.ids_without_story() == []
    # a failing run writes nothing (a story figure no backend can hold)
    with pytest.raises((StoreError, OverflowError)):
        cstore.write_stories(
            StoryWrite(
                assignments=[StoryAssignment(article_id=a1.id, story_id="s2")],
                stories=[replace(story, id="s2", independent_sources=2**70)],
                state={"k": "v2"},
            )
        )
    assert cstore.get_state("k") == "v" and cstore.get_article(a1.id).story_id == "s1"  # type: ignore[union-attr]


def test_index_path_is_where_the_backend_says(cstore: Store) -> None:
    p = cstore.index_path
    assert p.name.endswith(".index")


# ---- where the two backends once differed: one behaviour each ------------------------------------------


def test_articles_without_a_story_come_in_insertion_order(cstore: Store) -> None:
    ids = ["c" * 16, "a" * 16, "b" * 16, "0" * 16]  # neither sorted nor reversed
    arts = [replace(art(i), id=i_d) for i, i_d in enumerate(ids)]
    cstore.put_articles(arts)
    cstore.set_stories([StoryAssignment(article_id=ids[2], story_id="s1")])
    assert cstore.ids_without_story() == [ids[0], ids[1], ids[3]]
    assert cstore.ids_without_story(limit=2) == [ids[0], ids[1]]
    assert cstore.ids_with_analysis(AnalysisState.PENDING) == ids  # the same order


def test_id_prefixes_are_literal_and_case_sensitive(cstore: Store) -> None:
    a = replace(art(1), id="ab_c%d0123456789")
    cstore.put_articles([a])  # alone: a wildcard would find it
    assert cstore.get_article("ab_c%") == a and cstore.get_article("ab_c%d01") == a
    assert cstore.get_article("abXc") is None and cstore.get_article("ab_cXd") is None
    assert cstore.get_article("____") is None and cstore.get_article("%%%%") is None
    assert cstore.get_article("AB_C%") is None  # ids are exact: no case folding
    assert cstore.get_article("ab\\c") is None and cstore.get_article("ab_c%d0123456789x") is None


def test_raw_is_stored_only_where_it_is_not_the_body(store_url: str) -> None:
    same = art(1)  # raw defaults to ""
    same = replace(same, raw=same.body)
    other = art(2, raw="<p>النص كما ورد</p>")
    empty = art(3, raw="")
    s = open_store(store_url)
    try:
        s.put_articles([same, other, empty])
        for a in (same, other, empty):
            assert s.get_article(a.id) == a
        raw = dict(raw_sql(store_url, "SELECT id, raw FROM articles"))
        assert raw == {same.id: None, other.id: other.raw, empty.id: ""}
        raw_sql(
            store_url, "UPDATE articles SET raw = body WHERE id = %s", (same.id,)
        )  # as older stores keep it
        assert s.get_article(same.id) == same
    finally:
        s.close()


def test_the_last_analysis_of_an_article_given_twice_wins(cstore: Store) -> None:
    a = art(1)
    cstore.put_articles([a])
    cstore.put_analyses(
        [an(a.id, [mention(0, "Q1")], []), an(a.id, [mention(3, "Q2"), mention(9, "Q3")], [])]
    )
    got = cstore.get_article(a.id)
    assert got is not None and [m.entity_id for m in got.mentions] == ["Q2", "Q3"]


def test_an_unchanged_article_replaced_later_in_the_batch_takes_no_analysis(cstore: Store) -> None:
    x = art(1, origin="/s")
    cstore.put_articles([x])  # pending
    analysed = replace(x, mentions=(mention(0, "Q1"),), analysis=AnalysisState.DONE)
    outs = cstore.put_articles([analysed, art(2, origin="/s")])
    assert [o.status for o in outs] == [PutStatus.UNCHANGED, PutStatus.UPDATED]
    assert cstore.get_article(x.id) is None and cstore.get_article(art(2).id) is not None
    assert cstore.stats().mentions == 0
    # two sources of one stored text: the first completes the analysis, the second finds it done
    y = art(3, origin="/y1")
    cstore.put_articles([y, replace(y, source=SourceRef(origin="/y2"))])
    first = replace(y, mentions=(mention(0, "Q1"),), analysis=AnalysisState.DONE)
    second = replace(
        y, source=SourceRef(origin="/y2"), mentions=(mention(0, "Q2"),), analysis=AnalysisState.DONE
    )
    assert [o.status for o in cstore.put_articles([first, second])] == [PutStatus.UNCHANGED] * 2
    got = cstore.get_article(y.id)
    assert got is not None and [m.entity_id for m in got.mentions] == ["Q1"]


def test_ties_in_entity_listings_have_one_order(cstore: Store) -> None:
    when = datetime(2025, 9, 2, tzinfo=UTC)
    arts = [replace(art(i, published=when), id=i_d) for i, i_d in enumerate(["d" * 16, "b" * 16, "c" * 16])]
    cstore.put_articles(arts)
    cstore.put_analyses([an(a.id, [mention(0, "Q1")], []) for a in arts])
    assert [i for i, _ in cstore.entity_mentions("Q1")] == ["b" * 16, "c" * 16, "d" * 16]


def test_listing_queries_filter_in_the_store(cstore: Store) -> None:
    """The listings' queries (stories, quotes, entities, outlets, storylines, daily counts, co-mention
    edges) answer every filter, on both backends alike."""
    from marsad.store.base import ListFilter

    a1 = art(1, published=datetime(2025, 9, 1, 9, tzinfo=UTC))
    a2 = art(2, published=datetime(2025, 9, 3, 9, tzinfo=UTC), outlet="العربية")
    a3 = art(3, published=datetime(2025, 9, 3, 10, tzinfo=UTC), outlet="العربية", language="en")
    cstore.put_articles([a1, a2, a3])
    cstore.put_analyses(
        [
            an(a1.id, [mention(0, "Q1"), mention(9, "Q2")], [quote("Q1", Stance.DENIAL)]),
            an(
                a2.id, [mention(0, "Q1"), mention(9, "Q3", EntityKind.PLACE)], [quote("Q2", Stance.STATEMENT)]
            ),
            an(a3.id, [mention(0, "Q2")], [quote("Q1", Stance.STATEMENT, date(2025, 9, 4))]),
        ]
    )
    cstore.put_stories(
        [
            Story(
                id="st-1",
                title="أ",
                article_ids=(a1.id, a2.id),
                first_seen=a1.published,
                last_seen=a2.published,
                storyline_id="sl-1",
            ),
            Story(
                id="st-2", title="ب", article_ids=(a3.id,), first_seen=a3.published, last_seen=a3.published
            ),
        ]
    )
    cstore.set_stories(
        [
            StoryAssignment(article_id=a1.id, story_id="st-1", storyline_id="sl-1"),
            StoryAssignment(article_id=a2.id, story_id="st-1", storyline_id="sl-1"),
            StoryAssignment(article_id=a3.id, story_id="st-2"),
        ]
    )
    F = ListFilter
    ids = lambda flt: [s.id for s in cstore.find_stories(flt)]  # noqa: E731
    assert ids(F()) == ["st-2", "st-1"]
    assert ids(F(min_size=2)) == ids(F(entity_ids=("Q3",))) == ids(F(until=date(2025, 9, 1))) == ["st-1"]
    assert ids(F(language="en")) == ids(F(max_size=1)) == ["st-2"]
    assert ids(F(since=date(2025, 9, 4))) == [] and cstore.count_stories_matching(F(outlet="العربية")) == 2
    assert [(q.article_id, q.quote.stance) for q in cstore.find_quotes(F(speaker_ids=("Q1",)))] == [
        (a1.id, Stance.DENIAL),
        (a3.id, Stance.STATEMENT),
    ]
    assert cstore.count_quotes() == 3 and cstore.count_quotes(F(since=date(2025, 9, 4))) == 1
    assert cstore.count_quotes(F(outlet="العربية", stance="statement")) == 2
    assert cstore.count_quotes(F(entity_ids=("Q3",))) == 1
    assert cstore.entity_counts(flt=F(outlet="العربية")) == [
        ("Q1", "person", 1),
        ("Q2", "person", 1),
        ("Q3", "place", 1),
    ]
    assert cstore.entity_counts(limit=1, offset=1) == [("Q2", "person", 2)]
    outlets = cstore.outlet_counts()
    assert [(o.outlet, o.articles, o.stories) for o in outlets] == [("العربية", 2, 2), ("الجزيرة", 1, 1)]
    assert outlets[0].first_day == outlets[0].last_day == date(2025, 9, 3)
    assert [o.outlet for o in cstore.outlet_counts(F(language="ar"))] == ["الجزيرة", "العربية"]
    (line,) = cstore.storyline_counts()
    assert (line.storyline_id, line.stories, line.articles) == ("sl-1", 1, 2)
    assert cstore.daily_counts() == [(date(2025, 9, 1), None, 1), (date(2025, 9, 3), None, 2)]
    assert cstore.daily_counts(F(story_id="st-1"), by_outlet=True) == [
        (date(2025, 9, 1), "الجزيرة", 1),
        (date(2025, 9, 3), "العربية", 1),
    ]
    assert cstore.quote_counts(F(speaker_ids=("Q1",))) == [
        (date(2025, 9, 1), "denial", 1),
        (date(2025, 9, 4), "statement", 1),
    ]
    assert cstore.co_mention_pairs(["Q1", "Q2", "Q3"]) == [("Q1", "Q2", 1), ("Q1", "Q3", 1)]
    assert cstore.co_mention_pairs(["Q1", "Q2"], F(outlet="العربية")) == []


# ---- compact storage (derived search text not kept, long texts compressed on SQLite) --------------------

LONG = "قال المتحدث باسم الحكومة إن المحادثات مستمرة وإن الوفدين سيلتقيان الأسبوع المقبل. " * 40


def test_long_texts_are_stored_compact_and_read_back_whole(cstore: Store, store_url: str) -> None:
    a = art(1, body=LONG, raw="رأس الصفحة\n" + LONG + "\nتذييل")
    cstore.put_articles([a])
    assert cstore.get_article(a.id) == a and list(cstore.iter_articles()) == [a]
    ((kept, body_type, raw_len),) = raw_sql(
        store_url,
        "SELECT search_text, "
        + ("typeof(body), length(raw)" if store_url.startswith("sqlite") else "'text', octet_length(raw)")
        + " FROM articles",
    )
    assert kept == ""  # derived on read
    if store_url.startswith("sqlite"):
        assert body_type == "blob" and raw_len < len(LONG.encode()) // 5  # zlib on repetitive text


def test_migration_compacts_an_existing_store(cstore: Store, store_url: str) -> None:
    a, short = art(1, body=LONG), art(2)
    cstore.put_articles([a, short])
    compaction = _version_of(store_url, "compact_articles")
    # the rows as the previous schema wrote them: plain text and the normalized text kept
    raw_sql(
        store_url,
        "UPDATE articles SET body = %s, search_text = %s WHERE id = %s",
        (LONG, a.search_text, a.id),
    )
    _roll_back_to(store_url, compaction)
    cstore.close()
    again = open_store(store_url)
    try:
        assert again.get_article(a.id) == a and again.get_article(short.id) == short
        assert raw_sql(store_url, "SELECT count(*) FROM articles WHERE search_text <> ''") == [(0,)]
        if store_url.startswith("sqlite"):
            assert raw_sql(store_url, "SELECT typeof(body) FROM articles WHERE id = %s", (a.id,)) == [
                ("blob",)
            ]
    finally:
        again.close()


def test_migration_adds_what_a_denial_answers_to_stored_quotes(cstore: Store, store_url: str) -> None:
    a = art(1)
    cstore.put_articles([a])
    q = replace(quote("Q1", Stance.DENIAL), answers="رويترز")
    cstore.put_analyses([an(a.id, [], [q])])
    _roll_back_to(store_url, _version_of(store_url, "quote_answers"))  # a store of the previous schema
    cstore.close()
    again = open_store(store_url)
    try:
        got = again.get_article(a.id)
        assert got is not None and got.quotes == (replace(q, answers=None),)
        again.put_analyses([an(a.id, [], [q])])
        got = again.get_article(a.id)
        assert got is not None and got.quotes == (q,)
    finally:
        again.close()


def test_a_reader_of_an_older_store_finds_it_migrated(cstore: Store, store_url: str) -> None:
    """`marsad serve` and `brief` open stores read-only; one written by an older Marsad is brought up
    to date first, so the quote and story columns added since exist when the pages read them."""
    from marsad.store.base import ListFilter

    a = art(1)
    cstore.put_articles([a])
    q = replace(quote("Q1", Stance.DENIAL), answers="رويترز")
    cstore.put_analyses([an(a.id, [], [q])])
    _roll_back_to(store_url, _version_of(store_url, "quote_answers"))
    cstore.close()
    reader = open_store(store_url, readonly=True)
    try:
        assert reader.schema_version() == reader.latest_schema
        got = reader.get_article(a.id)
        assert got is not None and got.quotes == (replace(q, answers=None),)
        assert reader.find_stories(ListFilter()) == []  # selects the story columns added since
    finally:
        reader.close()


def test_analysed_hashes_name_the_stored_texts_whose_analysis_is_done(cstore: Store) -> None:
    done, failed, pending = art(1), art(2), art(3)
    cstore.put_articles(
        [
            replace(done, analysis=AnalysisState.DONE),
            replace(failed, analysis=AnalysisState.FAILED, analysis_error="quotes: X: y"),
            pending,
        ]
    )
    asked = [done.content_hash, failed.content_hash, pending.content_hash, "0" * 64, done.content_hash]
    assert cstore.analysed_hashes(asked) == {done.content_hash}
    assert cstore.analysed_hashes([]) == set()


def test_alert_rules_and_hits_are_kept_once_per_rule_and_item(cstore: Store) -> None:
    from marsad.store.base import AlertHit, AlertRule

    rule = AlertRule(
        name="نفي-بيسكوف",
        speaker="بيسكوف",
        speaker_ids=("person:dmitry-peskov",),
        stance="denial",
        webhook="http://127.0.0.1:9/hook",
        jsonl="/tmp/x.jsonl",
        created_at="2026-01-01T00:00:00+00:00",
        rev=cstore.current_rev(),
    )
    cstore.put_alert_rule(rule)
    cstore.put_alert_rule(AlertRule(name="other", query="غزة", created_at="2026-01-01T00:00:00+00:00"))
    assert cstore.alert_rules(rule.name) == [rule]
    assert [r.name for r in cstore.alert_rules()] == sorted(["other", rule.name])

    def hit(item: str, at: str) -> AlertHit:
        return AlertHit(
            rule.name, item, "quote", "a1", json.dumps({"text": "لا صحة"}, ensure_ascii=False), at
        )

    first = [hit("quote:a1:0", "2026-01-02T00:00:00+00:00"), hit("quote:a1:1", "2026-01-02T00:00:00+00:00")]
    assert sorted(cstore.record_alert_hits(rule.name, first, 7)) == ["quote:a1:0", "quote:a1:1"]
    again = [hit("quote:a1:1", "2026-01-03T00:00:00+00:00"), hit("quote:a2:0", "2026-01-03T00:00:00+00:00")]
    assert cstore.record_alert_hits(rule.name, again, 9) == ["quote:a2:0"]  # found once per rule
    assert cstore.alert_rules(rule.name)[0].rev == 9
    cstore.record_alert_hits(rule.name, [], 8)  # a revision never moves back
    assert cstore.alert_rules(rule.name)[0].rev == 9
    hits = cstore.alert_hits(rule.name)
    assert [h.item for h in hits] == ["quote:a2:0", "quote:a1:1", "quote:a1:0"]  # newest first
    assert cstore.count_alert_hits(rule.name) == 3 and cstore.count_alert_hits("other") == 0
    assert json.loads(hits[0].payload) == {"text": "لا صحة"}

    cstore.mark_alert_hits("jsonl", rule.name, ["quote:a1:0", "quote:a1:1"])
    assert [h.item for h in cstore.alert_hits(rule.name, pending="jsonl")] == ["quote:a2:0"]
    cstore.mark_alert_hits("webhook", rule.name, ["quote:a2:0"], error="HTTP 503")
    failed = cstore.alert_hits(rule.name, pending="webhook")
    assert len(failed) == 3 and failed[0].attempts == 1 and failed[0].last_error == "HTTP 503"
    cstore.mark_alert_hits("webhook", rule.name, [h.item for h in failed])
    assert cstore.alert_hits(rule.name, pending="webhook") == []
    assert cstore.alert_hits("other", pending="webhook") == []  # no webhook: nothing waits for one

    assert cstore.delete_alert_rule(rule.name) is True
    assert cstore.alert_hits(rule.name) == [] and [r.name for r in cstore.alert_rules()] == ["other"]
    assert cstore.delete_alert_rule(rule.name) is False


def _version_of(store_url: str, builder: str) -> int:
    """The schema version a migration builder of :mod:`marsad.store.schema` renders on this backend."""
    from marsad.store import schema
    from marsad.store.dialect import POSTGRES, SQLITE
    from marsad.store.migrations import SQLITE_MIGRATIONS
    from marsad.store.pg_migrations import PG_MIGRATIONS

    pg = not store_url.startswith("sqlite")
    sql = getattr(schema, builder)(POSTGRES if pg else SQLITE)
    return next(v for v, s in (PG_MIGRATIONS if pg else SQLITE_MIGRATIONS) if s == sql)


def _roll_back_to(store_url: str, version: int) -> None:
    """Forget migrations from ``version`` on, as if the store were older (undoing what later ones add)."""
    from marsad.store import schema
    from marsad.store.dialect import POSTGRES, SQLITE
    from marsad.store.schema import STORY_SOURCE_COLUMNS

    if version <= _version_of(store_url, "quotes_by_seq"):  # quotes a table keyed by article id again
        d = SQLITE if store_url.startswith("sqlite") else POSTGRES
        raw_sql(store_url, "CREATE TABLE quotes_t AS SELECT * FROM quotes")
        for stmt in ("DROP VIEW quotes", "DROP TABLE quote_rows"):
            raw_sql(store_url, stmt)
        for stmt in schema.create(d, [replace(schema.QUOTES_V11, indexes=())]).split(";"):
            if stmt.strip():
                raw_sql(store_url, stmt)
        raw_sql(store_url, "INSERT INTO quotes SELECT * FROM quotes_t")
        raw_sql(store_url, "DROP TABLE quotes_t")
        for name, col in schema.QUOTES_V11.indexes:
            raw_sql(store_url, f"CREATE INDEX {name} ON quotes({col})")
    if store_url.startswith("sqlite") and version <= _version_of(store_url, "story_room"):
        raw_sql(store_url, "ALTER TABLE articles DROP COLUMN story_room")
    if version <= _version_of(store_url, "document_hashes"):
        raw_sql(store_url, "DROP TABLE documents")
    if version <= _version_of(store_url, "mentions_by_seq"):  # mention rows keyed by article id again
        d = SQLITE if store_url.startswith("sqlite") else POSTGRES
        s, e = d.span
        raw_sql(
            store_url,
            f"CREATE TABLE mention_rows_t AS SELECT a.id AS article_id, m.seq, m.{s}, m.{e}, m.text, m.kind, "
            "m.entity, m.entity_type, m.score FROM mention_rows m JOIN articles a ON a.seq = m.article_seq",
        )
        for stmt in ("DROP VIEW mentions", "DROP TABLE mention_rows"):
            raw_sql(store_url, stmt)
        for stmt in (schema.create(d, [schema.MENTION_ROWS]) + schema.mentions_view(d)).split(";"):
            if stmt.strip():
                raw_sql(store_url, stmt)
        raw_sql(store_url, "INSERT INTO mention_rows SELECT * FROM mention_rows_t")
        raw_sql(store_url, "DROP TABLE mention_rows_t")
    if version <= _version_of(store_url, "compact_mentions"):  # mentions a table again, as version 11 made it
        raw_sql(store_url, "CREATE TABLE mentions_t AS SELECT * FROM mentions")
        for stmt in ("DROP VIEW mentions", "DROP TABLE mention_rows", "DROP TABLE entity_keys"):
            raw_sql(store_url, stmt)
        raw_sql(store_url, "ALTER TABLE mentions_t RENAME TO mentions")
        raw_sql(store_url, "CREATE INDEX state_rows_sort ON state_rows(kind, sort)")
        raw_sql(store_url, "INSERT INTO state_rows SELECT * FROM short_state_rows")
        raw_sql(store_url, "DROP TABLE short_state_rows")
        raw_sql(
            store_url,
            "UPDATE articles SET source_key = (SELECT min(s.source_key) FROM sources s WHERE s.article_id = articles.id)",
        )
        raw_sql(
            store_url,
            "UPDATE sources SET content_hash = (SELECT a.content_hash FROM articles a WHERE a.id = sources.article_id)",
        )
    if version <= _version_of(store_url, "story_sources"):
        for col in STORY_SOURCE_COLUMNS:
            raw_sql(store_url, f"ALTER TABLE stories DROP COLUMN {col.name}")
    if version <= _version_of(store_url, "quote_answers"):
        raw_sql(store_url, "ALTER TABLE quotes DROP COLUMN answers")
    if version <= _version_of(store_url, "state_rows"):
        raw_sql(store_url, "DROP TABLE state_rows")
    if version <= _version_of(store_url, "alerts"):
        for table in ("alert_hits", "alert_rules"):
            raw_sql(store_url, f"DROP TABLE {table}")
    raw_sql(store_url, "DELETE FROM schema_version WHERE version >= %s", (version,))


def test_migration_keeps_every_mention_with_its_entity_kind_and_type(cstore: Store, store_url: str) -> None:
    a, b = art(1), art(2)
    every = [
        replace(mention(i, f"x:{i}", t), kind=k)
        for i, (k, t) in enumerate((k, t) for k in MentionKind for t in EntityKind)
    ]
    cstore.put_articles([a, b])
    cstore.put_analyses([an(a.id, [*every, mention(40, None)], []), an(b.id, [mention(3, "x:0")], [])])
    cstore.write_stories(StoryWrite(rows=[("line", "l1", '{"x":1}', 2.5), ("df", "قال", "3", None)]))
    want = {
        "articles": [cstore.get_article(a.id), cstore.get_article(b.id)],
        "counts": cstore.entity_counts(limit=1000),
        "places": cstore.entity_counts(entity_type="place", limit=1000),
        "co": cstore.co_mentioned("x:0"),
        "pairs": cstore.co_mention_pairs(["x:0", "x:1"]),
    }
    st = cstore.stats()
    _roll_back_to(store_url, _version_of(store_url, "compact_mentions"))  # a store of the previous schema
    assert raw_sql(store_url, "SELECT count(*) FROM mentions WHERE kind = 'surname'") == [(len(EntityKind),)]
    cstore.close()
    again = open_store(store_url)
    try:
        assert again.schema_version() == again.latest_schema
        assert [again.get_article(a.id), again.get_article(b.id)] == want["articles"]
        assert again.entity_counts(limit=1000) == want["counts"] and len(want["counts"]) == len(every)
        assert again.entity_counts(entity_type="place", limit=1000) == want["places"]
        assert (
            again.co_mentioned("x:0") == want["co"]
            and again.co_mention_pairs(["x:0", "x:1"]) == want["pairs"]
        )
        got = again.stats()
        assert (got.mentions, got.entities) == (st.mentions, st.entities) == (len(every) + 2, len(every))
        assert list(again.iter_state_rows("line")) == [("l1", '{"x":1}')]
        assert list(again.iter_state_rows("df")) == [("قال", "3")]
        assert list(again.iter_state_sorts("line")) == [("l1", 2.5)]
        assert raw_sql(store_url, "SELECT kind FROM short_state_rows") == [("df",)]
        assert raw_sql(store_url, "SELECT DISTINCT source_key FROM articles") == [("",)]
        assert raw_sql(store_url, "SELECT DISTINCT content_hash FROM sources") == [("",)]
        assert (
            again.put_articles([a, b])[0].status is PutStatus.UNCHANGED
        )  # the hash is read from the article
        assert again.has_source(a.source.key)
    finally:
        again.close()


def test_migration_keys_mention_rows_by_article_number_and_reads_the_same(
    cstore: Store, store_url: str
) -> None:
    a, b, c = art(1), art(2), art(3)
    cstore.put_articles([a, b, c])
    cstore.put_analyses(
        [
            an(a.id, [mention(0, "x:0"), mention(9, None)], []),
            an(c.id, [mention(3, "x:0"), mention(5, "x:1")], [quote("x:1", Stance.DENIAL)]),
        ]
    )
    want = {
        "articles": [cstore.get_article(x.id) for x in (a, b, c)],
        "order": [x.id for x in cstore.iter_articles(with_analysis=False)],
        "counts": cstore.entity_counts(limit=10),
        "co": cstore.co_mentioned("x:0"),
        "pairs": cstore.co_mention_pairs(["x:0", "x:1"]),
        "found": cstore.entity_mentions("x:0"),
        "quotes": cstore.count_quotes(ListFilter(entity_ids=("x:1",))),
        "rows": raw_sql(store_url, "SELECT * FROM mentions ORDER BY article_id, seq"),
    }
    _roll_back_to(store_url, _version_of(store_url, "mentions_by_seq"))  # a store of the previous schema
    assert raw_sql(store_url, "SELECT count(*) FROM mention_rows WHERE article_id = %s", (c.id,)) == [(2,)]
    cstore.close()
    again = open_store(store_url)
    try:
        assert again.schema_version() == again.latest_schema
        assert [again.get_article(x.id) for x in (a, b, c)] == want["articles"]
        assert [x.id for x in again.iter_articles(with_analysis=False)] == want["order"]
        assert again.entity_counts(limit=10) == want["counts"] == [("x:0", "person", 2), ("x:1", "person", 1)]
        assert (
            again.co_mentioned("x:0") == want["co"]
            and again.co_mention_pairs(["x:0", "x:1"]) == want["pairs"]
        )
        assert again.entity_mentions("x:0") == want["found"]
        assert again.count_quotes(ListFilter(entity_ids=("x:1",))) == want["quotes"] == 1
        assert raw_sql(store_url, "SELECT * FROM mentions ORDER BY article_id, seq") == want["rows"]
        assert again.check_counts()["orphan_mentions"] == 0
        d = again.put_articles([art(4)])  # numbered after the others; its mentions keyed by that number
        again.put_analyses([an(d[0].article_id, [mention(1, "x:1")], [])])
        assert again.entity_counts(limit=10)[1] == ("x:1", "person", 2)
    finally:
        again.close()


def test_migration_keys_quote_rows_by_article_number_and_reads_the_same(
    cstore: Store, store_url: str
) -> None:
    a, b, c = art(1), art(2), art(3)
    cstore.put_articles([a, b, c])
    cstore.put_analyses(
        [
            an(a.id, [mention(0, "x:0")], [quote("x:0", Stance.DENIAL), quote("x:1", Stance.STATEMENT)]),
            an(c.id, [], [quote("x:1", Stance.DENIAL, said_on=date(2025, 9, 1))]),
        ]
    )

    def reads(st: Store) -> dict[str, object]:
        return {
            "articles": [st.get_article(x.id) for x in (a, b, c)],
            "quotes": st.iter_quotes(limit=None),
            "denials": st.count_quotes(ListFilter(stance="denial")),
            "by_entity": st.count_quotes(ListFilter(entity_ids=("x:0",))),
            "of_c": st.iter_quotes(article_id=c.id),
            "days": st.quote_counts(),
            "stats": (st.stats().quotes, st.check_counts()["orphan_quotes"]),
        }

    want = reads(cstore)
    rows = raw_sql(store_url, "SELECT * FROM quotes ORDER BY article_id, seq")
    assert want["denials"] == 2 and want["stats"] == (3, 0)
    _roll_back_to(store_url, _version_of(store_url, "quotes_by_seq"))  # a store of the previous schema
    assert raw_sql(store_url, "SELECT count(*) FROM quotes WHERE article_id = %s", (a.id,)) == [(2,)]
    cstore.close()
    again = open_store(store_url)
    try:
        assert again.schema_version() == again.latest_schema
        assert reads(again) == want
        assert raw_sql(store_url, "SELECT * FROM quotes ORDER BY article_id, seq") == rows
        d = again.put_articles([art(4)])[0].article_id  # numbered after the others, its quotes by that number
        again.put_analyses([an(d, [], [quote("x:0", Stance.DENIAL)])])
        assert again.count_quotes(ListFilter(stance="denial")) == 3
        again.put_analyses([an(a.id, [], [])])  # a new analysis replaces the article's quotes
        assert [q.article_id for q in again.iter_quotes(limit=None)].count(a.id) == 0
    finally:
        again.close()


def test_story_state_rows_round_trip_and_write_only_what_they_name(cstore: Store) -> None:
    cstore.write_stories(
        StoryWrite(
            rows=[("line", "b", '{"x":1}', 2.5), ("line", "a", '{"x":2}', None), ("df", "قال", "7", None)],
            state={"stories:meta:v2": "{}"},
        )
    )
    assert list(cstore.iter_state_rows("line")) == [("a", '{"x":2}'), ("b", '{"x":1}')]
    cstore.write_stories(StoryWrite(rows=[("line", "a", None, None), ("line", "b", '{"x":3}', 3.0)]))
    assert list(cstore.iter_state_rows("line")) == [("b", '{"x":3}')]
    assert list(cstore.iter_state_rows("df")) == [("قال", "7")]
    assert cstore.get_state_rows("line", ["b", "zz"]) == [("b", '{"x":3}')]
    assert list(cstore.iter_state_sorts("line")) == [("b", 3.0)]
    cstore.write_stories(StoryWrite(cleared=["df"], rows=[("df", "أكد", "2", None)]))
    assert list(cstore.iter_state_rows("df")) == [("أكد", "2")]
    assert cstore.get_state("stories:meta:v2") == "{}"


def test_long_state_rows_and_story_summaries_round_trip_compressed_where_the_backend_packs(
    store_url: str, cstore: Store
) -> None:
    line = json.dumps({"terms": {f"كلمة{i}": i / 7 for i in range(80)}, "last": 1.5}, ensure_ascii=False)
    summary = tuple(
        f"قال المتحدث باسم الوزارة إن الاجتماع {i} سيعقد الأسبوع المقبل في العاصمة." for i in range(3)
    )
    story = Story(id="st-long", title="t", article_ids=(), first_seen=None, last_seen=None, summary=summary)
    cstore.write_stories(
        StoryWrite(stories=[story], rows=[("line", "l1", line, 1.5), ("post", "p", "[1]", None)])
    )
    assert cstore.get_state_rows("line", ["l1"]) == [("l1", line)]
    assert list(cstore.iter_state_rows("line")) == [("l1", line)] and list(
        cstore.iter_state_rows("post")
    ) == [("p", "[1]")]
    got = cstore.get_story("st-long")
    assert got is not None and got.summary == summary
    if store_url.startswith("sqlite:///"):  # PostgreSQL compresses long values itself (TOAST)
        ((kind, size),) = raw_sql(
            store_url, "SELECT typeof(value), length(value) FROM state_rows WHERE id = 'l1'"
        )
        assert kind == "blob" and size < len(line.encode()) / 2
        assert raw_sql(store_url, "SELECT typeof(summary) FROM stories WHERE id = 'st-long'") == [("blob",)]
        # rows written before values were packed (plain text) read as they were
        raw_sql(store_url, "UPDATE state_rows SET value = %s WHERE id = 'l1'", (line,))
        raw_sql(
            store_url, "UPDATE stories SET summary = %s WHERE id = 'st-long'", (json.dumps(list(summary)),)
        )
        assert cstore.get_state_rows("line", ["l1"]) == [("l1", line)]
        assert cstore.get_story("st-long").summary == summary  # type: ignore[union-attr]


def test_a_relabel_moves_a_story_and_its_articles_to_their_final_storyline(cstore: Store) -> None:
    a, b = art(1), art(2)
    cstore.put_articles([a, b])
    story = Story(
        id="st-1",
        title="t",
        article_ids=(a.id, b.id),
        first_seen=None,
        last_seen=None,
        storyline_id="sl-provisional",
    )
    cstore.write_stories(
        StoryWrite(
            assignments=[
                StoryAssignment(article_id=x.id, story_id="st-1", storyline_id="sl-provisional")
                for x in (a, b)
            ],
            stories=[story],
        )
    )
    cstore.write_stories(StoryWrite(relabels=[("st-1", "sl-final")]))
    got = cstore.get_story("st-1")
    assert got is not None and got.storyline_id == "sl-final"
    assert {x.storyline_id for x in cstore.get_articles([a.id, b.id])} == {"sl-final"}
    assert {x.id for x in cstore.get_articles([a.id, "nope", b.id])} == {a.id, b.id}
    assert sorted(cstore.published_of([b.id, a.id])) == sorted([(a.id, a.published), (b.id, b.published)])


def test_migration_splits_an_old_json_story_state_into_rows(cstore: Store, store_url: str) -> None:
    from marsad.cluster import StoryClusterer, StorylineLinker
    from marsad.story_state import StageState

    clus, linker = StoryClusterer(), StorylineLinker()
    arts = [
        art(
            i,
            body=f"أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة رقم {i % 3} اليوم",
            title=f"مستشفى {i % 3}",
        )
        for i in range(9)
    ]
    for x in arts[:6]:
        clus.add(x)
    for s in clus.close_all()[:2]:
        linker.add(s)
    for x in arts[6:]:
        clus.add(x)
    old = {"clusterer": clus.to_state(), "linker": linker.to_state(), "closed_lines": {"st-x": "sl-x"}}
    raw_sql(
        store_url, "INSERT INTO kv VALUES (%s, %s)", ("stories:state:v1", json.dumps(old, ensure_ascii=False))
    )
    _roll_back_to(store_url, _version_of(store_url, "state_rows"))
    cstore.close()
    again = open_store(store_url)
    try:
        assert again.get_state("stories:state:v1") is None
        st = StageState.load(again)
        assert st.clus.to_state() == clus.to_state()
        got, want = st.linker.to_state(), linker.to_state()
        assert sorted(got.pop("lines"), key=str) == sorted(want.pop("lines"), key=str) and got == want
        assert list(st.seq) == [s.id for s in clus.active_stories()]
    finally:
        again.close()


def test_a_document_is_unchanged_while_its_hash_and_every_article_hold(cstore: Store, store_url: str) -> None:
    one, two = replace(art(1), source=SourceRef(origin="/in/p.txt")), art(2, origin="/in/p.txt")
    two = replace(two, source=replace(two.source, part=1))
    done = [replace(a, analysis=AnalysisState.DONE) for a in (one, two)]
    doc = DocumentMark("/in/p.txt", "h1", ("@0", "@1"))
    cstore.put_articles(done, [doc, DocumentMark("/in/other.txt", "h9", ("@0",))])
    assert cstore.unchanged_documents({"/in/p.txt": "h1"}, analysed=True) == {"/in/p.txt": 2}
    assert cstore.unchanged_documents({"/in/p.txt": "h2"}, analysed=True) == {}  # other bytes
    assert cstore.unchanged_documents({"/in/other.txt": "h9"}, analysed=False) == {}  # no article of it
    assert cstore.unchanged_documents({}, analysed=True) == {}
    # an article whose analysis is not finished: unchanged only when the analysis is not asked for
    cstore.put_analyses([replace(an(two.id, [], []), state=AnalysisState.FAILED, error="quotes: boom")])
    assert cstore.unchanged_documents({"/in/p.txt": "h1"}, analysed=True) == {}
    assert cstore.unchanged_documents({"/in/p.txt": "h1"}, analysed=False) == {"/in/p.txt": 2}
    # a reading with a failure forgets the document, in the transaction that stores what it gave
    cstore.put_articles([replace(one, analysis=AnalysisState.DONE)], [DocumentMark("/in/p.txt", None)])
    assert cstore.unchanged_documents({"/in/p.txt": "h1"}, analysed=False) == {}
    cstore.put_articles([], [doc])  # recorded again (no article to store)
    assert cstore.unchanged_documents({"/in/p.txt": "h1"}, analysed=False) == {"/in/p.txt": 2}


def test_a_store_from_before_document_hashes_is_migrated(cstore: Store, store_url: str) -> None:
    a = replace(art(1), analysis=AnalysisState.DONE)
    cstore.put_articles([a])
    _roll_back_to(store_url, _version_of(store_url, "document_hashes"))
    cstore.close()
    again = open_store(store_url)
    try:
        assert again.schema_version() == again.latest_schema
        assert (
            again.get_article(a.id) == a
            and again.unchanged_documents({"/in/1.txt": "h"}, analysed=True) == {}
        )
        assert (
            again.put_articles([a], [DocumentMark("/in/1.txt", "h", ("@0",))])[0].status
            is PutStatus.UNCHANGED
        )
        assert again.unchanged_documents({"/in/1.txt": "h"}, analysed=True) == {"/in/1.txt": 1}
    finally:
        again.close()
