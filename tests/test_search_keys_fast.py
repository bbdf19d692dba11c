"""The index's word keys take shortcuts (a regex pre-check for spelling variants, the stemmer without a
second normalisation): they must equal the keys computed the plain way, word for word."""

from marsad.entities.variants import SPELLING_PAIRS, spelling_variants
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import clitic_variants, iter_words, light_stem, strip_clitics
from marsad.search.analysis import _AMBIGUOUS_PROCLITICS, SearchKeys, WordKeys, canonical

TEXT = (
    "قال المتحدث باسم الخارجية الأميركية إن الولايات المتحدة والأمريكيين يرفضون بيان زيلنسكي وزيلينسكي، "
    "وأكد لبوتين وللرئيس ديمتري ودميتري أن المفاوضات ستستمر في موسكو وبالعاصمة كييف يوم 12 مارس 2024. "
    "The statement ﻻ ﺑﻴﺎﻥ وَالْمُسْتَشْفَيَاتُ فالمستشفيات كالمدرسين"
)


def _plain_canonical(word: str) -> str:
    if not any(a in word or b in word for a, b in SPELLING_PAIRS):
        return word
    variants = spelling_variants(word)
    return min(variants) if len(variants) > 1 else word


def _plain_keys(word: str, names: frozenset[str]) -> WordKeys:
    exact = _plain_canonical(strip_clitics(word))
    if exact not in names and word[:1] in _AMBIGUOUS_PROCLITICS:
        for reading in clitic_variants(word)[1:]:
            if _plain_canonical(reading) in names:
                exact = _plain_canonical(reading)
                break
    stem = _plain_canonical(light_stem(_plain_canonical(word)))
    name = exact in names or (
        len(exact) > 3 and exact[0] in _AMBIGUOUS_PROCLITICS and not stem.startswith(exact[0])
    )
    return WordKeys(exact, stem, name)


def test_fast_keys_equal_plain_keys() -> None:
    names = frozenset({"بوتين", "زيلنسكي", "موسكو"})
    keys = SearchKeys(names)
    words = [normalize_text(w) for w, _, _ in iter_words(TEXT)]
    assert len(words) > 30
    variant_words = [w for w in words if _plain_canonical(w) != w]
    assert variant_words  # the text exercises the variant folding
    for w in words:
        assert canonical(w) == _plain_canonical(w), w
        assert keys.keys(w) == _plain_keys(w, names), w
