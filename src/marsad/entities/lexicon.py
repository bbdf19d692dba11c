"""Phrase tables compiled from a knowledge base: names, surnames, role phrases, demonyms.

Everything text-shaped in the KB becomes normalized phrases in one :class:`PhraseMatcher`, each with an
:class:`Entry` saying what it names. Built once per knowledge base (``KnowledgeBase.lexicon``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Protocol

from marsad.data import load_yaml, resource_path
from marsad.entities.matcher import PROCLITICS, PhraseMatcher
from marsad.entities.variants import ARAB_COUNTRIES, spelling_variants, variant_product
from marsad.model import Entity, EntityKind
from marsad.normalize.arabic import normalize_text
from marsad.normalize.tokens import ARABIC_STOPWORDS, clitic_variants

if TYPE_CHECKING:
    from marsad.entities.schema import CountrySpec, Office


class NameSource(Protocol):
    """What the phrase tables are built from: :class:`marsad.entities.kb.KnowledgeBase` provides it.

    A protocol rather than the class itself, so that this module does not import the knowledge base
    (which builds its lexicon from here): the dependency goes one way, ``kb`` → ``lexicon``.
    """

    def entities(self) -> Iterator[Entity]: ...

    def english_names(self, entity_id: str) -> tuple[str, ...]: ...

    def countries(self) -> Iterator[CountrySpec]: ...

    def country(self, code: str) -> CountrySpec | None: ...

    def offices(self) -> Iterator[Office]: ...

    def holders(self, office: str, on: date | None = None) -> list[Entity]: ...


class EntryKind(StrEnum):
    NAME = "name"  # ref: entity id
    SURNAME = "surname"  # ref: entity id (a person's last name alone)
    ROLE = "role"  # ref: office key
    DUAL = "dual"  # ref: office key; "الرئيسين الروسي ... والأمريكي"
    COUNTERPART = "counterpart"  # ref: country code; "نظيره الروسي"
    DEMONYM = "demonym"  # ref: place id; "الروس"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    ref: str
    explicit: bool = True  # False for surnames derived from a full name rather than listed as aliases


# Name parts that do not stand alone as a surname: the surname is then the last two words
# (عبد الله, نصر الله, بن سلمان, أبو الغيط).
# Name particles of other languages join the surname too (دي مايو, فون دير لاين, فان دايك).
_JOINERS = frozenset(
    normalize_text(w)
    for w in [
        "بن",
        "ابن",
        "بنت",
        "أبو",
        "ابو",
        "أبي",
        "عبد",
        "آل",
        "ال",
        "دي",
        "دا",
        "دو",
        "ديل",
        "دير",
        "فون",
        "فان",
        "لا",
        "لو",
        "سان",
    ]
)
HAMZA = re.compile("[أإآؤئءٱ]")
_TAILS = frozenset(normalize_text(w) for w in ["الله", "الدين", "الرحمن", "الرحيم"])
# Month and weekday names double as surnames (مايو, جمعة) and are in every article.
_NOT_SURNAMES = frozenset(
    normalize_text(w)
    for w in [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "إبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين",
        "السبت",
        "الأحد",
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "جمعة",
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
        "الابن",
        "الأب",
    ]
)
_COUNTERPART_WORDS = tuple(normalize_text(w) for w in ("نظيره", "نظيرها", "نظيرته", "نظيرتها", "نظيريه"))


@cache
def family_first_countries() -> frozenset[str]:
    """Countries whose people are named family name first (``data/names/name_order.yaml``)."""
    data = load_yaml(resource_path("names", "name_order.yaml").read_text(encoding="utf-8"))
    return frozenset(str(c) for c in data["family_name_first"])


def surname_of(name_norm: str, *, family_first: bool = False) -> str | None:
    """The surname key of a normalized multi-word person name, or None if it has none usable."""
    words = name_norm.split()
    if len(words) < 2:
        return None
    if family_first:
        first = words[0]
        usable = len(first) >= 3 and first not in ARABIC_STOPWORDS and first not in _NOT_SURNAMES
        return first if usable and not re.match(r"[a-z]", first) else None
    last = words[-1]
    if words[-2] in _JOINERS or last in _TAILS:
        if len(words) < 3:
            return None
        return " ".join(words[-2:])
    if len(last) < 3 or last in ARABIC_STOPWORDS or last in _NOT_SURNAMES or re.match(r"[a-z]", last):
        return None
    return last


def definite(word: str) -> str:
    w = normalize_text(word)
    return w if w.startswith("ال") else "ال" + w


@dataclass
class NameLexicon:
    matcher: PhraseMatcher[Entry]
    names: dict[str, list[str]] = field(default_factory=dict)  # normalized name → entity ids
    surnames: dict[str, list[str]] = field(default_factory=dict)  # surname key → person ids
    surnames_of: dict[str, set[str]] = field(default_factory=dict)  # person id → its surname keys
    # Surnames that are also given names (ألكسندر, محمد): they count only after the full name.
    weak_surnames: set[str] = field(default_factory=set)
    # Name words spelled with a hamza somewhere in the KB. normalize_text folds hamza, so ترأس (chaired)
    # and تراس (Truss) share a key; a surface with a hamza matches only a word the KB spells with one.
    hamza_words: set[str] = field(default_factory=set)
    demonyms_m: dict[str, str] = field(default_factory=dict)  # "الروسي" → "RU" (definite, normalized)
    role_phrases: dict[str, str] = field(default_factory=dict)  # normalized phrase → office key
    skeletons: dict[str, list[str]] = field(default_factory=dict)  # loose key → entity ids (find only)
    kb: NameSource | None = None

    def lookup(self, name: str) -> list[str]:
        """Entity ids for a name typed by a user: exact, then without clitics, then loose spelling."""
        key = " ".join(normalize_text(name).split())
        if not key:
            return []
        out: list[str] = []

        def add(ids: Iterable[str]) -> None:
            out.extend(i for i in ids if i not in out)

        words = key.split()
        firsts = _readings(words[0])
        for first in firsts:
            k = " ".join([first, *words[1:]])
            add(self.names.get(k, ()))
            office = self.role_phrases.get(k)
            if office and self.kb is not None:
                add(e.id for e in self.kb.holders(office, None))
        if not out:
            for first in firsts:
                add(self.surnames.get(" ".join([first, *words[1:]]), ()))
        if not out:
            add(self.skeletons.get(skeleton(key), ()))
        return out


def _readings(word: str) -> list[str]:
    """``word`` without each proclitic chain the matcher accepts (وببوتين → ببوتين, بوتين)."""
    out = list(clitic_variants(word))
    for p in PROCLITICS:
        if p and word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p) :]
            out.append(rest)
            if p[-1] == "ل" and rest.startswith("ل"):
                out.append("ا" + rest)  # للرئيس → الرئيس
    return list(dict.fromkeys(out))


def skeleton(key: str) -> str:
    """Loose key for interactive lookup: long vowels inside words dropped (زيلينسكي ~ زلنسكي)."""
    return " ".join(w[0] + re.sub("[اوي]", "", w[1:-1]) + w[-1] if len(w) > 3 else w for w in key.split())


def _placeholder_forms(c: CountrySpec) -> dict[str, frozenset[str]]:
    forms: dict[str, frozenset[str]] = {}
    if c.demonym_m:
        forms["m"] = spelling_variants(definite(c.demonym_m))
    if c.demonym_f:
        forms["f"] = spelling_variants(definite(c.demonym_f))
    names: set[str] = set()
    for n in (c.name_ar, *c.aliases):
        names |= spelling_variants(n)
    forms["country"] = frozenset(names)
    if c.capital_ar:
        forms["capital"] = spelling_variants(c.capital_ar)
    return forms


def expand_template(phrase: str, forms: dict[str, frozenset[str]]) -> set[str]:
    """All concrete phrases of a template phrase for one country (empty if a placeholder is missing)."""
    slots: list[frozenset[str]] = []
    for literal, name, _, _ in string.Formatter().parse(phrase):
        if literal.strip():
            slots.append(spelling_variants(literal.strip()))
        if name is not None:
            if name not in forms:
                return set()
            slots.append(forms[name])
    return variant_product(slots)


def _dual(title: str) -> list[str]:
    """Dual forms of a definite title word: الرييس → الرييسين, الرييسان."""
    if not title.startswith("ال") or len(title) < 5 or title.endswith("ه"):
        return []
    return [title + "ين", title + "ان"]


def build_lexicon(kb: NameSource) -> NameLexicon:
    m: PhraseMatcher[Entry] = PhraseMatcher()
    lex = NameLexicon(matcher=m, kb=kb)

    def index(key: str, eid: str) -> None:
        ids = lex.names.setdefault(key, [])
        if eid not in ids:
            ids.append(eid)
        sk = lex.skeletons.setdefault(skeleton(key), [])
        if eid not in sk:
            sk.append(eid)

    given: set[str] = set()
    for ent in kb.entities():
        if ent.kind is EntityKind.PERSON:
            for n in (ent.name_ar, *ent.aliases):
                words = n.split()
                if len(words) > 1:
                    given.add(normalize_text(words[0]))
                lex.hamza_words.update(normalize_text(w) for w in words if HAMZA.search(w))

    for ent in kb.entities():
        foreign = ent.country is not None and ent.country not in ARAB_COUNTRIES
        arabic: set[str] = set()
        for n in (ent.name_ar, *ent.aliases):
            arabic |= spelling_variants(n, foreign=foreign)
        derived: set[str] = set()
        if ent.kind is EntityKind.PERSON:
            family_first = ent.country in family_first_countries()
            for k in arabic:
                s = surname_of(k, family_first=family_first)
                if s:
                    derived.add(s)
        for k in arabic:
            index(k, ent.id)
            if ent.kind is EntityKind.PERSON and k in derived:
                m.add_normalized(k, Entry(EntryKind.SURNAME, ent.id, True))
            else:
                m.add_normalized(k, Entry(EntryKind.NAME, ent.id))
        for s in derived - arabic:
            m.add_normalized(s, Entry(EntryKind.SURNAME, ent.id, False))
        if ent.kind is EntityKind.PERSON and derived:
            lex.surnames_of[ent.id] = derived
            for s in derived:
                lex.surnames.setdefault(s, []).append(ent.id)
            lex.weak_surnames.update((derived - arabic) & given)
            if ent.country in ARAB_COUNTRIES:
                # In Arab names the last word is often a father's given name (محمود علي يوسف) or a plain
                # word (سلام, خطاب); only ال-names (السيسي) and compounds (بن سلمان) stand alone.
                lex.weak_surnames.update(
                    s for s in derived - arabic if " " not in s and not s.startswith("ال")
                )
        for en in kb.english_names(ent.id):
            key = normalize_text(en)
            index(key, ent.id)
            if len(key) >= 4:  # Latin names inside Arabic text ("Witkoff"); short acronyms are too ambiguous
                m.add_normalized(key, Entry(EntryKind.NAME, ent.id))

    for c in kb.countries():
        for d in c.demonym_pl:
            for v in spelling_variants(d):
                m.add_normalized(v, Entry(EntryKind.DEMONYM, f"place:{c.code.lower()}"))
        adjectives: set[str] = set()
        if c.demonym_m:
            for v in spelling_variants(definite(c.demonym_m)):
                lex.demonyms_m[v] = c.code
                adjectives.add(v)
        if c.demonym_f:
            adjectives |= spelling_variants(definite(c.demonym_f))
        for word in _COUNTERPART_WORDS:
            for adj in adjectives:
                m.add_normalized(f"{word} {adj}", Entry(EntryKind.COUNTERPART, c.code))

    country_forms: dict[str, dict[str, frozenset[str]]] = {}
    for office in kb.offices():
        if office.template_phrases:
            country = kb.country(office.country or "")
            if country is None:
                continue
            forms = country_forms.get(country.code) or country_forms.setdefault(
                country.code, _placeholder_forms(country)
            )
            for phrase in office.template_phrases:
                for concrete in expand_template(phrase, forms):
                    _add_role(lex, concrete, office.key)
                if phrase.endswith(" {m}") and " " not in phrase[: -len(" {m}")]:
                    title = normalize_text(phrase[: -len(" {m}")])
                    for dual in _dual(title):
                        for adj in forms.get("m", ()):
                            m.add_normalized(f"{dual} {adj}", Entry(EntryKind.DUAL, office.key))
        for phrase in office.phrases:
            for concrete in spelling_variants(phrase):
                _add_role(lex, concrete, office.key)
    m.build()
    return lex


def _add_role(lex: NameLexicon, key: str, office: str) -> None:
    """``key`` is already normalized (it comes from ``spelling_variants``)."""
    lex.role_phrases.setdefault(key, office)
    lex.matcher.add_normalized(key, Entry(EntryKind.ROLE, office))
