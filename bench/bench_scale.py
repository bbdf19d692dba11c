"""An archive backfilled as a user would: ``marsad ingest`` batch after batch, at growing sizes (issue 13).

    .venv/bin/python bench/bench_scale.py [--sizes 10000,100000] [--batch 10000] [--work DIR]
                                          [--data ../shared/data/news]

Builds a synthetic archive from ANT (``ant-multisource``, TREC ``<DOC>`` files) and SaudiNewsNet (zipped
JSON per day): replica 0 is the data as it is, replica r >= 1 is every article again with its dates
shifted by 4r years and its text perturbed (words swapped, a word dropped per sentence, the title's
words shuffled, ids and URLs changed), so no replica is an exact copy and the store grows as a real
archive would. SaudiNewsNet's 2015 dates move into 2018 (ANT's year) and both sets are merged in
publication order; replicas follow each other in time.

For each size the archive's first N articles are written, a batch folder at a time (``--batch`` articles,
deleted once ingested), and ingested into a fresh SQLite store with ``marsad ingest DIR --db STORE
--json`` (analysis, stories and index on). Printed per size: CPU seconds of the children (one process
each, from ``wait4``), CPU per article by stage (the ``cpu_seconds`` of the ingest reports: read = parse +
analysis, store, stories, index, alerts), the story stage's CPU per article in the first and the last
batch, peak RSS of any batch, store and index size per million articles, the state rows' count and
bytes, the per-run fixed cost of the saved state (CPU to load it and to save it unchanged, in a fresh
process) and the cost of re-ingesting the last batch unchanged against its first ingest.

A benchmark, not a test: it prints figures and never fails on timing.
"""

from __future__ import annotations

import argparse
import email.utils
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "data" / "news"
SHIFT_YEARS = 4
_TAG = re.compile(r"<(DOCNO|URL|TITLE|TIME|TEXT|ABSTRACT)>(.*?)</\1>", re.S)
_SENT = re.compile(r"(?<=[.!؟?])\s+")


# ---- the synthetic archive -----------------------------------------------------------------------


def perturb(text: str, rng: random.Random) -> str:
    """The text with about 6% of its words swapped with a neighbour and one word dropped per sentence."""
    out = []
    for sent in _SENT.split(text):
        w = sent.split(" ")
        for i in range(len(w) - 1):
            if rng.random() < 0.03:
                w[i], w[i + 1] = w[i + 1], w[i]
        if len(w) > 6:
            del w[rng.randrange(1, len(w) - 1)]
        out.append(" ".join(w))
    return " ".join(out)


def _ant_docs(root: Path) -> list[tuple[float, Path]]:
    docs = []
    for p in sorted(root.rglob("*.txt")):
        m = re.search(r"<TIME>(.*?)</TIME>", p.read_text(encoding="utf-8", errors="replace"))
        try:
            ts = email.utils.parsedate_to_datetime(m.group(1).strip()).timestamp() if m else 0.0
        except (TypeError, ValueError):
            ts = 0.0
        docs.append((ts, p))
    return sorted(docs)


