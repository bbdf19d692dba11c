"""Where documents come from: files, folders (recursive), zip and gzip archives, WARC files and URLs.

:func:`discover` turns what the user named into a stream of :class:`RawDocument` (bytes plus where they
came from). It never parses articles; it only opens containers. Problems with one input become
:class:`InputError` items in the stream, so one bad file never stops a batch.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import os
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from marsad.errors import FetchError, FormatError, InputError
from marsad.model import RawDocument, SourceRef

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # one article/page/JSON file; larger line-based files stream
# Documentation that sits beside data in folders: never an article.
SKIP_NAMES = ("README*", "LICENSE*", "LICENCE*", "SOURCE.md", "CHANGELOG*", "*.md", "*.py", "*.sh")

Item = RawDocument | InputError


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    url_timeout: float = 20.0


def discover(inputs: Iterable[str], limits: Limits | None = None) -> Iterator[Item]:
    lim = limits or Limits()
    for name in inputs:
        if name.startswith(("http://", "https://")):
            yield from _from_url(name, lim)
            continue
        path = Path(name)
        try:
            st = path.stat()
        except FileNotFoundError:
            yield InputError(name, "no such file or folder")
            continue
        except OSError as e:  # e.g. a path inside a folder we may not enter
            yield InputError(name, f"cannot read: {e.strerror or e}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, lim)
        elif stat.S_ISREG(st.st_mode):
            yield from _from_file(path, lim)
        else:
            yield InputError(name, "not a regular file or folder")


def count_files(inputs: Iterable[str]) -> int:
    """Number of files discover() will open (for progress bars); URLs count as one."""
    n = 0
    for name in inputs:
        p = Path(name)
        try:
            is_dir = p.is_dir()
        except OSError:
            is_dir = False
        n += sum(1 for _ in iter_folder(p)) if is_dir else 1
    return n


def _skipped(name: str) -> bool:
    return name.startswith(".") or any(fnmatch.fnmatch(name, pat) for pat in SKIP_NAMES)


def iter_folder(root: Path) -> Iterator[Path | InputError]:
    """The files under ``root`` in a stable order (sorted, hidden and documentation files left out); a
    folder that cannot be listed is an :class:`InputError` in the stream, not a silent gap."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        while errors:
            e = errors.pop(0)
            yield InputError(str(e.filename or dirpath), f"cannot read folder: {e.strerror or e}")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not _skipped(f):
                yield Path(dirpath) / f
    for e in errors:  # the root itself, or the last folder listed
        yield InputError(str(e.filename or root), f"cannot read folder: {e.strerror or e}")


def _walk(root: Path, lim: Limits) -> Iterator[Item]:
    for p in iter_folder(root):
        if isinstance(p, InputError):
            yield p
        else:
            yield from _from_file(p, lim)


def _from_file(path: Path, lim: Limits) -> Iterator[Item]:
    where = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            yield FormatError(where, "empty file")
            return
        with path.open("rb") as fh:
            head = fh.read(8)
        if size > lim.max_document_bytes:
            yield from _large_file(path, head, size, lim)
            return
        data = path.read_bytes()
    except OSError as e:
        yield InputError(where, f"cannot read: {e.strerror or e}")
        return
    yield from _expand(where, None, data, lim)


def _large_file(path: Path, head: bytes, size: int, lim: Limits) -> Iterator[Item]:
    """Files over the per-document limit are accepted only in formats that can be read record by record."""
    where = str(path)
    if head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b"):
        with path.open("rb") as fh:
            yield from _warc_records(where, fh, lim)
        return
    if head.lstrip().startswith(b"{"):
        yield from _jsonl_stream(path, lim)
        return
    mb = size / 1e6
    yield FormatError(
        where,
        f"file too large ({mb:.0f} MB; the limit for one document is "
        f"{lim.max_document_bytes / 1e6:.0f} MB; split it or use JSON Lines)",
    )


def _jsonl_stream(path: Path, lim: Limits) -> Iterator[Item]:
    where = str(path)
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if len(line) > lim.max_document_bytes:
                yield FormatError(f"{where}:{lineno}", "record too large")
                continue
            yield RawDocument(
                source=SourceRef(origin=where, record=f"line {lineno}", media_type="application/json"),
                data=line,
            )


