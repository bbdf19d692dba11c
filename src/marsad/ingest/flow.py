"""The one ingest path: what happens to each input document, and how a batch of them is stored.

``marsad ingest``, ``marsad batch`` (on Dask workers) and ``marsad watch`` all go through these two
functions, so they store and report the same by construction:

* :func:`process` (pure: no store, no network) reads one document: parse → analyse every article →
  classify. It never raises. A document that cannot be read or parsed is a failure line; an article
  whose analysis raises is still returned, with what could be computed, ``analysis = failed`` and the
  stage and error beside it (and a failure line), so it is stored and ``marsad reanalyze --failed`` can
  complete it after a fix.
* :func:`store_results` writes a batch of processed documents in one store call (articles with their
  mentions and quotes together, so no kill can leave one without the other, and what to record of each
  document) and counts the outcomes.
* :func:`unchanged_first` (``marsad ingest``) finds, before parsing, the documents the store holds
  unchanged (:mod:`marsad.ingest.documents`): they are counted without being read further.

Failure lines read ``WHERE: STAGE: ExceptionType: message`` for internal errors (``parse``, ``entities``,
``quotes``, ``stories``, ``index``) and ``WHERE: reason`` for input problems the user can fix.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from marsad.errors import InputError, MarsadError, NotNews, describe
from marsad.ingest.documents import document_key, mark, raw_hash
from marsad.model import AnalysisState, Article, Mention, Quote, RawDocument
from marsad.parse import parse_document
from marsad.pipeline import Analyzer
from marsad.store.base import DocumentMark, PutStatus, Store

T = TypeVar("T")
RetryLog = Callable[[int, float, BaseException], None]


def label_of(raw: RawDocument) -> str:
    return raw.source.origin + (f"#{raw.source.member}" if raw.source.member else "")


@dataclass
class Processed:
    """One input document after :func:`process`."""

    label: str
    documents: int = 0  # 1 when a document was read (0 for an input that could not be opened)
    articles: list[Article] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # well-formed inputs without news
    notes: list[tuple[str, str]] = field(default_factory=list)  # e.g. "read as plain text: …"
    document: DocumentMark | None = None  # what to record of the document with its articles
    unchanged: int = 0  # articles of a document found unchanged before parsing (none are in ``articles``)


@dataclass
class IngestReport:
    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # PutStatus values + "failed"
    failures: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # e.g. an alert webhook down: retried
    new_ids: list[str] = field(default_factory=list)
    completed: int = 0  # stored articles whose pending analysis this run completed
    cpu: dict[str, float] = field(default_factory=dict)  # process CPU seconds by stage (benchmarks)

    def clock(self, stage: str, since: float) -> float:
        """Add the CPU time since ``since`` to ``stage``; returns now (the next stage's start)."""
        now = time.process_time()
        self.cpu[stage] = self.cpu.get(stage, 0.0) + (now - since)
        return now

    @property
    def failed(self) -> int:
        return len(self.failures)

    def add(self, p: Processed) -> None:
        self.documents += p.documents
        self.counts[PutStatus.UNCHANGED.value] += p.unchanged
        self.failures.extend(p.failures)
        self.skipped.extend(p.skipped)
        self.notes.extend(p.notes)

    def merge(self, other: IngestReport) -> None:
        self.documents += other.documents
        for k, v in other.counts.items():
            if k != "failed":
                self.counts[k] += v
        self.failures.extend(other.failures)
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)
        self.warnings.extend(other.warnings)
        self.new_ids.extend(other.new_ids)
        self.completed += other.completed
        for stage, secs in other.cpu.items():
            self.cpu[stage] = self.cpu.get(stage, 0.0) + secs

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            **{s.value: self.counts.get(s.value, 0) for s in PutStatus},
            "failed": self.failed,
            "skipped": len(self.skipped),
            "completed": self.completed,
            "cpu_seconds": {k: round(v, 3) for k, v in self.cpu.items()},
            "failures": [{"input": w, "reason": r} for w, r in self.failures],
            "notes": [{"input": w, "note": n} for w, n in self.notes],
            "warnings": [{"where": w, "warning": m} for w, m in self.warnings],
        }


