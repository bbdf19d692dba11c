"""The SQLite store: idempotent re-ingest, duplicates, updates, migrations, crash consistency."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from marsad import service
from marsad.errors import StoreError
from marsad.store import PutStatus, open_store
from marsad.store.sqlite import SQLiteStore

from . import docs
from .conftest import ANT, PY, REPO, SEEDS, need


def test_reingest_is_idempotent(store: SQLiteStore) -> None:
    r1 = service.ingest([str(need(SEEDS))], store)
    assert r1.counts["new"] == 8 and r1.failed == 0
    r2 = service.ingest([str(SEEDS)], store)
    assert r2.counts["unchanged"] == 8 and r2.counts["new"] == 0
    assert store.count_articles() == 8


def test_same_content_elsewhere_is_a_duplicate(store: SQLiteStore, tmp_path: Path) -> None:
    a = docs.write(tmp_path / "a" / "x.txt", f"{docs.TITLE}\n{docs.BODY}")
    b = docs.write(tmp_path / "b" / "copy.txt", f"{docs.TITLE}\n{docs.BODY}\n")
    service.ingest([str(a)], store)
    r = service.ingest([str(b)], store)
    assert r.counts["duplicate"] == 1 and store.count_articles() == 1
    assert store.has_source(f"{b}@0")


def test_changed_source_is_updated_and_replaces_the_old_version(store: SQLiteStore, tmp_path: Path) -> None:
    p = docs.write(tmp_path / "x.txt", f"{docs.TITLE}\n{docs.BODY}")
    service.ingest([str(p)], store)
    p.write_text(f"{docs.TITLE}\n{docs.BODY}\nفقرة جديدة أضيفت لاحقا.", encoding="utf-8")
    r = service.ingest([str(p)], store)
    assert r.counts["updated"] == 1 and store.count_articles() == 1
    (a,) = store.iter_articles()
    assert a.body.endswith("فقرة جديدة أضيفت لاحقا.")


def test_put_statuses_and_round_trip(store: SQLiteStore) -> None:
    from marsad.ingest.sources import discover
    from marsad.parse import parse_document

    (raw,) = list(discover([str(need(SEEDS) / "001_272ad88f982d3529.txt")]))
    arts = parse_document(raw).articles  # type: ignore[arg-type]
    assert [o.status for o in store.put_articles(arts)] == [PutStatus.NEW, PutStatus.NEW]
    got = store.get_article(arts[0].id)
    assert got is not None and got == arts[0]
    assert store.get_article(arts[0].id[:8]) == got  # unique prefix


def test_migrations_are_recorded_and_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    s = open_store(str(path))
    v = s.schema_version()
    s.close()
    assert v >= 2
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (999, 'future')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(str(path))


def test_not_a_store(tmp_path: Path) -> None:
    bad = docs.write(tmp_path / "x.db", b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Marsad store"):
        open_store(str(bad))
    with pytest.raises(StoreError, match="no such store"):
        open_store(str(tmp_path / "missing.db"), readonly=True)


@pytest.mark.e2e
def test_kill_9_mid_ingest_leaves_a_consistent_store_and_a_rerun_completes(tmp_path: Path) -> None:
    files = sorted(need(ANT).glob("SkyNews/*/*.txt"))[:1500]
    listing = tmp_path / "inputs"
    for i, f in enumerate(files):
        (listing / str(i % 7)).mkdir(parents=True, exist_ok=True)
        (listing / str(i % 7) / f.name).symlink_to(f)
    db = tmp_path / "k.db"
    cmd = [PY, "-m", "marsad", "ingest", str(listing), "--db", str(db), "--no-analyze", "--json"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until some batches are committed, then kill hard
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=1)
                n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                n = 0
            if n >= 200:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n_art, n_src = con.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sources)"
    ).fetchone()
    orphans = con.execute(
        "SELECT count(*) FROM sources WHERE article_id NOT IN (SELECT id FROM articles)"
    ).fetchone()
    con.close()
    assert 0 < n_art < len(files) and orphans[0] == 0 and n_src >= n_art
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    s = open_store(str(db), readonly=True)
    total = s.stats().sources
    s.close()
    assert total == len(files)


def test_shipped_migrations_are_frozen() -> None:
    """The tables are declared once (store/schema.py) and rendered per backend; a shipped migration must
    keep creating exactly what it created (these fingerprints were taken when the rendered DDL was checked
    to build the same schema, column by column, as the literal DDL it replaced). Add a migration instead
    of changing the declaration of a shipped table."""
    import hashlib

    from marsad.store.migrations import SQLITE_MIGRATIONS
    from marsad.store.pg_migrations import PG_MIGRATIONS

    def prints(ms: list[tuple[int, str]]) -> dict[int, str]:
        return {v: hashlib.sha256(" ".join(s.split()).encode()).hexdigest()[:16] for v, s in ms}

    shipped_sqlite = {
        1: "cc9e3cbe1bba8f07",
        2: "6472c7db57c9ca91",
        3: "0363ab40fd160a24",
        4: "add49aeca1015081",
        5: "7befc1f6c48ddbb0",
        6: "1cb856132b744c1b",
    }
    shipped_pg = {
        1: "b58f8d5ead8c88aa",
        2: "c2a12fa596f40411",
        3: "2c0be6b2c548d852",
        4: "7befc1f6c48ddbb0",
        5: "64b5a3afabcbc39d",
    }
    assert {v: h for v, h in prints(SQLITE_MIGRATIONS).items() if v in shipped_sqlite} == shipped_sqlite
    assert {v: h for v, h in prints(PG_MIGRATIONS).items() if v in shipped_pg} == shipped_pg
