"""User query text → a small boolean tree (pure; no index needed, so it is tested on its own).

Syntax, forgiving by design (a search box must never fail on odd input):

* words are ANDed: ``الرئيس الأمريكي``; ``+word`` is the same as ``word``;
* ``"a phrase"`` matches those words in that order (a quoted single word turns stemming off);
* ``OR`` (or ``|``, or the stopword ``أو``) between terms, ``AND`` optional, ``NOT word`` or ``-word`` excludes;
* parentheses group: ``(بوتين OR ترامب) -زيلينسكي``.

Unbalanced quotes and parentheses are closed at the end of the query; operators with nothing to act on
are dropped. Only length limits raise :class:`QueryError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.errors import MarsadError
from marsad.normalize.tokens import iter_words

MAX_QUERY_CHARS = 500
MAX_TERMS = 32


class QueryError(MarsadError):
    """The query cannot be searched (too long, too many terms)."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # the word as typed (normalized later by the compiler)


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    nodes: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or

_LEX = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+)')
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»＂"})


def _words(text: str) -> list[str]:
    return [w for w, _, _ in iter_words(text)]


def _lex(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _LEX.finditer(text.translate(_QUOTES)):
        if m.group("phrase") is not None:
            out.append(("phrase", m.group("phrase")))
        elif m.group("open"):
            out.append(("open", "("))
        elif m.group("close"):
            out.append(("close", ")"))
        else:
            w = m.group("word")
            if w in ("OR", "|", "أو"):
                out.append(("or", w))
            elif w in ("AND", "&", "&&"):
                out.append(("and", w))
            elif w == "NOT":
                out.append(("not", w))
            elif w.startswith("-") and len(w) > 1:
                out.extend([("not", "-"), ("word", w[1:])])
            elif w.startswith("+") and len(w) > 1:
                out.append(("word", w[1:]))
            else:
                out.append(("word", w))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        while self.i < len(self.toks):  # a stray ")" ends a group early: skip it and go on
            self.i += 1
            rest = self.or_expr()
            node = _join_and([n for n in (node, rest) if n is not None])
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while self.peek() == "or":
            self.i += 1
            parts.append(self.and_expr())
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        while (kind := self.peek()) is not None and kind not in ("or", "close"):
            if kind == "and":
                self.i += 1
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        return _join_and(parts)

    def unary(self) -> Node | None:
        kind, value = self.toks[self.i]
        self.i += 1
        if kind == "not":
            if self.peek() in (None, "or", "close", "and"):
                return None
            inner = self.unary()
            return Not(inner) if inner is not None else None
        if kind == "open":
            node = self.or_expr()
            if self.peek() == "close":
                self.i += 1
            return node
        if kind == "phrase":
            phrase = tuple(_words(value))
            return Phrase(phrase) if phrase else None
        words = _words(value)  # "الرئيس-الأمريكي" or "بيسكوف:" → plain words
        if not words:
            return None
        if len(words) == 1:
            return Term(words[0])
        return And(tuple(Term(w) for w in words))


def _join_and(parts: list[Node]) -> Node | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def parse_query(text: str) -> Node | None:
    """The boolean tree of ``text``; None when it holds no searchable word."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("q", f"the query is longer than {MAX_QUERY_CHARS} characters")
    node = _Parser(_lex(text)).parse()
    if node is not None and count_terms(node) > MAX_TERMS:
        raise QueryError("q", f"the query has more than {MAX_TERMS} words")
    return node


def count_terms(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Phrase):
        return len(node.words)
    if isinstance(node, Not):
        return count_terms(node.node)
    return sum(count_terms(n) for n in node.nodes)
