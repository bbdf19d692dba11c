"""English names for the speakers the knowledge base does not know (``Speaker.name_en``).

A KB speaker keeps the KB's English name. A person found only by the tagger (``ner:…`` id) is spelled from
the id, so every article that names them gets the same English name; a person the quote reader named
without any mention (``مبارك العصيمي`` after a title) is spelled from that name, when it reads as one: no
title, head word, cue or function word in it, and a one-word name only if it is a listed name word.
An institution or unnamed source the KB does not name is rendered in English word by word when every word
is known (``data/speaker_english.yaml``, the KB's country adjectives and its places and organisations):
"وزارة العمل" → "Ministry of Labour", "مصدر دبلوماسي تركي" → "Turkish diplomatic source"; a lone head word
("الوزارة") names nobody and gets none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from marsad.data import load_yaml, resource_path
from marsad.entities.kb import KnowledgeBase
from marsad.entities.link import ner_name_en
from marsad.entities.romanize import HONORIFICS, romanize_name
from marsad.model import EntityKind, Quote, Speaker, SpeakerKind
from marsad.normalize.arabic import normalize_text
from marsad.quotes.cues import Lexicon
from marsad.quotes.speakers import COMPLEMENTIZERS, STOP_WORDS, TIME_WORDS, given_names

_MAX_WORDS = 6


def english_name(sp: Speaker, lex: Lexicon) -> str | None:
    """The English name of a person speaker the KB does not name, or None."""
    if sp.kind is not SpeakerKind.PERSON or sp.name_en:
        return sp.name_en
    if sp.entity_id is not None:
        return ner_name_en(sp.entity_id)  # None for a KB entity without one: the KB is the authority
    words = normalize_text(sp.name_ar or sp.text).split()
    while words and words[0] in HONORIFICS:
        words = words[1:]
    if not words or len(words) > _MAX_WORDS or not _reads_as_name(words, lex):
        return None
    return romanize_name(" ".join(words))


def _reads_as_name(words: list[str], lex: Lexicon) -> bool:
    for w in words:
        if not w.isalpha() or w in HONORIFICS or w in STOP_WORDS or w in TIME_WORDS or w in COMPLEMENTIZERS:
            return False
        if lex.head(w) is not None or lex.cue(w) is not None or w in lex.report_nouns:
            return False
    return len(words) > 1 or words[0] in given_names()


_SMALL = frozenset(["of", "in", "for", "at", "from", "the", "and"])
_MAX_KEY = 3  # words in the longest listed phrase ("رفيع المستوى", "النيابة العامة")


@dataclass(frozen=True)
class _Glossary:
    nouns: dict[str, str]
    adjectives: dict[str, str]
    prepositions: dict[str, str]
    titled: frozenset[str]
    demonyms_en: dict[str, str]
    prefixes: frozenset[str]
    countable: frozenset[str]


def _keys(word: str) -> list[str]:
    """A listed word's normalised key and, for a definite one, its bare form."""
    k = normalize_text(word)
    return [k, k[2:]] if k.startswith("ال") and len(k) > 3 else [k]


@cache
def _glossary() -> _Glossary:
    data = load_yaml(resource_path("speaker_english.yaml").read_text(encoding="utf-8"))

    def table(name: str) -> dict[str, str]:
        # a word listed as written wins over the bare form of a definite one ("نائب" deputy, "النائب" MP)
        out = {k: str(en) for ar, en in data[name].items() for k in _keys(str(ar))[1:]}
        out.update({_keys(str(ar))[0]: str(en) for ar, en in data[name].items()})
        return out

    return _Glossary(
        table("nouns"),
        table("adjectives"),
        {normalize_text(str(ar)): str(en) for ar, en in data["prepositions"].items()},
        frozenset(str(w) for w in data["titled"]),
        {str(c): str(en) for c, en in data["demonyms_en"].items()},
        frozenset(str(w) for w in data["prefixes"]),
        frozenset(str(w) for w in data["countable"]),
    )


