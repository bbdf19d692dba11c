#!/usr/bin/env python3
"""Check Marsad's knowledge-base YAML files (src/marsad/data/kb/*.yaml, or the files given).

usage: check_kb_data.py [FILE_OR_DIR ...] [--strict]

Errors (exit code 1): unparsable YAML, unknown top-level keys, missing/invalid fields, malformed or
duplicate ids, unknown entity types, role offices that are neither a specific office nor
"<template>:<cc>" with a known template and country, malformed dates, from >= to, unknown country codes.
Warnings (printed, exit 0 unless --strict): overlapping holders of single-holder offices, aliases shared
by several entities, aliases equal to the name after normalisation, names colliding with capitals.
The loader may supersede this script; it encodes the shared schema contract only.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

KB_DIR = Path(__file__).resolve().parent.parent / "src" / "marsad" / "data" / "kb"
TOP_KEYS = {"entities", "offices", "templates", "countries"}
ENTITY_TYPES = {"person", "organization", "place", "media", "group"}
ENTITY_KEYS = {"id", "type", "name_ar", "name_en", "wikidata", "country", "aliases", "aliases_en", "roles"}
ROLE_KEYS = {"office", "from", "to"}
OFFICE_KEYS = {"office", "title_en", "title_ar", "phrases"}
COUNTRY_KEYS = {
    "code",
    "name_ar",
    "name_en",
    "aliases",
    "demonym_m",
    "demonym_f",
    "demonym_pl",
    "capital_ar",
    "capital_en",
    "wikidata",
}
ID_RE = re.compile(r"^(person|organization|place|media|group):[a-z0-9]+(?:-[a-z0-9]+)*$")
OFFICE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*:[a-z0-9]+(?:-[a-z0-9]+)*$")
TEMPLATE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
QID_RE = re.compile(r"^Q[1-9]\d*$")
CC_RE = re.compile(r"^[A-Z]{2}$")
LATIN_OR_CYRILLIC = re.compile(r"[A-Za-z\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
AR_DIAC = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# offices normally held by one person at a time (per country / body)
SINGLE_HOLDER = {
    "president",
    "prime-minister",
    "king",
    "emir",
    "sultan",
    "chancellor",
    "vice-president",
    "foreign-minister",
    "defense-minister",
    "interior-minister",
    "finance-minister",
    "secretary-general",
    "supreme-leader",
    "crown-prince",
    "secretary-of-state",
    "spokesperson",
    "army-chief",
    "pope",
    "president-elect",
    "managing-director",
    "director-general",
    "high-representative",
    "chairman",
}


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = AR_DIAC.sub("", s)
    s = re.sub("[إأآٱ]", "ا", s).replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي")
    s = s.replace("ء", "")
    return re.sub(r"\s+", " ", s).strip()


def as_date(v: Any) -> dt.date | str | None:
    """Return a date, None for null, or an error string."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return "datetime, not a date"
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and DATE_RE.match(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError as exc:
            return str(exc)
    return f"not an ISO date: {v!r}"


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"warn  {where}: {msg}")


def str_list(rep: Report, where: str, v: Any, field: str) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        rep.err(where, f"{field} must be a list of non-empty strings, got {v!r}")
        return []
    return v


