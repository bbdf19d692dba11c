"""Quoted spans and sentence boundaries in raw article text.

Scraped and machine-translated Arabic uses quote marks loosely: “ and ” swapped, spaces inside the
marks, a closing mark missing at the end of a paragraph. So a mark's role is read from its neighbours
(a mark followed by a letter opens, one that follows a letter or punctuation closes), not from which
mark it is, and marks never pair across a paragraph break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.normalize.arabic import QUOTE_MARKS

# Marks that pair with one another. Guillemets form their own family so « "x" » nests.
_GUILLEMETS = "«»‹›"
_MARKS = frozenset(QUOTE_MARKS)
_TERMINATORS = ".!?؟"
_OPEN_AFTER = "([{"
_DASHES = "-–—"
_ANY_MARK = re.compile("[" + re.escape(QUOTE_MARKS) + "]")
_BREAK = re.compile("\n|[.!?؟](?=$|\\s|[.!?؟" + re.escape(QUOTE_MARKS) + "])")


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """Text between quote marks; ``start``/``end`` exclude the marks and surrounding spaces."""

    open: int  # offset of the opening mark
    start: int
    end: int
    close: int  # offset just past the closing mark (== end when the quote was never closed)
    closed: bool


def _family(ch: str) -> int:
    return 1 if ch in _GUILLEMETS else 0


def _inner(text: str, open_at: int, end: int, close: int, closed: bool) -> MarkedSpan | None:
    s = open_at + 1
    while s < end and text[s].isspace():
        s += 1
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
    if e <= s:
        return None
    return MarkedSpan(open=open_at, start=s, end=e, close=close, closed=closed)


def _last_terminator(text: str, lo: int, hi: int) -> int:
    """Offset just past the last sentence terminator in ``text[lo:hi]``, or -1."""
    best = -1
    for t in _TERMINATORS:
        k = text.rfind(t, lo, hi)
        if k >= 0 and k + 1 > best:
            best = k + 1
    return best


def _closed_later(text: str, k: int, hi: int) -> bool:
    """With no quote open, a mark glued to the word before it and followed by a space still opens when a
    mark of its family closes later in the paragraph (``قائلا" نحن …"``, ``وأضاف« ليس …»``): scraped
    pages misplace the space."""
    family = _family(text[k])
    for j in range(k + 1, hi):
        ch = text[j]
        if ch in _MARKS and _family(ch) == family:
            prev = text[j - 1]
            return not prev.isspace() or j + 1 >= hi or not text[j + 1].isalnum()
    return False


def _paragraph_spans(text: str, lo: int, hi: int, out: list[MarkedSpan]) -> None:
    open_at = -1
    family = 0
    nested = False  # inside a mark of the other family within the open quote
    pos = lo
    while pos < hi:
        # jump to the next mark
        k = pos
        while k < hi and text[k] not in _MARKS:
            k += 1
        if k >= hi:
            break
        ch = text[k]
        prev = text[k - 1] if k > lo else " "
        nxt = text[k + 1] if k + 1 < hi else " "
        # a dash after the mark opens too ("قال:“- وفقا …”"): scraped pages put one there
        opens = nxt.isalnum() or nxt in _OPEN_AFTER or (nxt in _DASHES and k + 2 < hi and text[k + 2] != nxt)
        follows_text = not prev.isspace() and prev not in ":：" and prev not in _OPEN_AFTER
        if open_at < 0:
            if opens or (prev.isspace() and nxt.isspace()) or (nxt.isspace() and _closed_later(text, k, hi)):
                open_at, family, nested = k, _family(ch), False
        elif _family(ch) != family:
            nested = opens or (not nested and not follows_text)
        elif follows_text or not opens:
            if nested:
                nested = False
            else:
                span = _inner(text, open_at, k, k + 1, True)
                if span:
                    out.append(span)
                open_at = -1
        else:
            # a second opener: the first quote was never closed; end it at its last full stop
            cut = _last_terminator(text, open_at + 1, k)
            if cut > 0:
                span = _inner(text, open_at, cut, cut, False)
                if span:
                    out.append(span)
            open_at, family, nested = k, _family(ch), False
        pos = k + 1
    if open_at >= 0:
        span = _inner(text, open_at, hi, hi, False)
        if span:
            out.append(span)


def find_marked_spans(text: str) -> list[MarkedSpan]:
    """All quoted spans of ``text`` in order; unclosed quotes run to the end of their paragraph."""
    out: list[MarkedSpan] = []
    lo = 0
    n = len(text)
    while lo < n:
        hi = text.find("\n", lo)
        if hi < 0:
            hi = n
        if _ANY_MARK.search(text, lo, hi):
            _paragraph_spans(text, lo, hi, out)
        lo = hi + 1
    return out


def sentence_ends(text: str, spans: list[MarkedSpan]) -> list[int]:
    """Sorted offsets where sentences end (just past a terminator or at a line break).

    Terminators inside quoted spans do not end the sentence that reports the quote.
    """
    inside = bytearray(len(text) + 1)
    for s in spans:
        if s.closed:
            inside[s.start : s.end] = b"\x01" * (s.end - s.start)
    ends = []
    n = len(text)
    for m in _BREAK.finditer(text):
        k = m.start()
        if text[k] == "\n":
            ends.append(k)
        elif not inside[k]:
            ends.append(k + 1)
    if not ends or ends[-1] < n:
        ends.append(n)
    return ends
