"""Snippets for listings: the start of a text without markup debris.

Bodies extracted from pages can keep Markdown the extractor wrote (``![](https://…jpg)`` for an image,
``[text](url)`` for a link, ``#`` headings, ``**bold**``) and bare URLs; a listing shows a reader the
words, so those go (a link keeps its text) and whitespace runs collapse. The stored body is untouched.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|\*\*|__|`+")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """``text`` without Markdown images, link targets, bare URLs and emphasis marks, on one line."""
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def clean_snippet(text: str, limit: int = 240) -> str:
    """The first ``limit`` characters of :func:`clean_text`, cut at a word boundary (with ``…``)."""
    # clean only a window: a long body need not be cleaned whole for a few hundred characters
    clean = clean_text(text[: limit * 4])
    if len(clean) <= limit:
        return clean
    cut = clean.rfind(" ", 0, limit)
    return clean[: cut if cut > limit // 2 else limit].rstrip() + "…"
