"""Use cases. The CLI, the API and the web app call these and nothing below them.

``ingest`` is the spine: discover inputs → parse → analyse (entities, quotes when available) → store,
in small transactions (each article together with its analysis), so an interrupted run leaves a
consistent store; ``after_ingest`` then runs the story stage and brings the search index up to date. Both
pick up whatever an interrupted earlier run left undone, so a re-run completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from marsad.entities import KnowledgeBase
from marsad.errors import MarsadError, NotFound, describe
from marsad.ingest.flow import IngestReport, Processed, analyse, process, store_results
from marsad.ingest.sources import Limits, discover
from marsad.model import Analysis, AnalysisState, Article, Entity, Role, Stance, Story
from marsad.pipeline import Analyzer
from marsad.store.base import QuoteRow, Store

__all__ = ["IngestReport", "after_ingest", "ingest", "reanalyze"]

ProgressFn = Callable[[int, str], None]
STORY_STAGE = "(story stage)"  # where a failure of the stage as a whole is reported


def ingest(
    inputs: Sequence[str],
    store: Store,
    *,
    analyzer: Analyzer | None = None,
    progress: ProgressFn | None = None,
    limits: Limits | None = None,
    batch_size: int = 200,
    report: IngestReport | None = None,
) -> IngestReport:
    """Read every input, store its articles, and report what happened to each (the one ingest path:
    :func:`marsad.ingest.flow.process` per document, :func:`~marsad.ingest.flow.store_results` per
    batch). With an analyzer, articles stored earlier without analysis are completed too. Pass ``report``
    to keep the counts of what was stored if the run is interrupted."""
    report = report if report is not None else IngestReport()
    pending: list[Processed] = []
    n_articles = 0
    for item in discover(inputs, limits):
        p = process(item, analyzer)
        pending.append(p)
        n_articles += len(p.articles)
        if n_articles >= batch_size:
            store_results(store, pending, report)
            pending, n_articles = [], 0
        if progress:
            progress(1, p.label)
    store_results(store, pending, report)
    if analyzer is not None:
        report.completed = complete_analysis(store, analyzer, report)
    report.counts["failed"] = report.failed
    return report


def complete_analysis(store: Store, analyzer: Analyzer, report: IngestReport | None = None) -> int:
    """Analyse the stored articles still waiting for it (stored by ``--no-analyze`` or by a store from
    before the analysis state was kept); their failures go into ``report``."""
    return reanalyze(store, analyzer, store.ids_with_analysis(AnalysisState.PENDING), report=report)


def reanalyze(
    store: Store,
    analyzer: Analyzer,
    ids: Iterable[str] | None = None,
    *,
    report: IngestReport | None = None,
    progress: ProgressFn | None = None,
    chunk: int = 200,
) -> int:
    """Run the analysis stages again over stored articles (all, or ``ids``) and store the results; the
    articles' search documents follow on the next index sync. Returns the number analysed."""
    n = 0
    batch: list[Analysis] = []

    def flush() -> None:
        if batch:
            store.put_analyses(batch)
            batch.clear()

    arts: Iterable[Article | None] = (
        (store.get_article(i) for i in ids) if ids is not None else store.iter_articles(with_analysis=False)
    )
    for a in arts:
        if a is None:
            continue
        b = analyse(replace(a, mentions=(), quotes=()), analyzer)
        if b.analysis is AnalysisState.FAILED and report is not None:
            report.failures.append((b.source.label, b.analysis_error or "analysis failed"))
        batch.append(Analysis.of(b))
        n += 1
        if len(batch) >= chunk:
            flush()
        if progress:
            progress(1, b.source.label)
    flush()
    return n


def after_ingest(store: Store, report: IngestReport, *, index: bool = True) -> dict[str, int]:
    """Stages that need the whole new batch in order: stories (duplicates, clusters, storylines,
    summaries), then the search index for everything written since it was last brought up to date.

    Both complete what an interrupted earlier run left: articles without a story are clustered, and the
    index catches up from its own watermark. A failure of either is a failure line, never an abort.
    """
    from marsad.stories import cluster_new

    post: dict[str, int] = {}
    try:
        run = cluster_new(store, report.new_ids)
    except MarsadError:
        raise  # the store itself failed: the caller reports it (nothing of this run was half-written)
    except Exception as e:
        report.failures.append((STORY_STAGE, describe("stories", e)))
    else:
        report.failures.extend(run.failures)
        if run.articles:
            post = run.summary()
    if index:
        from marsad.search.build import sync_index

        try:
            res = sync_index(store)
        except MarsadError:
            raise
        except Exception as e:
            report.failures.append((str(store.index_path), describe("index", e)))
        else:
            report.failures.extend(res.failures)
            report.notes.extend(res.notes)
    report.counts["failed"] = report.failed
    return post


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


def entity_profile(store: Store, kb: KnowledgeBase, name: str, *, quote_limit: int = 200) -> EntityProfile:
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
        roles=sorted(roles, key=lambda x: x[0].start or date.min),
        quotes=store.iter_quotes(speaker_ids=[e.id], limit=quote_limit),
        mentions=store.entity_mentions(e.id),
        co_mentions=co,
    )


def list_quotes(
    store: Store,
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
    return store.iter_quotes(
        speaker_ids=ids, stance=stance, since=since, until=until, limit=limit, offset=offset
    )


def storylines(store: Store, *, scan: int = 1000) -> dict[str, list[Story]]:
    """Storylines of the most recently active ``scan`` stories: storyline id → its stories, newest first."""
    lines: dict[str, list[Story]] = {}
    for s in store.iter_stories(order="recent", limit=scan):
        if s.storyline_id:
            lines.setdefault(s.storyline_id, []).append(s)
    return lines
