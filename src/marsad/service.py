"""Use cases. The CLI, the API and the web app call these and nothing below them.

``ingest`` is the spine: discover inputs → parse → analyse (entities, quotes when available) → store,
in small transactions so an interrupted run leaves a consistent store and a re-run completes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import date, datetime

from marsad.entities import KnowledgeBase
from marsad.errors import InputError, MarsadError, NotFound, NotNews
from marsad.ingest.sources import Limits, discover
from marsad.model import Article, Entity, RawDocument, Role, Stance, Story
from marsad.parse import parse_document
from marsad.pipeline import Analyzer
from marsad.store import PutStatus
from marsad.store.base import QuoteRow
from marsad.store.sqlite import SQLiteStore

ProgressFn = Callable[[int, str], None]


@dataclass
class IngestReport:
    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # PutStatus values + "failed"
    failures: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # well-formed inputs that hold no news
    new_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            **{s.value: self.counts.get(s.value, 0) for s in PutStatus},
            "failed": self.failed,
            "skipped": len(self.skipped),
            "failures": [{"input": w, "reason": r} for w, r in self.failures],
        }


def ingest(
    inputs: Sequence[str],
    store: SQLiteStore,
    *,
    analyzer: Analyzer | None = None,
    progress: ProgressFn | None = None,
    limits: Limits | None = None,
    batch_size: int = 200,
) -> IngestReport:
    """Read every input, store its articles, and report what happened to each."""
    report = IngestReport()
    pending: list[Article] = []

    def flush() -> None:
        if not pending:
            return
        outcomes = store.put_articles(pending)
        fresh: list[Article] = []
        for art, out in zip(pending, outcomes, strict=True):
            report.counts[out.status.value] += 1
            if out.status in (PutStatus.NEW, PutStatus.UPDATED):
                report.new_ids.append(out.article_id)
                fresh.append(art)
        if analyzer is not None and fresh:
            store.put_analyses((a.id, list(a.mentions), list(a.quotes)) for a in fresh)
        pending.clear()

    for item in discover(inputs, limits):
        if isinstance(item, InputError):
            report.failures.append((item.where, item.reason))
            if progress:
                progress(1, item.where)
            continue
        report.documents += 1
        label = _label(item)
        try:
            result = parse_document(item)
        except NotNews as e:
            report.skipped.append((e.where, e.reason))
        except MarsadError as e:
            report.failures.append((e.where, e.reason))
        except Exception as e:  # a parser bug must not stop the batch; say which input triggered it
            report.failures.append((label, f"internal error while parsing ({type(e).__name__}: {e})"))
        else:
            for err in result.errors:
                (report.skipped if isinstance(err, NotNews) else report.failures).append((err.where, err.reason))
            arts = result.articles
            if analyzer is not None:
                arts = [analyzer(a) for a in arts]
            pending.extend(arts)
            if len(pending) >= batch_size:
                flush()
        if progress:
            progress(1, label)
    flush()
    report.counts["failed"] = report.failed
    return report


def _label(raw: RawDocument) -> str:
    return raw.source.origin + (f"#{raw.source.member}" if raw.source.member else "")


def reanalyze(store: SQLiteStore, analyzer: Analyzer, ids: Iterable[str] | None = None) -> int:
    """Run the analysis stages again over stored articles (after a KB or model update)."""
    n = 0
    batch: list[tuple[str, list[object], list[object]]] = []
    arts = (
        (store.get_article(i) for i in ids) if ids is not None else store.iter_articles(with_analysis=False)
    )
    for a in arts:
        if a is None:
            continue
        b = analyzer(dc_replace(a, mentions=(), quotes=()))
        batch.append((b.id, list(b.mentions), list(b.quotes)))
        n += 1
        if len(batch) >= 500:
            store.put_analyses(batch)  # type: ignore[arg-type]
            batch = []
    if batch:
        store.put_analyses(batch)  # type: ignore[arg-type]
    return n


def after_ingest(store: SQLiteStore, report: IngestReport, *, index: bool = True) -> dict[str, int]:
    """Stages that need the whole new batch in order: stories (duplicates, clusters, storylines,
    summaries), then the search index for every article whose text or story changed."""
    from marsad.stories import cluster_new

    run = cluster_new(store, report.new_ids)
    if index and isinstance(store, SQLiteStore) and (report.new_ids or run.changed_ids):
        from marsad.search.build import update_index

        update_index(store, [*report.new_ids, *run.changed_ids])
    return run.summary() if run.articles else {}


# ---- who said what ------------------------------------------------------------------------------


@dataclass
class EntityProfile:
    entity: Entity
    roles: list[tuple[Role, str]]  # (role, readable office title)
    quotes: list[QuoteRow]
    mentions: list[tuple[str, datetime | None]]  # (article id, published)
    co_mentions: list[tuple[Entity, int]]


def find_entities(kb: KnowledgeBase, name: str) -> list[Entity]:
    """Entities for a name in any spelling, clitic form, English name or role phrase."""
    name = name.strip()
    if not name:
        raise NotFound(name, "empty name")
    direct = kb.get(name)
    return [direct] if direct is not None else kb.find(name)


def entity_profile(store: SQLiteStore, kb: KnowledgeBase, name: str, *, quote_limit: int = 200) -> EntityProfile:
    found = find_entities(kb, name)
    if not found:
        raise NotFound(name, "no such person, organisation or place in the knowledge base")
    e = found[0]
    roles = []
    for r in kb.offices_of(e.id):
        office = kb.office(r.office)
        title = r.title_ar or r.title_en or (office.title_ar or office.title_en if office else "") or r.office
        roles.append((r, title))
    co = [(ent, n) for eid, n in store.co_mentioned(e.id, 20) if (ent := kb.get(eid)) is not None]
    return EntityProfile(
        entity=e,
        roles=sorted(roles, key=lambda x: (x[0].start or date.min)),
        quotes=store.iter_quotes(speaker_ids=[e.id], limit=quote_limit),
        mentions=store.entity_mentions(e.id),
        co_mentions=co,
    )


def list_quotes(
    store: SQLiteStore,
    kb: KnowledgeBase | None,
    *,
    speaker: str | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[QuoteRow]:
    """Quotes in time order; ``speaker`` is a name in any spelling (every matching entity counts)."""
    if stance is not None and stance not in {s.value for s in Stance}:
        raise NotFound(stance, f"unknown stance (use one of: {', '.join(s.value for s in Stance)})")
    ids: list[str] | None = None
    if speaker:
        ids = [e.id for e in find_entities(kb, speaker)] if kb is not None else []
        if not ids:
            raise NotFound(speaker, "no such speaker in the knowledge base")
    return store.iter_quotes(speaker_ids=ids, stance=stance, since=since, until=until, limit=limit, offset=offset)


def storylines(store: SQLiteStore, *, scan: int = 1000) -> dict[str, list[Story]]:
    """Storylines of the most recently active ``scan`` stories: storyline id → its stories, newest first."""
    lines: dict[str, list[Story]] = {}
    for s in store.iter_stories(order="recent", limit=scan):
        if s.storyline_id:
            lines.setdefault(s.storyline_id, []).append(s)
    return lines
