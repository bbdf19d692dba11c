"""Errors Marsad reports to users.

    MarsadError                 every error carries ``where`` (file, URL, id) and ``reason``
    ├── InputError              one input could not be read or parsed; the batch goes on
    │   ├── FetchError          a URL could not be fetched
    │   ├── FormatError         bytes are not a supported, well-formed document
    │   └── NotNews             a well-formed file that holds no articles (metadata JSON): skipped
    ├── ConfigError             a data or settings file is malformed (KB, markers, cues)
    ├── StoreError              the store cannot be opened, migrated or written
    │   ├── StoreDamaged        the store file (or the search index) is damaged: restore or rebuild it
    │   └── IndexWriteError     the search index cannot be written (disk full, read-only); also an OSError
    └── NotFound                an id or name that the store does not hold

The CLI prints ``where: reason`` on one line and the API maps each class to an HTTP status.
"""

from __future__ import annotations


class MarsadError(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class InputError(MarsadError):
    pass


class FetchError(InputError):
    pass


class FormatError(InputError):
    pass


class NotNews(InputError):
    pass


class ConfigError(MarsadError):
    pass


class StoreError(MarsadError):
    pass


class StoreDamaged(StoreError):
    pass


class IndexWriteError(StoreError, OSError):
    """The search index could not be written. Also an :class:`OSError` (``errno``, ``strerror``), so a
    caller that leaves a stale index in place when it cannot be updated treats it like any file error."""

    def __init__(self, where: str, reason: str, code: int | None = None) -> None:
        StoreError.__init__(self, where, reason)
        self.errno = code
        self.strerror = reason
        self.filename = where

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class NotFound(MarsadError):
    pass


# ---- storage failures: one plain reason each (SQLite, PostgreSQL and the search index say the same) ----

NOTHING_LOST = "nothing stored so far was lost"
DISK_FULL = f"the disk is full: free space and run the same command again ({NOTHING_LOST})"
INDEX_DISK_FULL = (
    "the disk is full: the search index was not updated (the articles are stored, and the index is "
    "intact); free space and run the same command again, or `marsad reindex`"
)
BUSY_TIMEOUT_ENV = "MARSAD_BUSY_TIMEOUT"  # seconds a SQLite writer waits for another one (default 10)


def read_only(what: str) -> str:
    return f"{what}: make it writable (or use another --db) and run the same command again ({NOTHING_LOST})"


def locked(seconds: float) -> str:
    return (
        f"the store is locked by another process (still busy after {seconds:g} s): run the same command "
        f"again when it has finished ({NOTHING_LOST}; {BUSY_TIMEOUT_ENV}=SECONDS waits longer)"
    )


def damaged(detail: str) -> str:
    detail = " ".join(detail.split())[:200]
    return (
        f"the store file is damaged ({detail}); nothing is written into a damaged store: run `marsad check` "
        "for details, then restore the file from a backup (or ingest the sources again into a new store)"
    )


def os_error_reason(e: OSError) -> str | None:
    """The plain reason for a file-system failure worth naming (full, read-only, no permission)."""
    return errno_reason(e.errno, e.filename)


def errno_reason(code: int | None, filename: object = None) -> str | None:
    import errno

    if code in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL
    if code == errno.EROFS:
        return read_only("the file system is read-only")
    if code in (errno.EACCES, errno.EPERM):
        return read_only(f"permission denied{f' on {filename}' if filename else ''}")
    return None


def describe(stage: str, e: BaseException) -> str:
    """``stage: ExceptionType: message`` (one line, bounded) for an unexpected exception in a stage."""
    msg = " ".join(str(e).split())[:300]
    return f"{stage}: {type(e).__name__}: {msg}" if msg else f"{stage}: {type(e).__name__}"
