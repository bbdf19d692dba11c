"""Arabic counts and dates on the pages, and clean snippets (marsad/web/arabic.py, normalize/snippet.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.normalize.snippet import clean_snippet, clean_text
from marsad.web import arabic


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "لا مقالات"),
        (1, "مقال واحد"),
        (2, "مقالان"),
        (3, "3 مقالات"),
        (10, "10 مقالات"),
        (11, "11 مقالاً"),
        (99, "99 مقالاً"),
        (100, "100 مقال"),
        (101, "101 مقال"),
        (102, "102 مقال"),
        (103, "103 مقالات"),
        (111, "111 مقالاً"),
        (1000, "1000 مقال"),
    ],
)
def test_article_counts_agree_with_the_number(n: int, text: str) -> None:
    assert arabic.count(n, "article") == text


def test_other_nouns() -> None:
    assert arabic.count(1, "story") == "قصة واحدة"
    assert arabic.count(2, "independent_source") == "مصدران مستقلان"
    assert arabic.count(5, "independent_source") == "5 مصادر مستقلة"
    assert arabic.count(12, "quote") == "12 تصريحاً"


def test_dates_in_arabic() -> None:
    assert arabic.day(date(2025, 9, 5)) == "5 سبتمبر 2025"
    assert arabic.day(datetime(2024, 1, 26, 22, tzinfo=UTC)) == "26 يناير 2024"
    assert arabic.day("2025-12-01T10:00:00+03:00", year=False) == "1 ديسمبر"
    assert arabic.day(None) == arabic.day("") == arabic.day("not a date") == ""
    assert arabic.period("2025-09") == "سبتمبر 2025"
    assert arabic.period("2025-W36") == "1 سبتمبر"
    assert arabic.period("2025-09-05") == "5 سبتمبر"


def test_snippets_drop_markdown_debris() -> None:
    body = "![](https://cdn.example/a.jpg)\n## عنوان\nقال **المتحدث** إن [الاتفاق](https://x.example/p) قائم https://t.co/xyz"
    assert clean_text(body) == "عنوان قال المتحدث إن الاتفاق قائم"
    long = "كلمة " * 100
    out = clean_snippet(long, 50)
    assert out.endswith("…") and len(out) <= 51 and "  " not in out


@given(st.text(max_size=400), st.text(alphabet=st.characters(exclude_characters=" \t\n\r)]"), max_size=30))
def test_snippets_are_short_one_line_and_without_images(text: str, url: str) -> None:
    out = clean_snippet(text, 80)
    assert len(out) <= 81 and "\n" not in out
    assert "![" not in clean_text(f"قبل ![صورة](https://{url}) بعد")
