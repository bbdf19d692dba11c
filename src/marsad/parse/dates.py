"""Publication dates in the forms Arabic news pages write them, with how precise they are.

:func:`scan_dates` finds every date expression in a line or a lead and says what it is: the day, the
precision (``day``, ``month``, ``year``), the calendar, where it stands. Forms: ISO stamps (also month-only,
`` date 2021-07``), numeric dates in either order of day and year (``21-03-2020``, ``11.04.2024 09:30``,
``1436/10/30``), month names of every region (``يناير``, ``كانون الثاني``, ``جانفي``, ``يوليوز``, ``دجنبر``),
paired names (``مارس/آذار``, ``أغسطس (آب)``), Eastern digits, ``الموافق 12 من مارس عام 2023``, a time
with ``صباحاً``/``مساءً``, Hijri dates (converted with hijridate, checked against a Gregorian twin), a
day and month without a year (resolved against a reference time, else left unresolved: the year is
unknown), and relative days (``اليوم الاثنين``, ``أمس``) against a reference time.

Honesty rules: nothing after ``now`` (the time of ingest) is returned as a date — :func:`read_date` drops
it and :func:`scan_dates` marks it ``future``; a year-less or relative expression without a reference
time stays unresolved. The word lists are ``data/dates.yaml``. Anything our patterns do not know goes to
dateparser (explicit languages, ar-SY locale: auto-detect costs ~85 ms a parse) when asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from marsad.data import load_yaml, resource
from marsad.normalize.arabic import normalize_text

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)
# A local time can be up to 14 hours ahead of UTC: a naive date up to then is not in the future.
_AHEAD = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class DateFound:
    """One date expression: its value (the first day of the month or year when less precise)."""

    value: datetime
    precision: str  # day | month | year
    start: int  # offsets into the text given to scan_dates
    end: int
    form: str  # which pattern: iso, numeric, named, hijri, relative, rfc, ...
    calendar: str = "gregorian"  # or hijri
    future: bool = False  # after the time of ingest: never a publication date
    note: str | None = None  # e.g. a Hijri date that disagrees with its Gregorian twin


@dataclass(frozen=True)
class _Words:
    months: dict[str, int]
    hijri: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    render_stamps: tuple[str, ...]
    date_markers: tuple[str, ...]
    connectors: frozenset[str]


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _words() -> _Words:
    d = load_yaml(resource("dates.yaml").read_text(encoding="utf-8"))

    def index(groups: list[list[str]], base: int) -> dict[str, int]:
        return {normalize_text(w): i + base for i, names in enumerate(groups) for w in names}

    return _Words(
        months=index(d["months"], 1),
        hijri=index(d["hijri_months"], 1),
        weekdays=index(d["weekdays"], 0),
        relative={normalize_text(k): int(v) for k, v in d["relative_days"].items()},
        render_stamps=tuple(normalize_text(w) for w in d["render_stamps"]),
        date_markers=tuple(normalize_text(w) for w in d["date_markers"]),
        connectors=frozenset(normalize_text(w) for w in d.get("connectors", ())),
    )


# ---- folding with offsets ----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c.isspace():
        return " "
    return normalize_text(c) if c != " " else " "


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded like :func:`normalize_text`, with the original offset of every folded character."""
    out: list[str] = []
    idx: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        for ch in f:
            out.append(ch)
            idx.append(i)
    idx.append(len(text))
    return "".join(out), idx


# ---- patterns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    named: re.Pattern[str]  # day month year
    month_first: re.Pattern[str]  # month day, year
    month_year: re.Pattern[str]
    day_month: re.Pattern[str]
    hijri: re.Pattern[str]
    iso: re.Pattern[str]
    iso_month: re.Pattern[str]
    numeric: re.Pattern[str]  # d/m/y
    ymd: re.Pattern[str]  # y/m/d
    relative: re.Pattern[str]
    year_only: re.Pattern[str]
    weekday: re.Pattern[str]


