"""Story clustering on clean and degraded pages, through the real pipeline (issue 12).

Builds the dev sets with ``devsets/degrade.py`` (clean ANT files, degraded scraped-page copies plus
non-Arabic pages, hand-written seed-style pages) and the seeds, ingests each into a fresh SQLite store with
the full analysis, runs the story stage exactly as ``marsad ingest`` does, and prints B-cubed P/R/F1 for
every set side by side, for the tuning and held-out stories separately (``split.json``). Never tune on the
held-out columns. Also counts stories that mix articles whose explicit years differ.

    .venv/bin/python bench/eval_stories.py                # everything from scratch
    .venv/bin/python bench/eval_stories.py --reuse        # keep the analysed stores, re-run stories only

Not a test: it prints figures and never fails on them.

Measured (07:25 UTC, 3 Dec 2026; B-cubed F1 tuning / held-out): clean 0.962 / 0.975 before and after;
degraded 0.753 / 0.778 before event times and vetoes, 0.896 / 0.885 after (P 0.963 / 1.000, R 0.837 /
0.793); pages 0.706 / 0.667 before, 1.0 / 1.0 after; seeds 1.0 before and after. Exact copies are stored
once, so 20 clean and 5 degraded gold files have no article of their own.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "devsets"))

import degrade

from marsad import service
from marsad.cluster import stream
from marsad.cluster.event_time import LEAD_CHARS, explicit_years
from marsad.pipeline import build_analyzer
from marsad.store import open_store

SEEDS = Path("/work/shared/seeds")
Key = tuple[str, int]


def bcubed(pred: dict[Key, str], gold: dict[Key, str]) -> tuple[float, float, float]:
    """Same definition as score.py: over the gold items that got a prediction."""
    items = [i for i in gold if i in pred]
    if not items:
        return 0.0, 0.0, 0.0
    pc: dict[str, set[Key]] = defaultdict(set)
    gc: dict[str, set[Key]] = defaultdict(set)
    for i in items:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in items) / len(items)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in items) / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_gold(path: Path) -> dict[Key, str]:
    g = json.loads(path.read_text(encoding="utf-8"))
    if "documents" in g:  # seed format
        return {
            (d["file"], k): a["event"]
            for d in g["documents"]
            for k, a in enumerate(d["articles"])
            if a.get("event")
        }
    return {(a["file"], int(a.get("part", 0))): a["event"] for a in g["articles"]}


def analysed_store(docs: Path, work: Path, reuse: bool) -> tuple[Path, float]:
    db = work / "analysed.db"
    if reuse and db.exists():
        return db, 0.0
    for p in work.glob("analysed.db*"):
        p.unlink()
    t0 = time.perf_counter()
    store = open_store(str(db))
    try:
        service.ingest([str(docs)], store, analyzer=build_analyzer())
    finally:
        store.close()
    return db, time.perf_counter() - t0


def run_stories(db: Path, work: Path) -> tuple[dict[Key, str], dict[Key, tuple[int, bool]], float]:
    run = work / "run.db"
    for p in work.glob("run.db*"):
        p.unlink()
    for p in work.glob("analysed.db*"):
        shutil.copyfile(p, work / p.name.replace("analysed", "run"))
    t0 = time.perf_counter()
    store = open_store(str(run))
    try:
        service.after_ingest(store, service.IngestReport(), index=False)
        pred: dict[Key, str] = {}
        years: dict[Key, tuple[int, bool]] = {}
        for a in store.iter_articles(with_analysis=False):
            key = (a.source.file_name, a.source.part)
            if a.story_id is not None:
                pred[key] = a.story_id
            # the event year: the publication's, else the latest year the lead names (vetoes.py's view)
            named = explicit_years(f"{a.title or ''}\n{a.body[:LEAD_CHARS]}")
            if a.published or named:
                years[key] = (a.published.year, True) if a.published else (max(named), False)
    finally:
        store.close()
    return pred, years, time.perf_counter() - t0


def year_mixes(pred: dict[Key, str], years: dict[Key, tuple[int, bool]], gold: dict[Key, str]) -> int:
    """Predicted stories that join articles of different gold stories whose years conflict: two years of
    publication that differ, or an undated article whose lead names a later year than another's year of
    publication (an older named year is background, not a conflict)."""
    by_story: dict[str, list[Key]] = defaultdict(list)
    for k, sid in pred.items():
        if k in gold and k in years:
            by_story[sid].append(k)

    def conflict(a: tuple[int, bool], b: tuple[int, bool]) -> bool:
        return (a[1] and b[1] and a[0] != b[0]) or (b[1] and a[0] > b[0]) or (a[1] and b[0] > a[0])

    return sum(
        any(gold[a] != gold[b] and conflict(years[a], years[b]) for a in keys for b in keys)
        for keys in by_story.values()
    )


def fmt(f: tuple[float, float, float]) -> str:
    return f"P {f[0]:.3f} R {f[1]:.3f} F1 {f[2]:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/marsad-eval-stories"))
    ap.add_argument("--reuse", action="store_true", help="reuse the analysed stores of the last run")
    ap.add_argument("--sets", default="clean,degraded,pages,seeds")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="ClusterParams field")
    args = ap.parse_args(argv)
    if args.param:  # a sweep: every clusterer the story stage opens gets these defaults
        over = {k: float(v) for k, v in (a.split("=", 1) for a in args.param)}
        stream.ClusterParams = functools.partial(stream.ClusterParams, **over)  # type: ignore[misc]

    args.work.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and (args.work / "split.json").exists()):
        degrade.main(["--out", str(args.work)])
    split = json.loads((args.work / "split.json").read_text(encoding="utf-8"))
    held = set(split["held_out"])
    print(f"{'set':9} {'part':9} {'n':>4}  B-cubed")
    for name in args.sets.split(","):
        if name == "seeds":
            docs, gold_path = SEEDS, SEEDS / "gold.json"
        else:
            docs, gold_path = args.work / name / "docs", args.work / name / "gold.json"
        work = args.work / name
        work.mkdir(exist_ok=True)
        gold = load_gold(gold_path)
        db, t_ingest = analysed_store(docs, work, args.reuse)
        pred, years, t_stories = run_stories(db, work)
        parts = {"all": gold}
        if name != "seeds":
            parts["tuning"] = {k: v for k, v in gold.items() if v not in held}
            parts["held-out"] = {k: v for k, v in gold.items() if v in held}
        for label, g in parts.items():
            print(f"{name:9} {label:9} {len(g):4}  {fmt(bcubed(pred, g))}")
        missing = sum(k not in pred for k in gold)
        print(
            f"{name:9} {'':9} {'':4}  year-mixed stories {year_mixes(pred, years, gold)}"
            f"; gold articles without a story {missing}; ingest {t_ingest:.1f}s stories {t_stories:.1f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
