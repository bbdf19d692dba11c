"""Server-rendered HTML pages (Jinja2, autoescaped, right to left). Same read models as the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from marsad.errors import NotFound, StoreError
from marsad.read import ListFilter
from marsad.search import SearchPage
from marsad.web import chart, views
from marsad.web.api import Ctx, IdPath, OrderQ, Text200, TypeQ
from marsad.web.context import AppContext
from marsad.web.listing import PERIODS_AR, Form, ListingForm

router = APIRouter(include_in_schema=False)

STANCES_AR = {
    "statement": "تصريح",
    "confirmation": "تأكيد",
    "denial": "نفي",
    "claim": "ادعاء",
    "rejection": "رفض",
    "warning": "تحذير",
    "accusation": "اتهام",
    "demand": "مطالبة",
    "promise": "وعد",
}
KINDS_AR = {
    "person": "شخص",
    "organization": "منظمة",
    "place": "مكان",
    "media": "وسيلة إعلام",
    "group": "جماعة",
}


async def templates_of(request: Request) -> Jinja2Templates:
    """The app's templates (``async``: no I/O, so no trip to the thread pool; see ``api.ctx_of``)."""
    t: Jinja2Templates = request.app.state.templates
    return t


Templates = Annotated[Jinja2Templates, Depends(templates_of)]


def _render(t: Jinja2Templates, request: Request, name: str, **data: Any) -> HTMLResponse:
    return t.TemplateResponse(request, name, data)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Ctx, t: Templates) -> HTMLResponse:
    largest = views.list_stories(ctx, since=None, order="size", min_size=2, storyline=None, page=1, limit=8)[
        "items"
    ]
    latest = views.list_stories(
        ctx, since=None, order="recent", min_size=1, storyline=None, page=1, limit=12
    )["items"]
    articles = [] if (largest or latest) else views.latest_articles(ctx, limit=20)
    vol = views.volume(ctx)
    top = largest[:5]
    markers = [{"day": s["first_seen"], "label": str(n), "title": s["title"]} for n, s in enumerate(top, 1)]
    volume_chart = chart.bar_chart(
        vol["series"], name="volume", title="حجم التغطية", bucket=vol["bucket"], markers=markers
    )
    return _render(
        t,
        request,
        "home.html",
        largest=largest,
        latest=latest,
        articles=articles,
        stats=views.stats(ctx),
        people=views.list_entities(ctx, entity_type="person", limit=12),
        volume_chart=volume_chart,
        top_stories=top,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: IdPath, ctx: Ctx, t: Templates) -> HTMLResponse:
    story = views.story_detail(ctx, story_id)
    tl = views.story_timeline(ctx, story["id"])
    timeline = chart.stacked_chart(
        tl["totals"],
        tl["stacks"],
        name="coverage",
        title="مقالات القصة حسب المصدر",
        labels={"other": "مصادر أخرى"},
        bucket=tl["bucket"],
    )
    net = chart.network_chart(
        views.network(ctx, story=story["id"]), name="story-network", title="من يُذكر في القصة"
    )
    return _render(t, request, "story.html", story=story, timeline_chart=timeline, network_chart=net)


