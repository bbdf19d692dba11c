"""Who reported a story: independent sources (unknown outlets apart), grouped copies, the first report,
and a title for every story."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from marsad.cluster.summary import sentence_title
from marsad.dedup import first_report, independent_sources, source_groups, unknown_sources
from marsad.model import Article, SourceRef, Story
from marsad.read import Names, outlet_name, story_card

T0 = datetime(2024, 5, 2, 9, tzinfo=UTC)


def art(aid: str, hours: float | None = 0.0, outlet: str | None = None, **kw: object) -> Article:
    return Article(
        id=aid,
        source=SourceRef(origin=aid),
        title=None,
        body=f"نص المقال {aid}.",
        published=T0 + timedelta(hours=hours) if hours is not None else None,
        date_precision="day" if hours is not None else None,
        date_source="header" if hours is not None else None,
        outlet=outlet,
        **kw,  # type: ignore[arg-type]
    )


def test_unknown_outlets_are_counted_apart() -> None:
    arts = [
        art("a", outlet="الأهرام"),
        art("b", outlet="الشروق"),
        art("c"),  # no outlet, no wire: may be either of the above
        art("d"),
        replace(art("e"), duplicate_of="d"),  # a copy of d: the same unknown source
    ]
    assert independent_sources(arts) == 2
    assert unknown_sources(arts) == 2
    groups = source_groups(arts)
    assert [g.source for g in groups] == ["الأهرام", "الشروق", None, None]
    assert groups[2].articles == 2  # d and its copy, the largest unknown group first


def test_syndicated_copies_are_grouped_under_their_wire() -> None:
    arts = [
        art("w", outlet="كويت نيوز", wire="رويترز"),
        replace(art("x", 1, outlet="صدى البلد"), duplicate_of="w"),
        replace(art("y", 2), duplicate_of="w"),  # an unknown outlet's copy of a known text: known
        art("z", 3, outlet="الأهرام"),
    ]
    groups = source_groups(arts)
    assert independent_sources(arts) == 2 and unknown_sources(arts) == 0
    assert groups[0].source == "رويترز" and set(groups[0].outlets) == {"كويت نيوز", "صدى البلد"}
    assert groups[0].articles == 3


def test_first_report_is_the_earliest_dated_article() -> None:
    arts = [
        art("late", 5, outlet="الشروق"),
        art("undated", None, outlet="الوفد"),
        art("early", 1, outlet="الأهرام"),
    ]
    f = first_report(arts)
    assert f is not None and (f.article_id, f.outlet, f.precision, f.source) == (
        "early",
        "الأهرام",
        "day",
        "header",
    )
    assert first_report([art("u", None)]) is None


def test_a_month_only_date_does_not_beat_a_day_inside_it() -> None:
    month = replace(art("m", outlet="الوفد"), published=datetime(2024, 5, 1), date_precision="month")
    day = art("d", 30, outlet="الأهرام")  # 3 May 2024
    f = first_report([month, day])
    assert f is not None and f.article_id == "d"
    earlier = replace(month, published=datetime(2024, 4, 1))  # April: before any day of May
    f = first_report([earlier, day])
    assert f is not None and (f.article_id, f.precision) == ("m", "month")


def test_a_story_without_headlines_gets_a_sentence_title() -> None:
    summary = (
        "القاهرة – (أ ش أ): أعلنت وزارة الصحة اليوم افتتاح ثلاثة مستشفيات جديدة في محافظات الصعيد بتكلفة كبيرة تتحملها الموازنة العامة للدولة هذا العام.",
    )
    title = sentence_title(summary)
    assert title.startswith("أعلنت وزارة الصحة") and "أ ش أ" not in title
    assert len(title.split()) <= 14 and title.endswith("…")
    bare = Story(id="st-x", title="", article_ids=(), first_seen=None, last_seen=None, summary=summary)
    assert story_card(bare, Names()).title == title
    assert story_card(replace(bare, summary=()), Names()).title  # never empty


def test_outlet_names_are_arabic_from_the_kb() -> None:
    assert outlet_name("skynews") == "سكاي نيوز عربية"
    assert outlet_name("موقع لا يعرفه أحد") == "موقع لا يعرفه أحد"
    assert outlet_name(None) is None


def test_outlet_listing_and_article_views_show_arabic_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from marsad.read import article_view, list_outlets
    from marsad.store import open_store

    store = open_store(str(tmp_path / "o.db"))
    try:
        a = replace(art("ant1", outlet="skynews"), content_hash="h1")
        store.put_articles([a])
        (o,) = list_outlets(store).items
        assert (o.outlet, o.outlet_name) == ("skynews", "سكاي نيوز عربية")  # the key stays, the name shows
        v = article_view(a)
        assert (v.outlet, v.outlet_name) == ("skynews", "سكاي نيوز عربية")
    finally:
        store.close()


def test_a_story_stored_before_sources_were_kept_shows_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from marsad.model import StoryAssignment
    from marsad.read import story
    from marsad.store import open_store

    store = open_store(str(tmp_path / "old.db"))
    try:
        arts = [
            replace(art("k1", 2, outlet="الأهرام"), content_hash="h1"),
            replace(art("k2", 1, outlet="الشروق"), content_hash="h2"),
            replace(art("k3", 0), content_hash="h3"),
        ]
        store.put_articles(arts)
        old = Story(id="st-old", title="قصة", article_ids=("k1", "k2", "k3"), first_seen=None, last_seen=None)
        store.put_stories([replace(old, independent_sources=3)])  # counted the unknown one, as it used to
        store.set_stories([StoryAssignment(article_id=a.id, story_id="st-old") for a in arts])
        v = story(store, Names(), "st-old")
        assert (v.independent_sources, v.unknown_sources) == (2, 1)
        assert v.first_reported is not None and v.first_reported.outlet is None  # k3 is the earliest
        assert [g.name for g in v.sources] == ["الأهرام", "الشروق", None]
    finally:
        store.close()
