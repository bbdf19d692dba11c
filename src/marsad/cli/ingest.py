"""`marsad ingest`, `marsad export`, `marsad stats`."""

from __future__ import annotations

import gc
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from marsad.cli.app import EXIT_INPUT_FAILED, EXIT_INTERRUPTED, app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt, SinceOpt, UntilOpt, parse_day
from marsad.cli.render import (
    console,
    err_console,
    json_lines,
    print_ingest_summary,
    print_interrupted,
    stage_progress,
    table,
)
from marsad.ingest.sources import count_files
from marsad.store import ArticleFilter, open_store

# Collector thresholds for a batch run: it allocates millions of short-lived objects, and the default
# (a young collection every 700 allocations) spent ~4% of an ingest's CPU in the GC; at 50,000 it is ~1%,
# with the same peak RSS (bench_pipeline --only ant --limit 3000).
BATCH_GC = (50_000, 20, 20)


@app.command()
def ingest(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, folders, .zip/.gz/WARC archives or http(s) URLs.")
    ],
    db: DbOpt = None,
    kb: KbOpt = None,
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help="Find entities and quotes while ingesting.")
    ] = True,
    json_out: JsonOpt = False,
) -> int:
    """Read news articles into the store; prints a summary (new, unchanged, duplicate, failed)."""
    from marsad import service
    from marsad.pipeline import build_analyzer, release_caches

    gc.set_threshold(*BATCH_GC)
    analyzer = build_analyzer(kb) if analyze else None  # a malformed --kb fails before anything is touched
    store = open_store(db)
    report = service.IngestReport()
    try:
        with stage_progress() as stages:
            advance = stages.items("ingest", count_files(inputs))
            service.ingest(inputs, store, analyzer=analyzer, progress=advance, report=report)
            release_caches()  # the stages after the analysis reuse that memory
            post = service.after_ingest(store, report, progress=stages)
    except KeyboardInterrupt:
        print_interrupted(report)
        return EXIT_INTERRUPTED
    finally:
        store.close()
    summary = report.as_dict() | post
    if json_out:
        json_lines([summary])
    else:
        print_ingest_summary(report, post)
    return EXIT_INPUT_FAILED if report.failed else 0


@app.command()
def reanalyze(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Article ids (default: every stored article).")
    ] = None,
    db: DbOpt = None,
    kb: KbOpt = None,
    failed: Annotated[
        bool, typer.Option("--failed", help="Only articles whose analysis failed (after a fix).")
    ] = False,
    pending: Annotated[
        bool, typer.Option("--pending", help="Only articles stored without analysis (--no-analyze).")
    ] = False,
    json_out: JsonOpt = False,
) -> int:
    """Run entities and quotes again over stored articles (after a fix, a KB or model update)."""
    from marsad import read, service
    from marsad.pipeline import build_analyzer, release_caches

    gc.set_threshold(*BATCH_GC)
    analyzer = build_analyzer(kb)
    store = open_store(db)
    report = service.IngestReport()
    try:
        chosen = service.reanalysis_targets(store, ids or (), failed=failed, pending=pending)
        total = len(chosen) if chosen is not None else read.count_articles(store)
        with stage_progress() as stages:
            advance = stages.items("reanalyze", total)
            n = service.reanalyze(store, analyzer, chosen, report=report, progress=advance)
            release_caches()
            service.after_ingest(store, report, progress=stages)  # the index follows the new analysis
    except KeyboardInterrupt:
        print_interrupted(report)
        return EXIT_INTERRUPTED
    finally:
        store.close()
    if json_out:
        json_lines([{"analysed": n, "failed": report.failed, "failures": [list(f) for f in report.failures]}])
    else:
        for where, reason in report.failures:
            err_console.print(f"[red]failed[/red] {escape(where)}: {escape(reason)}", highlight=False)
        console.print(f"analysed {n} articles · failed {report.failed}", highlight=False)
    return EXIT_INPUT_FAILED if report.failed else 0


@app.command()
def export(
    db: DbOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", metavar="jsonl|csv|xlsx", help="jsonl, csv (UTF-8 with BOM) or xlsx.")
    ] = "jsonl",
    what: Annotated[
        str,
        typer.Option(
            "--table",
            metavar="articles|quotes|stories",
            help="What to export as jsonl/csv (xlsx holds all three, a sheet each).",
        ),
    ] = "articles",
    output: Annotated[
        str, typer.Option("-o", "--output", metavar="FILE", help="Output file ('-' for stdout).")
    ] = "-",
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: Annotated[str | None, typer.Option(metavar="NAME", help="Only this outlet.")] = None,
    kb: KbOpt = None,
) -> int:
    """Export articles with their persons, quotes and stories (the fields score.py reads), or the quotes
    or stories alone; CSV opens in a spreadsheet with Arabic intact, XLSX has a sheet for each."""
    from marsad.export import FORMATS, TABLES, write_export, write_table, write_xlsx
    from marsad.pipeline import name_lookup

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use {', '.join(FORMATS)}", param_hint="--format")
    if what not in TABLES:
        raise typer.BadParameter(f"use {', '.join(TABLES)}", param_hint="--table")
    if fmt == "xlsx" and output == "-":
        raise typer.BadParameter("an XLSX workbook needs a file: -o FILE.xlsx", param_hint="--output")
    flt = ArticleFilter(since=parse_day(since, "--since"), until=parse_day(until, "--until"), outlet=outlet)
    store = open_store(db, readonly=True)
    try:
        names = name_lookup(kb)
        if fmt == "xlsx":
            counts = write_xlsx(store, Path(output), flt, names)
            done = " · ".join(f"{k} {v}" for k, v in counts.items())
        elif what == "articles" and output == "-":
            done = f"{write_export(store, fmt, sys.stdout, flt, names)} articles"
        elif what == "articles":
            done = f"{write_export(store, fmt, Path(output), flt, names)} articles"
        elif output == "-":
            done = f"{write_table(store, what, fmt, sys.stdout, flt, names)} {what}"
        else:
            with Path(output).open("w", encoding="utf-8", newline="") as fh:
                done = f"{write_table(store, what, fmt, fh, flt, names)} {what}"
    finally:
        store.close()
    if output != "-":
        err_console.print(f"exported {done} to {output}", highlight=False)
    return 0


@app.command()
def stats(db: DbOpt = None, json_out: JsonOpt = False) -> None:
    """Counts: articles, sources, outlets, languages, dates, entities, quotes, stories."""
    from marsad import read

    store = open_store(db, readonly=True)
    try:
        st = read.stats(store)
    finally:
        store.close()
    if json_out:
        json_lines([asdict(st)])
        return
    table(
        "Marsad store",
        ["", ""],
        [
            ("articles", st.articles),
            ("  of which read-also parts", st.parts),
            ("sources seen", st.sources),
            ("published", f"{st.first_published or '?'} … {st.last_published or '?'}"),
            ("mentions", st.mentions),
            ("entities mentioned", st.entities),
            ("quotes", st.quotes),
            ("stories", st.stories),
            ("schema version", st.schema_version),
            ("size on disk", f"{st.size_bytes / 1e6:.1f} MB"),
        ],
    )
    table("Outlets", ["outlet", "articles"], st.outlets.items())
    table("Languages", ["language", "articles"], st.languages.items())
