"""Name-aware search: a query word that is a KB name also finds the entity's other spellings.

``ترمب`` finds ``ترامب`` and ``Trump`` (and the other way round) because the knowledge base says they are
one person. Only a word that *is* a one-word name or alias of an entity expands (matched on its exact
key, so clitic forms like ``وترمب`` count, and a word that merely contains a name does not); it becomes
``(ترمب OR ترامب OR trump …)`` over that entity's one-word spellings, plus its multi-word names as
phrases where no one-word spelling covers them. A quoted word or phrase never expands (quotes mean
"exactly this"), and the user can switch expansion off (``exact``). Every expansion is reported, so the
interface can show it as a chip.

The same rewrite serves every caller of :func:`~marsad.search.results.run_search` (CLI, API, web pages,
alerts), so they all mean the same by a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marsad.entities.kb import KnowledgeBase
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, iter_words
from marsad.search.analysis import SearchKeys
from marsad.search.query import And, Node, Not, Or, Phrase, Term

MAX_SPELLINGS = 12  # alternatives one word may expand to (an ambiguous name lists several entities)


@dataclass(frozen=True)
class NameExpansion:
    """One query word and what it was widened to."""

    word: str  # as typed
    entity_ids: tuple[str, ...]
    names: tuple[str, ...]  # the entities' display names (Arabic)
    spellings: tuple[str, ...]  # the other spellings now matched too


def _words(text: str) -> list[str]:
    return [w for w, _, _ in iter_words(text)]


class NameIndex:
    """One-word names of a KB by exact key, and each entity's spellings (built once per KB)."""

    def __init__(self, kb: KnowledgeBase, analyzer: SearchKeys) -> None:
        self.kb = kb
        self.analyzer = analyzer
        self._by_key: dict[str, list[str]] = {}
        self._spellings: dict[str, tuple[tuple[str, ...], ...]] = {}
        for ent in kb.entities():
            names = [ent.name_ar, *ent.aliases, *kb.english_names(ent.id)]
            spellings: list[tuple[str, ...]] = []
            for name in dict.fromkeys(n for n in names if n):
                words = tuple(_words(name))
                if not words:
                    continue
                spellings.append(words)
                if len(words) == 1 and (key := self.key(words[0])):
                    self._by_key.setdefault(key, []).append(ent.id)
            self._spellings[ent.id] = tuple(spellings)

    def key(self, word: str) -> str | None:
        norm = normalize_text(word)
        if not norm or norm in ARABIC_STOPWORDS:
            return None
        k = self.analyzer.keys(norm)
        if not k.exact or k.exact in ARABIC_STOPWORDS or len(k.exact) < 2:
            return None
        return k.exact

    def near(self, key: str, max_edits: int = 2) -> list[str]:
        """Exact keys of KB one-word spellings within ``max_edits`` of ``key`` (for "did you mean"); a misspelling
        keeps the first or the last letter, which keeps this scan cheap."""
        from marsad.search.suggest import distance

        return [
            k
            for k in self._by_key
            if k != key
            and abs(len(k) - len(key)) <= max_edits
            and (k[0] == key[0] or k[-1] == key[-1])
            and distance(k, key) <= max_edits
        ]

    def entities_of(self, word: str) -> tuple[str, ...]:
        key = self.key(word)
        return tuple(dict.fromkeys(self._by_key.get(key, ()))) if key else ()

    def spellings(self, word: str, entity_ids: Iterable[str]) -> list[tuple[str, ...]]:
        """The other spellings of the entities (one-word ones, then multi-word names no one-word spelling
        covers), without ``word``'s own."""
        own = self.key(word)
        single: dict[str, str] = {}
        multi: list[tuple[str, ...]] = []
        for eid in entity_ids:
            for words in self._spellings.get(eid, ()):
                if len(words) == 1:
                    k = self.key(words[0])
                    if k and k != own and k not in single:
                        single[k] = words[0]
                else:
                    multi.append(words)
        covered = set(single) | ({own} if own else set())
        extra = [w for w in dict.fromkeys(multi) if not any(self.key(x) in covered for x in w)]
        return [(w,) for w in single.values()] + extra

    def expand(self, node: Node | None) -> tuple[Node | None, list[NameExpansion]]:
        """``node`` with every name word widened to its spellings, and what was widened."""
        found: dict[str, NameExpansion] = {}

        def walk(n: Node) -> Node:
            if isinstance(n, Term):
                ids = self.entities_of(n.text)
                if not ids:
                    return n
                alts = self.spellings(n.text, ids)[:MAX_SPELLINGS]
                if not alts:
                    return n
                if n.text not in found:
                    found[n.text] = NameExpansion(
                        word=n.text,
                        entity_ids=ids,
                        names=tuple(e.name_ar for e in (self.kb.get(i) for i in ids) if e is not None),
                        spellings=tuple(" ".join(a) for a in alts),
                    )
                return Or((n, *(Term(a[0]) if len(a) == 1 else Phrase(a) for a in alts)))
            if isinstance(n, Phrase):
                return n
            if isinstance(n, Not):
                return Not(walk(n.node))
            if isinstance(n, And):
                return And(tuple(walk(c) for c in n.nodes))
            return Or(tuple(walk(c) for c in n.nodes))

        if node is None:
            return None, []
        return walk(node), list(found.values())


_CACHE: dict[int, tuple[KnowledgeBase, NameIndex]] = {}


def names_for(kb: KnowledgeBase, analyzer: SearchKeys) -> NameIndex:
    """The :class:`NameIndex` of ``kb``, built once per KB."""
    cached = _CACHE.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, NameIndex(kb, analyzer))
        _CACHE[id(kb)] = cached
    return cached[1]
