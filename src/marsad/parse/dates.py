"""Publication dates in the forms Arabic news pages use.

Our own patterns handle the frequent forms quickly and deterministically (ISO, "5th, September 2025 GMT",
"الجمعة 26 يناير 2024", Levantine and Maghrebi month names, "مارس/آذار", Eastern Arabic digits, RFC 2822
feed dates). Anything else goes to dateparser with explicit languages and the ar-SY locale: left to
auto-detect it takes ~85 ms a parse and misses Levantine months (research/deps-probe.md §4).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from marsad.normalize.arabic import normalize_text

# Normalized spellings (normalize_text folds hamza forms and ta marbuta) → month number.
_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "يناير كانون الثاني جانفي january jan",
        "فبراير شباط فيفري february feb",
        "مارس اذار march mar",
        "ابريل ابرل نيسان افريل april apr",
        "مايو ايار ماي may",
        "يونيو يونيه حزيران جوان june jun",
        "يوليو يوليه تموز جويليه جويلية july jul",
        "اغسطس اب اوت غشت august aug",
        "سبتمبر ايلول شتنبر september sep sept",
        "اكتوبر تشرين الاول october oct",
        "نوفمبر تشرين الثاني نونبر november nov",
        "ديسمبر كانون الاول دجنبر december dec",
    ],
    start=1,
):
    words = _names.split()
    i = 0
    while i < len(words):
        # two-word Levantine names
        if words[i] in ("كانون", "تشرين") and i + 1 < len(words):
            _MONTHS[normalize_text(words[i] + " " + words[i + 1])] = _num
            i += 2
        else:
            _MONTHS[normalize_text(words[i])] = _num
            i += 1

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAYS = "السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|saturday|sunday|monday|tuesday|wednesday|thursday|friday"

_TIME = r"(?:\s*(?:[-–,،]|at)?\s*(?P<h>\d{1,2})[:](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>ص|م|am|pm|صباحا|مساء)?)?"
_TZ = r"(?:\s*(?P<tz>gmt|utc|z|بتوقيت\s+غرينتش|[+-]\d{2}:?\d{2}))?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[t ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.\d+)?(?P<tz>z|[+-]\d{2}:?\d{2})?)?"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*(?:من\s+)?(?P<mon>{_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?"
    rf"\s*[,،]?\s*(?P<y>\d{{4}}){_TIME}{_TZ}"
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?P<mon>{_MONTH_ALT})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}}){_TIME}{_TZ}"
)
_NUMERIC = re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})" + _TIME)
_YMD_SLASH = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME)


def _tz(value: str | None) -> timezone | None:
    if not value:
        return None
    v = value.strip()
    if v in ("gmt", "utc", "z") or v.startswith("بتوقيت"):
        return UTC
    sign = 1 if v[0] == "+" else -1
    digits = v[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def _build(y: int, mo: int, d: int, m: re.Match[str]) -> datetime | None:
    g = m.groupdict()
    hour = int(g["h"]) if g.get("h") else 0
    minute = int(g["mi"]) if g.get("mi") else 0
    sec = int(g["s"]) if g.get("s") else 0
    ampm = g.get("ampm")
    if ampm in ("م", "pm", "مساء") and hour < 12:
        hour += 12
    elif ampm in ("ص", "am", "صباحا") and hour == 12:
        hour = 0
    try:
        return datetime(y, mo, d, hour, minute, sec, tzinfo=_tz(g.get("tz")))
    except ValueError:
        return None


def _plausible(dt: datetime | None) -> datetime | None:
    if dt is None or not 1900 <= dt.year <= 2100:
        return None
    return dt


@lru_cache(maxsize=4096)
def parse_date(text: str, *, fallback: bool = True) -> datetime | None:
    """Parse a date expression; ``None`` when nothing date-like is found.

    Returns an aware datetime when the text names a zone (GMT, +0400), otherwise a naive one.
    """
    if not text or len(text) > 200:
        return None
    t = normalize_text(text)
    m = _ISO.search(t)
    if m:
        return _plausible(_build(int(m["y"]), int(m["m"]), int(m["d"]), m))
    for rx in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        m = rx.search(t)
        if m:
            return _plausible(_build(int(m["y"]), _MONTHS[m["mon"]], int(m["d"]), m))
    m = _YMD_SLASH.search(t)
    if m:
        return _plausible(_build(int(m["y"]), int(m["m"]), int(m["d"]), m))
    m = _NUMERIC.search(t)
    if m:  # Arabic pages write day/month/year
        return _plausible(_build(int(m["y"]), int(m["m"]), int(m["d"]), m))
    try:
        return _plausible(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser_fallback(t) if fallback else None


def _dateparser_fallback(t: str) -> datetime | None:
    if not re.search(r"\d", t):
        return None  # a bare weekday or word: not a publication date
    import dateparser  # imported lazily: it costs ~0.5 s at start-up

    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}
    for kwargs in ({"languages": ["ar", "en"]}, {"locales": ["ar-SY"]}):
        try:
            dt = dateparser.parse(t, settings=settings, **kwargs)  # type: ignore[arg-type]
        except Exception:  # dateparser raises assorted errors on odd input
            dt = None
        if dt is not None:
            return _plausible(dt)
    return None


def looks_like_date(text: str) -> bool:
    """True when ``text`` is mostly a date (used to recognise date-only lines)."""
    if len(text) > 80 or not _DIGIT.search(text):
        return False
    t = normalize_text(text)
    stripped = _WEEKDAY_RX.sub("", t).strip(" ,،-–")
    # the whole line must be the date: our own patterns only (a body line with a number is not a date)
    return parse_date(stripped, fallback=False) is not None and len(stripped.split()) <= 8


_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_WEEKDAY_RX = re.compile(rf"\b(?:{_WEEKDAYS})\b")


def to_date(dt: datetime | None) -> date | None:
    return dt.date() if dt is not None else None
