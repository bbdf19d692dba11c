"""Read models shared by the JSON API and the HTML pages: plain dicts built from store and KB calls.

No SQL here: everything goes through the store interface. Both layers render these dicts, so a page
and its API twin can never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from marsad import service
from marsad.errors import NotFound
from marsad.model import Article, Quote, Story
from marsad.normalize.arabic import normalize_text
from marsad.search import SearchFilters, SearchPage, resolve_entity_ref, run_search
from marsad.store.base import ArticleFilter, QuoteRow
from marsad.web.context import AppContext

Json = dict[str, Any]


def _iso(v: datetime | date | None) -> str | None:
    return v.isoformat() if v is not None else None


def _day(v: datetime | None) -> str | None:
    return v.date().isoformat() if v is not None else None


def _ts(v: datetime | None) -> float:
    """Sortable time; stored datetimes may be naive (read as UTC) or aware, which Python won't compare."""
    if v is None:
        return float("inf")
    return (v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp()


# ---- articles -----------------------------------------------------------------------------------------


def article_summary(a: Article) -> Json:
    return {
        "id": a.id,
        "title": a.title,
        "published": _iso(a.published),
        "day": _day(a.published),
        "outlet": a.outlet,
        "wire": a.wire,
        "url": a.url,
        "story_id": a.story_id,
        "parent_id": a.parent_id,
        "duplicate_of": a.duplicate_of,
        "excerpt": a.body[:240],
    }


def quote_record(ctx: AppContext, q: Quote, index: int) -> Json:
    sp = q.speaker
    return {
        "index": index,
        "text": q.text,
        "kind": q.kind.value,
        "stance": q.stance.value,
        "cue": q.cue,
        "via": q.via,
        "said_on": _iso(q.said_on),
        "in_headline": q.in_headline,
        "start": q.start,
        "end": q.end,
        "speaker": (
            {
                "text": sp.text,
                "kind": sp.kind.value,
                "entity_id": sp.entity_id,
                "name": sp.name_ar or (ctx.name(sp.entity_id) if sp.entity_id else sp.text),
            }
            if sp
            else None
        ),
    }


def article_detail(ctx: AppContext, article_id: str) -> Json:
    a = ctx.store.get_article(article_id)
    if a is None:
        raise NotFound(article_id, "no such article")
    rec = article_summary(a)
    rec.pop("excerpt")
    rec |= {
        "body": a.body,
        "author": a.author,
        "language": a.language,
        "tags": list(a.tags),
        "cited_media": list(a.cited_media),
        "source": a.source.label,
        "mentions": [
            {
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "kind": m.kind.value,
                "entity_id": m.entity_id,
                "entity_type": m.entity_type.value,
                "name": ctx.name(m.entity_id) if m.entity_id else None,
            }
            for m in a.mentions
        ],
        "quotes": [quote_record(ctx, q, i) for i, q in enumerate(a.quotes)],
        "entities": _entities_of([a], ctx),
    }
    return rec


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of body text for the article page: inside at most one mention and one quote."""

    text: str
    entity_id: str | None = None
    mention: bool = False
    quote: int | None = None  # index of the quote covering it
    stance: str | None = None


def marked_paragraphs(a: Article) -> list[list[Piece]]:
    """The body cut at every mention and quote boundary (stored offsets), paragraph by paragraph.

    Pieces are plain text: the template escapes them, so a hostile body can only ever show as text.
    """
    body = a.body
    quotes = [(q.start, q.end, i, q.stance.value) for i, q in enumerate(a.quotes) if not q.in_headline]
    mentions = [(m.start, m.end, m.entity_id) for m in a.mentions]
    cuts = {0, len(body)}
    spans = [(s, e) for s, e, _, _ in quotes] + [(s, e) for s, e, _ in mentions]
    for s, e in spans:
        if 0 <= s < e <= len(body):
            cuts.update((s, e))
    pos = 0
    while (nl := body.find("\n", pos)) != -1:
        cuts.update((nl, nl + 1))
        pos = nl + 1
    bounds = sorted(cuts)
    paragraphs: list[list[Piece]] = [[]]
    for s, e in pairwise(bounds):
        text = body[s:e]
        if text == "\n":
            paragraphs.append([])
            continue
        q = next(((i, st) for qs, qe, i, st in quotes if qs <= s and e <= qe), None)
        m = next(((eid,) for ms, me, eid in mentions if ms <= s and e <= me), None)
        paragraphs[-1].append(
            Piece(
                text,
                entity_id=m[0] if m else None,
                mention=m is not None,
                quote=q[0] if q else None,
                stance=q[1] if q else None,
            )
        )
    return [p for p in paragraphs if any(x.text.strip() for x in p)]


def list_articles(
    ctx: AppContext,
    *,
    since: date | None,
    until: date | None,
    outlet: str | None,
    story: str | None,
    page: int,
    limit: int,
) -> Json:
    base = ArticleFilter(since=since, until=until, outlet=outlet, story_id=story)
    flt = ArticleFilter(
        since=since, until=until, outlet=outlet, story_id=story, limit=limit, offset=(page - 1) * limit
    )
    items = [article_summary(a) for a in ctx.store.iter_articles(flt, with_analysis=False)]
    total = ctx.store.count_articles(base)
    return {"items": items, "page": page, "limit": limit, "total": total, "has_more": page * limit < total}


def latest_articles(ctx: AppContext, limit: int = 20) -> list[Json]:
    """Newest articles by publication day when the index is there, else the last ingested."""
    if ctx.has_index():
        res = ctx.index().search(None, SearchFilters(kind="article"), limit=limit, sort="date")
        arts = [ctx.store.get_article(h.article_id) for h in res.hits]
        return [article_summary(a) for a in arts if a is not None]
    total = ctx.store.count_articles()
    flt = ArticleFilter(limit=limit, offset=max(0, total - limit))
    return [article_summary(a) for a in reversed(list(ctx.store.iter_articles(flt, with_analysis=False)))]


# ---- stories ------------------------------------------------------------------------------------------


def story_summary(ctx: AppContext, s: Story) -> Json:
    return {
        "id": s.id,
        "title": s.title,
        "first_seen": _iso(s.first_seen),
        "last_seen": _iso(s.last_seen),
        "size": len(s.article_ids),
        "outlets": list(s.outlets),
        "independent_sources": s.independent_sources,
        "top_entities": [{"id": e, "name": ctx.name(e)} for e in s.top_entities],
        "summary": list(s.summary),
        "storyline_id": s.storyline_id,
    }


def list_stories(
    ctx: AppContext,
    *,
    since: date | None,
    order: str,
    min_size: int,
    storyline: str | None,
    page: int,
    limit: int,
) -> Json:
    rows = ctx.store.iter_stories(
        since=since,
        min_size=min_size,
        storyline_id=storyline,
        order=order,
        limit=limit + 1,
        offset=(page - 1) * limit,
    )
    return {
        "items": [story_summary(ctx, s) for s in rows[:limit]],
        "page": page,
        "limit": limit,
        "has_more": len(rows) > limit,
    }


def _entities_of(arts: list[Article], ctx: AppContext, limit: int = 25) -> list[Json]:
    counts: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for a in arts:
        for eid in {m.entity_id for m in a.mentions if m.entity_id}:
            counts[eid] += 1
        for m in a.mentions:
            if m.entity_id:
                kinds[m.entity_id] = m.entity_type.value
    return [
        {"id": eid, "name": ctx.name(eid), "type": kinds.get(eid), "articles": n}
        for eid, n in counts.most_common(limit)
    ]


def story_detail(ctx: AppContext, story_id: str, *, max_quotes: int = 12) -> Json:
    s = ctx.store.get_story(story_id)
    if s is None:
        raise NotFound(story_id, "no such story")
    arts = [a for a in (ctx.store.get_article(i) for i in s.article_ids) if a is not None]
    arts.sort(key=lambda a: (_ts(a.published), a.id))
    timeline = [article_summary(a) for a in arts]
    quotes: list[Json] = []
    seen: set[str] = set()
    # key quotes: named speakers first, each wording once (syndicated copies repeat them)
    candidates = [(a, i, q) for a in arts for i, q in enumerate(a.quotes)]
    candidates.sort(key=lambda t: (not (t[2].speaker and t[2].speaker.entity_id), len(t[2].text) < 25))
    for a, i, q in candidates:
        key = normalize_text(q.text)[:80]
        if key in seen:
            continue
        seen.add(key)
        quotes.append(
            quote_record(ctx, q, i) | {"article_id": a.id, "outlet": a.outlet, "day": _day(a.published)}
        )
        if len(quotes) >= max_quotes:
            break
    quotes.sort(key=lambda r: r["said_on"] or r["day"] or "")
    return story_summary(ctx, s) | {
        "articles": timeline,
        "quotes": quotes,
        "entities": _entities_of(arts, ctx),
    }


def list_storylines(ctx: AppContext, *, limit: int) -> list[Json]:
    """Storylines of the most recently active stories, each with its stories (newest first)."""
    lines = service.storylines(ctx.store, scan=500)
    out: list[Json] = []
    for lid, stories in list(lines.items())[:limit]:
        out.append(
            {
                "id": lid,
                "title": max(stories, key=lambda s: len(s.article_ids)).title,
                "stories": len(stories),
                "articles": sum(len(s.article_ids) for s in stories),
                "last_seen": _iso(stories[0].last_seen),
            }
        )
    return out


def storyline_detail(ctx: AppContext, storyline_id: str) -> Json:
    stories = ctx.store.iter_stories(storyline_id=storyline_id, order="recent")
    if not stories:
        raise NotFound(storyline_id, "no such storyline")
    return {"id": storyline_id, "stories": [story_summary(ctx, s) for s in stories]}


# ---- entities -----------------------------------------------------------------------------------------


def resolve_entity(ctx: AppContext, ref: str) -> str:
    """An entity id from an id or a name (the most mentioned reading when a name is ambiguous)."""
    if ctx.kb.get(ref) is not None:
        return ref
    found = ctx.kb.find(ref)
    if found:
        return found[0].id
    if ctx.store.entity_mentions(ref):
        return ref  # known to the store only (e.g. a user KB that is not loaded here)
    raise NotFound(ref, "no such entity")


def mentions_over_time(ctx: AppContext, entity_id: str, bucket: str = "month") -> list[Json]:
    """Articles mentioning the entity per day, ISO week or month, gaps filled with zeros."""
    counts: Counter[str] = Counter()
    for _, published in ctx.store.entity_mentions(entity_id):
        if published is None:
            continue
        counts[_bucket(published.date(), bucket)] += 1
    if not counts:
        return []
    keys = sorted(counts)
    return [{"period": k, "count": counts.get(k, 0)} for k in _fill(keys[0], keys[-1], bucket)]


def _bucket(d: date, bucket: str) -> str:
    if bucket == "day":
        return d.isoformat()
    if bucket == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return f"{d.year}-{d.month:02d}"


def _fill(first: str, last: str, bucket: str) -> list[str]:
    if bucket == "month":
        y, m = int(first[:4]), int(first[5:7])
        out: list[str] = []
        while f"{y}-{m:02d}" <= last and len(out) < 1200:
            out.append(f"{y}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    if bucket == "week":
        start = date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
        end = date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
        step = timedelta(days=7)
    else:
        start, end, step = date.fromisoformat(first), date.fromisoformat(last), timedelta(days=1)
    out = []
    while start <= end and len(out) < 3700:
        out.append(_bucket(start, bucket))
        start += step
    return out


def quote_row(ctx: AppContext, r: QuoteRow) -> Json:
    return quote_record(ctx, r.quote, -1) | {
        "article_id": r.article_id,
        "article_title": r.article_title,
        "outlet": r.outlet,
        "published": _iso(r.published),
        "day": r.quote.said_on.isoformat() if r.quote.said_on else _day(r.published),
    }


def list_quotes(
    ctx: AppContext,
    *,
    speakers: tuple[str, ...] | None,
    stance: str | None,
    since: date | None,
    until: date | None,
    article: str | None,
    page: int,
    limit: int,
) -> Json:
    rows = ctx.store.iter_quotes(
        speaker_ids=speakers,
        stance=stance,
        since=since,
        until=until,
        article_id=article,
        limit=limit + 1,
        offset=(page - 1) * limit,
    )
    items = [quote_row(ctx, r) for r in rows[:limit]]
    for it in items:
        it.pop("index")
    return {"items": items, "page": page, "limit": limit, "has_more": len(rows) > limit}


def entity_profile(ctx: AppContext, ref: str, *, quotes: int = 50) -> Json:
    eid = resolve_entity(ctx, ref)
    ent = ctx.kb.get(eid)
    mentions = ctx.store.entity_mentions(eid)
    roles = sorted(ctx.kb.offices_of(eid), key=lambda r: r.start or date.min)
    return {
        "id": eid,
        "name": ent.name_ar if ent else eid,
        "name_en": ent.name_en if ent else None,
        "kind": ent.kind.value if ent else None,
        "aliases": list(ent.aliases) if ent else [],
        "country": ent.country if ent else None,
        "wikidata": ent.wikidata if ent else None,
        "roles": [
            {
                "office": r.office,
                "title": r.title_ar or r.title_en or r.office,
                "title_en": r.title_en,
                "start": _iso(r.start),
                "end": _iso(r.end),
                "current": r.end is None,
            }
            for r in roles
        ],
        "articles": len(mentions),
        "first_seen": _iso(min((p for _, p in mentions if p), key=_ts, default=None)),
        "last_seen": _iso(max((p for _, p in mentions if p), key=_ts, default=None)),
        "mentions_over_time": mentions_over_time(ctx, eid),
        "co_mentions": co_mentions(ctx, eid),
        "quotes": list_quotes(
            ctx, speakers=(eid,), stance=None, since=None, until=None, article=None, page=1, limit=quotes
        )["items"],
    }


def co_mentions(ctx: AppContext, entity_id: str, limit: int = 15) -> list[Json]:
    return [
        {"id": oid, "name": ctx.name(oid), "articles": n}
        for oid, n in ctx.store.co_mentioned(entity_id, limit)
    ]


def list_entities(ctx: AppContext, *, entity_type: str | None, limit: int) -> list[Json]:
    return [
        {"id": eid, "name": ctx.name(eid), "type": t, "articles": n}
        for eid, t, n in ctx.store.entity_counts(entity_type=entity_type, limit=limit)
    ]


# ---- search -------------------------------------------------------------------------------------------


def search(
    ctx: AppContext,
    *,
    q: str,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    speaker: str | None = None,
    stance: str | None = None,
    story: str | None = None,
    sort: str = "relevance",
    page: int = 1,
    limit: int = 10,
) -> SearchPage:
    filters = SearchFilters(
        since=since,
        until=until,
        outlet=outlet or None,
        entities=resolve_entity_ref(ctx.kb, entity) if entity else (),
        speakers=resolve_entity_ref(ctx.kb, speaker, param="speaker") if speaker else (),
        stance=stance or None,
        story=story or None,
        kind="article" if kind == "articles" else "quote" if kind == "quotes" else None,
    )
    return run_search(
        ctx.store,
        ctx.index(),
        q,
        filters,
        page=page,
        limit=limit,
        sort="date" if sort == "date" else "relevance",
    )


def search_record(ctx: AppContext, res: SearchPage) -> Json:
    items = []
    for h in res.hits:
        rec: Json = {
            "kind": h.kind,
            "article_id": h.article_id,
            "score": round(h.score, 4),
            "title": h.title,
            "title_html": h.title_html,
            "published": _iso(h.published),
            "outlet": h.outlet,
            "story_id": h.story_id,
            "snippet": h.snippet_text,
            "snippet_html": h.snippet_html,
            "quote": quote_record(ctx, h.quote, h.quote_index or 0) if h.quote is not None else None,
        }
        items.append(rec)
    return {
        "query": res.query,
        "total": res.total,
        "page": res.page,
        "limit": res.limit,
        "pages": res.pages,
        "has_more": res.page < res.pages,
        "took_ms": round(res.took_ms, 2),
        "items": items,
    }


def stats(ctx: AppContext) -> Json:
    st = ctx.store.stats()
    rec: Json = {
        "articles": st.articles,
        "sources": st.sources,
        "parts": st.parts,
        "outlets": st.outlets,
        "languages": st.languages,
        "first_published": st.first_published,
        "last_published": st.last_published,
        "mentions": st.mentions,
        "quotes": st.quotes,
        "entities": st.entities,
        "stories": st.stories,
        "schema_version": st.schema_version,
    }
    if ctx.has_index():
        idx = ctx.index()
        rec["index"] = {"articles": idx.count("article"), "quotes": idx.count("quote")}
    else:
        rec["index"] = None
    return rec
