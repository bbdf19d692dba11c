"""`marsad articles` and `marsad show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from marsad import read
from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt, LimitOpt, SinceOpt, UntilOpt, parse_day
from marsad.cli.render import console, json_lines, table


@app.command()
def articles(
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    story: Annotated[str | None, typer.Option(help="Only this story id.")] = None,
    limit: LimitOpt = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    json_out: JsonOpt = False,
) -> None:
    """List stored articles, filtered by date, outlet or story."""
    with read.opened(db) as store:
        listed = read.list_articles(
            store,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            outlet=outlet,
            story=story,
            limit=limit,
            offset=offset,
        )
    rows, total = listed.items, listed.total
    if json_out:
        json_lines(
            {
                "id": a.id,
                "published": a.day.isoformat() if a.day else None,
                "outlet": a.outlet,
                "wire": a.wire,
                "title": a.title,
                "source": a.source_ref.key,
                "part": a.source_ref.part,
                "parent_id": a.parent_id,
                "story_id": a.story_id,
            }
            for a in rows
        )
        return
    table(
        f"{len(rows)} of {total} articles",
        ["id", "published", "outlet", "title", "source"],
        (
            (
                a.id,
                a.day or "",
                a.outlet or "",
                (a.title or (a.excerpt or "")[:60]),
                a.source_ref.file_name + (f" §{a.source_ref.part}" if a.source_ref.part else ""),
            )
            for a in rows
        ),
    )


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of it).")],
    db: DbOpt = None,
    kb: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Show one article: metadata, clean text, people and quotes."""
    from marsad.entities import load_kb
    from marsad.export import article_record

    names = read.Names.of(load_kb(kb or ()))
    with read.opened(db) as store:
        a = read.article(store, names, article_id)
    rec = article_record(a)
    if json_out:
        json_lines([rec | {"raw": a.record.raw}])
        return
    console.rule(a.title or "(no headline)")
    for k in (
        "id",
        "published_at",
        "outlet",
        "wire",
        "url",
        "source",
        "member",
        "part",
        "parent_id",
        "language",
        "story_id",
        "analysis",
        "analysis_error",
    ):
        if rec.get(k) not in (None, ""):
            console.print(f"[bold]{k}[/bold]: {escape(str(rec[k]))}", highlight=False)
    if a.tags:
        console.print(f"[bold]tags[/bold]: {escape(', '.join(a.tags))}", highlight=False)
    if a.cited_media:
        console.print(f"[bold]cites[/bold]: {escape(', '.join(a.cited_media))}", highlight=False)
    console.print()
    console.print(a.body, highlight=False, markup=False)  # article text is data, never Rich markup
    if rec["persons"]:
        console.print(
            "\n[bold]persons[/bold]: "
            + ", ".join(
                f"{p['name']}" + (f" ({p['name_en']})" if p["name_en"] else "") for p in rec["persons"]
            ),
            highlight=False,
        )
    for q in rec["quotes"]:
        sp = q["speaker"]["name"] if q["speaker"] else "?"
        console.print(
            f"  [cyan]{q['stance']}[/cyan] {sp} ({q['cue']}, {q['kind']}): «{q['text']}»", highlight=False
        )
