"""Time every page and listing route of the web app on an existing store.

    python bench/bench_pages.py --db marsad.db [--repeat 20]      # in-process (FastAPI's TestClient)
    python bench/bench_pages.py --url http://127.0.0.1:8000         # a running `marsad serve`

Prints, per URL, the first request (cold: caches empty) and the median and worst of the next ones, in
milliseconds. In-process, every request runs on a fresh event loop and so on fresh worker threads: the
per-thread caches of the aggregates (store counts, entity counts, networks) never hit, unlike a real
server; ``--url`` measures that. Never fails on timing.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from typing import Any


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="a store: SQLite file or postgresql:// URL (in-process)")
    where.add_argument("--url", help="a running marsad serve, e.g. http://127.0.0.1:8000")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    client: Any
    if args.url:
        import httpx

        client = httpx.Client(base_url=args.url, timeout=60)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient

        from marsad.web import create_app

        client = TestClient(create_app(args.db), raise_server_exceptions=False)
    stats = client.get("/api/stats").json()
    story = client.get("/api/stories", params={"order": "size", "limit": 1}).json()["items"]
    person = client.get("/api/entities", params={"type": "person", "limit": 1}).json()["items"]
    outlet = next((o for o in stats["outlets"] if not o.startswith("(")), "")
    urls = [
        "/",
        "/stories",
        "/stories?order=size&min_size=2",
        "/stories?period=week",
        f"/stories?outlet={outlet}",
        "/quotes",
        "/quotes?stance=denial",
        "/quotes?period=month",
        "/entities",
        "/entities?type=person",
        "/outlets",
        "/storylines",
        "/api/stories",
        "/api/quotes",
        "/api/entities",
        "/api/outlets",
        "/api/storylines",
    ]
    if story:
        urls.append(f"/stories/{story[0]['id']}")
    if person:
        urls += [f"/entities/{person[0]['id']}", f"/quotes?speaker={person[0]['id']}"]
    print(
        f"store: {args.db or args.url}: {stats['articles']} articles, {stats['stories']} stories, {stats['quotes']} quotes"
    )
    print(f"{'url':60} {'status':>6} {'cold':>8} {'median':>8} {'max':>8}  (ms)")
    for url in urls:
        t = time.perf_counter()
        status = client.get(url).status_code
        cold = (time.perf_counter() - t) * 1000
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        print(f"{url[:60]:60} {status:>6} {cold:8.1f} {statistics.median(times):8.1f} {max(times):8.1f}")
    export = "/api/export/quotes"
    t = time.perf_counter()
    r = client.get(export)
    print(f"{export:60} {r.status_code:>6} {(time.perf_counter() - t) * 1000:8.1f}  ({len(r.content)} bytes)")


if __name__ == "__main__":
    main()
