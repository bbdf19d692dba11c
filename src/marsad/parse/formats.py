"""Structured inputs: TREC ``<DOC>`` files, JSON / JSON Lines records, HTML pages, RSS/Atom feeds.

Each reader maps the format's own fields to a :class:`ParsedPart`; bodies then go through the same
cleaning as scraped text (boilerplate lines, "read also" splits), so every format yields the same kind
of article.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.errors import FormatError, InputError, NotNews
from marsad.parse.dates import parse_feed_date, read_date
from marsad.parse.scraped_text import ParsedPart, split_parts


@dataclass
class Record:
    """One article's fields as a container format gives them."""

    parts: list[ParsedPart]
    member: str | None = None  # index or id inside the document
    url: str | None = None
    author: str | None = None
    category: str | None = None
    text: str = ""  # the text the part offsets refer to


def _body_parts(
    body: str,
    *,
    title: str | None,
    published: str | None,
    outlet: str | None,
    date_source: str = "feed",
) -> list[ParsedPart]:
    parts = split_parts(body, has_title=False)
    if not parts:
        if not title:
            return []
        # a headline-only item (feeds and archives have them): keep it, it still says what happened
        parts = [ParsedPart(part=0, title=None, body="", char_start=0, char_end=0)]
    main = parts[0]
    main.title = title or main.title
    if published:
        found = read_date(published)
        dt = found.value if found is not None else parse_feed_date(published)
        if dt is not None:
            main.published, main.date_text, main.date_source = dt, published, date_source
            main.date_precision = found.precision if found is not None else "day"
        elif main.published is None:
            main.date_text = published
    if outlet:
        main.outlet = outlet
    return parts


# ---- TREC ------------------------------------------------------------------------------------------

_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S | re.I)
_TREC_TAGS = ("DOCNO", "URL", "SRC", "CAT", "TITLE", "TIME", "AUTHOR", "ABSTRACT", "TEXT", "HEADLINE", "DATE")


def _trec_fields(doc: str) -> dict[str, str]:
    # str.find per tag: several times faster than one backreferencing regex over the whole document
    upper = doc if doc.isupper() else None
    out: dict[str, str] = {}
    for tag in _TREC_TAGS:
        open_, close = f"<{tag}>", f"</{tag}>"
        i = doc.find(open_)
        if i < 0:
            low = (upper or doc).lower().find(open_.lower())
            if low < 0:
                continue
            i = low
        j = doc.find(close, i) if doc.find(close, i) >= 0 else doc.lower().find(close.lower(), i)
        if j > i:
            out[tag] = doc[i + len(open_) : j].strip()
    return out


def read_trec(text: str, where: str) -> Iterator[Record]:
    docs = _DOC.findall(text)
    if not docs:
        raise FormatError(where, "TREC file without a complete <DOC>…</DOC> element (truncated?)")
    for i, doc in enumerate(docs):
        f = _trec_fields(doc)
        body = html.unescape(f.get("TEXT") or f.get("ABSTRACT") or "")
        title = f.get("TITLE") or f.get("HEADLINE")
        if not body.strip() and not (title or "").strip():
            raise FormatError(where, f"<DOC> {f.get('DOCNO', i)} has neither <TEXT> nor <TITLE>")
        parts = _body_parts(
            body,
            title=html.unescape(title) if title else None,
            published=f.get("TIME") or f.get("DATE"),
            outlet=f.get("SRC"),
        )
        yield Record(
            parts=parts,
            member=f.get("DOCNO") if len(docs) > 1 else None,
            url=f.get("URL"),
            author=f.get("AUTHOR") or None,
            category=f.get("CAT") or None,
            text=body,
        )


# ---- JSON ------------------------------------------------------------------------------------------

_TITLE_KEYS = ("title", "headline", "name")
_BODY_KEYS = ("content", "body", "text", "article", "article_body", "articleBody", "description", "summary")
_DATE_KEYS = (
    "published",
    "date_published",
    "datePublished",
    "published_at",
    "pubDate",
    "date",
    "time",
    "created_at",
)
_CRAWL_KEYS = ("date_extracted", "crawled_at", "fetched_at", "scraped_at")  # when it was fetched, not written
_OUTLET_KEYS = ("outlet", "source", "site", "site_name", "publisher", "source_name")
_URL_KEYS = ("url", "link", "canonical_url")
_AUTHOR_KEYS = ("author", "byline", "authors")


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = obj.get(k)
        if isinstance(v, dict):
            v = v.get("name") or v.get("title")
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v if isinstance(x, str | int | float))
        if isinstance(v, str | int | float) and str(v).strip():
            return str(v).strip()
    return None


def record_from_json(obj: Any, where: str) -> Record:
    if not isinstance(obj, dict):
        raise FormatError(where, f"expected a JSON object for an article, found {type(obj).__name__}")
    body = _first(obj, _BODY_KEYS) or ""
    if not body and not _first(obj, _TITLE_KEYS):
        # scrapers leave records with only a URL: nothing to store, but not a broken input either
        raise NotNews(where, "empty record (no title and no text): skipped")
    if "<" in body and re.search(r"</?(p|div|br|span)\b", body, re.I):
        body = html_to_text(body)
    published = _first(obj, _DATE_KEYS)
    parts = _body_parts(
        body,
        title=_first(obj, _TITLE_KEYS),
        published=published or _first(obj, _CRAWL_KEYS),
        outlet=_first(obj, _OUTLET_KEYS),
        date_source="feed" if published else "crawl",
    )
    return Record(
        parts=parts,
        url=_first(obj, _URL_KEYS),
        author=_first(obj, _AUTHOR_KEYS),
        category=_first(obj, ("category", "section")),
        text=body,
    )


