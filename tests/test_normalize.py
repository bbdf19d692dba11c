import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.normalize import arabic, tokens
from marsad.normalize.arabic import clean_text, normalize_text
from marsad.normalize.language import detect_language
from marsad.normalize.tokens import clitic_variants, light_stem, strip_clitics, tokenize, word_stream

arabic_text = st.text(
    alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
    | st.sampled_from(list(' \n\t"“”«».،0123456789ـ\u200f\u200b\ufeffABCabc')),
    max_size=200,
)


def test_folds_letter_variants() -> None:
    assert normalize_text("الأَميركيّ") == normalize_text("الاميركي")
    assert normalize_text("إسطنبول") == "اسطنبول"
    assert normalize_text("مصطفى") == normalize_text("مصطفي")
    assert normalize_text("الرئاسة") == "الرياسه"  # ta marbuta and hamza on a seat fold for keys
    assert normalize_text("الكرملــــين") == "الكرملين"  # tatweel


def test_quote_marks_digits_and_controls() -> None:
    assert normalize_text("«نعم» “لا” „ربما“") == '"نعم" "لا" "ربما"'
    assert normalize_text("عام ٢٠٢٤ و۲۰۲۵") == "عام 2024 و2025"
    assert normalize_text("بو\u200fتين\u200b") == "بوتين"
    assert normalize_text("\ufeffسلام") == "سلام"


def test_presentation_forms_are_mapped_to_letters() -> None:
    assert normalize_text("ﻻ ﺑﻮﺗﻴﻦ") == "لا بوتين"


def test_clean_text_keeps_what_readers_see() -> None:
    s = "قالَ «بيسكوف»\u200f:\r\nنعم"
    assert clean_text(s) == "قالَ «بيسكوف»:\nنعم"


# every character the key table deletes or folds, presentation forms, Unicode spaces and line breaks
table_text = st.text(
    alphabet=st.sampled_from(sorted({chr(k) for k in arabic._KEY_TABLE}))
    | st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
    | st.sampled_from(list("ﻻﺑﻮﺗﻴﻦﷲﷺ \n\r\x0b\x1c\x85\u2028\u3000AbÉ")),
    max_size=60,
)


@given(table_text)
def test_short_texts_get_the_same_key_as_long_ones(s: str) -> None:
    # the memoised one-translate path for words must agree with the regex-and-replace path for texts
    assert arabic._normalize_short(s) == arabic._normalize_long(s, False)
    assert normalize_text(s) == arabic._normalize_long(s, False)
    assert normalize_text(s) == normalize_text(s)  # from the memo the second time


def test_short_keys_are_memoised_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arabic, "_SHORT_KEYS", {})
    monkeypatch.setattr(arabic, "_SHORT_KEYS_MAX", 3)
    for w in ("الأمير", "إسطنبول", "مصطفى", "الكرملــــين"):
        normalize_text(w)
    assert len(arabic._SHORT_KEYS) <= 3
    assert normalize_text("مصطفى") == "مصطفي"
    long = "قال " * 20  # over SHORT_TEXT: not memoised
    assert normalize_text(long) == " ".join(["قال"] * 20)
    assert long not in arabic._SHORT_KEYS


@given(arabic_text)
def test_normalize_is_idempotent(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once


@given(arabic_text)
def test_normalize_output_has_no_marks(s: str) -> None:
    out = normalize_text(s)
    assert not any(0x064B <= ord(c) <= 0x065F or c in "ـأإآىة«»“”\u200f\ufeff" for c in out)


@given(arabic_text)
def test_tokens_point_into_the_original(s: str) -> None:
    for t in tokenize(s):
        assert normalize_text(s[t.start : t.end]) == t.text


def test_clitics() -> None:
    assert strip_clitics(normalize_text("والرئيس")) == "رييس"
    assert strip_clitics(normalize_text("للرئيس")) == "رييس"
    assert strip_clitics("وزيلينسكي") == "زيلينسكي"
    # names that begin with clitic letters are left alone
    assert strip_clitics("بوتين") == "بوتين"
    assert strip_clitics("فلسطين") == "فلسطين"
    assert strip_clitics("وليد") == "وليد"
    assert "بيسكوف" in clitic_variants("لبيسكوف")
    assert "امريكي" in clitic_variants("والامريكي")


def test_stem_groups_inflections_but_surface_is_kept() -> None:
    assert light_stem("المفاوضات") == light_stem("للمفاوضات") == light_stem("مفاوضات")
    assert light_stem("الامريكيين") == light_stem("والامريكيين")
    assert strip_clitics("بوتين") == "بوتين"  # the surface form used for names


def test_language() -> None:
    assert detect_language("قال المتحدث باسم الكرملين إن الاتصالات مستمرة") == "ar"
    assert detect_language("The Kremlin spokesman said contacts continue with Washington") == "en"
    assert detect_language("123 456") is None


mixed_text = st.text(
    alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
    | st.sampled_from(list("ﻻﺑﻮﺗﻴﻦﷲﷺﬁＡ² \n\t.،«»\u200f\u0640ءAbc12")),
    max_size=120,
)


@given(mixed_text)
def test_the_shared_word_stream_gives_the_quote_reader_its_own_tokens(s: str) -> None:
    from marsad.quotes.text import _tokenize

    ws = word_stream(s)
    assert len(ws.words) == len(ws.starts) == len(ws.ends)
    if ws.per_word:  # then each word is the key of its own span, as the quote reader keys them
        assert ws.words == [normalize_text(s[a:b]) for a, b in zip(ws.starts, ws.ends, strict=True)]
    assert _tokenize(s) == tokenize(s)  # from the stream, or word by word after NFKC


@given(st.text(alphabet=st.sampled_from(list("بوتينـ\u064e\u0651_12a ,.\n«")), max_size=40))
def test_words_of_a_text_without_underscores_are_cut_by_the_plain_class_alike(s: str) -> None:
    plain = [m.span() for m in tokens.WORD_RE.finditer(s)]
    if "_" not in s:
        assert [m.span() for m in tokens.WORD_RE_NO_UNDERSCORE.finditer(s)] == plain
    ws = tokens._cut(s)
    assert list(zip(ws.starts, ws.ends, strict=True)) == [(a, b) for a, b in plain if normalize_text(s[a:b])]


def test_word_stream_is_cut_once_per_recent_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "_RECENT", ())
    body, title = "قال الرئيسُ الأمريكي إن المحادثات مستمرة", "عنوان الخبر"
    first = word_stream(body)
    word_stream(title)
    assert word_stream(body) is first  # the entity stage's cut, reused by the quote reader
    assert word_stream("".join(list(body))) is first  # an equal text, not only the same object
    for k in range(5):
        word_stream(f"نص {k}")
    assert len(tokens._RECENT) <= tokens._RECENT_SIZE and word_stream(body) is not first
    assert (
        word_stream(body).words == first.words == ["قال", "الرييس", "الامريكي", "ان", "المحادثات", "مستمره"]
    )
    assert word_stream("ﻻ بد").per_word is False and word_stream("لا بد").per_word is True
