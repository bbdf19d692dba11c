"""English names for people the knowledge base does not know (marsad.entities.romanize, quotes.english)."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.entities.link import MentionFinder, ner_name_en
from marsad.entities.romanize import (
    LM_END,
    LM_ORDER,
    LM_PAD,
    CharModel,
    Romanizer,
    contexts,
    default_romanizer,
    romanize_name,
)
from marsad.export import write_export
from marsad.model import Article, SourceRef, Speaker, SpeakerKind
from marsad.pipeline import ArticleAnalyzer, name_lookup
from marsad.quotes import default_lexicon
from marsad.quotes.english import english_name
from marsad.store import open_store


class _OneName:
    """A tagger double that finds one unknown person wherever the text names them."""

    def __init__(self, name: str) -> None:
        self.name = name

    def tag_persons(self, text: str, known: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
        s = text.find(self.name)
        return [(s, s + len(self.name), "PER")] if s >= 0 else []


def _toy(table: dict[str, str], chunks: dict[str, str] | None = None) -> Romanizer:
    return Romanizer(table, CharModel.parse(chunks or {}, {}), overrides={})


# ---- the rules of Arabic names, on a table of our own ----------------------------------------------


def test_article_is_glued_as_al_and_capitalised_when_it_opens_the_name() -> None:
    rom = _toy({"سالم": "salem", "مطيري": "mutairi"})
    assert rom.name("سالم المطيري") == "Salem al-Mutairi"
    assert rom.name("المطيري") == "Al-Mutairi"


def test_name_particles() -> None:
    rom = _toy(
        {"فهد": "fahd", "ناصر": "nasser", "سعود": "saud", "عزيز": "aziz", "بكر": "bakr", "كريم": "karim"}
    )
    assert rom.name("فهد بن ناصر آل سعود") == "Fahd bin Nasser Al Saud"
    assert rom.name("عبد العزيز بن فهد") == "Abdulaziz bin Fahd"
    assert rom.name("عبدالعزيز") == "Abdulaziz"  # glued or not, one word
    assert rom.name("أبو بكر") == "Abu Bakr"
    assert rom.name("ابن ناصر") == "Ibn Nasser"
    assert rom.name("عبد الكريم") == "Abdulkarim"


def test_allah_and_din_compounds_are_one_word() -> None:
    rom = _toy({"نصر": "nasr", "نور": "nour"})
    assert rom.name("نصر الله") == "Nasrallah"
    assert rom.name("نور الدين") == "Nouruddin"


def test_a_name_of_the_table_spelled_al_keeps_its_al() -> None:
    # normalization turns ألبرتو into البرتو; the table spells it whole, so it is no article + "برتو"
    rom = _toy({"البرتو": "alberto", "سانشيز": "sanchez"})
    assert rom.name("ألبرتو سانشيز") == "Alberto Sanchez"


def test_unseen_tokens_go_to_the_character_model() -> None:
    chunks = {"ك": "k=1", "ر": "r=1", "م": "m=1", "^|ك|": "ka=3,k=1", "|ر|ي": "ri=2"}
    rom = Romanizer({}, CharModel.parse(chunks, {}, weight=0.0), overrides={})
    assert rom.name("كريم") == "Karim"  # ك→ka (after the start), ر before ي → ri, ي → nothing, م → m
    assert contexts("كريم", 0)[0] == "^^|ك|ر"


def test_the_latin_letter_model_puts_in_the_vowels_arabic_does_not_write() -> None:
    chunks = {"ك": "k=1", "ر": "r=1", "م": "m=1", "^|ك|": "k=3,ka=2", "ي": "i=1"}
    lm: Counter[str] = Counter()
    for word in ("karim", "kamal", "kasim", "rami"):
        padded = LM_PAD + word + LM_END
        for n in range(1, LM_ORDER + 1):
            lm.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    plain = Romanizer({}, CharModel.parse(chunks, {}, weight=0.0), overrides={})
    with_lm = Romanizer({}, CharModel.parse(chunks, dict(lm), weight=1.0), overrides={})
    assert plain.name("كريم") == "Krim"  # the likelier chunk alone
    assert with_lm.name("كريم") == "Karim"  # "kr" is no start of a Latin name the model has seen


def test_latin_or_empty_input_has_nothing_to_spell() -> None:
    assert romanize_name("Donald Trump") is None
    assert romanize_name("") is None
    assert romanize_name("  ، . ") is None
    assert romanize_name("123") is None


# ---- the shipped table and model --------------------------------------------------------------------


def test_shipped_romanizer_spells_common_and_foreign_names() -> None:
    assert romanize_name("محمد بن عبدالله الشمري") == "Mohammed bin Abdullah al-Shammari"
    assert romanize_name("جون سميث") == "John Smith"
    assert romanize_name("السيد جون سميث") == "John Smith"  # the honorific is not part of the name
    assert romanize_name("ماجد القحطاني") == "Majed al-Qahtani"
    assert len(default_romanizer().table) > 40_000


def test_spelling_does_not_depend_on_hamza_diacritics_or_tatweel() -> None:
    assert romanize_name("أحمد الزهراني") == romanize_name("احمد الزهراني") == romanize_name("أَحْمَد الزهـراني")


def test_an_unknown_person_has_one_english_name_everywhere() -> None:
    # the ner id is the normalized name: two articles spelling it with and without hamza share it
    a = ner_name_en("ner:اسامه العتيبي")
    assert a is not None and " al-" in a
    assert (
        Romanizer(default_romanizer().table, default_romanizer().model, overrides={}).name("أسامة العتيبي")
        == a
    )
    assert ner_name_en("person:putin") is None and ner_name_en(None) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_name_or_none(text: str) -> None:
    out = romanize_name(text)
    assert out is None or (out.strip() == out and out)
    assert default_romanizer().name(text) == out  # the same, and never an exception


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويةىءأإآؤئ ", min_size=1, max_size=40))
def test_arabic_letters_are_always_spelled_in_latin(text: str) -> None:
    out = romanize_name(text)
    assert out is None or all(c.isascii() for c in out)


# ---- speakers -------------------------------------------------------------------------------------


def test_english_name_of_speakers() -> None:
    lex = default_lexicon()
    named = Speaker(text="مبارك العصيمي", kind=SpeakerKind.PERSON, name_ar="مبارك العصيمي")
    assert (english_name(named, lex) or "").startswith("Mubarak al-")
    title = Speaker(text="المتحدث باسم الوزارة", kind=SpeakerKind.PERSON, name_ar="المتحدث باسم الوزارة")
    assert english_name(title, lex) is None
    org = Speaker(text="وزارة الصحة", kind=SpeakerKind.ORGANIZATION, name_ar="وزارة الصحة")
    assert english_name(org, lex) is None
    ner = Speaker(text="جون سميث", kind=SpeakerKind.PERSON, entity_id="ner:جون سميث", name_ar="جون سميث")
    assert english_name(ner, lex) == "John Smith"
    kb = Speaker(text="بوتين", kind=SpeakerKind.PERSON, entity_id="person:nobody", name_ar="بوتين")
    assert english_name(kb, lex) is None  # a KB id: the KB's English name or none


@pytest.mark.slow  # the KB and the analysis: about 2 s
def test_export_names_an_unknown_speaker_and_person_in_english(tmp_path: Path) -> None:
    body = (
        "قال المتحدث باسم نادي الصقور سالم المطيري إن الفريق سيعود أقوى في الموسم المقبل.\n"
        "وأضاف جون سميث أن «التدريبات ستبدأ الأسبوع المقبل»."
    )
    art = Article(
        id="roman01",
        source=SourceRef(origin="/tmp/roman/1.txt"),
        title="نادي الصقور يستعد",
        body=body,
        published=datetime(2025, 9, 5, 10, 0),
        content_hash="roman01",
    )
    analyzer = ArticleAnalyzer(use_ner=False)
    analyzer._finder = MentionFinder(analyzer.kb, ner=_OneName("جون سميث"))  # the tagger finds one name
    done = analyzer(art)
    st_ = open_store(str(tmp_path / "r.db"))
    try:
        st_.put_articles([done])
        out = io.StringIO()
        write_export(st_, "jsonl", out, names=name_lookup(None))
    finally:
        st_.close()
    [rec] = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    speakers = {q["speaker"]["name"]: q["speaker"]["name_en"] for q in rec["quotes"] if q["speaker"]}
    assert speakers.get("سالم المطيري", "").startswith("Salem al-")
    assert speakers.get("جون سميث") == "John Smith"
    assert {"name": "جون سميث", "name_en": "John Smith", "id": "ner:جون سميث"} in rec["persons"]


def test_equally_frequent_spellings_go_to_the_english_consonants() -> None:
    # the table's tie-break (scripts/build_romanizer.py): ق as q, ش as sh when counts are level
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_romanizer.py"
    spec = importlib.util.spec_from_file_location("build_romanizer", path)
    assert spec is not None and spec.loader is not None
    br = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(br)
    pairs = [("قصاب", "kassab", 2), ("قصاب", "qassab", 2), ("شلبي", "chalabi", 1), ("شلبي", "shalabi", 1)]
    pairs += [("نمر", "nimr", 3), ("نمر", "namr", 1)]  # a more frequent spelling still wins
    assert br.build_table(pairs) == {"قصاب": "qassab", "شلبي": "shalabi", "نمر": "nimr"}
