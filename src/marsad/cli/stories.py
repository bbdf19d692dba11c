"""`marsad stories`, `marsad story ID`, `marsad storylines`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from marsad import read
from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, LimitOpt, SinceOpt, parse_day
from marsad.cli.render import console, json_lines, table
from marsad.parse.dates import label
from marsad.read import FirstReportView, StoryCard


def _story_json(s: StoryCard) -> dict[str, object]:
    return {
        "id": s.id,
        "title": s.title,
        "size": s.size,
        "first_seen": s.first_seen.isoformat() if s.first_seen else None,
        "last_seen": s.last_seen.isoformat() if s.last_seen else None,
        "outlets": list(s.outlets),
        "outlet_names": list(s.outlet_names),
        "independent_sources": s.independent_sources,
        "unknown_sources": s.unknown_sources,
        "sources": [
            {"source": g.source, "name": g.name, "outlets": list(g.outlets), "articles": g.articles}
            for g in s.sources
        ],
        "first_reported": _first_json(s.first_reported),
        "top_entities": [e.id for e in s.top_entities],
        "summary": list(s.summary),
        "storyline_id": s.storyline_id,
        "article_ids": list(s.article_ids),
    }


def _first_json(f: FirstReportView | None) -> dict[str, object] | None:
    if f is None:
        return None
    return {
        "article_id": f.article_id,
        "outlet": f.outlet,
        "outlet_name": f.outlet_name,
        "wire": f.wire,
        "published": f.published.isoformat(),
        "precision": f.precision,
        "date_source": f.date_source,
    }


def sources_line(s: StoryCard) -> str:
    """``3 independent sources (and 2 of unknown origin)``: unknown outlets are never counted as sources."""
    n = s.independent_sources
    line = f"{n} independent source{'s' if n != 1 else ''}"
    if s.unknown_sources:
        line += f" (and {s.unknown_sources} article group{'s' if s.unknown_sources != 1 else ''} of unknown outlet)"
    return line


def first_line(f: FirstReportView | None) -> str:
    """``first reported by سكاي نيوز عربية on 2025-09-05 (day, from the header)``."""
    if f is None:
        return "first reported: unknown (no dated article)"
    who = f.outlet_name or f.wire or "an unknown outlet"
    when = label(f.published, f.precision)
    how = ", ".join(x for x in (f.precision, f"date from the {f.date_source}" if f.date_source else "") if x)
    return f"first reported by {who} on {when}" + (f" ({how})" if how else "") + f" · article {f.article_id}"


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
                f"{s.independent_sources}"
                + (f" (+{s.unknown_sources} unknown)" if s.unknown_sources else ""),
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
            "outlet": a.outlet_name,
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
    console.print(f"{len(arts)} article{'s' if len(arts) != 1 else ''} · {sources_line(s)}", highlight=False)
    console.print(first_line(s.first_reported), highlight=False)
    for g in s.sources:
        who = g.name or "unknown outlet"
        via = f" — carried by {', '.join(g.outlets)}" if g.outlets and g.outlets != (g.name,) else ""
        console.print(
            f"  ◦ {who}: {g.articles} article{'s' if g.articles != 1 else ''}{via}", highlight=False
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
