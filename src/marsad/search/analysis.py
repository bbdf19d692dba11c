"""Words → index keys, shared by indexing, query parsing and highlighting so all three agree.

Every word gets two keys:

* ``exact``: normalized, article/conjunction clitics removed, spelling variant folded to one canonical
  form (أميركي and أمريكي both become one key). Names are matched on this key only.
* ``stem``: the light stem of the same word, for recall across inflections (رئيس ↔ رؤساء is out of
  reach, but رئيسه, الرئيسية … are in).

A bare one-letter proclitic (ب ف ل ك) is ambiguous (بوتين, فلسطين), so ``strip_clitics`` keeps it; here
it is removed only when what remains is a known name word (لبوتين → بوتين), so names keep their
clitic forms without damaging ordinary words.

A query word is a *name* — exact key only, never the stem — when it is a word of a KB name (every word
of a person's names and aliases, and one-word names of places and organisations), or when the stemmer
would cut a leading ب ف ل ك و that clitic stripping deliberately kept (بوتين → وتين, ويتكوف → يتكوف):
that is the signature of a foreign name read as a clitic, and its stem would match unrelated words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from marsad.entities.kb import KnowledgeBase
from marsad.entities.variants import SPELLING_PAIRS, spelling_variants
from marsad.model import EntityKind
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import (
    ARABIC_STOPWORDS,
    clitic_variants,
    iter_words,
    light_stem_fast,
    strip_clitics,
)

_AMBIGUOUS_PROCLITICS = frozenset("بفلكو")
# Words of text that went through normalize_text (no harakat left, so a plain \w run is a word).
_NORM_WORD = re.compile(r"[^\W_]+")
# Any side of a spelling pair: one regex search instead of a generator over the pairs per word.
_VARIANT_PART = re.compile("|".join(re.escape(x) for pair in SPELLING_PAIRS for x in pair))


@lru_cache(maxsize=250_000)
def canonical(word: str) -> str:
    """One spelling for all known variants of a normalized word (أميركي/أمريكي → the smaller)."""
    # cheap pre-check on the variant table: spelling_variants normalizes its input again, which dominates a cold index build
    if _VARIANT_PART.search(word) is None:
        return word
    variants = spelling_variants(word)
    return min(variants) if len(variants) > 1 else word


@dataclass(frozen=True, slots=True)
class WordKeys:
    exact: str
    stem: str
    name: bool  # match on ``exact`` only


# Titles and ordinals that KB aliases carry ("الرئيس أردوغان", "الملك كارل السادس عشر"): ordinary words.
_NOT_NAMES = frozenset(
    normalize_text(w)
    for w in [
        "رئيس",
        "ملك",
        "ملكة",
        "امير",
        "اميرة",
        "شيخ",
        "شيخة",
        "سلطان",
        "سيد",
        "سيدة",
        "ولي",
        "عهد",
        "حاكم",
        "نائب",
        "وزير",
        "زعيم",
        "قائد",
        "مرشد",
        "امين",
        "عام",
        "جنرال",
        "دكتور",
        "بابا",
        "اول",
        "ثاني",
        "ثالث",
        "رابع",
        "خامس",
        "سادس",
        "سابع",
        "ثامن",
        "تاسع",
        "عاشر",
        "عشر",
        "حادي",
    ]
)


def _words_of(phrase: str) -> list[str]:
    return [canonical(strip_clitics(w)) for w, _, _ in iter_words(normalize_text(phrase))]


def kb_name_words(kb: KnowledgeBase) -> frozenset[str]:
    """Canonical exact keys of the words that make up KB names (see the module docstring).

    Words of office phrases ("وزير الخارجية الأمريكي"), demonyms and titles are ordinary vocabulary even
    when a multi-word alias contains them, so they keep their stems; a one-word name or alias is a name.
    """
    common: set[str] = set(_NOT_NAMES) | set(ARABIC_STOPWORDS)
    for office in kb.offices():
        for phrase in (office.title_ar, *office.phrases):
            common.update(_words_of(phrase))
    for c in kb.countries():
        for d in (c.demonym_m, c.demonym_f, *c.demonym_pl):
            if d:
                common.update(_words_of(d))
    out: set[str] = set()
    titles = set(_NOT_NAMES) | set(ARABIC_STOPWORDS)
    for ent in kb.entities():
        for name in (ent.name_ar, *ent.aliases):
            words = _words_of(name)
            if len(words) == 1:  # "ترامب", "موسكو": a name even where an office phrase uses it
                out.update(w for w in words if len(w) > 1 and w not in titles)
            elif ent.kind == EntityKind.PERSON:
                out.update(w for w in words if len(w) > 1 and w not in common)
    return frozenset(out)


class SearchKeys:
    """Maps normalized words to :class:`WordKeys`; one per KB, cached per word."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        # A word's keys with the caches under them (clitics, variants, stem) hold ~800 B: 1M words were
        # ~800 MB in a large index build; 250k most recently used keep the Zipfian head of any archive.
        self._keys = lru_cache(maxsize=250_000)(self._compute)
        self._raw = lru_cache(maxsize=200_000)(self._compute_raw)

    def keys(self, norm_word: str) -> WordKeys:
        """Keys of an already normalized word."""
        return self._keys(norm_word)

    def _compute(self, word: str) -> WordKeys:
        if not word:  # a "word" that normalizes to nothing (a lone hamza): matches nothing
            return WordKeys("", "", True)
        exact = canonical(strip_clitics(word))
        if exact not in self.names and word[:1] in _AMBIGUOUS_PROCLITICS:
            for reading in clitic_variants(word)[1:]:
                cand = canonical(reading)
                if cand in self.names:
                    exact = cand
                    break
        stem = canonical(light_stem_fast(canonical(word)))  # exactly light_stem, cheaper
        name = exact in self.names or (
            len(exact) > 3 and exact[0] in _AMBIGUOUS_PROCLITICS and not stem.startswith(exact[0])
        )
        return WordKeys(exact, stem, name)

    def raw_keys(self, word: str) -> WordKeys:
        """Keys of a word as written in the original text (highlighting), cached per spelling."""
        return self._raw(word)

    def _compute_raw(self, word: str) -> WordKeys:
        return self._keys(normalize_text(word))

    def fields(self, texts: Iterable[str]) -> tuple[str, str]:
        """Space-joined exact and stem keys of ``texts``, ready for a whitespace tokenizer.

        The hot loop of indexing: normalize each text once, split with one ``findall`` and look each
        word up in the cache (about 0.5 µs a word once the vocabulary is warm).
        """
        keys = self._keys
        found = [keys(w) for text in texts for w in _NORM_WORD.findall(normalize_text(text))]
        return " ".join([k.exact for k in found]), " ".join([k.stem for k in found])
