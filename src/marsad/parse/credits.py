"""Media credits in an article's text, named as the knowledge base names them.

A dateline credit (``القاهرة – (أ ش أ):``, ``موسكو (رويترز) -``, ``الرياض - واس:``), a self-credit
(``موقع X الإخباري-``, ``X من لندن:``) or a spelled-out agency with its abbreviation (``وكالة الأنباء
السعودية (واس)``) says who the text came from. :func:`read_credit` finds one in a lead or a line;
:func:`canonical_medium` names a credited medium by its KB entity (``أ ش أ`` → ``وكالة أنباء الشرق
الأوسط``), and tells an agency (the wire) from an outlet. Patterns and word lists: ``data/markers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.data import load_yaml, resource
from marsad.normalize.arabic import normalize_text

_LEAD_CHARS = 300
_PUNCT = re.compile(r"[.\u00b7•]+")
# An agency in the KB: spelled as one, or named in English as one.
_AGENCY_AR = re.compile("وكاله|الوكاله")
_AGENCY_EN = re.compile(r"agency|press|presse|news service|reuters|xinhua|kyodo|yonhap|interfax|tass\b", re.I)


@dataclass(frozen=True, slots=True)
class Medium:
    name: str  # canonical Arabic name (the KB's), or the credit as written when the KB does not know it
    wire: bool  # an agency: the text's origin, not its publisher
    known: bool  # the KB knows it


@dataclass(frozen=True, slots=True)
class Credit:
    medium: Medium
    end: int  # where the credit ends in the text it was read from


@dataclass(frozen=True)
class _Tables:
    patterns: tuple[re.Pattern[str], ...]
    not_media: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    wires: frozenset[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    d = load_yaml(resource("markers.yaml").read_text(encoding="utf-8"))
    return _Tables(
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in d["inline_credits"]),
        not_media=frozenset(normalize_text(w) for w in d["credit_not_media"]),
        prefixes=tuple(sorted((normalize_text(w) for w in d["credit_prefixes"]), key=len, reverse=True)),
        suffixes=tuple(sorted((normalize_text(w) for w in d["credit_suffixes"]), key=len, reverse=True)),
        wires=frozenset(_key(w) for w in d["wires"]),
    )


def _key(name: str) -> str:
    return " ".join(_PUNCT.sub(" ", normalize_text(name)).split())


@lru_cache(maxsize=1)
def _media() -> dict[str, tuple[str, bool]]:
    """Normalized name or alias → (canonical Arabic name, is an agency), from the KB's media entities."""
    from marsad.entities import load_kb  # the KB loads once per process (cached there)
    from marsad.model import EntityKind

    kb = load_kb()
    wires = _tables().wires
    out: dict[str, tuple[str, bool]] = {}
    for e in kb.entities():
        if e.kind != EntityKind.MEDIA:
            continue
        names = [e.name_ar, *e.aliases, *kb.english_names(e.id)]
        keys = {_key(n) for n in names if n}
        agency = (
            bool(keys & wires)
            or any(_AGENCY_AR.search(_key(n)) for n in (e.name_ar, *e.aliases))
            or bool(e.name_en and _AGENCY_EN.search(e.name_en))
        )
        for k in keys:
            out.setdefault(k, (e.name_ar, agency))
    return out


def _strip(key: str) -> str:
    t = _tables()
    for _ in range(2):
        for p in t.prefixes:
            if key.startswith(p + " "):
                key = key[len(p) + 1 :]
                break
        for s in t.suffixes:
            if key.endswith(" " + s):
                key = key[: -len(s) - 1]
                break
    return key.strip()


def canonical_medium(name: str | None) -> Medium | None:
    """The medium a credit names: the KB's entity when it knows it (by any name, with or without
    ``وكالة``/``صحيفة``/``موقع`` … around it), else the name as written."""
    if not name or not name.strip():
        return None
    media = _media()
    key = _key(name)
    for k in (key, _strip(key), _strip(key.removeprefix("ال")), "ال" + _strip(key)):
        if k in media:
            canon, agency = media[k]
            return Medium(canon, agency, True)
    t = _tables()
    wire = key in t.wires or _strip(key) in t.wires
    words = name.replace("-", " ").split()
    while len(words) > 1 and any(" ".join(map(normalize_text, words[:n])) in t.prefixes for n in (1, 2)):
        n = 2 if " ".join(map(normalize_text, words[:2])) in t.prefixes else 1
        words = words[n:]
    while len(words) > 1 and normalize_text(words[-1]) in t.suffixes:
        words = words[:-1]
    return Medium(" ".join(words), wire, False)


def _abbreviation(raw: str) -> bool:
    """``د ب أ``, ``أ.ف.ب``, ``سبأ``: how an unknown agency is credited in brackets (a name is not)."""
    tokens = _key(raw).split()
    return len(tokens) == 1 or all(len(tok) <= 2 for tok in tokens)


def read_credit(text: str) -> Credit | None:
    """The credit a lead (or a line) opens with, if any; see the module docstring for the forms."""
    lead = text[:_LEAD_CHARS]
    t = _tables()
    for rx in t.patterns:
        m = rx.search(lead)
        if m is None:
            continue
        raw = m.group("credit").strip(" :：-–—")
        if not raw or _key(raw) in t.not_media or len(raw.split()) > 6:
            continue
        medium = canonical_medium(raw)
        if medium is None:
            continue
        if not medium.known:
            # only a bracketed credit is taken on its word; a spelled-out agency lends its name
            long = m.groupdict().get("long")
            if long:
                spelled = canonical_medium(long)
                if spelled is not None and spelled.known:
                    medium = spelled
                else:
                    medium = Medium(medium.name, True, False)
            elif m.groupdict().get("named") is None and not (
                lead[m.start() : m.end()].rstrip(" :：-–—").endswith((")", "]")) and _abbreviation(raw)
            ):
                continue
            elif m.groupdict().get("named") is None:
                medium = Medium(medium.name, True, False)  # an unknown abbreviation: an agency's way
        return Credit(medium, m.end())
    return None