_TIME = (
    r"(?:\s*(?:[-–|,،@]|at|الساعه|الساعة|في)?\s*(?P<h>[012]?\d):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"\s*(?P<ampm>صباحا|مساء|مسا|ظهرا|عصرا|ليلا|ص|م|am|pm)?(?![\w:]))?"
)
_TZ = r"(?:\s*(?P<tz>gmt|utc|z|بتوقيت\s+غرينتش|بتوقيت\s+جرينتش|[+-][01]\d:?[0-5]\d)(?![\w]))?"
_YEAR_WORD = r"(?:(?:من\s+)?(?:عام|العام|سنه|لعام|لسنه)\s+)?"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    w = _words()
    mon = _alt(w.months)
    # a second name for the same month: "مارس/آذار", "أغسطس (آب)", "أغسطس آب"
    mon_group = rf"(?P<mon>{mon})(?:\s*[/(]\s*(?:{mon})\s*\)?|\s+(?:{mon})(?![\w]))?"
    day = r"(?<![\d.:/-])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    sep = r"(?:\s*[/\-.]\s*|\s*[,،]?\s*)"
    year = r"(?P<y>(?:1[89]|20|21)\d\d)(?!\d)(?:\s*م(?![\w]))?"
    hm = _alt(w.hijri)
    wd = _alt(w.weekdays)
    rel = _alt(w.relative)
    return _Patterns(
        named=re.compile(rf"{day}{sep}(?:من\s+)?(?:شهر\s+)?{mon_group}{sep}{_YEAR_WORD}{year}{_TIME}{_TZ}"),
        month_first=re.compile(
            rf"(?<![\w])(?P<mon>{mon})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*[,،]?\s*{year}{_TIME}{_TZ}"
        ),
        month_year=re.compile(rf"(?<![\w])(?:شهر\s+)?{mon_group}\s*[,،/-]?\s*{_YEAR_WORD}{year}"),
        day_month=re.compile(rf"{day}{sep}(?:من\s+)?(?:شهر\s+)?{mon_group}(?![\w])(?!\s*[/\-.,،]?\s*\d)"),
        hijri=re.compile(
            rf"{day}\s*[/\-]?\s*(?:من\s+)?(?:شهر\s+)?(?P<mon>{hm})\s*[/\-,،]?\s*{_YEAR_WORD}"
            rf"(?P<y>1[34]\d\d)(?!\d)(?:\s*(?:ه|هـ|هجريه|هجري)(?![\w]))?"
        ),
        iso=re.compile(
            r"(?<![\d])(?P<y>(?:19|20|21)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"
            r"(?:[t ](?P<h>[012]?\d):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?(?:\.\d+)?(?P<tz>z|[+-][01]\d:?[0-5]\d)?)?"
        ),
        iso_month=re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])(?![\d/.-])"),
        numeric=re.compile(
            r"(?<![\d/.-])(?P<d>[0-3]?\d)\s*(?P<sep>[/.-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>(?:1[3-9]|20|21)\d\d)(?!\d)"
            r"(?:\s*(?P<cal>ه|هـ|م)(?![\w]))?" + _TIME
        ),
        ymd=re.compile(
            r"(?<![\d/.-])(?P<y>(?:1[3-9]|20|21)\d\d)\s*(?P<sep>[/.])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<d>[0-3]?\d)(?![\d])"
            r"(?:\s*(?P<cal>ه|هـ|م)(?![\w]))?" + _TIME
        ),
        relative=re.compile(
            rf"(?<![\w])(?:(?P<rel>{rel})(?:\s+(?:يوم\s+)?(?P<wd>{wd}))?|(?:يوم\s+)?(?P<wd2>{wd})\s+(?P<rel2>{rel}))(?![\w])"
        ),
        year_only=re.compile(r"^\s*(?:عام|سنه)?\s*(?P<y>(?:19|20)\d\d)\s*م?\s*$"),
        weekday=re.compile(rf"(?<![\w])(?:{wd})(?![\w])"),
    )


