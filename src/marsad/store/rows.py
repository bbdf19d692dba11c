"""Mentions and quotes ↔ table rows, shared by the SQLite and PostgreSQL backends.

The two schemas differ only where the dialects force it: PostgreSQL names offsets ``span_start``/``span_end``
(``end`` is reserved) and has a real DATE for ``said_on``; callers pass those differences in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from marsad.model import EntityKind, Mention, MentionKind, Quote, QuoteKind, Speaker, SpeakerKind, Stance


def mention_values(article_id: str, i: int, m: Mention) -> tuple[Any, ...]:
    return (article_id, i, m.start, m.end, m.text, m.kind.value, m.entity_id, m.entity_type.value, m.score)


def quote_values(article_id: str, i: int, q: Quote, *, dates_as_text: bool) -> tuple[Any, ...]:
    sp = q.speaker
    said: Any = q.said_on.isoformat() if (q.said_on and dates_as_text) else q.said_on
    return (
        article_id, i, q.start, q.end, q.text, q.kind.value, q.cue, q.stance.value,
        sp.text if sp else None, sp.kind.value if sp else None, sp.entity_id if sp else None,
        sp.name_ar if sp else None, sp.name_en if sp else None, sp.start if sp else None, sp.end if sp else None,
        q.via, said, q.in_headline if not dates_as_text else int(q.in_headline),
    )  # fmt: skip


def mention_from_row(r: Mapping[str, Any], *, start: str = "start", end: str = "end") -> Mention:
    return Mention(start=r[start], end=r[end], text=r["text"], kind=MentionKind(r["kind"]),
                   entity_id=r["entity_id"], entity_type=EntityKind(r["entity_type"]), score=r["score"])  # fmt: skip


def quote_from_row(r: Mapping[str, Any], *, start: str = "start", end: str = "end") -> Quote:
    speaker = None
    if r["speaker_kind"]:
        speaker = Speaker(text=r["speaker_text"] or "", kind=SpeakerKind(r["speaker_kind"]),
                          entity_id=r["speaker_entity_id"], name_ar=r["speaker_name_ar"],
                          name_en=r["speaker_name_en"], start=r["speaker_start"], end=r["speaker_end"])  # fmt: skip
    said = r["said_on"]
    return Quote(
        start=r[start], end=r[end], text=r["text"], kind=QuoteKind(r["kind"]), cue=r["cue"],
        stance=Stance(r["stance"]), speaker=speaker, via=r["via"],
        said_on=date.fromisoformat(said) if isinstance(said, str) else said, in_headline=bool(r["in_headline"]),
    )  # fmt: skip
