"""RawDocument → Articles. Pure: no database, no network.

:func:`parse_document` decodes the bytes, recognises the format by content (a file's extension is a
hint at most), runs the matching reader and builds :class:`Article` records. Problems in one record of
a multi-record document are returned beside the good records instead of discarding the document.

Sniffing never loses text: a document that starts like JSON, HTML, XML, a feed or a TREC file (``[ad_1]``,
``[عاجل] …``, ``{``, ``<div>`` before a paragraph) but does not read as that format, and is mostly prose,
is read as plain text instead, with a note saying so. The same holds for an HTML reader that keeps only
a fraction of the words a document holds outside any markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from marsad.errors import FormatError, InputError, NotNews
from marsad.model import Article, RawDocument, SourceRef
from marsad.parse.build import build_articles
from marsad.parse.decode import TAG, decode, looks_like_prose, prose_words, sniff
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
_LABEL = {
    "trec": "TREC <DOC> file",
    "feed": "RSS/Atom feed",
    "html": "HTML page",
    "json": "JSON",
    "jsonl": "JSON Lines",
    "xml": "feed or TREC file",
}
# An HTML reader result keeping fewer than this share of the words written outside markup lost text.
_HTML_KEEPS = 0.5
_HTML_MIN_PROSE = 20
# WordPress shortcodes scrapers leave in the text ("[ad_1]", "[caption id=…]", "[/caption]")
_JSON_LINE = re.compile(r"^[ \t]*[\[{][^\n]*[\]}][ \t]*$", re.M)
_SHORTCODE = re.compile(r"\[/?[a-z][a-z0-9_-]*(?:\s[^\[\]\n]{0,200})?\]")


@dataclass
class ParseResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # (where, message): how the document was read when that is not what its content first suggested
    notes: list[tuple[str, str]] = field(default_factory=list)


def parse_document(raw: RawDocument) -> ParseResult:
    where = raw.source.origin + (f"#{raw.source.member}" if raw.source.member else "")
    text, encoding = decode(raw.data, where, raw.source.encoding)
    if not text.strip():
        raise FormatError(where, "no text (only whitespace)")
    kind = sniff(text)
    if kind == "text":
        return _as_text(text, where, raw, encoding)
    if kind == "xml":
        if looks_like_prose(text):
            return _as_text(
                text, where, raw, encoding, f"read as plain text: an XML declaration but not a {_LABEL[kind]}"
            )
        raise FormatError(where, "XML document that is neither a feed nor a TREC <DOC> file")
    try:
        result = _structured(kind, text, where, raw, encoding)
    except NotNews:
        raise  # well-formed data that holds no articles: skipped, not text
    except FormatError as e:
        if not looks_like_prose(text):
            raise
        return _as_text(
            text, where, raw, encoding, f"read as plain text: not valid {_LABEL[kind]} ({e.reason})"
        )
    except Exception as e:  # a reader failing on input it was never meant for
        if not looks_like_prose(text):
            raise
        return _as_text(
            text,
            where,
            raw,
            encoding,
            f"read as plain text: not valid {_LABEL[kind]} ({type(e).__name__}: {e})",
        )
    if not result.articles and looks_like_prose(text):
        first = result.errors[0].reason if result.errors else "no articles"
        return _as_text(text, where, raw, encoding, f"read as plain text: not valid {_LABEL[kind]} ({first})")
    if kind == "html" and result.articles:
        prose, _ = prose_words(text)
        kept = sum(len(a.body.split()) + len((a.title or "").split()) for a in result.articles)
        if prose >= _HTML_MIN_PROSE and kept < _HTML_KEEPS * prose:
            return _as_text(
                text,
                where,
                raw,
                encoding,
                f"read as plain text: the HTML reader kept {kept} of the {prose} words written outside markup",
            )
    if not result.articles and not result.errors:
        raise FormatError(where, "no articles found")
    return result


def _base(raw: RawDocument, kind: str, encoding: str) -> SourceRef:
    return SourceRef(
        origin=raw.source.origin,
        member=raw.source.member,
        record=raw.source.record,
        media_type=_MEDIA[kind],
        encoding=encoding,
    )


def _as_text(text: str, where: str, raw: RawDocument, encoding: str, note: str | None = None) -> ParseResult:
    """The ``text`` path: the seed-style parser over the whole document.

    After a format was rejected, tags (``<div>``, ``<?xml …?>``) and shortcodes (``[ad_1]``) are blanked
    with spaces of the same length, so they do not become part of a headline or a body while every offset
    still points into ``text``.
    """
    # the fetch time resolves year-less and relative dates (``اليوم الاثنين``) when the source gives one
    parts = split_parts(_blank_furniture(text) if note else text, ref=raw.fetched_at)
    if not parts:
        raise FormatError(where, "no article text found")
    result = ParseResult(articles=build_articles(parts, _base(raw, "text", encoding), text))
    if note:
        result.notes.append((where, note))
    return result


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _blank_json_line(m: re.Match[str]) -> str:
    try:
        json.loads(m.group())
    except ValueError:
        return m.group()
    return " " * len(m.group())


def _blank_furniture(text: str) -> str:
    """Tags, shortcodes and lines that are a JSON value of their own (metadata before the article) as
    spaces."""
    text = _JSON_LINE.sub(_blank_json_line, text)
    return _SHORTCODE.sub(_blank, TAG.sub(_blank, text))


def _structured(kind: str, text: str, where: str, raw: RawDocument, encoding: str) -> ParseResult:
    base = _base(raw, kind, encoding)
    result = ParseResult()
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
