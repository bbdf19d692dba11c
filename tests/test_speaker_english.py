"""English names of institution, title and unnamed-source speakers the KB does not name
(marsad.quotes.english.institution_english, data/speaker_english.yaml)."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsad.entities.kb import load_kb
from marsad.model import Article, SourceRef
from marsad.pipeline import ArticleAnalyzer
from marsad.quotes.english import KBNames, institution_english


@pytest.fixture(scope="module")
def names() -> KBNames:
    return KBNames(load_kb())


@pytest.mark.parametrize(
    ("phrase", "english"),
    [
        ("وزارة الزراعة", "Ministry of Agriculture"),  # a genitive chain, title case for an institution
        ("السلطات الليبية", "Libyan authorities"),  # a country adjective goes first
        ("مصدر عسكري رفيع المستوى", "senior military source"),  # adjectives reversed, a two-word one
        ("وزيرة التعليم الكندية", "Canadian minister of education"),  # the adjective ending the chain
        ("المتحدث باسم وزارة الصحة", "spokesman for Ministry of Health"),
        ("الشئون الصحية بجدة", "health affairs in Jeddah"),  # a glued preposition before a KB place
        ("نائب وزير الطاقة", "deputy minister of energy"),
        ("مدرب المنتخب", "coach of the national team"),  # a bare head ends the phrase
        ("وزير المالية", "minister of finance"),  # a listed noun, not the adjective of Mali
        ("مسؤولا محليا", "local official"),  # the accusative alif after إن
        ("السكرتير الصحفي للأمم المتحدة", "press secretary of United Nations"),  # a KB organisation by ل
    ],
)
def test_institution_phrases(names: KBNames, phrase: str, english: str) -> None:
    assert institution_english(phrase, names) == english


@pytest.mark.parametrize(
    "phrase",
    [
        "الوزارة",  # a lone head names nobody
        "رئيس ولاية",  # the genitive is cut short: "head of state" would be wrong
        'محلل في شركة "النخبة"',  # a quoted name is not rendered word by word
        "وزارة الفلافل",  # an unknown word: nothing rather than half a name
        "مدير مكتب خالد",  # a person's name inside
    ],
)
def test_unknown_or_incomplete_phrases_get_none(names: KBNames, phrase: str) -> None:
    assert institution_english(phrase, names) is None


def test_analyzer_stores_the_english_name_of_an_institution_speaker() -> None:
    body = "قالت وزارة الزراعة في بيان إن المحصول سيرتفع هذا العام. وأضافت أن الأسعار ستنخفض."
    art = Article(
        id="a1", source=SourceRef(origin="t.txt"), title="محصول", body=body, published=datetime(2024, 5, 1)
    )
    done = ArticleAnalyzer(use_ner=False)(art)
    assert done.quotes, "the reader should find the statement"
    assert {q.speaker.name_en for q in done.quotes if q.speaker} == {"Ministry of Agriculture"}


def test_a_title_of_listed_words_is_rendered_not_romanized() -> None:
    body = "وقال السكرتير الصحفي للأمم المتحدة إن الاجتماع تأجل."
    art = Article(
        id="a2", source=SourceRef(origin="t.txt"), title="اجتماع", body=body, published=datetime(2024, 5, 1)
    )
    [q] = ArticleAnalyzer(use_ner=False)(art).quotes
    assert q.speaker is not None and q.speaker.name_en == "press secretary of United Nations"


def test_a_lone_unnamed_source_word_is_rendered() -> None:
    # "وأوضحت المصادر": the sources are unnamed whatever the phrase, so the lone word is their English
    body = "قالت مصادر دبلوماسية إن المحادثات تعثرت. وأوضحت المصادر أن الجولة المقبلة لم تحدد."
    art = Article(
        id="a3", source=SourceRef(origin="t.txt"), title="محادثات", body=body, published=datetime(2024, 5, 1)
    )
    quotes = ArticleAnalyzer(use_ner=False)(art).quotes
    assert [q.speaker.name_en if q.speaker else None for q in quotes] == ["diplomatic sources", "sources"]


def test_a_lone_institution_word_is_still_not_rendered(names: KBNames) -> None:
    assert institution_english("الوزارة", names, lone=False) is None