def analyse(a: Article, analyzer: Analyzer) -> Article:
    """``a`` with mentions, quotes and an analysis state; an exception is recorded, never raised."""
    try:
        b = analyzer(a)
    except Exception as e:  # an analyzer that is not an ArticleAnalyzer (which contains its own stages)
        return replace(
            a, mentions=(), quotes=(), analysis=AnalysisState.FAILED, analysis_error=describe("analysis", e)
        )
    n, t = len(b.body), len(b.title or "")

    def inside(x: Mention | Quote) -> bool:  # headline quotes point into the title, the rest into the body
        return 0 <= x.start <= x.end <= (t if isinstance(x, Quote) and x.in_headline else n)

    spans: list[Mention | Quote] = [*b.mentions, *b.quotes]
    bad = sum(not inside(x) for x in spans)
    if bad:  # a record pointing outside its text would break every reader: drop it, say so
        b = replace(
            b,
            mentions=tuple(m for m in b.mentions if inside(m)),
            quotes=tuple(q for q in b.quotes if inside(q)),
            analysis=AnalysisState.FAILED,
            analysis_error=b.analysis_error or f"analysis: {bad} offsets outside the text dropped",
        )
    if b.analysis is AnalysisState.PENDING:
        b = replace(b, analysis=AnalysisState.DONE)
    return b


def process(
    item: RawDocument | InputError,
    analyzer: Analyzer | None,
    *,
    keep: Callable[[Article], bool] | None = None,
    known: Callable[[Sequence[Article]], set[str]] | None = None,
    digest: str | None = None,
) -> Processed:
    """Parse and analyse one document (see the module docstring); ``keep`` filters articles before
    their analysis (watch: entries already seen). ``known`` gives the content hashes among the
    articles that are already stored and analysed: those are passed on unanalysed (the store finds them
    unchanged or duplicate and keeps nothing of the incoming copy but its source). ``digest`` is the
    document's :func:`~marsad.ingest.documents.raw_hash` when the caller has it already; the result's
    ``document`` says what to record of it (:mod:`marsad.ingest.documents`)."""
    if isinstance(item, InputError):
        return Processed(label=item.where, failures=[(item.where, item.reason)])
    out = Processed(label=label_of(item), documents=1)
    _read(item, analyzer, out, keep, known)
    # recorded only when read whole, without a failure, a skipped part or a note (those are told again)
    clean = keep is None and not (out.failures or out.skipped or out.notes)
    out.document = mark(document_key(item), digest or raw_hash(item), out.articles, clean)
    return out


def _read(
    item: RawDocument,
    analyzer: Analyzer | None,
    out: Processed,
    keep: Callable[[Article], bool] | None,
    known: Callable[[Sequence[Article]], set[str]] | None,
) -> None:
    try:
        result = parse_document(item)
    except NotNews as e:
        out.skipped.append((e.where, e.reason))
        return
    except MarsadError as e:
        out.failures.append((e.where, e.reason))
        return
    except Exception as e:  # a parser bug must not stop the run: name the input that triggered it
        out.failures.append((out.label, describe("parse", e)))
        return
    for err in result.errors:
        (out.skipped if isinstance(err, NotNews) else out.failures).append((err.where, err.reason))
    out.notes.extend(getattr(result, "notes", ()))
    arts = [a for a in result.articles if keep is None or keep(a)]
    if analyzer is not None:
        skip = known(arts) if known is not None and arts else set()
        arts = [a if a.content_hash in skip else analyse(a, analyzer) for a in arts]
        for a in arts:
            if a.analysis is AnalysisState.FAILED:
                out.failures.append((a.source.label, a.analysis_error or "analysis failed"))
    out.articles = arts


# Documents looked up in the store at once before parsing (one or two queries a chunk), and at most this
# many bytes of them held meanwhile.
LOOKUP_DOCUMENTS = 200
LOOKUP_BYTES = 32 * 1024 * 1024


def unchanged_first(
    items: Iterable[RawDocument | InputError], store: Store, *, analysed: bool
) -> Iterator[tuple[RawDocument | InputError, str | None, Processed | None]]:
    """Each item with its raw hash and, when the store holds the document unchanged (the same bytes, every
    article still stored from it, analysed if ``analysed``), a :class:`Processed` counting its articles
    unchanged: that document needs no parsing (:mod:`marsad.ingest.documents`). Looked up by chunks."""
    chunk: list[RawDocument | InputError] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.data) if isinstance(item, RawDocument) else 0
        if len(chunk) >= LOOKUP_DOCUMENTS or size >= LOOKUP_BYTES:
            yield from _look_up(chunk, store, analysed)
            chunk, size = [], 0
    yield from _look_up(chunk, store, analysed)


