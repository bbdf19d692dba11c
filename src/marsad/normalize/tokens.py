"""Tokens for matching: clitic splitting and a light stemmer.

Arabic glues conjunctions, prepositions and the article to the word (والرئيس = و + ال + رئيس). For
matching we split those clitics off; for recall across inflections we add a light stem. Stemmers mangle
proper names (بوتين → بوت), so callers always get the normalized surface form *and* the stem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from marsad.normalize.arabic import has_presentation_forms, normalize_text

# Harakat and Quranic marks are not \w in Python: without them in the class, "بُوتِين" would split into
# three words.
WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])*", re.UNICODE)
# The same words in a text without "_" (the one \w character a word may not hold): one character class
# after the first letter, which the regex engine scans without trying two alternatives at every letter
# (a body is cut in 60% of the time).
WORD_RE_NO_UNDERSCORE = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]*")

# Longest first. Chains that contain the article are unambiguous; a bare one-letter clitic (ب ف ل ك) is
# not (بوتين, فلسطين, كركوك), so strip_clitics only removes the conjunction و from long words and leaves
# the rest to clitic_variants, which dictionary lookups use to try every reading.
_ARTICLE_CHAINS = (
    "وبال",
    "وكال",
    "فبال",
    "فكال",
    "وفال",
    "فال",
    "وال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
)
_SINGLE = ("و", "ف", "ب", "ل", "ك")

ARABIC_STOPWORDS = frozenset(
    normalize_text(w)
    for w in [
        "في",
        "من",
        "على",
        "إلى",
        "الى",
        "عن",
        "مع",
        "أن",
        "ان",
        "إن",
        "لا",
        "ما",
        "لم",
        "لن",
        "قد",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "التي",
        "الذي",
        "الذين",
        "اللذين",
        "هو",
        "هي",
        "هم",
        "كان",
        "كانت",
        "يكون",
        "أو",
        "او",
        "ثم",
        "كما",
        "بعد",
        "قبل",
        "عند",
        "حتى",
        "بين",
        "خلال",
        "منذ",
        "لكن",
        "لكنه",
        "ولكن",
        "إذا",
        "اذا",
        "أي",
        "كل",
        "بعض",
        "غير",
        "حول",
        "ضد",
        "عبر",
        "نحو",
        "وقد",
        "وفي",
        "ومن",
        "وعلى",
        "وأن",
        "وإن",
        "وهو",
        "وهي",
        "وكان",
        "وقال",
        "قال",
        "أيضا",
        "ايضا",
        "فقط",
        "حيث",
        "أما",
        "اما",
        "إنه",
        "انه",
        "أنه",
        "بأن",
        "بان",
        "له",
        "لها",
        "لهم",
        "به",
        "بها",
        "فيه",
        "فيها",
        "منه",
        "منها",
        "عليه",
        "عليها",
        "إليه",
        "اليه",
        "التى",
        "الى",
        "يوم",
        "اليوم",
        "امس",
        "أمس",
    ]
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # normalized surface form
    start: int  # offsets in the string that was tokenized
    end: int


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """Words of ``text`` with their offsets (no normalization)."""
    for m in WORD_RE.finditer(text):
        yield m.group(), m.start(), m.end()


@dataclass(frozen=True, slots=True)
class WordStream:
    """The words of one text, normalized, with their offsets: cut once per text and shared by the stages
    that read it word by word (the dictionary matcher, the quote reader)."""

    text: str
    words: list[str]  # normalized; words that normalize to nothing are left out
    starts: list[int]  # offsets of each word in ``text``
    ends: list[int]
    # every word is ``normalize_text`` of its own span (not so only after NFKC of a text with
    # presentation forms, which may differ from the words' own; ``words`` then follow the matcher's rule)
    per_word: bool


_RECENT: tuple[WordStream, ...] = ()  # the last texts cut: an article's body, its title, ...
_RECENT_SIZE = 3


def word_stream(text: str) -> WordStream:
    """:class:`WordStream` of ``text``; the last few are kept, so that the analysis cuts and normalizes a
    body once for all its stages (entities, then the title's entities, then quotes)."""
    global _RECENT
    recent = _RECENT
    for ws in recent:
        if ws.text is text or ws.text == text:
            return ws
    ws = _cut(text)
    _RECENT = (ws, *recent[: _RECENT_SIZE - 1])
    return ws


def _cut(text: str) -> WordStream:
    """All words normalized in *one* ``normalize_text`` call (joined by NUL, which the normalizer keeps)."""
    rx = WORD_RE if "_" in text else WORD_RE_NO_UNDERSCORE
    spans = [m.span() for m in rx.finditer(text)]
    raw = [text[s:e] for s, e in spans]
    joined = normalize_text("\x00".join(raw))
    words = joined.split("\x00") if raw else []
    if len(words) != len(raw) or " " in joined:  # NFKC expanded a ligature oddly: word by word
        words = [normalize_text(w).replace(" ", "") for w in raw]
    if "" in words:  # a lone hamza or tatweel: nothing left to match
        keep = [i for i, w in enumerate(words) if w]
        words = [words[i] for i in keep]
        spans = [spans[i] for i in keep]
    return WordStream(
        text, words, [s for s, _ in spans], [e for _, e in spans], not has_presentation_forms(text)
    )


def tokenize(text: str) -> list[Token]:
    """Normalized word tokens with offsets into ``text``.

    Normalization never changes the length of a single word except by deleting marks, so each token is
    normalized on its own and offsets stay those of the original string.
    """
    out = []
    for word, s, e in iter_words(text):
        norm = normalize_text(word)
        if norm:
            out.append(Token(norm, s, e))
    return out


@lru_cache(maxsize=200_000)
def strip_clitics(word: str) -> str:
    """Remove the unambiguous proclitics of a *normalized* word: article chains (وال، بال، لل …), and a
    leading و when at least four letters remain (والرئيس → رييس, وزيلينسكي → زيلينسكي, وليد stays)."""
    for p in _ARTICLE_CHAINS:
        if word.startswith(p) and len(word) - len(p) >= 2:
            return word[len(p) :]
    if word.startswith("و") and len(word) >= 5 and not word.startswith("وو"):
        return word[1:]
    return word


@lru_cache(maxsize=1 << 18)
def clitic_variants(word: str) -> tuple[str, ...]:
    """The word and each shorter reading after removing a proclitic chain (for dictionary lookups)."""
    seen = [word]
    for p in _ARTICLE_CHAINS + _SINGLE:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p) :]
            if rest not in seen:
                seen.append(rest)
            if p in _SINGLE:
                for q in _ARTICLE_CHAINS:
                    if rest.startswith(q) and len(rest) - len(q) >= 2 and rest[len(q) :] not in seen:
                        seen.append(rest[len(q) :])
    return tuple(seen)


