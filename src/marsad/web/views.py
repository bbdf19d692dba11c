"""The web's adapter over :mod:`marsad.read`: the read views as JSON (for the API and the pages).

No store or KB logic here: every function calls one read use case and converts its view with
:func:`to_json` (field for field: the views' field lists are the API's, ``web/schemas.py``). Both the JSON
API and the HTML pages render these, so a page and its API twin can never disagree.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, TypeVar

from marsad import read
from marsad.jsonview import to_json
from marsad.model import Article
from marsad.search import SearchPage
from marsad.search.names import NameExpansion
from marsad.web.arabic import as_date
from marsad.web.context import AppContext
from marsad.web.listing import ListingForm

Json = dict[str, Any]
T = TypeVar("T")


# ---- articles -----------------------------------------------------------------------------------------


def article_detail(ctx: AppContext, article_id: str) -> Json:
    out: Json = to_json(read.article(ctx.store, ctx.names, article_id))
    return out


def article_page(ctx: AppContext, article_id: str) -> tuple[Json, list[list[Piece]]]:
    """The article as JSON and its body cut into marked pieces, for the article page."""
    view = read.article(ctx.store, ctx.names, article_id)
    return to_json(view), marked_paragraphs(view.record)


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
    out: Json = to_json(
        read.list_articles(
            ctx.store,
            since=since,
            until=until,
            outlet=outlet,
            story=story,
            limit=limit,
            offset=(page - 1) * limit,
        )
    )
    return out


def latest_articles(ctx: AppContext, limit: int = 20) -> list[Json]:
    """Newest articles by publication day when the index is there, else the last ingested."""
    return [to_json(a) for a in read.latest_articles(ctx.store, ctx.index_or_none(), limit)]


# ---- stories ------------------------------------------------------------------------------------------


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
    out: Json = to_json(
        read.list_stories(
            ctx.store,
            ctx.names,
            since=since,
            order=order,
            min_size=min_size,
            storyline=storyline,
            limit=limit,
            offset=(page - 1) * limit,
        )
    )
    return out


def story_detail(ctx: AppContext, story_id: str) -> Json:
    out: Json = to_json(read.story(ctx.store, ctx.names, story_id))
    return out


def storyline_detail(ctx: AppContext, storyline_id: str) -> Json:
    out: Json = to_json(read.storyline(ctx.store, ctx.names, storyline_id))
    return out


# ---- entities and quotes ------------------------------------------------------------------------------


def resolve_entity(ctx: AppContext, ref: str) -> str:
    """The one entity a path names (``/api/entities/{entity}/…``): its id, or a name's first reading."""
    return read.entity_id(ctx.store, ctx.kb, ref)


def mentions_over_time(ctx: AppContext, entity_id: str, bucket: str = "month") -> list[Json]:
    return [to_json(p) for p in read.entity_timeline(ctx.store, entity_id, bucket)]


def list_quotes(
    ctx: AppContext,
    *,
    speaker: str | None = None,
    speakers: tuple[str, ...] | None = None,
    stance: str | None,
    since: date | None,
    until: date | None,
    article: str | None,
    page: int,
    limit: int,
) -> Json:
    """Quotes in time order; ``speaker`` as users type it (every entity a name may mean counts)."""
    out: Json = to_json(
        read.list_quotes(
            ctx.store,
            ctx.kb,
            speaker=speaker,
            speakers=speakers,
            stance=stance,
            since=since,
            until=until,
            article=article,
            limit=limit,
            offset=(page - 1) * limit,
        )
    )
    return out


def entity_profile(ctx: AppContext, ref: str, *, quotes: int = 50) -> Json:
    out: Json = to_json(read.entity_profile(ctx.store, ctx.kb, ref, quote_limit=quotes))
    return out


def co_mentions(ctx: AppContext, entity_id: str, limit: int = 15) -> list[Json]:
    return [to_json(c) for c in read.co_mentions(ctx.store, ctx.names, entity_id, limit)]


def list_entities(ctx: AppContext, *, entity_type: str | None, limit: int) -> list[Json]:
    """The most mentioned entities (a scan of every mention: kept until the store changes)."""

    def compute() -> list[Json]:
        counts = read.entity_counts(ctx.store, ctx.names, entity_type=entity_type, limit=limit)
        return [to_json(c) for c in counts]

    return _copy(ctx.cached(("entities", entity_type, limit), compute))


# ---- listings -----------------------------------------------------------------------------------------


def resolve_form(ctx: AppContext, form: ListingForm) -> ListingForm:
    """The form with its ``period`` shortcut turned into days, counted back from the store's last day."""
    return form.resolved(as_date(stats(ctx)["last_published"])) if form.period else form


def listing_filter(ctx: AppContext, form: ListingForm) -> read.ListFilter:
    """The store filter of a (resolved) form; names of entities and speakers by the KB's rule."""
    return read.listing_filter(
        ctx.kb,
        since=form.since,
        until=form.until,
        outlet=form.outlet,
        language=form.language,
        entity=form.entity,
        speaker=form.speaker,
        stance=form.stance,
        min_size=form.min_size or 1,
        max_size=form.max_size,
    )


def stories_page(ctx: AppContext, flt: read.ListFilter, *, order: str, page: int, limit: int) -> Json:
    out: Json = to_json(
        read.list_stories(ctx.store, ctx.names, flt=flt, order=order, limit=limit, offset=(page - 1) * limit)
    )
    return out