def collect_files(args: list[str]) -> list[Path]:
    if not args:
        return sorted(KB_DIR.glob("*.yaml"))
    out: list[Path] = []
    for a in args:
        p = Path(a)
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    files = collect_files([a for a in argv if not a.startswith("--")])
    rep = Report()
    entities: list[tuple[str, dict[str, Any]]] = []
    offices: dict[str, tuple[str, dict[str, Any]]] = {}
    templates: dict[str, tuple[str, dict[str, Any]]] = {}
    countries: dict[str, tuple[str, dict[str, Any]]] = {}

    for f in files:
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            rep.err(f.name, f"cannot parse: {exc}")
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            rep.err(f.name, "top level must be a mapping")
            continue
        for k in set(data) - TOP_KEYS:
            rep.err(f.name, f"unknown top-level key {k!r}")
        for key in TOP_KEYS:
            items = data.get(key) or []
            if not isinstance(items, list):
                rep.err(f.name, f"{key} must be a list")
                continue
            for i, item in enumerate(items):
                where = f"{f.name}:{key}[{i}]"
                if not isinstance(item, dict):
                    rep.err(where, "item must be a mapping")
                    continue
                if key == "entities":
                    entities.append((f.name, item))
                elif key == "offices":
                    o = item.get("office")
                    if not isinstance(o, str) or not OFFICE_RE.match(o):
                        rep.err(where, f"bad office key {o!r}")
                    elif o in offices:
                        rep.err(where, f"duplicate office {o} (also in {offices[o][0]})")
                    else:
                        offices[o] = (f.name, item)
                    for k in set(item) - OFFICE_KEYS:
                        rep.err(where, f"unknown key {k!r}")
                    if not str_list(rep, where, item.get("phrases"), "phrases"):
                        rep.err(where, "office without phrases")
                elif key == "templates":
                    o = item.get("office")
                    if not isinstance(o, str) or not TEMPLATE_RE.match(o):
                        rep.err(where, f"bad template office {o!r}")
                    elif o in templates:
                        rep.err(where, f"duplicate template {o}")
                    else:
                        templates[o] = (f.name, item)
                    for k in set(item) - OFFICE_KEYS:
                        rep.err(where, f"unknown key {k!r}")
                    phrases = str_list(rep, where, item.get("phrases"), "phrases")
                    if not phrases:
                        rep.err(where, "template without phrases")
                    for p in phrases:
                        if not re.search(r"\{(m|f|country)\}", p):
                            rep.err(where, f"template phrase without placeholder: {p!r}")
                        if re.search(r"\{(?!m\}|f\}|country\})", p):
                            rep.err(where, f"unknown placeholder in {p!r}")
                elif key == "countries":
                    c = item.get("code")
                    if not isinstance(c, str) or not CC_RE.match(c):
                        rep.err(where, f"bad country code {c!r} (quote NO, it parses as false)")
                        continue
                    if c in countries:
                        rep.err(where, f"duplicate country {c}")
                    countries[c] = (f.name, item)
                    for k in set(item) - COUNTRY_KEYS:
                        rep.err(where, f"unknown key {k!r}")
                    for fld in ("name_ar", "name_en", "demonym_m", "demonym_f"):
                        if not isinstance(item.get(fld), str) or not item[fld].strip():
                            rep.err(where, f"{c}: missing {fld}")
                    str_list(rep, where, item.get("aliases"), "aliases")
                    str_list(rep, where, item.get("demonym_pl"), "demonym_pl")
                    if item.get("wikidata") is not None and not QID_RE.match(str(item["wikidata"])):
                        rep.err(where, f"bad wikidata {item['wikidata']!r}")
                    for fld in ("demonym_m", "demonym_f"):
                        if (
                            isinstance(item.get(fld), str)
                            and item[fld].startswith("ال")
                            and " " not in item[fld]
                        ):
                            rep.warn(where, f"{c}: {fld} starts with ال (the loader adds it)")

    country_codes = {c.lower() for c in countries}

    def office_known(o: str) -> bool:
        if o in offices:
            return True
        t, _, cc = o.partition(":")
        return t in templates and cc in country_codes

    # ---- entities
    ids: dict[str, str] = {}
    alias_owner: dict[str, set[str]] = defaultdict(set)
    holders: dict[str, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    type_counts: Counter[str] = Counter()
    role_count = 0
    for fname, e in entities:
        eid = e.get("id")
        where = f"{fname}:{eid}"
        if not isinstance(eid, str) or not ID_RE.match(eid):
            rep.err(where, "id must be '<type>:<slug>' (lowercase ascii, digits, hyphens)")
        elif eid in ids:
            rep.err(where, f"duplicate id (also in {ids[eid]})")
        else:
            ids[eid] = fname
        for k in set(e) - ENTITY_KEYS:
            rep.err(where, f"unknown key {k!r}")
        typ = e.get("type")
        if typ not in ENTITY_TYPES:
            rep.err(where, f"bad type {typ!r}")
        elif isinstance(eid, str) and not eid.startswith(typ + ":"):
            rep.err(where, f"id prefix does not match type {typ}")
        type_counts[str(typ)] += 1
        name = e.get("name_ar")
        if not isinstance(name, str) or not name.strip():
            rep.err(where, "missing name_ar")
            name = ""
        elif LATIN_OR_CYRILLIC.search(name):
            rep.err(where, f"non-Arabic letters in name_ar {name!r}")
        if e.get("name_en") is not None and (
            not isinstance(e["name_en"], str) or ARABIC.search(e["name_en"])
        ):
            rep.err(where, f"bad name_en {e.get('name_en')!r}")
        if e.get("wikidata") is not None and not QID_RE.match(str(e["wikidata"])):
            rep.err(where, f"bad wikidata {e['wikidata']!r}")
        cc = e.get("country")
        if cc is not None and cc not in countries:
            rep.err(where, f"unknown country {cc!r}")
        aliases = str_list(rep, where, e.get("aliases"), "aliases")
        for a in str_list(rep, where, e.get("aliases_en"), "aliases_en"):
            if ARABIC.search(a):
                rep.err(where, f"Arabic in aliases_en {a!r}")
        seen: set[str] = set()
        for s in [name, *aliases]:
            if LATIN_OR_CYRILLIC.search(s) and s is not name:
                rep.warn(where, f"non-Arabic letters in alias {s!r}")
            n = norm(s)
            if n in seen:
                rep.warn(where, f"alias {s!r} duplicates the name or another alias after normalisation")
            seen.add(n)
            if isinstance(eid, str):
                alias_owner[n].add(eid)
        roles = e.get("roles") or []
        if roles and typ != "person":
            rep.warn(where, "roles on a non-person entity")
        if not isinstance(roles, list):
            rep.err(where, "roles must be a list")
            roles = []
        for r in roles:
            role_count += 1
            if not isinstance(r, dict):
                rep.err(where, f"role must be a mapping: {r!r}")
                continue
            for k in set(r) - ROLE_KEYS:
                rep.err(where, f"unknown role key {k!r}")
            o = r.get("office")
            if not isinstance(o, str) or not office_known(o):
                rep.err(where, f"unknown office {o!r}")
            if "from" not in r:
                rep.err(where, f"role {o} without 'from'")
            start, end = as_date(r.get("from")), as_date(r.get("to"))
            if isinstance(start, str) or start is None:
                rep.err(where, f"role {o}: bad from: {start}")
                continue
            if isinstance(end, str):
                rep.err(where, f"role {o}: bad to: {end}")
                continue
            if end is not None and end <= start:
                rep.err(where, f"role {o}: to {end} <= from {start}")
            if isinstance(o, str) and isinstance(eid, str):
                holders[o].append((start, end, eid))

    # ---- overlapping holders of single-holder offices
    overlaps = 0
    for o, hs in sorted(holders.items()):
        if o.split(":")[0] not in SINGLE_HOLDER:
            continue
        hs.sort(key=lambda h: h[0])
        for i, (_s1, e1, id1) in enumerate(hs):
            for s2, e2, id2 in hs[i + 1 :]:
                if id1 == id2:
                    continue
                if e1 is None or s2 < e1:
                    end = min(x for x in (e1, e2) if x is not None) if (e1 or e2) else None
                    overlaps += 1
                    rep.warn(o, f"{id1} and {id2} overlap from {s2} to {end or 'now'}")

    # ---- names shared by several entities; collisions with capitals (the loader creates them)
    capitals = {norm(c.get("capital_ar", "")): code for code, (_, c) in countries.items()}
    country_names = {
        norm(n): code
        for code, (_, c) in countries.items()
        for n in [c.get("name_ar", ""), *(c.get("aliases") or [])]
    }
    shared = {a: owners for a, owners in alias_owner.items() if len(owners) > 1}
    for a, owners in sorted(shared.items()):
        rep.warn("alias", f"{a!r} names {len(owners)} entities: {', '.join(sorted(owners))}")
    for a, owners in sorted(alias_owner.items()):
        for label, table in (("capital", capitals), ("country", country_names)):
            if a in table:
                rep.warn("alias", f"{a!r} ({', '.join(sorted(owners))}) is also the {label} of {table[a]}")

    # ---- summary
    for line in rep.errors + rep.warnings:
        print(line)
    print("---")
    print(f"files: {len(files)}")
    print(f"countries: {len(countries)}  templates: {len(templates)}  specific offices: {len(offices)}")
    print(
        "entities: "
        + "  ".join(f"{t}={n}" for t, n in sorted(type_counts.items()))
        + f"  total={sum(type_counts.values())}"
    )
    print(
        f"roles: {role_count}  distinct offices held: {len(holders)}  overlapping single-holder pairs: {overlaps}"
    )
    print(f"errors: {len(rep.errors)}  warnings: {len(rep.warnings)}")
    return 1 if rep.errors or (strict and rep.warnings) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
