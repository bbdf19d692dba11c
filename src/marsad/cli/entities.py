"""`marsad quotes`, `marsad entities`, `marsad entity NAME`: who said what, and about whom."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt, LimitOpt, SinceOpt, UntilOpt, parse_day
from marsad.cli.render import console, json_lines, table
from marsad.export import quote_record
from marsad.store import open_store
from marsad.store.base import QuoteRow


def _quote_json(r: QuoteRow) -> dict[str, object]:
    return quote_record(r.quote) | {
        "article_id": r.article_id,
        "published": r.published.date().isoformat() if r.published else None,
        "outlet": r.outlet,
        "article_title": r.article_title,
    }


def _quote_rows(rows: list[QuoteRow]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for r in rows:
        q = r.quote
        when = q.said_on or (r.published.date() if r.published else "")
        who = (q.speaker.name_ar or q.speaker.text) if q.speaker else "?"
        out.append((when, who, q.stance.value, q.cue or "", q.text[:160], r.outlet or "", r.article_id))
    return out


@app.command()
def quotes(
    db: DbOpt = None,
    speaker: Annotated[
        str | None, typer.Option(help="Speaker name in any spelling (or a role phrase).")
    ] = None,
    stance: Annotated[
        str | None,
        typer.Option(
            help="statement, confirmation, denial, claim, rejection, warning, accusation, demand or promise."
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    kb: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Quotes in time order, filtered by speaker, stance and dates."""
    from marsad import service
    from marsad.entities import load_kb

    store = open_store(db, readonly=True)
    try:
        rows = service.list_quotes(
            store,
            load_kb(kb or ()),
            speaker=speaker,
            stance=stance,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            limit=limit,
            offset=offset,
        )
    finally:
        store.close()
    if json_out:
        json_lines(_quote_json(r) for r in rows)
        return
    table(
        f"{len(rows)} quotes",
        ["date", "speaker", "stance", "cue", "quote", "outlet", "article"],
        _quote_rows(rows),
    )


@app.command()
def entities(
    db: DbOpt = None,
    kind: Annotated[
        str | None, typer.Option("--type", help="person, organization, place, media or group.")
    ] = None,
    limit: LimitOpt = 50,
    kb: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The most mentioned people, organisations and places in the store."""
    from marsad.entities import load_kb

    knowledge = load_kb(kb or ())
    store = open_store(db, readonly=True)
    try:
        counts = store.entity_counts(entity_type=kind, limit=limit)
    finally:
        store.close()
    rows = []
    for eid, etype, n in counts:
        e = knowledge.get(eid)
        rows.append(
            {
                "id": eid,
                "type": etype,
                "name": e.name_ar if e else eid.removeprefix("ner:"),
                "name_en": e.name_en if e else None,
                "articles": n,
            }
        )
    if json_out:
        json_lines(rows)
        return
    table(
        f"{len(rows)} entities",
        ["name", "English", "type", "articles", "id"],
        ((r["name"], r["name_en"] or "", r["type"], r["articles"], r["id"]) for r in rows),
    )


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="A name in any spelling, an English name, or a role phrase.")],
    db: DbOpt = None,
    kb: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """One entity: aliases, roles over time, quotes in time order with stance, who they appear with."""
    from marsad import service
    from marsad.entities import load_kb

    knowledge = load_kb(kb or ())
    store = open_store(db, readonly=True)
    try:
        p = service.entity_profile(store, knowledge, name)
    finally:
        store.close()
    e = p.entity
    roles = [
        {
            "office": r.office,
            "title": t,
            "from": r.start.isoformat() if r.start else None,
            "to": r.end.isoformat() if r.end else None,
        }
        for r, t in p.roles
    ]
    if json_out:
        json_lines(
            [
                {
                    "id": e.id,
                    "type": e.kind.value,
                    "name": e.name_ar,
                    "name_en": e.name_en,
                    "aliases": list(e.aliases),
                    "wikidata": e.wikidata,
                    "roles": roles,
                    "articles": len(p.mentions),
                    "quotes": [_quote_json(r) for r in p.quotes],
                    "co_mentions": [
                        {"id": o.id, "name": o.name_ar, "name_en": o.name_en, "articles": n}
                        for o, n in p.co_mentions
                    ],
                }
            ]
        )
        return
    console.rule(f"{e.name_ar}" + (f" — {e.name_en}" if e.name_en else ""))
    console.print(
        f"[bold]id[/bold]: {e.id}   [bold]type[/bold]: {e.kind.value}   "
        f"[bold]articles[/bold]: {len(p.mentions)}",
        highlight=False,
    )
    if e.aliases:
        console.print("[bold]aliases[/bold]: " + "، ".join(e.aliases), highlight=False)
    if roles:
        table(
            "roles", ["title", "from", "to"], ((r["title"], r["from"] or "", r["to"] or "now") for r in roles)
        )
    if p.quotes:
        table(
            "quotes",
            ["date", "speaker", "stance", "cue", "quote", "outlet", "article"],
            _quote_rows(p.quotes),
        )
    if p.co_mentions:
        table(
            "mentioned with",
            ["name", "English", "articles"],
            ((o.name_ar, o.name_en or "", n) for o, n in p.co_mentions),
        )
