"""`marsad search` and `marsad reindex`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from marsad import read
from marsad.cli.app import EXIT_INPUT_FAILED, app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt, SinceOpt, UntilOpt, parse_day
from marsad.cli.render import console, err_console, json_lines, progress_bar
from marsad.entities import load_kb
from marsad.entities.kb import KnowledgeBase
from marsad.errors import StoreDamaged, StoreError
from marsad.search import MAX_PAGE_SIZE, SyncResult, index_lag, open_index, rebuild_index, sync_index
from marsad.search.highlight import Segment
from marsad.search.names import NameExpansion
from marsad.search.results import SearchHit, SearchPage
from marsad.store import Store

KindOpt = Annotated[
    str | None, typer.Option("--kind", help="Only 'articles' or only 'quotes' (default: both).")
]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words (any clitic form), "a phrase", OR, -word, (groups).')],
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only texts mentioning this entity (id or name).")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Only quotes by (or articles quoting) this person.")
    ] = None,
    stance: Annotated[
        str | None, typer.Option(help="Only quotes of this stance (denial, warning …).")
    ] = None,
    story: Annotated[str | None, typer.Option(help="Only this story id.")] = None,
    kind: KindOpt = None,
    sort: Annotated[str, typer.Option(help="'relevance' or 'date' (newest first).")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE_SIZE, help="Results per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    exact: Annotated[
        bool, typer.Option("--exact", help="Names only as typed (not the KB's other spellings of them).")
    ] = False,
    kb_files: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Search articles and quotes: Arabic-aware (clitics, spelling variants); a KB name also finds its
    other spellings and English name (ترمب → ترامب, Trump) unless --exact."""
    if kind not in (None, "articles", "quotes"):
        raise typer.BadParameter("use 'articles' or 'quotes'", param_hint="--kind")
    if sort not in ("relevance", "date"):
        raise typer.BadParameter("use 'relevance' or 'date'", param_hint="--sort")
    kb = load_kb(kb_files or [])
    filters = read.search_filters(
        kb,
        kind=kind,
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        outlet=outlet,
        entity=entity,
        speaker=speaker,
        stance=stance,
        story=story,
        params=("--entity", "--speaker"),
    )
    with read.opened(db) as store:
        catch_up_index(store, kb, wait=0.0)
        try:
            result = read.search(
                store,
                open_index(store, kb=kb),
                query,
                filters,
                sort=sort,
                page=page,
                limit=limit,
                expand=not exact,
            )
        except StoreDamaged as e:
            # the index is derived from the store, so a damaged one is rebuilt, not reported and left
            err_console.print(
                f"warning {e.where}: {e.reason.split(':')[0]}; rebuilding it from the store…",
                highlight=False,
                markup=False,
            )
            _rebuild(store, kb)
            result = read.search(
                store,
                open_index(store, kb=kb),
                query,
                filters,
                sort=sort,
                page=page,
                limit=limit,
                expand=not exact,
            )
    _print_names(result)
    if json_out:
        names = [_expansion(e) for e in result.expansions] if result.expanded else []
        json_lines(_hit_record(h) | {"expansions": names} for h in result.hits)
        return
    first = (result.page - 1) * result.limit
    console.print(
        f"{result.total} results · page {result.page}/{result.pages} · {result.took_ms:.0f} ms",
        highlight=False,
    )
    for i, h in enumerate(result.hits, start=first + 1):
        day = h.published.date().isoformat() if h.published else "????-??-??"
        head = Text(f"{i}. {day} {h.outlet or ''} · {h.article_id[:12]} · ")
        head.append_text(_marked(h.title_marked) if h.title else Text("(no headline)"))
        console.print(head)
        body = Text("   ")
        if h.quote is not None:
            who = (h.quote.speaker.name_ar or h.quote.speaker.text) if h.quote.speaker else "?"
            body.append(f"{who} [{h.quote.stance.value}]: «", style="cyan")
            body.append_text(_marked(h.snippet))
            body.append("»", style="cyan")
        else:
            body.append_text(_marked(h.snippet))
        console.print(body)


