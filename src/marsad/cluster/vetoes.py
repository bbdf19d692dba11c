"""Never merge what the text keeps apart: slot values and years that tell two happenings apart (issue 12).

Word overlap cannot tell one spokesman's denial of a Washington Post report from his denial of a
Bloomberg report, a third term from a fourth, or one rate decision from the next: the words are the same,
only a value differs. Each slot of ``data/story_rules.yaml`` reads such a value from an article's lead;
an article never joins a story whose articles gave the same slot only other values. Years: an article
whose text names a later year than any time of the story is about a later happening.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

from marsad.data import load_yaml, resource
from marsad.normalize.arabic import normalize_text

Slots = dict[str, list[str]]


@cache
def _slot_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    d: dict[str, Any] = load_yaml(resource("story_rules.yaml").read_text(encoding="utf-8"))
    return tuple((name, re.compile(p)) for name, p in d["slots"].items())


def text_slots(text: str, *, normalized: bool = False) -> Slots:
    """Slot -> the distinct values the text gives it, in text order (slots it does not give are absent)."""
    t = text if normalized else normalize_text(text)
    out: Slots = {}
    for name, pat in _slot_patterns():
        vals = list(dict.fromkeys(m.group("v").replace(",", ".") for m in pat.finditer(t)))
        if vals:
            out[name] = vals
    return out


def slot_conflict(a: Mapping[str, Iterable[str]], b: Mapping[str, Iterable[str]]) -> str | None:
    """The first slot both give with no value in common, else None."""
    for name, vals in a.items():
        other = b.get(name)
        if other is not None and not set(vals) & set(other):
            return name
    return None


def merge_slots(into: Slots, more: Mapping[str, Iterable[str]], cap: int = 8) -> None:
    for name, vals in more.items():
        have = into.setdefault(name, [])
        for v in vals:
            if v not in have and len(have) < cap:
                have.append(v)


def year_of(ts: float) -> int:
    return datetime.fromtimestamp(ts, UTC).year


def later_year(text_year: int | None, last: float | None, text_years: Iterable[int] = ()) -> bool:
    """The article's text names a later year than the story's last time (or, for a story without times,
    than every year its articles name): a later happening of the same kind."""
    if text_year is None:
        return False
    if last is not None:
        return text_year > year_of(last)
    ys = list(text_years)
    return bool(ys) and text_year > max(ys)
