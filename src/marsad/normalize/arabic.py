"""Arabic normalization: the one place that decides which characters are "the same".

Two levels:

* :func:`clean_text` is safe for display: it removes invisible controls (zero-width, bidi marks, BOM)
  and unifies line breaks, nothing a reader would notice.
* :func:`normalize_text` builds matching keys: it also strips diacritics and tatweel, folds alef/hamza
  forms, alef maqsura, ta marbuta, hamza carriers, quote marks and Eastern Arabic digits, and lowercases
  Latin. It is for indexes and comparisons only, never for text a user reads.

Deletions are one regex and foldings are ``str.replace`` calls for the characters present: measured on
ANT text that is ~5× faster than ``str.translate`` with a dict (17 MB/s), which CPython does per char.
Short texts (words, names) take one ``str.translate`` instead, which wins there, and their keys are
memoised: the stages normalise the same words again and again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Zero-width and bidi controls, BOM, soft hyphen: invisible, but they split words for every matcher.
_INVISIBLE = (
    "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
# Harakat, Quranic marks, superscript alef, and tatweel.
DIACRITICS = (
    "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
)
TATWEEL = "\u0640"

QUOTE_MARKS = '"“”„‟«»‹›〝〞＂❝❞'
SINGLE_QUOTES = "‘’‚‛′`´"

_CLEAN_TABLE: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
_CLEAN_TABLE.update({ord("\r"): None, 0x2028: "\n", 0x2029: "\n", 0x00A0: " ", 0x202F: " "})


def _key_table() -> dict[int, str | None]:
    t: dict[int, str | None] = dict(_CLEAN_TABLE)
    for c in DIACRITICS + TATWEEL:
        t[ord(c)] = None
    for c in "أإآٱٲٳ":
        t[ord(c)] = "ا"
    t[ord("ى")] = "ي"
    t[ord("ی")] = "ي"  # Persian yeh
    t[ord("ک")] = "ك"  # Persian keheh
    t[ord("ة")] = "ه"
    t[ord("ؤ")] = "و"
    t[ord("ئ")] = "ي"
    t[ord("ء")] = None  # lone hamza: spelled or dropped freely (جزاء/جزا، شيء/شي)
    for c in QUOTE_MARKS:
        t[ord(c)] = '"'
    for c in SINGLE_QUOTES:
        t[ord(c)] = "'"
    for i in range(10):
        t[0x0660 + i] = str(i)  # Arabic-Indic
        t[0x06F0 + i] = str(i)  # Extended (Persian/Urdu)
    t[ord("،")] = ","
    t[ord("؛")] = ";"
    t[ord("؟")] = "?"
    t[ord("٪")] = "%"
    t[ord("٫")] = "."
    t[ord("٬")] = ","
    for c in "\t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u3000":
        t[ord(c)] = " "
    return t


_KEY_TABLE = _key_table()
_DELETE = re.compile("[" + re.escape("".join(chr(k) for k, v in _KEY_TABLE.items() if v is None)) + "]")
_FOLDS = tuple((chr(k), v) for k, v in _KEY_TABLE.items() if v is not None)
_INVISIBLE_RX = re.compile("[" + re.escape(_INVISIBLE + "\r") + "\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\x0b\x0c]")  # vertical tab and form feed: line breaks
_SPACES = re.compile(r"[ \t\u00a0]+")
_ALL_WS = re.compile(r"\s+")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def has_presentation_forms(text: str) -> bool:
    """Does ``text`` hold contextual glyphs (ﻻ ﺑ ...)? Only then does :func:`normalize_text` apply NFKC, so
    only then may the key of a text differ from the keys of its words put together."""
    return _PRESENTATION_FORMS.search(text) is not None


def clean_text(text: str) -> str:
    """Remove invisible controls, terminal control characters (ESC, C0 and C1: a news item must not
    drive the reader's terminal) and carriage returns; keep everything a reader sees."""
    text = _INVISIBLE_RX.sub("", text)
    if "\x0b" in text or "\x0c" in text:
        text = _BREAKS.sub("\n", text)
    if "\u2028" in text or "\u2029" in text or "\u00a0" in text or "\u202f" in text:
        text = text.translate(_CLEAN_TABLE)
    return text


# Keys of short texts (words, names, cue phrases), memoised: the analysis and story stages normalise the
# same few ten thousand words over and over (about 5 µs each uncached, 0.1 µs from here). Bounded: the
# table is emptied when full (about 200 bytes an entry: 27 MB at most).
SHORT_TEXT = 40
_SHORT_KEYS: dict[str, str] = {}
_SHORT_KEYS_MAX = 1 << 17


def normalize_text(text: str, *, keep_lines: bool = False) -> str:
    """Matching key for ``text`` (idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``)."""
    if len(text) <= SHORT_TEXT and not keep_lines:
        key = _SHORT_KEYS.get(text)
        if key is None:
            if len(_SHORT_KEYS) >= _SHORT_KEYS_MAX:
                _SHORT_KEYS.clear()
            key = _SHORT_KEYS[text] = _normalize_short(text)
        return key
    return _normalize_long(text, keep_lines)


def _normalize_long(text: str, keep_lines: bool) -> str:
    if _PRESENTATION_FORMS.search(text):
        # Legacy encodings and PDFs produce contextual glyphs (ﻻ ﺑ ...); NFKC maps them back to letters.
        text = unicodedata.normalize("NFKC", text)
    text = _DELETE.sub("", text)
    for ch, rep in _FOLDS:
        if ch in text:
            text = text.replace(ch, rep)
    text = text.lower()
    if keep_lines:
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _ALL_WS.sub(" ", text).strip()


def _normalize_short(text: str) -> str:
    """:func:`normalize_text` of a short text: one ``str.translate`` does the deletions and the foldings
    (the same result: no folded character is itself folded or deleted; on a word it is 4x faster than the
    regex and the replacements, which win on long texts)."""
    if _PRESENTATION_FORMS.search(text):
        text = unicodedata.normalize("NFKC", text)
    return _ALL_WS.sub(" ", text.translate(_KEY_TABLE).lower()).strip()


def normalize_each(texts: Sequence[str]) -> list[str]:
    """``[normalize_text(t) for t in texts]`` for texts without line breaks (the sentences of a body), in
    one pass over their concatenation, which is exact when no text holds contextual glyphs (NFKC would
    then apply to all or none) or a character that folds to a line break. Each call has a fixed cost
    (about 10 µs) that dominates on sentences."""
    joined = "\n".join(texts)
    if len(texts) < 2 or _PRESENTATION_FORMS.search(joined) or "\u2028" in joined or "\u2029" in joined:
        return [normalize_text(t) for t in texts]
    lines = normalize_text(joined, keep_lines=True).split("\n")
    if len(lines) != len(texts):  # a text held a line break after all
        return [normalize_text(t) for t in texts]
    # per line, keep_lines collapsed spaces and tabs only: the other white space as normalize_text does
    return [_ALL_WS.sub(" ", line).strip() for line in lines]


def search_text(title: str | None, body: str) -> str:
    """The normalized ``title`` + ``body`` an article is matched on (``Article.search_text``): derived, so
    the stores do not keep it (it was a fifth of a SQLite store) and rebuild it on read."""
    return f"{normalize_text(title or '')}\n{normalize_text(body, keep_lines=True)}"


def strip_diacritics(text: str) -> str:
    """Remove harakat and tatweel only (display-friendly search snippets)."""
    return text.translate({ord(c): None for c in DIACRITICS + TATWEEL})


def fold_digits(text: str) -> str:
    """Eastern Arabic digits to ASCII, leaving the rest untouched."""
    return text.translate({0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)})


@lru_cache(maxsize=1 << 18)
def normalize_word(word: str) -> str:
    """:func:`normalize_text` of one word, cached: hot loops normalize the same few thousand words."""
    return normalize_text(word)
