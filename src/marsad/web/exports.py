"""``/api/export/{listing}``: a listing with its filters as a CSV file (UTF-8 BOM, for spreadsheets) or JSON
Lines, streamed page by page from the same read views as the listing (no row cap, a page in memory).

The rows are :mod:`marsad.export`'s (stories and quotes as ``marsad export --table`` writes them); the
aggregate listings (entities, outlets, storylines) are their views' JSON fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from marsad import export, read
from marsad.jsonview import to_json
from marsad.web.context import AppContext

LISTINGS = ("stories", "quotes", "entities", "outlets", "storylines")
BATCH = 2000  # rows read per query while streaming (offset paging: fewer, larger pages)

ENTITY_FIELDS = ["id", "name", "name_en", "type", "articles"]
OUTLET_FIELDS = ["outlet", "articles", "share", "stories", "first_day", "last_day"]
STORYLINE_FIELDS = ["id", "title", "stories", "articles", "first_seen", "last_seen"]

Rows = Callable[[int], list[dict[str, Any]]]  # offset → the next batch of rows


def _batches(rows: Rows) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        batch = rows(offset)
        yield from batch
        if len(batch) < BATCH:
            return
        offset += BATCH


def _table(
    ctx: AppContext, listing: str, flt: read.ListFilter, *, order: str, entity_type: str | None
) -> tuple[list[str], Rows]:
    if listing == "stories":
        return export.STORY_FIELDS, lambda off: [
            export.story_row(c)
            for c in read.list_stories(
                ctx.store, ctx.names, flt=flt, order=order, limit=BATCH, offset=off
            ).items
        ]
    if listing == "quotes":
        return export.QUOTE_FIELDS, lambda off: [
            export.quote_row(q)
            for q in read.list_quotes(ctx.store, ctx.kb, flt=flt, limit=BATCH, offset=off).items
        ]
    if listing == "entities":
        return ENTITY_FIELDS, lambda off: [
            to_json(e)
            for e in read.list_entities(
                ctx.store, ctx.names, flt, entity_type=entity_type, limit=BATCH, offset=off
            ).items
        ]
    if listing == "outlets":
        return OUTLET_FIELDS, lambda off: [
            to_json(o) for o in read.list_outlets(ctx.store, flt, limit=BATCH, offset=off).items
        ]
    if listing == "storylines":
        return STORYLINE_FIELDS, lambda off: [
            {k: v for k, v in to_json(s).items() if k in STORYLINE_FIELDS}
            for s in read.find_storylines(ctx.store, ctx.names, flt, limit=BATCH, offset=off).items
        ]
    raise ValueError(f"unknown listing {listing!r} (use {', '.join(LISTINGS)})")


def stream(
    ctx: AppContext,
    listing: str,
    fmt: str,
    flt: read.ListFilter,
    *,
    order: str = "recent",
    entity_type: str | None = None,
) -> Iterator[bytes]:
    """The export's bytes; the first query runs before the first byte, so a bad filter is a clean error."""
    fields, rows = _table(ctx, listing, flt, order=order, entity_type=entity_type)
    first = rows(0)

    def all_rows() -> Iterator[dict[str, Any]]:
        yield from first
        if len(first) == BATCH:
            yield from _batches(lambda off: rows(off + BATCH))

    return (text.encode("utf-8") for text in export.table_lines(fields, all_rows(), fmt))
