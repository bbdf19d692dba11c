"""The whole pipeline as a user runs it: ``marsad ingest`` (parse, entities, quotes, stories) over the news sets.

    .venv/bin/python bench/bench_pipeline.py [--data ../shared/data/news] [--only ant|saudi] [--limit N]
                                             [--db PATH]

Runs ``marsad ingest --json`` in a child process over ANT (``ant-multisource``) and SaudiNewsNet
(``saudinewsnet/dataset``), analysis and stories on (the defaults), and prints documents, new articles,
failures (count and the first 20 lines), lines saying "internal error" and stage failures (both should be
0), wall and CPU seconds of the child, articles per second (wall and CPU) and the child's peak RSS.

``--limit N`` symlinks N files spread over every outlet and folder (at least one SaudiNewsNet zip when
that set is included) into a temporary folder and ingests that. The store is a temporary SQLite file
unless ``--db`` names one. ``--reingest`` runs the same ingest a second time over the same, unchanged
inputs and prints its CPU as a share of the first run's (issue 13: at most 10%). A benchmark, not a test: it never fails on timing. The exit status is 0 unless
internal errors appeared: a line saying "internal error", a failure line of the form ``STAGE: …`` from
parse, analysis, entities, quotes, stories or index (``quotes: IndexError: …``), or no report at all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "data" / "news"
SETS = {"ant": "ant-multisource", "saudi": "saudinewsnet/dataset"}
# Internal errors in failure lines: "quotes: IndexError: list index out of range" (see marsad.ingest.flow).
_INTERNAL = re.compile(r"^(?:parse|analysis|entities|quotes|stories|index): ")
_DOCS = {"README.md", "SOURCE.md"}


def _files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.name not in _DOCS and not p.name.startswith(".")
    )


def _spread(files: list[Path], n: int) -> list[Path]:
    """``n`` of ``files`` at an even stride, so every outlet and folder is represented."""
    if n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def _subset(roots: dict[str, Path], limit: int, into: Path) -> list[str]:
    """Symlink ``limit`` files, split over the sets by size (at least one each), under ``into``."""
    listed = {name: _files(root) for name, root in roots.items()}
    total = sum(len(v) for v in listed.values()) or 1
    share = {name: max(1, round(limit * len(v) / total)) for name, v in listed.items()}
    biggest = max(share, key=lambda k: len(listed[k]))
    share[biggest] = max(1, limit - sum(v for k, v in share.items() if k != biggest))
    inputs = []
    for name, files in listed.items():
        base = into / name
        for f in _spread(files, share[name]):
            link = base / f.relative_to(roots[name])
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(f)
        inputs.append(str(base))
    return inputs


def _marsad() -> list[str]:
    exe = Path(sys.executable).with_name("marsad")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "marsad"]


def _report(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and "documents" in obj:
                return obj
    return None


def run(inputs: list[str], db: str) -> tuple[int, float]:
    cmd = [*_marsad(), "ingest", *inputs, "--db", db, "--json"]
    print("$", " ".join(cmd), flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mb = after.ru_maxrss / 1024  # KB on Linux; the largest child waited for (only this one)

    rep = _report(proc.stdout) or {}
    raw_failures = list(rep.get("failures", []))
    failures = [f"{f.get('input')}: {f.get('reason')}" for f in raw_failures]
    # a stage failed on an article: "quotes: IndexError: …", "analysis: 1 offsets outside the text dropped"
    stage = [
        ln for ln, f in zip(failures, raw_failures, strict=True) if _INTERNAL.match(str(f.get("reason")))
    ]
    other = [ln for ln in proc.stdout.splitlines() if not ln.lstrip().startswith("{")]
    said = [ln for ln in failures + other + proc.stderr.splitlines() if "internal error" in ln.lower()]
    if not rep:
        said.append(f"marsad ingest exited {proc.returncode} without a JSON report")

    counts = {k: int(rep.get(k, 0) or 0) for k in ("new", "unchanged", "duplicate", "updated")}
    articles = sum(counts.values())
    others = ", ".join(f"{k} {v}" for k, v in counts.items() if k != "new")
    print(f"exit status        {proc.returncode}")
    print(f"documents          {rep.get('documents', 0)}")
    print(f"articles new       {counts['new']}  (all articles: {articles}; {others})")
    print(f"skipped            {rep.get('skipped', 0)}")
    notes = rep.get("notes", [])
    print(f"notes              {len(notes)}")
    for n in notes[:5]:
        print(f"    {n.get('input')}: {n.get('note')}")
    print(f"stories            {rep.get('stories', 0)} (new {rep.get('new stories', 0)})")
    print(f"failures           {len(failures)}")
    for f in failures[:20]:
        print(f"    {f}")
    print(f'lines with "internal error"   {len(said)}')
    for line in said[:20]:
        print(f"    {line}")
    print(f"stage failures (STAGE: ...)    {len(stage)}")
    for line in stage[:20]:
        print(f"    {line}")
    print(f"wall seconds       {wall:.1f}")
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    print(f"CPU seconds        {cpu:.1f} (child: user {user:.1f} + system {system:.1f})")
    print(f"articles/s wall    {articles / wall:.1f}" if wall > 0 else "articles/s wall    -")
    print(f"articles/s CPU     {articles / cpu:.1f}" if cpu > 0 else "articles/s CPU     -")
    print(f"peak RSS (child)   {peak_mb:.0f} MB")
    if not rep:
        tail = "\n".join((proc.stderr or proc.stdout).splitlines()[-20:])
        print(f"--- last output of the child ---\n{tail}")
    return (1 if said or stage else 0), cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the news folder (default: %(default)s)")
    ap.add_argument("--only", choices=sorted(SETS), help="one set only")
    ap.add_argument(
        "--limit", type=int, help="ingest N files spread over the set(s), symlinked into a temp folder"
    )
    ap.add_argument("--db", help="store path (default: a temporary SQLite file)")
    ap.add_argument(
        "--reingest", action="store_true", help="ingest the same inputs again and print the CPU ratio"
    )
    args = ap.parse_args()

    roots = {name: args.data / rel for name, rel in SETS.items() if args.only in (None, name)}
    missing = [str(p) for p in roots.values() if not p.is_dir()]
    if missing:
        print(f"not found: {', '.join(missing)} (set --data or MARSAD_SHARED)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        inputs = (
            _subset(roots, args.limit, Path(tmp) / "inputs")
            if args.limit
            else [str(p) for p in roots.values()]
        )
        db = args.db or str(Path(tmp) / "bench.db")
        status, first = run(inputs, db)
        if not args.reingest:
            return status
        print("--- again, the same inputs unchanged ---", flush=True)
        again_status, again = run(inputs, db)
        print(
            f"re-ingest CPU      {again:.1f} s = {100 * again / max(first, 1e-9):.1f}% of the first {first:.1f} s"
        )
        return status or again_status


if __name__ == "__main__":
    sys.exit(main())