def _saudi_records(root: Path) -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = []
    for z in sorted(root.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in sorted(zf.namelist()):
                recs.extend(json.loads(zf.read(name)))
    return sorted(recs, key=lambda r: str(r.get("date_extracted", "")))


def _ant_copy(text: str, r: int, rng: random.Random) -> str:
    def sub(m: re.Match[str]) -> str:
        tag, v = m.group(1), m.group(2)
        if tag == "DOCNO":
            v = f"{v.strip()}-r{r}"
        elif tag == "URL":
            v = f"{v.strip()}?r={r}"
        elif tag == "TITLE":
            w = v.split()
            rng.shuffle(w)
            v = " ".join(w)
        elif tag == "TIME":
            try:
                dt = email.utils.parsedate_to_datetime(v.strip())
                v = email.utils.format_datetime(dt + timedelta(days=round(365.25 * SHIFT_YEARS * r)))
            except (TypeError, ValueError):
                pass
        else:
            v = perturb(v, rng)
        return f"<{tag}>{v}</{tag}>"

    return _TAG.sub(sub, text)


def _saudi_copy(rec: dict[str, Any], r: int, rng: random.Random, *, years: int = 0) -> dict[str, Any]:
    """Replica ``r`` of a SaudiNewsNet record (``years``: only move it that many years on)."""
    out = dict(rec)
    try:
        dt = datetime.strptime(str(rec["date_extracted"]), "%Y-%m-%d %H:%M:%S")
        out["date_extracted"] = (dt + timedelta(days=round(365.25 * (years or SHIFT_YEARS * r)))).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
    except (KeyError, ValueError):
        pass
    if years:
        return out
    out["url"] = f"{rec.get('url', '')}?r={r}"
    w = str(rec.get("title", "")).split()
    rng.shuffle(w)
    out["title"] = " ".join(w)
    out["content"] = perturb(str(rec.get("content", "")), rng)
    return out


class Archive:
    """The endless archive: (kind, name, payload) in publication order, replica after replica.

    SaudiNewsNet's dates (2015) move 3 years on, into ANT's months of 2018, so both sets share a clock."""

    def __init__(self, data: Path) -> None:
        ant = _ant_docs(data / "ant-multisource")
        saudi = [
            _saudi_copy(rec, 0, random.Random(0), years=3)
            for rec in _saudi_records(data / "saudinewsnet" / "dataset")
        ]
        self.n_ant, self.n_saudi = len(ant), len(saudi)
        stream: list[tuple[float, str, Any]] = [(ts, "ant", p) for ts, p in ant]
        stream += [(_saudi_ts(rec), "saudi", rec) for rec in saudi]
        stream.sort(key=lambda x: (x[0], x[1]))
        self.stream = stream

    def items(self) -> Iterator[tuple[str, str, Any]]:
        r = 0
        while True:
            rng = random.Random(r)
            for k, (_, kind, ref) in enumerate(self.stream):
                if kind == "saudi":
                    yield kind, f"r{r}-s{k}", ref if r == 0 else _saudi_copy(ref, r, rng)
                else:
                    text = ref.read_text(encoding="utf-8", errors="replace")
                    yield kind, f"r{r}-{ref.stem}", text if r == 0 else _ant_copy(text, r, rng)
            r += 1


def _saudi_ts(rec: dict[str, Any]) -> float:
    try:
        return datetime.strptime(str(rec["date_extracted"]), "%Y-%m-%d %H:%M:%S").timestamp()
    except (KeyError, ValueError):
        return 0.0


def write_batch(items: Iterator[tuple[str, str, Any]], n: int, into: Path) -> int:
    """Write the next ``n`` articles under ``into`` (SaudiNewsNet as JSON files of 200 records)."""
    into.mkdir(parents=True)
    saudi: list[Any] = []
    written = 0

    def flush() -> None:
        if saudi:
            (into / f"saudi-{written:07d}.json").write_text(json.dumps(saudi, ensure_ascii=False), "utf-8")
            saudi.clear()

    for kind, name, payload in items:
        if kind == "ant":
            (into / f"{name}.txt").write_text(payload, encoding="utf-8")
        else:
            saudi.append(payload)
            if len(saudi) >= 200:
                flush()
        written += 1
        if written >= n:
            break
    flush()
    return written


# ---- running and measuring ----------------------------------------------------------------------


def _marsad() -> list[str]:
    exe = Path(sys.executable).with_name("marsad")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "marsad"]


