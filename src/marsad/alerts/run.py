"""One alerts round: evaluate every rule over what was written since it last looked, then deliver."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from marsad.alerts import deliver
from marsad.alerts.deliver import WebhookPolicy, append_jsonl, post_webhook
from marsad.alerts.evaluate import find_hits
from marsad.search.build import open_index, read_sync_state
from marsad.search.engine import SearchIndex
from marsad.store.base import AlertHit, AlertRule, Store

PENDING_PER_ROUND = 5000  # push deliveries per rule and channel per round (the rest wait)


@dataclass
class AlertRun:
    found: dict[str, int] = field(default_factory=dict)  # rule -> new hits this round
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    behind: bool = False  # the index lagged the store: rules wait for the next round

    @property
    def total(self) -> int:
        return sum(self.found.values())


def _changed_ids(store: Store, since: int, upto: int) -> list[str]:
    out: list[str] = []
    rev = since
    while rev < upto:
        ch = store.changes_since(rev)
        out.extend(ch.ids)
        if ch.rev <= rev:
            break
        rev = ch.rev
    return list(dict.fromkeys(out))


def run_alerts(
    store: Store, *, index: SearchIndex | None = None, policy: WebhookPolicy | None = None
) -> AlertRun:
    """Evaluate and deliver every rule; never raises for a delivery problem (it is a warning)."""
    policy = policy or deliver.DEFAULT_POLICY
    run = AlertRun()
    rules = store.alert_rules()
    if not rules:
        return run
    state = read_sync_state(store.index_path)
    head = store.current_rev()
    if state is None or state.rev < head:
        # a rule's words, speakers and stances are read from the index: wait until it covers the writes
        run.behind = True
    else:
        index = index or open_index(store)
        by_rev: dict[int, list[AlertRule]] = defaultdict(list)
        for r in rules:
            if r.rev < head:
                by_rev[r.rev].append(r)
        for rev, group in sorted(by_rev.items()):
            ids = _changed_ids(store, rev, head)
            for rule in group:
                hits = find_hits(store, index, rule, ids) if ids else []
                new = store.record_alert_hits(rule.name, hits, head)
                run.found[rule.name] = len(new)
    for rule in store.alert_rules():
        _deliver(store, rule, run, policy)
    return run


def _pending(store: Store, rule: AlertRule, channel: str) -> list[AlertHit]:
    return list(reversed(store.alert_hits(rule.name, pending=channel, limit=PENDING_PER_ROUND)))


def _deliver(store: Store, rule: AlertRule, run: AlertRun, policy: WebhookPolicy) -> None:
    try:
        append_jsonl(store, rule, _pending(store, rule, "jsonl"))
    except OSError as e:
        run.warnings.append(
            (rule.jsonl or rule.name, f"alert {rule.name}: cannot append ({e.strerror or e})")
        )
    if rule.webhook:
        why = post_webhook(store, rule, _pending(store, rule, "webhook"), policy=policy)
        if why is not None:
            run.warnings.append((rule.webhook, f"alert {rule.name}: {why}"))


def test_rule(
    store: Store, rule: AlertRule, *, revisions: int = 50, index: SearchIndex | None = None
) -> list[AlertHit]:
    """What ``rule`` would find among the articles of the last ``revisions`` store writes (nothing is
    stored or delivered)."""
    head = store.current_rev()
    ids = _changed_ids(store, max(0, head - revisions), head)
    return find_hits(store, index or open_index(store), rule, ids) if ids else []
