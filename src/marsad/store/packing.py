"""Large text columns (article body and raw text) compressed on SQLite, transparently to every reader.

A SQLite column keeps whatever type it is given, so a compressed value is a BLOB (zlib, level 6: about a
third of the UTF-8 size of Arabic news text, ~20 µs to inflate an article) and an older or short value
stays TEXT; :func:`unpack` tells them apart by type, so stores written before the change read as before.
PostgreSQL already compresses long values itself (TOAST), so its dialect stores plain text.
Why zlib and not zstd: it is in the standard library, and its preset dictionaries do what zstd's would.

Since schema version 11 two preset dictionaries shrink what is stored (zlib names the dictionary a value
was made with in its header, by Adler-32, so each value says how to read it and older values read as
before):

* a body is compressed with a dictionary of frequent news words (``data/packing/news-v1.dict``, built by
  ``scripts/build_pack_dict.py``): short texts gain most, 16 % on ANT bodies;
* a raw text, stored only where it differs from the body (a no-break space, a line the cleaner
  dropped), is compressed with the body as its dictionary: a few dozen bytes instead of a second copy.
"""

from __future__ import annotations

import zlib
from functools import cache
from typing import Any

from marsad.data import resource

_MIN_CHARS = 128  # below this zlib's header costs more than it saves
_FDICT = 0x20  # zlib header flag: a preset dictionary's Adler-32 follows the two header bytes
NEWS_DICT = ("packing", "news-v1.dict")


@cache
def news_dictionary() -> bytes:
    return resource(*NEWS_DICT).read_bytes()


@cache
def _news_id() -> int:
    return zlib.adler32(news_dictionary())


@cache
def _news_compressor() -> Any:
    """A compressor with the news dictionary loaded and nothing compressed yet: a copy of it gives the
    same bytes as a new one, in about half the time (loading the dictionary is most of a short value's
    cost)."""
    return zlib.compressobj(6, zdict=news_dictionary())


def pack(text: str | None, *, like: str | None = None) -> str | bytes | None:
    """``text`` as stored: zlib bytes when that is smaller, else ``text`` itself. ``like``: a text this
    one mostly repeats (the body, for a raw text), used as the dictionary instead of the news words."""
    if text is None or len(text) < _MIN_CHARS:
        return text
    raw = text.encode("utf-8")
    z = (
        _news_compressor().copy()
        if like is None
        else zlib.compressobj(6, zdict=like.encode("utf-8")[-32768:])
    )
    out = z.compress(raw) + z.flush()
    return out if len(out) < len(raw) else text


def unpack(value: Any, *, like: str | None = None) -> Any:
    """What :func:`pack` stored, as text again (``None`` and text pass through). ``like``: the text given
    to :func:`pack` (needed only by values made with it)."""
    if not isinstance(value, bytes | memoryview):
        return value
    data = bytes(value)
    if len(data) < 6 or not data[1] & _FDICT:
        return zlib.decompress(data).decode("utf-8")
    wanted = int.from_bytes(data[2:6], "big")
    if wanted == _news_id():
        zdict = news_dictionary()
    elif like is not None:
        zdict = like.encode("utf-8")[-32768:]
    else:
        raise ValueError("a value packed against another text was read without it")
    d = zlib.decompressobj(zdict=zdict)
    return (d.decompress(data) + d.flush()).decode("utf-8")


# ---- SQL functions of the version 11 migration (registered on every SQLite connection) -------------

_last_body: list[Any] = [None, ""]  # the last packed body sliced, unpacked: rows come an article at a time


def slice_of(value: Any, start: int | None, end: int | None) -> str | None:
    """``value[start:end]`` of a stored (maybe packed) text; None where offsets cannot name a slice."""
    if value is None or start is None or end is None or start < 0 or end < start:
        return None
    if _last_body[0] is not value and _last_body[0] != value:
        _last_body[0], _last_body[1] = value, unpack(value)
    text: str = _last_body[1]
    return text[start:end]


def repack(value: Any) -> Any:
    """A stored text compressed as :func:`pack` does now."""
    return pack(unpack(value))


def repack_like(value: Any, like: Any) -> Any:
    """A stored raw text compressed against its (stored) body."""
    return None if value is None else pack(unpack(value), like=unpack(like))