# ---- building values ---------------------------------------------------------------------------------


def _tz(value: str | None) -> timezone | None:
    if not value:
        return None
    v = value.strip()
    if v in ("gmt", "utc", "z") or v.startswith("بتوقيت"):
        return UTC
    sign = 1 if v[0] == "+" else -1
    digits = v[1:].replace(":", "")
    try:
        return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))
    except ValueError:
        return None


def _at(y: int, mo: int, d: int, m: re.Match[str] | None = None) -> datetime | None:
    g = m.groupdict() if m is not None else {}
    hour = int(g["h"]) if g.get("h") else 0
    minute = int(g["mi"]) if g.get("mi") else 0
    sec = int(g["s"]) if g.get("s") else 0
    ampm = g.get("ampm")
    evening = ampm in ("م", "pm", "مساء", "مسا", "ليلا", "عصرا") and hour < 12
    if evening or (ampm == "ظهرا" and hour < 6):
        hour += 12
    elif ampm in ("ص", "am", "صباحا") and hour == 12:
        hour = 0
    try:
        return datetime(y, mo, d, hour, minute, sec, tzinfo=_tz(g.get("tz")))
    except (ValueError, OverflowError):
        return None


def _hijri(y: int, mo: int, d: int) -> datetime | None:
    from hijridate import Hijri  # Umm al-Qura tables, 1343–1500 AH

    try:
        g = Hijri(y, mo, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return datetime(g.year, g.month, g.day)


def _is_future(dt: datetime, precision: str, now: datetime) -> bool:
    if dt.tzinfo is not None:
        return dt > (now if now.tzinfo else now.replace(tzinfo=UTC)) + timedelta(minutes=10)
    local_now = (now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now) + _AHEAD
    return dt.date() > local_now.date() if precision == DAY else dt > local_now


def _naive_day(ref: datetime) -> date:
    return ref.date()


def _resolve_day_month(d: int, mo: int, ref: datetime | None) -> datetime | None:
    """A day and month without a year: the latest such day not after ``ref`` (None without ``ref``)."""
    if ref is None:
        return None
    day0 = _naive_day(ref)
    for y in (day0.year, day0.year - 1):
        dt = _at(y, mo, d)
        if dt is not None and dt.date() <= day0:
            return dt
    return None


def _resolve_relative(back: int | None, weekday: int | None, ref: datetime | None) -> datetime | None:
    if ref is None:
        return None
    day0 = _naive_day(ref)
    if weekday is not None:
        # "اليوم الاثنين", "أمس الأحد": the latest such weekday not after the reference day
        start = day0 - timedelta(days=back or 0) if back and back > 0 else day0
        # allow one day of slack: a page written late on Sunday and crawled on Monday says "اليوم الأحد"
        day = start - timedelta(days=(start.weekday() - weekday) % 7)
    else:
        day = day0 - timedelta(days=back or 0)
    return datetime(day.year, day.month, day.day)


# ---- scanning ----------------------------------------------------------------------------------------


def _candidates(t: str, ref: datetime | None) -> Iterator[tuple[int, int, datetime | None, str, str, str]]:
    """(start, end, value, precision, form, calendar) in folded text; value None: unresolved."""
    p, w = _patterns(), _words()
    for m in p.iso.finditer(t):
        yield m.start(), m.end(), _at(int(m["y"]), int(m["m"]), int(m["d"]), m), DAY, "iso", "gregorian"
    for m in p.named.finditer(t):
        yield (
            m.start(),
            m.end(),
            _at(int(m["y"]), w.months[m["mon"]], int(m["d"]), m),
            DAY,
            "named",
            "gregorian",
        )
    for m in p.month_first.finditer(t):
        yield (
            m.start(),
            m.end(),
            _at(int(m["y"]), w.months[m["mon"]], int(m["d"]), m),
            DAY,
            "named",
            "gregorian",
        )
    for m in p.hijri.finditer(t):
        yield m.start(), m.end(), _hijri(int(m["y"]), w.hijri[m["mon"]], int(m["d"])), DAY, "hijri", "hijri"
    for rx in (p.numeric, p.ymd):
        for m in rx.finditer(t):
            y, a, b = int(m["y"]), int(m["m"]), int(m["d"])
            if y < 1600 or m["cal"] in ("ه", "هـ"):
                yield m.start(), m.end(), _hijri(y, a, b), DAY, "hijri-numeric", "hijri"
                continue
            if rx is p.numeric and a > 12 and b <= 12:
                a, b = b, a  # an English page's month/day/year
            yield m.start(), m.end(), _at(y, a, b, m), DAY, "numeric", "gregorian"
    for m in p.iso_month.finditer(t):
        yield m.start(), m.end(), _at(int(m["y"]), int(m["m"]), 1), MONTH, "iso-month", "gregorian"
    for m in p.month_year.finditer(t):
        yield m.start(), m.end(), _at(int(m["y"]), w.months[m["mon"]], 1), MONTH, "month-year", "gregorian"
    for m in p.day_month.finditer(t):
        value = _resolve_day_month(int(m["d"]), w.months[m["mon"]], ref)
        yield m.start(), m.end(), value, DAY, "day-month", "gregorian"
    for m in p.relative.finditer(t):
        rel, wd = m["rel"] or m["rel2"], m["wd"] or m["wd2"]
        back = w.relative[rel] if rel else None
        value = _resolve_relative(back, w.weekdays[wd] if wd else None, ref)
        yield m.start(), m.end(), value, DAY, "relative", "gregorian"
    yo = p.year_only.match(t)
    if yo:
        yield yo.start("y"), yo.end("y"), _at(int(yo["y"]), 1, 1), YEAR, "year", "gregorian"


_RANK = {DAY: 0, MONTH: 1, YEAR: 2}
_WEAK = frozenset({"day-month", "relative", "iso-month", "month-year", "year"})


def scan_dates(text: str, *, ref: datetime | None = None, now: datetime | None = None) -> list[DateFound]:
    """Every date expression in ``text``, in text order; overlapping matches keep the longest.

    ``ref`` (a crawl or feed time) resolves year-less and relative expressions; without it they are left
    out. ``now`` (the time of ingest, default the clock) marks later dates ``future``.
    """
    if not text:
        return []
    t, idx = _fold(text[:2000])
    found: list[tuple[int, int, datetime, str, str, str]] = []
    for s, e, value, precision, form, cal in _candidates(t, ref):
        if value is None or not 1900 <= value.year <= 2100:
            continue
        found.append((s, e, value, precision, form, cal))
    # longest first, then keep those that do not overlap a kept one
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, datetime, str, str, str]] = []
    for c in found:
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c[0])
    now = now or datetime.now(UTC)
    return [
        DateFound(
            value=v,
            precision=pr,
            start=idx[s],
            end=idx[e],
            form=form,
            calendar=cal,
            future=_is_future(v, pr, now),
        )
        for s, e, v, pr, form, cal in kept
    ]