@router.get("/entities/{entity}", response_class=HTMLResponse)
def entity_page(request: Request, entity: IdPath, ctx: Ctx, t: Templates) -> HTMLResponse:
    profile = views.entity_profile(ctx, entity, quotes=100)
    mentions = chart.bar_chart(
        profile["mentions_over_time"],
        name="mentions",
        title=f"المقالات التي تذكر {profile['name']}",
        bucket="month",
    )
    st = views.stance_timeline(ctx, profile["id"])
    stances = chart.stacked_chart(
        st["totals"],
        st["stacks"],
        name="stances",
        title=f"تصريحات {profile['name']} حسب الموقف",
        labels=STANCES_AR,
        colors=chart.STANCE_COLORS,
        noun="quote",
        bucket=st["bucket"],
    )
    net = chart.network_chart(
        views.network(ctx, profile["id"]), name="network", title=f"من يُذكر مع {profile['name']}"
    )
    return _render(
        t, request, "entity.html", e=profile, chart=mentions, stance_chart=stances, network_chart=net
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: IdPath, ctx: Ctx, t: Templates) -> HTMLResponse:
    art, paragraphs = views.article_page(ctx, article_id)
    return _render(t, request, "article.html", a=art, paragraphs=paragraphs)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    ctx: Ctx,
    t: Templates,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[Literal["articles", "quotes", ""] | None, Query()] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,  # forms send "" for an empty date
    until: Annotated[str | None, Query(max_length=10)] = None,
    outlet: Text200 = None,
    entity: Text200 = None,
    speaker: Text200 = None,
    stance: Annotated[str | None, Query(max_length=20)] = None,
    story: Text200 = None,
    sort: Annotated[Literal["relevance", "date"], Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    exact: Annotated[Literal["1", ""] | None, Query()] = None,
) -> HTMLResponse:
    form = {
        "q": q,
        "kind": kind or "",
        "since": since or "",
        "until": until or "",
        "outlet": outlet or "",
        "entity": entity or "",
        "speaker": speaker or "",
        "stance": stance if stance in STANCES_AR else "",
        "story": story or "",
        "sort": sort,
        "exact": exact or "",
    }
    result: SearchPage | None = None
    message: str | None = None
    try:
        day_from, day_to = _day(since), _day(until)
    except ValueError:
        return _render(
            t, request, "search.html", form=form, result=None, message="تاريخ غير صالح (YYYY-MM-DD)"
        )
    if any(v for k, v in form.items() if k not in ("sort", "exact")):
        result, message = _search(ctx, form, day_from, day_to, page)
    return _render(
        t,
        request,
        "search.html",
        form=form,
        result=result,
        message=message,
        links=_search_links(form, result),
    )


def _search_links(form: dict[str, str], result: SearchPage | None) -> dict[str, Any]:
    """Query strings for the name chip (search exactly / widen again) and the "did you mean" links,
    keeping every other field of the form."""
    from urllib.parse import urlencode

    def href(**change: str) -> str:
        return "?" + urlencode(sorted({k: v for k, v in (form | change).items() if v}.items()))

    return {
        "toggle": href(exact="" if form["exact"] else "1"),
        "suggestions": [(q, href(q=q)) for q in (result.suggestions if result else [])],
    }


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _search(
    ctx: AppContext, form: dict[str, str], since: date | None, until: date | None, page: int
) -> tuple[SearchPage | None, str | None]:
    from marsad.errors import MarsadError

    try:
        return (
            views.search(
                ctx,
                q=form["q"],
                kind=form["kind"] or None,
                since=since,
                until=until,
                outlet=form["outlet"],
                entity=form["entity"],
                speaker=form["speaker"],
                stance=form["stance"],
                story=form["story"],
                sort=form["sort"],
                page=page,
                limit=20,
                exact=bool(form["exact"]),
            ),
            None,
        )
    except StoreError:
        return None, "فهرس البحث غير جاهز بعد: شغّل ‎marsad reindex‎ ثم أعد المحاولة."
    except MarsadError as e:
        return None, e.reason


# ---- listings -----------------------------------------------------------------------------------------

LISTINGS_AR = {
    "stories": "القصص",
    "quotes": "التصريحات",
    "entities": "الكيانات",
    "outlets": "المصادر",
    "storylines": "المسارات",
}
# the filters each listing's form shows (every one is accepted by every listing and its API twin)
FIELDS = {
    "stories": ("outlet", "entity", "language", "min_size", "max_size"),
    "quotes": ("speaker", "stance", "entity", "outlet", "language"),
    "entities": ("entity", "outlet", "language"),
    "outlets": ("entity", "language"),
    "storylines": ("outlet", "entity", "language", "min_size"),
}
NOUNS = {
    "stories": "story",
    "quotes": "quote",
    "entities": "entity",
    "outlets": "outlet",
    "storylines": "storyline",
}
PageN = Annotated[int, Query(ge=1, le=10_000)]
PER_PAGE = 20


