"""Search benchmark on ANT (31.5k Arabic articles): index build, query latency, API throughput, sizes.

    .venv/bin/python bench/bench_search.py                 # ANT store + index, 50 queries, API
    .venv/bin/python bench/bench_search.py --million       # also a 1M-document index (ANT × 32)
    .venv/bin/python bench/bench_search.py --million --with-quotes
                                                  # 1M articles with their quote documents (≈ 4.5M
                                                  # documents) from an analysed ANT store, measured in
                                                  # the engine and through a real `marsad serve`
    .venv/bin/python bench/bench_search.py --million --with-quotes --reuse
                                                  # query the 1M index an earlier --keep run left (to
                                                  # measure again on a quiet machine without rebuilding)
    .venv/bin/python bench/bench_search.py --pg URL        # PostgreSQL: tantivy vs the store's tsvector search

Prints figures and never asserts on timing. Work files go to --work (default /tmp/marsad-bench-search);
the 1M index is deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ANT = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "data" / "news" / "ant-multisource"

QUERIES = [
    # names (exact field only)
    "بوتين",
    "ترامب",
    "بايدن",
    "نتنياهو",
    "أردوغان",
    "ماكرون",
    "زيلينسكي",
    "بيسكوف",
    "السيسي",
    "خامنئي",
    # roles and common words (exact + stem)
    "الرئيس الأمريكي",
    "رئيس الوزراء",
    "وزير الخارجية",
    "المتحدث باسم الكرملين",
    "الأمين العام",
    "وزير الدفاع",
    "ولي العهد",
    "المستشارة الألمانية",
    "الرئيس الفرنسي",
    "مجلس الأمن",
    # places
    "غزة",
    "موسكو",
    "واشنطن",
    "القدس",
    "دمشق",
    "طهران",
    "بغداد",
    "الرياض",
    "أوكرانيا",
    "ليبيا",
    # topics
    "الانتخابات",
    "وقف إطلاق النار",
    "اللاجئين",
    "العقوبات",
    "النفط",
    "كوريا الشمالية",
    "الاقتصاد",
    "المفاوضات النووية",
    "حقوق الإنسان",
    "الإرهاب",
    # phrases
    '"الأمم المتحدة"',
    '"البيت الأبيض"',
    '"الاتحاد الأوروبي"',
    '"وقف إطلاق النار"',
    '"الشرق الأوسط"',
    # boolean
    "(روسيا OR أوكرانيا) الحرب",
    "إيران -النووي",
    "ترامب AND بوتين",
    "سوريا NOT روسيا",
    "الحوثي OR اليمن",
]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def fmt_ms(xs: list[float]) -> str:
    return f"p50 {pct(xs, 50):.2f} ms · p95 {pct(xs, 95):.2f} ms · max {max(xs):.2f} ms"


def build_store(db: Path, *, analysed: bool = False) -> None:
    """ANT into ``db``: text only, or (``analysed``) as ``marsad ingest`` stores it, with entities,
    quotes and stories (the index is built by the caller)."""
    from marsad import service
    from marsad.pipeline import build_analyzer
    from marsad.store import open_store

    t0 = time.perf_counter()
    store = open_store(str(db))
    try:
        rep = service.ingest(
            [str(ANT)], store, analyzer=build_analyzer() if analysed else None, batch_size=500
        )
        if analysed:
            service.after_ingest(store, rep, index=False)
    finally:
        store.close()
    dt = time.perf_counter() - t0
    what = "with analysis and stories" if analysed else "no analysis"
    print(
        f"ingest ANT ({what}): {rep.documents} documents, {sum(rep.counts.values())} outcomes in {dt:.1f} s"
    )


def time_queries(
    run: object, repeats: int = 5, queries: list[str] | None = None
) -> tuple[list[float], dict[str, int]]:
    fn = run  # type: ignore[assignment]
    times: list[float] = []
    totals: dict[str, int] = {}
    for q in queries or QUERIES:
        totals[q] = fn(q)  # warm-up (and hit count)
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t0) * 1000)
    return times, totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default="/tmp/marsad-bench-search")
    ap.add_argument("--million", action="store_true", help="also build and query a 1M-document index")
    ap.add_argument(
        "--with-quotes",
        action="store_true",
        help="--million from an analysed ANT store: 1M articles and their quote documents",
    )
    ap.add_argument(
        "--million-articles", type=int, default=1_000_000, help="articles of --million --with-quotes"
    )
    ap.add_argument("--keep", action="store_true", help="keep the 1M index")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="--million --with-quotes: query the index an earlier --keep run left instead of building it",
    )
    ap.add_argument("--pg", metavar="URL", help="only compare tantivy and tsvector search on PostgreSQL")
    ap.add_argument("--pg-articles", type=int, default=5000, help="ANT files ingested for --pg")
    args = ap.parse_args()
    if not ANT.exists():
        print(f"ANT not found at {ANT}; nothing to measure")
        return 0
    if args.pg:
        return postgres(args.pg, Path(args.work), args.pg_articles)

    from fastapi.testclient import TestClient

    from marsad.search import (
        SearchFilters,
        open_index,
        parse_query,
        rebuild_index,
        run_search,
    )
    from marsad.store import open_store
    from marsad.web import create_app

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    db = work / ("ant-analysed.db" if args.with_quotes else "ant.db")
    if not db.exists():
        build_store(db, analysed=args.with_quotes)
    store = open_store(str(db), readonly=True)
    n_articles = store.count_articles()

    t0 = time.perf_counter()
    n = rebuild_index(store).indexed
    dt = time.perf_counter() - t0
    index = open_index(store)
    docs = index.count()
    print(
        f"index build: {n} articles ({docs} documents incl. quotes) in {dt:.1f} s = {docs / dt:,.0f} docs/s"
    )

    store_bytes = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    idx_bytes = dir_size(store.index_path)
    print(
        f"size per 1,000 articles: store {store_bytes / n_articles * 1000 / 1e6:.2f} MB, "
        f"index {idx_bytes / n_articles * 1000 / 1e6:.2f} MB "
        f"(store {store_bytes / 1e6:.0f} MB, index {idx_bytes / 1e6:.0f} MB, {n_articles} articles)"
    )

    def engine(q: str) -> int:
        return index.search(parse_query(q), SearchFilters(), limit=10).total

    def full(q: str) -> int:
        return run_search(store, index, q, limit=10).total

    times, totals = time_queries(engine)
    print(f"engine (parse + tantivy, top 10), {len(QUERIES)} queries × 5: {fmt_ms(times)}")
    times, _ = time_queries(full)
    print(f"run_search (+ store fetch + snippets): {fmt_ms(times)}")
    print("hits: " + ", ".join(f"{q} {totals[q]}" for q in QUERIES[:12]) + " …")
    zero = [q for q, t in totals.items() if t == 0]
    if zero:
        print(f"queries without hits: {zero}")

    client = TestClient(create_app(db))
    stories = client.get("/api/stories?limit=1&order=size").json()["items"]
    article_id = next(iter(store.iter_articles(with_analysis=False))).id
    targets = [
        (f"/api/stories/{stories[0]['id']}", "API story")
        if stories
        else (f"/api/articles/{article_id}", "API article"),
        (f"/stories/{stories[0]['id']}", "HTML story")
        if stories
        else (f"/articles/{article_id}", "HTML article"),
        ("/api/search?q=" + "الرئيس الأمريكي", "API search"),
        ("/search?q=" + "بوتين", "HTML search"),
    ]
    for url, label in targets:
        client.get(url)
        t0 = time.perf_counter()
        k = 0
        while time.perf_counter() - t0 < 3.0:
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            k += 1
        dt = time.perf_counter() - t0
        print(f"{label}: {k / dt:,.0f} requests/s (in-process TestClient, 1 client)")

    if args.million and args.with_quotes:
        million_with_quotes(store, db, work, keep=args.keep, target=args.million_articles, reuse=args.reuse)
    elif args.million:
        million(store, db, work, keep=args.keep)
    store.close()
    return 0


def million(store: object, db: Path, work: Path, *, keep: bool) -> None:
    """ANT × 32 with shifted days: the same vocabulary and lengths at 1M documents."""
    import tantivy
    from fastapi.testclient import TestClient

    from marsad.search import SearchFilters, SearchIndex, analyzer_for, parse_query
    from marsad.search.engine import day_number
    from marsad.store import open_store
    from marsad.web import create_app

    target = 1_000_000
    mdb = work / "million.db"
    shutil.copyfile(db, mdb)
    copy = open_store(str(mdb), readonly=True)
    path = copy.index_path
    copy.close()
    shutil.rmtree(path, ignore_errors=True)
    analyzer = analyzer_for()
    idx = SearchIndex(path, analyzer, create=True)
    t0 = time.perf_counter()
    base = []
    for a in store.iter_articles(with_analysis=False):  # type: ignore[attr-defined]
        title, title_stem = analyzer.fields([a.title or ""])
        text, body_stem = analyzer.fields([a.body])
        day = a.published.date() if a.published else None
        ts = int(a.published.timestamp()) if a.published and a.published.tzinfo else None
        base.append((a.id, title, text, f"{title_stem} {body_stem}", day, ts, a.outlet))
    print(f"1M: analysed {len(base)} ANT articles in {time.perf_counter() - t0:.1f} s")
    from datetime import timedelta

    writer = idx.writer(heap_mb=1000, threads=2)
    t0 = time.perf_counter()
    i = 0
    while i < target:
        rep, k = divmod(i, len(base))
        aid, title, text, stem, day, ts, outlet = base[k]
        doc = tantivy.Document()
        doc.add_text("key", f"a:{aid}")  # real ids, so the API can fetch the article
        doc.add_text("article", f"{aid}#{rep}")
        doc.add_text("kind", "article")
        doc.add_text("title", title)
        doc.add_text("text", text)
        doc.add_text("stem", stem)
        if outlet:
            doc.add_text("outlet", outlet)
        if day:
            doc.add_integer("day", day_number(day + timedelta(days=7 * rep)))
        if ts:
            doc.add_integer("ts", ts + 7 * 86_400 * rep)
        writer.add_document(doc)
        i += 1
        if i % 200_000 == 0:
            print(f"  {i:,} documents, {time.perf_counter() - t0:.0f} s", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    dt = time.perf_counter() - t0
    print(
        f"1M: indexed {target:,} documents in {dt:.0f} s = {target / dt:,.0f} docs/s; index {dir_size(path) / 1e9:.2f} GB"
    )
    idx = SearchIndex(path, analyzer)

    def engine(q: str) -> int:
        return idx.search(parse_query(q), SearchFilters(), limit=10).total

    times, _ = time_queries(engine)
    print(f"1M engine (parse + tantivy, top 10): {fmt_ms(times)}")
    flt = SearchFilters(since=__import__("datetime").date(2015, 1, 1), kind="article")
    times2 = []
    for q in QUERIES:
        t1 = time.perf_counter()
        idx.search(parse_query(q), flt, limit=10, sort="date")
        times2.append((time.perf_counter() - t1) * 1000)
    print(f"1M engine, date filter + sort by date: {fmt_ms(times2)}")
    client = TestClient(create_app(mdb))
    api_times = []
    for q in QUERIES:
        client.get("/api/search", params={"q": q})
        for _ in range(3):
            t1 = time.perf_counter()
            r = client.get("/api/search", params={"q": q})
            api_times.append((time.perf_counter() - t1) * 1000)
            assert r.status_code == 200
    print(f"1M through the API (/api/search, top 10 with snippets): {fmt_ms(api_times)}")
    if not keep:
        shutil.rmtree(path, ignore_errors=True)
        mdb.unlink(missing_ok=True)
        print("1M index deleted")


# Filters of the 4.5M run: (label, engine filters, API parameters); the speaker and outlet are the most
# frequent ones of the store, filled in by million_with_quotes.
def _filter_cases(
    speaker: tuple[str, str] | None, outlet: str | None
) -> list[tuple[str, Any, dict[str, str]]]:
    from datetime import date

    from marsad.search import SearchFilters
    from marsad.search.engine import outlet_key

    cases: list[tuple[str, Any, dict[str, str]]] = [
        ("no filter", SearchFilters(), {}),
        ("quotes only", SearchFilters(kind="quote"), {"kind": "quotes"}),
        (
            "articles since 2015, by date",
            SearchFilters(since=date(2015, 1, 1), kind="article"),
            {"kind": "articles", "since": "2015-01-01", "sort": "date"},
        ),
        (
            "denials (quotes)",
            SearchFilters(kind="quote", stance="denial"),
            {"kind": "quotes", "stance": "denial"},
        ),
    ]
    if speaker:
        cases.append(
            (
                f"speaker {speaker[1]} (quotes)",
                SearchFilters(kind="quote", speakers=(speaker[0],)),
                {"kind": "quotes", "speaker": speaker[1]},
            )
        )
    if outlet:
        cases.append((f"outlet {outlet}", SearchFilters(outlet=outlet_key(outlet)), {"outlet": outlet}))
    return cases


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    """A real `marsad serve` (one worker process, default threads) on ``port``, once it answers."""
    exe = Path(sys.executable).with_name("marsad")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "marsad"]
    proc = subprocess.Popen(
        [*cmd, "serve", "--db", str(db), "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/search?q=x")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"marsad serve exited with {proc.returncode}") from None
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("marsad serve did not answer in 10 minutes")


def _build_million_with_quotes(store: Any, db: Path, mdb: Path, target: int) -> None:
    import sqlite3
    from datetime import date, timedelta

    import tantivy

    from marsad.search import SearchIndex, analyzer_for
    from marsad.search.build import SyncState, _write_sync_state
    from marsad.search.engine import day_number

    mdb.unlink(missing_ok=True)
    src, dst = sqlite3.connect(db), sqlite3.connect(mdb)
    src.backup(dst)  # with what the WAL holds
    src.close()
    dst.close()
    from marsad.store import open_store

    copy = open_store(str(mdb), readonly=True)
    path, rev = copy.index_path, copy.current_rev()
    copy.close()
    shutil.rmtree(path, ignore_errors=True)
    idx = SearchIndex(path, analyzer_for(), create=True)
    schema = idx.schema
    t0 = time.perf_counter()
    base: list[tuple[str, list[dict[str, Any]]]] = []
    n_docs = 0
    for a in store.iter_articles(with_search_text=False):
        docs = [d.to_dict() for d in idx.documents(a)]
        n_docs += len(docs)
        base.append((a.id, docs))
    per_article = n_docs / max(1, len(base))
    print(
        f"1M+quotes: {len(base)} analysed ANT articles → {n_docs} documents "
        f"({per_article - 1:.2f} quote documents per article) in {time.perf_counter() - t0:.1f} s"
    )
    writer = idx.writer(heap_mb=1000, threads=2)
    t0 = time.perf_counter()
    written = 0
    for i in range(target):
        rep, k = divmod(i, len(base))
        aid, docs = base[k]
        for d in docs:
            if rep:
                d = dict(d)
                d["article"] = [f"{aid}#{rep}"]
                if "day" in d:
                    y, md = divmod(d["day"][0], 10_000)
                    m, dd = divmod(md, 100)
                    d["day"] = [day_number(date(y, m, dd) + timedelta(days=7 * rep))]
                if "ts" in d:
                    d["ts"] = [d["ts"][0] + 7 * 86_400 * rep]
            writer.add_document(tantivy.Document.from_dict(d, schema))
            written += 1
        if (i + 1) % 200_000 == 0:
            print(
                f"  {i + 1:,} articles, {written:,} documents, {time.perf_counter() - t0:.0f} s", flush=True
            )
    writer.commit()
    writer.wait_merging_threads()
    del base
    _write_sync_state(path, SyncState(rev))  # the index covers the store: serve opens it as it is
    dt = time.perf_counter() - t0
    print(
        f"1M+quotes: indexed {target:,} articles = {written:,} documents in {dt:.0f} s "
        f"= {written / dt:,.0f} docs/s; index {dir_size(path) / 1e9:.2f} GB"
    )


def million_with_quotes(
    store: Any, db: Path, work: Path, *, keep: bool, target: int = 1_000_000, reuse: bool = False
) -> None:
    """``target`` articles with their quote documents: each document of the analysed ANT store, built as
    the real index builds it (``SearchIndex.documents``: the article, then one document per quote with
    its speaker, stance, entities and day), copied ANT × 32 with days shifted a week per copy. Keys stay
    the real ones, so the API fetches the article and quote of every hit; ``article`` (the delete key)
    is made unique per copy. Measured in the engine and through the HTTP API of a real `marsad serve`."""
    import sqlite3
    from urllib.parse import urlencode

    from marsad.search import SearchIndex, analyzer_for, parse_query

    mdb = work / "million-quotes.db"
    path = Path(f"{mdb}.index")
    if reuse and mdb.exists() and path.is_dir():
        print(f"1M+quotes: reusing {path} ({dir_size(path) / 1e9:.2f} GB)")
    else:
        _build_million_with_quotes(store, db, mdb, target)
    con = sqlite3.connect(mdb)
    top = con.execute(
        "SELECT speaker_entity_id, speaker_name_ar FROM quotes WHERE speaker_entity_id IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    outlet = con.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    con.close()
    cases = _filter_cases((top[0], top[1]) if top else None, outlet[0] if outlet else None)
    idx = SearchIndex(path, analyzer_for())
    print(
        f"1M+quotes: {idx.count():,} documents in the index; {len(QUERIES)} queries × 5 (engine), × 3 (API)"
    )
    for label, flt, _ in cases:
        sort = "date" if "by date" in label else "relevance"

        def engine(q: str, flt: Any = flt, sort: str = sort) -> int:
            return idx.search(parse_query(q), flt, limit=10, sort=sort).total  # type: ignore[arg-type]

        times, totals = time_queries(engine)
        hits = sorted(totals.values())
        print(f"  engine, {label}: {fmt_ms(times)} (median hits {hits[len(hits) // 2]:,})")
    idx = None  # type: ignore[assignment]  # the server opens its own
    port = 18000 + os.getpid() % 1000
    proc = _serve(mdb, port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for label, _, params in cases:
            api_times: list[float] = []
            for q in QUERIES:
                url = "/api/search?" + urlencode({"q": q, **params})
                for k in range(4):  # the first is the warm-up
                    t1 = time.perf_counter()
                    conn.request("GET", url)
                    r = conn.getresponse()
                    r.read()
                    if k:
                        api_times.append((time.perf_counter() - t1) * 1000)
                    assert r.status == 200, (url, r.status)
            print(f"  marsad serve /api/search, {label} (top 10, snippets): {fmt_ms(api_times)}")
        conn.close()
    finally:
        proc.terminate()
        proc.wait(30)
    if not keep:
        shutil.rmtree(path, ignore_errors=True)
        for f in (mdb, Path(f"{mdb}-wal"), Path(f"{mdb}-shm")):
            f.unlink(missing_ok=True)
        print("1M+quotes index deleted")


def postgres(url: str, work: Path, n_files: int) -> int:
    """ANT files (every k-th, so every outlet and year is in) stored without analysis in a fresh schema
    of ``url``; then the same queries through tantivy at ``store.index_path`` and through
    ``PostgresStore.search`` (tsvector + GIN over our own tokens), top 10 ids, warm."""
    import uuid
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    import psycopg

    from marsad import service
    from marsad.search import SearchFilters, open_index, parse_query, run_search, sync_index
    from marsad.store import open_store

    files = sorted(p for p in ANT.rglob("*.txt"))
    files = files[:: max(1, len(files) // n_files)][:n_files]
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    index = work / f"{schema}.index"
    sep = "&" if "?" in url else "?"
    store_url = f"{url}{sep}schema={schema}&index={index}"
    parts = urlsplit(url)
    conninfo = urlunsplit(
        parts._replace(query=urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "schema"]))
    )
    store = open_store(store_url)
    try:
        t0 = time.perf_counter()
        rep = service.ingest([str(f) for f in files], store, analyzer=None, batch_size=500)
        print(
            f"PostgreSQL: ingested {len(files)} ANT files ({rep.counts['new']} new) in {time.perf_counter() - t0:.1f} s"
        )
        t0 = time.perf_counter()
        res = sync_index(store)
        print(
            f"tantivy index at store.index_path: {res.indexed} articles in {time.perf_counter() - t0:.1f} s"
        )
        idx = open_index(store)
        plain = [q for q in QUERIES if not any(op in q for op in ('"', "OR", "AND", "NOT", "-", "("))]

        def engine(q: str) -> int:
            return idx.search(parse_query(q), SearchFilters(kind="article"), limit=10).total

        def tsv(q: str) -> int:
            return len(store.search(q, limit=10))  # type: ignore[attr-defined]

        def full(q: str) -> int:
            return run_search(store, idx, q, SearchFilters(kind="article"), limit=10).total

        for label, fn, qs in (
            ("tantivy engine (parse + top 10 ids)", engine, plain),
            ("PostgreSQL tsvector (store.search, top 10 ids)", tsv, plain),
            ("tantivy run_search on PostgreSQL (+ 10 articles fetched + snippets)", full, plain),
        ):
            times, _ = time_queries(fn, repeats=10, queries=qs)
            print(f"{label}, {len(qs)} word queries × 10: {fmt_ms(times)}")
        agree = 0
        for q in plain:
            a = {
                h.article_id for h in idx.search(parse_query(q), SearchFilters(kind="article"), limit=10).hits
            }
            b = {i for i, _ in store.search(q, limit=10)}  # type: ignore[attr-defined]
            agree += len(a & b)
        print(f"top-10 overlap tantivy/tsvector: {agree / (10 * len(plain)):.0%}")
    finally:
        store.close()
        with psycopg.connect(conninfo, autocommit=True) as con:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        shutil.rmtree(index, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
