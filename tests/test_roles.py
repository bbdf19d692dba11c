"""Role phrases resolved through the article date, corrected by the names the text gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marsad.entities import MentionFinder, load_kb, persons_in, resolve_office
from marsad.model import MentionKind

MINI = Path(__file__).parent / "data" / "kb" / "mini.yaml"


@pytest.fixture(scope="module")
def kb():
    return load_kb([MINI], builtin=False)


@pytest.fixture(scope="module")
def finder(kb):
    return MentionFinder(kb)


def roles(finder, text, on):
    return [(m.text, m.entity_id) for m in finder.find(text, on) if m.kind is MentionKind.ROLE]


@pytest.mark.parametrize(
    ("on", "who"),
    [
        (date(2024, 1, 26), "person:joe-biden"),
        (date(2025, 11, 21), "person:donald-trump"),
        (date(2019, 3, 1), "person:donald-trump"),
        (None, "person:donald-trump"),  # no date: the current holder
    ],
)
def test_same_phrase_different_people_by_date(finder, on, who):
    assert roles(finder, "وقال الرئيس الأمريكي إن", on) == [("الرئيس الأمريكي", who)]
    assert roles(finder, "وقال الرئيس الأميركي إن", on) == [("الرئيس الأميركي", who)]  # spelling variant


def test_resolve_office(kb):
    assert resolve_office(kb, "president:us", date(2024, 1, 26)).id == "person:joe-biden"
    assert resolve_office(kb, "president-elect:us", date(2024, 11, 11)).id == "person:donald-trump"
    assert resolve_office(kb, "president-elect:us", date(2025, 11, 11)) is None
    assert resolve_office(kb, "no-such-office") is None


def test_president_elect_is_one_longer_role(finder):
    assert roles(finder, "والرئيس الأمريكي المنتخب", date(2024, 11, 11)) == [
        ("الرئيس الأمريكي المنتخب", "person:donald-trump")
    ]


def test_role_followed_by_name_is_one_person(finder, kb):
    text = "قال المتحدث باسم الرئاسة الروسية “الكرملين”، دميتري بيسكوف، إن"
    ms = finder.find(text, date(2025, 9, 5))
    assert {m.entity_id for m in ms if m.entity_type.value == "person"} == {"person:dmitry-peskov"}
    assert persons_in(ms, kb) == [("دميتري بيسكوف", "Dmitry Peskov")]


def test_name_next_to_role_beats_a_stale_kb(finder):
    # The KB says Peskov; the text names someone else: trust the text, here and later in the article.
    text = "قال المتحدث باسم الكرملين سيرغي لافروف إن. وأضاف المتحدث باسم الكرملين أن"
    assert roles(finder, text, date(2025, 9, 5)) == [
        ("المتحدث باسم الكرملين", "person:sergey-lavrov"),
        ("المتحدث باسم الكرملين", "person:sergey-lavrov"),
    ]


def test_name_then_role_in_apposition(finder):
    text = "وقال جو بايدن، الرئيس الأمريكي، إن"
    assert roles(finder, text, date(2025, 11, 21)) == [("الرئيس الأمريكي", "person:joe-biden")]
    # without the comma it is not an apposition: the date decides
    assert roles(finder, "التقى جو بايدن الرئيس الأمريكي", date(2025, 11, 21)) == [
        ("الرئيس الأمريكي", "person:donald-trump")
    ]


def test_counterpart(finder):
    text = "التقى الرئيس الفرنسي نظيره الأوكراني في باريس"
    assert roles(finder, text, date(2025, 9, 5)) == [
        ("الرئيس الفرنسي", "person:emmanuel-macron"),
        ("نظيره الأوكراني", "person:volodymyr-zelensky"),
    ]
    text = "اتصل لافروف بنظيره الأمريكي"  # office of the person named before: foreign minister
    assert roles(finder, text, date(2025, 9, 5)) == [
        ("نظيره الأمريكي", None)
    ]  # nobody holds it in the mini KB
    text = "قال ترامب إنه سيتحدث مع نظيره الروسي"
    assert roles(finder, text, date(2025, 9, 5)) == [("نظيره الروسي", "person:vladimir-putin")]


def test_dual_title_names_two_offices(finder):
    text = "محادثات بين الرئيسين الروسي والأميركي اليوم"
    assert roles(finder, text, date(2024, 1, 26)) == [
        ("الرئيسين الروسي", "person:vladimir-putin"),
        ("الأميركي", "person:joe-biden"),
    ]


def test_unheld_office_gives_a_role_without_person(finder):
    assert roles(finder, "قال وزير خارجية فرنسا", date(2025, 1, 1)) == [("وزير خارجية فرنسا", None)]


def test_dual_partner_offsets_skip_the_conjunction_and_its_mark(finder):
    text = "بين الرئيسين الروسي وَالأميركي"
    ms = [m for m in finder.find(text, date(2025, 9, 5)) if m.kind is MentionKind.ROLE]
    assert [m.text for m in ms] == ["الرئيسين الروسي", "الأميركي"]
    assert all(text[m.start : m.end] == m.text for m in ms)