def _look_up(
    chunk: list[RawDocument | InputError], store: Store, analysed: bool
) -> Iterator[tuple[RawDocument | InputError, str | None, Processed | None]]:
    keyed = [(document_key(x), raw_hash(x)) if isinstance(x, RawDocument) else None for x in chunk]
    want = dict(k for k in keyed if k is not None)  # a document named twice: its last reading is asked
    same = store.unchanged_documents(want, analysed=analysed) if want else {}
    for item, k in zip(chunk, keyed, strict=True):
        if not isinstance(item, RawDocument) or k is None:
            yield item, None, None
            continue
        n = same.get(k[0]) if want[k[0]] == k[1] else None
        yield item, k[1], None if n is None else Processed(label_of(item), documents=1, unchanged=n)


# ---- writing ---------------------------------------------------------------------------------------


def is_transient(e: BaseException) -> bool:
    """A failure that may go away if the same write is tried again a little later."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:  # the stores wrap driver errors in StoreError
        seen.add(id(cur))
        if isinstance(cur, sqlite3.OperationalError):
            msg = str(cur).lower()
            return "locked" in msg or "busy" in msg
        if type(cur).__module__.startswith("psycopg"):
            try:
                import psycopg
            except ImportError:  # pragma: no cover
                return False
            if isinstance(cur, psycopg.OperationalError):
                return True
            state = getattr(cur, "sqlstate", None) or ""
            return state.startswith(("08", "40", "57P"))
        if isinstance(cur, ConnectionError | TimeoutError):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def with_retry(fn: Callable[[], T], *, deadline: float = 120.0, on_retry: RetryLog | None = None) -> T:
    """Call ``fn``; after a transient failure wait (0.2 s doubling to 5 s, jittered) and call it again."""
    start = time.monotonic()
    attempt = 0
    while True:
        try:
            return fn()
        except Exception as e:
            waited = time.monotonic() - start
            if not is_transient(e) or waited >= deadline:
                raise
            attempt += 1
            pause = min(5.0, 0.2 * 2 ** (attempt - 1)) * (0.75 + 0.5 * random.random())
            if on_retry is not None:
                on_retry(attempt, pause, e)
            time.sleep(min(pause, max(0.0, deadline - waited)))


def store_articles(
    store: Store,
    articles: Sequence[Article],
    report: IngestReport,
    *,
    deadline: float = 120.0,
    on_retry: RetryLog | None = None,
    documents: Sequence[DocumentMark] = (),
) -> None:
    """Store ``articles`` with their analysis in one call and count the outcomes into ``report``;
    ``documents`` (the input documents they were read from) are recorded in the same call.

    The write is idempotent (keyed by source and content hash), so a replay after a lost commit
    acknowledgement only turns "new" into "unchanged".
    """
    if not articles and not documents:
        return
    try:
        outcomes = with_retry(
            lambda: store.put_articles(articles, documents), deadline=deadline, on_retry=on_retry
        )
    except MarsadError:
        raise  # the store itself refused (disk full, read-only, gone): nothing can be stored, say so
    except Exception:
        # One article the backend cannot take (a value out of range, a driver bug) fails the batch's
        # transaction: store the others one by one and name that article.
        outcomes = []
        for a in articles:
            try:
                outcomes.extend(with_retry(lambda a=a: store.put_articles([a]), deadline=deadline))  # type: ignore[misc]
            except MarsadError:
                raise
            except Exception as e:
                report.failures.append((a.source.label, describe("store", e)))
        # which documents were stored whole is not known here: they are read again next time
        forget = [DocumentMark(m.key, None) for m in documents]
        with_retry(lambda: store.put_articles([], forget), deadline=deadline)
    for out in outcomes:
        report.counts[out.status.value] += 1
        if out.status in (PutStatus.NEW, PutStatus.UPDATED):
            report.new_ids.append(out.article_id)


def store_results(
    store: Store,
    results: Iterable[Processed],
    report: IngestReport,
    *,
    deadline: float = 120.0,
    on_retry: RetryLog | None = None,
) -> None:
    """Count every processed document into ``report`` and store all their articles in one call (with
    what to record of each document)."""
    arts: list[Article] = []
    docs: list[DocumentMark] = []
    for p in results:
        report.add(p)
        arts.extend(p.articles)
        if p.document is not None:
            docs.append(p.document)
    store_articles(store, arts, report, deadline=deadline, on_retry=on_retry, documents=docs)
