"""Mention finding: clitics, longest match, word boundaries, original offsets, surnames, NER names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.entities import MentionFinder, load_kb, persons_in
from marsad.entities.kb import kb_from_texts
from marsad.entities.matcher import PhraseMatcher, token_line
from marsad.entities.romanize import romanize_name
from marsad.model import EntityKind, MentionKind

MINI = Path(__file__).parent / "data" / "kb" / "mini.yaml"
DAY = date(2025, 9, 5)


@pytest.fixture(scope="module")
def finder():
    return MentionFinder(load_kb([MINI], builtin=False))


def found(finder, text, on=DAY):
    return [(m.text, m.kind, m.entity_id) for m in finder.find(text, on)]


@pytest.mark.parametrize(
    ("text", "surface", "entity"),
    [
        ("التقى وبوتين", "بوتين", "person:vladimir-putin"),
        ("قال لبيسكوف", "بيسكوف", "person:dmitry-peskov"),
        ("وبالكرملين اليوم", "الكرملين", "organization:kremlin"),
        ("تحدث والرئيس الأمريكي", "الرئيس الأمريكي", "person:donald-trump"),
        ("رسالة للرئيس الروسي", "لرئيس الروسي", "person:vladimir-putin"),  # ل + (ا)لرئيس
        ("وللرئيس الروسي", "لرئيس الروسي", "person:vladimir-putin"),
        ("فبوتين", "بوتين", "person:vladimir-putin"),
    ],
)
def test_clitic_forms(finder, text, surface, entity):
    assert (surface, entity) in [(t, e) for t, _, e in found(finder, text)]


def test_longest_match_wins(finder):
    got = found(finder, "الرئيس الأمريكي المنتخب دونالد ترامب", date(2024, 11, 11))
    assert got[0] == ("الرئيس الأمريكي المنتخب", MentionKind.ROLE, "person:donald-trump")
    assert got[1] == ("دونالد ترامب", MentionKind.NAME, "person:donald-trump")
    assert len(got) == 2


def test_no_match_inside_longer_words(finder):
    assert found(finder, "البوتينية والترامبيون وكرملينات") == []
    assert found(finder, "روسياتنا") == []


def test_no_phrase_across_sentences(finder):
    got = found(finder, "وصل فلاديمير. بوتين قال")
    assert got == [("بوتين", MentionKind.SURNAME, "person:vladimir-putin")]


def test_offsets_point_to_original_text_with_marks(finder):
    text = "قالَ وَبُوتِيـــنُ «الرَّئِيسُ الرُّوسِيُّ» لِبِيسْكوف"
    ms = finder.find(text, DAY)
    assert [m.entity_id for m in ms] == [
        "person:vladimir-putin",
        "person:vladimir-putin",
        "person:dmitry-peskov",
    ]
    for m in ms:
        assert text[m.start : m.end] == m.text
    assert ms[0].text == "بُوتِيـــنُ"  # the و and its fatha are left out
    assert ms[2].text == "بِيسْكوف"


def test_surname_links_to_full_name_seen_earlier(finder):
    text = "وصلت ميلانيا ترامب إلى باريس. وقالت ترامب إنها سعيدة"
    ids = [e for _, _, e in found(finder, text)]
    assert ids == ["person:melania-trump", "place:paris", "person:melania-trump"]
    # without a full name, the person who lists the surname as an alias
    assert found(finder, "قال ترامب") == [("ترامب", MentionKind.SURNAME, "person:donald-trump")]


def test_surname_only_unique_in_kb(finder):
    assert found(finder, "أكد لافروف") == [("لافروف", MentionKind.SURNAME, "person:sergey-lavrov")]


def test_latin_names_in_arabic_text(finder):
    assert ("Putin", MentionKind.NAME, "person:vladimir-putin") in found(finder, "من خلال Putin أمس")


def test_places_and_demonyms(finder):
    got = found(finder, "قال الروس في موسكو إن روسيا الاتحادية")
    assert got == [
        ("الروس", MentionKind.DEMONYM, "place:ru"),
        ("موسكو", MentionKind.NAME, "place:moscow"),
        ("روسيا الاتحادية", MentionKind.NAME, "place:ru"),
    ]
    assert [m.entity_type for m in finder.find("موسكو")] == [EntityKind.PLACE]


class FakeNer:
    """Tags the given names as PER wherever they occur (stands in for entities/ner.py)."""

    def __init__(self, *names: str) -> None:
        self.names = names

    def tag_persons(self, text: str, known: object = ()) -> list[tuple[int, int, str]]:
        out = []
        for n in self.names:
            i = text.find(n)
            while i >= 0:
                out.append((i, i + len(n), "PER"))
                i = text.find(n, i + 1)
        return out


def test_unknown_names_from_ner_and_their_surnames():
    kb = load_kb([MINI], builtin=False)
    finder = MentionFinder(kb, ner=FakeNer("أندري غناتوف", "بوتين"))
    text = "عين زيلينسكي الجنرال أندري غناتوف. وقال بوتين إن لغناتوف خبرة، وغناتوف رجل قتال"
    ms = finder.find(text, DAY)
    kinds = [(m.text, m.kind, m.entity_id) for m in ms]
    assert ("أندري غناتوف", MentionKind.NER, "ner:اندري غناتوف") in kinds
    assert ("بوتين", MentionKind.SURNAME, "person:vladimir-putin") in kinds  # KB wins over NER
    assert [m.text for m in ms if m.kind is MentionKind.SURNAME and m.entity_id == "ner:اندري غناتوف"] == [
        "غناتوف",
        "غناتوف",
    ]
    hnatov_en = romanize_name("أندري غناتوف")  # unknown to the KB: the English name is romanized
    assert hnatov_en is not None and hnatov_en.startswith("Andr")
    assert persons_in(ms, kb) == [
        ("فولوديمير زيلينسكي", "Volodymyr Zelensky"),
        ("أندري غناتوف", hnatov_en),
        ("فلاديمير بوتين", "Vladimir Putin"),
    ]


def test_persons_in_skips_places_and_unresolved_roles(finder):
    ms = finder.find("قال وزير الخارجية الفرنسي في موسكو إن بوتين", DAY)
    assert ms[0].kind is MentionKind.ROLE and ms[0].entity_id is None  # nobody holds it in the mini KB
    assert persons_in(ms, finder.kb) == [("فلاديمير بوتين", "Vladimir Putin")]


def test_matcher_alone():
    m: PhraseMatcher[str] = PhraseMatcher()
    m.add("الأمم المتحدة", "un")
    m.add("الأمم", "nations")
    toks, hits = m.scan("وبالأمم المتحدة والأمم")
    assert [(h.payloads, toks.text[h.start : h.end]) for h in hits] == [
        (("un",), "الأمم المتحدة"),
        (("nations",), "الأمم"),
    ]
    assert m.scan("")[1] == []
    assert len(token_line("بُوتِين، الـرئيس").words) == 2


_WORDS = [
    "بوتين",
    "وبوتين",
    "دميتري بيسكوف",
    "الرئيس الروسي",
    "للرئيس الأمريكي",
    "قال",
    "إن",
    "الكرملين",
    "وزير الخارجية الروسي",
    "نظيره الأوكراني",
    "Putin",
    "موسكو",
    "ترامب",
    "لبيسكوف",
]
_SEPS = [" ", "، ", ". ", "\n", " «", "» ", " (", ") ", "ـ"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), max_size=12),
    st.sampled_from([None, date(2024, 1, 26), date(2025, 11, 21)]),
)
def test_mentions_are_sorted_disjoint_and_point_into_text(parts, on):
    text = "".join(w + s for w, s in parts)
    ms = MentionFinder(load_kb([MINI], builtin=False)).find(text, on)
    end = 0
    for m in ms:
        assert m.start >= end and m.end > m.start
        assert text[m.start : m.end] == m.text
        end = m.end


def test_role_next_to_an_unknown_name_is_that_person():
    kb = load_kb([MINI], builtin=False)
    finder = MentionFinder(kb, ner=FakeNer("أندري غناتوف"))
    ms = finder.find("قال المتحدث باسم الكرملين أندري غناتوف إن", DAY)
    assert [m.entity_id for m in ms] == ["ner:اندري غناتوف", "ner:اندري غناتوف"]
    assert persons_in(ms, kb) == [("أندري غناتوف", romanize_name("اندري غناتوف"))]


def test_short_surnames_need_the_full_name_first():
    kb = kb_from_texts([("k.yaml", "entities: [{id: person:c-wray, type: person, name_ar: كريستوفر راي}]")])
    finder = MentionFinder(kb)
    assert finder.find("ورأى أن الأمر صعب") == []  # راي is also the normalized رأى
    ms = finder.find("قال كريستوفر راي أمس. وأضاف راي")
    assert [m.kind for m in ms] == [MentionKind.NAME, MentionKind.SURNAME]


def test_surnames_that_are_common_words_or_given_names():
    kb = kb_from_texts(
        [
            (
                "k.yaml",
                """