def read_json(text: str, where: str) -> Iterator[Record | InputError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FormatError(where, f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "results", "documents"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    items = data if isinstance(data, list) else [data]
    if not any(isinstance(o, dict) and (_first(o, _BODY_KEYS) or _first(o, _TITLE_KEYS)) for o in items):
        raise NotNews(where, "JSON without article fields (title/content/body/text): not news, skipped")
    for i, obj in enumerate(items):
        member = str(i) if isinstance(data, list) else None
        try:
            rec = record_from_json(obj, f"{where}[{i}]" if member else where)
        except (FormatError, NotNews) as e:
            yield e
            continue
        rec.member = member
        yield rec


def read_jsonl(text: str, where: str) -> Iterator[Record | InputError]:
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield FormatError(f"{where}:{lineno}", f"malformed JSON line ({e.msg})")
            continue
        try:
            rec = record_from_json(obj, f"{where}:{lineno}")
        except (FormatError, NotNews) as e:
            yield e
            continue
        rec.member = f"line {lineno}"
        yield rec


# ---- HTML ------------------------------------------------------------------------------------------


# Characters XML 1.0 forbids: lxml refuses them in any string ("All strings must be XML compatible").
_XML_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_SPACE = str.maketrans({"\x0b": " ", "\x0c": " "})
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr)\s*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.S | re.I)


def xml_safe(text: str) -> str:
    """``text`` without the characters lxml rejects (NUL, C0 controls, surrogates, U+FFFE/U+FFFF); the
    vertical tab and form feed become spaces."""
    return _XML_UNSAFE.sub("", text.translate(_XML_SPACE))


def _lines_of(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def strip_tags(fragment: str) -> str:
    """Text of markup without a parser: scripts, styles and comments dropped, block ends as line breaks,
    other tags removed, entities decoded. What every lxml entry point falls back to."""
    text = _SCRIPT.sub(" ", fragment)
    text = _BLOCK_END.sub("\n", text)
    return _lines_of(html.unescape(_ANY_TAG.sub(" ", text)))


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries, JSON bodies) with paragraphs as lines.

    Never raises: markup lxml cannot take (control characters it refuses, an encoding declaration in a
    str, anything its parser chokes on) falls back to :func:`strip_tags`.
    """
    import lxml.html

    fragment = xml_safe(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        for br in root.iter("br"):
            br.tail = "\n" + (br.tail or "")
        for el in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
            el.tail = "\n" + (el.tail or "")
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        text = root.text_content()
    except Exception:  # lxml raises several types (ParserError, ValueError, XMLSyntaxError …)
        return strip_tags(fragment)
    return _lines_of(text)


def read_html(text: str, where: str, url: str | None = None) -> Record:
    import trafilatura

    text = xml_safe(text)
    try:
        doc = trafilatura.bare_extraction(
            text, url=url, with_metadata=True, include_comments=False, favor_precision=True
        )
        d = (doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)) if doc is not None else None
    except Exception:  # trafilatura surfaces lxml and its own errors: read the page without it
        title = _TITLE_TAG.search(text)
        d = {"text": html_to_text(text), "title": strip_tags(title.group(1)) if title else None}
    if d is None:
        raise FormatError(where, "no article text found in the HTML page")
    body = d.get("text") or ""
    if len(body.split()) < 5 and not d.get("title"):  # a menu link or a caption is not an article
        raise FormatError(where, "no article text found in the HTML page")
    parts = _body_parts(body, title=d.get("title"), published=d.get("date"), outlet=d.get("sitename"))
    return Record(
        parts=parts,
        url=d.get("url") or url,
        author=d.get("author"),
        category=(d.get("categories") or None) and str(d.get("categories")),
        text=body,
    )


# ---- RSS / Atom ------------------------------------------------------------------------------------


def read_feed(text: str, where: str) -> Iterator[Record | InputError]:
    import feedparser

    feed = feedparser.parse(xml_safe(text))
    if feed.bozo and not feed.entries:
        raise FormatError(
            where, f"malformed feed ({type(feed.bozo_exception).__name__}: {str(feed.bozo_exception)[:120]})"
        )
    if not feed.entries:
        raise FormatError(where, "feed has no entries")
    outlet = feed.feed.get("title")
    for i, e in enumerate(feed.entries):
        content = ""
        if e.get("content"):
            content = " ".join(c.get("value", "") for c in e["content"])
        content = content or e.get("summary", "") or e.get("description", "")
        body = html_to_text(content) if "<" in content else content
        if not body.strip() and not e.get("title"):
            yield FormatError(f"{where}[{i}]", "feed entry has neither text nor title")
            continue
        parts = _body_parts(
            body, title=e.get("title"), published=e.get("published") or e.get("updated"), outlet=outlet
        )
        yield Record(
            parts=parts,
            member=e.get("id") or e.get("link") or str(i),
            url=e.get("link"),
            author=e.get("author"),
            text=body,
        )
