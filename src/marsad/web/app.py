"""The FastAPI application: JSON API under ``/api``, HTML pages, and the package's static files.

Read-only by construction: the store is opened read-only and no endpoint fetches a URL. The interactive
docs (Swagger UI, ``/api/docs``) load their script and stylesheet from the ``fastapi-offline`` package's
files, served here, instead of FastAPI's default CDN, so they work offline; the OpenAPI document itself
is at ``/api/openapi.json``.
Errors are ``{"error": ..., "detail": ...}`` JSON under ``/api`` and an HTML page elsewhere.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.entities.kb import KnowledgeBase, load_kb
from marsad.errors import ConfigError, MarsadError, NotFound, StoreDamaged, StoreError
from marsad.search import QueryError
from marsad.web import alerts, api, arabic, pages
from marsad.web.context import AppContext

_HERE = Path(str(resources.files("marsad.web")))


def create_app(db: str | Path, *, kb: KnowledgeBase | None = None, threads: int | None = None) -> FastAPI:
    """The web app over the store ``db``, a SQLite file or a ``postgresql://`` URL (opened read-only; it
    must exist).

    ``threads`` caps the thread pool the endpoints run in (anyio's default is 40) once the server starts.
    The work of a request is mostly Python, so one process runs it on one core at a time whatever the
    number of threads; 40 threads contending for the GIL only add switching and convoy waits (every SQLite
    call gives the GIL up and must queue for it again), while requests beyond the cap wait cheaply, in
    order, on the event loop.
    """
    ctx = AppContext(db, kb if kb is not None else load_kb())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if threads:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Marsad API",
        summary="Arabic news monitoring: articles, stories, entities, quotes and search (read-only).",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals |= {"stances": pages.STANCES_AR, "kinds": pages.KINDS_AR}
    templates.env.filters["day"] = lambda v: str(v or "")[:10]
    templates.env.filters["arday"] = arabic.day
    templates.env.filters["count"] = arabic.count
    templates.env.filters["period"] = arabic.period
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(alerts.router)
    _install_docs(app)
    _install_error_handlers(app, templates)
    return app


DOCS_STATIC = "/api/docs-static"


def _install_docs(app: FastAPI) -> None:
    """Swagger UI at ``/api/docs`` from local files (see the module docstring)."""
    import fastapi_offline

    files = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_STATIC, StaticFiles(directory=str(files)), name="docs-static")

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="Marsad API",
            swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_STATIC}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
        )


def serve_app(db: str, kb_files: Sequence[str | Path], threads: int | None) -> FastAPI:
    """The app factory a ``marsad serve --workers N`` worker process calls (picklable arguments only).
    The parent has already opened the store and loaded the KB once, so a failure here is unexpected:
    it ends the worker with uvicorn's start-up failure code, which stops the server instead of
    restarting the worker over and over."""
    try:
        return create_app(db, kb=load_kb(list(kb_files)), threads=threads)
    except MarsadError as e:
        print(f"marsad: {e}", file=sys.stderr)
        sys.exit(3)  # uvicorn.config.STARTUP_FAILURE


def _status_of(e: MarsadError) -> int:
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, QueryError):
        return 400
    if isinstance(e, StoreDamaged):
        return 500  # a damaged store file or index: the reason names it and what to do
    if isinstance(e, StoreError):
        return 503  # the store or the index is not there (yet), the disk is full, the store is locked
    if isinstance(e, ConfigError):
        return 500
    return 400


def _install_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    def respond(request: Request, status: int, error: str, detail: Any = None) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"error": error, "detail": detail}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "error": error, "detail": detail}, status_code=status
        )

    @app.exception_handler(MarsadError)
    async def marsad_error(request: Request, exc: MarsadError) -> Response:
        return respond(request, _status_of(exc), exc.reason, {"where": exc.where})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [
            {"param": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        names = ", ".join(d["param"] for d in detail) or "request"
        return respond(request, 422, f"invalid parameter: {names}", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        text = "not found" if exc.status_code == 404 else str(exc.detail)
        return respond(request, exc.status_code, text)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        return respond(request, 500, "internal error", type(exc).__name__)
