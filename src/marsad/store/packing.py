"""Large text columns (article body and raw text) compressed on SQLite, transparently to every reader.

A SQLite column keeps whatever type it is given, so a compressed value is a BLOB (zlib, level 6: about a
third of the UTF-8 size of Arabic news text, ~20 µs to inflate an article) and an older or short value
stays TEXT; :func:`unpack` tells them apart by type, so stores written before the change read as before.
PostgreSQL already compresses long values itself (TOAST), so its dialect stores plain text.
Why zlib and not zstd: it is in the standard library and the ratio on these texts was within a few
percent; decompression is not on any hot path (pages read tens of articles).
"""

from __future__ import annotations

import zlib
from typing import Any

_MIN_CHARS = 128  # below this zlib's header costs more than it saves


def pack(text: str | None) -> str | bytes | None:
    """``text`` as stored: zlib bytes when that is smaller, else ``text`` itself."""
    if text is None or len(text) < _MIN_CHARS:
        return text
    raw = text.encode("utf-8")
    z = zlib.compress(raw, 6)
    return z if len(z) < len(raw) else text


def unpack(value: Any) -> Any:
    """What :func:`pack` stored, as text again (``None`` and text pass through)."""
    if isinstance(value, bytes | memoryview):
        return zlib.decompress(value).decode("utf-8")
    return value
