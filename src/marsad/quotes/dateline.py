"""A byline and dateline glued to the first sentence of a body (issue 11, noise of scraped pages).

Scraped pages run the credit into the lead: ``سامر الحلبي - الرياض في الخميس 3 أبريل 2025 10:15 صباحاً -
قال الوزير …``, ``الدوحة – فسر المدير …``, ``كاتب- صحيفة- المدينة: أكد …``. Read as words of the sentence,
the place becomes the subject the next subjectless ``وأكد`` refers to, and the writer a person who may be
credited with the quotes. :func:`lead_dateline` finds where such a prefix ends; the extractor reads the
body with it blanked out (offsets unchanged) and without the mentions inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from marsad.model import EntityKind, Mention
from marsad.normalize.arabic import QUOTE_MARKS, normalize_word
from marsad.quotes.cues import Lexicon

_HEAD_CHARS = 140  # a dateline ends this close to the start of the body
_SEGMENT_WORDS = 10  # a segment (writer, outlet, place, date) is never longer
# a dash with a space on at least one side ("الرياض - ", "العازمي- ", "(CNN)— "), or a colon before a space
_SEP = re.compile(r"\s*[-–—]\s+|\s+[-–—]\s*|\s*[:：]\s+")
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_STOP = re.compile(rf"[.!?؟\n{re.escape(QUOTE_MARKS)}]")
_PLACE_OR_MEDIUM = (EntityKind.PLACE, EntityKind.MEDIA)


def lead_dateline(body: str, mentions: Sequence[Mention], lex: Lexicon) -> int:
    """Offset where a dateline glued to the start of ``body`` ends (past its dash or colon), 0 if none.

    The prefix is a run of short segments split by dashes or colons, none holding a reporting verb, a
    sentence end or a quote mark, and one of them names a place or a medium or holds a date (digits):
    that tells a credit from a sentence with a dash aside (``أعلن الجيش - في بيان - أن …``)."""
    lead = len(body) - len(body.lstrip())
    head = body[: lead + _HEAD_CHARS]
    stop = _STOP.search(head, lead)
    if stop is not None:
        head = head[: stop.start()]
    end, at, credit = 0, lead, False
    for sep in _SEP.finditer(head, lead):
        words = body[at : sep.start()].split()
        if not words or len(words) > _SEGMENT_WORDS or any(lex.cue(normalize_word(w)) for w in words):
            break
        credit = (
            credit or bool(_DIGIT.search(body, at, sep.start())) or _names_credit(mentions, at, sep.start())
        )
        at = sep.end()
        if credit and at < len(body) and body[at:].strip():
            end = at
    return end


def _names_credit(mentions: Sequence[Mention], lo: int, hi: int) -> bool:
    return any(lo <= m.start and m.end <= hi and m.entity_type in _PLACE_OR_MEDIUM for m in mentions)


def blank_dateline(body: str, mentions: Sequence[Mention], lex: Lexicon) -> tuple[str, list[Mention]]:
    """``body`` with its glued dateline turned to spaces, and the mentions outside it."""
    end = lead_dateline(body, mentions, lex)
    if not end:
        return body, list(mentions)
    return " " * end + body[end:], [m for m in mentions if m.start >= end]
