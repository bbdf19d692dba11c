"""The knowledge-base file format, checked strictly.

A KB file is YAML with up to four lists: ``entities``, ``offices``, ``templates`` and ``countries``
(see ``marsad/data/kb/README`` and the ``KnowledgeBase`` docstring). Users write these files by hand, so
every mistake must come back as one line naming the file, the entry and the problem: :class:`KBError`.
This module only turns YAML into typed specs; cross-file checks (duplicate ids, unknown offices) happen
in :mod:`marsad.entities.kb` once every file is read.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from marsad.errors import ConfigError
from marsad.model import EntityKind

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ENTITY_ID = re.compile(r"^(person|organization|place|media|group):[^\s:]+$")
OFFICE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*(?::[a-z0-9][a-z0-9.-]*)?$")
TEMPLATE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
PLACEHOLDERS = frozenset({"m", "f", "country", "capital"})


class KBError(ConfigError):
    """A knowledge-base file is unreadable or breaks the schema."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(self.path, message)


@dataclass(frozen=True, slots=True)
class RoleSpec:
    office: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class EntitySpec:
    id: str
    kind: EntityKind | None  # None only when the entry extends an entity defined elsewhere
    name_ar: str | None
    name_en: str | None
    wikidata: str | None
    country: str | None
    aliases: tuple[str, ...]
    aliases_en: tuple[str, ...]
    roles: tuple[RoleSpec, ...]
    where: str  # "entities[3] (person:x)" for error messages


@dataclass(frozen=True, slots=True)
class OfficeSpec:
    office: str
    title_ar: str
    title_en: str
    phrases: tuple[str, ...]
    country: str | None


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    office: str
    title_ar: str
    title_en: str
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CountrySpec:
    code: str
    name_ar: str
    name_en: str
    aliases: tuple[str, ...]
    aliases_en: tuple[str, ...]
    demonym_m: str | None
    demonym_f: str | None
    demonym_pl: tuple[str, ...]
    capital_ar: str | None
    capital_en: str | None
    wikidata: str | None


@dataclass(frozen=True, slots=True)
class Office:
    """An office of the loaded knowledge base (specific, or one template expanded for one country)."""

    key: str  # "president:ru", "spokesperson:kremlin"
    title_ar: str
    title_en: str
    phrases: tuple[str, ...]  # literal Arabic phrases (specific offices)
    template: str | None  # "president" for template offices and "<type>:<cc>" specific keys
    country: str | None  # ISO alpha-2, upper case
    template_phrases: tuple[str, ...] = ()  # unexpanded template phrases ("الرئيس {m}")


@dataclass(frozen=True, slots=True)
class KBFile:
    path: str
    entities: tuple[EntitySpec, ...]
    offices: tuple[OfficeSpec, ...]
    templates: tuple[TemplateSpec, ...]
    countries: tuple[CountrySpec, ...]


class _Entry:
    """Typed field access on one YAML mapping, raising KBError with the entry's location."""

    def __init__(self, path: str, where: str, raw: object, allowed: frozenset[str]) -> None:
        self.path, self.where = path, where
        if not isinstance(raw, Mapping):
            raise KBError(path, f"{where}: expected a mapping, got {type(raw).__name__}")
        self.raw: Mapping[str, Any] = raw
        unknown = sorted(str(k) for k in raw if k not in allowed)
        if unknown:
            self.fail(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")

    def fail(self, message: str) -> None:
        raise KBError(self.path, f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False, pattern: re.Pattern[str] | None = None) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"missing required field {key!r}")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"field {key!r} must be a non-empty string, got {value!r}")
        assert isinstance(value, str)
        if pattern is not None and not pattern.match(value):
            self.fail(f"field {key!r} has a bad value {value!r}")
        return value.strip()

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"missing required field {key!r}")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"field {key!r} must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def day(self, key: str) -> date | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            self.fail(f"field {key!r} must be a date YYYY-MM-DD without a time, got {value!r}")
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(f"field {key!r} must be a date YYYY-MM-DD or null, got {value!r}")
        return None  # unreachable


def _entries(path: str, doc: Mapping[str, Any], section: str) -> list[tuple[int, object]]:
    items = doc.get(section)
    if items is None:
        return []
    if not isinstance(items, list):
        raise KBError(path, f"{section!r} must be a list, got {type(items).__name__}")
    return list(enumerate(items))


def _where(section: str, i: int, raw: object, key: str) -> str:
    ident = raw.get(key) if isinstance(raw, Mapping) else None
    return f"{section}[{i}]" + (f" ({ident})" if isinstance(ident, str) else "")


def _placeholders(path: str, where: str, phrase: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(phrase) if name is not None}
    except ValueError as exc:
        raise KBError(path, f"{where}: bad phrase {phrase!r}: {exc}") from None
    bad = names - PLACEHOLDERS
    if bad:
        raise KBError(path, f"{where}: unknown placeholder {{{sorted(bad)[0]}}} in {phrase!r}")


