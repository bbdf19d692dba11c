"""`marsad alert add|list|remove|test`: standing queries delivered after every ingest round."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from marsad.cli.app import app
from marsad.cli.options import DbOpt, JsonOpt, KbOpt
from marsad.cli.render import console, json_lines, table
from marsad.store import open_store
from marsad.store.base import AlertHit, AlertRule

alert_app = typer.Typer(
    help="Alerts: a new quote, article or story that matches a rule, delivered as an Atom feed "
    "(serve: /alerts/NAME.atom), a JSON Lines file and optionally a webhook.",
    no_args_is_help=True,
)
app.add_typer(alert_app, name="alert")

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The alert's name (letters, digits, . - _).")]


def _rule_record(r: AlertRule) -> dict[str, object]:
    from marsad.alerts.rules import kind_of

    return {
        "name": r.name,
        "kind": kind_of(r),
        "query": r.query,
        "entity": r.entity,
        "entity_ids": list(r.entity_ids),
        "speaker": r.speaker,
        "speaker_ids": list(r.speaker_ids),
        "stance": r.stance,
        "min_sources": r.min_sources,
        "webhook": r.webhook,
        "jsonl": r.jsonl,
        "feed": f"/alerts/{r.name}.atom",
        "created_at": r.created_at,
    }


def _hit_line(h: AlertHit) -> str:
    p = json.loads(h.payload)
    day = (p.get("published") or "")[:10] or "????-??-??"
    if h.kind == "quote":
        return f"{day} {p.get('outlet') or ''} · {p.get('speaker') or '?'} [{p.get('stance')}]: «{p.get('text')}»"
    if h.kind == "story":
        return f"{day} story {p.get('story_id')} · {p.get('independent_sources')} sources · {p.get('title')}"
    return f"{day} {p.get('outlet') or ''} · {p.get('title') or '(no headline)'}"


@alert_app.command("add")
def add(
    name: NameArg,
    query: Annotated[
        str | None,
        typer.Argument(metavar="[QUERY]", help='Words as in `marsad search` ("a phrase", OR, -word).'),
    ] = None,
    entity: Annotated[str | None, typer.Option(metavar="NAME", help="Texts mentioning this entity.")] = None,
    speaker: Annotated[
        str | None, typer.Option(metavar="NAME", help="Quotes by this person (any spelling).")
    ] = None,
    stance: Annotated[
        str | None, typer.Option(metavar="STANCE", help="Quotes of this stance (denial, warning, …).")
    ] = None,
    min_sources: Annotated[
        int, typer.Option(metavar="N", min=0, help="Stories once they reach N independent sources.")
    ] = 0,
    webhook: Annotated[
        str | None, typer.Option(metavar="URL", help="Also POST each hit as JSON here.")
    ] = None,
    jsonl: Annotated[
        str | None, typer.Option(metavar="FILE", help="JSON Lines file (default: beside the store).")
    ] = None,
    db: DbOpt = None,
    kb: KbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Add (or replace) a rule; it fires on what is ingested from now on, never on the archive."""
    from marsad.alerts import make_rule
    from marsad.alerts.manage import save_rule
    from marsad.entities import load_kb

    knowledge = load_kb(kb or [])
    store = open_store(db)
    try:
        rule = make_rule(
            store, knowledge, name, query=query, entity=entity, speaker=speaker, stance=stance,
            min_sources=min_sources, webhook=webhook, jsonl=jsonl,
        )  # fmt: skip
        save_rule(store, rule)
    finally:
        store.close()
    if json_out:
        json_lines([_rule_record(rule)])
        return
    from marsad.alerts.rules import describe_rule

    console.print(f"alert {rule.name}: {describe_rule(rule)}", highlight=False, markup=False)
    console.print(f"  delivered to {rule.jsonl}, /alerts/{rule.name}.atom (marsad serve)"
                  + (f", {rule.webhook}" if rule.webhook else ""), highlight=False, markup=False)  # fmt: skip


@alert_app.command("list")
def list_rules(db: DbOpt = None, json_out: JsonOpt = False) -> None:
    """The rules, with how many items each has found."""
    from marsad.alerts.manage import rules_found
    from marsad.alerts.rules import describe_rule

    store = open_store(db)
    try:
        counted = rules_found(store)
    finally:
        store.close()
    rules = [r for r, _ in counted]
    found = {r.name: n for r, n in counted}
    if json_out:
        json_lines(_rule_record(r) | {"found": found[r.name]} for r in rules)
        return
    if not rules:
        console.print("no alerts (add one: marsad alert add NAME QUERY --speaker … --stance …)")
        return
    table(
        "Alerts",
        ["name", "watches for", "found", "delivered to"],
        [
            (r.name, describe_rule(r), found[r.name], " · ".join(x for x in (r.jsonl, r.webhook) if x))
            for r in rules
        ],
    )


@alert_app.command("remove")
def remove(name: NameArg, db: DbOpt = None) -> None:
    """Remove a rule and what it found (its feed disappears; the JSON Lines file is kept)."""
    from marsad.alerts.manage import remove_rule

    store = open_store(db)
    try:
        remove_rule(store, name)
    finally:
        store.close()
    console.print(f"removed alert {name}", highlight=False)


@alert_app.command("test")
def test(
    name: NameArg,
    revisions: Annotated[int, typer.Option(metavar="N", min=1, help="Look at the last N store writes.")] = 50,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What the rule would find among recently ingested articles, and its recent hits (nothing is
    delivered or stored)."""
    from marsad.alerts import test_rule
    from marsad.alerts.manage import recent_hits, rule_named

    store = open_store(db)
    try:
        would = test_rule(store, rule_named(store, name), revisions=revisions)
        recent = recent_hits(store, name)
    finally:
        store.close()
    if json_out:
        json_lines([{"would_match": [json.loads(h.payload) for h in would],
                     "recent_hits": [json.loads(h.payload) for h in recent]}])  # fmt: skip
        return
    console.print(f"{len(would)} matches among the last {revisions} writes:", highlight=False)
    for h in would[-20:]:
        console.print("  " + _hit_line(h), highlight=False, markup=False)
    console.print(f"recent hits ({len(recent)}):", highlight=False)
    for h in recent:
        pending = [c for c, at in (("jsonl", h.jsonl_at), ("webhook", h.webhook_at)) if at is None]
        console.print(f"  {h.found_at} {_hit_line(h)}" + (f"  (pending: {', '.join(pending)})" if pending else ""),
                      highlight=False, markup=False)  # fmt: skip
