"""What a denial or rejection answers: the report or source its sentence names ("نفى تقرير صحيفة واشنطن
بوست", "نفى ما نقلته رويترز", "صحة ما ورد في إحدى الصحف المحلية", "ما ورد ببيان هيئة الطيران", "ما
أوردته وسائل إعلام"), else, for "ما نشره" / "تصريحاته", the speaker quoted before whose words those are,
else, for "نفى ذلك", the outlet whose report the text gave just before. Word lists in
``data/frames.yaml`` (report_words, relay_verbs, document_nouns, pointing_reports, anaphors)."""

from __future__ import annotations

from collections.abc import Iterable

from marsad.model import EntityKind, Speaker, SpeakerKind
from marsad.normalize.arabic import QUOTE_MARKS
from marsad.quotes.cues import Lexicon
from marsad.quotes.frames import Frames
from marsad.quotes.provenance import medium_at
from marsad.quotes.speakers import STOP_WORDS, TIME_WORDS, EntityLookup, is_nisba
from marsad.quotes.text import COLON, COMMA, Doc, word_set

_SOURCES = (EntityKind.MEDIA, EntityKind.ORGANIZATION, EntityKind.PERSON, EntityKind.GROUP)
_NEAR = 3  # words after a report word or relaying verb where the source (or the next link) may stand
# words that may stand between a report word or relaying verb and its source
_RELATIVES = word_set("ما الذي التي")
_LINKS = _RELATIVES | word_set("فيه فيها في")
_RESUMPTIVE = word_set("فيه فيها عنه عنها له لها")
_SOME = word_set("إحدى احدى أحد بعض عدد")  # "إحدى الصحف المحلية", "بعض وسائل الإعلام"
_GENERIC_MEDIA = word_set("وسائل وكالات الوكالات صحف الصحف قنوات مواقع مصادر تقارير")
_MAX_GENERIC = 4  # words of a source phrase no mention or outlet name covers ("وسائل إعلام إسرائيلية")


def _source_at(
    doc: Doc, t: int, lex: Lexicon, entities: EntityLookup | None, bare: bool, place: bool = False
) -> str | None:
    """The source whose name starts at token ``t``; ``place``: a state named by its capital counts
    ("اتهامات واشنطن", right after the report word)."""
    if t >= len(doc) or any(c in doc.gap(t) for c in COLON + ".\n"):
        return None
    hit = doc.mention_at.get(t)
    if hit is not None:
        m = hit[0]
        if m.entity_type not in _SOURCES and not (place and m.entity_type == EntityKind.PLACE):
            return None
        ent = entities(m.entity_id) if entities is not None and m.entity_id else None
        return ent.name_ar if ent is not None and ent.name_ar else m.text
    w = doc.word(t)
    if w in _SOME or w in _GENERIC_MEDIA:
        return _phrase(doc, t, lex)
    if w in STOP_WORDS or w in TIME_WORDS or w in _LINKS or w in _RESUMPTIVE:
        return None
    name = medium_at(doc, t, lex, entities, strict=not bare)
    if name is not None and w.startswith("ب") and name.startswith("ب") and lex.head(w[1:]) is not None:
        name = name[1:]  # "في تقرير بصحيفة …": the preposition is no part of the name
    if name is None and lex.head(_unglued(w, lex)) == "organization":
        return _phrase(doc, t, lex)  # "ما ورد ببيان هيئة الطيران المدني"
    if name is not None and lex.head(_unglued(w, lex)) == "media" and name.endswith(("الأنباء", "الانباء")):
        # "وكالة الأنباء الأرجنتينية": the adjectives name the agency
        k = t + len(name.split())
        while (
            k < len(doc)
            and k - t < _MAX_GENERIC + 1
            and is_nisba(doc.word(k))
            and doc.word(k).startswith("ال")
        ):
            if any(c in doc.gap(k) for c in COMMA + COLON + QUOTE_MARKS + ".\n("):
                break
            name += " " + doc.text[doc.toks[k].start : doc.toks[k].end]
            k += 1
    return name


