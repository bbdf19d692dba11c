"""Killed at any point and re-run, an ingest (analysis and stories on) ends with the same store as an
uninterrupted one.

A driver runs the real ingest path (``service.ingest`` + ``after_ingest``, as ``marsad ingest`` does, with
small batches so there are many transactions) and SIGKILLs itself right after the N-th committed write
transaction of the store (or of the search index, before and after its watermark is saved), for
N = 1, 2, … up to the number a whole run makes. After each kill the same ingest is run
again to completion and the whole store is compared with the reference: articles with their mentions,
quotes, analysis state and story fields, story records, and what search finds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ANT, SEEDS, need

_DRIVER = r"""
import os, signal, sys
from contextlib import contextmanager

kill_after = int(sys.argv[3])
commits = 0

def point():
    global commits
    commits += 1
    if kill_after and commits >= kill_after:
        os.kill(os.getpid(), signal.SIGKILL)

from marsad.store import sqlite as sq
from marsad.search import build

_tx = sq.SQLiteStore._tx

@contextmanager
def counted(self):
    with _tx(self) as cur:
        yield cur
    point()  # after every committed store transaction

sq.SQLiteStore._tx = counted
_sync = build._write_sync_state

def sync_state(*args, **kw):
    point()  # the index committed, its watermark not yet written
    _sync(*args, **kw)
    point()

build._write_sync_state = sync_state

from marsad import service
from marsad.pipeline import build_analyzer
from marsad.store import open_store

store = open_store(sys.argv[1])
report = service.ingest(sys.argv[2].split(os.pathsep), store, analyzer=build_analyzer(), batch_size=3)
service.after_ingest(store, report)
store.close()
print("COMPLETED", commits)
"""


def _run(db: Path, inputs: list[str], kill_after: int) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", _DRIVER, str(db), os.pathsep.join(inputs), str(kill_after)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _snapshot(db: Path) -> dict[str, Any]:
    from marsad.search import open_index, run_search
    from marsad.store import open_store

    st = open_store(str(db), readonly=True)
    try:
        arts = []
        for a in st.iter_articles():
            arts.append(
                (
                    a.id,
                    a.source.key,
                    a.analysis.value,
                    a.story_id,
                    a.storyline_id,
                    a.duplicate_of,
                    [(m.start, m.end, m.entity_id) for m in a.mentions],
                    [
                        (q.start, q.end, q.stance.value, q.speaker.entity_id if q.speaker else None)
                        for q in a.quotes
                    ],
                )
            )
        stories = [
            (s.id, s.title, sorted(s.article_ids), s.storyline_id, list(s.summary))
            for s in st.iter_stories(min_size=0)
        ]
        index = open_index(st)
        hits = {
            q: sorted(h.article_id for h in run_search(st, index, q, limit=100).hits)
            for q in ("بوتين", "قال")
        }
        return {"articles": sorted(arts), "stories": sorted(stories), "search": hits}
    finally:
        st.close()


@pytest.mark.e2e
def test_killed_after_every_transaction_a_rerun_ends_like_one_run(tmp_path: Path) -> None:
    inputs = [str(p) for p in sorted(need(SEEDS).glob("*.txt"))]
    if ANT.exists():  # more articles, more batches, and stories of several outlets
        inputs += [str(p) for p in sorted(ANT.rglob("*"))[:40] if p.is_file()][:12]
    ref_db = tmp_path / "ref.db"
    done = _run(ref_db, inputs, 0)
    assert done.returncode == 0 and "COMPLETED" in done.stdout, done.stderr
    total = int(done.stdout.split()[-1])
    assert total >= 6, done.stdout  # migrations, several article batches, the story run
    reference = _snapshot(ref_db)
    assert reference["articles"] and reference["stories"]
    for k in range(1, total + 1):
        db = tmp_path / f"k{k}.db"
        killed = _run(db, inputs, k)
        assert killed.returncode == -9, (k, killed.stdout, killed.stderr)
        again = _run(db, inputs, 0)
        assert again.returncode == 0, (k, again.stderr)
        got = _snapshot(db)
        assert got["articles"] == reference["articles"], f"killed after commit {k}: articles differ"
        assert got["stories"] == reference["stories"], f"killed after commit {k}: stories differ"
        assert got["search"] == reference["search"], f"killed after commit {k}: search differs"
    assert json.dumps(reference, ensure_ascii=False)  # the reference itself is serialisable (no objects)