class LightStemmer:
    """Snowball Arabic (PyStemmer, C speed) after our own proclitic split.

    Chosen by ``bench/stemmers.py``: PyStemmer is two orders of magnitude faster than Tashaphyne and
    ARLSTem2 on ANT text; Snowball alone keeps the conjunction و on (والرئيس → والرييس), so clitics are
    removed first.
    """

    def __init__(self) -> None:
        self._snow = Stemmer.Stemmer("arabic")
        self._snow.maxCacheSize = 200_000

    def stem(self, word: str) -> str:
        base = strip_clitics(word)
        if len(base) <= 3:
            return base
        st: str = self._snow.stemWord(base)
        return normalize_text(st) or base

    def stems(self, words: list[str]) -> list[str]:
        return [self.stem(w) for w in words]


_STEMMER: LightStemmer | None = None


def light_stem(word: str) -> str:
    """Stem of a normalized word (module-level shared stemmer)."""
    global _STEMMER
    if _STEMMER is None:
        _STEMMER = LightStemmer()
    return _STEMMER.stem(word)


# Characters normalize_text leaves as they are (plain Arabic letters, lowercase ASCII letters and digits):
# a stem made only of these needs no second normalization.
_NORMALIZED_CHARS = frozenset("ابتثجحخدذرزسشصضطظعغفقكلمنهويabcdefghijklmnopqrstuvwxyz0123456789")


def light_stem_fast(word: str) -> str:
    """Exactly :func:`light_stem`, skipping the re-normalization of the stem when it cannot change it
    (hot loops stem every new word of a stream; ``normalize_text`` of a short word dominates the cost)."""
    global _STEMMER
    if _STEMMER is None:
        _STEMMER = LightStemmer()
    base = strip_clitics(word)
    if len(base) <= 3:
        return base
    st: str = _STEMMER._snow.stemWord(base)
    if st and _NORMALIZED_CHARS.issuperset(st):
        return st
    return normalize_text(st) or base


def index_terms(text: str) -> list[str]:
    """Words of ``text`` reduced to their clitic-free normalized forms, punctuation dropped."""
    return [strip_clitics(w) for w, _, _ in iter_words(normalize_text(text))]
