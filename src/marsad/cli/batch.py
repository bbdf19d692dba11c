"""`marsad batch` (ingest on a Dask cluster) and `marsad watch` (poll feeds and folders)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from marsad.cli.app import EXIT_INPUT_FAILED, app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt
from marsad.cli.render import err_console, json_lines, print_ingest_summary, stage_progress
from marsad.ingest.sources import count_files
from marsad.store import open_store


@app.command()
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, folders, .zip/.gz/WARC archives or http(s) URLs.")
    ],
    db: DbOpt = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler tcp://HOST:PORT (default: a local cluster)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes of the local cluster.")
    ] = 2,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Documents per task.")] = 25,
    ship: Annotated[
        str,
        typer.Option(
            "--ship",
            help="paths: workers read the files (shared file system); data: the client sends the bytes. "
            "Default: paths for a local cluster, data with --scheduler.",
        ),
    ] = "auto",
    kb: KbOpt = None,
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help="Find entities and quotes while ingesting.")
    ] = True,
    json_out: JsonOpt = False,
) -> int:
    """Ingest on a Dask cluster: workers parse and analyse, one writer stores in input order, then stories."""
    from marsad.batch import AnalyzerSpec, BatchOptions, dask_client, run_batch
    from marsad.pipeline import build_analyzer

    if ship not in ("auto", "paths", "data"):
        raise typer.BadParameter("use paths, data or auto", param_hint="--ship")
    if analyze:
        build_analyzer(kb)  # a malformed --kb fails here, before a cluster is started or the store touched
    spec = AnalyzerSpec(kb_files=tuple(kb or ()), analyze=analyze)
    opts = BatchOptions(
        chunk_size=chunk_size, ship_paths=(ship == "paths" or (ship == "auto" and not scheduler))
    )
    store = open_store(db)
    try:
        with dask_client(scheduler, workers) as client, stage_progress() as stages:
            advance = stages.items("batch", count_files(inputs))
            res = run_batch(
                inputs,
                store,
                client,
                spec,
                options=opts,
                progress=advance,
                stages=stages,
                on_retry=lambda n, pause, e: err_console.print(
                    f"[yellow]store unavailable[/yellow] ({type(e).__name__}); retry {n} in {pause:.1f} s",
                    highlight=False,
                ),
            )
    finally:
        store.close()
    report = res.report
    if json_out:
        json_lines(
            [
                report.as_dict()
                | res.post
                | {"workers": res.workers, "seconds": round(res.seconds, 2), "resumed": res.resumed}
            ]
        )
    else:
        rate = (report.counts["new"] + report.counts["updated"]) / res.seconds if res.seconds else 0.0
        print_ingest_summary(
            report,
            res.post,
            f" · {res.workers} workers · {res.seconds:.1f} s ({rate:.0f} new articles/s)"
            + (" · resumed an interrupted run" if res.resumed else ""),
        )
    return EXIT_INPUT_FAILED if report.failed else 0


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs and folders to poll.")],
    db: DbOpt = None,
    every: Annotated[str, typer.Option("--every", help="Interval between rounds: 30s, 5m, 2h.")] = "5m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per feed request.")] = 20.0,
    kb: KbOpt = None,
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help="Find entities and quotes while ingesting.")
    ] = True,
    json_out: JsonOpt = False,
) -> int:
    """Poll feeds (conditional requests) and folders; ingest only new entries and files."""
    from marsad.pipeline import build_analyzer
    from marsad.watch import Watcher, WatchReport, parse_every
    from marsad.watch import watch as run_watch

    try:
        interval = parse_every(every)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--every") from None
    analyzer = build_analyzer(kb) if analyze else None
    store = open_store(db)

    def show(rep: WatchReport) -> None:
        if json_out:
            json_lines(
                [
                    rep.ingest.as_dict()
                    | rep.post
                    | {
                        "sources": [
                            {"source": s.source, "status": s.status, "new": s.new, "message": s.message}
                            for s in rep.sources
                        ]
                    }
                ]
            )
            return
        for s in rep.sources:
            if s.status == "failed":
                err_console.print(
                    f"[red]source failed[/red] {escape(f'{s.source}: {s.message}')}", highlight=False
                )
        not_mod = sum(1 for s in rep.sources if s.status == "not-modified")
        print_ingest_summary(rep.ingest, rep.post, f" · sources {len(rep.sources)} (not modified {not_mod})")

    try:
        last = run_watch(
            sources, Watcher(store, analyzer, timeout=timeout), every=interval, once=once, on_round=show
        )
    finally:
        store.close()
    return EXIT_INPUT_FAILED if last.failed_sources or last.ingest.failed else 0