class KBNames:
    """What :func:`institution_english` reads from a knowledge base: the English names of its places and
    organisations (not persons: a surname lookup would turn "كيرالا" into a person) and its countries'
    adjectives (m and f, bare and definite, → English: "المصرية" → "Egyptian")."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        g = _glossary()
        self.demonyms: dict[str, str] = {}
        for c in kb.countries():
            en = g.demonyms_en.get(c.code) or c.name_en
            for form in (c.demonym_m, c.demonym_f):
                if form and en:
                    for k in _keys(form if form.startswith("ال") else "ال" + form):
                        self.demonyms[k] = en
        self._cache: dict[str, str | None] = {}

    def place(self, name: str) -> str | None:
        if name not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[name] = next(
                (
                    e.name_en
                    for e in self._kb.find(name)
                    if e.kind in (EntityKind.PLACE, EntityKind.ORGANIZATION) and e.name_en
                ),
                None,
            )
        return self._cache[name]


def institution_english(text: str, names: KBNames, lone: bool = False) -> str | None:
    """The English rendering of an institution or unnamed-source phrase, or None when a word is unknown.
    A lone word is rendered only with ``lone`` (unnamed sources: "المصادر" → "sources", who are unnamed
    whatever the phrase; a lone "الوزارة" names no institution).

    Arabic puts adjectives after their noun and chains nouns by the genitive; English puts the adjectives
    first and joins the chain with "of": "الاتحاد الرياضي العام" → "General Sports Union", "نقابة الأطباء"
    → "Syndicate of Doctors". A country adjective ending the chain qualifies the whole institution
    ("وزارة الخارجية الأمريكية" → "US Ministry of Foreign Affairs")."""
    g = _glossary()
    words = normalize_text(text).split()
    if len(words) == 1 and lone and words[0].isalpha():
        n, en, is_name = _word([_unmarked(words[0], g)], 0, g, names)
        return en if n and en and not is_name else None
    if len(words) < 2 or len(words) > _MAX_WORDS or not all(w.isalpha() for w in words):
        return None
    words = [_unmarked(w, g) for w in words]
    # segments: [link word ("" for a genitive), noun, adjectives, is_name]
    segs: list[tuple[str, str, list[str], bool]] = []
    front: list[str] = []  # country adjectives of the whole phrase
    link = ""
    indefinite_tail = False
    i = 0
    while i < len(words):
        w = words[i]
        if w in g.prepositions and segs and not link:
            link, i = g.prepositions[w], i + 1
            continue
        n, en, is_name = 0, None, False
        if segs and not link and w[0] in "بل" and len(w) > 3 and w not in g.nouns:
            # a glued preposition: "بحائل" (in Ha'il), "لوزارة" (of the ministry)
            rest = "ال" + w[2:] if w.startswith("لل") else w[1:]
            n, en, is_name = _word([rest, *words[i + 1 :]], 0, g, names)
            if en is not None:
                link = g.prepositions.get(w[0], "of")
        if en is None and not (segs and _is_adjective(w, g, names)):
            n, en, is_name = _word(words, i, g, names)
        if en is None:
            adj = _adjective(words, i, g, names)
            if adj is None or not segs:
                return None
            en, n = adj
            if words[i] in names.demonyms and i + n == len(words) and not any(sg[0] or sg[3] for sg in segs):
                front.append(en)
            else:
                segs[-1][2].append(en)
            i += n
            continue
        # an indefinite complement ("رئيس ولاية") stops short of its own genitive: read on or refuse
        indefinite_tail = bool(segs) and not link and not is_name and not w.startswith("ال")
        segs.append((link, en, [], is_name))
        link = ""
        i += n
    if not segs or link or indefinite_tail:
        return None
    parts: list[str] = []
    for k, (lk, noun, adjs, _) in enumerate(segs):
        phrase = " ".join([*reversed(adjs), noun])
        if k and not lk and segs[k - 1][1] in g.prefixes and not segs[k - 1][2]:
            parts[-1] = f"{parts[-1]} {phrase}"  # "نائب وزير" → "deputy minister"
        else:
            parts.append(phrase if k == 0 else f"{lk or 'of'} {phrase}")
    # an institution's name is written in title case from its head on ("spokesman for Ministry of Interior")
    # (a bare head at the end is not a name: "رئيس مجلس إدارة الشركة" → "chairman of the company")
    last = len(segs) - 1
    lk, noun, adjs, is_name = segs[last]
    if last and not adjs and not is_name and not lk and (noun in g.titled or noun in g.countable):
        parts[-1] = parts[-1].replace("of ", "of the ", 1)
    titled = next((k for k, sg in enumerate(segs) if sg[1] in g.titled and (sg[2] or k < last)), len(segs))
    parts = parts[:titled] + [_title(p) for p in parts[titled:]]
    if titled == 0:
        front = [_title(f) for f in front]
    return " ".join([*reversed(front), *parts])


def _unmarked(w: str, g: _Glossary) -> str:
    """``w`` without the accusative alif ("مسؤولا محليا" after إن) when only the bare form is listed."""
    if w.endswith("ا") and w not in g.nouns and w not in g.adjectives:
        bare = w[:-1]
        if bare in g.nouns or bare in g.adjectives:
            return bare
    return w


def _title(text: str) -> str:
    return " ".join(t if t in _SMALL else t[:1].upper() + t[1:] for t in text.split())


def _word(words: list[str], i: int, g: _Glossary, names: KBNames) -> tuple[int, str | None, bool]:
    """(words used, English noun or None, whether it is a proper name) for the noun at ``words[i]``."""
    most = min(_MAX_KEY, len(words) - i)
    for n in range(most, 0, -1):
        if (key := " ".join(words[i : i + n])) in g.nouns:
            return n, g.nouns[key], False
    for n in range(most, 0, -1):
        if (en := names.place(" ".join(words[i : i + n]))) is not None:
            return n, en, True
    return 1, None, False


def _adjective(words: list[str], i: int, g: _Glossary, names: KBNames) -> tuple[str, int] | None:
    for n in range(min(_MAX_KEY, len(words) - i), 0, -1):
        key = " ".join(words[i : i + n])
        if key in g.adjectives:
            return g.adjectives[key], n
    en = names.demonyms.get(words[i])
    return (en, 1) if en else None


def _is_adjective(w: str, g: _Glossary, names: KBNames) -> bool:
    """Is ``w`` read as an adjective before trying it as a noun? (a listed noun wins over a country
    adjective: "وزير المالية" is the minister of finance, not of Mali)"""
    return w in g.adjectives or (w in names.demonyms and w not in g.nouns)


def _institution_en(sp: Speaker, names: KBNames | None) -> str | None:
    if names is None or sp.kind is SpeakerKind.MEDIA or sp.entity_id is not None:
        return None  # a person's name is romanized; a bare title ("المتحدث باسم X") is rendered
    return institution_english(sp.name_ar or sp.text, names, lone=sp.kind is SpeakerKind.UNNAMED)


def with_english_names(quotes: Iterable[Quote], lex: Lexicon, names: KBNames | None = None) -> list[Quote]:
    """``quotes`` with ``name_en`` filled on the speakers :func:`english_name` can spell, and on the
    institutions and unnamed sources :func:`institution_english` can render (given ``names``)."""
    out: list[Quote] = []
    for q in quotes:
        sp = q.speaker
        if sp is not None and sp.name_en is None:
            # a phrase made only of listed words is a title or an institution, not a name to romanize
            en = _institution_en(sp, names) or english_name(sp, lex)
            if en:
                q = replace(q, speaker=replace(sp, name_en=en))
        out.append(q)
    return out
