"""The two push channels: a JSON Lines file and a webhook. Each takes what it has not yet taken.

Both are at least once: a hit is marked delivered only after the channel took it, so a crash in between
delivers it again on the next round (the ``item`` field lets a consumer drop the repeat). A webhook that
fails is retried a few times with backoff, then left for the next round, and reported as a warning.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from marsad.ingest.fetch import USER_AGENT
from marsad.store.base import AlertHit, AlertRule, Store


@dataclass(frozen=True)
class WebhookPolicy:
    attempts: int = 3  # per hit and round
    backoff: float = 0.5  # seconds before the second attempt, doubling (jittered)
    timeout: float = 10.0


DEFAULT_POLICY = WebhookPolicy()


def append_jsonl(store: Store, rule: AlertRule, hits: list[AlertHit]) -> None:
    """Append ``hits`` (oldest first) to the rule's file, synced to disk before they are marked."""
    if not hits or not rule.jsonl:
        return
    path = Path(rule.jsonl)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for h in hits:
            fh.write(json.dumps(json.loads(h.payload), ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    store.mark_alert_hits("jsonl", rule.name, [h.item for h in hits])


def post_webhook(
    store: Store,
    rule: AlertRule,
    hits: list[AlertHit],
    *,
    policy: WebhookPolicy = DEFAULT_POLICY,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> str | None:
    """POST each hit (oldest first) as JSON; None when all went, else why the rest wait for next round."""
    if not hits or not rule.webhook:
        return None
    own = client is None
    http = client or httpx.Client(timeout=policy.timeout, headers={"User-Agent": USER_AGENT})
    try:
        for i, h in enumerate(hits):
            error = _post(http, rule.webhook, h.payload, policy, sleep)
            if error is not None:
                store.mark_alert_hits("webhook", rule.name, [x.item for x in hits[i:]], error=error)
                return f"{len(hits) - i} alerts not delivered ({error}); retried on the next round"
            store.mark_alert_hits("webhook", rule.name, [h.item])
    finally:
        if own:
            http.close()
    return None


def _post(
    http: httpx.Client, url: str, payload: str, policy: WebhookPolicy, sleep: Callable[[float], None]
) -> str | None:
    error = "no attempt"
    for attempt in range(policy.attempts):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1) * (0.75 + 0.5 * random.random()))
        try:
            r = http.post(
                url,
                content=payload.encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        except httpx.HTTPError as e:
            error = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
            continue
        if r.status_code < 300:
            return None
        error = f"HTTP {r.status_code}"
        if 400 <= r.status_code < 500 and r.status_code not in (408, 429):
            break  # the receiver refuses this request: trying again now will not change that
    return error
