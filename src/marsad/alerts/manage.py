"""What ``marsad alert add|list|remove|test`` do to the store (the CLI only renders)."""

from __future__ import annotations

from marsad.errors import NotFound
from marsad.store.base import AlertHit, AlertRule, Store

_NO_SUCH = "no such alert (marsad alert list shows them)"


def save_rule(store: Store, rule: AlertRule) -> None:
    store.put_alert_rule(rule)


def rule_named(store: Store, name: str) -> AlertRule:
    rules = store.alert_rules(name)
    if not rules:
        raise NotFound(name, _NO_SUCH)
    return rules[0]


def rules_found(store: Store) -> list[tuple[AlertRule, int]]:
    """Every rule with the number of items it has found."""
    return [(r, store.count_alert_hits(r.name)) for r in store.alert_rules()]


def remove_rule(store: Store, name: str) -> None:
    if not store.delete_alert_rule(name):
        raise NotFound(name, _NO_SUCH)


def recent_hits(store: Store, name: str, limit: int = 10) -> list[AlertHit]:
    return store.alert_hits(name, limit=limit)
