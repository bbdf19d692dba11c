"""Role phrases resolved to people as of the article date.

"الرئيس الأمريكي" names Biden in January 2024 and Trump in November 2025: a role mention carries an
office key, and the holder is looked up for the article's date (current holders when the date is
unknown). Two corrections come from the text itself, which is fresher than any KB:

* a role phrase directly followed by a name ("المتحدث باسم الكرملين دميتري بيسكوف") or a name followed
  by a role in apposition ("بيسكوف، المتحدث باسم الكرملين") is that person, whoever the KB says holds
  the office; the binding then holds for the same office in the rest of the article;
* "نظيره الروسي" (his Russian counterpart) is the holder of the same kind of office in Russia as the
  person mentioned just before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from marsad.model import Entity, EntityKind, MentionKind

if TYPE_CHECKING:
    from marsad.entities.kb import KnowledgeBase

# Between a role and its holder's name: spaces, commas, and at most one short quoted or bracketed
# aside (المتحدث باسم الرئاسة الروسية "الكرملين"، دميتري بيسكوف).
_ROLE_NAME_GAP = re.compile(r"^[\s,،]*(?:[\"'“”«»„‟(\[][^\"'“”«»„‟()\[\]\n]{0,40}[\"'“”«»„‟)\]])?[\s,،]*$")
# Between a name and a role in apposition: a comma is required (بيسكوف، المتحدث باسم الكرملين).
_NAME_ROLE_GAP = re.compile(r"^\s*[,،]\s*$")


def resolve_office(kb: KnowledgeBase, office: str, on: date | None = None) -> Entity | None:
    """The person holding ``office`` on ``on``; current holder when ``on`` is None."""
    return kb.resolve_office(office, on)


def template_of(kb: KnowledgeBase, office: str) -> str | None:
    o = kb.office(office)
    return o.template if o is not None else None


def offices_held(kb: KnowledgeBase, entity_id: str, on: date | None) -> list[str]:
    """Office keys ``entity_id`` holds on ``on`` (any time if nothing matches the date)."""
    roles = kb.offices_of(entity_id)
    held = [r.office for r in roles if r.holds_on(on)]
    return held or [r.office for r in roles]


def counterpart_office(kb: KnowledgeBase, reference_offices: list[str], country: str) -> str | None:
    """Office of the same kind as one of ``reference_offices`` in ``country`` (ISO alpha-2)."""
    for office in reference_offices:
        template = template_of(kb, office)
        if template is None:
            continue
        key = f"{template}:{country.lower()}"
        if kb.office(key) is not None:
            return key
    return None


@dataclass(slots=True)
class Draft:
    """A mention under construction (link stage); frozen into ``model.Mention`` at the end."""

    start: int
    end: int
    kind: MentionKind
    entity_id: str | None
    entity_type: EntityKind
    score: float
    office: str | None = None  # for ROLE mentions
    first: int = -1  # word indexes in the token line
    last: int = -1

    @property
    def is_person_name(self) -> bool:
        return (
            self.entity_type is EntityKind.PERSON
            and self.entity_id is not None
            and self.kind in (MentionKind.NAME, MentionKind.SURNAME, MentionKind.NER)
        )


def bind_roles(text: str, drafts: list[Draft]) -> None:
    """Give role mentions the person the text names next to them; spread each binding to the same
    office elsewhere in the article. ``drafts`` must be sorted by start."""
    bound: dict[str, str] = {}
    for i, d in enumerate(drafts):
        if d.kind is not MentionKind.ROLE or d.office is None:
            continue
        target: str | None = None
        for j in range(i + 1, len(drafts)):  # not drafts[i + 1 :]: no copy of the rest per role (linear)
            nxt = drafts[j]
            if nxt.start - d.end > 80 or not _ROLE_NAME_GAP.match(text[d.end : nxt.start]):
                break
            if nxt.is_person_name:
                target = nxt.entity_id
                break
            if nxt.entity_type is EntityKind.PERSON:
                break  # another role: "الرئيس الروسي ونظيره"
        if target is None and i > 0:
            prev = drafts[i - 1]
            if prev.is_person_name and _NAME_ROLE_GAP.match(text[prev.end : d.start]):
                target = prev.entity_id
        if target is not None:
            d.entity_id = target
            d.score = 1.0
            bound[d.office] = target
    if bound:
        for d in drafts:
            if d.kind is MentionKind.ROLE and d.office in bound and d.score < 1.0:
                d.entity_id = bound[d.office]