def quotes_page(ctx: AppContext, flt: read.ListFilter, *, page: int, limit: int) -> Json:
    out: Json = to_json(
        read.list_quotes(ctx.store, ctx.kb, flt=flt, limit=limit, offset=(page - 1) * limit, count=True)
    )
    return out


def entities_page(
    ctx: AppContext, flt: read.ListFilter, *, entity_type: str | None, page: int, limit: int
) -> Json:
    def compute() -> Json:
        out: Json = to_json(
            read.list_entities(
                ctx.store, ctx.names, flt, entity_type=entity_type, limit=limit, offset=(page - 1) * limit
            )
        )
        return out

    return _copy(ctx.cached(("entities-page", flt, entity_type, page, limit), compute))


def outlets_page(ctx: AppContext, flt: read.ListFilter, *, page: int, limit: int) -> Json:
    def compute() -> Json:
        out: Json = to_json(read.list_outlets(ctx.store, flt, limit=limit, offset=(page - 1) * limit))
        return out

    return _copy(ctx.cached(("outlets-page", flt, page, limit), compute))


def storylines_page(ctx: AppContext, flt: read.ListFilter, *, page: int, limit: int) -> Json:
    out: Json = to_json(
        read.find_storylines(ctx.store, ctx.names, flt, limit=limit, offset=(page - 1) * limit)
    )
    return out


# ---- charts -------------------------------------------------------------------------------------------


def volume(ctx: AppContext, flt: read.ListFilter | None = None) -> Json:
    """Articles per period (the store's own bucket for the span): kept until the store changes."""

    def compute() -> Json:
        bucket, series = read.volume(ctx.store, flt)
        return {"bucket": bucket, "series": to_json(series)}

    return _copy(ctx.cached(("volume", flt), compute))


def story_timeline(ctx: AppContext, story_id: str) -> Json:
    """A story's articles per period by outlet."""
    bucket, totals, stacks = read.story_timeline(ctx.store, story_id)
    return {"bucket": bucket, "totals": to_json(totals), "stacks": to_json(stacks)}


def stance_timeline(ctx: AppContext, entity_id: str) -> Json:
    """An entity's quotes per period by stance."""
    bucket, totals, stacks = read.stance_timeline(ctx.store, (entity_id,))
    return {"bucket": bucket, "totals": to_json(totals), "stacks": to_json(stacks)}


def network(
    ctx: AppContext, entity_id: str | None = None, *, story: str | None = None, size: int = 12
) -> Json:
    """Who is mentioned with the entity (or in the story), and with each other (a self-join of the
    mentions: tens to hundreds of milliseconds on a few thousand articles, so kept until the store
    changes)."""

    def compute() -> Json:
        view = read.co_mention_network(ctx.store, ctx.names, entity=entity_id, story=story, size=size)
        out: Json = to_json(view)
        return out

    return _copy(ctx.cached(("network", entity_id, story, size), compute))


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
    exact: bool = False,
) -> SearchPage:
    filters = read.search_filters(
        ctx.kb,
        kind=kind,
        since=since,
        until=until,
        outlet=outlet,
        entity=entity,
        speaker=speaker,
        stance=stance,
        story=story,
    )
    return read.search(
        ctx.store, ctx.index(), q, filters, sort=sort, page=page, limit=limit, expand=not exact
    )


def search_record(ctx: AppContext, res: SearchPage) -> Json:
    items = []
    for h in res.hits:
        quote = (
            read.quote_view(
                h.quote,
                ctx.names,
                index=h.quote_index or 0,
                article_id=h.article_id,
                article_title=h.title,
                outlet=h.outlet,
                published=h.published,
            )
            if h.quote is not None
            else None
        )
        items.append(
            {
                "kind": h.kind,
                "article_id": h.article_id,
                "score": round(h.score, 4),
                "title": h.title,
                "title_html": h.title_html,
                "published": to_json(h.published),
                "outlet": h.outlet,
                "story_id": h.story_id,
                "snippet": h.snippet_text,
                "snippet_html": h.snippet_html,
                "quote": to_json(quote),
            }
        )
    return {
        "query": res.query,
        "total": res.total,
        "page": res.page,
        "limit": res.limit,
        "pages": res.pages,
        "has_more": res.has_more,
        "took_ms": round(res.took_ms, 2),
        "expanded": res.expanded,
        "expansions": [expansion_record(e) for e in res.expansions],
        "suggestions": res.suggestions,
        "items": items,
    }


def expansion_record(e: NameExpansion) -> Json:
    return {
        "word": e.word,
        "entity_ids": list(e.entity_ids),
        "names": list(e.names),
        "spellings": list(e.spellings),
    }


def stats(ctx: AppContext) -> Json:
    """Store and index counts (whole-table counts: kept until the store or the index changes)."""

    def compute() -> Json:
        out: Json = to_json(read.stats(ctx.store, ctx.index_or_none()))
        return out

    return _copy(ctx.cached("stats", compute, stamp=ctx.index_stamp()))


def _copy(v: T) -> T:
    """A fresh copy of a cached JSON value, so a caller that edits its result cannot edit the cache."""
    return copy.deepcopy(v)
