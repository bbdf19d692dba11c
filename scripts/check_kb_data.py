#!/usr/bin/env python3
"""Check Marsad's knowledge-base YAML files (the shipped ones, or the files and folders given).

usage: check_kb_data.py [FILE_OR_DIR ...] [--strict]

Errors (exit 1) are exactly what the loader refuses: every file goes through
:func:`marsad.entities.schema.parse_kb_file` (the one declaration of the schema: keys, types, ids, dates,
placeholders) and then all of them together through :func:`marsad.entities.load_kb` (duplicate ids,
offices and templates that do not exist, unknown countries). Nothing about the schema is re-declared here.

Warnings (printed; exit 0 unless ``--strict``) are the editorial checks the loader does not make:
overlapping holders of an office one person holds at a time, aliases shared by several entities, aliases
that are only a spelling variant of the entity's own name, roles on entities that are not people, and
aliases equal to a capital or a country name.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import date
from importlib import resources
from itertools import pairwise
from pathlib import Path

from marsad.entities import load_kb
from marsad.entities.schema import KBError, parse_kb_file
from marsad.model import EntityKind
from marsad.normalize.arabic import normalize_text

# offices normally held by one person at a time (per country or body)
SINGLE_HOLDER = {
    "president",
    "prime-minister",
    "king",
    "emir",
    "sultan",
    "chancellor",
    "foreign-minister",
    "defense-minister",
    "spokesperson",
    "secretary-general",
    "supreme-leader",
    "crown-prince",
    "chairman",
}


def collect_files(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for a in args:
        p = Path(a)
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


SHIPPED = Path(str(resources.files("marsad").joinpath("data", "kb"))).resolve()


def warnings(files: list[Path]) -> list[str]:
    # user files extend the shipped KB (as `--kb` does); the shipped files themselves are checked alone
    shipped = any(f.resolve().parent == SHIPPED for f in files)
    kb = load_kb([] if shipped else files, builtin=True)
    out: list[str] = []
    holders: dict[str, list[tuple[str, date | None, date | None]]] = defaultdict(list)
    owners: dict[str, set[str]] = defaultdict(set)
    for e in kb.entities():
        own = normalize_text(e.name_ar)
        for alias in e.aliases:
            key = normalize_text(alias)
            owners[key].add(e.id)
            if key == own and alias != e.name_ar:
                out.append(f"warn  {e.id}: alias {alias!r} is the name after normalisation")
        if e.roles and e.kind is not EntityKind.PERSON:
            out.append(f"warn  {e.id}: roles on a non-person entity")
        for r in e.roles:
            if r.office.split(":", 1)[0] in SINGLE_HOLDER:
                holders[r.office].append((e.id, r.start, r.end))
    for office, spans in sorted(holders.items()):
        spans.sort(key=lambda s: s[1] or date.min)
        for (id1, _, end1), (id2, start2, end2) in pairwise(spans):
            if id1 != id2 and (end1 is None or (start2 is not None and start2 < end1)):
                out.append(
                    f"warn  {office}: {id1} and {id2} overlap from {start2} to {end1 or end2 or 'now'}"
                )
    for alias, ids in sorted(owners.items()):
        if len(ids) > 1:
            out.append(f"warn  alias {alias!r} names {len(ids)} entities: {', '.join(sorted(ids))}")
    places = {normalize_text(n): c.code for c in kb.countries() for n in (c.name_ar, c.capital_ar) if n}
    for alias, ids in sorted(owners.items()):
        if alias in places and not any(i.startswith("place:") for i in ids):
            out.append(f"warn  alias {alias!r} ({', '.join(sorted(ids))}) is also a place of {places[alias]}")
    return out


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    files = collect_files([a for a in argv if not a.startswith("--")])
    errors: list[str] = []
    for f in files:
        try:
            parse_kb_file(f)
        except KBError as e:
            errors.append(f"ERROR {e.where}: {e.reason}")
    if not errors:
        try:
            warns = warnings(files)
        except KBError as e:
            errors.append(f"ERROR {e.where}: {e.reason}")
            warns = []
    else:
        warns = []
    for line in [*errors, *warns]:
        print(line)
    what = f"{len(files)} files" if files else "the shipped knowledge base"
    print(f"{what}: {len(errors)} errors, {len(warns)} warnings")
    return 1 if errors or (strict and warns) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
