"""Storage failures give one clear message and exit 2, with nothing lost: a full disk (SQLite and the search
index), a read-only file system or file, a store locked past the busy timeout, a damaged store file and a
damaged search index. The user-facing cases run the real CLI in subprocesses.

The full-disk and read-only cases mount a small tmpfs (or bind-mount read-only), so they need root; they
are skipped with the reason otherwise.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from marsad.errors import INDEX_DISK_FULL, IndexWriteError, StoreDamaged
from marsad.search.build import SYNC_FILE, read_sync_state, rebuild_index, sync_index
from marsad.store import open_store

from .conftest import ANT, SEEDS, need

pytestmark = pytest.mark.e2e  # runs the CLI in subprocesses on real mounts: outside the inner loop

# no progress lines: on a slow machine they would sit among the one error line the tests count
ENV = {**os.environ, "MARSAD_BUSY_TIMEOUT": "0.5", "COLUMNS": "200", "MARSAD_PROGRESS_EVERY": "3600"}
ENV.pop("MARSAD_DEBUG", None)


def marsad(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, env=env or ENV, timeout=600
    )


def one_clear_line(r: subprocess.CompletedProcess[str], *words: str) -> str:
    """The run failed with exit 2 and one ``marsad: WHERE: REASON`` line holding ``words``."""
    assert r.returncode == 2, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("marsad: ")]
    assert len(lines) == 1, r.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


@contextmanager
def mounted(target: Path, *opts: str) -> Iterator[Path]:
    """``target`` as a fresh mount (tmpfs with ``opts``), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (a full or read-only file system)")
    target.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", ",".join(opts) or "size=64m", "tmpfs", str(target))
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        pytest.skip(f"cannot mount a tmpfs here ({getattr(e, 'stderr', e)})")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@contextmanager
def read_only_bind(path: Path) -> Iterator[Path]:
    """``path`` (a file or a folder) bind-mounted read-only over itself."""
    if os.geteuid() != 0:
        pytest.skip("needs root to bind-mount read-only (root ignores file permissions)")
    try:
        _mount("--bind", str(path), str(path))
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        pytest.skip(f"cannot bind-mount here ({getattr(e, 'stderr', e)})")
    try:
        _mount("-o", "remount,ro,bind", str(path))
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and a few hundred ANT articles: a few MB of store and index."""
    need(SEEDS)
    files = sorted(p for p in need(ANT).rglob("*") if p.is_file() and p.suffix not in (".md",))[:400]
    d = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, d / "seeds")
    for i, f in enumerate(files):
        (d / "ant").mkdir(exist_ok=True)
        shutil.copy(f, d / "ant" / f"{i:04d}_{f.name}")
    return d


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the seeds (with its index), copied by each test that damages it."""
    db = tmp_path_factory.mktemp("seeded") / "seeds.db"
    r = marsad("ingest", str(need(SEEDS)), "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


def export(db: Path, out: Path) -> str:
    r = marsad("export", "--db", str(db), "--format", "jsonl", "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out.read_text(encoding="utf-8")


def copy_store(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    idx = src.with_name(src.name + ".index")
    if idx.exists():
        shutil.copytree(idx, dst.with_name(dst.name + ".index"))
    return dst


# ---- a full disk ---------------------------------------------------------------------------------------


def test_full_disk_one_message_then_a_rerun_completes(corpus: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.db"
    assert marsad("ingest", str(corpus), "--db", str(ref)).returncode == 0
    want = export(ref, tmp_path / "ref.jsonl")
    with mounted(tmp_path / "small", "size=3m") as mnt:
        db = mnt / "full.db"
        r = marsad("ingest", str(corpus), "--db", str(db))
        one_clear_line(r, "the disk is full", "run the same command again")
        assert "nothing stored so far was lost" in r.stderr or "the articles are stored" in r.stderr
        assert marsad("check", "--db", str(db)).returncode in (0, 1)  # readable, not damaged
        _mount("-o", "remount,size=256m", str(mnt))  # space freed
        r = marsad("ingest", str(corpus), "--db", str(db))
        assert r.returncode == 0, r.stderr
        assert export(db, tmp_path / "again.jsonl") == want
        r = marsad("check", "--db", str(db))
        assert r.returncode == 0, r.stdout


def test_index_write_on_a_full_disk_is_a_clear_error_and_keeps_the_index(
    seeded: Path, tmp_path: Path
) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    with mounted(tmp_path / "tiny", "size=1m") as mnt:
        st = open_store(str(db))
        try:
            (mnt / "filler").write_bytes(b"\0" * (1024 * 1024 - 8192))
            with pytest.raises(IndexWriteError) as e:
                rebuild_index(st, path=mnt / "x.index")
            assert e.value.reason == INDEX_DISK_FULL and isinstance(e.value, OSError)
            assert [p.name for p in mnt.iterdir()] == ["filler"]  # no half-built folder left
            (mnt / "filler").unlink()
            assert rebuild_index(st, path=mnt / "x.index").indexed == 8
        finally:
            st.close()


def test_index_swap_that_fails_keeps_the_old_index_and_no_new_folder(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    final = tmp_path / "s.db.index"
    before = sorted(p.name for p in final.iterdir())
    real_rename = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if ".new-" in self.name:  # the finished index moving in: the disk is full
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    st = open_store(str(db))
    try:
        with pytest.raises(IndexWriteError):
            rebuild_index(st, path=final)
    finally:
        st.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("s.db.index")) == ["s.db.index"]
    assert sorted(p.name for p in final.iterdir()) == before


def test_index_sync_on_a_full_disk_leaves_the_watermark(corpus: Path, seeded: Path, tmp_path: Path) -> None:
    with mounted(tmp_path / "m", "size=32m") as mnt:
        db = copy_store(seeded, mnt / "s.db")
        before = read_sync_state(mnt / "s.db.index")
        assert before is not None
        st = open_store(str(db))
        try:
            from marsad import service

            report = service.ingest([str(corpus / "ant")], st, analyzer=None)
            assert report.counts["new"] > 100
            free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
            (mnt / "filler").write_bytes(b"\0" * max(0, free - 4096))
            with pytest.raises(IndexWriteError) as e:
                sync_index(st)
            assert e.value.reason == INDEX_DISK_FULL
            assert read_sync_state(mnt / "s.db.index") == before  # only a commit moves it
            (mnt / "filler").unlink()
            assert sync_index(st).rev == st.current_rev()
        finally:
            st.close()
        assert (mnt / "s.db.index" / SYNC_FILE).exists()
        r = marsad("check", "--db", str(db))
        assert r.returncode == 0 and "marsad reanalyze --pending" in r.stdout, r.stdout  # the index is whole


# ---- read-only -----------------------------------------------------------------------------------------


def test_read_only_file_system(seeded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = copy_store(seeded, folder / "s.db")
    with read_only_bind(folder):
        one_clear_line(marsad("ingest", str(SEEDS), "--db", str(db)), "read-only", str(db))
        r = marsad("stats", "--db", str(db))  # reading a read-only medium works
        assert r.returncode == 0 and "articles" in r.stdout, r.stderr
        r = marsad("check", "--db", str(db))  # the store is sound; tantivy cannot open an index here
        assert r.returncode == 1 and "PROBLEM store" not in r.stdout and "read-only" in r.stdout, r.stdout


def test_read_only_store_file(seeded: Path, tmp_path: Path) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    if os.geteuid() == 0:
        with read_only_bind(db):
            one_clear_line(marsad("ingest", str(SEEDS), "--db", str(db)), "read-only")
    else:
        db.chmod(0o444)
        one_clear_line(marsad("ingest", str(SEEDS), "--db", str(db)), "read-only")
    assert marsad("stats", "--db", str(db)).returncode == 0


# ---- locked --------------------------------------------------------------------------------------------


def test_locked_store_past_the_busy_timeout(seeded: Path, tmp_path: Path, corpus: Path) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding on
    try:
        r = marsad("ingest", str(corpus / "ant"), "--db", str(db))
        one_clear_line(r, "locked by another process", "0.5 s", "MARSAD_BUSY_TIMEOUT")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert marsad("ingest", str(corpus / "ant"), "--db", str(db), "--no-analyze").returncode == 0


# ---- a damaged store -----------------------------------------------------------------------------------


def damage(db: Path, first_page: int, pages: int) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with db.open("r+b") as fh:
        fh.seek(size * first_page)
        fh.write(bytes([0xDE, 0xAD, 0xBE, 0xEF]) * (size * pages // 4))


@pytest.mark.parametrize("where", ["middle", "early"])
def test_damaged_store(seeded: Path, tmp_path: Path, where: str) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    con = sqlite3.connect(db)
    n = db.stat().st_size // con.execute("PRAGMA page_size").fetchone()[0]  # pages in the file
    con.close()
    damage(db, *((n // 2, 20) if where == "middle" else (3, n // 2)))
    r = marsad("check", "--db", str(db))
    assert r.returncode == 1 and "PROBLEM store integrity" in r.stdout and "damaged" in r.stdout, r.stdout
    assert "restore the store from a backup" in r.stdout
    one_clear_line(marsad("ingest", str(SEEDS), "--db", str(db)), str(db), "damaged", "marsad check")
    for cmd in ("stats", "articles", "export --format jsonl -o -"):
        r = marsad(*cmd.split(), "--db", str(db))
        if r.returncode:
            one_clear_line(r, "damaged")
        assert "internal error" not in r.stderr


def test_damaged_store_through_the_api(seeded: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.web import create_app

    db = copy_store(seeded, tmp_path / "s.db")
    damage(db, 3, db.stat().st_size // 4096 // 2)
    try:
        app = create_app(str(db))
    except StoreDamaged as e:  # found at start-up: `marsad serve` says so and exits 2
        assert "damaged" in e.reason
        return
    res = TestClient(app, raise_server_exceptions=False).get("/api/stats")
    assert res.status_code in (500, 503)
    assert "damaged" in res.json()["error"]


def test_quick_check_on_open_for_writing_can_be_turned_off(seeded: Path, tmp_path: Path) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    con = sqlite3.connect(db)
    n = db.stat().st_size // con.execute("PRAGMA page_size").fetchone()[0]  # pages in the file
    con.close()
    damage(db, n // 2, 20)
    with pytest.raises(StoreDamaged):
        open_store(str(db)).close()
    os.environ["MARSAD_OPEN_CHECK_MB"] = "0"
    try:
        open_store(str(db)).close()  # no check: opened (reads of a damaged page still say so)
    finally:
        del os.environ["MARSAD_OPEN_CHECK_MB"]


# ---- a damaged search index ----------------------------------------------------------------------------


def garble_segments(idx: Path, seed: int = 7) -> None:
    """Random bytes over every posting and term file but its footer, written in place (a server that
    has the files mapped reads them): the index still opens, queries that read them then fail."""
    rng = random.Random(seed)
    for f in sorted([*idx.glob("*.idx"), *idx.glob("*.term")]):
        n = max(0, f.stat().st_size - 64)
        with f.open("r+b") as fh:
            fh.write(bytes(rng.randrange(256) for _ in range(n)))


@pytest.mark.parametrize("how", ["truncated", "meta", "deleted", "garbled"])
def test_corrupt_index_is_reported_and_search_recovers(seeded: Path, tmp_path: Path, how: str) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    idx = db.with_name(db.name + ".index")
    if how == "truncated":
        for f in idx.glob("*.idx"):
            f.write_bytes(f.read_bytes()[:10])
    elif how == "meta":
        (idx / "meta.json").write_text("garbage{")
    elif how == "garbled":
        garble_segments(idx)
    else:
        for f in idx.glob("*.term"):
            f.unlink()
    r = marsad("check", "--db", str(db))
    assert r.returncode == 1 and "PROBLEM index" in r.stdout and "marsad reindex" in r.stdout, r.stdout
    r = marsad("search", "بوتين", "--db", str(db), "--json")
    assert r.returncode == 0 and r.stdout.strip(), r.stderr
    assert marsad("check", "--db", str(db)).returncode == 0


def test_index_damaged_under_a_running_server(seeded: Path, tmp_path: Path) -> None:
    """Damage that shows only at query time: search answers with the repair to run, pages that only
    use the index for counts or ordering still render, and a rebuilt index is picked up."""
    from fastapi.testclient import TestClient

    from marsad.web import create_app

    # random bytes can also decode as valid (empty) postings, a miss no reader can tell from a real
    # one; the writer lays segments out differently per run, so damage with seeds until it shows
    for seed in range(7, 27):
        db = copy_store(seeded, tmp_path / f"s{seed}.db")
        client = TestClient(create_app(str(db)), raise_server_exceptions=False)
        assert client.get("/api/search", params={"q": "بوتين"}).status_code == 200
        garble_segments(db.with_name(db.name + ".index"), seed)
        res = client.get("/api/search", params={"q": "بوتين"})
        if res.status_code != 200:
            break
    assert res.status_code == 500 and "marsad reindex" in res.json()["error"], res.text
    assert "Traceback" not in res.text
    assert client.get("/").status_code == 200
    assert client.get("/api/stats").status_code == 200
    page = client.get("/search", params={"q": "بوتين"})
    assert page.status_code == 200 and "marsad reindex" in page.text
    assert marsad("reindex", "--db", str(db)).returncode == 0
    res = client.get("/api/search", params={"q": "بوتين"})
    assert res.status_code == 200 and res.json()["total"] > 0, res.text


def test_check_reports_a_lagging_index(seeded: Path, tmp_path: Path, corpus: Path) -> None:
    db = copy_store(seeded, tmp_path / "s.db")
    st = open_store(str(db))
    try:
        from marsad import service

        service.ingest([str(corpus / "ant")], st, analyzer=None)  # stored, the index not synced
    finally:
        st.close()
    r = marsad("check", "--db", str(db), "--json")
    assert r.returncode == 1
    import json

    out = json.loads(r.stdout)
    assert not out["healthy"]
    (lag,) = [c for c in out["checks"] if c["area"] == "index" and c["check"] == "watermark"]
    assert not lag["ok"] and "behind" in lag["detail"] and "marsad reindex" in lag["fix"]
    assert marsad("reindex", "--db", str(db)).returncode == 0
    r = marsad("check", "--db", str(db))
    assert "PROBLEM index" not in r.stdout, r.stdout


def test_check_cannot_run_without_a_store(tmp_path: Path) -> None:
    one_clear_line(marsad("check", "--db", str(tmp_path / "none.db")), "no such store")
