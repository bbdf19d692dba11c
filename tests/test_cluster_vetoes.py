"""Merge vetoes: slot values and years that tell two happenings of one kind apart (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from marsad.clock import timestamp
from marsad.cluster import StoryClusterer
from marsad.cluster.vetoes import later_year, slot_conflict, text_slots
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_text


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("أدى الرئيس اليمين الدستورية لولاية رئاسية رابعة أمام البرلمان", "term", "رابعه"),
        ("فاز الحاكم بولاية ثانية بعد فرز الأصوات", "term", "ثانيه"),
        ("بدأت الجولة السادسة من المشاورات في العاصمة", "round", "السادسه"),
        ("تنطلق الدورة 12 من المعرض الأسبوع المقبل", "round", "12"),
        ("خفض المصرف المركزي سعر الفائدة بربع نقطة إلى 4,5 في المئة", "rate", "4.5"),
        ("أبقى البنك على أسعار الفائدة عند 6.75%", "rate", "6.75"),
        ("نفت الوزارة ما نشرته صحيفة الغارديان عن صفقة السلاح", "denied_report", "الغارديان"),
        ("ونفى المتحدث بشدة تقريرا لوكالة بلومبرغ حول الاتصالات", "denied_report", "بلومبرغ"),
    ],
)
def test_slot_values_read_from_own_sentences(text: str, slot: str, value: str) -> None:
    assert value in text_slots(text)[slot]


def test_text_without_slots() -> None:
    assert text_slots("التقى الوزير نظيره وبحثا العلاقات الثنائية وسبل تطويرها") == {}


def test_the_rate_a_decision_came_from_is_not_its_value() -> None:
    assert text_slots("رفع البنك سعر الفائدة من 11 في المئة إلى 12 في المئة")["rate"] == ["12"]


def test_conflict_needs_the_same_slot_with_no_common_value() -> None:
    assert slot_conflict({"term": ["ثالثه"]}, {"term": ["رابعه"]}) == "term"
    assert slot_conflict({"term": ["ثالثه"]}, {"term": ["رابعه", "ثالثه"]}) is None
    assert slot_conflict({"term": ["ثالثه"]}, {"rate": ["12"]}) is None


def test_a_later_year_than_the_story_is_a_later_happening() -> None:
    last = timestamp(datetime(2019, 6, 1, tzinfo=UTC))
    assert later_year(2024, last)
    assert not later_year(2017, last)  # an older year is background
    assert not later_year(None, last)
    assert later_year(2024, None, [2019, 2018])
    assert not later_year(2019, None, [])


def undated(aid: str, text: str) -> Article:
    title, _, body = text.partition("\n")
    return Article(
        id=aid, source=SourceRef(origin=aid), title=title, body=body, search_text=normalize_text(text)
    )


BASE = (
    "اللجنة تعلن فوز الرئيس بولاية {n}\n"
    "أعلنت اللجنة العليا للانتخابات فوز الرئيس سامي الخطيب بولاية {n} بعد فرز الأصوات في كل المحافظات، "
    "وقالت اللجنة إن نسبة المشاركة كانت مرتفعة، وتعهد الرئيس الخطيب بمواصلة الإصلاحات خلال ولايته {n}. {y}"
)


def test_same_words_other_ordinal_stay_apart() -> None:
    clus = StoryClusterer()
    a = clus.add(undated("a", BASE.format(n="ثالثة", y=""))).story_id
    b = clus.add(undated("b", BASE.format(n="ثالثة", y=""))).story_id
    c = clus.add(undated("c", BASE.format(n="رابعة", y=""))).story_id
    assert a == b != c
    assert clus.vetoed >= 1


def test_same_words_later_year_stay_apart() -> None:
    clus = StoryClusterer()
    a = clus.add(undated("a", BASE.format(n="ثالثة", y="وجرت الانتخابات في 2018."))).story_id
    b = clus.add(undated("b", BASE.format(n="ثالثة", y="وجرت الانتخابات في 2025."))).story_id
    assert a != b


def test_vetoes_survive_the_state_round_trip() -> None:
    clus = StoryClusterer()
    clus.add(undated("a", BASE.format(n="ثالثة", y="")))
    again = StoryClusterer.from_state(clus.to_state())
    (st,) = again.active_stories()
    assert st.slots == {"term": ["ثالثه"]}
