"""Benchmark and calibration for duplicates, story clustering and storylines (issue 4).

Not a test: it prints figures and never asserts on timing.

    .venv/bin/python bench/bench_cluster.py                 # throughput over all ANT articles
    .venv/bin/python bench/bench_cluster.py --seeds         # seeds: B-cubed against gold ``event``
    .venv/bin/python bench/bench_cluster.py --dev           # dev set: B-cubed P/R/F1 (+ distractors)
    .venv/bin/python bench/bench_cluster.py --dedup         # near-duplicate P/R on a synthetic set

The ANT loader below is a stand-in for ``marsad.parse`` (regex over the TREC tags).
"""

from __future__ import annotations

import argparse
import email.utils
import json
import random
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from marsad.cluster import (
    ClusterParams,
    StoryClusterer,
    StorylineLinker,
    StorylineParams,
    StorySnapshot,
    order_key,
    timestamp,
)
from marsad.cluster.event_time import EventTime, estimate_event_times, event_order_key
from marsad.cluster.features import DocFeatures
from marsad.dedup import NearDuplicateIndex
from marsad.model import Article, SourceRef
from marsad.normalize.arabic import normalize_text

NEWS = Path("/work/shared/data/news")
ANT = NEWS / "ant-multisource"
SEEDS = Path("/work/shared/seeds")
DEVSET = Path(__file__).parent / "devsets" / "ant_stories.jsonl"
_TAG = {t: re.compile(rf"<{t}>(.*?)</{t}>", re.S) for t in ("DOCNO", "SRC", "TITLE", "TIME", "TEXT")}


# -- loaders ----------------------------------------------------------------------------------------
def load_ant_file(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8", errors="replace")

    def tag(t: str) -> str:
        m = _TAG[t].search(raw)
        return m.group(1).strip() if m else ""

    title, body = tag("TITLE"), tag("TEXT")
    try:
        published: datetime | None = email.utils.parsedate_to_datetime(tag("TIME"))
    except (TypeError, ValueError):
        published = None
    return Article(
        id=tag("DOCNO") or path.stem,
        source=SourceRef(origin=str(path)),
        title=title or None,
        body=body,
        published=published,
        outlet=tag("SRC").lower() or None,
        search_text=normalize_text(f"{title}\n{body}"),
    )


def load_ant(root: Path = ANT, limit: int | None = None) -> list[Article]:
    files = sorted(root.rglob("*.txt"))
    arts = [load_ant_file(p) for p in files if p.name not in ("README.md", "SOURCE.md")]
    arts.sort(key=order_key)
    return arts[:limit] if limit else arts


SEED_DATES = {
    "000": date(2025, 9, 5),
    "001": date(2024, 11, 11),
    "003": date(2025, 9, 5),
    "004": date(2024, 1, 26),
}
_READ_ALSO = re.compile(r"^\s*إقرأ أيضا[ًا]?\s*:?\s*$", re.M)


def load_seeds(root: Path = SEEDS) -> list[tuple[Article, tuple[str, int]]]:
    """Seed files split at the 'read also' line; a title is the first line when a date line follows it."""
    out = []
    for path in sorted(root.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pieces = _READ_ALSO.split(text, maxsplit=1)
        day = SEED_DATES.get(path.name[:3])
        for part, piece in enumerate(pieces):
            lines = [ln for ln in piece.strip().split("\n")]
            title = None
            if part == 1 or (len(lines) > 1 and lines[1].startswith("تاريخ النشر")):
                title = lines[0].strip()
                lines = lines[2:] if part == 0 else lines[1:]
            body = "\n".join(lines)
            pub = datetime.combine(day, dtime(12), UTC) if day and part == 0 else None
            a = Article(
                id=f"{path.stem}#{part}",
                source=SourceRef(origin=str(path), part=part),
                title=title,
                body=body,
                published=pub,
                search_text=normalize_text(f"{title or ''}\n{body}"),
            )
            out.append((a, (path.name, part)))
    return out


# -- scoring ----------------------------------------------------------------------------------------
def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    items = [i for i in gold if i in pred]
    if not items:
        return 0.0, 0.0, 0.0
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for i in items:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in items) / len(items)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in items) / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster_stream(articles: Iterable[Article], params: ClusterParams | None = None) -> dict[str, str]:
    """Article id -> final story id (after repair merges)."""
    c = StoryClusterer(params)
    raw = {a.id: c.add(a).story_id for a in articles}
    c.close_all()
    return {aid: c.resolve(sid) for aid, sid in raw.items()}


