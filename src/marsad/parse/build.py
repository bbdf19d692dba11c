"""ParsedPart + source → Article: stable ids, content hashes, normalized search text, language."""

from __future__ import annotations

import hashlib
from datetime import datetime

from marsad.model import Article, SourceRef
from marsad.normalize.arabic import clean_text, normalize_text
from marsad.normalize.language import detect_language
from marsad.parse.scraped_text import ParsedPart


def content_hash(norm_title: str, norm_body: str, outlet: str | None, published: datetime | None) -> str:
    """Identity of an article's content: the same text from the same outlet on the same day.

    Normalized, so invisible differences (diacritics, BOMs, quote styles) do not make a new article;
    the outlet and day are part of it, so one wire text republished by two outlets stays two articles
    (syndication is detected later, not erased here).
    """
    day = published.date().isoformat() if published else ""
    key = "\x1f".join((norm_title, norm_body, normalize_text(outlet or ""), day))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _meta(value: str | None) -> str | None:
    """A metadata field as shown to people: cleaned like the text (no terminal controls), or None."""
    v = clean_text(value).strip() if value else ""
    return v or None


def build_articles(
    parts: list[ParsedPart],
    source: SourceRef,
    text: str = "",
    *,
    url: str | None = None,
    author: str | None = None,
    category: str | None = None,
) -> list[Article]:
    """Articles of one document: part 0 is the main article, later parts link to it by ``parent_id``."""
    out: list[Article] = []
    parent_id: str | None = None
    for p in parts:
        published = p.published if isinstance(p.published, datetime) else None
        title = _meta(p.title)
        body = clean_text(p.body).strip()
        outlet = _meta(p.outlet)
        norm_title, norm_body = normalize_text(title or ""), normalize_text(body, keep_lines=True)
        h = content_hash(norm_title, norm_body, outlet, published)
        ref = SourceRef(
            origin=source.origin,
            member=source.member,
            record=source.record,
            part=p.part,
            char_start=p.char_start,
            char_end=p.char_end,
            media_type=source.media_type,
            encoding=source.encoding,
        )
        art = Article(
            id=h[:16],
            source=ref,
            title=title or None,
            body=body,
            raw=text[p.char_start : p.char_end] if text else "",
            published=published,
            date_text=_meta(p.date_text),
            date_precision=(p.date_precision or "day") if published else None,
            date_source=(p.date_source or "header") if published else None,
            outlet=outlet,
            wire=_meta(p.wire),
            url=_meta(url) if p.part == 0 else None,
            author=_meta(author) if p.part == 0 else None,
            category=_meta(category),
            tags=tuple(t for t in map(_meta, p.tags) if t),
            cited_media=tuple(c for c in map(_meta, p.cited_media) if c),
            language=detect_language(body or title or ""),
            parent_id=parent_id if p.part > 0 else None,
            search_text=f"{norm_title}\n{norm_body}",
            content_hash=h,
        )
        if p.part == 0:
            parent_id = art.id
        out.append(art)
    return out
