"""Ingest throughput: read + parse + normalize + store over ANT and SaudiNewsNet (a benchmark, not a test).

    .venv/bin/python bench/bench_ingest.py [--data ../shared/data/news] [--limit N] [--analyze]

Prints articles per second overall and at checkpoints, and the peak resident memory at each checkpoint:
that figure must stay flat as the number of files grows (the ingest streams; nothing accumulates).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from marsad import service
from marsad.store import open_store

CHECKPOINTS = (1_000, 5_000, 10_000, 20_000, 30_000)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(name: str, inputs: list[str], analyze: bool, limit: int | None) -> None:
    from marsad.pipeline import build_analyzer

    analyzer = build_analyzer() if analyze else None
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        done = 0
        t0 = time.perf_counter()
        marks = iter(CHECKPOINTS)
        nxt = next(marks, None)

        def progress(n: int, label: str) -> None:
            nonlocal done, nxt
            done += n
            if nxt is not None and done >= nxt:
                dt = time.perf_counter() - t0
                print(f"  {name}: {done:>6} documents  {done / dt:7.0f} docs/s  peak RSS {peak_mb():6.0f} MB")
                nxt = next(marks, None)

        files = inputs
        if limit:
            files = (
                [str(p) for p in sorted(Path(inputs[0]).rglob("*.txt"))[:limit]]
                if Path(inputs[0]).is_dir()
                else inputs
            )
        report = service.ingest(files, store, analyzer=analyzer, progress=progress)
        dt = time.perf_counter() - t0
        st = store.stats()
        store.close()
        arts = sum(report.counts[k] for k in ("new", "duplicate", "unchanged", "updated"))
        print(
            f"{name}: {report.documents} documents, {arts} articles in {dt:.1f} s → {arts / dt:.0f} articles/s "
            f"({'with' if analyze else 'without'} entities+quotes); failed {report.failed}; "
            f"store {st.size_bytes / 1e6:.0f} MB; peak RSS {peak_mb():.0f} MB"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news")
    )
    ap.add_argument("--limit", type=int, default=None, help="only the first N ANT files")
    ap.add_argument("--analyze", action="store_true", help="also run entities and quotes")
    args = ap.parse_args()
    data = Path(args.data)
    if not data.exists():
        print(f"{data}: shared data not available", file=sys.stderr)
        return 1
    run("ANT", [str(data / "ant-multisource")], args.analyze, args.limit)
    if not args.limit:
        run("SaudiNewsNet", [str(data / "saudinewsnet" / "dataset")], args.analyze, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