def _entity(path: str, i: int, raw: object) -> EntitySpec:
    allowed = frozenset(
        {"id", "type", "name_ar", "name_en", "wikidata", "country", "aliases", "aliases_en", "roles"}
    )
    e = _Entry(path, _where("entities", i, raw, "id"), raw, allowed)
    ident = e.text("id", required=True, pattern=ENTITY_ID)
    assert ident is not None
    kind_text = e.text("type")
    kind: EntityKind | None = None
    if kind_text is not None:
        try:
            kind = EntityKind(kind_text)
        except ValueError:
            e.fail(f"unknown type {kind_text!r} (allowed: {', '.join(k.value for k in EntityKind)})")
        if kind is not None and ident.split(":", 1)[0] != kind.value:
            e.fail(f"id prefix does not match type {kind_text!r}")
    roles = []
    raw_roles = e.raw.get("roles")
    if raw_roles is not None and not isinstance(raw_roles, list):
        e.fail("field 'roles' must be a list")
    for j, raw_role in enumerate(raw_roles or []):
        r = _Entry(path, f"{e.where} roles[{j}]", raw_role, frozenset({"office", "from", "to"}))
        office = r.text("office", required=True, pattern=OFFICE_KEY)
        assert office is not None
        start, end = r.day("from"), r.day("to")
        if start is not None and end is not None and start >= end:
            r.fail(f"'from' {start} must be before 'to' {end} ('to' is exclusive)")
        roles.append(RoleSpec(office, start, end))
    return EntitySpec(
        id=ident,
        kind=kind,
        name_ar=e.text("name_ar"),
        name_en=e.text("name_en"),
        wikidata=e.text("wikidata", pattern=WIKIDATA),
        country=e.text("country", pattern=COUNTRY_CODE),
        aliases=e.texts("aliases"),
        aliases_en=e.texts("aliases_en"),
        roles=tuple(roles),
        where=e.where,
    )


def _office(path: str, i: int, raw: object) -> OfficeSpec:
    allowed = frozenset({"office", "title_ar", "title_en", "phrases", "country"})
    e = _Entry(path, _where("offices", i, raw, "office"), raw, allowed)
    office = e.text("office", required=True, pattern=OFFICE_KEY)
    assert office is not None
    phrases = e.texts("phrases")
    for p in phrases:
        if "{" in p or "}" in p:
            e.fail(f"placeholders belong in templates, not in offices: {p!r}")
    return OfficeSpec(
        office,
        e.text("title_ar") or "",
        e.text("title_en") or "",
        phrases,
        e.text("country", pattern=COUNTRY_CODE),
    )


def _template(path: str, i: int, raw: object) -> TemplateSpec:
    allowed = frozenset({"office", "title_ar", "title_en", "phrases"})
    e = _Entry(path, _where("templates", i, raw, "office"), raw, allowed)
    office = e.text("office", required=True, pattern=TEMPLATE_KEY)
    assert office is not None
    phrases = e.texts("phrases", required=True)
    for p in phrases:
        _placeholders(path, e.where, p)
    return TemplateSpec(office, e.text("title_ar") or "", e.text("title_en") or "", phrases)


def _country(path: str, i: int, raw: object) -> CountrySpec:
    allowed = frozenset(
        {
            "code",
            "name_ar",
            "name_en",
            "aliases",
            "aliases_en",
            "demonym_m",
            "demonym_f",
            "demonym_pl",
            "capital_ar",
            "capital_en",
            "wikidata",
        }
    )
    e = _Entry(path, _where("countries", i, raw, "code"), raw, allowed)
    code = e.text("code", required=True, pattern=COUNTRY_CODE)
    name_ar, name_en = e.text("name_ar", required=True), e.text("name_en", required=True)
    assert code is not None and name_ar is not None and name_en is not None
    return CountrySpec(
        code=code,
        name_ar=name_ar,
        name_en=name_en,
        aliases=e.texts("aliases"),
        aliases_en=e.texts("aliases_en"),
        demonym_m=e.text("demonym_m"),
        demonym_f=e.text("demonym_f"),
        demonym_pl=e.texts("demonym_pl"),
        capital_ar=e.text("capital_ar"),
        capital_en=e.text("capital_en"),
        wikidata=e.text("wikidata", pattern=WIKIDATA),
    )


_SECTIONS: dict[str, tuple[str, Callable[[str, int, object], Any]]] = {
    "entities": ("entities", _entity),
    "offices": ("offices", _office),
    "templates": ("templates", _template),
    "countries": ("countries", _country),
}


def parse_kb_text(path: str, text: str) -> KBFile:
    """Parse and check one KB document; raise :class:`KBError` on the first problem."""
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KBError(path, f"not valid YAML{at}: {problem}") from None
    except (ValueError, TypeError) as exc:  # the YAML constructor rejects e.g. a 13th month
        raise KBError(path, f"bad value: {exc} (dates are YYYY-MM-DD)") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, Mapping):
        raise KBError(path, f"the top level must be a mapping with {', '.join(_SECTIONS)}")
    unknown = sorted(str(k) for k in doc if k not in _SECTIONS)
    if unknown:
        raise KBError(path, f"unknown top-level key {unknown[0]!r} (allowed: {', '.join(_SECTIONS)})")
    parsed = {
        name: tuple(fn(path, i, raw) for i, raw in _entries(path, doc, key))
        for name, (key, fn) in _SECTIONS.items()
    }
    return KBFile(path=path, **parsed)


def parse_kb_file(path: Path) -> KBFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KBError(path, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise KBError(path, "not UTF-8 text") from None
    return parse_kb_text(str(path), text)
