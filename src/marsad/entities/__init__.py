"""Entities stage: the knowledge base, mention finding and time-aware role resolution.

>>> kb = load_kb()
>>> mentions = MentionFinder(kb).find(body, on=article_date)
>>> persons_in(mentions, kb)        # [("فلاديمير بوتين", "Vladimir Putin"), ...]
"""

from marsad.entities.kb import KnowledgeBase, Office, load_kb
from marsad.entities.link import MentionFinder, persons_in
from marsad.entities.matcher import Hit, PhraseMatcher, TokenLine, token_line
from marsad.entities.roles import resolve_office
from marsad.entities.schema import KBError

__all__ = [
    "Hit",
    "KBError",
    "KnowledgeBase",
    "MentionFinder",
    "Office",
    "PhraseMatcher",
    "TokenLine",
    "load_kb",
    "persons_in",
    "resolve_office",
    "token_line",
]
