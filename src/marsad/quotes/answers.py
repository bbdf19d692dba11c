"""What a denial or rejection answers: the report or source its sentence names ("نفى تقرير صحيفة واشنطن
بوست", "نفى ما نقلته رويترز", "المزاعم التي أوردتها صحيفة …"), else, for "نفى ذلك", the outlet whose
report the text gave just before. Word lists in ``data/frames.yaml`` (report_words, relay_verbs,
anaphors)."""

from __future__ import annotations

from collections.abc import Iterable

from marsad.model import EntityKind, Speaker, SpeakerKind
from marsad.quotes.cues import Lexicon
from marsad.quotes.frames import Frames
from marsad.quotes.provenance import medium_at
from marsad.quotes.speakers import STOP_WORDS, TIME_WORDS, EntityLookup
from marsad.quotes.text import COLON, Doc

_SOURCES = (EntityKind.MEDIA, EntityKind.ORGANIZATION, EntityKind.PERSON)
_NEAR = 3  # words after a report word or relaying verb where the source may stand


def _source_at(doc: Doc, t: int, lex: Lexicon, entities: EntityLookup | None, bare: bool) -> str | None:
    if t >= len(doc) or any(c in doc.gap(t) for c in COLON + ".\n"):
        return None
    hit = doc.mention_at.get(t)
    if hit is not None:
        m = hit[0]
        if m.entity_type not in _SOURCES:
            return None
        ent = entities(m.entity_id) if entities is not None and m.entity_id else None
        return ent.name_ar if ent is not None and ent.name_ar else m.text
    w = doc.word(t)
    if w in STOP_WORDS or w in TIME_WORDS:
        return None
    return medium_at(doc, t, lex, entities, strict=not bare)


def find_answered(
    doc: Doc,
    tokens: Iterable[int],
    lex: Lexicon,
    frames: Frames,
    entities: EntityLookup | None,
    earlier: Iterable[Speaker | None] = (),
) -> str | None:
    """The source named after a report word or relaying verb among ``tokens`` (the reporting sentence
    and its content); else, when the words point back ("ذلك", "هذه التقارير"), the last media speaker of
    ``earlier`` (the article's previous quotes, latest first)."""
    back = False
    for k in tokens:
        w = doc.word(k)
        relay = w in frames.relay_verbs
        if relay or w in frames.report_words:
            for t in range(k + 1, min(k + 1 + _NEAR, len(doc))):
                name = _source_at(doc, t, lex, entities, bare=relay)
                if name:
                    return name
                if doc.word(t) not in ("ما", "الذي", "التي", "فيه", "فيها"):
                    break  # "التقارير التي نشرتها صحيفة …": only a relative may come between
        back = back or w in frames.anaphors
    if back:
        for sp in earlier:
            if sp is not None and sp.kind == SpeakerKind.MEDIA:
                return sp.name_ar or sp.text
    return None
