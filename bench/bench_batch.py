"""Batch throughput on ANT: single process vs Dask (1 and 2 workers), store write rate, and a projection of
the hardware needed for one million articles a day. Prints figures; never fails on timing.

    .venv/bin/python bench/bench_batch.py [--per-folder 120] [--pg postgresql://...]

ANT has 25 (outlet, category) folders; ``--per-folder 120`` takes ~3,000 articles from all of them.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from marsad import service
from marsad.batch import AnalyzerSpec, BatchOptions, dask_client, process_chunk, run_batch, write_articles
from marsad.batch.runner import chunked, plan
from marsad.pipeline import build_analyzer
from marsad.store import open_store

ANT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "ant-multisource"


def sample(per_folder: int) -> list[str]:
    files: list[str] = []
    for outlet in sorted(p for p in ANT.iterdir() if p.is_dir()):
        for cat in sorted(p for p in outlet.iterdir() if p.is_dir()):
            files.extend(str(f) for f in sorted(cat.iterdir())[:per_folder])
    return files


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def size_of(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-folder", type=int, default=120)
    ap.add_argument("--pg", default=os.environ.get("MARSAD_TEST_PG_URL", ""), help="also time writes to PG")
    args = ap.parse_args()
    if not ANT.exists():
        print(f"{ANT} missing")
        return
    files = sample(args.per_folder)
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    print(
        f"ANT sample: {len(files)} files ({args.per_folder} per outlet/category folder); load {os.getloadavg()}"
    )

    # 1. single process, as `marsad ingest` (KB/NER load timed apart)
    t = time.perf_counter()
    analyzer = build_analyzer()
    analyzer.finder  # noqa: B018
    load_s = time.perf_counter() - t
    db = tmp / "single.db"
    st = open_store(str(db))
    c0, t0 = cpu(), time.perf_counter()
    rep = service.ingest(files, st, analyzer=analyzer)
    service.after_ingest(st, rep)
    wall, used = time.perf_counter() - t0, cpu() - c0
    st.close()
    n = rep.counts["new"]
    size = size_of(db)
    print(
        f"single process: {n} articles in {wall:.1f} s = {n / wall:.1f} articles/s; CPU {used:.1f} s = "
        f"{1000 * used / n:.1f} ms/article (KB+NER load {load_s:.1f} s, not included)"
    )
    print(f"store size: {size / 1e6:.1f} MB SQLite = {size / n * 1000 / 1e6:.2f} MB per 1,000 articles")

    # 2. the parse+analyse stage alone, and the write stage alone (rates of the two halves)
    chunks = list(chunked(plan(files, ship_paths=True), 25, 10**9))
    c0 = time.process_time()
    results = [process_chunk(i, c, AnalyzerSpec()) for i, c in enumerate(chunks)]
    parse_cpu = time.process_time() - c0
    arts = [a for r in results for a in r.articles]
    print(f"parse+analyse only: {1000 * parse_cpu / len(arts):.1f} ms CPU/article")
    targets = [("sqlite", f"sqlite:///{tmp / 'write.db'}")]
    if args.pg:
        schema = f"bench_{os.getpid()}"
        targets.append(("postgresql", f"{args.pg}{'&' if '?' in args.pg else '?'}schema={schema}"))
    for name, url in targets:
        st = open_store(url)
        t0 = time.perf_counter()
        r = service.IngestReport()
        for i in range(0, len(arts), 200):
            write_articles(st, arts[i : i + 200], r)
        w = time.perf_counter() - t0
        st.close()
        print(
            f"write only ({name}, 200 per transaction, with mentions+quotes): {len(arts) / w:.0f} articles/s"
        )
        if name == "postgresql":
            import psycopg

            from marsad.store.postgres import _split_schema

            conninfo, sch = _split_schema(url)
            with psycopg.connect(conninfo, autocommit=True) as con:
                row = con.execute(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                    (sch,),
                ).fetchone()
                pg_bytes = int(row[0] or 0) if row else 0
                print(
                    f"  PostgreSQL size: {pg_bytes / len(arts) * 1000 / 1e6:.2f} MB per 1,000 articles "
                    "(tables + indexes + full-text column)"
                )
                con.execute(f'DROP SCHEMA IF EXISTS "{sch}" CASCADE')

    # 3. Dask with 1 and 2 workers (LocalCluster, processes, one thread each)
    rates = {}
    for workers in (1, 2):
        db = tmp / f"dask{workers}.db"
        t0 = time.perf_counter()
        with dask_client(None, workers) as client:
            up = time.perf_counter() - t0
            st = open_store(str(db))
            res = run_batch(files, st, client, AnalyzerSpec(), options=BatchOptions(chunk_size=25))
            st.close()
            rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3)
        nn = res.report.counts["new"]
        rates[workers] = nn / res.seconds
        print(
            f"dask {workers} worker(s): {nn} articles in {res.seconds:.1f} s = {nn / res.seconds:.1f} articles/s "
            f"(cluster start {up:.1f} s; worker CPU {1000 * res.worker_cpu_seconds / nn:.1f} ms/article; "
            f"{res.chunks} tasks; includes the KB+NER load on the workers; worker peak RSS "
            f"{max(rss.values()):.0f} MB)"
        )
    print(
        f"speed-up 2 workers vs 1: {rates[2] / rates[1]:.2f}x on {os.cpu_count()} cores "
        f"(the client's writer and the scheduler share those cores)"
    )

    # 4. projection: one million articles a day
    per_art = parse_cpu / len(arts)  # CPU seconds per article for parse+normalize+entities+quotes
    avg = 1_000_000 / 86400
    peak = 3 * avg  # news arrives in bursts: plan for three times the daily average
    cores = peak * per_art / 0.6  # keep workers at <= 60 % so re-runs and bursts have room
    mb_day = size / n * 1_000_000 / 1e6
    print("\nprojection for 1,000,000 articles/day:")
    print(f"  average {avg:.1f} articles/s, plan for a peak of {peak:.0f}/s")
    print(
        f"  analysis: {per_art * 1000:.1f} ms CPU/article -> {peak * per_art:.2f} busy cores at peak, "
        f"{cores:.2f} cores at 60 % utilisation; x3 for longer articles than ANT's and the story stage: "
        f"{3 * cores:.1f} cores"
    )
    print(f"  store: {peak:.0f} articles/s of writes at peak (measure above: one writer's rate)")
    print(
        f"  disk: {mb_day / 1000:.1f} GB/day (SQLite incl. raw text, mentions, quotes) = "
        f"{mb_day * 365 / 1e6:.2f} TB/year before indexes for search"
    )
    sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":  # LocalCluster spawns workers: this guard is required
    main()
