"""A denial or rejection shows the report it answers: on quote cards ("ردًّا على: …") and, on the story
page, beside it who denied it and when ("نفاه … في …"). A small store: one story, a report by one outlet
and, two days later, a denial answering it in another outlet."""

from __future__ import annotations

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
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
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
                    article_ids=("r1", "d1"),
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