entities:
  - {id: person:liz-truss, type: person, name_ar: ليز تراس}
  - {id: person:king-willem, type: person, name_ar: فيليم ألكسندر}
  - {id: person:alexander-novak, type: person, name_ar: ألكسندر نوفاك}
  - {id: person:charles-iii, type: person, name_ar: تشارلز الثالث}
""",
            )
        ]
    )
    finder = MentionFinder(kb)
    assert finder.find("ترأس الاجتماع وزير") == []  # hamza: a verb, not Truss
    assert [m.entity_id for m in finder.find("قالت تراس")] == ["person:liz-truss"]
    assert finder.find("وصل ألكسندر أمس") == []  # a given name of someone else too
    assert finder.find("القرن الثالث") == []
    ms = finder.find("قال فيليم ألكسندر إن. وأضاف ألكسندر")
    assert [m.entity_id for m in ms] == ["person:king-willem", "person:king-willem"]


def test_arab_surnames_without_article_need_the_full_name():
    kb = kb_from_texts(
        [
            (
                "k.yaml",
                """
countries: [{code: SY, name_ar: سوريا, name_en: Syria}]
entities:
  - {id: person:anas-khattab, type: person, name_ar: أنس خطاب, country: SY}
  - {id: person:bashar-assad, type: person, name_ar: بشار الأسد, country: SY}
""",
            )
        ]
    )
    finder = MentionFinder(kb)
    assert finder.find("في خطاب متلفز") == []
    assert [m.entity_id for m in finder.find("قال الأسد")] == ["person:bashar-assad"]
    assert [m.entity_id for m in finder.find("قال أنس خطاب. وأضاف خطاب")] == ["person:anas-khattab"] * 2


SEEDS = Path("/work/shared/seeds")


@pytest.mark.data
@pytest.mark.skipif(
    not (SEEDS / "gold.json").is_file(), reason="seed gold labels not found in ../shared/seeds"
)
def test_seed_persons_recall_with_builtin_kb():
    """Every gold person that the shipped KB knows is found in its seed article (main part)."""
    import json

    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    kb = load_kb()
    finder = MentionFinder(kb)
    found = total = 0
    for doc in gold["documents"]:
        text = (SEEDS / doc["file"]).read_text(encoding="utf-8").split("إقرأ أيضاً")[0]
        article = doc["articles"][0]
        on = date.fromisoformat(article["date"]) if article.get("date") else None
        names = {en for _, en in persons_in(finder.find(text, on), kb)}
        for person in article["persons"]:
            if kb.find(person):
                total += 1
                found += person in names
    assert total and found / total >= 0.9, (found, total)
