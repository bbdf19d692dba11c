"""Counts and dates as Arabic readers expect them (the word lists are ``data/arabic_display.yaml``).

* :func:`count` agrees the noun with the number: ``مقال واحد``, ``مقالان``, ``3 مقالات``, ``11 مقالاً``,
  ``100 مقال`` (the rule is in the data file's header);
* :func:`day` writes a date as ``5 سبتمبر 2025``: an ISO date inside an Arabic sentence is reordered by
  the bidi algorithm (``من 08-09-2024``), words and a day number never are;
* :func:`period` labels a chart's periods (``2025-09`` → ``سبتمبر 2025``, a day or ISO week by its date).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from marsad.data import load_yaml, resource


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(resource("arabic_display.yaml").read_text(encoding="utf-8"))
    return data


def form(n: int) -> str:
    """Which form of a counted noun goes with ``n`` (see the data file)."""
    if n == 0:
        return "none"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    rest = n % 100
    if n > 100 and rest in (1, 2):
        return "singular"
    if rest == 0:
        return "singular"
    if 3 <= rest <= 10:
        return "plural"
    return "accusative"


def count(n: int, noun: str) -> str:
    """``n`` and the noun (a key of the data file's ``nouns``) in agreement."""
    forms = _data()["nouns"][noun]
    f = form(n)
    word = str(forms[f])
    return word if f in ("none", "one", "two") else f"{n} {word}"


def as_date(v: date | datetime | str | None) -> date | None:
    """A date from a date, a datetime or ISO text (a view's JSON form); None when there is none."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def month_name(m: int) -> str:
    return str(_data()["months"][m - 1])


def day(v: date | datetime | str | None, *, year: bool = True) -> str:
    """``5 سبتمبر 2025`` (``year=False``: ``5 سبتمبر``); "" when there is no date."""
    d = as_date(v)
    if d is None:
        return ""
    text = f"{d.day} {month_name(d.month)}"
    return f"{text} {d.year}" if year else text


def period(key: str) -> str:
    """A chart period in Arabic: a month ``2025-09``, an ISO week ``2025-W36`` (by its Monday) or a day."""
    if len(key) == 7 and key[4] == "-":
        return f"{month_name(int(key[5:]))} {key[:4]}"
    if "-W" in key:
        return day(date.fromisocalendar(int(key[:4]), int(key[6:]), 1), year=False)
    return day(key, year=False)
