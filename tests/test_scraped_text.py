"""The seed-style parser: headlines, date lines, credits, tags, boilerplate, read-also splits."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.parse.scraped_text import split_parts

from .conftest import SEEDS, need

DOC = """عنوان الخبر الرئيسي هنا
تاريخ النشر: 5th, September 2025 GMT
قال المتحدث إن الاتصالات مستمرة.
وأضاف أن "الأمور تسير بسرعة".
شاركها.
المصدر رويترز الوسومأوكرانيا روسياالمصدر: كويت نيوز
كلمات دلالية: أوكرانيا، روسيا، أوكرانيا
إقرأ أيضاً:
عنوان المقال الثاني
نص المقال الثاني الذي يتحدث عن موضوع آخر تماما.
Exit mobile version
اقرأ أيضا: عنوان ثالث على السطر نفسه
نص ثالث.
"""


def test_parts_and_metadata() -> None:
    parts = split_parts(DOC)
    assert [p.part for p in parts] == [0, 1, 2]
    main, second, third = parts
    assert main.title == "عنوان الخبر الرئيسي هنا"
    assert main.published is not None and main.published.isoformat().startswith("2025-09-05")
    assert main.outlet == "كويت نيوز" and main.wire == "رويترز"
    assert main.tags == ["أوكرانيا روسيا", "أوكرانيا", "روسيا"]  # unseparated lists stay whole; repeats go
    assert main.body == 'قال المتحدث إن الاتصالات مستمرة.\nوأضاف أن "الأمور تسير بسرعة".'
    assert second.title == "عنوان المقال الثاني"
    assert second.body == "نص المقال الثاني الذي يتحدث عن موضوع آخر تماما."
    assert second.published is None and second.outlet is None
    assert third.title == "عنوان ثالث على السطر نفسه" and third.body == "نص ثالث."


def test_no_headline_when_first_line_is_a_sentence() -> None:
    text = "قال المتحدث باسم الكرملين يوم الجمعة إن الرئيس أرسل إشارات إضافية إلى واشنطن بشأن الاقتراح.\n\nفقرة ثانية."
    (p,) = split_parts(text)
    assert p.title is None and p.body.startswith("قال المتحدث")


def test_inline_date_marker_without_headline() -> None:
    (p,) = split_parts(" date 2025-09-05 جاء ذلك في مقابلة.\nسطر آخر.")
    assert p.title is None and p.published is not None and p.published.date().isoformat() == "2025-09-05"
    assert p.body == "جاء ذلك في مقابلة.\nسطر آخر."


def test_levantine_and_arabic_date_lines() -> None:
    (p,) = split_parts("عنوان\nالاثنين 11 تشرين الثاني 2024\nنص الخبر.")
    assert p.title == "عنوان" and p.published is not None and p.published.date().isoformat() == "2024-11-11"
    (p,) = split_parts("عنوان\nنشر في: الجمعة ٢٦ يناير ٢٠٢٤\nنص الخبر.")
    assert p.published is not None and p.published.date().isoformat() == "2024-01-26"


def test_related_links_glued_to_a_paragraph() -> None:
    text = "عنوان الخبر\nفقرة أولى.\nRelatedعنوان رابط أولعنوان رابط ثان بشرط الاستسلامويأتي هذا التغيير في إطار إعادة تنظيم الجيش.\nGo to accessibility shortcutsشارك هذا المقال"
    (p,) = split_parts(text)
    assert p.body == "فقرة أولى.\nويأتي هذا التغيير في إطار إعادة تنظيم الجيش."


def test_cited_media() -> None:
    (p,) = split_parts("عنوان\nوحسب وكالة “سبوتنيك” الروسية، قال إنه. وذكرت صحيفة الغارديان أن الأمر.")
    assert [m.strip('“”"') for m in p.cited_media] == ["سبوتنيك", "الغارديان"]


def test_seeds_golden() -> None:
    gold = json.loads((need(SEEDS) / "gold.json").read_text(encoding="utf-8"))
    for doc in gold["documents"]:
        parts = split_parts((SEEDS / doc["file"]).read_text(encoding="utf-8"))
        assert len(parts) == len(doc["articles"]), doc["file"]
        for p, g in zip(parts, doc["articles"], strict=True):
            assert (p.title or None) == g["title"], doc["file"]
            assert (p.published.date().isoformat() if p.published else None) == g["date"], doc["file"]
            assert p.outlet == g["outlet"] and p.wire == g["wire"], doc["file"]
            assert p.body.startswith(g["body_first"]) and g["body_last"] in p.body[-200:], doc["file"]
            for junk in [*g.get("boilerplate", []), "كلمات دلالية", "إقرأ أيضاً"]:
                assert junk not in p.body


@given(st.text(max_size=400))
def test_never_raises_and_offsets_in_range(s: str) -> None:
    for p in split_parts(s):
        assert 0 <= p.char_start <= p.char_end <= len(s)


@given(
    st.lists(
        st.sampled_from(
            [
                "عنوان قصير",
                "تاريخ النشر: 5 سبتمبر 2025",
                "نص الخبر هنا.",
                "إقرأ أيضاً:",
                "المصدر: وكالة",
                "كلمات دلالية: أ ب",
                "",
                "شاركها.",
                "اقرأ أيضا: عنوان",
            ]
        ),
        max_size=12,
    )
)
def test_marker_soup_never_leaks_markers_into_bodies(lines: list[str]) -> None:
    for p in split_parts("\n".join(lines)):
        assert "إقرأ أيضاً" not in p.body and "كلمات دلالية" not in p.body and "شاركها." not in p.body


LEAD = "أعلنت الحكومة اليوم عن خطة جديدة للإسكان تشمل آلاف الوحدات في المدن الكبرى.\nوقال الوزير إن العمل يبدأ قريبا.\n"


@pytest.mark.parametrize(
    "header",
    [
        "محليات",
        "أخبار عربية",
        "الرئيسية » أخبار عربية » سياسة",
        "عربي ودولي",
        "كتب: أحمد السيد",
        "كتبت - منى عبد الله",
        "بقلم خالد محمود",
        "متابعات - الخليج الجديد",
        "الرياض - متابعات",
        "نشر بتاريخ :",
        "شارك على فيسبوك",
        "Facebook Twitter WhatsApp",
        "حجم الخط",
        "3 دقائق للقراءة",
        "12 تعليق",
    ],
)
def test_boilerplate_is_never_a_title(header: str) -> None:
    # the line alone above the lead: no headline at all
    (p,) = split_parts(f"{header}\n{LEAD}")
    assert p.title is None
    assert p.body.startswith("أعلنت الحكومة")
    # above a real headline: that headline is the title
    (p,) = split_parts(f"{header}\nالحكومة تعلن خطة جديدة للإسكان\n{LEAD}")
    assert p.title == "الحكومة تعلن خطة جديدة للإسكان"
    assert header not in p.body


def test_furniture_stack_above_headline_and_date() -> None:
    doc = "سياسة\nكتب: سامي علي\nوزير المالية يعرض الموازنة\nنشر بتاريخ :\n12 مارس 2023\n" + LEAD
    (p,) = split_parts(doc)
    assert p.title == "وزير المالية يعرض الموازنة"
    assert p.published is not None and p.published.date().isoformat() == "2023-03-12"
    assert p.body.startswith("أعلنت الحكومة") and "كتب" not in p.body


def test_a_headline_that_looks_like_a_section_word_is_kept() -> None:
    (p,) = split_parts("أخبار سارة لسكان العاصمة بعد انقطاع المياه\n" + LEAD)
    assert p.title == "أخبار سارة لسكان العاصمة بعد انقطاع المياه"
