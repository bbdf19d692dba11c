"""The one name → entity rule. Every place a user names an entity follows it: ``marsad quotes --speaker``,
``marsad search --entity/--speaker``, ``marsad entity NAME``, the API's ``speaker=`` / ``entity=`` and
``/api/entities/{entity}``, and the web search form.

* **An entity id resolves to itself.** An id is a lowercase ASCII kind, a colon and the rest
  (``person:dmitry-peskov``, ``ner:اناتولي انطونوف`` for a name the tagger found outside the KB). It is
  trusted even when the loaded KB does not hold it (a user KB entry from another run, a tagger name).
* **Anything else is a name** — any spelling (``ديميتري بيسكوف``), clitic form (``وعباس``), English name
  (``Peskov``) or role phrase (``المتحدث باسم الكرملين``) — **and resolves to every KB entity it may mean**,
  in the knowledge base's order: ``عباس`` is Mahmoud Abbas *and* Mansour Abbas, as a filter everywhere.
* A name that means no KB entity, or an empty one, is :class:`~marsad.errors.NotFound` — never an empty
  filter that would silently match everything or nothing.

Where one entity is needed (a profile) it is the first of them; filters always take them all.
"""

from __future__ import annotations

import re

from marsad.entities.kb import KnowledgeBase
from marsad.errors import NotFound

_ID = re.compile(r"[a-z][a-z0-9_-]*:\S")


def is_entity_id(ref: str) -> bool:
    """Whether ``ref`` has the shape of an entity id (``kind:rest``) rather than of a name."""
    return _ID.match(ref) is not None


def resolve_entities(kb: KnowledgeBase, ref: str, *, param: str | None = None) -> tuple[str, ...]:
    """Entity ids ``ref`` names, by the rule above; ``param`` (``--speaker``, ``entity``) names the
    option in the :class:`NotFound` message."""
    ref = ref.strip()
    where = f"{param} {ref!r}" if param else ref
    if not ref:
        raise NotFound(param or "entity", "empty name")
    if kb.get(ref) is not None or is_entity_id(ref):
        return (ref,)
    ids = tuple(dict.fromkeys(e.id for e in kb.find(ref)))
    if not ids:
        raise NotFound(where, "no such person, organisation or place in the knowledge base")
    return ids


def resolve_entity_ref(kb: KnowledgeBase, ref: str, *, param: str = "entity") -> tuple[str, ...]:
    """The former name of :func:`resolve_entities` (same rule)."""
    return resolve_entities(kb, ref, param=param)
