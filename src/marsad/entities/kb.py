"""The knowledge base: entities, offices held over time, and countries, loaded from YAML.

Sources, in order: the files shipped in ``marsad/data/kb/*.yaml`` and then user files (``--kb FILE``).
A user file may add entities and extend an existing id (more aliases, more roles; a scalar given again
replaces the old value). Every file is checked strictly (:mod:`marsad.entities.schema`); problems raise
:class:`KBError` naming the file and the entry.

Countries become ``place:<cc>`` entities and their capitals ``place:<capital slug>``. Office keys are
the specific keys of ``offices:`` or ``<template>:<cc>`` for every template × country
(``president:us``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from marsad.data import resource
from marsad.entities.lexicon import NameLexicon, build_lexicon
from marsad.entities.schema import (
    CountrySpec,
    EntitySpec,
    KBError,
    KBFile,
    Office,
    RoleSpec,
    TemplateSpec,
    parse_kb_file,
    parse_kb_text,
)
from marsad.model import Entity, EntityKind, Role

__all__ = ["KBError", "KnowledgeBase", "Office", "load_kb"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


class KnowledgeBase:
    """Entities, their names in any spelling, and who held which office when."""

    def __init__(
        self,
        entities: dict[str, Entity],
        aliases_en: dict[str, tuple[str, ...]],
        offices: dict[str, Office],
        countries: dict[str, CountrySpec],
        sources: tuple[str, ...] = (),
    ) -> None:
        self._entities = entities
        self._aliases_en = aliases_en
        self._offices = offices
        self._countries = countries
        self.sources = sources
        self._holders: dict[str, list[tuple[Role, str]]] = {}
        for ent in entities.values():
            for role in ent.roles:
                self._holders.setdefault(role.office, []).append((role, ent.id))

    # -- lookups ---------------------------------------------------------------------------------------

    def get(self, entity_id: str) -> Entity | None:
        return self._entities.get(entity_id)

    def entities(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    def __len__(self) -> int:
        return len(self._entities)

    def english_names(self, entity_id: str) -> tuple[str, ...]:
        """``name_en`` followed by the English aliases."""
        ent = self._entities.get(entity_id)
        if ent is None:
            return ()
        first = (ent.name_en,) if ent.name_en else ()
        return first + self._aliases_en.get(entity_id, ())

    def office(self, key: str) -> Office | None:
        return self._offices.get(key)

    def offices(self) -> Iterator[Office]:
        return iter(self._offices.values())

    def country(self, code: str) -> CountrySpec | None:
        return self._countries.get(code.upper())

    def countries(self) -> Iterator[CountrySpec]:
        return iter(self._countries.values())

    def offices_of(self, entity_id: str) -> list[Role]:
        ent = self._entities.get(entity_id)
        return list(ent.roles) if ent else []

    def holders(self, office: str, on: date | None = None) -> list[Entity]:
        """Holders of ``office`` on ``on`` (current holders when ``on`` is None), latest start first."""
        found = [(role, eid) for role, eid in self._holders.get(office, ()) if role.holds_on(on)]
        found.sort(key=lambda re_: re_[0].start or date.min, reverse=True)
        return [self._entities[eid] for _, eid in found]

    def resolve_office(self, office: str, on: date | None = None) -> Entity | None:
        """The person holding ``office`` on ``on`` (the most recently appointed one if several)."""
        holders = self.holders(office, on)
        return holders[0] if holders else None

    def find(self, name: str) -> list[Entity]:
        """Entities called ``name`` in any spelling, with or without clitics, Arabic or English.

        A role phrase ("الرئيس الروسي") finds its current holder.
        """
        return [self._entities[eid] for eid in self.lexicon.lookup(name) if eid in self._entities]

    @cached_property
    def lexicon(self) -> NameLexicon:
        """Compiled phrase tables (built once per knowledge base, on first use)."""
        return build_lexicon(self)


# -- loading -----------------------------------------------------------------------------------------


def builtin_kb_files() -> list[tuple[str, str]]:
    """(name, text) of the shipped KB files, sorted by name."""
    folder = resource("kb")
    if not folder.is_dir():
        return []
    out = []
    for item in folder.iterdir():
        if item.name.endswith((".yaml", ".yml")) and item.is_file():
            out.append((f"marsad/data/kb/{item.name}", item.read_text(encoding="utf-8")))
    return sorted(out)


@dataclass
class _Draft:
    spec: EntitySpec
    path: str
    builtin: bool
    derived: bool  # made from a country entry
    aliases: list[str]
    aliases_en: list[str]
    roles: list[tuple[str, EntitySpec, RoleSpec]]


class _Builder:
    def __init__(self) -> None:
        self.templates: dict[str, tuple[str, TemplateSpec]] = {}
        self.offices: dict[str, Office] = {}
        self.office_paths: dict[str, str] = {}
        self.countries: dict[str, CountrySpec] = {}
        self.country_paths: dict[str, str] = {}
        self.drafts: dict[str, _Draft] = {}
        self.sources: list[str] = []

    def _check_duplicate(
        self, f: KBFile, builtin: bool, section: str, key: str, first: str | None, here: set[str]
    ) -> bool:
        """True when ``key`` extends an earlier definition (allowed in user files only)."""
        if key in here or (first is not None and builtin):
            where = "the same file" if key in here else first
            raise KBError(f.path, f"{section}: duplicate {section[:-1]} {key!r} (first defined in {where})")
        here.add(key)
        return first is not None

    def add_file(self, f: KBFile, *, builtin: bool) -> None:
        self.sources.append(f.path)
        here: set[str] = set()
        for t in f.templates:
            first = self.templates[t.office][0] if t.office in self.templates else None
            if self._check_duplicate(f, builtin, "templates", t.office, first, here):
                old_t = self.templates[t.office][1]
                t = replace(
                    old_t,
                    title_ar=t.title_ar or old_t.title_ar,
                    title_en=t.title_en or old_t.title_en,
                    phrases=tuple(dict.fromkeys(old_t.phrases + t.phrases)),
                )
            self.templates[t.office] = (f.path, t)
        here.clear()
        for o in f.offices:
            prefix, _, suffix = o.office.partition(":")
            cc = o.country or (suffix.upper() if len(suffix) == 2 else None)
            office = Office(o.office, o.title_ar, o.title_en, o.phrases, prefix if suffix else None, cc)
            if self._check_duplicate(f, builtin, "offices", o.office, self.office_paths.get(o.office), here):
                old_o = self.offices[o.office]
                office = replace(
                    old_o,
                    title_ar=o.title_ar or old_o.title_ar,
                    title_en=o.title_en or old_o.title_en,
                    phrases=tuple(dict.fromkeys(old_o.phrases + o.phrases)),
                )
            self.offices[o.office] = office
            self.office_paths[o.office] = f.path
        here.clear()
        for c in f.countries:
            if self._check_duplicate(f, builtin, "countries", c.code, self.country_paths.get(c.code), here):
                old_c = self.countries[c.code]
                c = replace(
                    old_c,
                    aliases=tuple(dict.fromkeys(old_c.aliases + c.aliases)),
                    aliases_en=tuple(dict.fromkeys(old_c.aliases_en + c.aliases_en)),
                    demonym_pl=tuple(dict.fromkeys(old_c.demonym_pl + c.demonym_pl)),
                )
            self.countries[c.code] = c
            self.country_paths.setdefault(c.code, f.path)
        seen_here: set[str] = set()
        for spec in f.entities:
            if spec.id in seen_here:
                raise KBError(f.path, f"{spec.where}: duplicate id {spec.id!r} in the same file")
            seen_here.add(spec.id)
            old = self.drafts.get(spec.id)
            if old is None:
                if spec.kind is None or spec.name_ar is None:
                    missing = "type" if spec.kind is None else "name_ar"
                    raise KBError(
                        f.path,
                        f"{spec.where}: missing required field {missing!r} "
                        "(the id is not defined in any earlier file)",
                    )
                self.drafts[spec.id] = _Draft(
                    spec,
                    f.path,
                    builtin,
                    False,
                    list(spec.aliases),
                    list(spec.aliases_en),
                    [(f.path, spec, r) for r in spec.roles],
                )
                continue
            if builtin and old.builtin and not old.derived:
                raise KBError(f.path, f"{spec.where}: duplicate id {spec.id!r} (first defined in {old.path})")
            if spec.kind is not None and old.spec.kind is not None and spec.kind != old.spec.kind:
                raise KBError(
                    f.path,
                    f"{spec.where}: type {spec.kind.value!r} conflicts with "
                    f"{old.spec.kind.value!r} in {old.path}",
                )
            old.spec = replace(
                old.spec,
                kind=old.spec.kind or spec.kind,
                name_ar=spec.name_ar or old.spec.name_ar,
                name_en=spec.name_en or old.spec.name_en,
                wikidata=spec.wikidata or old.spec.wikidata,
                country=spec.country or old.spec.country,
            )
            old.aliases.extend(a for a in spec.aliases if a not in old.aliases)
            old.aliases_en.extend(a for a in spec.aliases_en if a not in old.aliases_en)
            old.roles.extend((f.path, spec, r) for r in spec.roles)

    def _derive_places(self) -> None:
        """Countries and capitals as place entities (explicit entities with the same id extend them)."""
        for c in self.countries.values():
            items: list[tuple[str, str, str | None, tuple[str, ...], tuple[str, ...], str | None]] = [
                (f"place:{c.code.lower()}", c.name_ar, c.name_en, c.aliases, c.aliases_en, c.wikidata)
            ]
            if c.capital_ar:
                cid = f"place:{_slug(c.capital_en or c.code + '-capital')}"
                items.append((cid, c.capital_ar, c.capital_en, (), (), None))
            for eid, name_ar, name_en, aliases, aliases_en, qid in items:
                spec = EntitySpec(
                    eid,
                    EntityKind.PLACE,
                    name_ar,
                    name_en,
                    qid,
                    c.code,
                    tuple(aliases),
                    tuple(aliases_en),
                    (),
                    f"countries ({c.code})",
                )
                old = self.drafts.get(eid)
                if old is None:
                    self.drafts[eid] = _Draft(
                        spec, self.country_paths[c.code], True, True, list(aliases), list(aliases_en), []
                    )
                else:  # an explicit entity with this id: keep its fields, add the country's names
                    old.aliases.extend(a for a in [name_ar, *aliases] if a not in old.aliases)

    def _template_offices(self) -> None:
        for name, (_path, t) in self.templates.items():
            for c in self.countries.values():
                key = f"{name}:{c.code.lower()}"
                if key in self.offices:  # a specific entry wins over the template
                    continue
                phrases, title_ar, title_en = t.phrases, t.title_ar, t.title_en
                m = f"ال{c.demonym_m}" if c.demonym_m and not c.demonym_m.startswith("ال") else c.demonym_m
                self.offices[key] = Office(
                    key,
                    f"{title_ar} {m}".strip() if m and title_ar else title_ar,
                    f"{title_en} of {c.name_en}" if title_en else "",
                    (),
                    name,
                    c.code,
                    phrases,
                )

    def build(self) -> KnowledgeBase:
        self._derive_places()
        self._template_offices()
        entities: dict[str, Entity] = {}
        aliases_en: dict[str, tuple[str, ...]] = {}
        for eid, d in self.drafts.items():
            roles = []
            for path, spec, r in d.roles:
                office = self.offices.get(r.office)
                if office is None:
                    hint = self._office_hint(r.office)
                    raise KBError(path, f"{spec.where}: unknown office {r.office!r}{hint}")
                roles.append(
                    Role(
                        office=office.key,
                        title_ar=office.title_ar,
                        title_en=office.title_en,
                        start=r.start,
                        end=r.end,
                    )
                )
            s = d.spec
            assert s.kind is not None and s.name_ar is not None
            entities[eid] = Entity(
                id=eid,
                kind=s.kind,
                name_ar=s.name_ar,
                name_en=s.name_en,
                aliases=tuple(a for a in d.aliases if a != s.name_ar),
                roles=tuple(roles),
                wikidata=s.wikidata,
                country=s.country,
            )
            aliases_en[eid] = tuple(a for a in d.aliases_en if a != s.name_en)
        return KnowledgeBase(entities, aliases_en, self.offices, self.countries, tuple(self.sources))

    def _office_hint(self, key: str) -> str:
        prefix, _, cc = key.partition(":")
        if prefix in self.templates and cc and cc.upper() not in self.countries:
            return f" (template {prefix!r} exists but country {cc.upper()!r} is not defined)"
        return " (not in offices: and not <template>:<cc>)"


_CACHE: dict[tuple[object, ...], KnowledgeBase] = {}
LAST_LOAD_SECONDS: list[float] = []  # filled by load_kb for benchmarks


def load_kb(extra: Sequence[Path | str] = (), *, builtin: bool = True) -> KnowledgeBase:
    """Load the shipped KB (unless ``builtin=False``) plus user files, checked strictly.

    Results are cached per (files, modification times), so repeated calls are free.
    """
    paths = [Path(p) for p in extra]
    stamp: list[object] = [builtin]
    for p in paths:
        try:
            st = p.stat()
        except OSError as exc:
            raise KBError(p, f"cannot read: {exc.strerror or exc}") from None
        stamp.append((str(p.resolve()), st.st_mtime_ns, st.st_size))
    key = tuple(stamp)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    t0 = time.perf_counter()
    b = _Builder()
    if builtin:
        for name, text in builtin_kb_files():
            b.add_file(parse_kb_text(name, text), builtin=True)
    for p in paths:
        b.add_file(parse_kb_file(p), builtin=False)
    kb = b.build()
    LAST_LOAD_SECONDS.append(time.perf_counter() - t0)
    _CACHE[key] = kb
    return kb


def kb_from_texts(docs: Iterable[tuple[str, str]]) -> KnowledgeBase:
    """A knowledge base from (name, YAML text) pairs only (tests, embedding)."""
    b = _Builder()
    for name, text in docs:
        b.add_file(parse_kb_text(name, text), builtin=False)
    return b.build()
