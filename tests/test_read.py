"""The read layer (:mod:`marsad.read`): the one name → entity rule everywhere (CLI, API, read calls), the
views it returns, and that ``web/schemas.py`` mirrors them field for field."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from marsad import read
from marsad.entities import load_kb
from marsad.entities.kb import KnowledgeBase
from marsad.errors import NotFound
from marsad.model import (
    AnalysisState,
    Article,
    EntityKind,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceRef,
    Speaker,
    SpeakerKind,
    Stance,
    Story,
    StoryAssignment,
)
from marsad.search.refs import resolve_entities
from marsad.web import schemas as s

ABBASES = {"person:mahmoud-abbas", "person:mansour-abbas"}
STORY = "story:test-abbas"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


# ---- the rule ------------------------------------------------------------------------------------------


def test_a_name_means_every_entity_it_may_mean(kb: KnowledgeBase) -> None:
    assert set(resolve_entities(kb, "عباس")) == ABBASES
    assert set(resolve_entities(kb, "وعباس")) == ABBASES  # clitic form
    assert resolve_entities(kb, "Peskov") == ("person:dmitry-peskov",)  # English name
    assert resolve_entities(kb, "ديميتري بيسكوف") == ("person:dmitry-peskov",)  # another spelling
    assert "person:dmitry-peskov" in resolve_entities(kb, "المتحدث باسم الكرملين")  # role phrase


def test_an_id_is_itself_and_unknown_names_are_not_found(kb: KnowledgeBase) -> None:
    assert resolve_entities(kb, "person:mahmoud-abbas") == ("person:mahmoud-abbas",)
    assert resolve_entities(kb, " ner:اناتولي انطونوف ") == ("ner:اناتولي انطونوف",)  # tagger ids too
    for ref in ("نكرة", "nobody-at-all", "  "):
        with pytest.raises(NotFound):
            resolve_entities(kb, ref)
    with pytest.raises(NotFound, match="no such"):
        resolve_entities(kb, "شخص غير موجود إطلاقا", param="--speaker")
    assert {e.id for e in read.find_entities(kb, "عباس")} == ABBASES
    assert read.find_entities(kb, "نكرة") == []


# ---- a store where both Abbases speak ------------------------------------------------------------------


def _article(n: int, eid: str, name: str, said: str, day: int, outlet: str) -> Article:
    body = f"قال {name} إن «{said}» في تصريح لـ{outlet}.\nوأضاف أن الحوار مستمر."
    q0 = body.index(said)
    return Article(
        id=f"a{n}",
        source=SourceRef(origin=f"/tmp/abbas/{n}.txt"),
        title=f"{name} يعلق",
        body=body,
        published=datetime(2025, 3, day, 10, 0),
        outlet=outlet,
        content_hash=f"h{n}",
        mentions=(
            Mention(start=4, end=4 + len(name), text=name, kind=MentionKind.NAME, entity_id=eid),
            Mention(start=0, end=3, text="قال", kind=MentionKind.NER, entity_type=EntityKind.PERSON),
        ),
        quotes=(
            Quote(
                start=q0,
                end=q0 + len(said),
                text=said,
                kind=QuoteKind.DIRECT,
                cue="قال",
                stance=Stance.WARNING,
                # name_ar left out: the read layer names the speaker from the KB
                speaker=Speaker(
                    text=name, kind=SpeakerKind.PERSON, entity_id=eid, start=4, end=4 + len(name)
                ),
            ),
        ),
        analysis=AnalysisState.DONE,
    )


@pytest.fixture(scope="module")
def abbas_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from marsad.search import sync_index
    from marsad.store import open_store

    db = str(tmp_path_factory.mktemp("abbas") / "abbas.db")
    arts = [
        _article(2, "person:mansour-abbas", "منصور عباس", "لن نقبل بتهميش المواطنين العرب", 9, "عرب 48"),
        _article(1, "person:mahmoud-abbas", "محمود عباس", "القدس خط أحمر لا نقبل المساس به", 5, "وفا"),
        _article(3, "person:mahmoud-abbas", "محمود عباس", "القدس خط أحمر لا نقبل المساس به", 7, "معا"),
    ]
    st = open_store(db)
    try:
        st.put_articles(arts)
        st.put_stories(
            [
                Story(
                    id=STORY,
                    title="عباس والقدس",
                    article_ids=("a2", "a1", "a3"),  # not in time order: the view orders them
                    first_seen=arts[1].published,
                    last_seen=arts[0].published,
                    outlets=("وفا", "معا", "عرب 48"),
                    independent_sources=3,
                    top_entities=("person:mahmoud-abbas", "ner:قال"),
                )
            ]
        )
        st.set_stories([StoryAssignment(article_id=a.id, story_id=STORY) for a in arts])
        assert not sync_index(st).failures
    finally:
        st.close()
    return db


def _cli_rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    from marsad.cli import main

    capsys.readouterr()
    assert main(list(args)) == 0
    return [json.loads(x) for x in capsys.readouterr().out.splitlines()]


def test_both_abbases_through_the_cli(abbas_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _cli_rows(capsys, "quotes", "--db", abbas_db, "--speaker", "عباس", "--json")
    assert {r["speaker"]["id"] for r in rows} == ABBASES and len(rows) == 3
    assert {r["speaker"]["name"] for r in rows} == {"محمود عباس", "منصور عباس"}  # named from the KB
    one = _cli_rows(capsys, "quotes", "--db", abbas_db, "--speaker", "منصور عباس", "--json")
    assert [r["speaker"]["id"] for r in one] == ["person:mansour-abbas"]
    hits = _cli_rows(
        capsys, "search", "", "--db", abbas_db, "--speaker", "عباس", "--kind", "quotes", "--json"
    )
    assert {h["quote"]["speaker"]["entity_id"] for h in hits} == ABBASES
    arts = _cli_rows(
        capsys, "search", "", "--db", abbas_db, "--entity", "عباس", "--kind", "articles", "--json"
    )
    assert {h["article_id"] for h in arts} == {"a1", "a2", "a3"}


def test_brief_of_a_store(abbas_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    (out,) = _cli_rows(capsys, "brief", "--db", abbas_db, "--json")
    assert [s["id"] for s in out["stories"]] == [STORY]
    said = {sq["speaker"]["id"]: [q["text"] for q in sq["quotes"]] for sq in out["speakers"]}
    assert set(said) == ABBASES
    assert said["person:mansour-abbas"] == ["لن نقبل بتهميش المواطنين العرب"]
    assert out["denial_total"] == 0 and out["denials"] == []  # they warned; nobody denied
    from marsad.cli import main

    assert main(["brief", "--db", abbas_db, "--speakers", "1"]) == 0
    text = capsys.readouterr().out
    assert "3 articles" in text and "none found" in text and text.count(" — in ") == 1


def test_both_abbases_through_the_api(abbas_db: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from marsad.web import create_app

    client = TestClient(create_app(abbas_db), raise_server_exceptions=False)
    items = client.get("/api/quotes", params={"speaker": "عباس"}).json()["items"]
    assert {i["speaker"]["entity_id"] for i in items} == ABBASES
    assert all(i["article_id"] and i["published"] and i["outlet"] for i in items)  # article context
    hits = client.get("/api/search", params={"speaker": "عباس", "kind": "quotes"}).json()["items"]
    assert {h["quote"]["speaker"]["entity_id"] for h in hits} == ABBASES
    arts = client.get("/api/search", params={"entity": "عباس", "kind": "articles"}).json()
    assert arts["total"] == 3
    assert client.get("/api/quotes", params={"speaker": "نكرة"}).status_code == 404
    profile = client.get("/api/entities/عباس").json()  # one entity is needed: the first reading
    assert profile["id"] == "person:mahmoud-abbas" and profile["articles"] == 2
    page = client.get("/search", params={"speaker": "عباس", "kind": "quotes"}).text  # the web form
    assert "منصور عباس" in page and "محمود عباس" in page


# ---- views ---------------------------------------------------------------------------------------------


@pytest.fixture
def store(abbas_db: str) -> Iterator[Any]:
    with read.opened(abbas_db) as st:
        yield st


def test_quote_views_carry_names_and_article_context(store: Any, kb: KnowledgeBase) -> None:
    page = read.list_quotes(store, kb, speaker="عباس", limit=2)
    assert len(page.items) == 2 and page.has_more and page.page == 1
    q = page.items[0]
    assert isinstance(q, read.QuoteView)
    assert q.speaker is not None and q.speaker.name == "محمود عباس" and q.speaker.name_en == "Mahmoud Abbas"
    assert (q.article_id, q.outlet, q.article_title) == ("a1", "وفا", "محمود عباس يعلق")
    assert q.published == datetime(2025, 3, 5, 10, 0) and q.day == date(2025, 3, 5)
    with pytest.raises(NotFound):
        read.list_quotes(store, kb, stance="angry")


def test_story_view_orders_articles_and_dedups_quotes(store: Any) -> None:
    v = read.story(store, read.Names.of(load_kb()), STORY)
    assert [a.id for a in v.articles] == ["a1", "a3", "a2"]  # by publication time
    assert v.size == 3 and v.top_entities[0] == read.EntityRef(id="person:mahmoud-abbas", name="محمود عباس")
    assert v.top_entities[1].name == "قال"  # a tagger id is named by its name part
    assert len(v.quotes) == 2, "syndicated copies of one wording count once"
    assert [q.day for q in v.quotes] == sorted(q.day for q in v.quotes if q.day)
    with pytest.raises(NotFound):
        read.story(store, read.Names(), "story:nope")


def test_article_detail_and_profile_views(store: Any, kb: KnowledgeBase) -> None:
    a = read.article(store, read.Names.of(kb), "a2")
    assert a.record.id == "a2" and a.body.startswith("قال منصور عباس")
    assert [p.name for p in a.persons] == ["منصور عباس", "قال"]
    assert a.quotes[0].index == 0 and a.quotes[0].article_id == "a2"
    for m in a.mentions:
        assert a.body[m.start : m.end] == m.text
    p = read.entity_profile(store, kb, "person:mahmoud-abbas")
    assert p.articles == 2 and [q.article_id for q in p.quotes] == ["a1", "a3"]
    assert sum(c.count for c in p.mentions_over_time) == 2 and p.first_seen == datetime(2025, 3, 5, 10, 0)
    with pytest.raises(NotFound):
        read.entity_profile(store, kb, "person:nobody-anywhere")  # an id neither the KB nor the store knows


def test_views_validate_as_their_api_models(store: Any, kb: KnowledgeBase) -> None:
    from marsad.jsonview import to_json

    names = read.Names.of(kb)
    s.ArticleDetail.model_validate(to_json(read.article(store, names, "a1")))
    s.StoryDetail.model_validate(to_json(read.story(store, names, STORY)))
    s.EntityProfile.model_validate(to_json(read.entity_profile(store, kb, "عباس")))
    s.QuotePage.model_validate(to_json(read.list_quotes(store, kb, speaker="عباس")))
    s.ArticlePage.model_validate(to_json(read.list_articles(store, limit=2)))
    s.StatsOut.model_validate(to_json(read.stats(store)))
    assert "record" not in to_json(read.article(store, names, "a1"))  # INTERNAL fields stay in-process


# ---- schemas mirror the views --------------------------------------------------------------------------

MIRRORS: list[tuple[type, type]] = [
    (read.EntityRef, s.EntityRef),
    (read.EntityCount, s.EntityCount),
    (read.ArticleView, s.ArticleSummary),
    (read.ArticleDetailView, s.ArticleDetail),
    (read.SpeakerView, s.SpeakerOut),
    (read.PersonView, s.PersonOut),
    (read.QuoteView, s.QuoteOut),
    (read.ReportRef, s.ReportRefOut),
    (read.MentionView, s.MentionOut),
    (read.StoryCard, s.StorySummary),
    (read.SourceView, s.SourceOut),
    (read.FirstReportView, s.FirstReportOut),
    (read.StoryView, s.StoryDetail),
    (read.StorylineView, s.StorylineDetail),
    (read.RoleView, s.RoleOut),
    (read.PeriodCount, s.PeriodCount),
    (read.EntityProfile, s.EntityProfile),
    (read.Page, s.ArticlePage),
    (read.StorylineRow, s.StorylineRow),
    (read.OutletView, s.OutletOut),
    (read.IndexCounts, s.IndexStats),
    (read.StatsView, s.StatsOut),
]


def _json_fields(cls: type) -> set[str]:
    return {f.name for f in fields(cls) if f.metadata.get("json", True)}


@pytest.mark.parametrize(("view", "model"), MIRRORS, ids=lambda c: c.__name__)
def test_schemas_mirror_the_views(view: type, model: Any) -> None:
    assert _json_fields(view) == set(model.model_fields)


def test_search_models_mirror_search_hits() -> None:
    from marsad.search.results import SearchHit, SearchPage

    def names(cls: type) -> set[str]:
        return {f.name for f in fields(cls)} | {k for k, v in vars(cls).items() if isinstance(v, property)}

    assert set(s.SearchHitOut.model_fields) <= names(SearchHit)
    assert set(s.SearchOut.model_fields) - {"items"} <= names(SearchPage) and "hits" in names(SearchPage)


def test_no_reader_reaches_past_the_read_layer() -> None:
    import re

    src = Path(read.__file__).parent
    web = "".join(p.read_text(encoding="utf-8") for p in (src / "web").glob("*.py"))
    cli = "".join(p.read_text(encoding="utf-8") for p in (src / "cli").glob("*.py"))
    assert "ctx.store." not in web
    assert not [c for c in re.findall(r"\bstore\.(\w+)\(", cli) if c != "close"]
