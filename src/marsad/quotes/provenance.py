"""Provenance: the medium a reporting sentence credits ("وحسب وكالة سبوتنيك", "قال لوكالة تاس").

Triggers are a closed set of phrases; the medium is the media mention found there when the mention
finder saw one, else the outlet phrase as written (head word plus its name, quote marks dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from marsad.model import Entity, EntityKind
from marsad.normalize.arabic import QUOTE_MARKS
from marsad.quotes.cues import Lexicon
from marsad.quotes.speakers import STOP_WORDS, is_nisba
from marsad.quotes.text import COLON, COMMA, Doc, word_set

# "حسب X", "وفقا لـX", "نقلا عن X"; the medium follows the trigger (or its ل/عن).
_TRIGGERS = word_set("حسب بحسب وحسب وبحسب وفقا ووفقا وفق طبقا نقلا")
# "في مقابلة مع X", "في حديث لـX"
_INTERVIEW = word_set("مقابلة حديث حوار تصريح تصريحات مقابلته حديثه تصريحاته")


def medium_at(
    doc: Doc, k: int, lex: Lexicon, entities: Callable[[str], Entity | None] | None, strict: bool
) -> str | None:
    """Name of the medium whose phrase starts at token ``k`` (a leading ل is allowed)."""
    if k >= len(doc):
        return None
    hit = doc.mention_at.get(k)
    if hit is not None:
        m, _ = hit
        if m.entity_type in (EntityKind.MEDIA, EntityKind.ORGANIZATION):
            ent = entities(m.entity_id) if entities is not None and m.entity_id else None
            return ent.name_ar if ent else m.text
        return None
    w = doc.word(k)
    base = w[1:] if w.startswith("ل") and not w.startswith("لل") else w
    cls = lex.head(base)
    if cls is None and not strict and not base.startswith("ال") and base not in STOP_WORDS:
        return doc.text[doc.toks[k].start : doc.toks[k].end]  # "بحسب رويترز": a bare outlet name
    if cls != "media" or base in ("تقرير", "التقرير", "وسايل"):  # "وسائل الإعلام" names no medium
        return None
    # head word + name words, stopping at punctuation, function words and adjectives
    lo = doc.toks[k].start + (len(doc.toks[k].text) - len(base) if base != w else 0)
    hi = doc.toks[k].end
    j = k + 1
    while j < len(doc) and j - k <= 3:
        gap = doc.gap(j)
        if any(c in gap for c in COMMA + COLON + ".\n"):
            break
        nw = doc.word(j)
        if nw in STOP_WORDS or lex.cue(nw) is not None or (nw.startswith("ال") and is_nisba(nw)):
            break
        hit = doc.mention_at.get(j)
        if hit is not None:
            m, _ = hit
            ent = entities(m.entity_id) if entities is not None and m.entity_id else None
            return ent.name_ar if ent else m.text
        hi = doc.toks[j].end
        j += 1
    name = doc.text[lo:hi]
    for c in QUOTE_MARKS:
        name = name.replace(c, "")
    return " ".join(name.split()) or None


def find_via(
    doc: Doc,
    lo: int,
    hi: int,
    lex: Lexicon,
    entities: Callable[[str], Entity | None] | None,
    skip: tuple[int, int] = (0, 0),
) -> str | None:
    """The medium credited by tokens [lo, hi) of a reporting sentence, outside the quoted content ``skip``."""
    s, e = skip
    around = chain(range(lo, min(hi, s)), range(max(lo, e), hi)) if s < e else range(lo, hi)
    for k in around:  # the content is not walked: it may be a whole paragraph
        w = doc.word(k)
        if w in _TRIGGERS:
            nxt = doc.word(k + 1)
            start = k + 2 if nxt == "عن" else k + 1
            if nxt == "ما" and lex.cue(doc.word(k + 2)) is not None:
                start = k + 3  # "وفق ما ذكرت وكالة رويترز"
            name = medium_at(doc, start, lex, entities, strict=False)
            if name:
                return name
        elif w in _INTERVIEW:
            nxt = doc.word(k + 1)
            name = medium_at(doc, k + 2 if nxt == "مع" else k + 1, lex, entities, strict=True)
            if name:
                return name
        elif w.startswith("ل") and not w.startswith("لل"):
            name = medium_at(doc, k, lex, entities, strict=True)
            if name:
                return name
    return None
