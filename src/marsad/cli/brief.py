"""`marsad brief`: what the store holds, in the words a reader wants first."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad import read
from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt
from marsad.cli.render import console, json_lines
from marsad.entities import load_kb
from marsad.jsonview import to_json
from marsad.read import BriefView, QuoteView

QUOTE_CHARS = 160  # a brief shows the start of long quotes; `marsad quotes` shows them whole


@app.command()
def brief(
    db: DbOpt = None,
    stories: Annotated[int, typer.Option(min=1, max=50, help="How many of the largest stories.")] = 5,
    speakers: Annotated[int, typer.Option(min=1, max=50, help="How many of the most mentioned people.")] = 5,
    kb_files: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A short summary: the largest stories, who said what, and the denials."""
    kb = load_kb(kb_files or [])
    with read.opened(db) as store:
        view = read.brief(store, kb, stories=stories, speakers=speakers)
        where = db or "the store"
    if json_out:
        json_lines([to_json(view)])
        return
    _print(view, where)


def _print(v: BriefView, where: str) -> None:
    st = v.stats
    span = f", {st.first_published} … {st.last_published}" if st.first_published else ""
    console.print(
        f"{where}: {st.articles} articles from {len(st.outlets)} outlets{span}; "
        f"{st.stories} stories, {st.quotes} quotes, {st.entities} entities",
        highlight=False,
    )
    if v.stories:
        console.print("\n[bold]Largest stories[/bold]")
        for i, s in enumerate(v.stories, 1):
            first = f", first seen {s.first_seen.date().isoformat()}" if s.first_seen else ""
            outlets = f" ({', '.join(s.outlets)})" if s.outlets else ""
            console.print(
                f"{i}. {s.title} — {_n(s.size, 'article')}, {_n(s.independent_sources, 'independent source')}"
                f"{outlets}{first} · {s.id}",
                highlight=False,
                markup=False,
            )
    if v.speakers:
        console.print("\n[bold]Who said what[/bold]")
        for sq in v.speakers:
            p = sq.speaker
            en = f" ({p.name_en})" if p.name_en and p.name_en != p.name else ""
            console.print(f"{p.name}{en} — in {_n(p.articles, 'article')}", highlight=False, markup=False)
            for q in sq.quotes:
                console.print(f"   {_quote_line(q)}", highlight=False, markup=False)
    console.print(f"\n[bold]Denials[/bold] ({v.denial_total})", highlight=False)
    if not v.denials:
        console.print("   none found", highlight=False)
    for q in v.denials:
        who = q.speaker.name if q.speaker else "?"
        console.print(f"   {who}: {_quote_line(q)}", highlight=False, markup=False)


def _quote_line(q: QuoteView) -> str:
    text = q.text if len(q.text) <= QUOTE_CHARS else q.text[: QUOTE_CHARS - 1].rstrip() + "…"
    when = q.day.isoformat() if q.day else "undated"
    source = f"{q.outlet}, {when}" if q.outlet else when
    return f"[{q.stance.value}] «{text}» ({source})"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
