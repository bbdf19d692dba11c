"""Dictionary matching of normalized phrases in raw Arabic text, clitic-aware, longest match first.

How it works, and why it is fast:

* The text is cut into words; all words are normalized in *one* ``normalize_text`` call (joined by NUL,
  which the normalizer keeps), then re-joined with single spaces into a "token line". A sentence break
  between two words (``. ! ? : ؛`` or a newline) becomes ``\\n`` instead, so no phrase spans sentences.
* One pyahocorasick automaton holds every phrase; a single C pass over the token line finds all
  candidates. A candidate must end at a word end, and may start inside a word only after a proclitic
  chain (و ف ب ل ك and their pairs: وبوتين, لبيسكوف, وبالكرملين). Phrases that begin with the article
  also get a "lam form" so that للرئيس / وللرئيس match الرئيس.
* Overlaps are resolved longest first (in words, then in letters), so الرئيس الأمريكي المنتخب beats
  الرئيس الأمريكي and بوتين beats a stray وتين.
* Offsets map back to the original text: words keep their original spans; a stripped clitic is skipped
  letter by letter, diacritics included.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Generic, TypeVar

import ahocorasick

from marsad.normalize.arabic import normalize_text

# The shared word stream (letters, digits and the harakat inside a word, normalized once per text).
from marsad.normalize.tokens import word_stream

T = TypeVar("T")

# Proclitic chains allowed before a phrase (normalized). The article is not among them: a phrase that
# takes the article lists it itself (الكرملين), and names never take it.
PROCLITICS = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
# Before a lam form (ل + phrase without its alef: للرئيس = ل + لرئيس).
LAM_PROCLITICS = frozenset({"ل", "ول", "فل"})
_BREAK = re.compile(r"[.!?؟:;؛\n]+")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class TokenLine:
    """Normalized words of a text with their original spans."""

    text: str  # the original text
    words: list[str]  # normalized words
    starts: list[int]  # original offsets
    ends: list[int]
    breaks: frozenset[int]  # i in breaks: a sentence break lies between word i-1 and word i
    line: str  # words joined by " " or "\n" (at breaks), with a trailing " "
    line_starts: list[int]  # offset of each word in ``line``

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    start: int  # original offsets, clitics excluded
    end: int
    key: str  # the normalized phrase that matched
    payloads: tuple[T, ...]

    @property
    def n_words(self) -> int:
        return self.last - self.first + 1


def token_line(text: str) -> TokenLine:
    """Cut ``text`` into normalized words keeping original offsets (one normalizer call per text, shared
    with the other stages through :func:`~marsad.normalize.tokens.word_stream`)."""
    ws = word_stream(text)
    words, starts, ends = ws.words, ws.starts, ws.ends
    breaks = frozenset(bisect_right(starts, m.start()) for m in _BREAK.finditer(text)) - {0, len(words)}
    line_starts = list(accumulate((len(w) + 1 for w in words[:-1]), initial=0)) if words else []
    if breaks:
        cuts = [0, *sorted(breaks), len(words)]
        line = "\n".join(" ".join(words[a:b]) for a, b in pairwise(cuts)) + " "
    else:
        line = " ".join(words) + " "
    return TokenLine(text, words, starts, ends, breaks, line, line_starts)


_CHAR_KEPT: dict[str, bool] = {}


def skip_letters(word: str, n: int) -> int:
    """Offset in the original ``word`` after its first ``n`` normalized letters (and their marks)."""
    count = 0
    i = 0
    while i < len(word):
        c = word[i]
        kept = _CHAR_KEPT.get(c)
        if kept is None:
            kept = _CHAR_KEPT[c] = bool(normalize_text(c))
        if kept:
            if count == n:
                return i
            count += 1
        i += 1
    return i


class PhraseMatcher(Generic[T]):
    """Aho-Corasick over normalized phrases with clitic handling; add phrases, then :meth:`build`."""

    def __init__(self) -> None:
        self._plain: dict[str, list[T]] = {}
        self._auto: ahocorasick.Automaton | None = None

    def add(self, phrase: str, payload: T) -> None:
        """Add a phrase (any spelling; it is normalized here) that yields ``payload`` when found."""
        self.add_normalized(" ".join(normalize_text(phrase).split()), payload)

    def add_normalized(self, key: str, payload: T) -> None:
        """Add a phrase that is already a normalized key (single spaces)."""
        if len(key) < 2:
            return
        bucket = self._plain.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)
        self._auto = None

    def add_all(self, phrases: Iterable[str], payload: T) -> None:
        for p in phrases:
            self.add(p, payload)

    def __len__(self) -> int:
        return len(self._plain)

    def get(self, phrase: str) -> tuple[T, ...]:
        """Payloads of an exact normalized phrase."""
        return tuple(self._plain.get(" ".join(normalize_text(phrase).split()), ()))

    def build(self) -> None:
        auto = ahocorasick.Automaton()
        # value: (key, payloads, lam_form, latin)
        entries: dict[str, tuple[str, tuple[T, ...], bool, bool]] = {}
        for key, payloads in self._plain.items():
            entries[key] = (key, tuple(payloads), False, _LATIN.match(key) is not None)
        for key, payloads in self._plain.items():
            if key.startswith("ال") and len(key) > 3:
                lam = key[1:]  # الرييس → لرييس, matched after ل in للرييس
                if lam not in entries:
                    entries[lam] = (key, tuple(payloads), True, False)
        for k, v in entries.items():
            auto.add_word(k, v)
        auto.make_automaton()
        self._auto = auto

    def scan(
        self, text: str | TokenLine, check: Callable[[], None] | None = None
    ) -> tuple[TokenLine, list[Hit[T]]]:
        """All non-overlapping hits in ``text``, sorted by position. ``check`` (a time budget) is called
        about once per candidate and may raise to stop the scan."""
        toks = text if isinstance(text, TokenLine) else token_line(text)
        if self._auto is None:
            self.build()
        auto = self._auto
        assert auto is not None
        if not toks.words:
            return toks, []
        line, lstarts = toks.line, toks.line_starts
        cands: list[tuple[int, int, int, int, Hit[T]]] = []
        check = check or _no_check
        for end_idx, (key, payloads, lam, latin) in auto.iter(line):
            check()
            if line[end_idx + 1] not in " \n":
                continue
            start_idx = end_idx - len(key if not lam else key[1:]) + 1
            first = bisect_right(lstarts, start_idx) - 1
            cut = start_idx - lstarts[first]
            if lam:
                if line[lstarts[first] : start_idx] not in LAM_PROCLITICS:
                    continue
            elif cut and (latin or line[lstarts[first] : start_idx] not in PROCLITICS):
                continue
            last = bisect_right(lstarts, end_idx) - 1
            start = toks.starts[first]
            if cut:
                start += skip_letters(text_of(toks, first), cut)
            hit = Hit(first, last, start, toks.ends[last], key, payloads)
            cands.append((-(last - first), -len(key), first, cut, hit))
        cands.sort(key=lambda c: c[:4])
        taken = bytearray(len(toks.words))
        chosen: list[Hit[T]] = []
        for *_, hit in cands:
            check()
            if any(taken[hit.first : hit.last + 1]):
                continue
            taken[hit.first : hit.last + 1] = b"\x01" * hit.n_words
            chosen.append(hit)
        chosen.sort(key=lambda h: h.first)
        return toks, chosen


def _no_check() -> None:
    pass


def text_of(toks: TokenLine, i: int) -> str:
    """Original text of word ``i``."""
    return toks.text[toks.starts[i] : toks.ends[i]]


class SpanIndex:
    """Character spans ``[start, end)`` answering "does any overlap / contain this one?" in O(log n).

    Spans are kept sorted by start with a running maximum of their ends, so both questions are one
    bisection: the spans starting before a point form a prefix, and the prefix's largest end decides.
    (A linear ``any(...)`` over every span, per query, made entity linking quadratic in the text.)
    Spans may overlap one another; :meth:`add` takes spans in non-decreasing start order.
    """

    __slots__ = ("_max_end", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._max_end: list[int] = []
        for s, e in sorted(spans):
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        if self._starts and start < self._starts[-1]:
            raise ValueError("SpanIndex.add: spans must come in order of their start")
        self._starts.append(start)
        self._max_end.append(max(end, self._max_end[-1]) if self._max_end else end)

    def overlaps(self, start: int, end: int) -> bool:
        """Is there a span ``(a, b)`` with ``a < end and start < b``?"""
        k = bisect_left(self._starts, end)
        return k > 0 and self._max_end[k - 1] > start

    def contains(self, start: int, end: int) -> bool:
        """Is there a span ``(a, b)`` with ``a <= start and end <= b``?"""
        k = bisect_right(self._starts, start)
        return k > 0 and self._max_end[k - 1] >= end
