"""`marsad stories`, `marsad story ID`, `marsad storylines`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from marsad import read
from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, LimitOpt, SinceOpt, parse_day
from marsad.cli.render import console, json_lines, table
from marsad.read import StoryCard


def _story_json(s: StoryCard) -> dict[str, object]:
    return {
        "id": s.id,
        "title": s.title,
        "size": s.size,
        "first_seen": s.first_seen.isoformat() if s.first_seen else None,
        "last_seen": s.last_seen.isoformat() if s.last_seen else None,
        "outlets": list(s.outlets),
        "independent_sources": s.independent_sources,
        "top_entities": [e.id for e in s.top_entities],
        "summary": list(s.summary),
        "storyline_id": s.storyline_id,
        "article_ids": list(s.article_ids),
    }


@app.command()
def stories(
    db: DbOpt = None,
    since: SinceOpt = None,
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Only stories with this many articles.")
    ] = 1,
    order: Annotated[str, typer.Option(help="recent or size.")] = "recent",
    limit: LimitOpt = 50,
    json_out: JsonOpt = False,
) -> None:
    """Stories (articles reporting one happening), latest or largest first."""
    if order not in ("recent", "size"):
        raise typer.BadParameter("use recent or size", param_hint="--order")
    with read.opened(db) as store:
        rows = read.list_stories(
            store,
            read.Names(),
            since=parse_day(since, "--since"),
            min_size=min_size,
            order=order,
            limit=limit,
        ).items
    if json_out:
        json_lines(_story_json(s) for s in rows)
        return
    table(
        f"{len(rows)} stories",
        ["last seen", "articles", "sources", "title", "id"],
        (
            (
                s.last_seen.date() if s.last_seen else "",
                s.size,
                s.independent_sources,
                s.title[:90],
                s.id,
            )
            for s in rows
        ),
    )


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="Story id.")],
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """One story: summary, timeline of articles with outlets, key quotes."""
    with read.opened(db) as store:
        s = read.story(store, read.Names(), story_id, max_quotes=None)
    arts = s.articles
    timeline = [
        {
            "id": a.id,
            "published": a.published.isoformat() if a.published else None,
            "outlet": a.outlet,
            "title": a.title,
            "duplicate_of": a.duplicate_of,
        }
        for a in arts
    ]
    quotes = [
        {
            "article_id": q.article_id,
            "speaker": q.speaker.name if q.speaker else None,
            "stance": q.stance.value,
            "text": q.text,
        }
        for q in s.quotes
    ]
    if json_out:
        json_lines([_story_json(s) | {"timeline": timeline, "quotes": quotes}])
        return
    console.rule(s.title)
    console.print(
        f"{len(arts)} articles · {s.independent_sources} independent sources · outlets: "
        + ", ".join(o for o in s.outlets if o),
        highlight=False,
    )
    for sentence in s.summary:
        console.print(f"• {sentence}", highlight=False)
    table(
        "timeline",
        ["published", "outlet", "title", "copy of", "id"],
        (
            (t["published"] or "", t["outlet"] or "", t["title"] or "", t["duplicate_of"] or "", t["id"])
            for t in timeline
        ),
    )
    if quotes:
        table(
            "quotes",
            ["speaker", "stance", "quote"],
            ((q["speaker"] or "?", q["stance"], str(q["text"])[:140]) for q in quotes[:30]),
        )


@app.command()
def storylines(db: DbOpt = None, limit: LimitOpt = 50, json_out: JsonOpt = False) -> None:
    """Storylines: stories about one ongoing matter, linked over weeks and months."""
    with read.opened(db) as store:
        lines = read.list_storylines(store, read.Names())
    ranked = sorted(lines, key=lambda line: (-len(line.stories), line.id))[:limit]
    out: list[dict[str, Any]] = []
    for line in ranked:
        members = sorted(
            line.stories, key=lambda s: (s.first_seen.isoformat() if s.first_seen else "~", s.id)
        )
        out.append(
            {
                "id": line.id,
                "stories": len(members),
                "articles": line.articles,
                "first_seen": line.first_seen.isoformat() if line.first_seen else None,
                "titles": [s.title for s in members],
                "story_ids": [s.id for s in members],
            }
        )
    if json_out:
        json_lines(out)
        return
    table(
        f"{len(out)} storylines",
        ["stories", "articles", "from", "titles", "id"],
        (
            (
                o["stories"],
                o["articles"],
                o["first_seen"] or "",
                " | ".join(str(t)[:50] for t in o["titles"][:4]),
                o["id"],
            )
            for o in out
        ),
    )
