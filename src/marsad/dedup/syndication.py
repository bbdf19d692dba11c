"""Syndication: one wire text republished by several outlets, and counting *independent* sources.

Both functions work on ``Article`` records whose ``duplicate_of`` was set by the dedup stage, so they
need no index and can run over any set of stored articles (a story, a search result).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from marsad.clock import timestamp
from marsad.model import Article, FirstReport, SourceGroup
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


def source_groups(articles: Iterable[Article]) -> tuple[SourceGroup, ...]:
    """The sources among ``articles``, the known ones first (most articles first), then the unknown ones.

    Articles are linked when they come from the same source (:func:`source_key`: the same outlet, or the
    same credited wire agency) or are copies of one text (``duplicate_of``). Each connected group is one
    source: three outlets running one Reuters dispatch, plus Reuters' own copy, are one. A group in which
    no article names an outlet or a wire is an *unknown* source (``source`` None): it may well be one of
    the known ones, so it is counted apart, never as an independent confirmation.
    """
    uf = _UnionFind()
    arts = list(articles)
    for a in arts:
        node = "n:" + a.id
        uf.union(node, source_key(a))
        uf.union(node, "g:" + (a.duplicate_of or a.id))
    members: dict[str, list[Article]] = {}
    for a in arts:
        members.setdefault(uf.find("n:" + a.id), []).append(a)
    groups: list[SourceGroup] = []
    for group in members.values():
        wires = Counter(a.wire for a in group if a.wire)
        outlets = Counter(a.outlet for a in group if a.outlet)
        named = wires or outlets
        source = min(named, key=lambda n: (-named[n], n)) if named else None
        groups.append(
            SourceGroup(
                source=source,
                outlets=tuple(sorted(outlets, key=lambda n: (-outlets[n], n))),
                articles=len(group),
            )
        )
    groups.sort(key=lambda g: (g.source is None, -g.articles, g.source or "", g.outlets))
    return tuple(groups)


def independent_sources(articles: Iterable[Article]) -> int:
    """Number of independent *known* sources among ``articles`` (see :func:`source_groups`)."""
    return sum(g.source is not None for g in source_groups(articles))


def unknown_sources(articles: Iterable[Article]) -> int:
    """Groups of articles with no outlet or wire: how many sources might be behind them is unknown."""
    return sum(g.source is None for g in source_groups(articles))


def _period_end(a: Article) -> datetime:
    """The last moment the article's date can stand for (a month-only date: the whole month)."""
    assert a.published is not None
    start = a.published
    if a.date_precision == "year":
        return start.replace(year=start.year + 1, month=1, day=1, hour=0, minute=0, second=0)
    if a.date_precision == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1, hour=0, minute=0, second=0)
    return start + timedelta(days=1) if (start.hour, start.minute) == (0, 0) else start


def first_report(articles: Iterable[Article]) -> FirstReport | None:
    """The earliest dated article (undated ones cannot say who was first).

    A date known only to the month or year does not beat a day-precise date inside that period: the page
    may have been written at the end of it. Copies count as reports of their outlet: a republisher that
    ran the text first did report it first.
    """
    dated = sorted(
        (a for a in articles if a.published is not None),
        key=lambda a: (timestamp(a.published) or 0.0, not (a.outlet or a.wire), a.id),
    )
    if not dated:
        return None
    first = dated[0]
    if first.date_precision in ("month", "year"):
        end = timestamp(_period_end(first)) or 0.0
        precise = [
            a for a in dated if a.date_precision in (None, "day") and (timestamp(a.published) or 0.0) < end
        ]
        if precise:
            first = precise[0]
    assert first.published is not None
    return FirstReport(
        article_id=first.id,
        outlet=first.outlet,
        wire=first.wire,
        published=first.published,
        precision=first.date_precision or "day",
        source=first.date_source,
    )
