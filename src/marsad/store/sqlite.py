"""The default store: one SQLite file in WAL mode.

WAL lets readers (the web app) work while one writer ingests. Every ``put_*`` call is one transaction,
so a Ctrl-C or ``kill -9`` loses at most the call in flight and a re-run completes it: sources already
stored with the same content hash are reported as unchanged and skipped.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from marsad.errors import (
    BUSY_TIMEOUT_ENV,
    DISK_FULL,
    NOTHING_LOST,
    StoreDamaged,
    StoreError,
    damaged,
    locked,
    read_only,
)
from marsad.model import Article
from marsad.store.dialect import SQLITE
from marsad.store.migrations import SQLITE_MIGRATIONS
from marsad.store.packing import pack, repack, repack_like, slice_of
from marsad.store.schema import PACK_FUNCTION, REPACK_FUNCTION, REPACK_LIKE_FUNCTION, SLICE_FUNCTION
from marsad.store.sql import PAGE, Cursor, SQLStore

T = TypeVar("T")
_MIN_SQLITE = (3, 30)  # upserts (3.24) and NULLS FIRST/LAST (3.30) in the shared queries


# primary SQLite result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another one ($MARSAD_BUSY_TIMEOUT)
OPEN_CHECK_ENV = "MARSAD_OPEN_CHECK_MB"
OPEN_CHECK_MB = 512.0  # stores up to this size get a full quick_check when opened for writing


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise StoreError(name, f"not a number: {raw!r}") from None


def _busy_timeout() -> float:
    return _env_float(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT)


def _no_space(path: Path) -> bool:
    try:
        return os.statvfs(path.parent if str(path.parent) else ".").f_bavail == 0
    except OSError:
        return False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# a story id and a storyline id ("st-"/"sl-" and 16 hex digits, :mod:`marsad.cluster`): the room an
# article row keeps for them until the story stage writes them (:meth:`SQLStore._assign`)
STORY_ROOM = 38
PAGE_SIZE = 16_384  # bytes a page of a new store
WAL_CHECKPOINT_BYTES = 4_096_000  # SQLite's default of 1,000 pages, at 4 KB pages
READER_MMAP = 256 * 1024 * 1024  # bytes of the file a reader maps (shared page cache, no read() copies)
READER_CACHE_KB = 16_000  # page cache per reader connection (SQLite's default is 2 MB)


class SQLiteStore(SQLStore):
    """The queries are :class:`~marsad.store.sql.SQLStore`'s; this class opens the file, migrates it and
    runs each write call as one ``BEGIN IMMEDIATE`` transaction (one writer at a time, readers go on)."""

    dialect = SQLITE
    latest_schema = max(v for v, _ in SQLITE_MIGRATIONS)
    article_extra = (("story_room", "zeroblob(?)"),)  # migration 15
    story_room = STORY_ROOM

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        if sqlite3.sqlite_version_info < _MIN_SQLITE:
            raise StoreError(
                str(path),
                f"needs SQLite {'.'.join(map(str, _MIN_SQLITE))} or newer (this Python has {sqlite3.sqlite_version})",
            )
        self.path = Path(path)
        self.readonly = readonly
        self.busy_timeout = _busy_timeout()
        if readonly and not self.path.exists():
            raise StoreError(str(path), "no such store (run `marsad ingest` first)")
        if not readonly and self.path.parent and not self.path.parent.exists():
            raise StoreError(str(path), f"folder {self.path.parent} does not exist")
        if not readonly and (why := self._why_read_only()) is not None:
            raise StoreError(str(path), read_only(why))  # before anything is parsed or connected
        err: StoreError | None = None
        try:
            self._open()
        except sqlite3.Error as e:
            err = self._mapped(e) or StoreError(str(path), f"not a Marsad store or corrupt ({e})")
        except StoreError as e:
            err = e
        if err is not None:  # raised here, outside the handler: the driver error is no retry hint
            with contextlib.suppress(Exception):
                self.db.close()
            raise err

    def _open(self) -> None:
        if self.readonly:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            if self._needs_immutable():
                self.db.close()
                self.db = sqlite3.connect(
                    f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
                )
        else:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.create_function(PACK_FUNCTION, 1, pack, deterministic=True)  # migration 6
            self.db.create_function(SLICE_FUNCTION, 3, slice_of, deterministic=True)  # migration 11
            self.db.create_function(REPACK_FUNCTION, 1, repack, deterministic=True)
            self.db.create_function(REPACK_LIKE_FUNCTION, 2, repack_like, deterministic=True)
        self.db.row_factory = sqlite3.Row
        self.db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        if not self.readonly:
            if not self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall():
                # a new store: rows of ~1.5 KB (articles) and KB-sized state values leave a quarter of
                # 4 KB pages empty; 16 KB pages keep them together (issue 13). Only settable before the
                # first table: an existing store keeps its page size until it is rebuilt (VACUUM)
                self.db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self.db.execute("PRAGMA journal_mode = WAL")
            # checkpoint after ~4 MB of WAL whatever the page size (SQLite's default is 1,000 pages: 16 MB
            # of WAL beside a store of 16 KB pages)
            page = int(self.db.execute("PRAGMA page_size").fetchone()[0])
            self.db.execute(f"PRAGMA wal_autocheckpoint = {max(1, WAL_CHECKPOINT_BYTES // page)}")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._open_check()
            self._migrate()
        else:
            # readers (the web app's threads): memory-mapped reads and a larger page cache, measured
            # 15–30 % off the SQL time of a search or story page
            self.db.execute(f"PRAGMA mmap_size = {READER_MMAP}")
            self.db.execute(f"PRAGMA cache_size = -{READER_CACHE_KB}")
            self.db.execute("SELECT 1 FROM articles LIMIT 1")
            known = self.latest_schema
            if self.schema_version() > known:
                raise StoreError(
                    str(self.path),
                    f"store schema v{self.schema_version()} is newer than this Marsad (v{known})",
                )

    def change_stamp(self) -> int | None:
        """Changes whenever another connection commits to this store (``PRAGMA data_version``)."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _needs_immutable(self) -> bool:
        """A reader of a store on a read-only medium (a mounted backup) where SQLite cannot create the
        ``-shm`` file that WAL readers share: nobody can be writing there, so read the file as immutable
        (only when no ``-wal`` holds commits the file lacks)."""
        try:
            self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            return False
        except sqlite3.OperationalError as e:
            if getattr(e, "sqlite_errorcode", 0) & 0xFF != _CANTOPEN or self._why_read_only() is None:
                return False
        wal = Path(f"{self.path}-wal")
        return not wal.exists() or wal.stat().st_size == 0

    def _open_check(self) -> None:
        """Refuse to write into a damaged file: ``PRAGMA quick_check`` (b-tree structure, page links,
        record formats; no index-content cross-check) before the first write. Measured 0.10-0.13 s warm,
        2.6-3.1 s cold (read from disk) on a 244 MB store of 30,303 ANT articles. Above
        ``$MARSAD_OPEN_CHECK_MB`` (default 512 MB) only the tables every write updates (``kv``,
        ``schema_version``) are checked, and ``marsad check`` is the full integrity check; ``0`` turns the
        check off."""
        limit = _env_float(OPEN_CHECK_ENV, OPEN_CHECK_MB)
        if limit <= 0 or not self.path.exists():
            return
        if self._size_bytes() <= limit * 1e6:
            rows = self.db.execute("PRAGMA quick_check(5)").fetchall()
        else:  # bounded: the small tables every write touches
            names = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            rows = [
                r
                for t in ("kv", "schema_version")
                if t in names
                for r in self.db.execute(f"PRAGMA quick_check({t})")
            ]
        lines = [
            ln for r in rows if r[0] != "ok" for ln in str(r[0]).splitlines() if not ln.startswith("***")
        ]
        if lines:
            more = f" and {len(lines) - 1} more" if len(lines) > 1 else ""
            raise StoreDamaged(str(self.path), damaged(f"quick_check: {lines[0]}{more}"))

    # ---- what a failure means to the user ----------------------------------------------------------

    def _why_read_only(self) -> str | None:
        """Why this store cannot be written (read-only file system, file or folder), or None."""
        folder = self.path.parent if str(self.path.parent) else Path(".")
        for p in (self.path, folder):
            try:
                if os.statvfs(p).f_flag & os.ST_RDONLY:
                    return "the store is on a read-only file system"
            except OSError:
                continue
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return f"the store file {self.path} is read-only"
        for side in (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            if side.exists() and not os.access(side, os.W_OK):
                return f"{side} is read-only"
        if not os.access(folder, os.W_OK):
            return f"the folder {folder} is read-only (SQLite keeps FILE-wal and FILE-shm beside the store)"
        return None

    def _mapped(self, e: sqlite3.Error) -> StoreError | None:
        """The :class:`StoreError` a storage failure means (full, read-only, locked, damaged, I/O), or
        None for another error (a bug, a value the database refuses), which goes up as it is."""
        code = getattr(e, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        where = str(self.path)
        if primary == _FULL:
            return StoreError(where, DISK_FULL)
        if primary in (_BUSY, _LOCKED):
            return StoreError(where, locked(self.busy_timeout))
        if primary == _NOTADB:
            return StoreDamaged(
                where, f"not a Marsad store or corrupt ({e}): check --db, or restore the file from a backup"
            )
        if primary == _CORRUPT:
            return StoreDamaged(where, damaged(str(e)))
        if primary in (_READONLY, _CANTOPEN, _PERM, _IOERR):
            why = self._why_read_only() if not self.readonly or primary != _READONLY else None
            if why is not None:
                return StoreError(where, read_only(why))
            if primary == _READONLY:
                return StoreError(where, read_only(f"the store cannot be written ({e})"))
            if primary == _IOERR and _no_space(self.path):
                return StoreError(where, DISK_FULL)
            if primary == _IOERR:
                return StoreError(
                    where,
                    f"input/output error ({e}): check the disk and run the same command again ({NOTHING_LOST})",
                )
            return StoreError(where, f"cannot open the store file ({e})")
        return None

    # ---- schema ---------------------------------------------------------------------------------

    def schema_version(self) -> int:
        try:
            row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return 0
            err = self._mapped(e)
            if err is None:
                raise
        else:
            return int(row[0] or 0)
        raise err

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)"
        )
        current = self.schema_version()
        known = self.latest_schema
        if current > known:
            raise StoreError(str(self.path), f"store schema v{current} is newer than this Marsad (v{known})")
        if current >= known:
            return
        # foreign keys off while migrating: a migration that rebuilds a table others refer to (version 13:
        # articles) drops the old one, which would otherwise delete or refuse the rows referring to it.
        # Each migration checks them itself before it commits.
        self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            for version, sql in SQLITE_MIGRATIONS:
                if version > current:
                    self._migrate_to(version, sql)
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")

    def _migrate_to(self, version: int, sql: str) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        if self.schema_version() >= version:  # another process migrated while we waited for the lock
            self.db.execute("COMMIT")
            return
        try:
            before = len(self.db.execute("PRAGMA foreign_key_check").fetchall())  # a damaged store's own
            for stmt in sql.split(";"):
                if stmt.strip():
                    self.db.execute(stmt)
            if len(self.db.execute("PRAGMA foreign_key_check").fetchall()) > before:
                raise StoreError(str(self.path), f"migration {version} would leave rows naming no row")
            self.db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    # ---- transactions and reads -------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction. SQLite may already have rolled back (disk full, I/O error): only roll
        back what is still open, so the user sees the real error."""
        self._check_writable()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the first error is the one to report
                    cur.execute("ROLLBACK")
            raise

    def _write(self, fn: Callable[[Cursor], T]) -> T:
        try:
            with self._tx() as cur:
                return fn(cur)
        except sqlite3.Error as e:
            err = self._mapped(e)
            if err is None:
                raise
        raise err  # outside the handler: a lock that outlasted the busy timeout is not retried again

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.db.execute(query, params).fetchall()
        except sqlite3.Error as e:
            err = self._mapped(e)
            if err is None:
                raise
        raise err

    def _pages(self, query: str, params: list[Any]) -> Iterator[list[Any]]:
        """One cursor over the listing (a consistent snapshot), read a page at a time."""
        err: StoreError | None = None
        try:
            cur = self.db.execute(query, [*params, 0])
            while rows := cur.fetchmany(PAGE):
                yield rows
        except sqlite3.Error as e:
            err = self._mapped(e)
            if err is None:
                raise
        if err is not None:
            raise err

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(str(self.path), "store opened read-only")

    @property
    def _label(self) -> str:
        return str(self.path)

    @property
    def index_path(self) -> Path:
        """``marsad.db`` → ``marsad.db.index`` (beside the store, so both move together)."""
        return self.path.with_name(self.path.name + ".index")

    def _article_extra_values(self, a: Article) -> tuple[Any, ...]:
        return self._room(a.story_id, a.storyline_id, a.duplicate_of)

    def _size_bytes(self) -> int:
        return sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if p.exists())

    def integrity_problems(self, limit: int = 20) -> list[str] | None:
        """What ``PRAGMA integrity_check`` and ``foreign_key_check`` find (empty: the file is sound)."""
        rows = self._read(f"PRAGMA integrity_check({int(limit)})")
        found = [
            ln for r in rows if r[0] != "ok" for ln in str(r[0]).splitlines() if not ln.startswith("***")
        ]
        for r in self._read("PRAGMA foreign_key_check")[:limit]:
            found.append(f"row {r[1]} of {r[0]} points at a missing row of {r[2]}")
        return found

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error as e:
            err = self._mapped(e)
            if err is None:
                raise
        else:
            return
        raise err
