"""Inline media credits (datelines, self-credits, spelled-out agencies) named as the KB names them."""

import pytest

from marsad.parse.credits import canonical_medium, read_credit
from marsad.parse.scraped_text import split_parts

BODY = "قال وزير الخارجية إن المحادثات مستمرة منذ أسابيع في العاصمة.\nوأضاف أن الجولة المقبلة قريبة.\n"


@pytest.mark.parametrize(
    ("lead", "name", "wire"),
    [
        ("القاهرة – (أ ش أ): قال الوزير", "وكالة أنباء الشرق الأوسط", True),
        ("موسكو (رويترز) - قال الكرملين", "رويترز", True),
        ("(رويترز) - قال مسؤول", "رويترز", True),
        ("بيروت (أ.ف.ب) - أعلن الجيش", "فرانس برس", True),
        ("الرياض - واس: وجه الملك", "واس", True),
        ("أفادت وكالة الأنباء السعودية (واس) بأن المجلس", "واس", True),
        ("سكاي نيوز عربية من لندن: قال المتحدث", "سكاي نيوز عربية", False),
        ("موقع الخليج الجديد الإخباري- أعلنت الوزارة", "الخليج الجديد", False),
        ("صنعاء (ق ن أ) - قال المصدر", "ق ن أ", True),
    ],
)
def test_inline_credit(lead: str, name: str, wire: bool) -> None:
    c = read_credit(lead)
    assert c is not None
    assert (c.medium.name, c.medium.wire) == (name, wire)


@pytest.mark.parametrize(
    "lead",
    [
        "بيروت - أعلن الجيش اللبناني أن الوضع هادئ",
        "القاهرة - أحمد علي: قال",
        "كتب (محمد علي) - قال",
        "(خاص) - قال مصدر",
        "قال الوزير (في تصريح) إن الخطة جاهزة",
    ],
)
def test_not_a_credit(lead: str) -> None:
    assert read_credit(lead) is None


def test_lead_credit_fills_wire_and_outlet() -> None:
    (p,) = split_parts("الوزير يعلن استئناف المحادثات\nالقاهرة – (أ ش أ): " + BODY)
    assert p.wire == "وكالة أنباء الشرق الأوسط" and p.outlet is None
    assert p.body.startswith("القاهرة – (أ ش أ): قال")  # the text is kept as written
    (p,) = split_parts("موقع الخليج الجديد الإخباري- " + BODY)
    assert p.outlet == "الخليج الجديد"


def test_credit_line_above_the_lead_is_furniture() -> None:
    (p,) = split_parts("القاهرة - أ ش أ\n" + BODY)
    assert p.title is None and p.wire == "وكالة أنباء الشرق الأوسط"
    assert p.body.startswith("قال وزير")


def test_footer_credit_wins_and_is_named_by_the_kb() -> None:
    (p,) = split_parts("سكاي نيوز عربية من لندن: " + BODY + "المصدر: بوابة الأهرام\n")
    assert p.outlet == "الأهرام"  # the footer's republisher, under the KB's name


@pytest.mark.parametrize(
    ("slug", "arabic"),
    [("skynews", "سكاي نيوز عربية"), ("alarabia", "العربية"), ("france24", "فرانس 24"), ("BBC", "بي بي سي")],
)
def test_ant_slugs_have_arabic_names(slug: str, arabic: str) -> None:
    m = canonical_medium(slug)
    assert m is not None and m.known and m.name == arabic


def test_unknown_medium_keeps_its_name() -> None:
    m = canonical_medium("صحيفة النجمة الساطعة")
    assert m is not None and not m.known and m.name == "النجمة الساطعة"
