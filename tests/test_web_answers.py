"""A denial or rejection shows the report it answers: on quote cards ("ردًّا على: …") and, on the story
page, beside it who denied it and when ("نفاه … في …"). A small store: one story, a report by one outlet
and, two days later, a denial answering it in another outlet."""

from __future__ import annotations

import json
import re
import warnings
from datetime import datetime
from typing import Any

import pytest

from marsad.model import (
    AnalysisState,
    Article,
    Quote,
    QuoteKind,
    SourceRef,
    Speaker,
    SpeakerKind,
    Stance,
    Story,
    StoryAssignment,
)

STORY = "story:test-answers"
REPORT = "وكالة الأنباء الفنزويلية"
HOSTILE_SOURCE = "صحيفة <i>الغد</i>"


def _quote(body: str, said: str, stance: Stance, who: str, answers: str | None) -> Quote:
    q0 = body.index(said)
    w0 = body.index(who)
    return Quote(
        start=q0,
        end=q0 + len(said),
        text=said,
        kind=QuoteKind.INDIRECT,
        cue="نفى",
        stance=stance,
        speaker=Speaker(text=who, kind=SpeakerKind.ORGANIZATION, name_ar=who, start=w0, end=w0 + len(who)),
        answers=answers,
    )


def _articles() -> list[Article]:
    report = "ذكرت وكالة الأنباء الفنزويلية أن وفدا من مجلس الشيوخ زار كراكاس سرا الأسبوع الماضي."
    denial = (
        "نفت الخارجية التشيلية ما أوردته وكالة الأنباء الفنزويلية عن زيارة سرية لوفد برلماني. "
        "ورفضت الخارجية التشيلية ما نشرته صحيفة الغد عن صفقة سلاح. "
        "وقال المتحدث باسم الخارجية التشيلية إن العلاقات مع الجيران تمر بمرحلة هادئة."
    )
    return [
        Article(
            id="r1",
            source=SourceRef(origin="/tmp/answers/r1.txt"),
            title="وفد برلماني في كراكاس",
            body=report,
            published=datetime(2025, 4, 1, 9, 0),
            outlet="وكالة الأنباء الفنزويلية",
            content_hash="hr1",
            analysis=AnalysisState.DONE,
        ),
        Article(  # the same outlet again, after the denial: not what it answers
            id="r2",
            source=SourceRef(origin="/tmp/answers/r2.txt"),
            title="تفاصيل جديدة عن الوفد",
            body="أكدت وكالة الأنباء الفنزويلية روايتها عن الوفد البرلماني ونشرت صورا جديدة.",
            published=datetime(2025, 4, 5, 9, 0),
            outlet="وكالة الأنباء الفنزويلية",
            content_hash="hr2",
            analysis=AnalysisState.DONE,
        ),
        Article(
            id="d1",
            source=SourceRef(origin="/tmp/answers/d1.txt"),
            title="الخارجية التشيلية تنفي",
            body=denial,
            published=datetime(2025, 4, 3, 12, 0),
            outlet="صحيفة الأفق",
            content_hash="hd1",
            quotes=(
                _quote(denial, "عن زيارة سرية لوفد برلماني", Stance.DENIAL, "الخارجية التشيلية", REPORT),
                _quote(denial, "عن صفقة سلاح", Stance.REJECTION, "الخارجية التشيلية", HOSTILE_SOURCE),
                _quote(
                    denial,
                    "العلاقات مع الجيران تمر بمرحلة هادئة",
                    Stance.STATEMENT,
                    "المتحدث باسم الخارجية التشيلية",
                    None,
                ),
            ),
            analysis=AnalysisState.DONE,
        ),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from marsad.search import sync_index
    from marsad.store import open_store

    db = str(tmp_path_factory.mktemp("answers") / "answers.db")
    arts = _articles()
    st = open_store(db)
    try:
        st.put_articles(arts)
        st.put_stories(
            [
                Story(
                    id=STORY,
                    title="زيارة الوفد البرلماني",
                    article_ids=("r1", "r2", "d1"),
                    first_seen=arts[0].published,
                    last_seen=arts[1].published,
                    outlets=("وكالة الأنباء الفنزويلية", "صحيفة الأفق"),
                    independent_sources=2,
                )
            ]
        )
        st.set_stories([StoryAssignment(article_id=a.id, story_id=STORY) for a in arts])
        assert not sync_index(st).failures
    finally:
        st.close()
    return db


@pytest.fixture(scope="module")
def client(db: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from marsad.web import create_app

    return TestClient(create_app(db), raise_server_exceptions=False)


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="quote">(.*?)</li>', html, flags=re.S)


def _card_with(html: str, said: str) -> str:
    found = [c for c in _cards(html) if said in c]
    assert len(found) == 1, f"one card for {said!r}"
    return found[0]


@pytest.mark.parametrize("url", ["/articles/d1", "/quotes", "/stories/" + STORY])
def test_quote_cards_say_what_a_denial_answers(client: Any, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    denial = _card_with(html, "عن زيارة سرية لوفد برلماني")
    assert "ردًّا على:" in denial and REPORT in denial
    rejection = _card_with(html, "عن صفقة سلاح")
    assert "صحيفة &lt;i&gt;الغد&lt;/i&gt;" in rejection and "<i>" not in rejection  # escaped
    statement = _card_with(html, "العلاقات مع الجيران")
    assert "ردًّا على" not in statement and 'class="answers"' not in statement


def test_story_page_says_who_denied_the_report_and_when(client: Any) -> None:
    html = client.get("/stories/" + STORY).text
    denial = _card_with(html, "عن زيارة سرية لوفد برلماني")
    line = re.search(r'<div class="answers">(.*?)</div>', denial, flags=re.S)
    assert line is not None
    text = re.sub(r"<[^>]+>", "", line.group(1))
    assert REPORT in text and "نفاه" in text and "الخارجية التشيلية" in text and " في " in text
    assert 'datetime="2025-04-03"' in line.group(1)  # the day the denial was published
    rejection = _card_with(html, "عن صفقة سلاح")
    assert "رفضه" in rejection and "نفاه" not in rejection


# ---- the answered report, when it is stored --------------------------------------------------------------


def _by_text(quotes: Any, said: str) -> Any:
    return next(q for q in quotes if said in (q["text"] if isinstance(q, dict) else q.text))


def test_the_answered_report_is_found_in_the_story(db: str) -> None:
    from marsad import export, read
    from marsad.entities import load_kb

    names = read.Names.of(load_kb())
    with read.opened(db) as st:
        for quotes in (read.story(st, names, STORY).quotes, read.article(st, names, "d1").quotes):
            assert _by_text(quotes, "عن زيارة سرية").answers_article == read.ReportRef(
                id="r1", title="وفد برلماني في كراكاس"
            )  # the earliest report by the outlet named, not its later one (r2)
            assert _by_text(quotes, "عن صفقة سلاح").answers_article is None  # no stored report by it
            assert _by_text(quotes, "العلاقات مع الجيران").answers_article is None
        records = {v.id: [export.quote_record(q) for q in v.quotes] for v in read.article_details(st, names)}
    assert records["d1"][0]["answers_article"] == "r1"
    assert all("answers_article" not in r for r in records["d1"][1:])


def test_the_card_links_the_answered_report(client: Any) -> None:
    for url in ("/stories/" + STORY, "/articles/d1", "/quotes"):
        denial = _card_with(client.get(url).text, "عن زيارة سرية لوفد برلماني")
        assert re.search(r'<a class="answered" href="/articles/r1"[^>]*>' + REPORT + "</a>", denial)
        rejection = _card_with(client.get(url).text, "عن صفقة سلاح")
        assert 'class="answered" href' not in rejection
    for quotes in (
        client.get("/api/articles/d1").json()["quotes"],
        client.get("/api/quotes").json()["items"],
    ):
        assert _by_text(quotes, "عن زيارة سرية")["answers_article"]["id"] == "r1"
        assert _by_text(quotes, "عن صفقة سلاح")["answers_article"] is None


def _art(i: str, outlet: str | None, day: int, wire: str | None = None) -> Article:
    return Article(
        id=i,
        source=SourceRef(origin=f"/tmp/answers/{i}.txt"),
        title=i,
        body="نص",
        published=datetime(2025, 5, day),
        outlet=outlet,
        wire=wire,
        content_hash="h" + i,
    )


def test_which_report_a_name_means() -> None:
    from marsad.read import answered_report

    denial = _art("d", "صحيفة الأفق", 10)
    story = [_art("a", "رويترز", 3), _art("b", "موقع الأفق الجديد", 2), _art("c", "صحيفة الوطن", 1, "رويترز")]
    assert answered_report("وكالة رويترز", denial, [*story, denial]).id == "c"  # type: ignore[union-attr]
    assert answered_report("رويترز", denial, story[:1]).id == "a"  # type: ignore[union-attr]
    assert answered_report("ما نشرته وسائل إعلام", denial, story) is None
    assert answered_report("الوطن", denial, [_art("e", "صحيفة الوطنية", 1)]) is None  # whole words only
    assert answered_report("رويترز", denial, [_art("f", "رويترز", 12)]) is None  # published after it
    assert answered_report("صحيفة الأفق", denial, [denial]) is None  # never its own article


def test_cli_quotes_print_both_sides(db: str) -> None:
    from typer.testing import CliRunner

    from marsad.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["quotes", "--db", db, "--stance", "denial", "--json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    denial = next(r for r in rows if "عن زيارة سرية" in r["text"])
    assert denial["answers"] == REPORT and denial["answers_article"] == "r1"
    table = runner.invoke(app, ["quotes", "--db", db, "--stance", "denial"], env={"COLUMNS": "400"})
    assert table.exit_code == 0, table.output
    assert "(r1)" in table.stdout and REPORT in table.stdout
