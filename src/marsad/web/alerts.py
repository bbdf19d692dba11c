"""``/alerts/NAME.atom``: an alert rule's hits as an Atom feed (:mod:`marsad.alerts.feed`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from marsad import read
from marsad.alerts.feed import atom_feed
from marsad.web.context import AppContext

router = APIRouter(tags=["alerts"])
FEED_ENTRIES = 100


@router.get("/alerts/{name}.atom", response_class=Response)
def alert_feed(request: Request, name: str) -> Response:
    """The newest hits of the alert ``name`` (``marsad alert add``) as Atom."""
    ctx: AppContext = request.app.state.ctx
    rule, hits = read.alert_feed(ctx.store, name, limit=FEED_ENTRIES)
    body = atom_feed(rule, hits, base_url=str(request.base_url).rstrip("/"))
    return Response(body, media_type="application/atom+xml; charset=utf-8")
