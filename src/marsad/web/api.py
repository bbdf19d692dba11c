"""JSON routes under ``/api``: each validates its parameters and renders one :mod:`marsad.read` view (as
JSON, through :mod:`.views`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from marsad.read import ListFilter
from marsad.web import exports, views
from marsad.web import schemas as s
from marsad.web.context import AppContext
from marsad.web.listing import Form, ListingForm

router = APIRouter(prefix="/api", tags=["api"])

Json = dict[str, Any]


async def ctx_of(request: Request) -> AppContext:
    """The app's context. ``async`` because it does no I/O: a plain ``def`` dependency costs every request
    a trip to the thread pool and back (and under load a wait for the GIL each way)."""
    ctx: AppContext = request.app.state.ctx
    return ctx


Ctx = Annotated[AppContext, Depends(ctx_of)]
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
LimitQ = Annotated[int, Query(ge=1, le=100, description="Items per page (at most 100).")]
SinceQ = Annotated[date | None, Query(description="From this day on (YYYY-MM-DD).")]
UntilQ = Annotated[date | None, Query(description="Up to this day (YYYY-MM-DD).")]
Text200 = Annotated[str | None, Query(max_length=200)]
IdPath = Annotated[str, Path(min_length=1, max_length=200)]
StanceQ = Annotated[s.Stance | None, Query(description="Only quotes of this stance.")]


@router.get("/stats", response_model=s.StatsOut)
def get_stats(ctx: Ctx) -> Json:
    """Counts of what the store holds, and of what the search index holds."""
    return views.stats(ctx)


@router.get("/articles", response_model=s.ArticlePage)
def get_articles(
    ctx: Ctx,
    since: SinceQ = None,
    until: UntilQ = None,
    outlet: Text200 = None,
    story: Text200 = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> Json:
    """Stored articles, filtered by day, outlet or story (in ingest order)."""
    return views.list_articles(
        ctx, since=since, until=until, outlet=outlet, story=story, page=page, limit=limit
    )


@router.get("/articles/{article_id}", response_model=s.ArticleDetail)
def get_article(ctx: Ctx, article_id: IdPath) -> Json:
    """One article: clean text, metadata, mentions and quotes (offsets point into ``body``)."""
    return views.article_detail(ctx, article_id)


EntityType = Literal["person", "organization", "place", "media", "group"]
TypeQ = Annotated[EntityType | None, Query(alias="type", description="Only entities of this type.")]
OrderQ = Annotated[Literal["recent", "size"], Query(description="Most recent or largest first.")]


def listing_filter(ctx: AppContext, form: ListingForm, **more: Any) -> ListFilter:
    """The store filter of a listing's parameters (``period`` resolved, names looked up)."""
    flt = views.listing_filter(ctx, views.resolve_form(ctx, form))
    return replace(flt, **{k: v for k, v in more.items() if v}) if more else flt


