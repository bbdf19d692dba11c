"""When words were said: a small parser for the day expressions of a reporting sentence.

News writes days relative to publication ("أمس", "اليوم الجمعة", "يوم الخميس", "في 7 نوفمبر الماضي").
Weekdays resolve to the latest such day on or before publication, month days without a year to their
latest occurrence on or before it. Vague spans ("الأسبوع الماضي") and future days ("الخميس المقبل")
give nothing: a wrong day is worse than none.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from marsad.normalize.arabic import normalize_text

_MONTH_NAMES = (
    "يناير|كانون الثاني|جانفي",
    "فبراير|شباط|فيفري",
    "مارس|اذار",
    "ابريل|نيسان|افريل",
    "مايو|ايار|ماي",
    "يونيو|يونيه|حزيران|جوان",
    "يوليو|يوليه|تموز|جويليه",
    "اغسطس|اب|اوت",
    "سبتمبر|ايلول",
    "اكتوبر|تشرين الاول",
    "نوفمبر|تشرين الثاني",
    "ديسمبر|كانون الاول",
)
MONTHS: dict[str, int] = {
    normalize_text(name): i for i, names in enumerate(_MONTH_NAMES, start=1) for name in names.split("|")
}
# Python's weekday(): Monday is 0.
WEEKDAYS: dict[str, int] = {
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6,
}  # fmt: skip

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY_RE = "|".join(WEEKDAYS)
_FUTURE = r"(?!\s+(?:المقبل|القادم|المقبله|القادمه))"
_PATTERN = re.compile(
    rf"(?P<dm>\b(?P<day>\d{{1,2}})\s+(?P<mon>{_MONTH_RE})(?:\s*/\s*(?:{_MONTH_RE}))?(?:\s+(?P<year>\d{{4}}))?)"
    rf"|(?P<ago>\b(?:اول|قبل)\s+(?:امس|الامس)\b)"
    rf"|(?P<yest>(?<![\w])(?:و|ب)?(?:امس|الامس)\b)"
    rf"|(?P<wd>(?<![\w])(?:و|ب|يوم\s+)?(?P<wdname>{_DAY_RE})\b{_FUTURE})"
    rf"|(?P<today>(?<![\w])(?:و)?اليوم\b)"
)


# Every alternative of _PATTERN needs a digit or one of these words: testing for them first (a few scans
# in C) spares the pattern's slow walk over most frames, which carry no day at all.
_NEEDED = ("امس", "اليوم", *WEEKDAYS)
_DIGIT = re.compile(r"\d")


def _may_match(norm: str) -> bool:
    return any(w in norm for w in _NEEDED) or _DIGIT.search(norm) is not None


def _latest_weekday(day: int, published: date) -> date:
    return published - timedelta(days=(published.weekday() - day) % 7)


def _month_day(d: int, month: int, year: int | None, published: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, d)
        if published is None:
            return None
        guess = date(published.year, month, d)
        return guess if guess <= published else date(published.year - 1, month, d)
    except ValueError:
        return None


def said_on(frame: str, published: date | None) -> date | None:
    """The day ``frame`` (text of the reporting clause, quote words excluded) says the words were said."""
    norm = normalize_text(frame)
    if not _may_match(norm):
        return None
    for m in _PATTERN.finditer(norm):
        if m.group("dm"):
            year = int(m.group("year")) if m.group("year") else None
            return _month_day(int(m.group("day")), MONTHS[m.group("mon")], year, published)
        if published is None:
            continue
        if m.group("ago"):
            return published - timedelta(days=2)
        if m.group("yest"):
            return published - timedelta(days=1)
        if m.group("wd"):
            return _latest_weekday(WEEKDAYS[m.group("wdname")], published)
        if m.group("today"):
            return published
    return None