def _expand(where: str, member: str | None, data: bytes, lim: Limits, depth: int = 0) -> Iterator[Item]:
    """Open containers (zip, gzip, WARC) and yield the documents inside; plain documents pass through."""
    label = f"{where}#{member}" if member else where
    if depth > 3:
        yield FormatError(label, "archives nested too deeply")
        return
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        yield from _zip(where, member, data, lim, depth)
        return
    if data.startswith(b"\x1f\x8b"):
        try:
            inner = _gunzip(data, lim.max_document_bytes * 4)
        except (OSError, EOFError, ValueError) as e:
            yield FormatError(label, f"corrupt gzip data ({e})")
            return
        if inner.startswith(b"WARC/"):
            yield from _warc_records(where, io.BytesIO(data), lim)
            return
        inner_member = (member or Path(where).name).removesuffix(".gz")
        yield from _expand(where, inner_member if member else None, inner, lim, depth + 1)
        return
    if data.startswith(b"WARC/"):
        yield from _warc_records(where, io.BytesIO(data), lim)
        return
    yield RawDocument(source=SourceRef(origin=where, member=member), data=data)


def _gunzip(data: bytes, limit: int) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        out = gz.read(limit + 1)
    if len(out) > limit:
        raise ValueError("decompressed size over the limit")
    return out


def _zip(where: str, member: str | None, data: bytes, lim: Limits, depth: int) -> Iterator[Item]:
    label = f"{where}#{member}" if member else where
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        yield FormatError(label, f"corrupt zip archive ({e})")
        return
    if not infos:
        yield FormatError(label, "empty zip archive")
        return
    for info in infos:
        name = info.filename
        if _skipped(Path(name).name):
            continue
        inner_label = f"{member}/{name}" if member else name
        if info.file_size > lim.max_document_bytes:
            yield FormatError(f"{where}#{inner_label}", "archive member too large")
            continue
        try:
            inner = zf.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as e:
            yield FormatError(f"{where}#{inner_label}", f"cannot extract ({e})")
            continue
        yield from _expand(where, inner_label, inner, lim, depth + 1)


def _warc_records(where: str, stream: io.BufferedIOBase | io.BytesIO, lim: Limits) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for rec in ArchiveIterator(stream):
            if rec.rec_type != "response":
                continue
            url = rec.rec_headers.get_header("WARC-Target-URI") or f"record {n}"
            ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else "") or ""
            status = rec.http_headers.get_statuscode() if rec.http_headers else "200"
            body = rec.content_stream().read(lim.max_document_bytes + 1)
            n += 1
            if status and not str(status).startswith("2"):
                continue
            if len(body) > lim.max_document_bytes:
                yield FormatError(f"{where}#{url}", "record too large")
                continue
            if not body.strip() or not any(t in ctype.lower() for t in ("html", "xml", "text", "json", "")):
                continue
            date = rec.rec_headers.get_header("WARC-Date")
            yield RawDocument(
                source=SourceRef(
                    origin=where, member=url, media_type=ctype.split(";")[0].strip() or "text/html"
                ),
                data=body,
                meta={"url": url, **({"warc_date": date} if date else {})},
            )
    except ArchiveLoadFailed as e:
        yield FormatError(where, f"malformed WARC ({e})")
    except (OSError, EOFError, ValueError) as e:
        yield FormatError(where, f"truncated or corrupt WARC after {n} records ({e})")


def _from_url(url: str, lim: Limits) -> Iterator[Item]:
    from marsad.ingest.fetch import USER_AGENT, fetch  # lazy: httpx is only needed for URLs

    got = fetch(
        url, headers={"User-Agent": USER_AGENT}, timeout=lim.url_timeout, max_bytes=lim.max_document_bytes
    )
    if got.timed_out:
        yield FetchError(url, f"timed out after {lim.url_timeout:.0f} s")
        return
    if got.error is not None:
        yield FetchError(url, got.error)
        return
    data, ctype = got.data, got.content_type
    if not data:
        yield FetchError(url, "empty response")
        return
    meta = {"url": url, "fetched": datetime.now(UTC).isoformat()}
    for item in _expand(url, None, data, lim):
        if isinstance(item, RawDocument) and ctype:
            charset = ctype.split("charset=")[-1].strip() if "charset=" in ctype else None
            yield RawDocument(
                source=SourceRef(
                    origin=item.source.origin,
                    member=item.source.member,
                    media_type=ctype.split(";")[0].strip(),
                    encoding=charset,
                ),
                data=item.data,
                meta={**item.meta, **meta},
            )
        else:
            yield item