def _url(path: str, params: dict[str, Any]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def _listing(
    request: Request,
    ctx: AppContext,
    t: Jinja2Templates,
    listing: str,
    form: ListingForm,
    page: int,
    fetch: Callable[[ListFilter], dict[str, Any]],
    extra: dict[str, Any] | None = None,
    chart_of: Callable[[dict[str, Any]], Any] | None = None,
    **data: Any,
) -> HTMLResponse:
    """A listing page: its filter form, shortcuts, rows, pager, export links and API twin."""
    resolved = views.resolve_form(ctx, form)
    result: dict[str, Any] | None = None
    message = None
    try:
        result = fetch(views.listing_filter(ctx, resolved))
    except NotFound as e:
        message = f"لا نتائج: «{e.where}» غير معروف في قاعدة المعرفة."
    params = form.query() | (extra or {})
    here = f"/{listing}"
    pages = None
    if result is not None and result.get("total") is not None:
        pages = max(1, -(-int(result["total"]) // int(result["limit"])))
    links = {
        "prev": _url(here, params | {"page": page - 1}) if page > 1 else None,
        "next": _url(here, params | {"page": page + 1}) if result and result["has_more"] else None,
        "api": _url(f"/api/{listing}", params | {"page": page}),
        "csv": _url(f"/api/export/{listing}", params | {"format": "csv"}),
        "jsonl": _url(f"/api/export/{listing}", params | {"format": "jsonl"}),
        "periods": {k: _url(here, {**params, "period": k, "since": None, "until": None}) for k in PERIODS_AR},
        "all": _url(here, {**params, "period": None, "since": None, "until": None}),
    }
    stats = views.stats(ctx)
    return _render(
        t,
        request,
        "listing.html",
        listing=listing,
        heading=LISTINGS_AR[listing],
        listings=LISTINGS_AR,
        listing_nouns=NOUNS,
        fields=FIELDS[listing],
        form=form,
        resolved=resolved,
        params=params,
        result=result,
        message=message,
        pages=pages,
        links=links,
        periods=PERIODS_AR,
        outlets=sorted(o for o in stats["outlets"] if not o.startswith("(")),
        languages=sorted(stats["languages"]),
        stats=stats,
        chart=chart_of(result) if chart_of and result else None,
        **data,
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request,
    ctx: Ctx,
    t: Templates,
    form: Form,
    order: OrderQ = "recent",
    storyline: Text200 = None,
    page: PageN = 1,
) -> HTMLResponse:
    def fetch(flt: ListFilter) -> dict[str, Any]:
        flt = replace(flt, storyline_id=storyline) if storyline else flt
        return views.stories_page(ctx, flt, order=order, page=page, limit=PER_PAGE)

    extra = {"order": order, "storyline": storyline}
    return _listing(request, ctx, t, "stories", form, page, fetch, extra, order=order)


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, ctx: Ctx, t: Templates, form: Form, page: PageN = 1) -> HTMLResponse:
    def fetch(flt: ListFilter) -> dict[str, Any]:
        return views.quotes_page(ctx, flt, page=page, limit=PER_PAGE)

    return _listing(request, ctx, t, "quotes", form, page, fetch)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, ctx: Ctx, t: Templates, form: Form, type: TypeQ = None, page: PageN = 1
) -> HTMLResponse:
    def fetch(flt: ListFilter) -> dict[str, Any]:
        return views.entities_page(ctx, flt, entity_type=type, page=page, limit=PER_PAGE * 2)

    return _listing(request, ctx, t, "entities", form, page, fetch, {"type": type}, entity_type=type or "")


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, ctx: Ctx, t: Templates, form: Form, page: PageN = 1) -> HTMLResponse:
    def fetch(flt: ListFilter) -> dict[str, Any]:
        return views.outlets_page(ctx, flt, page=page, limit=PER_PAGE * 2)

    def share(result: dict[str, Any]) -> Any:
        return chart.share_chart(result["items"], name="share", title="حصة كل مصدر من المقالات")

    return _listing(request, ctx, t, "outlets", form, page, fetch, chart_of=share if page == 1 else None)


@router.get("/storylines", response_class=HTMLResponse)
def storylines_page(request: Request, ctx: Ctx, t: Templates, form: Form, page: PageN = 1) -> HTMLResponse:
    def fetch(flt: ListFilter) -> dict[str, Any]:
        return views.storylines_page(ctx, flt, page=page, limit=PER_PAGE)

    return _listing(request, ctx, t, "storylines", form, page, fetch)