def _expansion(e: NameExpansion) -> dict[str, object]:
    return {"word": e.word, "entity_ids": list(e.entity_ids), "spellings": list(e.spellings)}


def _print_names(result: SearchPage) -> None:
    """On stderr (stdout stays the results): which names were widened, and "did you mean"."""
    for e in result.expansions:
        spellings = " · ".join(e.spellings)
        if result.expanded:
            line = f"names: «{e.word}» also matches {spellings} (--exact: only as typed)"
        else:
            line = f"names: «{e.word}» only as typed (without --exact it also matches {spellings})"
        err_console.print(line, highlight=False, markup=False)
    if result.suggestions:
        err_console.print("did you mean: " + " · ".join(result.suggestions), highlight=False, markup=False)


def catch_up_index(store: Store, kb: KnowledgeBase, *, wait: float) -> None:
    """Build the index when there is none and bring it up to the store's revision otherwise (an ingest
    that was killed before it synced leaves it behind). Only a missing index that cannot be built is an
    error; a sync that cannot run (another process holds the index, a read-only folder) leaves the index
    as it is, with a warning."""
    lag = index_lag(store)
    result: SyncResult | None = None
    if lag is None:
        err_console.print("building the search index (once; `marsad reindex` rebuilds it)…")
        result = _rebuild(store, kb)
    elif lag:
        try:
            result = sync_index(store, kb, wait=wait)
        except OSError as e:
            err_console.print(
                f"warning {store.index_path}: search index not updated ({e.strerror or e})",
                highlight=False,
                markup=False,
            )
    for where, reason in result.failures if result else []:
        err_console.print(f"warning {where}: {reason}", highlight=False, markup=False)


def _rebuild(store: Store, kb: KnowledgeBase) -> SyncResult:
    try:
        with progress_bar(read.count_articles(store), "index") as advance:
            return rebuild_index(store, kb=kb, progress=lambda k: advance(k, ""))
    except OSError as e:
        raise StoreError(
            str(store.index_path), f"cannot build the search index ({e.strerror or e})"
        ) from None


def _marked(segments: list[Segment]) -> Text:
    t = Text()
    for s, m in segments:
        t.append(s, style="bold yellow" if m else None)
    return t


def _hit_record(h: SearchHit) -> dict[str, object]:
    rec: dict[str, object] = {
        "kind": h.kind,
        "article_id": h.article_id,
        "score": round(h.score, 4),
        "published": h.published.isoformat() if h.published else None,
        "outlet": h.outlet,
        "title": h.title,
        "story_id": h.story_id,
        "snippet": h.snippet_text,
        "snippet_html": h.snippet_html,
    }
    if h.quote is not None:
        sp = h.quote.speaker
        rec["quote"] = {
            "index": h.quote_index,
            "text": h.quote.text,
            "stance": h.quote.stance.value,
            "said_on": h.quote.said_on.isoformat() if h.quote.said_on else None,
            "speaker": {"text": sp.text, "entity_id": sp.entity_id, "name": sp.name_ar} if sp else None,
        }
    return rec


@app.command()
def reindex(db: DbOpt = None, kb_files: KbOpt = None) -> None:
    """Rebuild the search index from every stored article (beside a SQLite file; for PostgreSQL at
    ?index=PATH in the URL, $MARSAD_INDEX, or under $XDG_DATA_HOME/marsad)."""
    kb = load_kb(kb_files or [])
    with read.opened(db) as store:
        path = store.index_path
        with progress_bar(read.count_articles(store), "indexing") as advance:
            try:
                result = rebuild_index(store, kb=kb, progress=lambda k: advance(k, ""))
            except OSError as e:
                raise StoreError(str(path), f"cannot write the search index ({e.strerror or e})") from None
    for where, reason in result.failures:
        err_console.print(f"[red]failed[/red] {where}: {reason}", highlight=False, soft_wrap=True)
    console.print(f"indexed {result.indexed} articles into {path}", highlight=False)
    if result.failures:
        raise typer.Exit(EXIT_INPUT_FAILED)
