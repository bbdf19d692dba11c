"""Which of the articles a round wrote a rule matches: one index query over just those articles.

The search index is brought up to date before alerts run (``after_ingest``), and it already holds every
filter a rule uses (speaker, stance, entity, words with their clitic and spelling forms), so a rule means
exactly what the same ``marsad search`` would, restricted to the new records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from marsad.alerts.rules import kind_of
from marsad.model import Article, Quote
from marsad.search.engine import IndexHit, Kind, SearchFilters, SearchIndex
from marsad.search.query import parse_query
from marsad.store.base import AlertHit, AlertRule, Store

CHUNK = 1000  # article ids per index query


def _index_hits(index: SearchIndex, rule: AlertRule, ids: Sequence[str]) -> Iterator[IndexHit]:
    node = parse_query(rule.query) if rule.query else None
    if index.names is not None:  # a name in the rule means every spelling of it, as in `marsad search`
        node, _ = index.names.expand(node)
    kind: Kind = "quote" if kind_of(rule) == "quote" else "article"
    for i in range(0, len(ids), CHUNK):
        flt = SearchFilters(
            kind=kind,
            entities=rule.entity_ids,
            speakers=rule.speaker_ids,
            stance=rule.stance,
            articles=tuple(ids[i : i + CHUNK]),
        )
        limit = 4 * CHUNK
        res = index.search(node, flt, limit=limit, sort="date")
        if res.total > limit:
            res = index.search(node, flt, limit=res.total, sort="date")
        yield from res.hits


def _article_fields(a: Article) -> dict[str, object]:
    return {
        "article_id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "url": a.url,
        "story_id": a.story_id,
    }


def _restated_below(a: Article, q: Quote) -> bool:
    """Is ``q`` a headline quote whose speaker says the same stance in the body of ``a``?"""
    if not q.in_headline or q.speaker is None:
        return False
    sp = q.speaker
    key = sp.entity_id or sp.name_ar or sp.text
    return any(
        not b.in_headline
        and b.stance == q.stance
        and b.speaker is not None
        and (b.speaker.entity_id or b.speaker.name_ar or b.speaker.text) == key
        for b in a.quotes
    )


def find_hits(store: Store, index: SearchIndex, rule: AlertRule, ids: Sequence[str]) -> list[AlertHit]:
    """The items of ``ids`` (changed articles) that ``rule`` matches, oldest first."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    kind = kind_of(rule)
    cache: dict[str, Article | None] = {}
    items: dict[str, dict[str, object]] = {}
    for h in _index_hits(index, rule, ids):
        if h.article_id not in cache:
            cache[h.article_id] = store.get_article(h.article_id)
        a = cache[h.article_id]
        if a is None:
            continue
        if kind == "quote":
            if h.quote_seq is None or h.quote_seq >= len(a.quotes):
                continue
            q = a.quotes[h.quote_seq]
            if _restated_below(a, q):
                continue  # "لافروف ينفي …" over Lavrov's denial in the body: one alert, the body's
            sp = q.speaker
            items[f"quote:{a.id}:{h.quote_seq}"] = {
                "kind": "quote",
                **_article_fields(a),
                "text": q.text,
                "stance": q.stance.value,
                "cue": q.cue,
                "speaker": (sp.name_ar or sp.text) if sp else None,
                "speaker_en": sp.name_en if sp else None,
                "speaker_id": sp.entity_id if sp else None,
            }
        elif kind == "article":
            items[f"article:{a.id}"] = {"kind": "article", **_article_fields(a), "text": a.body[:400]}
        elif a.story_id and f"story:{a.story_id}" not in items:
            st = store.get_story(a.story_id)
            if st is None or st.independent_sources < rule.min_sources:
                continue
            items[f"story:{st.id}"] = {
                "kind": "story",
                **_article_fields(a),
                "title": st.title,
                "story_id": st.id,
                "text": " ".join(st.summary)[:600],
                "articles": len(st.article_ids),
                "independent_sources": st.independent_sources,
                "outlets": list(st.outlets),
                "first_seen": st.first_seen.isoformat() if st.first_seen else None,
            }
    return [
        AlertHit(
            rule=rule.name,
            item=item,
            kind=str(p["kind"]),
            article_id=str(p["article_id"]),
            payload=json.dumps({"rule": rule.name, "item": item, **p, "found_at": now}, ensure_ascii=False),
            found_at=now,
        )
        for item, p in reversed(items.items())  # the index gave newest first
    ]