# -- modes ------------------------------------------------------------------------------------------
def run_seeds(params: ClusterParams) -> None:
    gold_doc = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    gold = {
        f"{Path(d['file']).stem}#{k}": a["event"]
        for d in gold_doc["documents"]
        for k, a in enumerate(d["articles"])
        if a.get("event")
    }
    seeds = sorted((a for a, _ in load_seeds()), key=order_key)
    pred = cluster_stream(seeds, params)
    p, r, f = bcubed(pred, gold)
    print(f"seeds B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}")
    for a in seeds:
        print(f"  {a.id:28} {gold.get(a.id, '-')[:40]:40} {pred[a.id]}")
    linker = StorylineLinker()
    c = StoryClusterer(params)
    for a in seeds:
        c.add(a)
    lines = {s.id: linker.add(s) for s in c.close_all()}
    print(f"seed storylines: {len(set(lines.values()))} for {len(lines)} stories")


def run_full(params: ClusterParams, limit: int | None, trace: bool, undated: float = 0.0) -> None:
    t0 = time.perf_counter()
    arts = load_ant(limit=limit)
    print(f"loaded {len(arts)} ANT articles in {time.perf_counter() - t0:.1f}s (not timed below)")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:  # tracemalloc slows Python allocation 3-5x: timings of a traced run are not throughput
        tracemalloc.start()
    dedup, clus = NearDuplicateIndex(), StoryClusterer(params)
    times: dict[str, EventTime] = {}
    t_est = 0.0
    cpu_est = time.process_time()
    if undated:  # scraped pages: a share loses its date; estimate event times as the story stage does
        rng = random.Random(12)
        arts = [replace(a, published=None) if rng.random() < undated else a for a in arts]
        t1 = time.perf_counter()
        times = estimate_event_times(arts, clus.featurizer)
        t_est = time.perf_counter() - t1

        def key(a: Article) -> tuple[bool, float, bool, str]:
            ts = timestamp(a.published)
            return event_order_key(ts if ts is not None else times[a.id].ts, ts is not None, a.id)

        arts.sort(key=key)
        found = Counter(t.source for t in times.values())
        print(
            f"undated {len(times)} ({undated:.0%}): event times {dict(found)}; {1e3 * t_est / len(arts):.3f} ms/article"
        )
    cpu_est = time.process_time() - cpu_est
    checkpoints = {1_000, 10_000, len(arts)}
    window: list[float] = []
    n_dup: Counter[str] = Counter()
    near_pairs: list[tuple[Article, str]] = []
    sizes: Counter[str] = Counter()
    t_dedup = t_clus = 0.0
    cpu0 = time.process_time()
    for i, a in enumerate(arts, 1):
        t1 = time.perf_counter()
        d = dedup.add(a)
        t2 = time.perf_counter()
        sid = clus.add(replace(a, duplicate_of=d.duplicate_of), event_time=times.get(a.id)).story_id
        t3 = time.perf_counter()
        t_dedup += t2 - t1
        t_clus += t3 - t2
        window.append(t3 - t1)
        n_dup[d.kind or "-"] += 1
        if d.kind == "near" and d.duplicate_of:
            near_pairs.append((a, d.duplicate_of))
        sizes[sid] += 1
        if i in checkpoints:
            last = window[-1000:]
            print(
                f"  at {i:>6}: {1e3 * sum(last) / len(last):.3f} ms/article over the last {len(last)}, "
                f"active stories {len(clus.active_stories())}, dedup window {len(dedup)}"
            )
    n = len(arts)
    cpu = time.process_time() - cpu0 + cpu_est  # CPU time: the machine may be shared, wall time overstates
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    t_clus += t_est
    print(f"dedup {1e3 * t_dedup / n:.3f} ms/article, clustering {1e3 * t_clus / n:.3f} ms/article")
    print(
        f"throughput dedup+clustering: {n / (t_dedup + t_clus):.0f} articles/s {' (tracemalloc on)' if trace else ''}"
    )
    print(f"CPU time (process_time): {1e3 * cpu / n:.3f} ms/article = {n / cpu:.0f} articles/s on one core")
    print(
        f"candidates per article: dedup {dedup.candidates_checked / n:.2f}, stories {clus.candidates_scored / n:.1f}"
    )
    print(f"duplicates: {dict(n_dup)}")
    near_title_agreement(arts, near_pairs)
    closed = clus.close_all()
    hist = Counter(min(len(s.article_ids), 10) for s in closed)
    print(f"stories: {len(closed)}; size histogram (10 = 10+): {sorted(hist.items())}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"max RSS {rss / 1024:.0f} MiB (after loading the articles: {rss0 / 1024:.0f} MiB)")
    if trace:
        print(f"peak traced memory of dedup + clustering: {peak / 2**20:.0f} MiB")


def near_title_agreement(arts: list[Article], pairs: list[tuple[Article, str]]) -> None:
    """Proxy for near-duplicate precision on ANT's natural duplicates (no gold): the fraction of flagged
    (copy, original) pairs whose titles share at least half of the shorter title's words. Copies are
    often retitled, so this is a lower bound; a low figure calls for reading the pairs (``--dedup``)."""
    by_id = {a.id: a for a in arts}
    agree = titled = 0
    for a, orig in pairs:
        o = by_id.get(orig)
        ta, to = (
            set(normalize_text(a.title or "").split()),
            set(normalize_text(o.title or "").split()) if o else set(),
        )
        if ta and to:
            titled += 1
            agree += len(ta & to) >= 0.5 * min(len(ta), len(to))
    if titled:
        print(
            f"near pairs whose titles share >= 50% of the words: {agree}/{titled} = {agree / titled:.3f}"
            f" ({len(pairs) - titled} pairs without two titles)"
        )


def load_dev() -> dict[str, str]:
    """ANT article id (the DOCNO, i.e. the file stem) -> gold story."""
    rows = [json.loads(ln) for ln in DEVSET.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return {Path(r["file"]).stem: r["story"] for r in rows}


def run_dev(grid: list[ClusterParams], distractors: bool, cache: bool) -> None:
    """B-cubed on the labelled ANT articles. With distractors, every ANT article is streamed (date
    order, after the dedup stage as in the pipeline) and only the labelled ones are scored.

    ``cache`` reuses one featurization for the whole grid (fast sweeps; IDF then also counts copies
    whose original story was evicted); the reported defaults were re-run without it."""
    gold = load_dev()
    arts = load_ant()
    if not distractors:
        arts = [a for a in arts if a.id in gold]
    dedup = NearDuplicateIndex()
    arts = [replace(a, duplicate_of=dedup.add(a).duplicate_of) for a in arts]
    n_labels = len(set(gold.values()))
    print(f"dev: {len(gold)} labelled articles, {n_labels} stories; streaming {len(arts)} articles")
    feats: list[DocFeatures | None] = [None] * len(arts)
    if cache:
        fz = StoryClusterer(grid[0]).featurizer
        feats = [None if a.duplicate_of else fz.features(a) for a in arts]
    for params in grid:
        c = StoryClusterer(params)
        t0 = time.perf_counter()
        raw = {a.id: c.add(a, f).story_id for a, f in zip(arts, feats, strict=True)}
        dt = time.perf_counter() - t0
        c.close_all()
        pred = {aid: c.resolve(sid) for aid, sid in raw.items() if aid in gold}
        p, r, f1 = bcubed(pred, gold)
        diff = {k: v for k, v in vars_of(params).items() if v != vars_of(ClusterParams())[k]}
        print(f"  P {p:.3f} R {r:.3f} F1 {f1:.3f}  ({dt:.0f}s) {diff or 'defaults'}", flush=True)


def vars_of(p: ClusterParams) -> dict[str, object]:
    return {k: getattr(p, k) for k in p.__dataclass_fields__}


def parse_grid(specs: list[str]) -> list[ClusterParams]:
    """``--set threshold=0.3,0.35 w_title=0.2`` -> the cartesian product of ClusterParams."""
    grid = [ClusterParams()]
    for spec in specs:
        name, values = spec.split("=", 1)
        typ = type(getattr(ClusterParams(), name))
        grid = [replace(g, **{name: typ(v)}) for g in grid for v in values.split(",")]
    return grid


def run_storylines(threshold: float) -> None:
    """Storyline sizes over ANT (no gold: print the largest storylines' titles to eyeball them)."""
    arts = load_ant()
    titles = {a.id: a.title or "" for a in arts}
    c, lk = StoryClusterer(), StorylineLinker(StorylineParams(threshold=threshold))
    members: dict[str, list[StorySnapshot]] = defaultdict(list)
    for a in arts:
        c.add(a)
        for s in c.pop_closed():
            members[lk.add(s)].append(s)
    for s in c.close_all():
        members[lk.add(s)].append(s)
    sizes = sorted((len(v) for v in members.values()), reverse=True)
    print(
        f"threshold {threshold}: {len(members)} storylines; largest {sizes[:10]}; singletons {sizes.count(1)}"
    )
    for lid, stories in sorted(members.items(), key=lambda kv: -len(kv[1]))[:4]:
        print(f"  {lid}: {len(stories)} stories, e.g.")
        for s in stories[:: max(1, len(stories) // 6)][:6]:
            day = datetime.fromtimestamp(s.first or 0, UTC).date()
            print(f"    {day} {titles[s.article_ids[0]][:90]}")


def run_dedup_eval(n_copies: int, seed: int) -> None:
    """Near-duplicate P/R: ANT articles plus copies with 5-10% of the words replaced, inserted a few hours
    after their original. Positives: (copy, original). Any other pair flagged is checked against the
    natural duplicates (exact/near pairs already in ANT), reported separately."""
    arts = load_ant()
    rng = random.Random(seed)
    vocab = [w for a in arts[:2000] for w in a.body.split()]
    originals = rng.sample([a for a in arts if len(a.body.split()) >= 80 and a.published], n_copies)
    copies = []
    for k, o in enumerate(originals):
        words = o.body.split()
        for i in rng.sample(range(len(words)), int(len(words) * rng.uniform(0.05, 0.10))):
            words[i] = rng.choice(vocab)
        body = " ".join(words)
        assert o.published is not None
        copies.append(
            replace(
                o,
                id=f"COPY{k}-{o.id}",
                body=body,
                outlet="copycat",
                published=o.published + timedelta(hours=rng.uniform(0.5, 30)),
                search_text=normalize_text(f"{o.title}\n{body}"),
            )
        )
    truth = {c.id: o.id for c, o in zip(copies, originals, strict=True)}
    idx = NearDuplicateIndex()
    natural: list[tuple[str, str, str, float]] = []
    tp = fp = fn = 0
    group: dict[str, str] = {}  # ANT article -> its original (natural duplicates)
    wrong: list[tuple[str, str, str]] = []
    t0 = time.perf_counter()
    for a in sorted(arts + copies, key=order_key):
        d = idx.add(a)
        if a.id in truth:
            orig = truth[a.id]
            if d.duplicate_of is None:
                fn += 1
            elif d.duplicate_of in (orig, group.get(orig), idx.original_of(orig)):
                tp += 1
            else:
                fp += 1
                wrong.append((a.id, orig, d.duplicate_of))
        else:
            group[a.id] = d.duplicate_of or a.id
            if d.kind:
                natural.append((a.id, d.duplicate_of or "", d.kind, d.similarity))
    dt = time.perf_counter() - t0
    print(
        f"synthetic copies {len(copies)}: found {tp}, wrong original {fp}, missed {fn}; recall {tp / len(copies):.3f}"
    )
    for w in wrong[:3]:
        print(f"  wrong: {w}")
    buckets = Counter(f"{min(0.9, int(x[3] * 10) / 10):.1f}" for x in natural if x[2] == "near")
    print(f"natural near pairs by Jaccard bucket: {sorted(buckets.items())}")
    kinds = Counter(k for _, _, k, _ in natural)
    print(
        f"natural duplicates flagged among ANT articles: {dict(kinds)}; {1e3 * dt / (len(arts) + len(copies)):.3f} ms/article"
    )
    near = [x for x in natural if x[2] == "near"]
    rng.shuffle(near)
    by_id = {a.id: a for a in arts}
    for aid, orig, _, sim in sorted(near[:12], key=lambda x: x[3]):
        print(
            f"  J={sim:.2f} {aid} ~ {orig}: {(by_id[aid].title or '')[:50]} | {(by_id[orig].title or '')[:50]}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", action="store_true")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--labelled-only", action="store_true", help="dev: no unlabelled distractors")
    ap.add_argument("--cache", action="store_true", help="dev: featurize once for the whole grid")
    ap.add_argument("--set", nargs="*", default=[], help="dev: parameter grid, name=v1,v2")
    ap.add_argument("--storylines", type=float, default=None, help="storyline threshold to try on ANT")
    ap.add_argument("--dedup", action="store_true", help="near-duplicate P/R on a synthetic copy set")
    ap.add_argument("--tracemalloc", action="store_true", help="peak memory of the stages (slow)")
    ap.add_argument("--undated", type=float, default=0.0, help="share of articles stripped of their date")
    args = ap.parse_args(argv)
    params = ClusterParams()
    if args.seeds:
        run_seeds(params)
    elif args.storylines is not None:
        run_storylines(args.storylines)
    elif args.dedup:
        run_dedup_eval(2000, 7)
    elif args.dev:
        run_dev(parse_grid(args.set), not args.labelled_only, args.cache)
    else:
        run_full(params, args.limit, args.tracemalloc, args.undated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
