"""Bytes → text, and what kind of document the bytes hold (by content, not by file name)."""

from __future__ import annotations

import codecs
import re

from marsad.errors import FormatError

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_MOJIBAKE = re.compile(r"[ØÙÚÛ][\u0080-\u00bf]")  # UTF-8 Arabic read as Latin-1/cp1252


_PRINTABLE = bytes(range(32, 256)) + b"\t\n\x0c\r\x1b"


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB (UTF-16 handled before this)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _PRINTABLE))
    return controls / len(head) > 0.02


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4000]
    if len(head) < 4 or b"\x00" not in head:
        return None  # spaces and newlines put NUL bytes in any UTF-16 text
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    half = len(head) // 2
    # Arabic in UTF-16 has 0x06 high bytes, Latin has 0x00: either way one byte lane is mostly constant.
    for enc, lane in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        common = sum(1 for b in lane if b in (0x00, 0x06, 0x20))
        if common > 0.8 * half and (even_nul or odd_nul):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes, where: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` → (text, encoding). Tries BOMs, UTF-8, UTF-16, the declared charset, Windows-1256.

    Raises FormatError for binary data or text that no candidate decodes sensibly.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", where), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", where), "utf-16"
    u16 = _utf16_without_bom(data)
    if u16 is not None:
        return u16, "utf-16"
    if looks_binary(data):
        raise FormatError(where, "binary data, not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        if len(data) - e.start <= 3 and e.reason == "unexpected end of data":
            # truncated in the middle of a multi-byte character: keep what is there
            return data[: e.start].decode("utf-8"), "utf-8"
        candidates = [c for c in (declared, "windows-1256") if c]
        for enc in candidates:
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            if _ARABIC.search(text) or enc == declared:
                return text, enc
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is None:
            raise FormatError(where, "undecodable text: not UTF-8, UTF-16 or Windows-1256") from None
        return data.decode(best.encoding, errors="replace"), best.encoding
    if _MOJIBAKE.search(text[:4000]) and not _ARABIC.search(text[:4000]):
        try:
            return text.encode("latin-1").decode("utf-8"), "utf-8 (repaired double encoding)"
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return text, "utf-8"


def _strict(data: bytes, enc: str, where: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise FormatError(where, f"invalid {enc} at byte {e.start}") from None


# Markup and JSON syntax, for telling a document from prose that merely starts like one.
TAG = re.compile(r"</?[A-Za-z!?][^<>\n]{0,500}>")
_JSON_KEY = re.compile(r'"(?:[^"\\\n]|\\.){0,200}"\s*:')
_NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
_PROSE_SCAN = 262_144


def prose_words(text: str) -> tuple[int, int]:
    """(words of prose, all words) in the first 256 KB of ``text``, markup and JSON keys not counted.

    A line is prose when it holds no JSON key and at most one tag (``<div>`` before a paragraph).
    A document that sniffs as JSON, HTML or XML but is mostly prose is a plain-text article with some
    page furniture around it; a real JSON, HTML, feed or TREC document keeps its words on lines of markup.
    """
    head = _NOT_TEXT.sub(" ", text[:_PROSE_SCAN])
    prose = total = 0
    for line in head.split("\n"):
        keys = len(_JSON_KEY.findall(line))
        tags = len(TAG.findall(line))
        words = len(_WORD.findall(_JSON_KEY.sub(" ", TAG.sub(" ", line)) if keys or tags else line))
        total += words
        if not keys and tags <= 1:
            prose += words
    return prose, total


def looks_like_prose(text: str) -> bool:
    """Is ``text`` mostly plain words (at least two), not markup or JSON syntax?"""
    prose, total = prose_words(text)
    return prose >= 2 and 2 * prose >= total


def sniff(text: str) -> str:
    """Media type of a decoded document: trec, feed, html, json, jsonl or text."""
    head = text[:2048].lstrip("\ufeff \t\r\n")
    low = head[:1024].lower()
    if low.startswith("<doc>") or low.startswith("<doc ") or "<docno>" in low[:300]:
        return "trec"
    if low.startswith("<?xml") or low.startswith("<rss") or low.startswith("<feed") or low.startswith("<rdf"):
        if "<rss" in low or "<feed" in low or "<rdf" in low or "<channel" in low:
            return "feed"
        if "<html" in low:
            return "html"
        return "xml"
    if (
        low.startswith("<!doctype html")
        or low.startswith("<html")
        or re.match(r"<(head|body|meta|div|p)\b", low)
    ):
        return "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0].strip()
        if first_line.endswith("}") and "\n{" in text[:65536]:
            return "jsonl"
        return "json"
    return "text"
