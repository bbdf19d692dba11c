"""`marsad quotes`, `marsad entities`, `marsad entity NAME`: who said what, and about whom."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from marsad import read
from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt, LimitOpt, SinceOpt, UntilOpt, parse_day
from marsad.cli.render import console, json_lines, table
from marsad.entities import load_kb
from marsad.export import quote_record
from marsad.read import QuoteView


def _quote_json(q: QuoteView) -> dict[str, object]:
    return quote_record(q) | {
        "article_id": q.article_id,
        "published": q.published.date().isoformat() if q.published else None,
        "outlet": q.outlet,
        "article_title": q.article_title,
        "answers_article": q.answers_article.id if q.answers_article else None,
    }


def _answers_cell(q: QuoteView) -> str:
    """What a denial answers and, when that report is stored, which article it is: both sides."""
    ref = q.answers_article
    return (q.answers or "") + (f" → {ref.title or ref.id} ({ref.id})" if ref else "")


def _quote_rows(rows: tuple[QuoteView, ...], answers: bool) -> list[tuple[object, ...]]:
    return [
        (q.day or "", q.speaker.name if q.speaker else "?", q.stance.value, q.cue or "", q.text[:160],
         *((_answers_cell(q),) if answers else ()), q.outlet or "", q.article_id)
        for q in rows
    ]  # fmt: skip


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
    knowledge = load_kb(kb or ())
    with read.opened(db) as store:
        rows = read.list_quotes(
            store,
            knowledge,
            speaker=speaker,
            stance=stance,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            limit=limit,
            offset=offset,
        ).items
    if json_out:
        json_lines(_quote_json(r) for r in rows)
        return
    answers = any(q.answers for q in rows)  # a denial and the report it answers: both sides
    table(
        f"{len(rows)} quotes",
        ["date", "speaker", "stance", "cue", "quote", *(["answers"] if answers else []), "outlet", "article"],
        _quote_rows(rows, answers),
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
    names = read.Names.of(load_kb(kb or ()))
    with read.opened(db) as store:
        counts = read.entity_counts(store, names, entity_type=kind, limit=limit)
    rows = [
        {"id": c.id, "type": c.type, "name": c.name, "name_en": c.name_en, "articles": c.articles}
        for c in counts
    ]
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
    with read.opened(db) as store:
        p = read.entity_profile(store, load_kb(kb or ()), name, co_limit=20)
    roles = [
        {
            "office": r.office,
            "title": r.title,
            "from": r.start.isoformat() if r.start else None,
            "to": r.end.isoformat() if r.end else None,
        }
        for r in p.roles
    ]
    kind = p.kind.value if p.kind else None
    if json_out:
        json_lines(
            [
                {
                    "id": p.id,
                    "type": kind,
                    "name": p.name,
                    "name_en": p.name_en,
                    "aliases": list(p.aliases),
                    "wikidata": p.wikidata,
                    "roles": roles,
                    "articles": p.articles,
                    "quotes": [_quote_json(q) for q in p.quotes],
                    "co_mentions": [
                        {"id": o.id, "name": o.name, "name_en": o.name_en, "articles": o.articles}
                        for o in p.co_mentions
                    ],
                }
            ]
        )
        return
    console.rule(escape(f"{p.name}" + (f" — {p.name_en}" if p.name_en else "")))
    console.print(
        f"[bold]id[/bold]: {p.id}   [bold]type[/bold]: {kind or '?'}   [bold]articles[/bold]: {p.articles}",
        highlight=False,
    )
    if p.aliases:
        console.print("[bold]aliases[/bold]: " + "، ".join(p.aliases), highlight=False)
    if roles:
        table(
            "roles", ["title", "from", "to"], ((r["title"], r["from"] or "", r["to"] or "now") for r in roles)
        )
    if p.quotes:
        table(
            "quotes",
            ["date", "speaker", "stance", "cue", "quote", "outlet", "article"],
            _quote_rows(p.quotes, answers=False),
        )
    if p.co_mentions:
        table(
            "mentioned with",
            ["name", "English", "articles"],
            ((o.name, o.name_en or "", o.articles) for o in p.co_mentions),
        )
