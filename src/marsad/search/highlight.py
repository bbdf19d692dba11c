"""Snippets with the matched words marked, cut from the ORIGINAL text (never the normalized keys).

A word is marked when its keys match the query's positive words the way the index matched them: on the
exact key always, on the stem only for words that are not names. Output is a list of ``(text,
matched)`` segments; :func:`segments_html` escapes every piece before wrapping matches in ``<mark>``,
so a hostile text stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, iter_words
from marsad.search.analysis import SearchKeys
from marsad.search.query import Node, Not, Phrase, Term

Segment = tuple[str, bool]


@dataclass
class MatchSet:
    exact: set[str] = field(default_factory=set)
    stem: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.exact or self.stem)


def match_set(node: Node | None, analyzer: SearchKeys) -> MatchSet:
    """Keys of the words a hit may contain because of ``node`` (negated words excluded)."""
    out = MatchSet()

    def walk(n: Node) -> None:
        if isinstance(n, Not):
            return
        if isinstance(n, Term | Phrase):
            words = (n.text,) if isinstance(n, Term) else n.words
            for w in words:
                norm = normalize_text(w)
                if not norm or norm in ARABIC_STOPWORDS:
                    continue
                k = analyzer.keys(norm)
                out.exact.add(k.exact)
                if isinstance(n, Term) and not k.name:
                    out.stem.add(k.stem)
            return
        for child in n.nodes:
            walk(child)

    if node is not None:
        walk(node)
    return out


def _matches(text: str, ms: MatchSet, analyzer: SearchKeys) -> list[tuple[int, int]]:
    spans = []
    for word, s, e in iter_words(text):
        k = analyzer.raw_keys(word)
        if k.exact and (k.exact in ms.exact or k.stem in ms.stem):
            spans.append((s, e))
    return spans


def mark_all(text: str, ms: MatchSet, analyzer: SearchKeys) -> list[Segment]:
    """All of ``text`` with every matching word marked (titles, quotes)."""
    return _segments(text, _matches(text, ms, analyzer) if ms else [], 0, len(text))


def snippet(text: str, ms: MatchSet, analyzer: SearchKeys, *, width: int = 260) -> list[Segment]:
    """The ``width``-character window of ``text`` with the most matching words, marked."""
    spans = _matches(text, ms, analyzer) if ms else []
    if len(text) <= width:
        return _segments(text, spans, 0, len(text))
    start = 0
    if spans:
        best = -1
        for s, _ in spans[:300]:
            lo = max(0, s - width // 4)
            n = sum(1 for a, b in spans if a >= lo and b <= lo + width)
            if n > best:
                best, start = n, lo
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    # widen to whole words so no word is cut in half
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    segs = _segments(text, spans, start, end)
    if start > 0:
        segs.insert(0, ("… ", False))
    if end < len(text):
        segs.append((" …", False))
    return segs


def _segments(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < end:
        out.append((text[pos:end], False))
    return [(t.replace("\n", " "), m) for t, m in out]


def segments_html(segments: list[Segment]) -> str:
    """Escaped HTML with matches in ``<mark>``."""
    return "".join(f"<mark>{escape(t)}</mark>" if m else escape(t) for t, m in segments)


def segments_text(segments: list[Segment]) -> str:
    return "".join(t for t, _ in segments)
