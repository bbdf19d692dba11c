"""JSON routes under ``/api``: each validates its parameters and renders one :mod:`marsad.read` view (as
JSON, through :mod:`.views`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from marsad.web import schemas as s
from marsad.web import views
from marsad.web.context import AppContext

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


@router.get("/stories", response_model=s.StoryPage)
def get_stories(
    ctx: Ctx,
    since: SinceQ = None,
    order: Annotated[Literal["recent", "size"], Query()] = "recent",
    min_size: Annotated[int, Query(ge=1, le=10_000)] = 1,
    storyline: Text200 = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> Json:
    """Stories, most recent or largest first."""
    return views.list_stories(
        ctx, since=since, order=order, min_size=min_size, storyline=storyline, page=page, limit=limit
    )


@router.get("/stories/{story_id}", response_model=s.StoryDetail)
def get_story(ctx: Ctx, story_id: IdPath) -> Json:
    """One story: summary, articles in time order, key quotes, entities."""
    return views.story_detail(ctx, story_id)


@router.get("/storylines", response_model=list[s.StorylineSummary])
def get_storylines(ctx: Ctx, limit: LimitQ = 20) -> list[Json]:
    """Storylines of the most recently active stories."""
    return views.list_storylines(ctx, limit=limit)


@router.get("/storylines/{storyline_id}", response_model=s.StorylineDetail)
def get_storyline(ctx: Ctx, storyline_id: IdPath) -> Json:
    return views.storyline_detail(ctx, storyline_id)


@router.get("/entities", response_model=list[s.EntityCount])
def get_entities(
    ctx: Ctx,
    type: Annotated[
        Literal["person", "organization", "place", "media", "group"] | None, Query(alias="type")
    ] = None,
    limit: LimitQ = 50,
) -> list[Json]:
    """The most mentioned entities."""
    return views.list_entities(ctx, entity_type=type, limit=limit)


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
def get_quotes(
    ctx: Ctx,
    speaker: Text200 = None,
    stance: StanceQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    article: Text200 = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> Json:
    """Quotes, oldest first; ``speaker`` is an entity id, or a name (every entity it may mean)."""
    return views.list_quotes(
        ctx,
        speaker=speaker,
        stance=stance,
        since=since,
        until=until,
        article=article,
        page=page,
        limit=limit,
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
) -> Json:
    """Full-text search over articles and quotes with filters; snippets are escaped HTML with ``<mark>``."""
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
    )
    return views.search_record(ctx, res)
