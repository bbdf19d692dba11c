"""Ingest use cases: ingest, reanalyze, and the ordered stages after them (reading is :mod:`marsad.read`).

``ingest`` is the spine: discover inputs → parse → analyse (entities, quotes when available) → store,
in small transactions (each article together with its analysis), so an interrupted run leaves a
consistent store; ``after_ingest`` then runs the story stage and brings the search index up to date. Both
pick up whatever an interrupted earlier run left undone, so a re-run completes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from marsad.errors import MarsadError, describe
from marsad.ingest.flow import IngestReport, Processed, analyse, process, store_results, unchanged_first
from marsad.ingest.sources import Limits, discover
from marsad.model import Analysis, AnalysisState, Article
from marsad.pipeline import Analyzer
from marsad.progress import StageProgress
from marsad.store.base import Store

__all__ = ["IngestReport", "after_ingest", "complete_analysis", "ingest", "reanalysis_targets", "reanalyze"]

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
    batch); a document the store holds unchanged is counted without being parsed
    (:func:`~marsad.ingest.flow.unchanged_first`). With an analyzer, articles stored earlier without
    analysis are completed too. Pass ``report``
    to keep the counts of what was stored if the run is interrupted."""
    report = report if report is not None else IngestReport()
    pending: list[Processed] = []
    n_articles = 0
    batch_hashes: set[str] = set()  # texts of the batch not stored yet: a second copy is a duplicate

    def known(arts: Sequence[Article]) -> set[str]:
        found = store.analysed_hashes(a.content_hash for a in arts) | (
            batch_hashes & {a.content_hash for a in arts}
        )
        batch_hashes.update(a.content_hash for a in arts)
        return found

    t = time.process_time()
    for item, digest, same in unchanged_first(discover(inputs, limits), store, analysed=analyzer is not None):
        p = same or process(item, analyzer, known=known, digest=digest)
        pending.append(p)
        n_articles += len(p.articles)
        t = report.clock("read", t)
        if n_articles >= batch_size:
            store_results(store, pending, report)
            pending, n_articles = [], 0
            batch_hashes.clear()
            t = report.clock("store", t)
        if progress:
            progress(1, p.label)
    store_results(store, pending, report)
    t = report.clock("store", t)
    if analyzer is not None:
        report.completed = complete_analysis(store, analyzer, report)
        report.clock("read", t)
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


def reanalysis_targets(
    store: Store, ids: Sequence[str] = (), *, failed: bool = False, pending: bool = False
) -> list[str] | None:
    """What ``marsad reanalyze`` works on: the given ids, the articles whose analysis failed and/or is
    pending, or None for every stored article."""
    if failed or pending:
        states = [s for s, on in ((AnalysisState.FAILED, failed), (AnalysisState.PENDING, pending)) if on]
        return [i for st in states for i in store.ids_with_analysis(st)]
    return list(ids) if ids else None


def after_ingest(
    store: Store, report: IngestReport, *, index: bool = True, progress: StageProgress | None = None
) -> dict[str, int]:
    """Stages that need the whole new batch in order: stories (duplicates, clusters, storylines,
    summaries), then the search index for everything written since it was last brought up to date, then
    the alert rules over what the index now holds.

    Both complete what an interrupted earlier run left: articles without a story are clustered, and the
    index catches up from its own watermark. A failure of either is a failure line, never an abort.
    """
    from marsad.stories import cluster_new

    post: dict[str, int] = {}
    t = time.process_time()
    try:
        run = cluster_new(store, report.new_ids, progress=progress)
    except MarsadError:
        raise  # the store itself failed: the caller reports it (nothing of this run was half-written)
    except Exception as e:
        report.failures.append((STORY_STAGE, describe("stories", e)))
    else:
        report.failures.extend(run.failures)
        if run.articles:
            post = run.summary()
    t = report.clock("stories", t)
    if index:
        from marsad.search.build import sync_index

        try:
            res = sync_index(store, progress=progress)
        except MarsadError:
            raise
        except Exception as e:
            report.failures.append((str(store.index_path), describe("index", e)))
        else:
            report.failures.extend(res.failures)
            report.notes.extend(res.notes)
        t = report.clock("index", t)
        alerts = run_alerts_contained(store, report)
        report.clock("alerts", t)
        if alerts:
            post["alerts"] = alerts
    report.counts["failed"] = report.failed
    return post


def run_alerts_contained(store: Store, report: IngestReport) -> int:
    """The alerts round after a write (:mod:`marsad.alerts`): the number of new hits. A delivery problem
    (or a bug in the alerts) is a warning: it never fails the ingest, and the round is retried next time."""
    from marsad.alerts import run_alerts

    try:
        run = run_alerts(store)
    except MarsadError:
        raise
    except Exception as e:
        report.warnings.append(("(alerts)", describe("alerts", e)))
        return 0
    report.warnings.extend(run.warnings)
    if run.behind:
        report.notes.append(
            ("(alerts)", "the search index is behind the store: alerts wait for the next round")
        )
    return run.total