def best_date(found: list[DateFound], *, weak: bool = True) -> DateFound | None:
    """The publication date among ``found``: the most precise non-future one, earliest first; a Hijri
    date yields to its Gregorian twin (and is checked against it)."""
    ok = [f for f in found if not f.future and (weak or f.form not in _WEAK)]
    if not ok:
        return None
    ok.sort(key=lambda f: (_RANK[f.precision], f.calendar == "hijri", f.form == "relative", f.start))
    best = ok[0]
    if best.calendar == "gregorian" and best.precision == DAY:
        twins = [f for f in ok if f.calendar == "hijri" and abs(f.start - best.start) < 80]
        for h in twins:
            gap = abs((h.value.date() - best.value.date()).days)
            if gap > 1:  # Umm al-Qura and local sighting differ by a day at most
                return replace(best, note=f"Hijri date {h.value.date()} disagrees with the Gregorian one")
    return best


def read_date(
    text: str, *, ref: datetime | None = None, now: datetime | None = None, weak: bool = True
) -> DateFound | None:
    """The publication date a date line gives, or None (nothing, unresolved, or in the future)."""
    return best_date(scan_dates(text, ref=ref, now=now), weak=weak)


def future_dates(text: str, *, ref: datetime | None = None, now: datetime | None = None) -> list[DateFound]:
    return [f for f in scan_dates(text, ref=ref, now=now) if f.future]


