"""Articles, stories, mentions and quotes ↔ table rows, shared by the SQLite and PostgreSQL backends.

The two schemas differ only where the dialects force it: PostgreSQL names offsets ``span_start``/``span_end``
(``end`` is reserved), has real DATEs for ``published_day`` and ``said_on`` and TEXT[] lists where SQLite
keeps JSON text; the :class:`~marsad.store.sql.Dialect` passed in says which.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from marsad.model import (
    AnalysisState,
    Article,
    EntityKind,
    FirstReport,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceGroup,
    SourceRef,
    Speaker,
    SpeakerKind,
    Stance,
    Story,
)
from marsad.normalize.arabic import search_text
from marsad.store.packing import pack, unpack

if TYPE_CHECKING:
    from marsad.store.dialect import Dialect


def _slice(text: str | None, start: int | None, end: int | None) -> str | None:
    if text is None or start is None or end is None or start < 0 or end < start:
        return None
    return text[start:end]


# A mention's, quote's or speaker's text is stored only where it is not the slice of the article its
# offsets name (schema version 11; NULL: read it from there): most of the time it is, and the body is at
# hand whenever they are read. A quote in the headline points into the title.
def _unless_derived(value: str, source: str | None, start: int | None, end: int | None) -> str | None:
    return None if _slice(source, start, end) == value else value


def mention_values(article_id: str, i: int, m: Mention, body: str | None) -> tuple[Any, ...]:
    """``body``: the article's, None when not known (the text is then stored)."""
    text = _unless_derived(m.text, body, m.start, m.end)
    return (article_id, i, m.start, m.end, text, m.kind.value, m.entity_id, m.entity_type.value, m.score)


def quote_values(
    article_id: str, i: int, q: Quote, texts: tuple[str | None, str] | None, *, dates_as_text: bool
) -> tuple[Any, ...]:
    """``texts``: the article's (title, body), None when not known (the texts are then stored)."""
    sp = q.speaker
    said: Any = q.said_on.isoformat() if (q.said_on and dates_as_text) else q.said_on
    title, body = texts if texts is not None else (None, None)
    text = _unless_derived(q.text, title if q.in_headline else body, q.start, q.end)
    sp_text = _unless_derived(sp.text, body, sp.start, sp.end) if sp else None
    return (
        article_id, i, q.start, q.end, text, q.kind.value, q.cue, q.stance.value,
        sp_text, sp.kind.value if sp else None, sp.entity_id if sp else None,
        sp.name_ar if sp else None, sp.name_en if sp else None, sp.start if sp else None, sp.end if sp else None,
        q.via, said, q.in_headline if not dates_as_text else int(q.in_headline), q.answers,
    )  # fmt: skip


def mention_from_row(r: Mapping[str, Any], body: str, *, start: str = "start", end: str = "end") -> Mention:
    text = r["text"] if r["text"] is not None else body[r[start] : r[end]]
    return Mention(start=r[start], end=r[end], text=text, kind=MentionKind(r["kind"]),
                   entity_id=r["entity_id"], entity_type=EntityKind(r["entity_type"]), score=r["score"])  # fmt: skip


def quote_from_row(
    r: Mapping[str, Any], title: str | None, body: str, *, start: str = "start", end: str = "end"
) -> Quote:
    """The quote of a row of the article with this ``title`` and ``body``."""
    speaker = None
    if r["speaker_kind"]:
        sp_text = r["speaker_text"]
        if sp_text is None:
            sp_text = _slice(body, r["speaker_start"], r["speaker_end"]) or ""
        speaker = Speaker(text=sp_text, kind=SpeakerKind(r["speaker_kind"]),
                          entity_id=r["speaker_entity_id"], name_ar=r["speaker_name_ar"],
                          name_en=r["speaker_name_en"], start=r["speaker_start"], end=r["speaker_end"])  # fmt: skip
    said = r["said_on"]
    text = r["text"]
    if text is None:
        text = ((title or "") if r["in_headline"] else body)[r[start] : r[end]]
    return Quote(
        start=r[start], end=r[end], text=text, kind=QuoteKind(r["kind"]), cue=r["cue"],
        stance=Stance(r["stance"]), speaker=speaker, via=r["via"],
        said_on=date.fromisoformat(said) if isinstance(said, str) else said, in_headline=bool(r["in_headline"]),
        answers=r["answers"],
    )  # fmt: skip


# ---- articles and stories -------------------------------------------------------------------------------

# every article column a listing reads, in the order :func:`article_values` gives them
ARTICLE_COLS = (
    "id", "content_hash", "source_key", "origin", "member", "record", "part", "char_start", "char_end",
    "media_type", "encoding", "title", "body", "raw", "published", "published_day", "date_text", "outlet",
    "wire", "url", "author", "category", "tags", "cited_media", "language", "parent_id", "search_text",
    "story_id", "storyline_id", "duplicate_of", "analysis", "analysis_error", "rev", "date_precision",
    "date_source",
)  # fmt: skip
STORY_COLS = (
    "id", "title", "first_seen", "last_seen", "size", "outlets", "independent_sources", "top_entities",
    "summary", "storyline_id", "unknown_sources", "sources", "first_reported",
)  # fmt: skip


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def article_values(a: Article, rev: int, d: Dialect) -> tuple[Any, ...]:
    """The values of :data:`ARTICLE_COLS` for ``a``. Times stay ISO text (an offset as written reads back);
    ``raw`` is stored only where it is not the body (most structured inputs: store the text once); body and
    raw are compressed where the dialect says so; ``search_text`` and ``source_key`` (``SourceRef.key``, kept in
    ``sources``) are derived, so they are not stored ('')."""
    s = a.source
    plain_raw = None if a.raw == a.body else a.raw
    body, raw = (pack(a.body), pack(plain_raw, like=a.body)) if d.packs_text else (a.body, plain_raw)
    return (
        a.id, a.content_hash, "", s.origin, s.member, s.record, s.part, s.char_start, s.char_end,
        s.media_type, s.encoding, a.title, body, raw, _iso(a.published),
        d.day(a.published.date() if a.published else None), a.date_text, a.outlet, a.wire, a.url, a.author,
        a.category, d.encode_list(a.tags), d.encode_list(a.cited_media), a.language, a.parent_id, "",
        a.story_id, a.storyline_id, a.duplicate_of, a.analysis.value, a.analysis_error, rev, a.date_precision,
        a.date_source,
    )  # fmt: skip


