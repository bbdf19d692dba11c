"""Entities + quotes throughput over ANT, and the knowledge-base load time (a benchmark, not a test).

    .venv/bin/python bench/bench_analysis.py [--limit 5000] [--no-ner] [--dump PATH]

Articles are parsed first (not timed); then mention finding (KB dictionary + role resolution + NER) and
quote extraction run over them on one core. Prints articles/s for each stage and for both together,
measured in CPU time of this process (the machine may be shared; wall time would measure the neighbours).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from marsad.entities import MentionFinder, load_kb
from marsad.ingest.sources import discover
from marsad.model import RawDocument
from marsad.parse import parse_document
from marsad.pipeline import _ner
from marsad.quotes import extract_quotes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "news"))
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--dump", metavar="PATH", help="write each article's mentions and quotes (repr) to PATH")
    args = ap.parse_args()
    ant = Path(args.data) / "ant-multisource"
    if not ant.exists():
        print(f"{ant}: shared data not available", file=sys.stderr)
        return 1
    files = sorted(ant.rglob("*.txt"))
    step = max(1, len(files) // args.limit)
    files = files[::step][: args.limit]
    arts = [
        a
        for it in discover(map(str, files))
        if isinstance(it, RawDocument)
        for a in parse_document(it).articles
    ]
    t = time.process_time()
    kb = load_kb()
    kb_s = time.process_time() - t
    ner = None if args.no_ner else _ner()
    finder = MentionFinder(kb, ner=ner)
    # Each article goes through both stages in turn, as in ingest (``pipeline.Analyzer``): the quote
    # reader then gets the body's words from the entity stage (``normalize.tokens.word_stream``, which
    # keeps the last few texts cut) instead of cutting the body a second time. Each stage is timed on
    # its own.
    found = []
    quotes = []
    ent_s = quo_s = 0.0
    clock = time.process_time
    for a in arts:
        day = a.published.date() if a.published else None
        t0 = clock()
        ms = finder.find(a.body, on=day)
        tms = finder.find(a.title, on=day) if a.title else []
        t1 = clock()
        qs = extract_quotes(a.body, ms, title=a.title, title_mentions=tms, published=day, entities=kb.get)
        t2 = clock()
        ent_s += t1 - t0
        quo_s += t2 - t1
        found.append((ms, tms))
        quotes.append(qs)
    n_quotes = sum(map(len, quotes))
    if args.dump:
        # to check that a speed change keeps every output: diff the dumps of two versions
        with open(args.dump, "w", encoding="utf-8") as out:
            for (ms, tms), qs in zip(found, quotes, strict=True):
                print(repr(ms), repr(tms), repr(qs), sep="\n", file=out)
    n = len(arts)
    print(f"knowledge base: {len(kb)} entities loaded in {kb_s:.2f} s")
    print(f"{n} ANT articles; mentions {sum(len(m) for m, _ in found)}, quotes {n_quotes}")
    print(f"entities{' (no NER)' if ner is None else ' + NER'}: {n / ent_s:.0f} articles/s")
    print(f"quotes: {n / quo_s:.0f} articles/s")
    print(f"entities + quotes: {n / (ent_s + quo_s):.0f} articles/s on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
