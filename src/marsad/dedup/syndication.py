"""Syndication: one wire text republished by several outlets, and counting *independent* sources.

Both functions work on ``Article`` records whose ``duplicate_of`` was set by the dedup stage, so they
need no index and can run over any set of stored articles (a story, a search result).
"""

from __future__ import annotations

from collections.abc import Iterable

from marsad.model import Article
from marsad.normalize.arabic import normalize_text


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key wins so the result does not depend on the order of unions.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def syndication_groups(articles: Iterable[Article]) -> dict[str, str]:
    """Article id -> syndication group id, for articles whose text appears under two or more outlets.

    A group is a near/exact-duplicate group (``duplicate_of``) spanning several outlets; its id is the
    group's original article id. Copies inside one outlet (re-posts, updates) are not syndication.
    """
    members: dict[str, list[Article]] = {}
    for a in articles:
        members.setdefault(a.duplicate_of or a.id, []).append(a)
    out: dict[str, str] = {}
    for gid, arts in members.items():
        if len({a.outlet or f"?{a.id}" for a in arts}) >= 2:
            for a in arts:
                out[a.id] = gid
    return out


def source_key(article: Article) -> str:
    """Who actually reported the text: the credited wire, else the outlet, else the article itself."""
    if article.wire:
        return "w:" + normalize_text(article.wire)
    return "o:" + normalize_text(article.outlet) if article.outlet else "x:" + article.id


def independent_sources(articles: Iterable[Article]) -> int:
    """Number of independent sources among ``articles``.

    Articles are linked when they come from the same source (:func:`source_key`: the same outlet, or the
    same credited wire agency) or are copies of one text (``duplicate_of``). Each connected group counts
    once: three outlets running one Reuters dispatch, plus Reuters' own copy, are one source.
    """
    uf = _UnionFind()
    nodes = []
    for a in articles:
        node = "n:" + a.id
        nodes.append(node)
        uf.union(node, source_key(a))
        uf.union(node, "g:" + (a.duplicate_of or a.id))
    return len({uf.find(n) for n in nodes})