def _unglued(w: str, lex: Lexicon) -> str:
    """The word without a glued ل ("لهيئة" -> "هيئة"; "لجنة" stays) when the rest is a head word."""
    if w.startswith("ل") and not w.startswith("لل") and lex.head(w[1:]) is not None:
        return w[1:]
    return w


def _phrase(doc: Doc, t: int, lex: Lexicon) -> str | None:
    """ "إحدى الصحف المحلية", "وسائل إعلام إسرائيلية", "هيئة الطيران المدني": a source named by its
    kind, or an institution the mention finder does not know, as written (a glued ل dropped)."""
    k = t + 1 if doc.word(t) in _SOME else t
    if k >= len(doc):
        return None
    head = _unglued(doc.word(k), lex)
    if lex.head(head) is None or (k > t and head not in _GENERIC_MEDIA):
        return None
    hi = k + 1
    while hi < len(doc) and hi - t < _MAX_GENERIC:
        gap = doc.gap(hi)
        w = doc.word(hi)
        if any(c in gap for c in COMMA + COLON + QUOTE_MARKS + ".\n(") or w in STOP_WORDS:
            break
        if lex.cue(w) is not None or hi in doc.mention_at:
            break
        if hi > k + 1 and not is_nisba(w):
            break  # past the noun after the head only adjectives go on ("وسائل إعلام محلية")
        hi += 1
    lo = doc.toks[t].start + (1 if k == t and head != doc.word(k) else 0)
    return doc.text[lo : doc.toks[hi - 1].end] or None


def _report_word(frames: Frames, w: str) -> bool:
    """ "تقرير", "ببيان", "في تقرير": a report or document that a source follows."""
    if w in frames.report_words or w in frames.document_nouns:
        return True
    return w.startswith("ب") and (w[1:] in frames.report_words or w[1:] in frames.document_nouns)


def find_answered(
    doc: Doc,
    tokens: Iterable[int],
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    earlier: Iterable[Speaker | None] = (),
    speaker: Speaker | None = None,
    object_first: str | None = None,
) -> str | None:
    """The source named after a report word or relaying verb among ``tokens`` (the reporting sentence
    and its content); else, when the words point to what someone said ("ما نشره", "تصريحاته"), the
    latest speaker of ``earlier`` (the article's previous quotes, latest first) other than ``speaker``;
    else, when they point back ("ذلك", "هذه التقارير", or the content opens with a definite report
    noun, ``object_first``: "نفى التقارير"), the last media speaker of ``earlier``."""
    back = pointing = False
    for k in tokens:
        w = doc.word(k)
        relay = w in frames.relay_verbs or (
            w in frames.relay_after_relative and doc.word(k - 1) in _RELATIVES
        )
        if relay or _report_word(frames, w):
            t, last = k + 1, min(k + 1 + _NEAR, len(doc))
            while t < last:
                nw = doc.word(t)
                link = nw in frames.relay_verbs or (
                    nw in frames.relay_after_relative and doc.word(t - 1) in _RELATIVES
                )
                if link or _report_word(frames, nw):
                    relay = relay or link
                    last = min(t + 1 + _NEAR, len(doc))  # "ما ورد في تقرير لصحيفة …": the next link
                else:
                    name = _source_at(doc, t, lex, entities, bare=relay, place=t == k + 1)
                    if name:
                        return name
                    if nw not in _LINKS and nw not in TIME_WORDS:
                        break  # "التقارير التي نشرتها صحيفة …": only a relative may come between
                t += 1
        pointing = pointing or w in frames.pointing_reports
        back = back or w in frames.anaphors
    if object_first is not None and object_first in frames.denied_reports and object_first.startswith("ال"):
        back = True  # "ونفت الوزارة الأنباء": the reports the article gave before
    if pointing or back:
        for sp in earlier:
            if sp is None or (speaker is not None and _same(sp, speaker)):
                continue
            if pointing or sp.kind == SpeakerKind.MEDIA:
                return sp.name_ar or sp.text
    return None


def _same(a: Speaker, b: Speaker) -> bool:
    if a.entity_id is not None and a.entity_id == b.entity_id:
        return True
    return (a.name_ar or a.text) == (b.name_ar or b.text)
