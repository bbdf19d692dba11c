"""Speakers linked to the people the KB knows: a father's name inside a known name, family-name-first
surnames (quotes/speakers.py _name_speaker, entities/lexicon.py surname_of, data/names/name_order.yaml)."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsad.entities.kb import KnowledgeBase, load_kb
from marsad.entities.lexicon import surname_of
from marsad.model import Article, SourceRef
from marsad.pipeline import ArticleAnalyzer


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_a_fathers_name_inside_a_known_name_is_the_known_person() -> None:
    body = "قال وزير الخارجية عادل بن أحمد الجبير إن الموقف لم يتغير. وأضاف أن المشاورات ستستمر."
    art = Article(
        id="a", source=SourceRef(origin="t.txt"), title="موقف", body=body, published=datetime(2018, 5, 1)
    )
    quotes = ArticleAnalyzer(use_ner=False)(art).quotes
    assert [q.speaker.entity_id if q.speaker else None for q in quotes] == ["person:adel-al-jubeir"] * 2


def test_another_first_name_before_a_known_surname_is_not_that_person() -> None:
    body = "قال المحامي خالد بن سعد الجبير إن القضية مستمرة."
    art = Article(
        id="b", source=SourceRef(origin="t.txt"), title="قضية", body=body, published=datetime(2018, 5, 1)
    )
    [q] = ArticleAnalyzer(use_ner=False)(art).quotes
    assert q.speaker is not None and q.speaker.entity_id != "person:adel-al-jubeir"


def test_family_name_first_surnames() -> None:
    assert surname_of("قوه جيا كوين", family_first=True) == "قوه"
    assert surname_of("قوه جيا كوين") == "كوين"


def test_a_chinese_given_name_is_no_surname(kb: KnowledgeBase) -> None:
    # the KB's Chinese spokesman is قوه جيا كوين: "كوين" alone (Cohen in Arabic news) is not him
    assert "person:guo-jiakun" not in {e.id for e in kb.find("كوين")}
    assert "person:guo-jiakun" in {e.id for e in kb.find("قوه")}


def test_a_word_shared_by_two_tagged_names_means_the_first_named() -> None:
    from marsad.model import EntityKind, Mention, MentionKind
    from marsad.quotes import extract_quotes

    body = (
        "طلب الشيخ سالم بن حمد الغامدي اللجوء إلى دولة مجاورة. وقال الشيخ سالم إن الوضع صعب. "
        "ونفت الحكومة وجود الشيخ سالم على أراضيها."
    )

    def ner(name: str, key: str) -> Mention:
        s = body.index(name)
        return Mention(start=s, end=s + len(name), text=name, kind=MentionKind.NER,
                       entity_id="ner:" + key, entity_type=EntityKind.PERSON)  # fmt: skip

    mentions = [ner("سالم بن حمد الغامدي", "سالم بن حمد الغامدي"), ner("سالم على", "سالم علي")]
    quotes = extract_quotes(body, mentions)
    said = [q for q in quotes if q.text == "الوضع صعب"]
    assert said and said[0].speaker is not None and said[0].speaker.name_ar == "سالم بن حمد الغامدي"
