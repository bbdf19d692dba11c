"""The FastAPI application: JSON API under ``/api``, HTML pages, and the package's static files.

Read-only by construction: the store is opened read-only and no endpoint fetches a URL. Swagger UI is
off because it loads its scripts from a CDN; the OpenAPI document itself is at ``/api/openapi.json``.
Errors are ``{"error": ..., "detail": ...}`` JSON under ``/api`` and an HTML page elsewhere.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.entities.kb import KnowledgeBase, load_kb
from marsad.errors import ConfigError, MarsadError, NotFound, StoreError
from marsad.search import QueryError
from marsad.web import api, pages
from marsad.web.context import AppContext

_HERE = Path(str(resources.files("marsad.web")))


def create_app(db: str | Path, *, kb: KnowledgeBase | None = None) -> FastAPI:
    """The web app over the store ``db``, a SQLite file or a ``postgresql://`` URL (opened read-only; it
    must exist)."""
    ctx = AppContext(db, kb if kb is not None else load_kb())
    app = FastAPI(
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
    templates.env.filters["day"] = lambda v: (v or "")[:10]
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _install_error_handlers(app, templates)
    return app


def _status_of(e: MarsadError) -> int:
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, QueryError):
        return 400
    if isinstance(e, StoreError):
        return 503  # the store or the index is not there (yet)
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
