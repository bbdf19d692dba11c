"""Entity references as users type them: an id (``person:dmitry-peskov``) or a name in any spelling."""

from __future__ import annotations

from marsad.entities.kb import KnowledgeBase
from marsad.errors import NotFound


def resolve_entity_ref(kb: KnowledgeBase, ref: str, *, param: str = "entity") -> tuple[str, ...]:
    """Entity ids ``ref`` names; :class:`NotFound` when the knowledge base knows none."""
    ref = ref.strip()
    if kb.get(ref) is not None:
        return (ref,)
    if ":" in ref and " " not in ref:
        return (ref,)  # an id the KB does not hold (a user KB entry from another run): trust it
    ids = tuple(dict.fromkeys(e.id for e in kb.find(ref)))
    if not ids:
        raise NotFound(param, f"no entity called {ref!r} in the knowledge base")
    return ids