def child(cmd: list[str]) -> tuple[str, float, float]:
    """(stdout, CPU seconds, peak RSS in MB) of one child process."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, _, ru = os.wait4(proc.pid, 0)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return text, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def ingest(folder: Path, db: Path) -> tuple[dict[str, Any], float, float]:
    text, cpu, rss = child([*_marsad(), "ingest", str(folder), "--db", str(db), "--json"])
    rep: dict[str, Any] = {}
    for line in reversed(text.splitlines()):
        if line.startswith("{") and '"documents"' in line:
            rep = json.loads(line)
            break
    return rep, cpu, rss


_FIXED = """
import json, sys, time
from marsad.store import open_store
from marsad.store.base import StoryWrite
from marsad.story_state import StageState
st = open_store(sys.argv[1])
t0 = time.process_time()
stage = StageState.load(st)
t1 = time.process_time()
rows, cleared, meta = stage.changes([])
st.write_stories(StoryWrite(state={"stories:meta:v2": meta}, rows=rows, cleared=cleared))
t2 = time.process_time()
print(json.dumps({"load": t1 - t0, "save": t2 - t1, "rows": len(rows)}))
"""


def fixed_cost(db: Path) -> dict[str, Any]:
    text, _, rss = child([sys.executable, "-c", _FIXED, str(db)])
    out: dict[str, Any] = json.loads(text.strip().splitlines()[-1]) if text.strip() else {}
    out["rss"] = rss
    import sqlite3

    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rows = "state_rows" + (
        " UNION ALL SELECT * FROM short_state_rows" if "short_state_rows" in tables else ""
    )
    out["state"] = con.execute(
        f"SELECT kind, count(*), sum(length(value)) FROM (SELECT * FROM {rows}) GROUP BY kind ORDER BY kind"
    ).fetchall()
    con.close()
    return out


def _size(p: Path) -> int:
    if p.is_dir():
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return p.stat().st_size if p.exists() else 0


def run_size(archive: Archive, n: int, batch: int, work: Path) -> None:
    print(f"\n== {n:,} articles in batches of {batch:,}", flush=True)
    base = work / f"size-{n}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    db = base / "store.db"
    items = archive.items()
    total_cpu, peak, new = 0.0, 0.0, 0
    stages: dict[str, float] = {}
    story_per_batch: list[float] = []
    done, k, last = 0, 0, None
    while done < n:
        folder = base / f"batch-{k:04d}"
        wrote = write_batch(items, min(batch, n - done), folder)
        rep, cpu, rss = ingest(folder, db)
        a = int(rep.get("new", 0)) + int(rep.get("duplicate", 0))
        cs = rep.get("cpu_seconds", {})
        for st, v in cs.items():
            stages[st] = stages.get(st, 0.0) + float(v)
        story_per_batch.append(1000 * float(cs.get("stories", 0.0)) / max(1, int(rep.get("new", 0))))
        total_cpu, peak, new = total_cpu + cpu, max(peak, rss), new + a
        print(
            f"  batch {k}: {wrote} inputs, new {rep.get('new')} dup {rep.get('duplicate')} "
            f"failed {rep.get('failed')} | CPU {cpu:.1f} s ({cpu / max(1, a) * 1000:.2f} ms/article), "
            f"stories {story_per_batch[-1]:.2f} ms/article, RSS {rss:.0f} MB",
            flush=True,
        )
        if last is not None:
            shutil.rmtree(last)
        last, done, k = folder, done + wrote, k + 1
    first_cpu = cpu
    assert last is not None
    rep, re_cpu, re_rss = ingest(last, db)
    arts = max(1, new)
    print(f"articles stored     {new:,} (new + duplicate) in {k} runs")
    print(
        f"CPU total           {total_cpu:.1f} s = {1000 * total_cpu / arts:.2f} ms/article, {arts / total_cpu:.1f} articles/s"
    )
    print(
        "CPU by stage        "
        + ", ".join(f"{s} {1000 * v / arts:.2f}" for s, v in sorted(stages.items()))
        + " ms/article"
    )
    print(
        f"story stage         first batch {story_per_batch[0]:.2f} ms/article, last {story_per_batch[-1]:.2f}"
    )
    print(f"peak RSS            {peak:.0f} MB (any batch)")
    store_b = sum(_size(Path(str(db) + s)) for s in ("", "-wal", "-shm"))
    index_b = _size(Path(str(db) + ".index"))
    print(
        f"store               {store_b / 1e6:.1f} MB = {store_b / arts * 1e6 / 1e9:.2f} GB per million articles"
    )
    print(
        f"index               {index_b / 1e6:.1f} MB = {index_b / arts * 1e6 / 1e9:.2f} GB per million articles"
    )
    fc = fixed_cost(db)
    print(
        f"saved state         load {fc.get('load', 0):.3f} s + save unchanged {fc.get('save', 0):.3f} s CPU "
        f"per run (RSS {fc['rss']:.0f} MB); rows: "
        + ", ".join(f"{kind} {c:,} ({(b or 0) / 1e6:.1f} MB)" for kind, c, b in fc["state"])
    )
    print(
        f"re-ingest unchanged last batch: CPU {re_cpu:.1f} s against {first_cpu:.1f} s first "
        f"({100 * re_cpu / max(first_cpu, 1e-9):.1f}%), unchanged {rep.get('unchanged')}, RSS {re_rss:.0f} MB",
        flush=True,
    )
    shutil.rmtree(last)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated (default: %(default)s)")
    ap.add_argument(
        "--batch", type=int, default=10_000, help="articles per ingest run (default: %(default)s)"
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the news folder (default: %(default)s)")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    args = ap.parse_args()
    if not (args.data / "ant-multisource").is_dir() or not (args.data / "saudinewsnet").is_dir():
        print(
            f"not found: ANT or SaudiNewsNet under {args.data} (set --data or MARSAD_SHARED)", file=sys.stderr
        )
        return 2
    archive = Archive(args.data)
    print(f"archive: {archive.n_ant:,} ANT + {archive.n_saudi:,} SaudiNewsNet articles per replica")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for n in (int(s) for s in args.sizes.split(",") if s):
            run_size(archive, n, args.batch, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
