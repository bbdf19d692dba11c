"""How long an alerts round takes over what the last N store writes changed (figures only, never fails).

    PYTHONPATH=src python bench/bench_alerts.py --db STORE [--revisions 3 20] [--speaker ترامب]

Adds three temporary rules (a speaker's denials, a name as words, stories with two independent sources)
that start N revisions back, runs one round (JSON Lines into a temporary file, no webhook), prints the
changed articles, the hits and the seconds, and removes the rules again.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from marsad.alerts import make_rule, run_alerts
from marsad.entities import load_kb
from marsad.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--revisions", type=int, nargs="+", default=[3, 20])
    ap.add_argument("--speaker", default="ترامب")
    args = ap.parse_args()
    store = open_store(args.db)
    kb = load_kb()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = str(Path(tmp) / "hits.jsonl")
            for back in args.revisions:
                rules = [
                    make_rule(store, kb, "bench-denials", speaker=args.speaker, stance="denial", jsonl=out),
                    make_rule(store, kb, "bench-words", query=args.speaker, jsonl=out),
                    make_rule(store, kb, "bench-stories", min_sources=2, jsonl=out),
                ]
                head = store.current_rev()
                for r in rules:
                    store.put_alert_rule(replace(r, rev=max(0, head - back)))
                changed = len(store.changes_since(max(0, head - back)).ids)
                t0 = time.perf_counter()
                run = run_alerts(store)
                dt = time.perf_counter() - t0
                print(f"{back} revisions back: {changed} changed articles, {len(rules)} rules, "
                      f"{run.total} hits ({', '.join(f'{k} {v}' for k, v in run.found.items())}) in {dt:.2f} s")  # fmt: skip
                t0 = time.perf_counter()
                run_alerts(store)
                print(f"  the next round, nothing new: {time.perf_counter() - t0:.3f} s")
                for r in rules:
                    store.delete_alert_rule(r.name)
    finally:
        store.close()


if __name__ == "__main__":
    main()