def article_from_row(r: Mapping[str, Any], d: Dialect, *, derive: bool = True) -> Article:
    """The article of a row; ``search_text`` derived from title and body unless ``derive`` is false."""
    source = SourceRef(
        origin=r["origin"],
        member=r["member"],
        record=r["record"],  # part of source.key: without it a re-read article has another key
        part=r["part"],
        char_start=r["char_start"] or 0,
        char_end=r["char_end"] or 0,
        media_type=r["media_type"] or "text/plain",
        encoding=r["encoding"],
    )
    body: str = unpack(r["body"])
    return Article(
        id=r["id"], source=source, title=r["title"], body=body,
        raw=body if r["raw"] is None else unpack(r["raw"], like=body), published=_dt(r["published"]), date_text=r["date_text"],
        outlet=r["outlet"], wire=r["wire"], url=r["url"], author=r["author"], category=r["category"],
        tags=d.decode_list(r["tags"]), cited_media=d.decode_list(r["cited_media"]), language=r["language"],
        parent_id=r["parent_id"], search_text=r["search_text"] or (search_text(r["title"], body) if derive else ""), content_hash=r["content_hash"],
        story_id=r["story_id"], storyline_id=r["storyline_id"], duplicate_of=r["duplicate_of"],
        analysis=AnalysisState(r["analysis"]), analysis_error=r["analysis_error"],
        date_precision=r["date_precision"], date_source=r["date_source"],
    )  # fmt: skip


def story_values(st: Story, d: Dialect) -> tuple[Any, ...]:
    """The values of :data:`STORY_COLS` for ``st``."""
    return (
        st.id, st.title, _iso(st.first_seen), _iso(st.last_seen), len(st.article_ids), d.encode_list(st.outlets),
        st.independent_sources, d.encode_list(st.top_entities), _pack_list(st.summary, d), st.storyline_id,
        st.unknown_sources, _sources_json(st.sources), _first_json(st.first_reported),
    )  # fmt: skip


def story_from_row(r: Mapping[str, Any], article_ids: tuple[str, ...], d: Dialect) -> Story:
    return Story(
        id=r["id"], title=r["title"], article_ids=article_ids, first_seen=_dt(r["first_seen"]),
        last_seen=_dt(r["last_seen"]), outlets=d.decode_list(r["outlets"]),
        independent_sources=r["independent_sources"], top_entities=d.decode_list(r["top_entities"]),
        summary=d.decode_list(unpack(r["summary"])), storyline_id=r["storyline_id"],
        unknown_sources=r["unknown_sources"] or 0, sources=_sources_of(r["sources"]),
        first_reported=_first_of(r["first_reported"]),
    )  # fmt: skip


def _pack_list(values: tuple[str, ...], d: Dialect) -> Any:
    """A story's summary sentences, compressed where the dialect packs text (never queried, read whole:
    3.2 instead of 7.1 MB for the 7,137 stories of 10k articles)."""
    encoded = d.encode_list(values)
    return pack(encoded) if d.packs_text else encoded


# A story's sources and first report are JSON text on both backends (read whole, never queried). Since
# schema version 12 (SQLite) / 11 (PostgreSQL) they are written as arrays, without a key name in every
# value (0.98 + 0.47 MB of 10k articles' stories were mostly those names); objects written before read
# as they were.
def _sources_json(groups: tuple[SourceGroup, ...]) -> str:
    rows = [[g.source, list(g.outlets), g.articles] for g in groups]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _sources_of(value: str | None) -> tuple[SourceGroup, ...]:
    out = []
    for g in json.loads(value or "[]"):
        source, outlets, articles = (g["source"], g["outlets"], g["articles"]) if isinstance(g, dict) else g
        out.append(SourceGroup(source=source, outlets=tuple(outlets), articles=int(articles)))
    return tuple(out)


_FIRST_FIELDS = ("article_id", "outlet", "wire", "published", "precision", "source")


def _first_json(f: FirstReport | None) -> str | None:
    if f is None:
        return None
    row = [f.article_id, f.outlet, f.wire, f.published.isoformat(), f.precision, f.source]
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _first_of(value: str | None) -> FirstReport | None:
    if not value:
        return None
    got = json.loads(value)
    f = got if isinstance(got, dict) else dict(zip(_FIRST_FIELDS, got, strict=True))
    return FirstReport(
        article_id=f["article_id"], outlet=f["outlet"], wire=f["wire"], published=datetime.fromisoformat(f["published"]),
        precision=f["precision"], source=f["source"],
    )  # fmt: skip
