"""English names for the speakers the knowledge base does not know (``Speaker.name_en``).

A KB speaker keeps the KB's English name. A person found only by the tagger (``ner:…`` id) is spelled from
the id, so every article that names them gets the same English name; a person the quote reader named
without any mention (``مبارك العصيمي`` after a title) is spelled from that name, when it reads as one: no
title, head word, cue or function word in it, and a one-word name only if it is a listed name word.
Titles, institutions and unnamed sources get no English name (nothing to romanize).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from marsad.entities.link import ner_name_en
from marsad.entities.romanize import HONORIFICS, romanize_name
from marsad.model import Quote, Speaker, SpeakerKind
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


def with_english_names(quotes: Iterable[Quote], lex: Lexicon) -> list[Quote]:
    """``quotes`` with ``name_en`` filled on the speakers :func:`english_name` can spell."""
    out: list[Quote] = []
    for q in quotes:
        sp = q.speaker
        if sp is not None and sp.name_en is None:
            en = english_name(sp, lex)
            if en:
                q = replace(q, speaker=replace(sp, name_en=en))
        out.append(q)
    return out
