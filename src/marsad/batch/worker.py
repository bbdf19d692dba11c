"""The worker side of a batch: one pure function from a chunk of inputs to analysed articles.

:func:`process_chunk` reads (when given paths), parses, normalizes and analyses; it touches no store and
keeps no state except the analyzer cache, so Dask can run it again on another worker after a crash and
get the same result. The knowledge base and the NER model are loaded once per worker process
(:func:`worker_analyzer`), not once per task or per article.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from marsad.ingest.flow import Processed, process
from marsad.ingest.sources import Limits, discover
from marsad.model import RawDocument
from marsad.pipeline import ArticleAnalyzer

# A local file path the worker reads itself (workers share the file system), the bytes already read, or
# an input that already failed where it was planned, as (where, reason) (kept in place to keep the order).
WorkItem = str | RawDocument | tuple[str, str]


@dataclass(frozen=True)
class AnalyzerSpec:
    """What a worker needs to build its analyzer: small and picklable (sent with every task)."""

    kb_files: tuple[str, ...] = ()
    analyze: bool = True
    use_ner: bool = True


@dataclass
class ChunkResult:
    index: int
    files: int = 0  # path items read (for the progress bar)
    documents: list[Processed] = field(default_factory=list)  # in input order
    cpu_seconds: float = 0.0  # CPU time of this chunk on the worker (for the benchmark)
    wall_seconds: float = 0.0


_ANALYZERS: dict[AnalyzerSpec, ArticleAnalyzer] = {}


def worker_analyzer(spec: AnalyzerSpec) -> ArticleAnalyzer | None:
    """The analyzer for ``spec``, loaded at most once per process."""
    if not spec.analyze:
        return None
    an = _ANALYZERS.get(spec)
    if an is None:
        an = ArticleAnalyzer(spec.kb_files, use_ner=spec.use_ner)
        an.finder  # noqa: B018 (load the KB and the NER model now)
        _ANALYZERS[spec] = an
    return an


def process_chunk(
    index: int, items: list[WorkItem], spec: AnalyzerSpec, limits: Limits | None = None
) -> ChunkResult:
    """Parse and analyse every item with :func:`marsad.ingest.flow.process` (the same decisions as
    ``marsad ingest``); errors in one document are reported, never raised."""
    t0, w0 = time.process_time(), time.perf_counter()
    analyzer = worker_analyzer(spec)
    res = ChunkResult(index=index)
    for item in items:
        if isinstance(item, tuple):
            res.documents.append(Processed(label=item[0], failures=[item]))
        elif isinstance(item, str):
            res.files += 1
            res.documents.extend(process(doc, analyzer) for doc in discover([item], limits))
        else:
            res.documents.append(process(item, analyzer))
    res.cpu_seconds = time.process_time() - t0
    res.wall_seconds = time.perf_counter() - w0
    return res
