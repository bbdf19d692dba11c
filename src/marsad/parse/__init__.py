"""RawDocument → Articles. Pure: no database, no network.

:func:`parse_document` decodes the bytes, recognises the format by content (a file's extension is a
hint at most), runs the matching reader and builds :class:`Article` records. Problems in one record of
a multi-record document are returned beside the good records instead of discarding the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from marsad.errors import FormatError, InputError
from marsad.ingest.decode import decode, sniff
from marsad.model import Article, RawDocument, SourceRef
from marsad.parse.build import build_articles
from marsad.parse.formats import Record, read_feed, read_html, read_json, read_jsonl, read_trec
from marsad.parse.scraped_text import split_parts

_MEDIA = {
    "trec": "application/x-trec",
    "feed": "application/rss+xml",
    "html": "text/html",
    "json": "application/json",
    "jsonl": "application/jsonl",
    "text": "text/plain",
}


@dataclass
class ParseResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def parse_document(raw: RawDocument) -> ParseResult:
    where = raw.source.origin + (f"#{raw.source.member}" if raw.source.member else "")
    text, encoding = decode(raw.data, where, raw.source.encoding)
    if not text.strip():
        raise FormatError(where, "no text (only whitespace)")
    kind = sniff(text)
    if kind == "xml":
        raise FormatError(where, "XML document that is neither a feed nor a TREC <DOC> file")
    base = SourceRef(
        origin=raw.source.origin,
        member=raw.source.member,
        record=raw.source.record,
        media_type=_MEDIA[kind],
        encoding=encoding,
    )
    result = ParseResult()
    if kind == "text":
        parts = split_parts(text)
        if not parts:
            raise FormatError(where, "no article text found")
        result.articles.extend(build_articles(parts, base, text))
        return result
    for rec in _records(kind, text, where, raw):
        if isinstance(rec, InputError):
            result.errors.append(rec)
            continue
        if not rec.parts:
            result.errors.append(FormatError(where, "record without article text"))
            continue
        record = rec.member if rec.member is not None else base.record
        src = SourceRef(
            origin=base.origin,
            member=base.member,
            record=record,
            media_type=base.media_type,
            encoding=encoding,
        )
        result.articles.extend(
            build_articles(
                rec.parts,
                src,
                rec.text,
                url=rec.url or raw.meta.get("url"),
                author=rec.author,
                category=rec.category,
            )
        )
    if not result.articles and not result.errors:
        raise FormatError(where, "no articles found")
    return result


def _records(kind: str, text: str, where: str, raw: RawDocument) -> Iterator[Record | InputError]:
    if kind == "trec":
        yield from read_trec(text, where)
    elif kind == "json":
        yield from read_json(text, where)
    elif kind == "jsonl":
        yield from read_jsonl(text, where)
    elif kind == "feed":
        yield from read_feed(text, where)
    elif kind == "html":
        yield read_html(text, where, raw.meta.get("url"))