@lru_cache(maxsize=4096)
def parse_date(text: str, *, fallback: bool = True) -> datetime | None:
    """A date expression's value; ``None`` when nothing date-like is found or it lies in the future.

    Returns an aware datetime when the text names a zone (GMT, +0400), otherwise a naive one.
    """
    if not text or len(text) > 200:
        return None
    f = read_date(text, weak=False)
    if f is not None:
        return f.value
    return parse_feed_date(text, fallback=fallback)


def parse_feed_date(text: str, *, fallback: bool = True, now: datetime | None = None) -> datetime | None:
    """RFC 2822 and whatever dateparser reads (feed and metadata fields); never a future date."""
    try:
        dt: datetime | None = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        dt = _dateparser_fallback(normalize_text(text)) if fallback else None
    if dt is None or not 1900 <= dt.year <= 2100 or _is_future(dt, DAY, now or datetime.now(UTC)):
        return None
    return dt


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
        if isinstance(dt, datetime):
            return dt
    return None


def looks_like_date(text: str, *, ref: datetime | None = None) -> bool:
    """True when ``text`` is mostly a date (used to recognise date-only lines). Words that join a date's
    parts (``الموافق``), weekdays, numbers and month names left over (a Hijri twin with a typo) do not
    count against it."""
    if len(text) > 80 or not _DIGIT.search(text):
        return False
    found = [f for f in scan_dates(text, ref=ref) if f.form not in ("relative",)]
    if not found:
        return False
    t = normalize_text(text)
    rest = normalize_text(text[: found[0].start] + " " + text[found[-1].end :])
    rest = _patterns().weekday.sub("", rest).strip(" ,،-–|")
    w = _words()
    words = [x for x in rest.split() if not _is_date_word(x.strip(" ,،-–|:()"), w)]
    return len(words) <= 2 and len(t.split()) <= 10


@lru_cache(maxsize=1)
def _month_tokens() -> frozenset[str]:
    w = _words()
    return frozenset(tok for name in (*w.months, *w.hijri) for tok in name.split())


def _is_date_word(word: str, w: _Words) -> bool:
    return (
        not word
        or word in w.connectors
        or word in _month_tokens()
        or (_DIGIT.search(word) is not None and len(_DIGIT.sub("", word)) <= 2)
    )


def names_weekday(text: str) -> bool:
    """True when ``text`` names a weekday (``الجمعة``, ``يوم الأحد``, ``friday``)."""
    return _patterns().weekday.search(normalize_text(text)) is not None


def is_render_stamp(line: str) -> bool:
    """A line that starts with an update or print stamp (``آخر تحديث``, ``تاريخ الطباعة``)."""
    t = normalize_text(line).lstrip(" -–|*")
    return t.startswith(_words().render_stamps)


def date_marker(line: str) -> int | None:
    """Length (in folded text) of the publication-date marker a line starts with, if any."""
    t = normalize_text(line).lstrip(" -–|*")
    for m in _words().date_markers:
        if t.startswith(m) and (len(t) == len(m) or not t[len(m)].isalpha()):
            return len(m)
    return None


_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")


def to_date(dt: datetime | None) -> date | None:
    return dt.date() if dt is not None else None


def label(dt: datetime | None, precision: str | None) -> str | None:
    """A date as people should read it: ``2021-07`` for a month-only date, ``2021`` for a year."""
    if dt is None:
        return None
    if precision == MONTH:
        return dt.strftime("%Y-%m")
    if precision == YEAR:
        return str(dt.year)
    return dt.date().isoformat()
