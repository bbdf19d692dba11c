"""One article body prepared for quote extraction: tokens, quoted spans, sentences and mentions by token."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from marsad.model import Mention, MentionKind, Speaker
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import Token, iter_words, word_stream
from marsad.quotes.spans import MarkedSpan, find_marked_spans, sentence_ends

COMMA = ",،;؛"
COLON = ":："

# Word -> normalized form. News vocabulary is Zipfian, so a bounded cache makes tokenizing several
# times faster than normalizing every occurrence (what ``tokenize`` does).
_NORM: dict[str, str] = {}


# character classes asked of gaps (",،;؛:" …) → their set; the rules build the same few strings again and again
_CHAR_SETS: dict[str, frozenset[str]] = {}


def word_set(words: str) -> frozenset[str]:
    """Normalized forms of the space-separated ``words`` (for closed word classes written inline)."""
    return frozenset(normalize_text(w) for w in words.split())


def _tokenize(text: str) -> list[Token]:
    ws = word_stream(text)  # the body as the entity stage already cut it
    if ws.per_word:
        return list(map(Token, ws.words, ws.starts, ws.ends))
    out = []
    norm = _NORM
    for word, s, e in iter_words(text):
        key = norm.get(word)
        if key is None:
            key = normalize_text(word)
            if len(norm) > 300_000:
                norm.clear()
            norm[word] = key
        if key:
            out.append(Token(key, s, e))
    return out


def _offsets(text: str, ch: str) -> list[int]:
    out = []
    k = text.find(ch)
    while k >= 0:
        out.append(k)
        k = text.find(ch, k + 1)
    return out


class Doc:
    __slots__ = (
        "closers",
        "gaps",
        "known",
        "line_ends",
        "mention_at",
        "ner_names",
        "sent_ends",
        "sent_starts",
        "span_starts",
        "spans",
        "starts",
        "text",
        "toks",
        "words",
    )

    def __init__(self, text: str, mentions: Sequence[Mention] = ()) -> None:
        self.text = text
        self.toks: list[Token] = _tokenize(text)
        self.starts = [t.start for t in self.toks]
        # plain lists for word() and gap(), called about a thousand times per token read
        self.words = [t.text for t in self.toks]
        # the raw text of every gap, cut once: the rules read the gaps around a token many times over
        ends = [0, *(t.end for t in self.toks)]
        self.gaps = [text[lo:hi] for lo, hi in zip(ends, [*self.starts, len(text)], strict=True)]
        self.spans: list[MarkedSpan] = find_marked_spans(text)
        self.span_starts = [s.start for s in self.spans]
        self.sent_ends = sentence_ends(text, self.spans)
        self.sent_starts = frozenset(bisect_left(self.starts, e) for e in self.sent_ends) | {0}
        # offsets of every line break and closing parenthesis: looking one up is a bisection, where
        # ``text.find`` from each quote would rescan a long paragraph once per quote (quadratic)
        self.line_ends = _offsets(text, "\n")
        self.closers = _offsets(text, ")")
        # first token of each mention -> (mention, index just past its last token)
        self.mention_at: dict[int, tuple[Mention, int]] = {}
        # entity id of a person the tagger found but the KB does not know -> the name as first written
        self.ner_names: dict[str, str] = {}
        # a single word that names a person met earlier in the text ("زلاتكو", "العصيمي") -> that person
        self.known: dict[str, Speaker] = {}
        n = len(text)
        for m in mentions:
            if not (0 <= m.start < m.end <= n):
                continue  # a mention from another text must not break extraction
            if m.kind is MentionKind.NER and m.entity_id:
                self.ner_names.setdefault(m.entity_id, m.text)
            first = self.token_at(m.start)
            last = bisect_left(self.starts, m.end)
            if first < last and first not in self.mention_at:
                self.mention_at[first] = (m, last)

    def __len__(self) -> int:
        return len(self.toks)

    def line_start(self, off: int) -> int:
        """Offset where the line holding ``off`` starts (``text.rfind("\\n", 0, off) + 1``)."""
        k = bisect_left(self.line_ends, off)
        return self.line_ends[k - 1] + 1 if k > 0 else 0

    def line_end(self, off: int) -> int:
        """Offset of the first line break at or after ``off``, else ``len(text)``."""
        k = bisect_left(self.line_ends, off)
        return self.line_ends[k] if k < len(self.line_ends) else len(self.text)

    def next_closer(self, off: int) -> int:
        """Offset of the first ``)`` at or after ``off`` (``text.find(")", off)``), -1 if none."""
        k = bisect_left(self.closers, off)
        return self.closers[k] if k < len(self.closers) else -1

    def word(self, i: int) -> str:
        """Normalized word ``i`` ('' past either end, so look-arounds need no bounds checks)."""
        return self.words[i] if 0 <= i < len(self.words) else ""

    def gap(self, i: int) -> str:
        """Raw text between token ``i - 1`` and token ``i`` (punctuation, marks, spaces): before the first
        token for ``i == 0``, after the last for ``i == len``, '' further out."""
        return self.gaps[i] if 0 <= i < len(self.gaps) else ""

    def gap_has(self, i: int, chars: str) -> bool:
        """Does gap ``i`` hold any of the characters ``chars`` (``any(c in self.gap(i) for c in chars)``)?"""
        if not 0 <= i < len(self.gaps):
            return False
        found = _CHAR_SETS.get(chars)
        if found is None:
            if len(_CHAR_SETS) > 1000:
                _CHAR_SETS.clear()
            found = _CHAR_SETS[chars] = frozenset(chars)
        return not found.isdisjoint(self.gaps[i])

    def token_at(self, offset: int) -> int:
        """Index of the token containing ``offset``, else of the first token after it."""
        k = bisect_right(self.starts, offset) - 1
        if k >= 0 and self.toks[k].end > offset:
            return k
        return k + 1

    def first_from(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset`` (== count of tokens before it)."""
        return bisect_left(self.starts, offset)

    def sentence(self, i: int) -> tuple[int, int]:
        """Token range [first, past-last) of the sentence holding token ``i`` (past the end: the last one)."""
        off = self.toks[i].start if 0 <= i < len(self.toks) else len(self.text)
        k = bisect_right(self.sent_ends, off)
        lo_off = self.sent_ends[k - 1] if k > 0 else 0
        hi_off = self.sent_ends[k] if k < len(self.sent_ends) else len(self.text)
        return bisect_left(self.starts, lo_off), bisect_left(self.starts, hi_off)

    def sentence_end_offset(self, off: int) -> int:
        k = bisect_right(self.sent_ends, off)
        return self.sent_ends[k] if k < len(self.sent_ends) else len(self.text)

    def span_containing(self, off: int) -> MarkedSpan | None:
        k = bisect_right(self.span_starts, off) - 1
        if k >= 0 and self.spans[k].start <= off < self.spans[k].end:
            return self.spans[k]
        return None

    def span_starting_at(self, i: int) -> MarkedSpan | None:
        """The quoted span whose first word is token ``i``."""
        if not 0 <= i < len(self.toks):
            return None
        s = self.span_containing(self.toks[i].start)
        return s if s is not None and self.token_at(s.start) == i else None

    def tokens_between(self, lo: int, hi: int) -> int:
        """Number of tokens whose start lies in [lo, hi)."""
        return bisect_left(self.starts, hi) - bisect_left(self.starts, lo)
