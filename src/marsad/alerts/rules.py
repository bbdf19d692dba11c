"""Building a rule from what the user typed: names resolved through the KB, options checked."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from marsad.entities.kb import KnowledgeBase
from marsad.errors import MarsadError
from marsad.model import Stance
from marsad.search.query import parse_query
from marsad.search.refs import resolve_entities
from marsad.store.base import AlertRule, Store

# a name that is also a file name and a URL path segment (the feed is /alerts/NAME.atom)
_NAME = re.compile(r"[^\W][\w.-]{0,63}")


class RuleError(MarsadError):
    """A rule that cannot be added (bad name, unknown stance, nothing to watch for)."""


def kind_of(rule: AlertRule) -> str:
    """What a rule's items are: stories (``--min-sources``), quotes (a speaker or a stance), else articles."""
    if rule.min_sources > 0:
        return "story"
    if rule.speaker_ids or rule.stance:
        return "quote"
    return "article"


def default_jsonl(store: Store) -> Path:
    """Beside the store's index: ``marsad.db.index`` → ``marsad.db.alerts.jsonl``."""
    idx = store.index_path
    return idx.with_name(idx.name.removesuffix(".index") + ".alerts.jsonl")


def make_rule(
    store: Store,
    kb: KnowledgeBase,
    name: str,
    *,
    query: str | None = None,
    entity: str | None = None,
    speaker: str | None = None,
    stance: str | None = None,
    min_sources: int = 0,
    webhook: str | None = None,
    jsonl: str | None = None,
) -> AlertRule:
    """A checked rule that starts at the store's current revision (it never fires on the archive)."""
    if not _NAME.fullmatch(name):
        raise RuleError(name, "an alert name is letters, digits, '.', '-' or '_' (at most 64)")
    query = (query or "").strip() or None
    if query is not None and parse_query(query) is None:
        raise RuleError(query, "the query holds no searchable word")
    if stance is not None and stance not in {s.value for s in Stance}:
        raise RuleError(f"--stance {stance}", f"use one of {', '.join(s.value for s in Stance)}")
    if min_sources < 0:
        raise RuleError(f"--min-sources {min_sources}", "must be 0 or more")
    if webhook is not None and (
        urlsplit(webhook).scheme not in ("http", "https") or not urlsplit(webhook).netloc
    ):
        raise RuleError(f"--webhook {webhook}", "must be an http:// or https:// URL")
    if not (query or entity or speaker or stance or min_sources):
        raise RuleError(name, "say what to watch for: QUERY, --entity, --speaker, --stance or --min-sources")
    return AlertRule(
        name=name,
        query=query,
        entity=entity,
        entity_ids=resolve_entities(kb, entity, param="--entity") if entity else (),
        speaker=speaker,
        speaker_ids=resolve_entities(kb, speaker, param="--speaker") if speaker else (),
        stance=stance,
        min_sources=min_sources,
        webhook=webhook,
        jsonl=str((Path(jsonl) if jsonl else default_jsonl(store)).resolve()),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        rev=store.current_rev(),
    )


def describe_rule(rule: AlertRule) -> str:
    """One line: what the rule watches for."""
    parts = [f"«{rule.query}»"] if rule.query else []
    if rule.entity:
        parts.append(f"entity {rule.entity}")
    if rule.speaker:
        parts.append(f"speaker {rule.speaker}")
    if rule.stance:
        parts.append(f"stance {rule.stance}")
    if rule.min_sources:
        parts.append(f"stories with ≥ {rule.min_sources} independent sources")
    plural = {"story": "stories", "quote": "quotes", "article": "articles"}[kind_of(rule)]
    return f"{plural}: " + " · ".join(parts)
