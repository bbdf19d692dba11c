"""Load on one `marsad serve`: closed-loop clients over a realistic request mix (a benchmark, not a test).

    .venv/bin/python bench/bench_load.py                      # 5,000 ANT files, ingested with analysis
    .venv/bin/python bench/bench_load.py --limit 2000         # a smaller store
    .venv/bin/python bench/bench_load.py --db STORE           # reuse a store (SQLite file or postgresql://)
    .venv/bin/python bench/bench_load.py --clients 1,8,32 --seconds 15 --repeat 2
    .venv/bin/python bench/bench_load.py --serve-arg=--workers --serve-arg=1   # pass options to serve

Builds (or reuses) a store of ANT articles with ``marsad ingest`` (analysis on), starts ``marsad serve``
on 127.0.0.1 on a free port as a subprocess, and for each number of concurrent clients runs a bounded
closed loop: every client (a thread with its own keep-alive ``httpx.Client``) sends the next request of
the mix as soon as the previous answer is in, for ``--seconds`` or ``--max-requests``, whichever comes
first. The mix: search API with common Arabic words, article and story lists, a story page, an article
page, quotes by speaker, the HTML home and search pages. Prints req/s, p50/p95/p99 latency and errors
per level (and per kind of request with ``--by-kind``). Never fails on timing; it exits 1 only when the
server does not start.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
ANT = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "data" / "news" / "ant-multisource"
PY = sys.executable

WORDS = [
    "الرئيس",
    "الحكومة",
    "روسيا",
    "ترامب",
    "غزة",
    "الأمم المتحدة",
    "الاقتصاد",
    "النفط",
    "مباراة",
    "وزير الخارجية",
    "إيران",
    "سوريا",
    "الانتخابات",
    '"البيت الأبيض"',
    "كأس العالم",
    "الشركة",
]
SPEAKERS = ["ترامب", "بوتين", "بيسكوف", "ماكرون", "أردوغان", "نتنياهو", "لافروف", "ميركل"]
HTML_WORDS = ["الرئيس", "روسيا", "الحكومة", "غزة", "النفط"]

# (kind, weight): roughly what a newsroom's browser and scripts ask for
MIX = [
    ("api_search", 25),
    ("api_articles", 10),
    ("api_stories", 10),
    ("story_page", 10),
    ("article_page", 10),
    ("api_quotes", 10),
    ("home", 10),
    ("search_page", 15),
]


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def sample_files(limit: int) -> list[Path]:
    """``limit`` ANT files spread evenly over every outlet and section (sorted, every k-th)."""
    files = sorted(p for p in ANT.rglob("*.txt"))
    if limit >= len(files):
        return files
    step = len(files) / limit
    return [files[int(i * step)] for i in range(limit)]


def build_store(work: Path, limit: int) -> str:
    db = work / f"ant-{limit}.db"
    if db.exists() and (work / f"ant-{limit}.ok").exists():
        print(f"store: reusing {db}")
        return str(db)
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(f"{db}.index", ignore_errors=True)
    inp = work / f"input-{limit}"
    shutil.rmtree(inp, ignore_errors=True)
    inp.mkdir(parents=True)
    for i, f in enumerate(sample_files(limit)):
        shutil.copyfile(f, inp / f"{i:06d}-{f.name}")
    print(f"store: ingesting {limit} ANT files (analysis on) into {db} …", flush=True)
    t0 = time.perf_counter()
    res = subprocess.run(
        [PY, "-m", "marsad", "ingest", str(inp), "--db", str(db), "--json"],
        capture_output=True,
        text=True,
    )
    print(f"store: ingest exit {res.returncode} in {time.perf_counter() - t0:.0f} s")
    print("  " + (res.stdout.strip().splitlines() or [""])[-1][:400])
    if res.returncode not in (0, 1):
        print(res.stderr[-2000:], file=sys.stderr)
        raise SystemExit(1)
    (work / f"ant-{limit}.ok").write_text("ok\n")
    return str(db)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(db: str, extra: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [PY, "-m", "marsad", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            print(f"server exited with {proc.returncode}:\n{err[-2000:]}", file=sys.stderr)
            raise SystemExit(1)
        try:
            if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    print("server did not answer within 300 s", file=sys.stderr)
    raise SystemExit(1)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def targets(base: str) -> tuple[list[str], list[str]]:
    """Story and article ids to ask for: the largest stories and the first pages of articles."""
    with httpx.Client(base_url=base, timeout=30) as c:
        stories = [
            s["id"] for s in c.get("/api/stories", params={"order": "size", "limit": 50}).json()["items"]
        ]
        stories += [s["id"] for s in c.get("/api/stories", params={"limit": 50}).json()["items"]]
        arts: list[str] = []
        for page in (1, 5, 20):
            arts += [
                a["id"] for a in c.get("/api/articles", params={"limit": 40, "page": page}).json()["items"]
            ]
    return stories or ["none"], arts or ["none"]


def make_request(kind: str, rng: random.Random, stories: list[str], arts: list[str]) -> str:
    if kind == "api_search":
        return f"/api/search?q={quote(rng.choice(WORDS))}&page={rng.choice((1, 1, 1, 2))}"
    if kind == "api_articles":
        return f"/api/articles?page={rng.randint(1, 50)}&limit=20"
    if kind == "api_stories":
        order = rng.choice(("recent", "size"))
        return f"/api/stories?order={order}&page={rng.randint(1, 10)}"
    if kind == "story_page":
        return f"/stories/{rng.choice(stories)}"
    if kind == "article_page":
        return f"/articles/{rng.choice(arts)}"
    if kind == "api_quotes":
        return f"/api/quotes?speaker={quote(rng.choice(SPEAKERS))}"
    if kind == "home":
        return "/"
    return f"/search?q={quote(rng.choice(HTML_WORDS))}"


def run_level(
    base: str, clients: int, seconds: float, max_requests: int, stories: list[str], arts: list[str]
) -> dict[str, object]:
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    count = [0]
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(n: int) -> None:
        rng = random.Random(n * 7919 + clients)
        mine: dict[str, list[float]] = defaultdict(list)
        bad: dict[str, int] = defaultdict(int)
        with httpx.Client(base_url=base, timeout=60) as c:
            start.wait()
            while time.perf_counter() < stop_at[0]:
                with lock:
                    if count[0] >= max_requests:
                        break
                    count[0] += 1
                kind = rng.choices(kinds, weights)[0]
                url = make_request(kind, rng, stories, arts)
                t0 = time.perf_counter()
                try:
                    r = c.get(url)
                    ok = r.status_code == 200
                    r.read()
                except httpx.HTTPError:
                    ok = False
                dt = (time.perf_counter() - t0) * 1000
                mine[kind].append(dt)
                if not ok:
                    bad[kind] += 1
        with lock:
            for k, v in mine.items():
                lat[k] += v
            for k, e in bad.items():
                errors[k] += e

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    stop_at[0] = t0 + seconds
    start.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    every = [x for v in lat.values() for x in v]
    return {
        "clients": clients,
        "requests": len(every),
        "wall": wall,
        "rps": len(every) / wall if wall else 0.0,
        "p50": pct(every, 50),
        "p95": pct(every, 95),
        "p99": pct(every, 99),
        "errors": sum(errors.values()),
        "by_kind": {k: (len(v), pct(v, 50), pct(v, 95), errors.get(k, 0)) for k, v in sorted(lat.items())},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="reuse this store (its index is built by serve if missing)")
    ap.add_argument("--limit", type=int, default=5000, help="ANT files to ingest (default 5000)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/marsad-bench-load"))
    ap.add_argument("--clients", default="1,8,32", help="concurrency levels (default 1,8,32)")
    ap.add_argument("--seconds", type=float, default=15.0, help="seconds per level (default 15)")
    ap.add_argument("--max-requests", type=int, default=20_000, help="request cap per level")
    ap.add_argument("--repeat", type=int, default=1, help="run every level this many times")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of 4-client warm-up (default 3)")
    ap.add_argument("--serve-arg", action="append", default=[], help="an extra option for marsad serve")
    ap.add_argument("--url", help="load a server that is already running at this base URL")
    ap.add_argument("--by-kind", action="store_true", help="also print latency per kind of request")
    args = ap.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    levels = [int(x) for x in args.clients.split(",") if x.strip()]
    proc: subprocess.Popen[bytes] | None = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.db or build_store(args.work, args.limit), args.serve_arg)
    try:
        stats = httpx.get(f"{base}/api/stats", timeout=30).json()
        print(
            f"server {base} ({' '.join(args.serve_arg) or 'defaults'}); store: {stats.get('articles')} articles, "
            f"{stats.get('stories')} stories, {stats.get('quotes')} quotes; {os.cpu_count()} CPUs"
        )
        stories, arts = targets(base)
        if args.warmup > 0:
            run_level(base, 4, args.warmup, 10**9, stories, arts)
        print(
            f"{'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        )
        for _ in range(args.repeat):
            for n in levels:
                r = run_level(base, n, args.seconds, args.max_requests, stories, arts)
                print(
                    f"{r['clients']:>7} {r['requests']:>8} {r['rps']:>7.1f} {r['p50']:>7.1f} "
                    f"{r['p95']:>7.1f} {r['p99']:>7.1f} {r['errors']:>6}",
                    flush=True,
                )
                if args.by_kind:
                    by_kind: dict[str, tuple[int, float, float, int]] = r["by_kind"]  # type: ignore[assignment]
                    for k, (cnt, p50, p95, err) in by_kind.items():
                        print(f"        {k:<13} {cnt:>6}  p50 {p50:7.1f}  p95 {p95:7.1f}  errors {err}")
    finally:
        if proc is not None:
            stop_server(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