@router.get("/stories", response_model=s.StoryPage)
def get_stories(
    ctx: Ctx,
    form: Form,
    order: OrderQ = "recent",
    storyline: Text200 = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> Json:
    """Stories, most recent or largest first, filtered by day span, outlet, entity, language, size,
    storyline; with the total."""
    flt = listing_filter(ctx, form, storyline_id=storyline)
    return views.stories_page(ctx, flt, order=order, page=page, limit=limit)


@router.get("/stories/{story_id}", response_model=s.StoryDetail)
def get_story(ctx: Ctx, story_id: IdPath) -> Json:
    """One story: summary, articles in time order, key quotes, entities."""
    return views.story_detail(ctx, story_id)


@router.get("/storylines", response_model=s.StorylinePage)
def get_storylines(ctx: Ctx, form: Form, page: PageQ = 1, limit: LimitQ = 20) -> Json:
    """Storylines (of the stories matching the filters), the most recently active first."""
    return views.storylines_page(ctx, listing_filter(ctx, form), page=page, limit=limit)


@router.get("/storylines/{storyline_id}", response_model=s.StorylineDetail)
def get_storyline(ctx: Ctx, storyline_id: IdPath) -> Json:
    return views.storyline_detail(ctx, storyline_id)


@router.get("/entities", response_model=s.EntityPage)
def get_entities(ctx: Ctx, form: Form, type: TypeQ = None, page: PageQ = 1, limit: LimitQ = 50) -> Json:
    """The most mentioned entities (in the articles matching the filters)."""
    return views.entities_page(ctx, listing_filter(ctx, form), entity_type=type, page=page, limit=limit)


@router.get("/outlets", response_model=s.OutletPage)
def get_outlets(ctx: Ctx, form: Form, page: PageQ = 1, limit: LimitQ = 50) -> Json:
    """Outlets by number of articles (matching the filters), with their share of them."""
    return views.outlets_page(ctx, listing_filter(ctx, form), page=page, limit=limit)


@router.get("/entities/{entity}", response_model=s.EntityProfile)
def get_entity(ctx: Ctx, entity: IdPath) -> Json:
    """Profile of an entity given by id or by name: roles over time, mentions, co-mentions, quotes."""
    return views.entity_profile(ctx, entity)


@router.get("/entities/{entity}/quotes", response_model=s.QuotePage)
def get_entity_quotes(
    ctx: Ctx,
    entity: IdPath,
    stance: StanceQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> Json:
    """What the entity said, oldest first."""
    eid = views.resolve_entity(ctx, entity)
    return views.list_quotes(
        ctx, speakers=(eid,), stance=stance, since=since, until=until, article=None, page=page, limit=limit
    )


@router.get("/entities/{entity}/mentions", response_model=list[s.PeriodCount])
def get_entity_mentions(
    ctx: Ctx, entity: IdPath, bucket: Annotated[Literal["day", "week", "month"], Query()] = "month"
) -> list[Json]:
    """Number of articles mentioning the entity per period."""
    return views.mentions_over_time(ctx, views.resolve_entity(ctx, entity), bucket)


@router.get("/entities/{entity}/co-mentions", response_model=list[s.EntityCount])
def get_entity_co_mentions(ctx: Ctx, entity: IdPath, limit: LimitQ = 20) -> list[Json]:
    """Entities most often mentioned in the same articles."""
    return views.co_mentions(ctx, views.resolve_entity(ctx, entity), limit)


@router.get("/quotes", response_model=s.QuotePage)
def get_quotes(ctx: Ctx, form: Form, article: Text200 = None, page: PageQ = 1, limit: LimitQ = 20) -> Json:
    """Quotes, oldest first, with the total; ``speaker`` and ``entity`` are entity ids, or names (every
    entity a name may mean)."""
    flt = listing_filter(ctx, form)
    if article:
        return views.list_quotes(
            ctx,
            speakers=flt.speaker_ids,
            stance=flt.stance,
            since=flt.since,
            until=flt.until,
            article=article,
            page=page,
            limit=limit,
        )
    return views.quotes_page(ctx, flt, page=page, limit=limit)


@router.get("/export/{listing}", response_class=StreamingResponse)
def get_export(
    ctx: Ctx,
    listing: Annotated[Literal["stories", "quotes", "entities", "outlets", "storylines"], Path()],
    form: Form,
    format: Annotated[
        Literal["csv", "jsonl"], Query(description="CSV (UTF-8 with a BOM) or JSON Lines.")
    ] = "csv",
    order: OrderQ = "recent",
    type: TypeQ = None,
) -> StreamingResponse:
    """A listing with its filters as a file: CSV with a UTF-8 BOM (opens in a spreadsheet with Arabic
    intact) or JSON Lines; every row, streamed."""
    body = exports.stream(ctx, listing, format, listing_filter(ctx, form), order=order, entity_type=type)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
    name = f"marsad-{listing}.{format}"
    return StreamingResponse(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/search", response_model=s.SearchOut)
def get_search(
    ctx: Ctx,
    q: Annotated[str, Query(max_length=500, description='Words, "phrases", OR, -word, (groups).')] = "",
    kind: Annotated[Literal["articles", "quotes"] | None, Query()] = None,
    since: SinceQ = None,
    until: UntilQ = None,
    outlet: Text200 = None,
    entity: Text200 = None,
    speaker: Text200 = None,
    stance: StanceQ = None,
    story: Text200 = None,
    sort: Annotated[Literal["relevance", "date"], Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    limit: LimitQ = 10,
    exact: Annotated[
        bool, Query(description="Match names only as typed (no other spellings of a KB name).")
    ] = False,
) -> Json:
    """Full-text search over articles and quotes with filters; snippets are escaped HTML with ``<mark>``.
    A word that is a KB name also matches the entity's other spellings (``expansions``) unless ``exact``."""
    res = views.search(
        ctx,
        q=q,
        kind=kind,
        since=since,
        until=until,
        outlet=outlet,
        entity=entity,
        speaker=speaker,
        stance=stance,
        story=story,
        sort=sort,
        page=page,
        limit=limit,
        exact=exact,
    )
    return views.search_record(ctx, res)
